#!/bin/sh
# pg-reports.sh [ACTIVITIES [CONTACTS [DEALS [LEADS [TICKETS]]]]]: the
# PostgreSQL side of report.sh. Times crm-report on PostgreSQL over
# ACTIVITIES activities (default 5,000,000), CONTACTS contacts (1,000,000),
# DEALS deals with their history (200,000), LEADS leads with theirs
# (1,000,000) and TICKETS tickets (300,000), with their replies, status
# history, companies and assets, generated in the same shape as report.sh's,
# on a throwaway server tests/pgserver.sh starts (or the one $CRM_TEST_PG
# names). Each report runs twice as crm-report (our SQL through libpq, the
# rows formatted by crm) and twice as the equivalent hand-written
# PostgreSQL SQL run by `psql --csv` over the same database (ordered-set
# aggregates percentile_cont/percentile_disc for the medians and p90s,
# FILTER for the counts), in the same run; both must print the same CSV.
# Prints the best wall time of each, their ratio (ours / psql; the #25 goal
# is at most 1.5), the CPU seconds of each (the client's user + system plus
# the server backends', read from the postmaster's reaped children in
# /proc when the server is ours) and our peak RSS, and a `row` line per
# report (lib.sh). REPORTS="cycle stages" runs only the reports whose verb
# (the first word of crm-report's arguments) it names. KEEP=1 keeps the
# database (its name is printed), to time builds against it by hand.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
nd=${3:-200000}
nl=${4:-1000000}
nt=${5:-300000}
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
trap '[ -n "${KEEP:-}" ] || admin "DROP DATABASE IF EXISTS $dbname"; rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-31T00:00:00Z LC_ALL=C
admin "CREATE DATABASE $dbname"
"$bin/crm" init --db "$db" 2>/dev/null

iso="'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
# ts EPOCH: the ISO 8601 UTC text of the seconds EPOCH (strftime's)
ts() { echo "to_char(to_timestamp($1) AT TIME ZONE 'UTC', $iso)"; }
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
-- leads: a tenth converted (with a deal: deal i is lead 10 i's), a tenth
-- qualified, three in four owned; history rows as crm-lead writes them
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
  CASE WHEN i % 4 <> 3 THEN $(ts "1704067200 + (i * 7919) % 94608000 + 3600 * (i % 50)") END,
  CASE WHEN i % 10 = 0 THEN $(ts "1704067200 + (i * 7919) % 94608000 + 86400 * (1 + i % 30)") END,
  $(ts "1704067200 + (i * 7919) % 94608000"), '2026-12-31T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $nl) i;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', NULL, 'new', created_at, 'create' FROM leads;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'owner', NULL, owner, assigned_at, 'assign' FROM leads
WHERE owner IS NOT NULL;
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', 'new', 'qualified',
  to_char(CAST(created_at AS timestamp) + interval '1 day', $iso), 'qualify'
FROM leads WHERE id % 10 IN (0, 1);
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command)
SELECT id, 'status', 'qualified', 'converted', converted_at, 'convert'
FROM leads WHERE status = 'converted';
-- deals: a quarter won, a quarter lost, the rest open in five stages
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
  CASE WHEN i % 4 IN (0, 1) THEN $(ts "1704067200 + (i * 7919) % 94608000 + 86400 * (1 + i % 90)") END,
  $(ts "1704067200 + (i * 7919) % 94608000
    + CASE WHEN i % 4 IN (0, 1) THEN 86400 * (1 + i % 90) ELSE 0 END"),
  $(ts "1704067200 + (i * 7919) % 94608000"), '2026-12-31T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $nd) i;
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, to_status, amount, currency)
SELECT id, 'stage', NULL, CASE WHEN status = 'open' THEN stage
  ELSE 'prospecting' END, created_at, pipeline, 'open', amount, currency
FROM deals;
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, from_status, to_status, seconds_in_stage, amount, currency)
SELECT id, 'stage', 'prospecting', stage, closed_at, pipeline, 'open',
  status, CAST(extract(epoch FROM CAST(closed_at AS timestamp)
  - CAST(created_at AS timestamp)) AS BIGINT), amount, currency
