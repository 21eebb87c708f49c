#!/bin/bash
# PostgreSQL: crm-activity import over a contacts table too big for the
# first load (more than 250,000 contacts) loads the contacts once it has
# asked the server about 20,000 of them, and from then on finds them
# without a round trip: every activity still gets its own contact and
# that contact's company, a contact_id is checked, an email two contacts
# share and an unknown email fail the import with the messages of a small
# one, and nothing is written then. The look-ups are counted by the
# server (pg_stat_user_tables.idx_scan of contacts): 30,000 contacts
# named once each cost fewer than 25,000 of them. Runs when $CRM_TEST_PG
# names a server.
. "$(dirname "$0")/../lib.sh"

pg_scratch_db
export CRM_DB=$PGDB
check "crm init" crm init
n=260000
check "load $n contacts" psql "$PGDB" -X -q -v ON_ERROR_STOP=1 -c "
INSERT INTO companies (id, name, name_key, created_at, updated_at)
  VALUES (1, 'Acme', 'acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO contacts (id, first_name, email, email_key, company_id, created_at, updated_at)
SELECT i, 'P' || i, 'P' || i || '@Big.Example', 'p' || i || '@big.example',
  CASE WHEN i % 7 = 0 THEN 1 END, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series(1, $n) AS s(i);
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
VALUES ($n + 1, 'T1', 'twin@big.example', 'twin@big.example', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       ($n + 2, 'T2', 'Twin@Big.Example', 'twin@big.example', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
SELECT setval(pg_get_serial_sequence('contacts', 'id'), $n + 2);
SELECT setval(pg_get_serial_sequence('companies', 'id'), 1);
ANALYZE contacts;"

# the look-ups by email as the server counts them: scans of the index
# contacts_email_key (a backend's counts reach the shared statistics when
# it ends)
scans() {
	psql "$PGDB" -X -A -t -q -c "SELECT pg_stat_clear_snapshot();
SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'contacts_email_key'" | tail -1
}

# 30,000 activities, each naming contact 8j by email in another case;
# then contact 8 again and contact 259,999 by id
m=30000
awk -v m=$m 'BEGIN {
	for (j = 1; j <= m; j++)
		printf "{\"email\":\"P%d@BIG.example\",\"type\":\"call\",\"occurred_at\":\"2026-11-01T10:00:00Z\",\"subject\":\"s%d\"}\n", 8 * j, j
	print "{\"email\":\"p8@big.example\",\"type\":\"note\",\"occurred_at\":\"2026-11-02T10:00:00Z\",\"subject\":\"again\"}"
	print "{\"contact_id\":259999,\"type\":\"note\",\"occurred_at\":\"2026-11-02T10:00:00Z\",\"subject\":\"by id\"}"
}' >"$T/ev.ndjson"
before=$(scans)
expect_code 0 crm-activity import "$T/ev.ndjson"
err_has "$((m + 2)) inserted"
after=$(scans)
check "on PostgreSQL, 30,000 contacts named: 20,000 look-ups ($((after - before)))" \
	test $((after - before)) -ge 19000 -a $((after - before)) -le 21000
sql "SELECT count(*) FROM activities WHERE subject LIKE 's%'
  AND contact_id = 8 * CAST(substr(subject, 2) AS INTEGER)"
check "each activity has its own contact" test "$(cat "$T/sql")" = $m
# the contacts 8j with j a multiple of 7 are in company 1, the others in none
want=$(awk -v m=$m 'BEGIN { for (j = 1; j <= m; j++) if ((8 * j) % 7 == 0) c++; print c }')
sql "SELECT count(*) FROM activities WHERE subject LIKE 's%' AND company_id = 1"
check "and that contact's company ($want)" test "$(cat "$T/sql")" = "$want"
sql "SELECT count(*) FROM activities WHERE subject LIKE 's%' AND company_id IS NULL"
check "the others no company" test "$(cat "$T/sql")" = $((m - want))
sql "SELECT contact_id FROM activities WHERE subject IN ('again', 'by id') ORDER BY subject"
check "a contact seen before, and a contact_id" test "$(tr '\n' ' ' <"$T/sql")" = "8 259999 "
sql "SELECT count(*) FROM contacts WHERE last_activity_at = '2026-11-02T10:00:00Z'"
check "last_activity_at of the two" test "$(cat "$T/sql")" = 2

# past the load: a shared email, an unknown one, an unknown contact_id
# fail as in a small import, and write nothing
sql "SELECT count(*) FROM activities"
had=$(cat "$T/sql")
for last in '"email":"TWIN@big.example"' '"email":"nobody@big.example"' '"contact_id":999999'; do
	head -n 21000 "$T/ev.ndjson" >"$T/bad.ndjson"
	printf '{%s,"type":"call","occurred_at":"2026-11-03T10:00:00Z"}\n' "$last" >>"$T/bad.ndjson"
	expect_code 65 crm-activity import "$T/bad.ndjson"
	case $last in
	*TWIN*) err_has "'TWIN@big.example' matches several contacts; give contact_id" ;;
	*nobody*) err_has "no contact 'nobody@big.example'" ;;
	*) err_has "contact_id: no contact 999999" ;;
	esac
	err_has "bad.ndjson:21001"
	sql "SELECT count(*) FROM activities"
	check "nothing written ($last)" test "$(cat "$T/sql")" = "$had"
done
done_testing
