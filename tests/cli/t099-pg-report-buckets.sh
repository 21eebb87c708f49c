#!/bin/bash
# PostgreSQL: a report's periods put each time in the same day, week,
# month, quarter and year as on SQLite, at every edge: the last second of
# a month, quarter and year and the first of the next, a Sunday's last
# second and a Monday's first, a leap day. crm's own times ("...Z") are cut
# as text on PostgreSQL (#25); times in any other form (an offset, a space,
# fractions of a second, written by hand) go through timestamptz, and must
# land alike. Runs when $CRM_TEST_PG names a server (make check-pg); under
# plain make check it is skipped.
. "$(dirname "$0")/../lib.sh"

pg_scratch_db
LITE="$T/lite.db"
export CRM_NOW=2027-02-01T00:00:00Z

# one activity per edge; subject says which
i=0
for t in 2024-02-28T23:59:59Z 2024-02-29T00:00:00Z 2024-02-29T23:59:59Z \
	2024-03-01T00:00:00Z 2025-12-28T23:59:59Z 2025-12-29T00:00:00Z \
	2025-12-31T23:59:59Z 2026-01-01T00:00:00Z 2026-03-29T01:30:00Z \
	2026-03-31T23:59:59Z 2026-04-01T00:00:00Z 2026-06-30T23:59:59Z \
	2026-07-01T00:00:00Z 2026-09-30T23:59:59Z 2026-10-01T00:00:00Z \
	2026-10-25T00:59:59Z 2026-11-01T00:00:00Z 2026-12-31T23:59:59Z; do
	i=$((i + 1))
	printf '{"type":"call","subject":"e%d","occurred_at":"%s"}\n' "$i" "$t"
done >"$T/acts.ndjson"
# stored by hand in other forms: the same instants on both engines
others="UPDATE activities SET occurred_at = CASE subject
 WHEN 'e3' THEN '2024-03-01T01:59:59+02:00'
 WHEN 'e6' THEN '2025-12-28 23:00:00-01:00'
 WHEN 'e11' THEN '2026-04-01 00:00:00'
 WHEN 'e12' THEN '2026-06-30T23:59:59.900Z'
 ELSE occurred_at END"
for db in "$LITE" "$PGDB"; do
	expect_code 0 crm init --db "$db"
	expect_code 0 crm-activity import --db "$db" "$T/acts.ndjson"
done
expect_code 0 sqlite3 "$LITE" "$others"
expect_code 0 psql "$PGDB" -X -q -v ON_ERROR_STOP=1 -c "$others"

n=0
reports() {
	engine=$1 db=$2 n=0
	for p in day week month quarter year; do
		expect_code 0 crm-report activities --db "$db" -f csv --by '' --period "$p"
		keep
		# a range: its first and last periods are computed from the
		# bound --from and --to, not from rows
		expect_code 0 crm-report activities --db "$db" -f csv --by '' --period "$p" --from 2025-12-29 --to 2026-10-01
		keep
	done
}
reports lite "$LITE"
reports pg "$PGDB"
engines_same "periods"

# and they are right: per quarter, counted by hand from the list above
# (e3 is 2024-02-29T23:59:59Z, e6 2025-12-29T00:00:00Z, e11 and e12 in
# the second quarter)
awk -F, '$2 != 0' "$T/pg.7" | cut -d, -f1,2 >"$T/got"
cat >"$T/want" <<'X'
period,activities
2024-Q1,4
2025-Q4,3
2026-Q1,3
2026-Q2,2
2026-Q3,2
2026-Q4,4
X
compare "$T/want" "$T/got" "activities per quarter on PostgreSQL"
# ISO weeks: Monday 2025-12-29 starts 2026-W01, which holds e6 (23:00 on
# Sunday at -01:00), e7 and e8; e5, Sunday's last second, is in 2025-W52
grep -E '^(2025-W52|2026-W01),' "$T/pg.3" | cut -d, -f1,2 >"$T/got"
printf '%s\n' 2025-W52,1 2026-W01,3 >"$T/want"
compare "$T/want" "$T/got" "the weeks at the year's turn on PostgreSQL"
done_testing