FROM deals WHERE status <> 'open';
INSERT INTO deal_history (deal_id, field, from_value, to_value, at,
  pipeline, amount, currency)
SELECT id, 'probability', '10', CAST(probability AS TEXT), closed_at,
  pipeline, amount, currency FROM deals WHERE status <> 'open';
-- tickets: first reply due in 4h, resolution in 2 days
INSERT INTO tickets (id, subject, priority, status, assignee, team,
  first_response_at, solved_at, first_reply_due, resolution_due,
  first_reply_breached, resolution_breached, created_at, updated_at)
SELECT i, 'T' || i,
  CASE i % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' WHEN 2 THEN 'high'
    ELSE 'urgent' END,
  CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending'
    WHEN 3 THEN 'solved' ELSE 'closed' END,
  'agent' || (i % 20), 'team' || (i % 3),
  CASE WHEN i % 5 <> 0 THEN $(ts "c + 60 * ((i * 13) % 400)") END,
  CASE WHEN i % 5 IN (3, 4) THEN $(ts "c + 3600 * ((i * 17) % 96)") END,
  $(ts "c + 4 * 3600"), $(ts "c + 48 * 3600"), 0, 0,
  $(ts c), '2026-12-31T00:00:00Z'
FROM (SELECT i, 1704067200 + (i * 7919) % 94608000 AS c
  FROM generate_series(CAST(1 AS BIGINT), $nt) i) t;
-- companies for the deals (cohort's customers): two deals each
INSERT INTO companies (id, name, created_at, updated_at)
SELECT i, 'Co' || i, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
FROM generate_series(CAST(1 AS BIGINT), $nd / 2) i;
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
SELECT id, 'solved', 'open',
  to_char(CAST(solved_at AS timestamp) + interval '1 hour', $iso)
FROM tickets WHERE solved_at IS NOT NULL AND id % 10 = 3;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'open', status,
  to_char(CAST(solved_at AS timestamp) + interval '2 hours', $iso)
FROM tickets WHERE solved_at IS NOT NULL AND id % 10 = 3;
-- agent replies: one to three per answered ticket
INSERT INTO activities (type, direction, occurred_at, owner, ticket_id,
  created_at, updated_at)
SELECT 'reply', 'out', first_response_at, assignee, id, first_response_at,
  first_response_at FROM tickets, generate_series(1, 3) k(j)
WHERE first_response_at IS NOT NULL AND j <= 1 + id % 3;
-- assets: one per 6 tickets, 40 products; two tickets in three name one
INSERT INTO assets (id, serial, product, created_at, updated_at)
SELECT i, 'SN' || i, 'product' || (i % 40), '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00Z' FROM generate_series(CAST(1 AS BIGINT), $nt / 6) i;
INSERT INTO ticket_assets (ticket_id, asset_id)
SELECT id, 1 + (id * 7) % ($nt / 6) FROM tickets WHERE id % 3 <> 0;
SELECT setval(pg_get_serial_sequence('contacts', 'id'), $nc);
SELECT setval(pg_get_serial_sequence('leads', 'id'), $nl);
SELECT setval(pg_get_serial_sequence('deals', 'id'), $nd);
SELECT setval(pg_get_serial_sequence('tickets', 'id'), $nt);
SELECT setval(pg_get_serial_sequence('companies', 'id'), $nd / 2);
SELECT setval(pg_get_serial_sequence('assets', 'id'), $nt / 6);
COMMIT;
VACUUM ANALYZE;
SQL
echo "load: $(uptime | sed 's/.*load average/load average/')"
[ -z "${KEEP:-}" ] || echo "kept: database $dbname"
echo "data: $n activities, $nc contacts, $nl leads, $nd deals, $nt tickets; PostgreSQL $(psql "$db" -X -A -t -c 'SHOW server_version')"

# min_cpu FILE SERVER0 [CPU]: the client's user + system seconds from
# /usr/bin/time's "%U %S" line in FILE plus the server's since SERVER0,
# or CPU when that is smaller
min_cpu() {
	awk -v s0="$2" -v s1="$(srv_cpu)" -v b="$3" \
		'/^[0-9.]+ [0-9.]+$/ { c = $1 + $2 }
		END { if (s0 != "") c += s1 - s0
			if (b != "" && b < c) c = b; printf "%.2f", c }' "$1"
}
# bench NAME 'crm-report args' 'reference SQL' [SIZE]; REPORTS="cycle
# stages" runs only the reports whose verb (the first word of args) it names
bench() {
	name=$1 args=$2 ref=$3 size=${4:-$n}
	case " ${REPORTS:-${args%% *}} " in *" ${args%% *} "*) ;; *) return 0 ;; esac
	best_ours= best_ref= cpu_ours= cpu_ref=
	for k in 1 2; do
		s0=$(srv_cpu)
		# shellcheck disable=SC2086
		timed "$dir/ours.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss" \
			"$bin/crm-report" $args --db "$db" -f csv || true
		best_ours=$(echo "$t ${best_ours:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		cpu_ours=$(min_cpu "$dir/rss" "$s0" "$cpu_ours")
		s0=$(srv_cpu)
		timed "$dir/ref.csv" /usr/bin/time -f '%U %S' -o "$dir/cpu" \
			psql "$db" -X -q -v ON_ERROR_STOP=1 --csv -c "$ref" || true
		best_ref=$(echo "$t ${best_ref:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
		cpu_ref=$(min_cpu "$dir/cpu" "$s0" "$cpu_ref")
	done
	t_ours=$best_ours t_ref=$best_ref
	rows=$(($(wc -l <"$dir/ours.csv") - 1))
	same=$(cmp -s "$dir/ours.csv" "$dir/ref.csv" && echo "same output" || echo "OUTPUT DIFFERS")
	[ "$same" = "same output" ] || diff "$dir/ours.csv" "$dir/ref.csv" | head -"${BENCH_DIFF:-6}" >&2
	printf '%-28s crm-report %7.2fs  psql %7.2fs  ratio %s  cpu %ss/%ss (%s)  rss %s  %d rows, %s\n' \
		"$name" "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" \
		"$cpu_ours" "$cpu_ref" "$(awk -v a="$cpu_ours" -v b="$cpu_ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }')" \
		"$(rss "$dir/rss")" "$rows" "$same"
	row "report $(echo "$args" | tr ' ' '-')" pg "$size" "$t_ours" "$t_ref" "$dir/rss"
}

