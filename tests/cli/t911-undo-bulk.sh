#!/bin/bash
# Undo of a bulk update (-w country=PT over many records) after some of
# them were edited again: refused naming them; the records edited in
# another field keep that edit; --force reverts all.
. "$(dirname "$0")/../lib.sh"

change() { sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err"; }

{
	echo first_name,email,country,owner
	for i in $(seq 1 40); do echo "P$i,p$i@x.example,PT,ann"; done
	for i in $(seq 41 50); do echo "E$i,e$i@x.example,ES,ann"; done
} >"$T/in.csv"
expect_code 0 crm-contact import "$T/in.csv"
expect_code 0 crm-contact update -w country=PT --set owner=bob
err_has "updated 40 contacts"
bulk=$(change)
# some are edited again: two in the same field, one in another
expect_code 0 crm-contact update 3 --set owner=cy
later1=$(change)
expect_code 0 crm-contact update 7 --set owner=dee
later2=$(change)
expect_code 0 crm-contact update 9 --set city=Faro
db_dump "" "$T/before"
expect_code 65 crm-contact undo "$bulk"
err_has "contact 7 owner (change $later2); contact 3 owner (change $later1)"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing written"

expect_code 0 crm-contact undo --force "$bulk"
err_has "undid change $bulk: 40 records restored"
sql "SELECT owner, count(*) FROM contacts GROUP BY owner"
cat >"$T/want" <<'X'
ann|50
X
compare "$T/want" "$T/sql" "every owner as before the bulk update"
expect_code 0 crm-contact show 9 -f csv --fields owner,city
expect_out "the edit of another field stays" <<'X'
owner,city
ann,Faro
X

# without conflicts the same undo just works, and counts what it restored
expect_code 0 crm-contact update -w country=ES --set owner=eve
bulk2=$(change)
expect_code 0 crm-contact update 45 --set title=CTO
expect_code 0 crm-contact undo "$bulk2"
err_has "undid change $bulk2: 10 records restored"
expect_code 0 crm-contact show 45 -f csv --fields owner,title
expect_out "owner back, title kept" <<'X'
owner,title
ann,CTO
X
done_testing
