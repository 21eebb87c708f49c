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
# adds tests/bench/pg-reports.sh over the same sizes (the same data).
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
[ "$BENCH_ENGINE" != pg ] || exec sh "$top/tests/bench/pg-reports.sh" "$n" "$nc" "$nd" "$nl" "$nt"
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
-- companies for the deals (cohort's customers): two deals each
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nd / 2)
INSERT INTO companies (id, name, created_at, updated_at)
SELECT i, 'Co' || i, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM s;
UPDATE deals SET company_id = 1 + (id * 7) % ($nd / 2) WHERE id % 3 <> 0;
-- ticket status history: opened at creation; solved (or closed) at
-- solved_at; one solved ticket in ten reopened and solved again later
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, NULL, 'new', created_at FROM tickets;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'new', 'open', first_response_at FROM tickets
WHERE first_response_at IS NOT NULL;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'open', 'solved', solved_at FROM tickets WHERE solved_at IS NOT NULL;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'solved', 'open', strftime('%Y-%m-%dT%H:%M:%SZ', solved_at,
  '+1 hour') FROM tickets WHERE solved_at IS NOT NULL AND id % 10 = 3;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'open', status, strftime('%Y-%m-%dT%H:%M:%SZ', solved_at,
  '+2 hours') FROM tickets WHERE solved_at IS NOT NULL AND id % 10 = 3;
-- agent replies: one to three per answered ticket
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
INSERT INTO activities (type, direction, occurred_at, owner, ticket_id,
  created_at, updated_at)
SELECT 'reply', 'out', first_response_at, assignee, id, first_response_at,
  first_response_at FROM tickets, k
WHERE first_response_at IS NOT NULL AND j <= 1 + id % 3;
-- assets: one per 6 tickets, 40 products; two tickets in three name one
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nt / 6)
INSERT INTO assets (id, serial, product, created_at, updated_at)
SELECT i, 'SN' || i, 'product' || (i % 40), '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00Z' FROM s;
INSERT INTO ticket_assets (ticket_id, asset_id)
SELECT id, 1 + (id * 7) % ($nt / 6) FROM tickets WHERE id % 3 <> 0;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "data: $n activities, $nc contacts, $nl leads, $nd deals, $nt tickets"

