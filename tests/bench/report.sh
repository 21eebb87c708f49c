#!/bin/sh
# report.sh [ACTIVITIES [CONTACTS [LEADS [DEALS [TICKETS]]]]]: time
# crm-report over ACTIVITIES activities (default 5,000,000), CONTACTS
# contacts (1,000,000), LEADS leads with their history (1,000,000), DEALS
# deals with theirs (200,000) and TICKETS tickets (300,000) against the
# equivalent hand-written SQL in the sqlite3 shell over the same database,
# in the same run, and checks both print the same CSV. Prints each time,
# the ratio (ours / sqlite3, the best of two runs each; the goal is at
# most 1.5) and our peak RSS, and a `row` line per report (lib.sh).
# BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL is installed)
# adds tests/bench/pg-reports.sh over ACTIVITIES, CONTACTS and DEALS.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
nl=${3:-1000000}
nd=${4:-200000}
nt=${5:-300000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
# BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL is installed):
# pg runs tests/bench/pg-reports.sh with the sizes it takes
if [ -z "${BENCH_ENGINE:-}" ]; then
	BENCH_ENGINE=sqlite
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && BENCH_ENGINE=both
fi
[ "$BENCH_ENGINE" != pg ] || exec sh "$top/tests/bench/pg-reports.sh" "$n" "$nc" "$nd"
export CRM_NOW=2026-12-31T00:00:00Z LC_ALL=C

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
-- leads: a tenth converted (with a deal: deal i is lead 10 i's), a tenth
-- qualified, three in four owned; history rows as crm-lead writes them
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nl)
INSERT INTO leads (id, first_name, source, campaign, status, owner,
  assigned_at, converted_at, created_at, updated_at)
SELECT i, 'L' || i,
  CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'web' WHEN 2 THEN 'event'
    WHEN 3 THEN 'referral' WHEN 4 THEN 'ads' WHEN 5 THEN 'partner'
    ELSE 'social' END,
  'c' || (i % 5),
  CASE i % 10 WHEN 0 THEN 'converted' WHEN 1 THEN 'qualified'
    WHEN 2 THEN 'unqualified' WHEN 3 THEN 'working' ELSE 'new' END,
  CASE WHEN i % 4 <> 3 THEN 'rep' || (i % 50) END,
  CASE WHEN i % 4 <> 3 THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    1704067200 + (i * 7919) % 94608000 + 3600 * (i % 50), 'unixepoch') END,
  CASE WHEN i % 10 = 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    1704067200 + (i * 7919) % 94608000 + 86400 * (1 + i % 30), 'unixepoch') END,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 94608000,
    'unixepoch'), '2026-12-31T00:00:00Z'
FROM s;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', NULL, 'new', created_at, 'create' FROM leads;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'owner', NULL, owner, assigned_at, 'assign' FROM leads
WHERE owner IS NOT NULL;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', 'new', 'qualified', strftime('%Y-%m-%dT%H:%M:%SZ',
  created_at, '+1 day'), 'qualify' FROM leads WHERE id % 10 IN (0, 1);
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', 'qualified', 'converted', converted_at, 'convert'
FROM leads WHERE status = 'converted';
-- deals: a quarter won, a quarter lost, the rest open in five stages
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nd)
INSERT INTO deals (id, name, lead_id, pipeline, stage, status, amount,
  currency, probability, owner, closed_at, stage_changed_at, created_at,
  updated_at)
SELECT i, 'D' || i, CASE WHEN i * 10 <= $nl THEN i * 10 END, 'default',
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
  CASE WHEN i % 4 IN (0, 1) THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    1704067200 + (i * 7919) % 94608000 + 86400 * (1 + i % 90), 'unixepoch') END,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 94608000
    + CASE WHEN i % 4 IN (0, 1) THEN 86400 * (1 + i % 90) ELSE 0 END,
    'unixepoch'),
  strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 94608000,
    'unixepoch'), '2026-12-31T00:00:00Z'
