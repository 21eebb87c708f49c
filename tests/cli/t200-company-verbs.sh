#!/bin/bash
# crm-company: every verb, the hierarchy and its cycles, the 360-degree view.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add --name 'Acme Group' --domain 'https://www.ACME.com/' --annual-revenue 1234.5 --currency EUR --ids
expect_out "add prints the id" <<<'1'
expect_code 0 crm-company add --name 'Acme Rockets GmbH' --set parent='Acme Group' --ids
expect_out "parent given by name" <<<'2'
expect_code 0 crm-company add --name 'Acme Labs, Inc.' --parent-id 2 --ids
expect_out "parent given by id" <<<'3'
expect_code 0 crm-company list -f csv --fields id,name,domain,annual_revenue,currency,parent_id
expect_out "list: domain normalized, money as a decimal string" <<'X'
id,name,domain,annual_revenue,currency,parent_id
1,Acme Group,acme.com,1234.50,EUR,
2,Acme Rockets GmbH,,,,1
3,"Acme Labs, Inc.",,,,2
X
expect_code 0 crm-company show 'ACME LABS' -f csv --fields id
expect_out "show by a name variant (legal form, case)" <<'X'
id
3
X
expect_code 0 crm-company show acme.com -f csv --fields id
expect_out "show by domain" <<'X'
id
1
X
expect_code 66 crm-company show 'Nope Corp'
err_has "crm-company: no company 'Nope Corp'"

# cycles are refused, database unchanged
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-company update 1 --parent-id 3
err_has "parent_id: company 1: company 3 is below company 1: that would make a cycle"
expect_code 65 crm-company update 2 --parent-id 2
err_has "a company cannot be its own parent"
expect_code 65 crm-company update 3 --parent-id 99
err_has "parent_id: company 3: no company 99"
expect_code 65 crm-company add --name X --set parent=Nowhere
err_has "parent: no company 'Nowhere'"
printf 'id,name,parent_id\n1,Acme Group,2\n' >"$T/cyc.csv"
expect_code 65 crm-company import "$T/cyc.csv"
err_has "crm-company:$T/cyc.csv:2: parent_id: company 2 is below company 1"
expect_code 65 crm-company add --domain x.com
err_has "name: missing required field"
expect_code 65 crm-company add --name Y --domain 'not a domain'
err_has "domain: invalid domain 'not a domain'"
expect_code 65 crm-company add --name Y --employees many
err_has "employees: expected an integer"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused changes left the database unchanged"

# contacts link to companies; tree rolls them up
printf 'first_name,email,company\nAnn,ann@acme.com,ACME ROCKETS GMBH\nBob,bob@acme.com,\nCy,cy@gmail.com,\n' >"$T/c.csv"
expect_code 0 crm-contact import "$T/c.csv"
err_has "3 inserted, 0 updated, 0 unchanged, 0 rejected, 0 companies created"
expect_code 0 crm-company add --name 'Other Co' --ids
expect_code 0 crm-company tree -f csv
expect_out "tree as records: depth, path, own and group roll-ups" <<'X'
id,name,parent_id,depth,path,contacts,contacts_total,open_deals,open_deals_total,open_tickets,open_tickets_total
1,Acme Group,,0,1,1,2,0,0,0,0
2,Acme Rockets GmbH,1,1,1/2,1,1,0,0,0,0
3,"Acme Labs, Inc.",2,2,1/2/3,0,0,0,0,0,0
4,Other Co,,0,4,0,0,0,0,0,0
X
expect_code 0 crm-company tree 3 -f table
expect_out "tree of one group, indented" <<'X'
Acme Group (1)  contacts 1/2  open_deals 0/0  open_tickets 0/0
  Acme Rockets GmbH (2)  contacts 1/1  open_deals 0/0  open_tickets 0/0
    Acme Labs, Inc. (3)  contacts 0/0  open_deals 0/0  open_tickets 0/0
X
expect_code 0 crm-company tree 'Other Co' --ids
expect_out "tree --ids" <<<'4'
expect_code 66 crm-company tree 99
expect_code 64 crm-company tree --where name=x
err_has "tree takes company ids or names"

# the 360-degree view
expect_code 0 crm-activity log --type call --contact ann@acme.com --subject intro --at 2026-11-20T10:00:00Z -q --ids
expect_code 0 crm-activity log --type task --company 2 --subject quote --due 2026-11-25 --owner kim -q --ids
expect_code 0 crm-company show 2 -f table
expect_out "show on a terminal: the card" <<'X'
id                2
name              Acme Rockets GmbH
parent_id         1
last_activity_at  2026-11-22T09:30:00Z
created_at        2026-11-22T09:30:00Z
updated_at        2026-11-22T09:30:00Z

parent:
  1  Acme Group

subsidiaries:
  3  Acme Labs, Inc.

rollups:
  contacts  1
  open_deals  0
  open_tickets  0

contacts:
  1  Ann  ann@acme.com

recent_activities:
  2  2026-11-22T09:30:00Z  2026-11-25T00:00:00Z  task  quote  kim
  1  2026-11-20T10:00:00Z  call  intro

open_tasks:
  2  2026-11-22T09:30:00Z  2026-11-25T00:00:00Z  task  quote  kim
X
expect_code 0 crm-company show 2 -f json
sql "SELECT 1"
python3 - "$T/out" >"$T/keys" <<'P'
import json, sys
v = json.load(open(sys.argv[1]))
print(",".join(v.keys()))
print(v["company"]["name"], v["parent"]["name"], len(v["subsidiaries"]), v["rollups"]["contacts"], [c["id"] for c in v["contacts"]], [a["id"] for a in v["recent_activities"]], [t["id"] for t in v["open_tasks"]])
P
cat >"$T/want" <<'X'
company,parent,subsidiaries,rollups,contacts,recent_activities,open_tasks,leads,deals,tickets
Acme Rockets GmbH Acme Group 1 1 [1] [2, 1] [2]
X
compare "$T/want" "$T/keys" "show -f json: one nested object"

# update, tag, delete, undo, export
expect_code 0 crm-company update 4 --industry Mining
err_has "updated 1 company (change"
expect_code 0 crm-company tag add key 4
expect_code 0 crm-company delete 4
err_has "deleted 1 company (change 3; 'crm-company undo 3' reverts it)"
expect_code 0 crm-company list --ids
expect_out "deleted" <<'X'
1
2
3
X
expect_code 0 crm-company undo 3
expect_code 0 crm-company show 4 -f csv --fields id,industry,tags
expect_out "undo restores it" <<'X'
id,industry,tags
4,Mining,key
X
expect_code 0 crm-company export -f ndjson --fields id,name
expect_code 0 crm-company export -f csv
cp "$T/out" "$T/exp.csv"
CRM_DB="$T/fresh.db" expect_code 0 crm-company import "$T/exp.csv"
CRM_DB="$T/fresh.db" expect_code 0 crm-company export -f csv
compare "$T/exp.csv" "$T/out" "export, import, export is identical"
expect_code 64 crm-company show
expect_code 64 crm-company frob
done_testing