cnt() { echo "count(*) FILTER (WHERE $1)"; }
# days A B: the days from ISO time B to A, as a double
days() { echo "(CAST(extract(epoch FROM CAST($1 AS timestamp) - CAST($2 AS timestamp)) AS float8) / 86400)"; }
# med X, p90 X: crm_percentile's median (the middle two averaged) and p90
# (the nearest rank, ceil(0.9 n)) as PostgreSQL's ordered-set aggregates,
# to one decimal
med() { echo "round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY $1) AS numeric), 1)"; }
p90() { echo "round(CAST(percentile_disc(0.9) WITHIN GROUP (ORDER BY $1) AS numeric), 1)"; }
# r2 X: X rounded to two decimals as crm prints a real (SQLite's text:
# 4.0, 2.5, 2.56)
r2() { echo "to_char(round($1, 2), 'FM999999999990.09')"; }
# money X: the decimal text of minor units X (2-decimal currencies)
money() { echo "to_char(($1) / 100.0, 'FM999999999990.00')"; }
C='COLLATE "C" NULLS FIRST'
TO="'2026-12-31T00:00:01Z'" NOW="'2026-12-31T00:00:00Z'"
bench "activities per owner" "activities" "
SELECT owner, count(*) AS activities, count(DISTINCT contact_id) AS contacts,
 $(cnt "type = 'call'") AS calls, $(cnt "type = 'email'") AS emails,
 $(cnt "type = 'meeting'") AS meetings, $(cnt 'due_at IS NOT NULL') AS tasks,
 $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL') AS tasks_done,
 round(100.0 * $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL')
   / nullif($(cnt 'due_at IS NOT NULL'), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner ORDER BY activities DESC, owner COLLATE \"C\";"

# per month: every month from the first to the last with data, for every
# owner, the empty ones with zeros (as crm-report fills them)
bench "activities per month, owner" "activities --period month" "
WITH RECURSIVE a AS (SELECT substr(occurred_at, 1, 7) AS period, owner,
 count(*) AS activities, count(DISTINCT contact_id) AS contacts,
 $(cnt "type = 'call'") AS calls, $(cnt "type = 'email'") AS emails,
 $(cnt "type = 'meeting'") AS meetings, $(cnt 'due_at IS NOT NULL') AS tasks,
 $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL') AS tasks_done,
 round(100.0 * $(cnt 'due_at IS NOT NULL AND done_at IS NOT NULL')
   / nullif($(cnt 'due_at IS NOT NULL'), 0), 1) AS tasks_done_rate
FROM activities WHERE occurred_at < '2026-12-31T00:00:01Z'
GROUP BY owner, period),
m(period) AS (SELECT min(period) FROM a UNION ALL
 SELECT to_char(CAST(period || '-01' AS date) + interval '1 month', 'YYYY-MM')
 FROM m WHERE period < (SELECT max(period) FROM a)),
o AS (SELECT DISTINCT owner FROM a)
SELECT m.period, o.owner, coalesce(a.activities, 0) AS activities,
 coalesce(a.contacts, 0) AS contacts, coalesce(a.calls, 0) AS calls,
 coalesce(a.emails, 0) AS emails, coalesce(a.meetings, 0) AS meetings,
 coalesce(a.tasks, 0) AS tasks, coalesce(a.tasks_done, 0) AS tasks_done,
 a.tasks_done_rate
FROM m CROSS JOIN o LEFT JOIN a ON a.period = m.period
 AND a.owner IS NOT DISTINCT FROM o.owner
ORDER BY o.owner COLLATE \"C\" NULLS FIRST, m.period;"

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

# unattended: the follow-ups due as one union, grouped per owner
T="greatest(coalesce(assigned_at, created_at), coalesce(last_activity_at, ''))"
D="greatest(coalesce(stage_changed_at, created_at), coalesce(last_activity_at, ''))"
# idle X: a week after the ISO time X (crm-report's default --idle)
idle() { echo "to_char(CAST($1 AS timestamp) + interval '604800 seconds', $iso)"; }
bench "unattended (median, p90)" "unattended" "
WITH f AS (SELECT owner, 'task' AS k, due_at, contact_id FROM activities
   WHERE due_at IS NOT NULL AND done_at IS NULL
 UNION ALL SELECT owner, 'lead', $(idle "$T"), NULL FROM leads
   WHERE status IN ('new', 'working', 'nurturing', 'qualified')
 UNION ALL SELECT owner, 'deal', $(idle "$D"), NULL FROM deals
   WHERE status = 'open'),
o AS (SELECT *, $(days "$NOW" due_at) AS d FROM f WHERE due_at < $NOW)
SELECT owner, $(cnt "k = 'task'") AS overdue_tasks,
 $(cnt "k = 'lead'") AS idle_leads, $(cnt "k = 'deal'") AS stale_deals,
 $(cnt "k = 'task' AND contact_id IS NOT NULL") AS on_contacts,
 0 AS on_leads, 0 AS on_deals, 0 AS on_tickets, min(due_at) AS oldest_due_at,
 $(med d) AS median_days_overdue, $(p90 d) AS p90_days_overdue,
 round(CAST(max(d) AS numeric), 1) AS max_days_overdue
FROM o GROUP BY owner ORDER BY count(*) DESC, owner $C;"

# funnel: the marks per lead by correlated subqueries, the medians by
# ordered-set aggregates (nulls left out). funnel_ref [COLUMN]: one row,
# or a row per COLUMN of leads
funnel_ref() {
	echo "WITH l AS (SELECT l.${1:+$1, l.}status, l.created_at, l.converted_at,
   (SELECT min(h.at) FROM lead_history h WHERE h.lead_id = l.id
     AND h.field = 'owner' AND h.to_value IS NOT NULL) AS a,
   (l.status = 'converted' OR EXISTS (SELECT 1 FROM lead_history h
     WHERE h.lead_id = l.id AND h.field = 'status'
     AND h.to_value = 'qualified')) AS q,
   EXISTS (SELECT 1 FROM deals d WHERE d.lead_id = l.id) AS dl,
   (SELECT min(d.closed_at) FROM deals d WHERE d.lead_id = l.id
     AND d.status = 'won') AS w
 FROM leads l WHERE l.created_at < $TO)
SELECT ${1:-"'all' AS total"}, count(*) AS leads, $(cnt q) AS qualified,
 $(cnt "status = 'converted'") AS converted, $(cnt dl) AS deals,
 count(w) AS won,
 round(100.0 * $(cnt q) / nullif(count(*), 0), 1) AS qualified_rate,
 round(100.0 * $(cnt "status = 'converted'") / nullif($(cnt q), 0), 1)
   AS converted_rate,
 round(100.0 * $(cnt dl) / nullif($(cnt "status = 'converted'"), 0), 1)
   AS deal_rate,
 round(100.0 * count(w) / nullif($(cnt dl), 0), 1) AS won_rate,
 round(100.0 * count(w) / nullif(count(*), 0), 1) AS lead_to_won_rate,
 $(med "$(days a created_at)") AS median_days_to_assign,
 $(med "$(days converted_at created_at)") AS median_days_to_convert,
 $(med "$(days w created_at)") AS median_days_to_close
FROM l${1:+ GROUP BY $1 ORDER BY leads DESC, $1 $C};"
}
bench "funnel (1 row, 3 medians)" "funnel" "$(funnel_ref)" "$nl"
bench "funnel by source" "funnel --by source" "$(funnel_ref source)" "$nl"

bench "pipeline now" "pipeline" "
SELECT stage, currency, count(*) AS deals,
 to_char(sum(amount) / 100.0, 'FM999999999990.00') AS amount,
 to_char(round(sum(amount * coalesce(probability, 0) / 100.0)) / 100.0,
   'FM999999999990.00') AS weighted_amount
FROM deals WHERE created_at < '2026-12-31T00:00:01Z' AND status = 'open'
GROUP BY stage, currency
ORDER BY min(probability), stage COLLATE \"C\", currency COLLATE \"C\";" "$nd"

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
   coalesce((SELECT CAST(h.to_value AS float8) FROM deal_history h
     WHERE h.deal_id = d.id AND h.field = 'probability'
     AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1),
     (SELECT CAST(h.from_value AS float8) FROM deal_history h
     WHERE h.deal_id = d.id AND h.field = 'probability'
     AND h.at >= '2026-07-01T00:00:00Z' ORDER BY h.at, h.id LIMIT 1),
     d.probability) AS probability
 FROM deals d WHERE d.created_at < '2026-07-01T00:00:00Z')
