#!/bin/bash
# crm-lead convert --deal-name/--amount opens a deal in the same
# transaction, linked to the lead, its contact and its company.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-lead add --first-name Ann --email ann@acme.io --company Acme --owner kim --source web --ids
expect_code 0 crm-lead add --first-name Bo --last-name Li --email bo@beta.io --ids
expect_code 0 crm-lead add --first-name Cy --email cy@gamma.io --ids
expect_code 0 crm-lead convert 1 --amount 1200 --currency EUR --expected-close 2027-01-31 -f csv
expect_out "convert prints the deal it opened" <<'X'
lead_id,contact_id,contact,company_id,company,activity_id,deal_id
1,1,created,1,created,1,1
X
expect_code 0 crm-pipeline list -f csv --fields id,name,company_id,contact_id,lead_id,pipeline,stage,amount,currency,expected_close,owner,source,status
expect_out "the deal: named after the company, linked, first stage, the lead's owner and source" <<'X'
id,name,company_id,contact_id,lead_id,pipeline,stage,amount,currency,expected_close,owner,source,status
1,Acme,1,1,1,default,prospecting,1200.00,EUR,2027-01-31,kim,web,open
X
expect_code 0 crm-lead show 1 -f csv --fields status,contact_id,company_id,deal_id
expect_out "the lead records the deal it converted into" <<'X'
status,contact_id,company_id,deal_id
converted,1,1,1
X
expect_code 0 crm-lead convert 2 --deal-name 'Beta pilot' --stage proposal --amount 300 --currency USD --ids
expect_code 0 crm-pipeline show 'Beta pilot' -f csv --fields name,stage,probability,amount,currency,lead_id
expect_out "a named deal in a given stage takes that stage's probability" <<'X'
name,stage,probability,amount,currency,lead_id
Beta pilot,proposal,60,300.00,USD,2
X
# a bad deal fails the whole conversion: nothing is written
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-lead convert 3 --amount 12.345 --currency EUR
err_has "lead 3: amount: "
expect_code 65 crm-lead convert 3 --amount 10 --currency EUR --stage nowhere
err_has "lead 3: stage: "
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a failed deal leaves no contact, company, activity or deal"
# undo of a conversion removes its deal too
expect_code 0 crm-lead undo 1
expect_code 0 crm-pipeline list --ids
expect_out "undo of the conversion removed its deal" <<<'2'
expect_code 0 crm-lead show 1 -f csv --fields status,deal_id
expect_out "undo restored the lead" <<'X'
status,deal_id
new,
X
done_testing
