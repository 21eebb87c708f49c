#!/bin/bash
# crm-activity: bad events and links to missing records exit 65 naming the
# input, line and field, and change nothing.
. "$(dirname "$0")/../lib.sh"

printf 'external_id,first_name,email\nc1,Ann,ann@acme.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-activity log -q --type note --contact 1
db_dump "$CRM_DB" "$T/before"

bad() { # description, expected message, printf format of the input
	printf "$3" >"$T/in"
	expect_code 65 crm-activity import "$T/in"
	err_has "$2"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "$1: database unchanged"
}
bad "unknown email" "crm-activity:$T/in:2: email: no contact 'zed@acme.example'" \
	'{"type":"call","email":"ann@acme.example"}\n{"type":"call","email":"zed@acme.example"}\n'
bad "bad email" "crm-activity:$T/in:2: email: invalid address 'zed@'" 'type,email\ncall,zed@\n'
bad "unknown external id" "crm-activity:$T/in:2: contact_external_id: no contact 'c9'" 'type,contact_external_id\ncall,c9\n'
bad "missing contact id" "crm-activity:$T/in:2: contact_id: no contact 42" 'type,contact_id\ncall,42\n'
bad "missing company" "crm-activity:$T/in:2: company: no company 'Nope'" 'type,company\ncall,Nope\n'
bad "missing company id" "crm-activity:$T/in:2: company_id: no company 7" 'type,company_id\ncall,7\n'
bad "no type" "crm-activity:$T/in:2: type: missing required field" 'subject,contact_id\nhi,1\n'
bad "bad direction" "crm-activity:$T/in:2: direction: unknown value 'up'" 'type,direction\ncall,up\n'
bad "bad time" "crm-activity:$T/in:2: occurred_at: " 'type,occurred_at\ncall,yesterday\n'
bad "bad link id" "crm-activity:$T/in:2: deal_id: expected a deal id" 'type,deal_id\ncall,-3\n'
bad "contact not text" "crm-activity:$T/in:1: contact: expected a string" '{"type":"call","contact":[1]}\n'
bad "unknown contact number" "crm-activity:$T/in:1: contact: no contact '42'" '{"type":"call","contact":42}\n'

expect_code 65 crm-activity log --type call --contact nobody@acme.example
err_has "contact: no contact 'nobody@acme.example'"
expect_code 65 crm-activity log --subject 'no type'
err_has "type: missing required field"
expect_code 65 crm-activity log --type call --due never
err_has "due_at: "
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "failed logs changed nothing"

# --reject loads the good events
printf 'type,email\ncall,ann@acme.example\ncall,zed@acme.example\n' >"$T/in"
expect_code 3 crm-activity import --reject "$T/rej.csv" "$T/in"
err_has "1 inserted, 0 updated, 0 unchanged, 1 rejected"
cat >"$T/want" <<'X'
type,email,error_line,error
call,zed@acme.example,3,email: no contact 'zed@acme.example'
X
compare "$T/want" "$T/rej.csv" "reject file names the unknown contact"
done_testing