SELECT stage, currency, count(*) AS deals, $(money 'sum(amount)') AS amount,
 $(money 'round(CAST(sum(amount * coalesce(probability, 0) / 100.0) AS numeric))')
   AS weighted_amount
FROM d WHERE status = 'open' GROUP BY stage, currency
ORDER BY min(probability) NULLS FIRST, stage $C, currency $C;" "$nd"

# sla: the compliance counts, medians and p90s per priority
met() { echo "($1_due IS NOT NULL AND $2 IS NOT NULL AND $2 <= $1_due AND coalesce($1_breached, 0) = 0)"; }
breach() { echo "($1_due IS NOT NULL AND (coalesce($1_breached, 0) <> 0 OR coalesce($2, $NOW) > $1_due))"; }
FM=$(met first_reply first_response_at) FB=$(breach first_reply first_response_at)
RM=$(met resolution solved_at) RB=$(breach resolution solved_at)
FH="24 * $(days first_response_at created_at)" RH="24 * $(days solved_at created_at)"
bench "sla per priority" "sla" "
SELECT priority, count(*) AS tickets, $(cnt "$FM") AS first_reply_met,
 $(cnt "$FB") AS first_reply_breached,
 round(100.0 * $(cnt "$FM") / nullif($(cnt "$FM") + $(cnt "$FB"), 0), 1)
   AS first_reply_compliance,
 $(med "$FH") AS median_first_reply_hours, $(p90 "$FH") AS p90_first_reply_hours,
 $(cnt "$RM") AS resolution_met, $(cnt "$RB") AS resolution_breached,
 round(100.0 * $(cnt "$RM") / nullif($(cnt "$RM") + $(cnt "$RB"), 0), 1)
   AS resolution_compliance,
 $(med "$RH") AS median_resolution_hours, $(p90 "$RH") AS p90_resolution_hours,
 $(cnt "$FB OR $RB") AS breached_tickets