FROM s;
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, to_status, amount, currency)
SELECT id, 'stage', NULL, CASE WHEN status = 'open' THEN stage
  ELSE 'prospecting' END, created_at, pipeline, 'open', amount, currency
FROM deals;
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, from_status, to_status, seconds_in_stage, amount, currency)
SELECT id, 'stage', 'prospecting', stage, closed_at, pipeline, 'open',
  status, CAST((julianday(closed_at) - julianday(created_at)) * 86400
  AS INTEGER), amount, currency FROM deals WHERE status <> 'open';
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, amount, currency)
SELECT id, 'probability', '10', CAST(probability AS TEXT), closed_at,
  pipeline, amount, currency FROM deals WHERE status <> 'open';
-- tickets: first reply due in 4h, resolution in 2 days
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nt),
t AS (SELECT i, 1704067200 + (i * 7919) % 94608000 AS c FROM s)
INSERT INTO tickets (id, subject, priority, status, assignee, team,
  first_response_at, solved_at, first_reply_due, resolution_due,
  first_reply_breached, resolution_breached, created_at, updated_at)
SELECT i, 'T' || i,
  CASE i % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' WHEN 2 THEN 'high'
    ELSE 'urgent' END,
  CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending'
    WHEN 3 THEN 'solved' ELSE 'closed' END,
  'agent' || (i % 20), 'team' || (i % 3),
  CASE WHEN i % 5 <> 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    c + 60 * ((i * 13) % 400), 'unixepoch') END,
  CASE WHEN i % 5 IN (3, 4) THEN strftime('%Y-%m-%dT%H:%M:%SZ',
    c + 3600 * ((i * 17) % 96), 'unixepoch') END,
  strftime('%Y-%m-%dT%H:%M:%SZ', c + 4 * 3600, 'unixepoch'),
  strftime('%Y-%m-%dT%H:%M:%SZ', c + 48 * 3600, 'unixepoch'),
  0, 0,
  strftime('%Y-%m-%dT%H:%M:%SZ', c, 'unixepoch'), '2026-12-31T00:00:00Z'
FROM t;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "data: $n activities, $nc contacts, $nl leads, $nd deals, $nt tickets"

