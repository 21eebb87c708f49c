#!/bin/sh
# pg-reports.sh [ACTIVITIES [CONTACTS [DEALS]]]: time crm-report on
# PostgreSQL over ACTIVITIES activities (default 5,000,000), CONTACTS
# contacts (1,000,000) and DEALS deals (200,000) against the equivalent
# hand-written SQL run by psql over the same database, in the same run, on
# a throwaway server tests/pgserver.sh starts (or the one $CRM_TEST_PG
# names), and checks both print the same CSV. Prints each time, the ratio
# (ours / psql, the best of two runs each; the goal is at most 1.5) and our
# peak RSS.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
nd=${3:-200000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
dbname="crm_bench_reports_$$"
case $CRM_TEST_PG in
*://*\?*) db="$CRM_TEST_PG&dbname=$dbname" ;;
*://*) db="$CRM_TEST_PG?dbname=$dbname" ;;
*) db="$CRM_TEST_PG dbname=$dbname" ;;
esac
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
trap 'admin "DROP DATABASE IF EXISTS $dbname"; rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-31T00:00:00Z LC_ALL=C
admin "CREATE DATABASE $dbname"
"$bin/crm" init --db "$db" 2>/dev/null

iso="'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
psql "$db" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
INSERT INTO contacts (id, first_name, source, lifecycle_stage, owner,
  created_at, updated_at)
SELECT i, 'C' || i,
  CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'web' WHEN 2 THEN 'event'
    WHEN 3 THEN 'referral' WHEN 4 THEN 'ads' WHEN 5 THEN 'partner'
    ELSE 'social' END,
  CASE i % 5 WHEN 0 THEN 'customer' WHEN 1 THEN 'lead'
    WHEN 2 THEN 'subscriber' WHEN 3 THEN 'marketing_qualified_lead'
    ELSE 'opportunity' END,
  'rep' || (i % 50),
  to_char(to_timestamp(1704067200 + (i * 7919) % 94608000) AT TIME ZONE 'UTC', $iso),
  '2026-12-31T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $nc) i;
INSERT INTO activities (type, occurred_at, owner, due_at, done_at,
  contact_id, created_at, updated_at)
SELECT CASE i % 6 WHEN 0 THEN 'call' WHEN 1 THEN 'email' WHEN 2 THEN 'meeting'
    WHEN 3 THEN 'task' WHEN 4 THEN 'web_visit' ELSE 'email_open' END,
  to_char(to_timestamp(1735689600 + (i * 7919) % 31536000) AT TIME ZONE 'UTC', $iso),
  'rep' || (i % 50),
  CASE WHEN i % 6 = 3 THEN to_char(to_timestamp(1735689600
    + (i * 7919) % 31536000 + 86400 * (1 + i % 9)) AT TIME ZONE 'UTC', $iso) END,
  CASE WHEN i % 6 = 3 AND i % 5 <> 0 THEN '2026-06-01T00:00:00Z' END,
  1 + (i * 31) % $nc, '2026-12-31T00:00:00Z', '2026-12-31T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $n) i;
INSERT INTO deals (id, name, pipeline, stage, status, amount, currency,
  probability, owner, closed_at, created_at, updated_at)
SELECT i, 'D' || i, 'default',
  CASE WHEN i % 4 = 0 THEN 'closed_won' WHEN i % 4 = 1 THEN 'closed_lost'
    ELSE CASE i % 5 WHEN 0 THEN 'prospecting' WHEN 1 THEN 'qualification'
    WHEN 2 THEN 'needs_analysis' WHEN 3 THEN 'proposal'
    ELSE 'negotiation' END END,
  CASE i % 4 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'open' END,
  100 * (100 + (i * 37) % 10000),
  CASE i % 3 WHEN 0 THEN 'EUR' WHEN 1 THEN 'USD' ELSE 'GBP' END,
  CASE WHEN i % 4 = 0 THEN 100 WHEN i % 4 = 1 THEN 0
    ELSE 10 + 15 * (i % 5) END,
  'rep' || (i % 50),
  CASE WHEN i % 4 IN (0, 1) THEN to_char(to_timestamp(1704067200
    + (i * 7919) % 94608000 + 86400 * (1 + i % 90)) AT TIME ZONE 'UTC', $iso) END,
  to_char(to_timestamp(1704067200 + (i * 7919) % 94608000) AT TIME ZONE 'UTC', $iso),
  '2026-12-31T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $nd) i;
