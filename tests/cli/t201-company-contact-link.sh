#!/bin/bash
# Contacts link to companies on import and add: by normalized company name
# (legal forms, case, accents, CJK suffixes), else by email domain; a
# missing company is created and counted in the summary.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add --name 'Société Générale S.A.' --domain sg.example -q
expect_code 0 crm-company add --name '株式会社トヨタ' -q
cat >"$T/c.csv" <<'X'
first_name,email,company
Ann,ann@x.example,societe generale
Bob,bob@y.example,SOCIÉTÉ GÉNÉRALE SA
Cy,cy@z.example,トヨタ
Di,di@sg.example,
Ed,ed@sg.example,SG Group
Fay,fay@newco.example,NewCo Ltd
Gus,gus@newco.example,
Hal,hal@gmail.com,Hal's Plumbing LLC
Ivy,ivy@gmail.com,HAL'S PLUMBING
Jo,jo@nowhere.example,
X
expect_code 0 crm-contact import "$T/c.csv"
err_has "crm-contact: 10 inserted, 0 updated, 0 unchanged, 0 rejected, 2 companies created"
expect_code 0 crm-contact list -f csv --fields first_name,company,company_id
expect_out "links by name variant, by domain, created once" <<'X'
first_name,company,company_id
Ann,societe generale,1
Bob,SOCIÉTÉ GÉNÉRALE SA,1
Cy,トヨタ,2
Di,,1
Ed,SG Group,1
Fay,NewCo Ltd,3
Gus,,3
Hal,Hal's Plumbing LLC,4
Ivy,HAL'S PLUMBING,4
Jo,,
X
expect_code 0 crm-company list -f csv --fields id,name,domain
expect_out "created companies take the email domain, never a free-mail one" <<'X'
id,name,domain
1,Société Générale S.A.,sg.example
2,株式会社トヨタ,
3,NewCo Ltd,newco.example
4,Hal's Plumbing LLC,
X

# add --company, --dry-run creates nothing
expect_code 0 crm-contact add --first-name Kim --company 'Brand New GmbH' -n -q
expect_code 0 crm-company list --ids
expect_out "dry run created no company" <<'X'
1
2
3
4
X
expect_code 0 crm-contact add --first-name Kim --company 'Brand New GmbH' -f csv --fields company_id
expect_out "add --company creates and links" <<'X'
company_id
5
X
# changing the company text relinks; clearing it unlinks
expect_code 0 crm-contact update 1 --company 'NEWCO'
expect_code 0 crm-contact update 2 --company ''
expect_code 0 crm-contact list 1 2 -f csv --fields id,company,company_id
expect_out "update relinks and unlinks" <<'X'
id,company,company_id
1,NEWCO,3
2,,
X
# an explicit company_id must exist
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-contact add --first-name Lu --company-id 99
err_has "company_id: no company 99"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a link to a missing company changes nothing"
# deleting a company unlinks its contacts
expect_code 0 crm-company delete 5 -q
expect_code 0 crm-contact list --where first_name=Kim -f csv --fields company,company_id
expect_out "contact keeps its company text, loses the link" <<'X'
company,company_id
Brand New GmbH,
X
done_testing
