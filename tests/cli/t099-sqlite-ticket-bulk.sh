#!/bin/bash
# A ticket import of more than 4,096 records into an empty or small table
# loads it without the indexes none of its lookups reads (status,
# assignee, contact, company, created) and makes them again before the
# commit, as a contact import does (SQLite only; t099-sqlite-contact-bulk;
# HACKING.md "Ticket import without its secondary indexes"). Afterwards
# the schema and indexes are those crm init makes, integrity_check is ok,
# and the tickets, their history rows and links are those of the same data
# imported in pieces too small to drop anything; a repeat inside the
# import still finds its ticket; a failed import and a dry run leave the
# database as it was, indexes and all.
. "$(dirname "$0")/../lib.sh"

# gen FIRST LAST [STATUS]: tickets FIRST..LAST; every third assigned
# (open), every tenth solved, every fifth for a contact, two teams
gen() {
	awk -v a="$1" -v b="$2" -v s="${3:-}" 'BEGIN {
		print "external_id,subject,status,assignee,team,priority,contact_email,created_at"
		split("low normal high urgent", pr, " ")
		for (i = a; i <= b; i++) {
			st = s != "" ? s : i % 10 == 0 ? "solved" : i % 3 == 0 ? "open" : "new"
			printf "t-%d,Printer %d jams,%s,%s,%s,%s,%s,2026-11-%02dT%02d:15:00Z\n",
				i, i, st, i % 3 == 0 ? "agent" i % 4 : "",
				i % 2 ? "support" : "billing", pr[1 + i % 4],
				i % 5 == 0 ? "c" i % 7 "@example.com" : "",
				1 + i % 28, i % 24
		}
	}'
}
# rows DB FILE: the tickets and every row their import writes
rows() {
	sqlite3 -batch -header "$1" "SELECT * FROM tickets ORDER BY id; \
SELECT * FROM ticket_status_history ORDER BY id; \
SELECT * FROM ticket_assignee_history ORDER BY id; \
SELECT * FROM contacts ORDER BY id" >"$2"
}
# remade DB: the deferred indexes were made again (they come last)
remade() {
	[ "$(sqlite3 -batch "$1" "SELECT count(*) FROM sqlite_schema WHERE \
rowid > (SELECT max(rowid) FROM sqlite_schema WHERE name NOT LIKE 'tickets_%') \
AND name IN ('tickets_status', 'tickets_assignee', 'tickets_contact', \
'tickets_company', 'tickets_created')")" = 5 ]
}
contacts() {
	{
		echo "first_name,email"
		for i in 0 1 2 3 4 5 6; do echo "C$i,c$i@example.com"; done
	} >"$T/c.csv"
	expect_code 0 crm-contact import -q --db "$1" "$T/c.csv"
}

expect_code 0 crm init --db "$T/init.db"
gen 1 6000 >"$T/all.csv"
gen 1 4000 >"$T/a.csv"
gen 4001 6000 >"$T/b.csv"

# the control: two imports of at most 4,096 records, nothing deferred
contacts "$T/ctl.db"
expect_code 0 crm-ticket import -q --db "$T/ctl.db" "$T/a.csv"
expect_code 0 crm-ticket import -q --db "$T/ctl.db" "$T/b.csv"
check "the control kept its indexes where they were" \
	cmp -s <(sqlite3 -batch "$T/init.db" .schema | sort) \
	<(sqlite3 -batch "$T/ctl.db" .schema | sort)
remade "$T/ctl.db" && ctl_remade=1 || ctl_remade=0
check "the control's indexes were not made again" [ "$ctl_remade" = 0 ]
rows "$T/ctl.db" "$T/ctl.rows"

# into an empty table
contacts "$CRM_DB"
expect_code 0 crm-ticket import -q "$T/all.csv"
check "empty table: the indexes were dropped and made again" remade "$CRM_DB"
like_init "$CRM_DB" "empty table"
rows "$CRM_DB" "$T/got.rows"
compare "$T/ctl.rows" "$T/got.rows" "empty table: the rows of the control"
check "the control has history rows to compare" \
	grep -q "|solved|" "$T/ctl.rows"
sql "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE assignee = 'agent1'"
check "an assignee's tickets are read through tickets_assignee" \
	grep -q 'INDEX tickets_assignee' "$T/sql"
sql "SELECT count(*) FROM tickets WHERE status = 'solved'"
echo 600 >"$T/want"
compare "$T/want" "$T/sql" "the remade status index answers"

# a repeat past record 4,096 finds its ticket through the kept
# external_id index: an update, not a second ticket
contacts "$T/rep.db"
{ gen 1 5000; echo "t-7,Printer 7 fixed,solved,agent3,support,low,,2026-11-08T07:15:00Z"; } >"$T/r.csv"
expect_code 0 crm-ticket import -q --db "$T/rep.db" "$T/r.csv"
check "the repeat's indexes were made again" remade "$T/rep.db"
CRM_DB=$T/rep.db sql "SELECT count(*), max(subject = 'Printer 7 fixed') FROM tickets WHERE external_id = 't-7'"
echo '1|1' >"$T/want"
compare "$T/want" "$T/sql" "a repeat updates its ticket"
CRM_DB=$T/rep.db sql "SELECT from_status, to_status FROM ticket_status_history WHERE ticket_id = 7 ORDER BY id"
printf '|new\nnew|solved\n' >"$T/want"
compare "$T/want" "$T/sql" "the repeat's status change is in the history"

# a failed import (a bad row at the end) and a dry run change nothing,
# into the table above and into an empty one (where they drop indexes)
gen 6001 11000 >"$T/bad.csv"
gen 6001 11000 >"$T/good.csv"
echo 't-bad,Bad,nonsense,,support,normal,,2026-11-01T00:00:00Z' >>"$T/bad.csv"
contacts "$T/fresh.db"
for db in "$CRM_DB" "$T/fresh.db"; do
	db_dump "$db" "$T/before"
	expect_code 65 crm-ticket import -q --db "$db" "$T/bad.csv"
	err_has "bad.csv:5002: status:"
	db_dump "$db" "$T/after"
	compare "$T/before" "$T/after" "a failed import changes nothing (${db##*/})"
	like_init "$db" "a failed import keeps the indexes (${db##*/})"
	expect_code 0 crm-ticket import -q -n --db "$db" "$T/good.csv"
	db_dump "$db" "$T/after"
	compare "$T/before" "$T/after" "a dry run changes nothing (${db##*/})"
done
done_testing
