#!/bin/bash
# crm-activity: log, import (linking by id, email, external id), list, show,
# timeline, due (exit 1), done, update, delete, export, undo; and
# last_activity_at on contacts and companies.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add --name Acme --domain acme.example -q
printf 'external_id,first_name,email\nc1,Ann,ann@acme.example\nc2,Bob,bob@other.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 0 crm-activity log --type 'Phone Call' --direction out --subject intro --contact ann@acme.example --at '2026-11-20 10:00' --owner kim --ids
expect_out "log prints the id" <<<'1'
expect_code 0 crm-activity log --type task --subject 'send quote' --contact c2 --due 2026-11-21 --owner lou --ids
expect_code 0 crm-activity log --type task --subject later --company Acme --due 2026-12-01 --owner kim --ids
expect_code 0 crm-activity list -f csv --fields id,type,direction,occurred_at,due_at,contact_id,company_id,owner
expect_out "type folded, times normalized, company from the contact" <<'X'
id,type,direction,occurred_at,due_at,contact_id,company_id,owner
1,phone_call,out,2026-11-20T10:00:00Z,,1,1,kim
2,task,,2026-11-22T09:30:00Z,2026-11-21T00:00:00Z,2,,lou
3,task,,2026-11-22T09:30:00Z,2026-12-01T00:00:00Z,,1,kim
X

cat >"$T/ev.ndjson" <<'X'
{"external_id":"e1","email":"ANN@acme.example","type":"email_open","occurred_at":"2026-11-21T08:00:00Z","campaign":"nov"}
{"external_id":"e2","contact_external_id":"c2","type":"web_visit","occurred_at":"2026-11-19T08:00:00Z"}
{"external_id":"e3","contact_id":2,"type":"email_click","occurred_at":"2026-11-22T08:00:00Z"}
{"external_id":"e4","contact":"ann@acme.example","type":"note","occurred_at":"2026-11-01T00:00:00Z"}
X
expect_code 0 crm-activity import "$T/ev.ndjson"
err_has "4 inserted, 0 updated, 0 unchanged, 0 rejected"
expect_code 0 crm-activity export -f csv --fields external_id,type,contact_id,company_id,campaign --where 'external_id~e'
expect_out "import links by email, external id and id; linking columns not kept" <<'X'
external_id,type,contact_id,company_id,campaign
e1,email_open,1,1,nov
e2,web_visit,2,,
e3,email_click,2,,
e4,note,1,1,
X
expect_code 0 crm-activity import "$T/ev.ndjson"
err_has "0 inserted, 0 updated, 4 unchanged, 0 rejected"
expect_code 0 crm-contact list -f csv --fields id,last_activity_at
expect_out "last_activity_at is the latest occurred_at of each contact" <<'X'
id,last_activity_at
1,2026-11-21T08:00:00Z
2,2026-11-22T09:30:00Z
X
expect_code 0 crm-company list -f csv --fields id,last_activity_at
expect_out "... and of the company" <<'X'
id,last_activity_at
1,2026-11-22T09:30:00Z
X

expect_code 0 crm-activity timeline ann@acme.example -f csv --fields id,type,occurred_at
expect_out "timeline of a contact, newest first" <<'X'
id,type,occurred_at
4,email_open,2026-11-21T08:00:00Z
1,phone_call,2026-11-20T10:00:00Z
7,note,2026-11-01T00:00:00Z
X
expect_code 0 crm-activity timeline company Acme --limit 2 --ids
expect_out "timeline of a company, --limit" <<'X'
3
4
X
expect_code 66 crm-activity timeline nobody@acme.example
err_has "no contact 'nobody@acme.example'"
expect_code 64 crm-activity timeline planet Mars
err_has "expected contact, company, lead, deal or ticket"
expect_code 66 crm-activity timeline deal 1
err_has "no deal '1'"
expect_code 64 crm-activity timeline

expect_code 1 crm-activity due -f csv --fields id,owner,due_at
expect_out "due lists open tasks past due; exit 1" <<'X'
id,owner,due_at
2,lou,2026-11-21T00:00:00Z
X
CRM_NOW=2026-12-02T00:00:00Z expect_code 1 crm-activity due --ids
expect_out "later, both tasks are due, by owner" <<'X'
3
2
X
expect_code 0 crm-activity due --where owner=kim --ids
expect_out "--where owner: nothing due for kim; exit 0" </dev/null
expect_code 64 crm-activity due 3
expect_code 0 crm-activity done 2
err_has "marked 1 done"
expect_code 0 crm-activity due
expect_code 0 crm-activity done 3 --at 2026-11-23T12:00:00Z
expect_code 0 crm-activity show 3 -f csv --fields id,done_at
expect_out "done --at" <<'X'
id,done_at
3,2026-11-23T12:00:00Z
X
expect_code 64 crm-activity done
expect_code 66 crm-activity done 99

expect_code 0 crm-activity update 1 --set subject=hello
err_has "updated 1 activity (change 3;"
expect_code 0 crm-activity delete 5
err_has "deleted 1 activity (change 4;"
expect_code 0 crm-activity undo 4
expect_code 0 crm-activity show e2 -f csv --fields id,type
expect_out "undo restores the activity" <<'X'
id,type
5,web_visit
X
expect_code 0 crm-activity export -f ndjson
cp "$T/out" "$T/all.ndjson"
expect_code 0 crm-activity import "$T/all.ndjson"
err_has "0 inserted, 0 updated, 7 unchanged, 0 rejected"
expect_code 0 crm-activity --help
out_has "timeline"
done_testing
