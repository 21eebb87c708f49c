#!/bin/bash
# Undo keeps the rules update and import keep: it refuses to make a
# company hierarchy cycle, and to leave a contact with no name, email or
# phone; nothing is written.
. "$(dirname "$0")/../lib.sh"

change() { sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err"; }

expect_code 0 crm-company add --name Alpha
expect_code 0 crm-company add --name Beta
expect_code 0 crm-company update 1 --set parent_id=2
expect_code 0 crm-company update 1 --set parent_id=
c=$(change)
expect_code 0 crm-company update 2 --set parent_id=1
db_dump "" "$T/before"
expect_code 65 crm-company undo "$c"
err_has "cannot undo change $c: company 1: company 2 is below company 1: that would make a cycle"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a cycle refused: nothing written"

expect_code 0 crm-contact add --first-name Ann
expect_code 0 crm-contact update 1 --set email=ann@x.example
c=$(change)
expect_code 0 crm-contact update 1 --set first_name=
db_dump "" "$T/before"
expect_code 65 crm-contact undo "$c"
err_has "cannot undo change $c: contact 1: a contact needs a name, an email or a phone"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a contact with nothing left refused: nothing written"
done_testing
