#!/bin/bash
# An undo is a change: undoing it redoes what it undid (updates, deletes,
# tags), and the first change is then in effect again (it can be undone
# once more).
. "$(dirname "$0")/../lib.sh"

change() { sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err"; }

expect_code 0 crm-contact add --first-name Ann --email ann@x.example --set city=Lisbon
expect_code 0 crm-contact add --first-name Bob --email bob@x.example --company Acme
expect_code 0 crm-contact update 1 --set city=Porto
c1=$(change)
expect_code 0 crm-contact undo "$c1"
u1=$(change)
err_has "(change $u1; 'crm-contact undo $u1' redoes it)"
expect_code 0 crm-contact undo "$u1"
r1=$(change)
expect_code 0 crm-contact show 1 -f csv --fields city
expect_out "undo of the undo redoes the update" <<'X'
city
Porto
X
# the update is in effect again: undoing it works once more
expect_code 0 crm-contact undo "$c1"
u2=$(change)
expect_code 0 crm-contact show 1 -f csv --fields city
expect_out "and can be undone again" <<'X'
city
Lisbon
X
expect_code 65 crm-contact undo "$c1"
err_has "change $c1 was already undone"
# the redo is undone only as a conflict now: its field moved on since
expect_code 65 crm-contact undo "$r1"
err_has "contact 1 city (change $u2)"

# delete, undo, redo: the record goes again
expect_code 0 crm-contact export -f csv
cp "$T/out" "$T/export0"
expect_code 0 crm-contact delete 2
d=$(change)
expect_code 0 crm-contact undo "$d"
ud=$(change)
expect_code 0 crm-contact export -f csv
compare "$T/export0" "$T/out" "undo of a delete: the export as before"
expect_code 0 crm-contact undo "$ud"
rd=$(change)
expect_code 66 crm-contact show 2
# and the redo undone brings it back once more, company link and all
expect_code 0 crm-contact undo "$rd"
expect_code 0 crm-contact show 2 -f csv --fields id,company,company_id
expect_out "back again" <<'X'
id,company,company_id
2,Acme,1
X

# tags: undo of a tag removal, redo
expect_code 0 crm-contact tag add vip,eu 1
expect_code 0 crm-contact tag rm eu 1
t=$(change)
expect_code 0 crm-contact undo "$t"
ut=$(change)
expect_code 0 crm-contact undo "$ut"
expect_code 0 crm-contact show 1 -f csv --fields tags
expect_out "tag removal redone" <<'X'
tags
vip
X
done_testing
