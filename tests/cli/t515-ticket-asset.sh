#!/bin/bash
# A ticket names its asset: crm-ticket open --asset (id, serial or
# external id; an unknown one is 65 and writes nothing), update --set
# asset=KEY (links or names another), import's asset column; crm-ticket mail
# links the requester's asset whose serial number the subject or text
# names (whole token, case ignored; another customer's serial, or a
# serial inside a longer word, is not taken). show has it.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
export CRM_MAIL_FROM='Support <support@example.com>'
P=(--policies "$DATA/sla-test.json")
# sql_is DESC: $T/sql (the last sql query) is the text on stdin
sql_is() { cat >"$T/want"; compare "$T/want" "$T/sql" "$1"; }

expect_code 0 crm-company add -q --name 'ACME Inc.' --domain acme.example
printf 'first_name,last_name,email,company\nAnn,Lee,ann@acme.example,ACME Inc.\nCy,Ode,cy@acme.example,ACME Inc.\nBob,,bob@other.example,\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
cat >"$T/a.csv" <<'X'
external_id,serial,product,email,company
A-1,SN-1001,LaserJet 4,ann@acme.example,
A-2,SN-2002,Scanner,cy@acme.example,ACME Inc.
A-3,XY-77,Label printer,bob@other.example,
A-4,SN-10,Old printer,ann@acme.example,
X
expect_code 0 crm-asset import -q "$T/a.csv"

# open --asset by serial, by id, by external id
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'Paper jam' --contact ann@acme.example --asset SN-1001
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'Scanner dead' --contact cy@acme.example --asset 2
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'Labels' --contact bob@other.example --asset A-3
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'No asset' --contact bob@other.example
sql "SELECT ticket_id, asset_id FROM ticket_assets ORDER BY ticket_id"
sql_is "each ticket names the asset given, by serial, id or external id" <<'X'
1|1
2|2
3|3
X
expect_code 0 crm-ticket show 1 -f json
jq -c '.asset | {id, serial, product}' "$T/out" >"$T/j"
echo '{"id":1,"serial":"SN-1001","product":"LaserJet 4"}' >"$T/want"
compare "$T/want" "$T/j" "show has the asset"

# an unknown asset: 65 naming the field, nothing written
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-ticket open "${P[@]}" -q --subject 'Ghost' --contact ann@acme.example --asset SN-404
err_has "asset"
err_has "no asset 'SN-404'"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "nothing written"

# update --set asset: links, or names another asset
expect_code 0 crm-ticket update 4 -q --set asset=XY-77
expect_code 0 crm-ticket update 1 -q --set asset=A-4
sql "SELECT ticket_id, asset_id FROM ticket_assets ORDER BY ticket_id"
sql_is "update links ticket 4 and moves ticket 1 to asset 4" <<'X'
1|4
2|2
3|3
4|3
X
expect_code 65 crm-ticket update 2 -q --set asset=nope
sql "SELECT asset_id FROM ticket_assets WHERE ticket_id = 2"
sql_is "a failed update keeps the link" <<'X'
2
X
# import's asset column
printf 'subject,contact,asset\nFrom CSV,ann@acme.example,A-1\n' >"$T/t.csv"
expect_code 0 crm-ticket import "${P[@]}" -q "$T/t.csv"
sql "SELECT asset_id FROM ticket_assets WHERE ticket_id = 5"
sql_is "import links the asset column" <<'X'
1
X

# mail: "Serial SN-1001." in the text names Ann's printer
expect_code_in 0 "$DATA/mail/01-alternative.eml" crm-ticket mail "${P[@]}" -q
sql "SELECT asset_id FROM ticket_assets WHERE ticket_id = 6"
sql_is "the serial in the text names the asset" <<'X'
1
X
m() { printf 'From: %s\nTo: support@example.com\nSubject: %s\nMessage-ID: <%s@x.example>\n\n%s\n' "$@" >"$T/m.eml"; }
# Cy names the company's scanner in the subject, lower case
m 'Cy Ode <cy@acme.example>' 'scanner sn-2002 is broken' m1 'Help.'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q
# Ann names the company's scanner (Cy's, same company) and Bob's label printer
m 'Ann Lee <ann@acme.example>' 'Two things' m2 'The scanner SN-2002 and XY-77 too.'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q
# Ann names Bob's serial only, then a longer serial that contains SN-10
m 'Ann Lee <ann@acme.example>' 'Other' m3 'Is XY-77 yours?'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q
m 'Ann Lee <ann@acme.example>' 'Model SN-100X' m4 'And SN-10A.'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q
sql "SELECT t.id, ta.asset_id FROM tickets t LEFT JOIN ticket_assets ta ON ta.ticket_id = t.id WHERE t.id > 6 ORDER BY t.id"
sql_is "the company's asset counts; another customer's serial or a partial match does not" <<'X'
7|2
8|2
9|
10|
X
# a reply on a ticket does not change its asset
m 'Ann Lee <ann@acme.example>' 'Re: Other [#9]' m5 'Sorry, I meant SN-1001.'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q
sql "SELECT count(*) FROM ticket_assets WHERE ticket_id = 9"
sql_is "a reply links nothing" <<'X'
0
X
# a dry run links nothing
m 'Ann Lee <ann@acme.example>' 'SN-1001 again' m6 'x'
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" -q -n
sql "SELECT count(*) FROM ticket_assets"
sql_is "dry run: nothing linked" <<'X'
8
X
done_testing
