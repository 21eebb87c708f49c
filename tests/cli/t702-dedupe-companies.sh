#!/bin/bash
# crm-dedupe companies and merge companies: names without legal forms and
# in any word order, domains; links from contacts, deals and activities
# re-pointed; the parent hierarchy kept acyclic; undo to a byte-identical
# export; an undo refused when a merged-away id was given to a new company.
. "$(dirname "$0")/../lib.sh"

cat >"$T/co.csv" <<'X'
external_id,name,domain,country,annual_revenue,currency,created_at,updated_at
c1,Acme Holdings Inc,acme.com,US,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
c2,ACME Holdings,https://www.acme.com/about,US,5000.00,USD,2025-02-01T00:00:00Z,2025-05-01T00:00:00Z
c3,Globex GmbH,globex.de,DE,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
c4,Globex,globex.de,DE,,,2025-03-01T00:00:00Z,2025-03-01T00:00:00Z
c5,Initech LLC,initech.com,US,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
c6,Umbrella Corp,umbrella.com,GB,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
c7,Holdings Acme,,US,100.00,EUR,2025-04-01T00:00:00Z,2025-04-01T00:00:00Z
X
# by external_id only: the import itself would match names and domains
expect_code 0 crm-company import -q --key external_id "$T/co.csv"
# a hierarchy: 5 under 2; 3 under 6 under 4 (merging 3 and 4 would make
# 6 its own grandparent)
CRM_NOW=2025-01-02T00:00:00Z expect_code 0 crm-company update 5 -q --set parent_id=2
CRM_NOW=2025-01-02T00:00:00Z expect_code 0 crm-company update 3 -q --set parent_id=6
CRM_NOW=2025-01-02T00:00:00Z expect_code 0 crm-company update 6 -q --set parent_id=4

expect_code 1 crm-dedupe companies --check -f csv
cut -d, -f1,2,4,5 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
cluster,id,name,domain
1,1,Acme Holdings Inc,acme.com
1,2,ACME Holdings,acme.com
1,7,Holdings Acme,
3,3,Globex GmbH,globex.de
3,4,Globex,globex.de
X
compare "$T/want" "$T/got" "companies: legal forms, case, word order and URL forms do not count"
err_has "7 companies"
expect_code 0 crm-dedupe companies --pairs -f csv
cut -d, -f1,2,4- "$T/out" >"$T/got"
cat >"$T/want" <<'X'
id,other_id,name,domain,region,country
1,2,exact,exact,,exact
1,7,exact,,,exact
2,7,exact,,,exact
3,4,exact,exact,,exact
X
compare "$T/want" "$T/got" "--pairs: name, domain and country agreement"
expect_code 0 crm-dedupe companies -w country=GB --check

# links to companies from contacts, deals and activities
printf 'first_name,email,company_id\nAnn,ann@acme.com,2\nBob,bob@globex.de,4\n' >"$T/ct.csv"
expect_code 0 crm-contact import -q "$T/ct.csv"
expect_code 0 crm-pipeline add -q --name 'Big deal' --set company_id=7 --amount 100 --currency EUR
expect_code 0 crm-activity log -q --type call --contact bob@globex.de --subject hello
expect_code 0 crm-company export -f csv; cp "$T/out" "$T/before.csv"
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/contacts.before"
sql "SELECT id, company_id FROM deals; SELECT id, contact_id, company_id FROM activities"
cp "$T/sql" "$T/links.before"

expect_code 0 crm-dedupe merge companies -f csv
cat >"$T/want" <<'X'
merge,merged,id,external_id,name,domain,industry,employees,annual_revenue,currency,region,country,parent_id,owner,tags,last_activity_at,tier,created_at,updated_at
1,"2,7",1,c1,ACME Holdings,acme.com,,,5000.00,USD,,US,,,,,,2025-01-01T00:00:00Z,2026-11-22T09:30:00Z
2,4,3,c3,Globex,globex.de,,,,,,DE,,,,2026-11-22T09:30:00Z,,2025-01-01T00:00:00Z,2026-11-22T09:30:00Z
X
compare "$T/want" "$T/out" "merge companies: the oldest survives, newest name, money with its own currency, latest activity (4 had the call)"
err_has "2 merges, 3 companies merged away"
expect_code 0 crm-company list -f csv --fields id,parent_id
expect_out "parents: 5 follows 2 to 1; 3 takes no parent that would be a cycle" <<'X'
id,parent_id
1,
3,
5,1
6,3
X
sql "SELECT id, company_id FROM contacts ORDER BY id; SELECT id, company_id FROM deals; SELECT company_id FROM activities"
printf '1|1\n2|3\n1|1\n3\n' >"$T/want"
compare "$T/want" "$T/sql" "contacts, deals and activities re-pointed to the survivors"
sql "PRAGMA foreign_key_check"
check "no dangling foreign key" [ ! -s "$T/sql" ]

expect_code 0 crm-dedupe undo 2
expect_code 0 crm-dedupe undo 1
err_has "undid merge 1: 3 records restored"
expect_code 0 crm-company export -f csv; cp "$T/out" "$T/after.csv"
compare "$T/before.csv" "$T/after.csv" "undo: the companies export is byte-identical (parents too)"
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/contacts.after"
compare "$T/contacts.before" "$T/contacts.after" "undo: contacts point to their companies again"
sql "SELECT id, company_id FROM deals; SELECT id, contact_id, company_id FROM activities"
compare "$T/links.before" "$T/sql" "undo: deals and activities too"

# a merged-away id is never given to a new company (ids are never
# reused): undo restores the merged-away company under its id
printf 'cluster,id\n6,6\n6,7\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge companies --stdin -q -f csv
expect_code 0 crm-company add -q --name Newco
expect_code 0 crm-company list --ids -w name=Newco
expect_out "a new company gets a new id, not the merged-away one" <<'X'
8
X
expect_code 0 crm-dedupe undo 3
expect_code 0 crm-company list --ids -w id=7
expect_out "undo restores the merged-away company under its id" <<'X'
7
X

expect_code 64 crm-dedupe merge nosuch
err_has "merge: unknown NOUN 'nosuch'"
expect_code 64 crm-dedupe merge companies contacts
err_has "merge takes at most one NOUN"
done_testing
