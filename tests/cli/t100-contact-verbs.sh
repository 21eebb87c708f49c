#!/bin/bash
# crm-contact: every verb on a small database, output checked by hand.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Ann --last-name Lee --email Ann@Example.COM --phone '+1 (415) 555-2671' --owner kim --ids
expect_out "add prints the new id with --ids" <<<'1'
expect_code 0 crm-contact add --set first_name=Bob --set email=bob@acme.io --set 'Shoe Size=44' -f csv
expect_out "add prints the record; domain lower-cased, custom field kept" <<'X'
id,external_id,first_name,last_name,email,phone,company,company_id,title,reports_to_id,city,region,country,source,owner,tags,lifecycle_stage,last_activity_at,created_at,updated_at,Shoe Size
2,,Bob,,bob@acme.io,,,,,,,,,,,,,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z,44
X
expect_code 0 crm-contact list -f csv --fields id,email,phone
expect_out "list with --fields" <<'X'
id,email,phone
1,Ann@example.com,+1 (415) 555-2671
2,bob@acme.io,
X
expect_code 0 crm-contact show ann@example.com -f json
expect_out "show by email (any case): the 360-degree view as one JSON object" <<'X'
{"contact":{"id":1,"external_id":null,"first_name":"Ann","last_name":"Lee","email":"Ann@example.com","phone":"+1 (415) 555-2671","company":null,"company_id":null,"title":null,"reports_to_id":null,"city":null,"region":null,"country":null,"source":null,"owner":"kim","tags":null,"lifecycle_stage":null,"last_activity_at":null,"created_at":"2026-11-22T09:30:00Z","updated_at":"2026-11-22T09:30:00Z"},"company":null,"parent":null,"recent_activities":[],"open_tasks":[],"leads":[],"deals":[],"tickets":[]}
X
expect_code 66 crm-contact show nobody@example.com
err_has "crm-contact: no contact 'nobody@example.com'"
# by phone, written another way than it was stored
expect_code 0 crm-contact show '+1 415-555-2671' -f csv --fields id,phone
expect_out "show by phone in any notation" <<'X'
id,phone
1,+1 (415) 555-2671
X
expect_code 66 crm-contact show '+1 415-555-2672'
err_has "crm-contact: no contact '+1 415-555-2672'"

CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-contact update 1 --set title=CTO --city Lisbon
err_has "updated 1 contact (change 1;"
expect_code 0 crm-contact list -f tsv --fields id,title,city,updated_at
expect_out "update changed fields and updated_at only on the record" <<'X'
id	title	city	updated_at
1	CTO	Lisbon	2026-11-23T10:00:00Z
2			2026-11-22T09:30:00Z
X
expect_code 0 crm-contact update --where 'email~acme' --set owner=lou
err_has "updated 1 contact"
expect_code 0 crm-contact list --where owner=lou --ids
expect_out "--where selects the updated record" <<<'2'

expect_code 0 crm-contact tag add vip,beta 1 2
expect_code 0 crm-contact tag rm beta 2
expect_code 0 crm-contact list -f csv --fields id,tags
expect_out "tags added sorted, removed" <<'X'
id,tags
1,"beta,vip"
2,vip
X
expect_code 0 crm-contact list --where tags=beta --ids
expect_out "tags=X means has tag X" <<<'1'

expect_code 0 crm-contact delete 2
err_has "deleted 1 contact (change 5; 'crm-contact undo 5' reverts it)"
expect_code 0 crm-contact list --ids
expect_out "deleted record gone" <<<'1'
expect_code 0 crm-contact undo 5
expect_code 0 crm-contact show 2 -f csv --fields 'id,email,Shoe Size'
expect_out "undo of a delete restores the record, custom fields too" <<'X'
id,email,Shoe Size
2,bob@acme.io,44
X
expect_code 65 crm-contact undo 5
err_has "already undone"
expect_code 66 crm-contact undo 99

# undo an update restores the old values
expect_code 0 crm-contact undo 1
expect_code 0 crm-contact list -f csv --fields id,title,city
expect_out "undo of an update restores the before-image" <<'X'
id,title,city
1,,
2,,
X

expect_code 64 crm-contact delete
err_has "no contact given"
expect_code 0 crm-contact delete --all --dry-run
err_has "dry run: would have deleted 2 contacts"
expect_code 0 crm-contact list --ids
expect_out "dry run deleted nothing" <<'X'
1
2
X
expect_code 0 crm-contact list --sort=-id --limit 1 --ids
expect_out "--sort descending, --limit" <<<'2'

expect_code 65 crm-contact add --email 'ann@'
err_has "email: invalid address"
expect_code 65 crm-contact add --title CEO
err_has "a contact needs a name, an email or a phone"
expect_code 65 crm-contact add --first-name X --lifecycle-stage customr
err_has "lifecycle_stage: unknown value 'customr'"
expect_code 65 crm-contact add --first-name Ann --email ann@EXAMPLE.com
err_has "already exists as contact 1"
expect_code 64 crm-contact frobnicate
err_has "unknown verb 'frobnicate'"
expect_code 64 crm-contact list --bogus
expect_code 0 crm-contact --help
out_has "import"
expect_code 0 crm-contact list --help
out_has "--where"
expect_code 0 crm-contact --version
out_has "crm-contact (crm) "
done_testing
