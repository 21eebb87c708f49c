#!/bin/bash
# A contact import of more than 4,096 records into an empty or small table
# loads it without the indexes none of its lookups reads and makes them
# again before the commit (SQLite only; HACKING.md "Contact import without
# its secondary indexes"): afterwards the schema and indexes are those
# crm init makes, integrity_check is ok, and the rows are those of the
# same data imported in pieces too small to drop anything; a failed
# import and a dry run leave the database as it was, indexes and all; a
# reports_to column (looked up by phone) still works; undo of the
# import's updates reverts them.
. "$(dirname "$0")/../lib.sh"

# gen FIRST LAST [OWNER]: contacts FIRST..LAST, 7 companies, a phone each
gen() {
	awk -v a="$1" -v b="$2" -v o="${3:-rep}" 'BEGIN {
		print "external_id,first_name,last_name,email,phone,company,owner"
		for (i = a; i <= b; i++)
			printf "x-%d,Ann%d,Lee,user.%d@example%d.com,+44 20 7946 %04d,Co %d,%s%d\n",
				i, i, i, i % 5, i, i % 7, o, i % 9
	}'
}
# rows DB FILE: every contact and company, in id order
rows() {
	sqlite3 -batch -header "$1" "SELECT * FROM contacts ORDER BY id; \
SELECT * FROM companies ORDER BY id; SELECT * FROM crm_audit ORDER BY id" \
		>"$2"
}
# remade DB: the deferred indexes were made again (they come last)
remade() {
	sqlite3 -batch "$1" "SELECT name FROM sqlite_schema ORDER BY rowid \
DESC LIMIT 1" >"$T/last"
	[ "$(cat "$T/last")" = contacts_reports_to ] &&
		[ "$(sqlite3 -batch "$1" "SELECT count(*) FROM sqlite_schema \
WHERE rowid > (SELECT rowid FROM sqlite_schema WHERE name = 'contacts_phone_key')")" = 3 ]
}

expect_code 0 crm init --db "$T/init.db"
gen 1 6000 >"$T/all.csv"
gen 1 4000 >"$T/a.csv"
gen 4001 6000 >"$T/b.csv"

# the control: two imports of at most 4,096 records, nothing deferred
expect_code 0 crm-contact import -q --db "$T/ctl.db" "$T/a.csv"
expect_code 0 crm-contact import -q --db "$T/ctl.db" "$T/b.csv"
check "the control kept its indexes where they were" \
	cmp -s <(sqlite3 -batch "$T/init.db" .schema) \
	<(sqlite3 -batch "$T/ctl.db" .schema)
rows "$T/ctl.db" "$T/ctl.rows"

# into an empty table
expect_code 0 crm-contact import -q "$T/all.csv"
check "empty table: the indexes were dropped and made again" remade "$CRM_DB"
like_init "$CRM_DB" "empty table"
rows "$CRM_DB" "$T/got.rows"
compare "$T/ctl.rows" "$T/got.rows" "empty table: the rows of the control"
sql "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE phone_key = '+1'"
check "a phone is found through contacts_phone_key" \
	grep -q 'USING COVERING INDEX contacts_phone_key' "$T/sql"

# a failed import (a bad row at the end) and a dry run change nothing,
# into the table above and into an empty one (where they drop indexes)
gen 6001 11000 >"$T/c.csv"
gen 6001 11000 >"$T/good.csv"
echo 'x-bad,Bad,Row,bad@,,,' >>"$T/c.csv"
expect_code 0 crm init --db "$T/fresh.db"
for db in "$CRM_DB" "$T/fresh.db"; do
	db_dump "$db" "$T/before"
	expect_code 65 crm-contact import -q --db "$db" "$T/c.csv"
	err_has "c.csv:5002: email:"
	db_dump "$db" "$T/after"
	compare "$T/before" "$T/after" "a failed import changes nothing (${db##*/})"
	expect_code 0 crm-contact import -q -n --db "$db" "$T/good.csv"
	db_dump "$db" "$T/after"
	compare "$T/before" "$T/after" "a dry run changes nothing (${db##*/})"
done

# into a table of 100: the first 100 records update theirs (new owners)
gen 1 100 >"$T/s.csv"
expect_code 0 crm-contact import -q --db "$T/ctl2.db" "$T/s.csv"
cp "$T/ctl2.db" "$T/small.db"
gen 1 100 boss >"$T/u.csv"
gen 101 6000 | tail -n +2 >>"$T/u.csv"
head -4001 "$T/u.csv" >"$T/u1.csv"
{ head -1 "$T/u.csv"; tail -n +4002 "$T/u.csv"; } >"$T/u2.csv"
expect_code 0 crm-contact import -q --db "$T/ctl2.db" "$T/u1.csv"
expect_code 0 crm-contact import -q --db "$T/ctl2.db" "$T/u2.csv"
rows "$T/ctl2.db" "$T/ctl2.rows"
expect_code 0 crm-contact import -q --db "$T/small.db" "$T/u.csv"
check "small table: the indexes were dropped and made again" remade "$T/small.db"
like_init "$T/small.db" "small table"
rows "$T/small.db" "$T/got.rows"
compare "$T/ctl2.rows" "$T/got.rows" "small table: the rows of the control"
expect_code 0 crm-contact undo --db "$T/small.db" 1
expect_code 0 crm-contact show --db "$T/small.db" x-7 -f csv --fields=owner
expect_out "undo of the import's updates: the old owner back" <<'X'
owner
rep7
X
CRM_DB=$T/small.db sql "PRAGMA integrity_check"
check "after the undo: integrity_check ok" grep -qx ok "$T/sql"

# a manager named by phone, after the indexes were dropped: found
gen 1 8 >"$T/m.csv"
expect_code 0 crm-contact import -q --db "$T/rt.db" "$T/m.csv"
{
	echo "external_id,first_name,email,company,reports_to"
	for i in $(seq 20001 26000); do
		echo "x-$i,M$i,m.$i@example.org,Co 1,"
	done
	echo "x-27000,Boss,boss@example.org,Co 1,+44 (20) 7946-0008"
} >"$T/r.csv"
expect_code 0 crm-contact import -q --db "$T/rt.db" "$T/r.csv"
expect_code 0 crm-contact show --db "$T/rt.db" x-27000 -f csv \
	--fields=reports_to_id
expect_out "reports_to by phone found the manager" <<'X'
reports_to_id
8
X
like_init "$T/rt.db" "reports_to"
done_testing
