#!/bin/bash
# crm-campaign: the entity verbs (add, import, list, show, update, tag,
# delete, export, undo), type and status checks, parents by name, parent
# cycles refused (database unchanged), and tree with roll-ups of members,
# responses, budget and cost (never summed across currencies).
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T10:00:00Z

expect_code 0 crm-campaign add -q --set name='Spring 2026' --set type=email --set budget=1000 --set currency=EUR --set start_date=2026-03-01 --set end_date=2026-05-31
expect_code 0 crm-campaign add -q --set name='Spring webinar' --set type=webinar --set parent='Spring 2026' --set budget=250.5 --set actual_cost=100 --set currency=EUR --set channel=web --set tier=gold
cat >"$T/c.csv" <<'X'
Campaign Name,Campaign Type,Parent Campaign,Budget,Actual Cost,currency
Trade fair Tokyo,trade_show,Spring 2026,,5000,JPY
Spring ads,ads,Spring 2026,300,120.25,EUR
X
expect_code 0 crm-campaign import -q "$T/c.csv"
expect_code 0 crm-campaign list -f csv --fields id,name,type,parent_id,status,budget,actual_cost,currency,tier
expect_out "four campaigns, the children linked by the parent's name; planned by default" <<'X'
id,name,type,parent_id,status,budget,actual_cost,currency,tier
1,Spring 2026,email,,planned,1000.00,,EUR,
2,Spring webinar,webinar,1,planned,250.50,100.00,EUR,gold
3,Trade fair Tokyo,trade_show,1,planned,,5000,JPY,
4,Spring ads,ads,1,planned,300.00,120.25,EUR,
X
expect_code 0 crm-campaign show 'Spring webinar' -f csv --fields id,channel
expect_out "show by name" <<'X'
id,channel
2,web
X

# refused: an unknown type, end before start, a cycle, an unknown parent
db_dump "" "$T/before"
expect_code 65 crm-campaign add --set name=Radio --set type=radio
err_has "type: unknown value 'radio'"
expect_code 65 crm-campaign add --set name=Late --set start_date=2026-05-01 --set end_date=2026-04-01
err_has "end_date 2026-04-01 is before start_date 2026-05-01"
expect_code 65 crm-campaign update 1 --set parent_id=2
err_has "campaign 2 is below campaign 1: that would make a cycle"
expect_code 65 crm-campaign update 2 --set parent_id=2
err_has "a campaign cannot be its own parent"
expect_code 65 crm-campaign add --set name=Orphan --set parent=Nowhere
err_has "no campaign 'Nowhere'"
expect_code 65 crm-campaign add --set type=email
db_dump "" "$T/after"
compare "$T/before" "$T/after" "refused writes change nothing"

# members for the roll-ups: 2 in the webinar (one attended), 1 in ads
printf 'first_name,email\nAnn,ann@example.com\nBob,bob@example.com\nCy,cy@example.org\n' >"$T/p.csv"
expect_code 0 crm-contact import -q "$T/p.csv"
expect_code 0 crm-campaign members add -q 'Spring webinar' 1 2 --status invited
expect_code 0 crm-campaign members status -q 2 1 --status attended
expect_code 0 crm-campaign members add -q 4 3
expect_code 0 crm-campaign tree -f csv
expect_out "tree: own and total members and responses; EUR and JPY never summed" <<'X'
id,name,parent_id,depth,path,type,status,members,members_total,responses,responses_total,budget,actual_cost,currency,budget_total,actual_cost_total,total_currency
1,Spring 2026,,0,1,email,planned,0,3,0,1,1000.00,0.00,EUR,,,mixed
4,Spring ads,1,1,1/4,ads,planned,1,1,0,0,300.00,120.25,EUR,300.00,120.25,EUR
2,Spring webinar,1,1,1/2,webinar,planned,2,2,1,1,250.50,100.00,EUR,250.50,100.00,EUR
3,Trade fair Tokyo,1,1,1/3,trade_show,planned,0,0,0,0,0,5000,JPY,0,5000,JPY
X
# without the yen campaign the group sums: 1000 + 250.50 + 300 budget
expect_code 0 crm-campaign delete -q 3
expect_code 0 crm-campaign tree 4 -f table
expect_out "tree of a child shows its whole group, indented, summed in EUR" <<'X'
Spring 2026 (1)  members 0/3  responses 0/1  budget 1550.50 EUR  cost 220.25 EUR
  Spring ads (4)  members 1/1  responses 0/0  budget 300.00 EUR  cost 120.25 EUR
  Spring webinar (2)  members 2/2  responses 1/1  budget 250.50 EUR  cost 100.00 EUR
X
expect_code 66 crm-campaign tree 99
expect_code 64 crm-campaign tree --where 'type = email'

# tag, update, undo, export round trip
expect_code 0 crm-campaign tag -q add q2 1 2
expect_code 0 crm-campaign update -q --where 'type = webinar' --set status=active
expect_code 0 crm-campaign list -f csv --fields id,status,tags
expect_out "tagged and updated" <<'X'
id,status,tags
1,planned,q2
2,active,q2
4,planned,
X
sql "SELECT max(id) FROM crm_changes"
change=$(cat "$T/sql")
expect_code 0 crm-campaign undo -q "$change"
expect_code 0 crm-campaign list -f csv --fields id,status
expect_out "undo reverts the status" <<'X'
id,status
1,planned
2,planned
4,planned
X
expect_code 0 crm-campaign export -f ndjson
cp "$T/out" "$T/export.ndjson"
expect_code 0 crm-campaign import -f ndjson "$T/export.ndjson"
err_has "0 inserted, 0 updated, 3 unchanged"
done_testing