FROM tickets WHERE created_at < $TO
GROUP BY priority ORDER BY tickets DESC, priority $C;" "$nt"

bench "win rate per owner" "winrate" "
SELECT owner, count(*) AS closed, $(cnt "status = 'won'") AS won,
 $(cnt "status = 'lost'") AS lost,
 round(100.0 * $(cnt "status = 'won'") / count(*), 1) AS win_rate
FROM deals WHERE closed_at < $TO AND status IN ('won', 'lost')
GROUP BY owner ORDER BY closed DESC, owner $C;" "$nd"

X=$(days closed_at created_at)
bench "sales cycle (median, p90)" "cycle" "
SELECT 'all' AS total, count(*) AS won, $(med "$X") AS median_days,
 $(p90 "$X") AS p90_days, round(CAST(avg($X) AS numeric), 1) AS avg_days
FROM deals WHERE closed_at < $TO AND status = 'won';" "$nd"

bench "days per stage" "stages" "
WITH v AS (SELECT h.from_value AS stage, h.pipeline,
  h.seconds_in_stage / 86400.0 AS x
 FROM deal_history h JOIN deals d ON d.id = h.deal_id
 WHERE h.field = 'stage' AND h.from_value IS NOT NULL
 AND h.seconds_in_stage IS NOT NULL AND h.at < $TO)
