#!/bin/bash
# crm-lead convert: one transaction making or linking the contact (by
# email, then phone) and company (by email domain, then name), filling
# only empty fields, custom fields carried over by name, an activity,
# the ids on the lead; twice is an error; a failure leaves nothing.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --name 'Acme Group' --domain acme.example
expect_code 0 crm-contact add -q --first-name Annie --email ann@acme.example --set Budget=100
cat >"$T/l.csv" <<'X'
external_id,first_name,last_name,email,phone,company,title,industry,country,owner,Budget,city
l1,Ann,Lee,ann@acme.example,+1 415 555 0101,Acme Inc,CTO,Software,US,kim,5000,Boston
l2,Bo,Chen,bo@newco.example,,NewCo,,Retail,DE,,,
l3,Cy,Diaz,cy@gmail.com,,,,,,,,
X
expect_code 0 crm-lead import -q --on-duplicate=allow "$T/l.csv"
expect_code 0 crm-lead convert 1 2 3 -f csv
expect_out "linked and created contacts and companies" <<'X'
lead_id,contact_id,contact,company_id,company,activity_id,deal_id
1,1,linked,1,linked,1,
2,2,created,2,created,2,
3,3,created,,,3,
X
err_has "converted 3 leads (change"
expect_code 0 crm-contact export -f csv --fields id,first_name,last_name,email,phone,company,company_id,title,city,country,owner,Budget
expect_out "empty fields filled, filled ones kept; custom fields by name" <<'X'
id,first_name,last_name,email,phone,company,company_id,title,city,country,owner,Budget
1,Annie,Lee,ann@acme.example,+1 415 555 0101,Acme Inc,1,CTO,Boston,US,kim,100
2,Bo,Chen,bo@newco.example,,NewCo,2,,,DE,,
3,Cy,Diaz,cy@gmail.com,,,,,,,,
X
expect_code 0 crm-company export -f csv --fields id,name,domain,industry,country,owner
expect_out "company by domain (industry filled), and a new one" <<'X'
id,name,domain,industry,country,owner
1,Acme Group,acme.example,Software,US,kim
2,NewCo,newco.example,Retail,DE,
X
expect_code 0 crm-lead list -f csv --fields id,status,contact_id,company_id,deal_id,converted_at,last_activity_at
expect_out "the lead records what it became" <<'X'
id,status,contact_id,company_id,deal_id,converted_at,last_activity_at
1,converted,1,1,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z
2,converted,2,2,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z
3,converted,3,,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z
X
expect_code 0 crm-activity list -f csv --fields id,type,subject,owner,contact_id,company_id,lead_id
expect_out "a conversion activity each" <<'X'
id,type,subject,owner,contact_id,company_id,lead_id
1,conversion,lead 1 converted,kim,1,1,1
2,conversion,lead 2 converted,,2,2,2
3,conversion,lead 3 converted,,3,,3
X
expect_code 0 crm-contact show 1 -f json
check "the contact's 360-degree view lists its lead" grep -qF '"leads":[{"id":1,' "$T/out"

# twice is an error, and changes nothing
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-lead convert 1
err_has "crm-lead: lead 1: already converted at 2026-11-22T09:30:00Z (contact 1)"
expect_code 66 crm-lead convert 99
err_has "crm-lead: no lead '99'"
# atomicity: lead 5 converts fine, lead 4 fails half way (its company is
# made, then its contact is refused): nothing of either stays
printf 'external_id,first_name,email,company,lifecycle_stage\nl4,Dan,dan@failco.example,FailCo,whale\nl5,Eve,eve@fine.example,Fine,\n' >"$T/bad.csv"
expect_code 0 crm-lead import -q "$T/bad.csv"
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-lead convert 5 4
err_has "crm-lead: lead 4: lifecycle_stage: unknown value 'whale'"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a failed conversion leaves nothing"
expect_code 0 crm-lead convert --dry-run 5 -f csv
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "--dry-run leaves nothing"

# undo: created records go, linked ones get their fields back
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/c0"
expect_code 0 crm-company export -f csv; cp "$T/out" "$T/p0"
expect_code 0 crm-lead export -f csv --fields id,status,contact_id; cp "$T/out" "$T/l0"
expect_code 0 crm-lead convert 5
sed -n 's/.*change \([0-9]*\).*/\1/p' "$T/err" >"$T/change"
expect_code 0 crm-lead undo "$(cat "$T/change")"
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/c1"
expect_code 0 crm-company export -f csv; cp "$T/out" "$T/p1"
expect_code 0 crm-lead export -f csv --fields id,status,contact_id; cp "$T/out" "$T/l1"
compare "$T/c0" "$T/c1" "undo of convert: contacts as before"
compare "$T/p0" "$T/p1" "undo of convert: companies as before"
compare "$T/l0" "$T/l1" "undo of convert: the lead open again"
done_testing
