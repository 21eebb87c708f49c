#!/bin/bash
# crm-ticket import's history rows, which wait and go many to a
# statement (PostgreSQL: up to 1,024 a table in one INSERT ... SELECT FROM
# unnest of one array per column; SQLite: 128 to a statement kept
# prepared): 1,100 new tickets, some solved (two status rows), with
# assignees an array literal must quote ("a""b", a backslash, a comma and
# braces, the word NULL, none), then a repeat whose update reads the
# history first. Each row's ids follow the input's order, the values are
# those given, and the repeat's row comes after every new ticket's.
. "$(dirname "$0")/../lib.sh"
who() {
	case $(($1 % 7)) in
	0) echo '"a""b"' ;;
	1) echo 'c\d' ;;
	2) echo '"e,f {g}"' ;;
	3) echo 'NULL' ;;
	4) echo '' ;;
	5) echo 'ü é' ;;
	6) echo 'plain' ;;
	esac
}
{
	echo "external_id,subject,status,assignee,team,created_at,solved_at"
	for i in $(seq 1 1100); do
		if [ $((i % 100)) = 0 ]; then
			echo "x$i,t$i,solved,$(who "$i"),support,2026-11-20T08:00:00Z,2026-11-21T08:00:00Z"
		else
			echo "x$i,t$i,new,$(who "$i"),support,2026-11-20T08:00:00Z,"
		fi
	done
	echo "x5,t5 again,open,$(who 5),support,2026-11-20T08:00:00Z,"
} >"$T/t.csv"
expect_code 0 crm-ticket import -q "$T/t.csv"

# the status rows: a solved ticket's open then solved, in input order,
# then the repeat's change (new -> open, at now)
awk 'BEGIN { for (i = 1; i <= 1100; i++)
	if (i % 100 == 0) {
		print i "||open|2026-11-20T08:00:00Z"
		print i "|open|solved|2026-11-21T08:00:00Z"
	} else
		print i "||new|2026-11-20T08:00:00Z"
	print "5|new|open|2026-11-22T09:30:00Z" }' | awk '{ print NR "|" $0 }' >"$T/want"
sql "SELECT id, ticket_id, from_status, to_status, at FROM ticket_status_history ORDER BY id"
compare "$T/want" "$T/sql" "status history: ids in input order, values as given"

# the assignee rows, one a ticket, the assignee as given (none: null)
for i in $(seq 1 1100); do
	case $((i % 7)) in
	0) a='a"b' ;;
	1) a='c\d' ;;
	2) a='e,f {g}' ;;
	3) a='NULL' ;;
	4) a='(none)' ;;
	5) a='ü é' ;;
	6) a='plain' ;;
	esac
	echo "$i|$i||$a||support|2026-11-20T08:00:00Z"
done >"$T/want"
sql "SELECT id, ticket_id, from_assignee, coalesce(to_assignee, '(none)'), from_team, to_team, at FROM ticket_assignee_history ORDER BY id"
compare "$T/want" "$T/sql" "assignee history: ids in input order, values as given"
sql "SELECT count(*), count(DISTINCT actor), count(actor) FROM ticket_status_history"
echo "1112|1|1112" >"$T/want"
compare "$T/want" "$T/sql" "one actor on every row"
done_testing