SELECT stage, pipeline, count(*) AS exits, $(med 'CAST(x AS float8)') AS median_days,
 $(p90 'CAST(x AS float8)') AS p90_days, round(avg(x), 1) AS avg_days
FROM v GROUP BY stage, pipeline ORDER BY pipeline $C, stage $C;" "$nd"

bench "deal size per currency" "dealsize" "
SELECT currency, count(*) AS won, $(money 'sum(amount)') AS total,
 $(money 'round(avg(amount))') AS average,
 $(money 'round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric))')
   AS median,
 $(money 'percentile_disc(0.9) WITHIN GROUP (ORDER BY amount)') AS p90,
 $(money 'max(amount)') AS largest
FROM deals WHERE closed_at < $TO AND status = 'won'
GROUP BY currency ORDER BY currency $C;" "$nd"

R="(1.0 * w / nullif(w + l, 0))"
bench "sales velocity per currency" "velocity" "
WITH d AS (SELECT currency, status, amount, $X AS days FROM deals
 WHERE created_at < $TO AND CASE status WHEN 'open' THEN created_at
  ELSE closed_at END < $TO),
g AS (SELECT currency, $(cnt "status = 'open'") AS o,
  $(cnt "status = 'won'") AS w, $(cnt "status = 'lost'") AS l,
  avg(amount) FILTER (WHERE status = 'won') AS a,
  avg(days) FILTER (WHERE status = 'won') AS y FROM d GROUP BY currency)
SELECT currency, o AS open_deals, w AS won, l AS lost,
 round(100 * $R, 1) AS win_rate, $(money 'round(a)') AS avg_won,
 round(CAST(y AS numeric), 1) AS avg_cycle_days,
 $(money "round(CAST(o * $R * a / nullif(y, 0) AS numeric))")
   AS velocity_per_day
FROM g ORDER BY currency $C;" "$nd"

# the currency of most won deals, as crm-report picks it
CUR="SELECT currency FROM deals WHERE status = 'won' AND currency IS NOT NULL
 GROUP BY currency ORDER BY count(*) DESC, currency COLLATE \"C\" LIMIT 1"
bench "leaderboard per owner" "leaderboard" "
WITH c(cur) AS ($CUR),
e AS (SELECT owner, 'activity' AS k, lead_id, CAST(NULL AS bigint) AS amount,
  CAST(NULL AS text) AS currency, CAST(NULL AS integer) AS met
  FROM activities WHERE owner IS NOT NULL AND occurred_at < $TO
 UNION ALL SELECT owner, status, NULL, amount, currency, NULL FROM deals
  WHERE status IN ('won', 'lost') AND owner IS NOT NULL AND closed_at < $TO
 UNION ALL SELECT assignee, 'solved', NULL, NULL, NULL,
  CASE WHEN resolution_due IS NOT NULL THEN CASE WHEN solved_at
   <= resolution_due AND coalesce(resolution_breached, 0) = 0 THEN 1
   ELSE 0 END END FROM tickets
  WHERE solved_at IS NOT NULL AND assignee IS NOT NULL AND solved_at < $TO)
