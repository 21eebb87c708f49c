#!/bin/bash
# Undo reverts only the fields the change wrote. A later edit of another
# field stays; a later edit of the same field is a conflict: refused,
# naming the record and the later change, nothing written; --force undoes
# it anyway.
. "$(dirname "$0")/../lib.sh"

change() { sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err"; }

expect_code 0 crm-contact add --first-name Ann --email ann@x.example --set city=Lisbon --set title=Dev
expect_code 0 crm-contact update 1 --set city=Porto
c1=$(change)
expect_code 0 crm-contact update 1 --set title=CEO
c2=$(change)

# the older change's undo keeps the later edit of another field
expect_code 0 crm-contact undo "$c1"
err_has "undid change $c1: 1 records restored"
expect_code 0 crm-contact show 1 -f csv --fields city,title
expect_out "undo of the city keeps the later title" <<'X'
city,title
Lisbon,CEO
X
# and undoing the later change does not bring back the city undone
expect_code 0 crm-contact undo "$c2"
expect_code 0 crm-contact show 1 -f csv --fields city,title
expect_out "undo of the title keeps the city as undone" <<'X'
city,title
Lisbon,Dev
X

# the same field changed again since: refused, named, nothing written
expect_code 0 crm-contact update 1 --set city=Braga
c3=$(change)
expect_code 0 crm-contact update 1 --set city=Faro --set owner=kim
c4=$(change)
db_dump "" "$T/before"
expect_code 65 crm-contact undo "$c3"
err_has "cannot undo change $c3: changed since: contact 1 city (change $c4)"
err_has "--force"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a refused undo writes nothing"
expect_code 0 crm-contact show 1 -f csv --fields city,owner
expect_out "the later edit stands" <<'X'
city,owner
Faro,kim
X

# --force overrides: the field goes back, the later change's other
# field stays
expect_code 0 crm-contact undo --force "$c3"
expect_code 0 crm-contact show 1 -f csv --fields city,owner
expect_out "--force reverts the field anyway" <<'X'
city,owner
Lisbon,kim
X

# a custom field is a field too
expect_code 0 crm-contact update 1 --set shoe=42
c5=$(change)
expect_code 0 crm-contact update 1 --set shoe=43
expect_code 65 crm-contact undo "$c5"
err_has "contact 1 custom field shoe (change"

# a record deleted since cannot take back its fields
expect_code 0 crm-contact add --first-name Bob --set city=Oslo
expect_code 0 crm-contact update 2 --set city=Bergen
c6=$(change)
expect_code 0 crm-contact delete 2
c7=$(change)
expect_code 65 crm-contact undo "$c6"
err_has "contact 2 deleted (change $c7)"
done_testing
