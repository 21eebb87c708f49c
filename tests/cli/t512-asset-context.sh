#!/bin/bash
# crm-asset: assets from won deals and by import, warranty status, a
# ticket naming its asset; the ticket's view (show -f json and the
# terminal card) with the customer context: requester, company, recent
# purchases, assets, the other tickets, attachments, and the top
# published articles crm-kb suggests.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
P=(--policies "$DATA/sla-test.json")

expect_code 0 crm-company add -q --name 'ACME Inc.' --domain acme.example
printf 'first_name,last_name,email\nAnn,Lee,ann@acme.example\nBob,,bob@other.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
cat >"$T/d.csv" <<'X'
name,contact,amount,currency,status,closed_at
LaserJet 4,ann@acme.example,1200.00,EUR,won,2025-03-01T10:00:00Z
Toner pack,ann@acme.example,80.50,EUR,won,2026-10-01T10:00:00Z
Upgrade,ann@acme.example,5000,EUR,open,
Scanner X,bob@other.example,300,EUR,won,2026-01-05T10:00:00Z
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-asset from-deals
err_has "3 assets made from won deals"
expect_code 0 crm-asset from-deals
err_has "0 assets made from won deals"
expect_code 0 crm-asset update 1 --set serial=SN-1001 --set warranty_end=2027-03-01 --set location='Room 4'
expect_code 0 crm-asset update 2 --set warranty_end=2026-10-31
cat >"$T/a.csv" <<'X'
Serial Number,Product,email,Purchase Date,Warranty End
SN-3001,Label printer,ann@acme.example,2026-11-01,
X
expect_code 0 crm-asset import "$T/a.csv"
expect_code 0 crm-asset list -f csv --fields id,serial,product,contact_id,company_id,deal_id,purchased_on,warranty_end
expect_out "assets from won deals (not the open one) and by import, vendor headers mapped" <<'X'
id,serial,product,contact_id,company_id,deal_id,purchased_on,warranty_end
1,SN-1001,LaserJet 4,1,1,1,2025-03-01,2027-03-01
2,,Toner pack,1,1,2,2026-10-01,2026-10-31
3,,Scanner X,2,,4,2026-01-05,
4,SN-3001,Label printer,1,1,,2026-11-01,
X
printf 'serial,email\nSN-9,ann@acme.example\n' >"$T/bad.csv"
expect_code 65 crm-asset import "$T/bad.csv"
err_has "product"

# the knowledge base: a published article about smoking printers, the
# same as a draft (never suggested), and one about invoices
expect_code 0 crm-kb add -q --title 'Printer smoking or smells burnt' --body 'Switch the printer off at once and unplug it. A smoking printer needs a technician.' --category hardware --status published
expect_code 0 crm-kb add -q --title 'Printer smoking (draft)' --body 'printer smoking again' --status draft
expect_code 0 crm-kb add -q --title 'Download an invoice' --body 'Invoices are under Billing.' --category billing --status published

# Ann's tickets: one solved last week, one by mail now naming SN-1001
CRM_NOW=2026-11-16T09:00:00Z expect_code 0 crm-ticket open "${P[@]}" -q --subject 'Toner empty' --contact ann@acme.example
CRM_NOW=2026-11-16T10:00:00Z expect_code 0 crm-ticket solve "${P[@]}" 1
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'Scanner jams' --contact bob@other.example
sed 's/^Subject: RE: Printer on fire \[#1\]$/Subject: Printer on fire again/' "$DATA/mail/03-outlook-reply.eml" >"$T/o.eml"
expect_code_in 0 "$T/o.eml" crm-ticket mail "${P[@]}" -q
expect_code 0 crm-asset link SN-1001 3
err_has "ticket 3 names asset 'SN-1001'"
expect_code 0 crm-ticket show 3 -f json
jq -c 'del(.ticket, .thread, .history)' "$T/out" >"$T/j"
cat >"$T/want" <<'X'
{"requester":{"id":1,"first_name":"Ann","last_name":"Lee","email":"ann@acme.example","phone":null},"company":{"id":1,"name":"ACME Inc.","domain":"acme.example"},"purchases":[{"id":2,"name":"Toner pack","amount":"80.50","currency":"EUR","closed_at":"2026-10-01T10:00:00Z"},{"id":1,"name":"LaserJet 4","amount":"1200.00","currency":"EUR","closed_at":"2025-03-01T10:00:00Z"}],"assets":[{"id":1,"serial":"SN-1001","product":"LaserJet 4","purchased_on":"2025-03-01","warranty_end":"2027-03-01","contract":null,"location":"Room 4","warranty":"active"},{"id":2,"serial":null,"product":"Toner pack","purchased_on":"2026-10-01","warranty_end":"2026-10-31","contract":null,"location":null,"warranty":"expired"},{"id":4,"serial":"SN-3001","product":"Label printer","purchased_on":"2026-11-01","warranty_end":null,"contract":null,"location":null,"warranty":null}],"asset":{"id":1,"serial":"SN-1001","product":"LaserJet 4","purchased_on":"2025-03-01","warranty_end":"2027-03-01","contract":null,"location":"Room 4","warranty":"active"},"tickets":[{"id":1,"subject":"Toner empty","status":"solved","created_at":"2026-11-16T09:00:00Z"}],"attachments":[{"filename":"printer.png","content_type":"image/png","size":68,"kept":true}],"articles":[{"id":1,"title":"Printer smoking or smells burnt","category":"hardware"}]}
X
compare "$T/want" "$T/j" "show -f json: the customer context in one record"
jq -r '.ticket.subject' "$T/out" >"$T/j"
echo 'Printer on fire again' >"$T/want"
compare "$T/want" "$T/j" "an untagged message opens a new ticket"
expect_code 0 crm-ticket show 3 -f table
sed -n '/^customer:/,$p' "$T/out" >"$T/card"
cat >"$T/want" <<'X'
customer:
  Ann Lee <ann@acme.example>
  ACME Inc.  acme.example

purchases:
  2026-10-01T10:00:00Z  80.50 EUR  Toner pack
  2025-03-01T10:00:00Z  1200.00 EUR  LaserJet 4

assets:
 * SN-1001  LaserJet 4  warranty active to 2027-03-01
   -  Toner pack  warranty expired to 2026-10-31
   SN-3001  Label printer  warranty unknown

other tickets:
  #1  solved   2026-11-16T09:00:00Z  Toner empty

suggested articles:
  #1  Printer smoking or smells burnt

attachments:
  printer.png  image/png  68 bytes
X
head -n "$(wc -l <"$T/want")" "$T/card" >"$T/card2"
compare "$T/want" "$T/card2" "the terminal card shows the context"

# a ticket with no contact has an empty context
expect_code 0 crm-ticket open "${P[@]}" -q --subject 'walk-in'
expect_code 0 crm-ticket show 4 -f json
jq -c 'del(.ticket, .thread, .history)' "$T/out" >"$T/j"
echo '{"requester":null,"company":null,"purchases":[],"assets":[],"asset":null,"tickets":[],"attachments":[],"articles":[]}' >"$T/want"
compare "$T/want" "$T/j" "no contact: no context"

db_dump "" "$T/before"
expect_code 66 crm-asset link SN-404 3
err_has "no asset 'SN-404'"
expect_code 66 crm-asset link SN-1001 99
expect_code 64 crm-asset link SN-1001
expect_code 64 crm-asset link SN-1001 x
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed links write nothing"
done_testing