SELECT owner, $(cnt "k = 'activity'") AS activities,
 count(DISTINCT lead_id) AS leads_worked, $(cnt "k = 'won'") AS deals_won,
 $(money "coalesce(sum(amount) FILTER (WHERE k = 'won' AND currency = cur), 0)")
   AS amount_won, cur AS currency,
 round(100.0 * $(cnt "k = 'won'") / nullif($(cnt "k IN ('won', 'lost')"), 0), 1)
   AS win_rate, $(cnt "k = 'solved'") AS tickets_solved,
 round(100.0 * sum(met) / nullif(count(met), 0), 1) AS sla_compliance
FROM e, c GROUP BY owner, cur
ORDER BY deals_won DESC, activities DESC, owner $C;" "$n"

bench "first-reply time bins" "replytime" "
SELECT 'all' AS total, count(*) AS replied, $(cnt 'x < 1') AS under_1h,
 $(cnt 'x >= 1 AND x < 4') AS h1_to_4, $(cnt 'x >= 4 AND x < 8') AS h4_to_8,
 $(cnt 'x >= 8 AND x < 24') AS h8_to_24, $(cnt 'x >= 24 AND x < 72') AS d1_to_3,
 $(cnt 'x >= 72') AS over_3d, $(med x) AS median_first_reply_hours,
 $(p90 x) AS p90_first_reply_hours
FROM (SELECT $FH AS x FROM tickets
 WHERE created_at < $TO AND first_response_at IS NOT NULL) r;" "$nt"

# backlog ROWS: the report over ROWS (a table or CTE of status, created_at)
backlog() {
	echo "SELECT status, count(*) AS tickets, $(cnt 'x < 1') AS under_1d,
 $(cnt 'x >= 1 AND x < 7') AS d1_to_7, $(cnt 'x >= 7 AND x < 30') AS d7_to_30,
 $(cnt 'x >= 30') AS over_30d, $(med x) AS median_age_days,
 $(p90 x) AS p90_age_days, min(created_at) AS oldest_created_at
FROM (SELECT status, created_at, $(days "$NOW" created_at) AS x FROM $1
 WHERE created_at < $TO AND status NOT IN ('solved', 'closed')) r
GROUP BY status ORDER BY tickets DESC, status $C;"
}
# the backlog now: --to after now reads each ticket's status as it is
bench "ticket backlog by status" "tickets" "$(backlog tickets)" "$nt"

# as of a past date: each ticket's status from its history
bench "ticket backlog as of 2026-06-30" "tickets --to 2026-06-30" "
WITH s AS (SELECT t.created_at, coalesce(
   (SELECT h.to_status FROM ticket_status_history h WHERE h.ticket_id = t.id
    AND h.at < '2026-07-01T00:00:00Z' ORDER BY h.at DESC, h.id DESC LIMIT 1),
   (SELECT h.from_status FROM ticket_status_history h WHERE h.ticket_id = t.id
    AND h.at >= '2026-07-01T00:00:00Z' ORDER BY h.at, h.id LIMIT 1),
   CASE WHEN t.status IN ('solved', 'closed') AND coalesce(t.solved_at,
    t.closed_at) >= '2026-07-01T00:00:00Z' THEN 'open' ELSE t.status END)
   AS status FROM tickets t WHERE t.created_at < '2026-07-01T00:00:00Z')
$(backlog s)" "$nt"

# service: replies and reopens per ticket by grouped joins (service_ref
# FROM ONLY: the tickets created from FROM to $TO; ONLY restricts the
# replies and reopens grouped, all of them by default, those of the
# range's tickets with 'ticket_id IN (SELECT id FROM tr)')
# sumif C: how many rows C holds for, null over no rows (crm's sums)
sumif() { echo "sum(CASE WHEN $1 THEN 1 ELSE 0 END)"; }
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
 LEFT JOIN ro ON ro.ticket_id = t.id)