# bench NAME 'crm-report args' 'reference SQL'
bench() {
	name=$1 args=$2 ref=$3 size=${4:-$n}
	# warm the page cache, then the best of two runs each, alternating
	cat "$dir/crm.db" >/dev/null
	best_ours= best_ref=
	for k in 1 2; do
		# shellcheck disable=SC2086
		timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
			"$bin/crm-report" $args --db "$dir/crm.db" -f csv || true
		best_ours=$(echo "$t ${best_ours:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		timed "$dir/ref.csv" sqlite3 -csv -header "$dir/crm.db" "$ref" || true
		best_ref=$(echo "$t ${best_ref:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
	done
	t_ours=$best_ours t_ref=$best_ref
	rows=$(($(wc -l <"$dir/ours.csv") - 1))
	same=$(cmp -s "$dir/ours.csv" "$dir/ref.csv" && echo "same output" || echo "OUTPUT DIFFERS")
	printf '%-28s crm-report %7.2fs  sqlite3 %7.2fs  ratio %s  rss %s  %d rows, %s\n' \
		"$name" "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" \
		"$(rss "$dir/rss")" "$rows" "$same"
	row "report $(echo "$args" | tr ' ' '-')" sqlite "$size" "$t_ours" "$t_ref" "$dir/rss"
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

bench "contacts per source" "contacts" "
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
GROUP BY source ORDER BY contacts DESC, source;" "$nc"

# the median and p90 by hand: window functions over the follow-ups due
bench "unattended (median, p90)" "unattended" "
WITH f AS (SELECT owner, 'task' AS k, due_at, contact_id FROM activities
   WHERE due_at IS NOT NULL AND done_at IS NULL
 UNION ALL SELECT owner, 'lead', strftime('%Y-%m-%dT%H:%M:%SZ',
   max(coalesce(assigned_at, created_at), coalesce(last_activity_at, '')),
   '+604800 seconds'), NULL FROM leads
   WHERE status IN ('new', 'working', 'nurturing', 'qualified')
 UNION ALL SELECT owner, 'deal', strftime('%Y-%m-%dT%H:%M:%SZ',
   max(coalesce(stage_changed_at, created_at), coalesce(last_activity_at, '')),
   '+604800 seconds'), NULL FROM deals WHERE status = 'open'),
o AS (SELECT *, julianday('2026-12-31T00:00:00Z') - julianday(due_at) AS d
 FROM f WHERE due_at < '2026-12-31T00:00:00Z'),
r AS (SELECT *, row_number() OVER (PARTITION BY owner ORDER BY d) AS rn,
   count(*) OVER (PARTITION BY owner) AS cnt FROM o)
SELECT owner, sum(k = 'task') AS overdue_tasks, sum(k = 'lead') AS idle_leads,
 sum(k = 'deal') AS stale_deals,
 sum(k = 'task' AND contact_id IS NOT NULL) AS on_contacts, 0 AS on_leads,
 0 AS on_deals, 0 AS on_tickets, min(due_at) AS oldest_due_at,
 round(avg(d) FILTER (WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)), 1)
   AS median_days_overdue,
 round(max(d) FILTER (WHERE rn <= (9 * cnt + 9) / 10), 1) AS p90_days_overdue,
 round(max(d), 1) AS max_days_overdue
FROM r GROUP BY owner
ORDER BY overdue_tasks + idle_leads + stale_deals DESC, owner;"

# funnel: the marks per lead, the three medians with window functions
bench "funnel (1 row, 3 medians)" "funnel" "
WITH l AS (SELECT l.status, l.created_at, l.converted_at,
   (SELECT min(h.at) FROM lead_history h WHERE h.lead_id = l.id
     AND h.field = 'owner' AND h.to_value IS NOT NULL) AS a,
   (l.status = 'converted' OR EXISTS (SELECT 1 FROM lead_history h
     WHERE h.lead_id = l.id AND h.field = 'status'
     AND h.to_value = 'qualified')) AS q,
   EXISTS (SELECT 1 FROM deals d WHERE d.lead_id = l.id) AS dl,
   (SELECT min(d.closed_at) FROM deals d WHERE d.lead_id = l.id
     AND d.status = 'won') AS w
 FROM leads l WHERE l.created_at < '2026-12-31T00:00:01Z'),
v(k, x) AS (SELECT 1, julianday(a) - julianday(created_at) FROM l
   WHERE a IS NOT NULL
 UNION ALL SELECT 2, julianday(converted_at) - julianday(created_at) FROM l
   WHERE converted_at IS NOT NULL
 UNION ALL SELECT 3, julianday(w) - julianday(created_at) FROM l
   WHERE w IS NOT NULL),
r AS (SELECT k, x, row_number() OVER (PARTITION BY k ORDER BY x) AS rn,
   count(*) OVER (PARTITION BY k) AS c FROM v),
m AS (SELECT k, round(avg(x), 1) AS x FROM r
   WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY k)
SELECT 'all' AS total, count(*) AS leads, sum(q) AS qualified,
 sum(status = 'converted') AS converted, sum(dl) AS deals,
 sum(w IS NOT NULL) AS won,
 round(100.0 * sum(q) / nullif(count(*), 0), 1) AS qualified_rate,
 round(100.0 * sum(status = 'converted') / nullif(sum(q), 0), 1)
   AS converted_rate,
 round(100.0 * sum(dl) / nullif(sum(status = 'converted'), 0), 1) AS deal_rate,
 round(100.0 * sum(w IS NOT NULL) / nullif(sum(dl), 0), 1) AS won_rate,
 round(100.0 * sum(w IS NOT NULL) / nullif(count(*), 0), 1)
   AS lead_to_won_rate,
 (SELECT x FROM m WHERE k = 1) AS median_days_to_assign,
 (SELECT x FROM m WHERE k = 2) AS median_days_to_convert,
 (SELECT x FROM m WHERE k = 3) AS median_days_to_close
FROM l;" "$nl"

bench "funnel by source" "funnel --by source" "
WITH l AS (SELECT l.source, l.status, l.created_at, l.converted_at,
   (SELECT min(h.at) FROM lead_history h WHERE h.lead_id = l.id
     AND h.field = 'owner' AND h.to_value IS NOT NULL) AS a,
   (l.status = 'converted' OR EXISTS (SELECT 1 FROM lead_history h
     WHERE h.lead_id = l.id AND h.field = 'status'
     AND h.to_value = 'qualified')) AS q,
   EXISTS (SELECT 1 FROM deals d WHERE d.lead_id = l.id) AS dl,
   (SELECT min(d.closed_at) FROM deals d WHERE d.lead_id = l.id
     AND d.status = 'won') AS w
 FROM leads l WHERE l.created_at < '2026-12-31T00:00:01Z'),
v(g, k, x) AS (SELECT source, 1, julianday(a) - julianday(created_at) FROM l
   WHERE a IS NOT NULL
 UNION ALL SELECT source, 2, julianday(converted_at) - julianday(created_at)
   FROM l WHERE converted_at IS NOT NULL
 UNION ALL SELECT source, 3, julianday(w) - julianday(created_at) FROM l
   WHERE w IS NOT NULL),
r AS (SELECT g, k, x, row_number() OVER (PARTITION BY g, k ORDER BY x) AS rn,
   count(*) OVER (PARTITION BY g, k) AS c FROM v),
m AS (SELECT g, k, round(avg(x), 1) AS x FROM r
   WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY g, k)
SELECT source, count(*) AS leads, sum(q) AS qualified,
 sum(status = 'converted') AS converted, sum(dl) AS deals,
 sum(w IS NOT NULL) AS won,
 round(100.0 * sum(q) / nullif(count(*), 0), 1) AS qualified_rate,
 round(100.0 * sum(status = 'converted') / nullif(sum(q), 0), 1)
   AS converted_rate,
 round(100.0 * sum(dl) / nullif(sum(status = 'converted'), 0), 1) AS deal_rate,
 round(100.0 * sum(w IS NOT NULL) / nullif(sum(dl), 0), 1) AS won_rate,
 round(100.0 * sum(w IS NOT NULL) / nullif(count(*), 0), 1)
   AS lead_to_won_rate,
 (SELECT x FROM m WHERE m.g IS l.source AND k = 1) AS median_days_to_assign,
 (SELECT x FROM m WHERE m.g IS l.source AND k = 2) AS median_days_to_convert,
 (SELECT x FROM m WHERE m.g IS l.source AND k = 3) AS median_days_to_close
FROM l GROUP BY source ORDER BY leads DESC, source;" "$nl"

money() { # the decimal string of minor units X (2-decimal currencies)
	echo "CASE WHEN $1 IS NULL THEN NULL ELSE printf('%d.%02d', ($1) / 100, ($1) % 100) END"
}
bench "pipeline now" "pipeline" "
SELECT stage, currency, count(*) AS deals,
 $(money 'sum(amount)') AS amount,
 $(money 'CAST(round(sum(amount * coalesce(probability, 0) / 100.0)) AS INTEGER)')
   AS weighted_amount
FROM deals WHERE created_at < '2026-12-31T00:00:01Z' AND status = 'open'
GROUP BY stage, currency ORDER BY min(probability), stage, currency;" "$nd"

# as of a past date: each deal's last history rows before it
bench "pipeline as of 2026-06-30" "pipeline --to 2026-06-30" "
WITH d AS (SELECT d.id,
   (SELECT h.to_value FROM deal_history h WHERE h.deal_id = d.id
     AND h.field = 'stage' AND h.at < '2026-07-01T00:00:00Z'
     ORDER BY h.at DESC, h.id DESC LIMIT 1) AS stage,
   (SELECT h.to_status FROM deal_history h WHERE h.deal_id = d.id
     AND h.field = 'stage' AND h.at < '2026-07-01T00:00:00Z'
     ORDER BY h.at DESC, h.id DESC LIMIT 1) AS status,
   (SELECT h.amount FROM deal_history h WHERE h.deal_id = d.id
     AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1)
     AS amount,
   (SELECT h.currency FROM deal_history h WHERE h.deal_id = d.id
     AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1)
     AS currency,
   coalesce((SELECT CAST(h.to_value AS REAL) FROM deal_history h
     WHERE h.deal_id = d.id AND h.field = 'probability'
     AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1),
     (SELECT CAST(h.from_value AS REAL) FROM deal_history h
     WHERE h.deal_id = d.id AND h.field = 'probability'
     AND h.at >= '2026-07-01T00:00:00Z' ORDER BY h.at, h.id LIMIT 1),
     d.probability) AS probability
 FROM deals d WHERE d.created_at < '2026-07-01T00:00:00Z')
SELECT stage, currency, count(*) AS deals, $(money 'sum(amount)') AS amount,
 $(money 'CAST(round(sum(amount * coalesce(probability, 0) / 100.0)) AS INTEGER)')
   AS weighted_amount
FROM d WHERE status = 'open'
GROUP BY stage, currency ORDER BY min(probability), stage, currency;" "$nd"

# sla: the compliance counts, and median and p90 by window functions
met() { echo "($1_due IS NOT NULL AND coalesce($2 <= $1_due, 0) AND NOT coalesce($1_breached, 0))"; }
breach() { echo "($1_due IS NOT NULL AND (coalesce($1_breached, 0) OR coalesce($2, '2026-12-31T00:00:00Z') > $1_due))"; }
FM=$(met first_reply first_response_at) FB=$(breach first_reply first_response_at)
RM=$(met resolution solved_at) RB=$(breach resolution solved_at)
bench "sla per priority" "sla" "
WITH t AS (SELECT * FROM tickets WHERE created_at < '2026-12-31T00:00:01Z'),
v(p, k, x) AS (SELECT priority, 1, 24 * (julianday(first_response_at)
   - julianday(created_at)) FROM t WHERE first_response_at IS NOT NULL
 UNION ALL SELECT priority, 2, 24 * (julianday(solved_at)
   - julianday(created_at)) FROM t WHERE solved_at IS NOT NULL),
r AS (SELECT p, k, x, row_number() OVER (PARTITION BY p, k ORDER BY x) AS rn,
   count(*) OVER (PARTITION BY p, k) AS c FROM v),
m AS (SELECT p, k,
   round(avg(x) FILTER (WHERE rn IN ((c + 1) / 2, (c + 2) / 2)), 1) AS med,
   round(max(x) FILTER (WHERE rn <= (9 * c + 9) / 10), 1) AS p90
 FROM r GROUP BY p, k)
SELECT priority, count(*) AS tickets, sum($FM) AS first_reply_met,
 sum($FB) AS first_reply_breached,
 round(100.0 * sum($FM) / nullif(sum($FM) + sum($FB), 0), 1)
   AS first_reply_compliance,
 (SELECT med FROM m WHERE m.p IS t.priority AND k = 1)
   AS median_first_reply_hours,
 (SELECT p90 FROM m WHERE m.p IS t.priority AND k = 1) AS p90_first_reply_hours,
 sum($RM) AS resolution_met, sum($RB) AS resolution_breached,
 round(100.0 * sum($RM) / nullif(sum($RM) + sum($RB), 0), 1)
   AS resolution_compliance,
 (SELECT med FROM m WHERE m.p IS t.priority AND k = 2)
   AS median_resolution_hours,
 (SELECT p90 FROM m WHERE m.p IS t.priority AND k = 2) AS p90_resolution_hours,
 sum($FB OR $RB) AS breached_tickets
FROM t GROUP BY priority ORDER BY tickets DESC, priority;" "$nt"

if [ "$BENCH_ENGINE" = both ]; then
	rm -f "$dir/crm.db" "$dir/crm.db-wal" "$dir/crm.db-shm"
	sh "$top/tests/bench/pg-reports.sh" "$n" "$nc" "$nd"
fi
