#!/bin/bash
# PostgreSQL: crm-activity import over a contacts table too big to load
# (more than 250,000 contacts) asks the server about the first 1,000
# contacts one by one, tries the load once, and from then on fetches the
# contacts each chunk of 1,024 records names in one query: every activity
# still gets its own contact and that contact's company, a contact_id is
# checked, an email two contacts share and an unknown email or id fail
# the import with the messages of a small one, and nothing is written
# then; with --reject the bad record alone is left out. The statements
# are counted in their plans (auto_explain, sent to crm as warnings: a
# superuser's server). Runs when $CRM_TEST_PG names a server.
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

# 30,000 activities, each naming contact 8j by email in another case;
# then contact 8 again and contact 259,999 by id
m=30000
awk -v m=$m 'BEGIN {
	for (j = 1; j <= m; j++)
		printf "{\"email\":\"P%d@BIG.example\",\"type\":\"call\",\"occurred_at\":\"2026-11-01T10:00:00Z\",\"subject\":\"s%d\"}\n", 8 * j, j
	print "{\"email\":\"p8@big.example\",\"type\":\"note\",\"occurred_at\":\"2026-11-02T10:00:00Z\",\"subject\":\"again\"}"
	print "{\"contact_id\":259999,\"type\":\"note\",\"occurred_at\":\"2026-11-02T10:00:00Z\",\"subject\":\"by id\"}"
}' >"$T/ev.ndjson"
explained() { # explained CMD...: CMD with every statement's plan on stderr
	PGOPTIONS="-c session_preload_libraries=auto_explain \
-c auto_explain.log_min_duration=0 -c auto_explain.log_level=warning" "$@"
}
explained crm-activity import "$T/ev.ndjson" 2>"$T/plans"
rc=$?
check "import under auto_explain exits 0 (got $rc)" test $rc = 0
grep -q "$((m + 2)) inserted" "$T/plans"
check "and says $((m + 2)) inserted" test $? = 0
count() { grep -c "Query Text: $1" "$T/plans"; }
# the first chunk (1,024 records): a look-up each (the load, tried at
# the 1,000th, finds too many); the other 28,978 records are 29 chunks
check "on PostgreSQL, one look-up by email per record of the first chunk ($(count 'SELECT id, company_id FROM contacts WHERE email_key = '))" \
	test "$(count 'SELECT id, company_id FROM contacts WHERE email_key = ')" = 1024
check "the table's load tried once ($(count 'SELECT id, email_key, company_id FROM contacts ORDER BY id'))" \
	test "$(count 'SELECT id, email_key, company_id FROM contacts ORDER BY id')" = 1
check "then one query by email per chunk ($(count 'SELECT id, email_key, company_id FROM contacts WHERE email_key IN'))" \
	test "$(count 'SELECT id, email_key, company_id FROM contacts WHERE email_key IN')" = 29
check "and one by id for the chunk with a contact_id ($(count 'SELECT id, NULL, company_id FROM contacts WHERE id IN'))" \
	test "$(count 'SELECT id, NULL, company_id FROM contacts WHERE id IN')" = 1
check "no look-up by id ($(count 'SELECT company_id FROM contacts WHERE id = '))" \
	test "$(count 'SELECT company_id FROM contacts WHERE id = ')" = 0
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

# past the first chunk: a shared email, an unknown one, an unknown
# contact_id fail as in a small import, and write nothing
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

# with --reject (chunks too): the unknown email and id at 2,001 and 5,000
# are rejected, the 4,998 others are in with their contacts
{
	sed -n 1,2000p "$T/ev.ndjson"
	echo '{"email":"nobody@big.example","type":"call","subject":"r1"}'
	sed -n 2002,4999p "$T/ev.ndjson"
	echo '{"contact_id":999999,"type":"call","subject":"r2"}'
} | sed 's/"s\([0-9]*\)"/"r\1"/' >"$T/rej.ndjson"
expect_code 3 crm-activity import --reject "$T/rej.out" "$T/rej.ndjson"
err_has "4998 inserted"
jq -r '"\(.error_line) \(.error)"' "$T/rej.out" >"$T/rejected"
printf '%s\n' "2001 email: no contact 'nobody@big.example'" \
	"5000 contact_id: no contact 999999" >"$T/want"
compare "$T/want" "$T/rejected" "the two rejected, at their lines"
sql "SELECT count(*) FROM activities WHERE subject LIKE 'r%'
  AND contact_id = 8 * CAST(substr(subject, 2) AS INTEGER)"
check "each kept one with its own contact" test "$(cat "$T/sql")" = 4998
done_testing