SELECT 'all' AS total, count(*) AS tickets, $(sumif res) AS resolved,
 $(sumif 'res AND replies = 1 AND reopens = 0') AS first_contact,
 round(100.0 * $(sumif 'res AND replies = 1 AND reopens = 0')
   / nullif($(sumif res), 0), 1) AS first_contact_rate,
 $(sumif 'reopens > 0') AS reopened,
 round(100.0 * $(sumif 'reopens > 0') / nullif($(sumif 'res OR reopens > 0'), 0), 1)
   AS reopen_rate,
 $(r2 'avg(CASE WHEN res THEN 1.0 * replies END)')
   AS avg_replies_to_resolution,
 round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY replies)
   FILTER (WHERE res) AS numeric), 1) AS median_replies_to_resolution
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
 $(cnt "tid IS NOT NULL AND status NOT IN ('solved', 'closed')") AS open_tickets,
 $(r2 '1.0 * count(tid) / nullif(count(DISTINCT id), 0)')
   AS tickets_per_asset,
 count(DISTINCT CASE WHEN tid IS NOT NULL THEN id END) AS assets_with_tickets
FROM a GROUP BY product ORDER BY tickets DESC, product $C;" "$nt"

# cohorts: each customer's first and last month once, the cells by
# grouped joins over the months each cohort spans
bench "customer cohorts" "cohort" "
WITH RECURSIVE w AS (SELECT DISTINCT coalesce('company:' || company_id,
   'contact:' || contact_id, 'deal:' || id) AS cust, substr(closed_at, 1, 7) AS m
 FROM deals WHERE status = 'won' AND closed_at < $TO),
f AS (SELECT cust, min(m) AS c, max(m) AS l FROM w GROUP BY cust),
co AS (SELECT c, count(*) AS n FROM f GROUP BY c),
mo(c, k, m) AS (SELECT c, 0, c FROM co UNION ALL
 SELECT c, k + 1, to_char(CAST(m || '-01' AS date) + interval '1 month',
  'YYYY-MM') FROM mo WHERE m < '2026-12'),
b AS (SELECT f.c, w.m, count(*) AS n FROM w JOIN f ON f.cust = w.cust
 GROUP BY f.c, w.m),
s AS (SELECT mo.c, mo.m, count(f.cust) AS n FROM mo
 LEFT JOIN f ON f.c = mo.c AND f.l < mo.m GROUP BY mo.c, mo.m)
SELECT mo.c AS cohort, mo.k AS month, mo.m AS period, co.n AS customers,
 coalesce(b.n, 0) AS bought, round(100.0 * coalesce(b.n, 0) / co.n, 1)
   AS bought_rate, s.n AS silent, round(100.0 * s.n / co.n, 1) AS silent_rate
FROM mo JOIN co ON co.c = mo.c LEFT JOIN b ON b.c = mo.c AND b.m = mo.m
JOIN s ON s.c = mo.c AND s.m = mo.m ORDER BY mo.c COLLATE \"C\", mo.k;" "$nd"

# sources: won deals per lead by one grouped join, in the report currency
bench "lead sources and campaigns" "sources" "
WITH c(cur) AS ($CUR),
wd AS (SELECT lead_id, count(*) AS n,
  sum(amount) FILTER (WHERE currency = (SELECT cur FROM c)) AS amt
 FROM deals WHERE status = 'won' AND lead_id IS NOT NULL GROUP BY lead_id)
SELECT l.source, l.campaign, count(*) AS leads,
 $(cnt "l.status = 'converted'") AS converted,
 round(100.0 * $(cnt "l.status = 'converted'") / count(*), 1)
   AS conversion_rate,
 sum(coalesce(wd.n, 0)) AS won_deals,
 $(money 'coalesce(sum(wd.amt), 0)') AS won_revenue, NULL AS cost,
 (SELECT cur FROM c) AS currency, NULL AS roi_pct
FROM leads l LEFT JOIN wd ON wd.lead_id = l.id WHERE l.created_at < $TO
GROUP BY l.source, l.campaign
ORDER BY leads DESC, l.source $C, l.campaign $C;" "$nl"
