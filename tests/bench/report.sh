#!/bin/sh
# report.sh [ACTIVITIES [CONTACTS]]: time crm-report over ACTIVITIES
# activities (default 5,000,000) and CONTACTS contacts (default 1,000,000)
# against the equivalent hand-written SQL in the sqlite3 shell over the
# same database, in the same run, and checks both print the same CSV. Prints each time, the ratio (ours /
# sqlite3, the best of two runs each; the goal is at most 1.5) and our
# peak RSS.
#
# The funnel, pipeline and sla reports (leads, deals, tickets) are not
# here yet: those tables are not in this tree.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-31T00:00:00Z LC_ALL=C

timed() { # OUT command...: run it with stdout to OUT; wall seconds in $t
	o=$1; shift
	s=$(date +%s.%N); "$@" >"$o" || true; e=$(date +%s.%N)
	t=$(echo "$s $e" | awk '{printf "%.3f", $2 - $1}')
}
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }
rss() { awk 'END { printf "%.1f MiB", $1 / 1024 }' "$1"; }

"$bin/crm" init --db "$dir/crm.db" 2>/dev/null
sqlite3 "$dir/crm.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nc)
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
  strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 94608000,
    'unixepoch'), '2026-12-31T00:00:00Z'
FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
INSERT INTO activities (type, occurred_at, owner, due_at, done_at,
  contact_id, created_at, updated_at)
SELECT CASE i % 6 WHEN 0 THEN 'call' WHEN 1 THEN 'email' WHEN 2 THEN 'meeting'
    WHEN 3 THEN 'task' WHEN 4 THEN 'web_visit' ELSE 'email_open' END,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1735689600 + (i * 7919) % 31536000,
    'unixepoch'),
  'rep' || (i % 50),
  CASE WHEN i % 6 = 3 THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    1735689600 + (i * 7919) % 31536000 + 86400 * (1 + i % 9), 'unixepoch') END,
  CASE WHEN i % 6 = 3 AND i % 5 <> 0 THEN '2026-06-01T00:00:00Z' END,
  1 + (i * 31) % $nc, '2026-12-31T00:00:00Z', '2026-12-31T00:00:00Z'
FROM s;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "data: $n activities, $nc contacts"

# bench NAME 'crm-report args' 'reference SQL'
bench() {
	name=$1 args=$2 ref=$3
	# warm the page cache, then the best of two runs each, alternating
	cat "$dir/crm.db" >/dev/null
	best_ours= best_ref=
	for k in 1 2; do
		# shellcheck disable=SC2086
		timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
			"$bin/crm-report" $args --db "$dir/crm.db" -f csv
		best_ours=$(echo "$t ${best_ours:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		timed "$dir/ref.csv" sqlite3 -csv -header "$dir/crm.db" "$ref"
		best_ref=$(echo "$t ${best_ref:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
	done
	t_ours=$best_ours t_ref=$best_ref
	rows=$(($(wc -l <"$dir/ours.csv") - 1))
	same=$(cmp -s "$dir/ours.csv" "$dir/ref.csv" && echo "same output" || echo "OUTPUT DIFFERS")
	printf '%-28s crm-report %7.2fs  sqlite3 %7.2fs  ratio %s  rss %s  %d rows, %s\n' \
		"$name" "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" \
		"$(rss "$dir/rss")" "$rows" "$same"
}

bench "activities per owner" "activities" "
SELECT owner, count(*) AS activities, count(DISTINCT contact_id) AS contacts,
 sum(type = 'call') AS calls, sum(type = 'email') AS emails,
 sum(type = 'meeting') AS meetings, sum(due_at IS NOT NULL) AS tasks,
 sum(due_at IS NOT NULL AND done_at IS NOT NULL) AS tasks_done,
 round(100.0 * sum(due_at IS NOT NULL AND done_at IS NOT NULL)
   / nullif(sum(due_at IS NOT NULL), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner ORDER BY activities DESC, owner;"

bench "activities per month, owner" "activities --period month" "
SELECT substr(occurred_at, 1, 7) AS period, owner, count(*) AS activities,
 count(DISTINCT contact_id) AS contacts,
 sum(type = 'call') AS calls, sum(type = 'email') AS emails,
 sum(type = 'meeting') AS meetings, sum(due_at IS NOT NULL) AS tasks,
 sum(due_at IS NOT NULL AND done_at IS NOT NULL) AS tasks_done,
 round(100.0 * sum(due_at IS NOT NULL AND done_at IS NOT NULL)
   / nullif(sum(due_at IS NOT NULL), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner, period ORDER BY owner, period;"

bench "contacts per source" "sources" "
SELECT source, count(*) AS contacts,
 sum(lifecycle_stage = 'subscriber') AS subscribers,
 sum(lifecycle_stage = 'lead') AS leads,
 sum(lifecycle_stage = 'marketing_qualified_lead') AS mqls,
 sum(lifecycle_stage = 'sales_qualified_lead') AS sqls,
 sum(lifecycle_stage = 'opportunity') AS opportunities,
 sum(lifecycle_stage IN ('customer', 'evangelist')) AS customers,
 round(100.0 * sum(lifecycle_stage IN ('customer', 'evangelist'))
   / count(*), 1) AS customer_rate
FROM contacts WHERE created_at < '2026-12-31T00:00:01Z'
GROUP BY source ORDER BY contacts DESC, source;"

# the median and p90 by hand: window functions over the overdue tasks
bench "unattended (median, p90)" "unattended" "
WITH o AS (SELECT owner, due_at, contact_id,
   julianday('2026-12-31T00:00:00Z') - julianday(due_at) AS d
 FROM activities WHERE due_at < '2026-12-31T00:00:00Z' AND done_at IS NULL),
r AS (SELECT *, row_number() OVER (PARTITION BY owner ORDER BY d) AS rn,
   count(*) OVER (PARTITION BY owner) AS cnt FROM o)
SELECT owner, count(*) AS overdue_tasks,
 sum(contact_id IS NOT NULL) AS on_contacts, 0 AS on_leads, 0 AS on_deals,
 0 AS on_tickets, min(due_at) AS oldest_due_at,
 round(avg(d) FILTER (WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)), 1)
   AS median_days_overdue,
 round(max(d) FILTER (WHERE rn <= (9 * cnt + 9) / 10), 1) AS p90_days_overdue,
 round(max(d), 1) AS max_days_overdue
FROM r GROUP BY owner ORDER BY overdue_tasks DESC, owner;"