SELECT setval(pg_get_serial_sequence('contacts', 'id'), $nc);
SELECT setval(pg_get_serial_sequence('deals', 'id'), $nd);
COMMIT;
VACUUM ANALYZE;
SQL
echo "data: $n activities, $nc contacts, $nd deals; PostgreSQL $(psql "$db" -X -A -t -c 'SHOW server_version')"

# bench NAME 'crm-report args' 'reference SQL'
bench() {
	name=$1 args=$2 ref=$3 size=${4:-$n}
	best_ours= best_ref=
	for k in 1 2; do
		# shellcheck disable=SC2086
		timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
			"$bin/crm-report" $args --db "$db" -f csv || true
		best_ours=$(echo "$t ${best_ours:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		timed "$dir/ref.csv" psql "$db" -X -q --csv -c "$ref" || true
		best_ref=$(echo "$t ${best_ref:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
	done
	t_ours=$best_ours t_ref=$best_ref
	rows=$(($(wc -l <"$dir/ours.csv") - 1))
	same=$(cmp -s "$dir/ours.csv" "$dir/ref.csv" && echo "same output" || echo "OUTPUT DIFFERS")
	printf '%-28s crm-report %7.2fs  psql %7.2fs  ratio %s  rss %s  %d rows, %s\n' \
		"$name" "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" \
		"$(rss "$dir/rss")" "$rows" "$same"
	row "report $(echo "$args" | tr ' ' '-')" pg "$size" "$t_ours" "$t_ref" "$dir/rss"
}

cnt() { echo "count(*) FILTER (WHERE $1)"; }
bench "activities per owner" "activities" "
SELECT owner, count(*) AS activities, count(DISTINCT contact_id) AS contacts,
 $(cnt "type = 'call'") AS calls, $(cnt "type = 'email'") AS emails,
 $(cnt "type = 'meeting'") AS meetings, $(cnt 'due_at IS NOT NULL') AS tasks,
 $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL') AS tasks_done,
 round(100.0 * $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL')
   / nullif($(cnt 'due_at IS NOT NULL'), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner ORDER BY activities DESC, owner COLLATE \"C\";"

bench "activities per month, owner" "activities --period month" "
SELECT substr(occurred_at, 1, 7) AS period, owner, count(*) AS activities,
 count(DISTINCT contact_id) AS contacts,
 $(cnt "type = 'call'") AS calls, $(cnt "type = 'email'") AS emails,
 $(cnt "type = 'meeting'") AS meetings, $(cnt 'due_at IS NOT NULL') AS tasks,
 $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL') AS tasks_done,
 round(100.0 * $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL')
   / nullif($(cnt 'due_at IS NOT NULL'), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner, period ORDER BY owner COLLATE \"C\", period;"

bench "contacts per source" "contacts" "
SELECT source, count(*) AS contacts,
 $(cnt "lifecycle_stage = 'subscriber'") AS subscribers,
 $(cnt "lifecycle_stage = 'lead'") AS leads,
 $(cnt "lifecycle_stage = 'marketing_qualified_lead'") AS mqls,
 $(cnt "lifecycle_stage = 'sales_qualified_lead'") AS sqls,
 $(cnt "lifecycle_stage = 'opportunity'") AS opportunities,
 $(cnt "lifecycle_stage IN ('customer', 'evangelist')") AS customers,
 round(100.0 * $(cnt "lifecycle_stage IN ('customer', 'evangelist')")
   / count(*), 1) AS customer_rate
FROM contacts WHERE created_at < '2026-12-31T00:00:01Z'
GROUP BY source ORDER BY contacts DESC, source COLLATE \"C\" NULLS FIRST;" "$nc"

bench "pipeline now" "pipeline" "
SELECT stage, currency, count(*) AS deals,
 to_char(sum(amount) / 100.0, 'FM999999999990.00') AS amount,
 to_char(round(sum(amount * coalesce(probability, 0) / 100.0)) / 100.0,
   'FM999999999990.00') AS weighted_amount
FROM deals WHERE created_at < '2026-12-31T00:00:01Z' AND status = 'open'
GROUP BY stage, currency
ORDER BY min(probability), stage COLLATE \"C\", currency COLLATE \"C\";" "$nd"
