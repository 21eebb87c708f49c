#!/bin/bash
# crm-contact: reporting lines (reports_to_id) inside a company or group,
# cycles and strangers refused with nothing written, and the org chart.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T09:00:00Z

expect_code 0 crm-company add --name 'Acme Group' --ids
expect_code 0 crm-company add --name 'Acme Labs' --set parent='Acme Group' --ids
expect_code 0 crm-company add --name 'Other Co' --ids
cat >"$T/c.csv" <<'X'
first_name,last_name,email,company,title,reports_to
Ann,Boss,ann@acme.com,Acme Group,CEO,
Bob,Mid,bob@acme.com,Acme Group,CFO,ann@acme.com
Cy,Low,cy@acme.com,Acme Labs,Lab lead,bob@acme.com
Dee,Adams,dee@acme.com,Acme Group,Controller,bob@acme.com
Al,Zed,al@acme.com,Acme Group,Buyer,bob@acme.com
Ed,Out,ed@other.com,Other Co,,
X
expect_code 0 crm-contact import "$T/c.csv"
err_has "6 inserted"
expect_code 0 crm-contact list -f csv --fields id,company_id,reports_to_id
expect_out "reports_to by email becomes reports_to_id; across the group too" <<'X'
id,company_id,reports_to_id
1,1,
2,1,1
3,2,2
4,1,2
5,1,2
6,3,
X

# refused: a cycle at any distance, oneself, a stranger, a missing contact
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-contact update 1 --reports-to-id 4
err_has "reports_to_id: contact 1: contact 4 reports to contact 1: that would make a cycle"
expect_code 65 crm-contact update 2 --set reports_to=dee@acme.com
err_has "contact 4 reports to contact 2: that would make a cycle"
expect_code 65 crm-contact update 1 --reports-to-id 1
err_has "a contact cannot report to itself"
expect_code 65 crm-contact update 6 --set reports_to=ann@acme.com
err_has "reports_to_id: contact 6: contact 1 works at another company and group"
expect_code 65 crm-contact update 1 --reports-to-id 99
err_has "no contact 99"
expect_code 65 crm-contact add --first-name X --set reports_to=nobody@acme.com
err_has "reports_to: no contact 'nobody@acme.com'"
printf 'id,reports_to_id\n3,5\n1,3\n' >"$T/cyc.csv"
expect_code 65 crm-contact import "$T/cyc.csv"
err_has "crm-contact:$T/cyc.csv:3: reports_to_id: contact 3 reports to contact 1: that would make a cycle"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused reporting lines left the database unchanged"

# moving to another group breaks the line: refused too
expect_code 65 crm-contact update 2 --company 'Other Co'
err_has "works at another company and group"

# the org chart: depth first, reports by name
expect_code 0 crm-contact tree 'Acme Group' -f table
expect_out "org chart on a terminal" <<'X'
Acme Group (1)
  Ann Boss (1), CEO
    Bob Mid (2), CFO
      Al Zed (5), Buyer
      Dee Adams (4), Controller
X
expect_code 0 crm-contact tree 1 2 -f csv
expect_out "records: depth and path; a manager at the parent company kept" <<'X'
company_id,id,name,title,email,reports_to_id,depth,path,owner,last_activity_at
1,1,Ann Boss,CEO,ann@acme.com,,0,1,,
1,2,Bob Mid,CFO,bob@acme.com,1,1,1/2,,
1,5,Al Zed,Buyer,al@acme.com,2,2,1/2/5,,
1,4,Dee Adams,Controller,dee@acme.com,2,2,1/2/4,,
2,3,Cy Low,Lab lead,cy@acme.com,2,0,3,,
X
expect_code 0 crm-contact tree 'Other Co' -f json
expect_out "JSON" <<'X'
[
{"company_id":3,"id":6,"name":"Ed Out","title":null,"email":"ed@other.com","reports_to_id":null,"depth":0,"path":"6","owner":null,"last_activity_at":null}
]
X
expect_code 0 crm-contact tree 'Acme Group' --ids
expect_out "--ids" <<'X'
1
2
5
4
X

# a deleted manager leaves a root; undo brings the line back
expect_code 0 crm-contact delete 2
c=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
expect_code 0 crm-contact tree 1 -f csv --quiet
expect_out "reports of a deleted manager become roots" <<'X'
company_id,id,name,title,email,reports_to_id,depth,path,owner,last_activity_at
1,5,Al Zed,Buyer,al@acme.com,2,0,5,,
1,1,Ann Boss,CEO,ann@acme.com,,0,1,,
1,4,Dee Adams,Controller,dee@acme.com,2,0,4,,
X
expect_code 0 crm-contact undo "$c"
expect_code 0 crm-contact tree 1 --ids
expect_out "undo restores the chart" <<'X'
1
2
5
4
X
# an export imports back unchanged, reporting lines and all
expect_code 0 crm-contact export -f csv
cp "$T/out" "$T/export.csv"
expect_code 0 crm-contact import "$T/export.csv"
err_has "0 inserted, 0 updated, 6 unchanged"

expect_code 64 crm-contact tree
err_has "tree needs a company"
expect_code 66 crm-contact tree 'Nope Corp'
expect_code 64 crm-contact tree 1 --where name=x
done_testing
