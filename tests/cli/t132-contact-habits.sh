#!/bin/bash
# Read-only fields in update --set are a usage error naming the field, and
# nothing changes; a mistyped verb or noun gets a "did you mean".
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --set first_name=Ann --set email=ann@example.com
db_dump "" "$T/before"
for f in created_at updated_at id last_activity_at; do
	expect_code 64 crm-contact update 1 --set "$f=2020-01-01T00:00:00Z"
	err_has "--set '$f': $f is read-only"
done
expect_code 64 crm-contact update -w first_name=Ann --set title=CEO --set created_at=2020-01-01
err_has "created_at is read-only"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "the database is unchanged"
expect_code 0 crm-contact update 1 --set title=CEO
sql "SELECT title FROM contacts WHERE id = 1"
check "a writable field still updates" [ "$(cat "$T/sql")" = CEO ]

expect_code 64 crm-contact lsit
expect_err "did you mean, for a verb" <<'X'
crm-contact: unknown verb 'lsit'
crm-contact: did you mean 'list'?
Try 'crm-contact --help' for the list of verbs.
X
expect_code 64 crm-lead asign
err_has "crm-lead: did you mean 'assign'?"
expect_code 64 crm-contact exprot
err_has "did you mean 'export'?"
expect_code 64 crm-contact xyzzy
check "no suggestion when nothing is close" sh -c "! grep -q 'did you mean' '$T/err'"
expect_code 64 crm contcat list
expect_err "did you mean, for a noun" <<'X'
crm: 'contcat' is not a crm command; 'crm help' lists them
crm: did you mean 'contact'?
X
expect_code 64 crm piepline list
err_has "crm: did you mean 'pipeline'?"
expect_code 64 crm zzzzzz
check "no noun suggestion when nothing is close" sh -c "! grep -q 'did you mean' '$T/err'"
done_testing