# min_cpu FILE [CPU]: the user + sys seconds of /usr/bin/time's line
# "%U %S" in FILE (the line before the last when the command failed), or
# CPU when that is smaller
min_cpu() {
	awk -v b="$2" '/^[0-9.]+ [0-9.]+$/ { c = $1 + $2 }
		END { if (b != "" && b < c) c = b; printf "%.2f", c }' "$1"
}
# bench NAME 'crm-report args' 'reference SQL' [SIZE]; REPORTS="cycle
# stages" runs only the reports whose verb (the first word of args) it names
bench() {
	name=$1 args=$2 ref=$3 size=${4:-$n}
	case " ${REPORTS:-${args%% *}} " in *" ${args%% *} "*) ;; *) return 0 ;; esac
	# warm the page cache, then the best of two runs each, alternating
	cat "$dir/crm.db" >/dev/null
	best_ours= best_ref= cpu_ours= cpu_ref=
	for k in 1 2; do
		# shellcheck disable=SC2086
		timed "$dir/ours.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss" \
			"$bin/crm-report" $args --db "$dir/crm.db" -f csv || true
		best_ours=$(echo "$t ${best_ours:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		cpu_ours=$(min_cpu "$dir/rss" "$cpu_ours")
		timed "$dir/ref.csv" /usr/bin/time -f '%U %S' -o "$dir/cpu" \
			sqlite3 -csv -header "$dir/crm.db" "$ref" || true
		best_ref=$(echo "$t ${best_ref:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		cpu_ref=$(min_cpu "$dir/cpu" "$cpu_ref")
	done
	t_ours=$best_ours t_ref=$best_ref
	rows=$(($(wc -l <"$dir/ours.csv") - 1))
	same=$(cmp -s "$dir/ours.csv" "$dir/ref.csv" && echo "same output" || echo "OUTPUT DIFFERS")
	[ "$same" = "same output" ] || diff "$dir/ours.csv" "$dir/ref.csv" | head -6 >&2
	printf '%-28s crm-report %7.2fs  sqlite3 %7.2fs  ratio %s  cpu %ss/%ss (%s)  rss %s  %d rows, %s\n' \
		"$name" "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" \
		"$cpu_ours" "$cpu_ref" "$(awk -v a="$cpu_ours" -v b="$cpu_ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }')" \
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

# per month: every month from the first to the last with data, for every
# owner, the empty ones with zeros (as crm-report fills them)
bench "activities per month, owner" "activities --period month" "
WITH a AS (SELECT substr(occurred_at, 1, 7) AS period, owner,
 count(*) AS activities, count(DISTINCT contact_id) AS contacts,
 sum(type = 'call') AS calls, sum(type = 'email') AS emails,
 sum(type = 'meeting') AS meetings, sum(due_at IS NOT NULL) AS tasks,
 sum(due_at IS NOT NULL AND done_at IS NOT NULL) AS tasks_done,
 round(100.0 * sum(due_at IS NOT NULL AND done_at IS NOT NULL)
   / nullif(sum(due_at IS NOT NULL), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner, period),
m(period) AS (SELECT min(period) FROM a UNION ALL
 SELECT substr(date(period || '-01', '+1 month'), 1, 7) FROM m
 WHERE period < (SELECT max(period) FROM a)),
o AS (SELECT DISTINCT owner FROM a)
SELECT m.period, o.owner, coalesce(a.activities, 0) AS activities,
 coalesce(a.contacts, 0) AS contacts, coalesce(a.calls, 0) AS calls,
 coalesce(a.emails, 0) AS emails, coalesce(a.meetings, 0) AS meetings,
 coalesce(a.tasks, 0) AS tasks, coalesce(a.tasks_done, 0) AS tasks_done,
 a.tasks_done_rate
FROM m CROSS JOIN o LEFT JOIN a ON a.period = m.period AND a.owner IS o.owner
ORDER BY o.owner, m.period;"

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

# percentiles as crm_percentile: the median averages the middle two of an
# even count, p90 is the nearest rank ceil(0.9 n) (rn, c: row_number and
# count over the group)
MED='avg(x) FILTER (WHERE rn IN ((c + 1) / 2, (c + 2) / 2))'
P90='max(x) FILTER (WHERE rn <= (9 * c + 9) / 10)'
TO="'2026-12-31T00:00:01Z'" NOW="'2026-12-31T00:00:00Z'"

bench "win rate per owner" "winrate" "
SELECT owner, count(*) AS closed, sum(status = 'won') AS won,
 sum(status = 'lost') AS lost,
 round(100.0 * sum(status = 'won') / count(*), 1) AS win_rate
FROM deals WHERE closed_at < $TO AND status IN ('won', 'lost')
GROUP BY owner ORDER BY closed DESC, owner;" "$nd"

bench "sales cycle (median, p90)" "cycle" "
WITH v AS (SELECT julianday(closed_at) - julianday(created_at) AS x
 FROM deals WHERE closed_at < $TO AND status = 'won'),
r AS (SELECT x, row_number() OVER (ORDER BY x) AS rn,
 count(*) OVER () AS c FROM v)
SELECT 'all' AS total, count(*) AS won, round($MED, 1) AS median_days,
 round($P90, 1) AS p90_days, round(avg(x), 1) AS avg_days FROM r;" "$nd"

bench "days per stage" "stages" "
WITH v AS (SELECT h.from_value AS stage, h.pipeline,
  h.seconds_in_stage / 86400.0 AS x
 FROM deal_history h JOIN deals d ON d.id = h.deal_id
 WHERE h.field = 'stage' AND h.from_value IS NOT NULL
 AND h.seconds_in_stage IS NOT NULL AND h.at < $TO),
r AS (SELECT *, row_number() OVER (PARTITION BY stage, pipeline ORDER BY x)
  AS rn, count(*) OVER (PARTITION BY stage, pipeline) AS c FROM v)
SELECT stage, pipeline, count(*) AS exits, round($MED, 1) AS median_days,
 round($P90, 1) AS p90_days, round(avg(x), 1) AS avg_days
FROM r GROUP BY stage, pipeline ORDER BY pipeline, stage;" "$nd"

bench "deal size per currency" "dealsize" "
WITH r AS (SELECT currency, amount AS x,
  row_number() OVER (PARTITION BY currency ORDER BY amount) AS rn,
  count(*) OVER (PARTITION BY currency) AS c
 FROM deals WHERE closed_at < $TO AND status = 'won')
SELECT currency, count(*) AS won, $(money 'sum(x)') AS total,
 $(money 'CAST(round(avg(x)) AS INTEGER)') AS average,
 $(money "CAST(round($MED) AS INTEGER)") AS median,
 $(money "CAST(round($P90) AS INTEGER)") AS p90,
 $(money 'max(x)') AS largest
FROM r GROUP BY currency ORDER BY currency;" "$nd"

bench "sales velocity per currency" "velocity" "
WITH d AS (SELECT currency, status, amount,
  julianday(closed_at) - julianday(created_at) AS days FROM deals
 WHERE created_at < $TO AND CASE status WHEN 'open' THEN created_at
  ELSE closed_at END < $TO),
g AS (SELECT currency, sum(status = 'open') AS o, sum(status = 'won') AS w,
  sum(status = 'lost') AS l, avg(amount) FILTER (WHERE status = 'won') AS a,
  avg(days) FILTER (WHERE status = 'won') AS y FROM d GROUP BY currency)
SELECT currency, o AS open_deals, w AS won, l AS lost,
 round(100 * (1.0 * w / nullif(w + l, 0)), 1) AS win_rate,
 $(money 'CAST(round(a) AS INTEGER)') AS avg_won, round(y, 1) AS avg_cycle_days,
 $(money 'CAST(round(o * (1.0 * w / nullif(w + l, 0)) * a / nullif(y, 0)) AS INTEGER)')
   AS velocity_per_day
FROM g ORDER BY currency;" "$nd"

# the currency of most won deals, as crm-report picks it
CUR="SELECT currency FROM deals WHERE status = 'won' AND currency IS NOT NULL
 GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1"
bench "leaderboard per owner" "leaderboard" "
WITH e AS (SELECT owner, 'activity' AS k, lead_id, NULL AS amount,
  NULL AS currency, NULL AS met FROM activities
  WHERE owner IS NOT NULL AND occurred_at < $TO
 UNION ALL SELECT owner, status, NULL, amount, currency, NULL FROM deals
  WHERE status IN ('won', 'lost') AND owner IS NOT NULL AND closed_at < $TO
 UNION ALL SELECT assignee, 'solved', NULL, NULL, NULL,
  CASE WHEN resolution_due IS NOT NULL THEN solved_at <= resolution_due
   AND coalesce(resolution_breached, 0) = 0 END FROM tickets
  WHERE solved_at IS NOT NULL AND assignee IS NOT NULL AND solved_at < $TO),
c(cur) AS ($CUR)
SELECT owner, sum(k = 'activity') AS activities,
 count(DISTINCT lead_id) AS leads_worked, sum(k = 'won') AS deals_won,
 $(money "coalesce(sum(amount) FILTER (WHERE k = 'won' AND currency = cur), 0)")
   AS amount_won, cur AS currency,
 round(100.0 * sum(k = 'won') / nullif(sum(k IN ('won', 'lost')), 0), 1)
   AS win_rate, sum(k = 'solved') AS tickets_solved,
 round(100.0 * sum(met) / nullif(count(met), 0), 1) AS sla_compliance
FROM e, c GROUP BY owner ORDER BY deals_won DESC, activities DESC, owner;" "$n"

H="24 * (julianday(first_response_at) - julianday(created_at))"
bench "first-reply time bins" "replytime" "
WITH r AS (SELECT $H AS x, row_number() OVER (ORDER BY $H) AS rn,
  count(*) OVER () AS c FROM tickets
 WHERE created_at < $TO AND first_response_at IS NOT NULL)
SELECT 'all' AS total, count(*) AS replied, sum(x < 1) AS under_1h,
 sum(x >= 1 AND x < 4) AS h1_to_4, sum(x >= 4 AND x < 8) AS h4_to_8,
 sum(x >= 8 AND x < 24) AS h8_to_24, sum(x >= 24 AND x < 72) AS d1_to_3,
 sum(x >= 72) AS over_3d, round($MED, 1) AS median_first_reply_hours,
 round($P90, 1) AS p90_first_reply_hours FROM r;" "$nt"

# the backlog now: --to after now reads each ticket's status as it is
A="julianday($NOW) - julianday(created_at)"
# backlog ROWS: the report over ROWS (a table or CTE of status, created_at)
backlog() {
	echo "r AS (SELECT status, created_at, $A AS x,
  row_number() OVER (PARTITION BY status ORDER BY $A) AS rn,
  count(*) OVER (PARTITION BY status) AS c FROM $1
 WHERE created_at < $TO AND status NOT IN ('solved', 'closed'))
SELECT status, count(*) AS tickets, sum(x < 1) AS under_1d,
 sum(x >= 1 AND x < 7) AS d1_to_7, sum(x >= 7 AND x < 30) AS d7_to_30,
 sum(x >= 30) AS over_30d, round($MED, 1) AS median_age_days,
 round($P90, 1) AS p90_age_days, min(created_at) AS oldest_created_at
FROM r GROUP BY status ORDER BY tickets DESC, status;"
}
bench "ticket backlog by status" "tickets" "WITH $(backlog tickets)" "$nt"

# as of a past date: each ticket's status from its history
bench "ticket backlog as of 2026-06-30" "tickets --to 2026-06-30" "
WITH s AS (SELECT t.created_at, coalesce(
   (SELECT h.to_status FROM ticket_status_history h WHERE h.ticket_id = t.id
    AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1),
   (SELECT h.from_status FROM ticket_status_history h WHERE h.ticket_id = t.id
    AND h.at >= '2026-07-01T00:00:00Z' ORDER BY h.at, h.id LIMIT 1),
   CASE WHEN t.status IN ('solved', 'closed') AND coalesce(t.solved_at,
    t.closed_at) >= '2026-07-01T00:00:00Z' THEN 'open' ELSE t.status END)
   AS status FROM tickets t WHERE t.created_at < '2026-07-01T00:00:00Z'),
$(backlog s)" "$nt"

# service: replies and reopens per ticket by grouped joins (service_ref
# FROM ONLY: the tickets created from FROM to $TO; ONLY restricts the
# replies and reopens grouped, all of them by default, those of the
# range's tickets with 'ticket_id IN (SELECT id FROM tr)')
service_ref() {
	printf '%s' "
WITH tr AS (SELECT id, status FROM tickets WHERE created_at < $TO
  AND created_at >= $1),
rp AS (SELECT ticket_id, count(*) AS n FROM activities
  WHERE ${2:-ticket_id IS NOT NULL} AND type = 'reply'
  AND direction = 'out' GROUP BY ticket_id),
ro AS (SELECT ticket_id, count(*) AS n FROM ticket_status_history
  WHERE ${2:-ticket_id IS NOT NULL} AND from_status IN ('solved', 'closed')
  AND to_status NOT IN ('solved', 'closed') GROUP BY ticket_id),
t AS (SELECT t.status IN ('solved', 'closed') AS res,
  coalesce(rp.n, 0) AS replies, coalesce(ro.n, 0) AS reopens
 FROM tr t LEFT JOIN rp ON rp.ticket_id = t.id
 LEFT JOIN ro ON ro.ticket_id = t.id),
r AS (SELECT replies AS x, row_number() OVER (ORDER BY replies) AS rn,
  count(*) OVER () AS c FROM t WHERE res)
SELECT 'all' AS total, count(*) AS tickets, sum(res) AS resolved,
 sum(res AND replies = 1 AND reopens = 0) AS first_contact,
 round(100.0 * sum(res AND replies = 1 AND reopens = 0)
   / nullif(sum(res), 0), 1) AS first_contact_rate,
 sum(reopens > 0) AS reopened,
 round(100.0 * sum(reopens > 0) / nullif(sum(res OR reopens > 0), 0), 1)
   AS reopen_rate,
 round(avg(CASE WHEN res THEN 1.0 * replies END), 2)
   AS avg_replies_to_resolution,
 (SELECT round($MED, 1) FROM r) AS median_replies_to_resolution
FROM t;"
}
bench "service (first contact, reopens)" "service" "$(service_ref "''")" "$nt"
# a narrow range: one month's tickets (their replies and reopens only)
bench "service for December 2026" "service --from 2026-12-01" \
	"$(service_ref "'2026-12-01T00:00:00Z'" 'ticket_id IN (SELECT id FROM tr)')" \
	"$nt"

bench "tickets per asset product" "assets" "
WITH a AS (SELECT a.id, a.product, t.id AS tid, t.status FROM assets a
 LEFT JOIN ticket_assets ta ON ta.asset_id = a.id
 LEFT JOIN tickets t ON t.id = ta.ticket_id
 WHERE coalesce(t.created_at, a.created_at) < $TO)
SELECT product, count(DISTINCT id) AS assets, count(tid) AS tickets,
 sum(tid IS NOT NULL AND status NOT IN ('solved', 'closed')) AS open_tickets,
 round(1.0 * count(tid) / nullif(count(DISTINCT id), 0), 2)
   AS tickets_per_asset,
 count(DISTINCT CASE WHEN tid IS NOT NULL THEN id END) AS assets_with_tickets
FROM a GROUP BY product ORDER BY tickets DESC, product;" "$nt"

# cohorts: each customer's first and last month once, the cells by
# grouped joins over the months each cohort spans
bench "customer cohorts" "cohort" "
WITH w AS (SELECT DISTINCT coalesce('company:' || company_id,
   'contact:' || contact_id, 'deal:' || id) AS cust, substr(closed_at, 1, 7) AS m
 FROM deals WHERE status = 'won' AND closed_at < $TO),
f AS (SELECT cust, min(m) AS c, max(m) AS l FROM w GROUP BY cust),
co AS (SELECT c, count(*) AS n FROM f GROUP BY c),
mo(c, k, m) AS (SELECT c, 0, c FROM co UNION ALL
 SELECT c, k + 1, substr(date(m || '-01', '+1 month'), 1, 7) FROM mo
 WHERE m < '2026-12'),
b AS (SELECT f.c, w.m, count(*) AS n FROM w JOIN f ON f.cust = w.cust
 GROUP BY f.c, w.m),
s AS (SELECT mo.c, mo.m, count(f.cust) AS n FROM mo
 LEFT JOIN f ON f.c = mo.c AND f.l < mo.m GROUP BY mo.c, mo.m)
SELECT mo.c AS cohort, mo.k AS month, mo.m AS period, co.n AS customers,
 coalesce(b.n, 0) AS bought, round(100.0 * coalesce(b.n, 0) / co.n, 1)
   AS bought_rate, s.n AS silent, round(100.0 * s.n / co.n, 1) AS silent_rate
FROM mo JOIN co ON co.c = mo.c LEFT JOIN b ON b.c = mo.c AND b.m = mo.m
JOIN s ON s.c = mo.c AND s.m = mo.m ORDER BY mo.c, mo.k;" "$nd"

# sources: won deals per lead by one grouped join, in the report currency
bench "lead sources and campaigns" "sources" "
WITH c(cur) AS ($CUR),
wd AS (SELECT lead_id, count(*) AS n,
  sum(amount) FILTER (WHERE currency = (SELECT cur FROM c)) AS amt
 FROM deals WHERE status = 'won' AND lead_id IS NOT NULL GROUP BY lead_id)
SELECT l.source, l.campaign, count(*) AS leads,
 sum(l.status = 'converted') AS converted,
 round(100.0 * sum(l.status = 'converted') / count(*), 1) AS conversion_rate,
 sum(coalesce(wd.n, 0)) AS won_deals,
 $(money 'coalesce(sum(wd.amt), 0)') AS won_revenue, NULL AS cost,
 (SELECT cur FROM c) AS currency, NULL AS roi_pct
FROM leads l LEFT JOIN wd ON wd.lead_id = l.id WHERE l.created_at < $TO
GROUP BY l.source, l.campaign ORDER BY leads DESC, l.source, l.campaign;" "$nl"

if [ "$BENCH_ENGINE" = both ]; then
	rm -f "$dir/crm.db" "$dir/crm.db-wal" "$dir/crm.db-shm"
	sh "$top/tests/bench/pg-reports.sh" "$n" "$nc" "$nd" "$nl" "$nt"
fi
