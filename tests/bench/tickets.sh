#!/bin/sh
# tickets.sh [N]: the ticket bulk verbs against hand-written SQL doing the
# same writes in the same schema (made by crm init), on SQLite (sqlite3
# shell) and PostgreSQL (psql, on a throwaway server tests/pgserver.sh
# starts, or the one $CRM_TEST_PG names). BENCH_ENGINE=sqlite|pg|both
# (default both when PostgreSQL is installed). N tickets, default 300,000.
#
# import   crm-ticket import: per row, the SLA policy chosen by its rules,
#          first-reply and resolution due times computed in business hours
#          (share/crm/sla.json: a Lisbon calendar with holidays), breach
#          flags, one status-history and one assignee-history row.
#          Reference: the CSV loaded (.import / \copy); the support
#          calendar written out by hand as a table of its working
#          intervals (09:00-18:00 Lisbon on weekdays that are not
#          holidays, the day before the first ticket to two weeks after
#          the last; in UTC, through AT TIME ZONE on PostgreSQL, the EU
#          summer-time rule on SQLite) with cumulative business seconds;
#          one INSERT ... SELECT with the policy by priority, the
#          standard policy's first-reply due time where the cumulative
#          seconds reach those at the start plus 8 hours (two indexed
#          look-ups in the table), the others as calendar arithmetic (the
#          urgent policy has no calendar, resolution is "calendar" time),
#          breach flags against CRM_NOW; then both history rows by
#          INSERT ... SELECT. Building the table counts in its time, as
#          crm's reading of sla.json does in crm's. Both sides' tickets
#          must have the same policy, due times and breach flags: the
#          script fails otherwise.
# sla      crm-ticket sla --warn 1h -f csv: every open ticket's unmet
#          targets due within the hour, as CSV. Reference: the same rows
#          by one UNION ALL query (without crm's past/left columns).
# escalate crm-ticket sla --escalate: every breached ticket's due levels
#          (notify, raise priority, reassign to tier2 by fewest open
#          tickets), each an escalation activity and a ticket_escalations
#          row; each ticket change with its before/after JSON in the undo
#          log (crm_audit) and an assignee-history row; plus the list. A
#          raise from high makes a standard ticket urgent: the urgent
#          policy's due times, and its levels (not the standard's later
#          ones) apply in the same run.
#          Reference: the same writes set-based: the levels joined from a
#          table (each level's first past-due target it covers, by its
#          delay); the raises, and for the tickets made urgent the urgent
#          due times and breach flags, then the urgent levels joined
#          again; tier2's agent by fewest open under its cap of 10 (its
#          two agents start with none here: they alternate over the
#          first 20 reassignments in ticket order, then nobody), an
#          assigned new ticket opened (a status-history row); the
#          activities with crm's subjects, bodies and owners, audit rows
#          as json objects of the whole row, the assignee history, the
#          touch (last_activity_at); the list. Both sides must apply the
#          same levels (ticket, policy, level, target, action) and leave
#          the same tickets and activities: the script fails otherwise.
# Prints times, ratios, crm's CPU seconds and peak RSS and a row line per
# work (lib.sh). TICKETS_IMPORT_ONLY=1 stops after the import.
set -eu
n=${1:-300000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
# cpu FILE: user+system seconds of crm from /usr/bin/time -f "%M %U %S"
cpu() { awk 'END { printf "%.2f", $2 + $3 }' "$1"; }
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
now=2026-12-31T12:00:00Z
export CRM_NOW=$now CRM_SHARE=$top/share/crm

if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	ours="crm_bench_tk_ours_$$" ref="crm_bench_tk_ref_$$"
	trap 'admin "DROP DATABASE IF EXISTS $ours"; admin "DROP DATABASE IF EXISTS $ref"; rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $ours"
	admin "CREATE DATABASE $ref"
	odb=$(url "$ours") rdb=$(url "$ref")
	# ref SQL: run a script, or one query as CSV
	refsql() { psql "$rdb" -X -q -v ON_ERROR_STOP=1 >/dev/null; }
	refcsv() { psql "$rdb" -X -q -A -F, -t -c "$1"; }
	oursq() { psql "$odb" -X -A -t -c "$1"; }
	refq() { psql "$rdb" -X -A -t -c "$1"; }
	load="CREATE TEMP TABLE t (external_id TEXT, subject TEXT, priority TEXT,
  channel TEXT, team TEXT, created_at TEXT);
\\copy t FROM '$dir/t.csv' WITH (FORMAT csv, HEADER true)"
	jo=json_build_object
	# the calendar's working intervals [s, e) in epoch seconds, cum the
	# business seconds up to e; the tickets' start and due times
	cal="CREATE TEMP TABLE cal AS
SELECT s, e, (sum(e - s) OVER (ORDER BY s))::bigint AS cum
FROM (SELECT extract(epoch FROM (d + time '09:00') AT TIME ZONE 'Europe/Lisbon')::bigint AS s,
    extract(epoch FROM (d + time '18:00') AT TIME ZONE 'Europe/Lisbon')::bigint AS e
  FROM (SELECT g::date AS d FROM generate_series(
      (SELECT min(left(created_at, 10))::date - 1 FROM t),
      (SELECT max(left(created_at, 10))::date + 14 FROM t),
      interval '1 day') AS g) AS days
  WHERE extract(isodow FROM d) <= 5 AND d NOT IN (SELECT d FROM hol)) AS o;"
	epoch="extract(epoch FROM created_at::timestamptz)::bigint"
	iso() { echo "to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"; }
	greatest=GREATEST flag="::int" analyze="ANALYZE cal;"
else
	trap 'rm -rf "$dir"' EXIT
	odb=$dir/ours.db rdb=$dir/ref.db
	refsql() { sqlite3 "$rdb" >/dev/null; }
	refcsv() { sqlite3 -csv "$rdb" "$1"; }
	oursq() { sqlite3 "$odb" "$1"; }
	refq() { sqlite3 "$rdb" "$1"; }
	load="PRAGMA journal_mode=WAL;
.mode csv
CREATE TEMP TABLE t (external_id, subject, priority, channel, team, created_at);
.import --skip 1 $dir/t.csv t"
	jo=json_object
	# Lisbon is UTC+1 from the last Sunday of March to the last Sunday
	# of October (the change at 01:00 UTC, a Sunday: never in hours)
	cal="CREATE TEMP TABLE cal AS
WITH RECURSIVE days(d) AS (
  SELECT date(min(created_at), '-1 day') FROM t
  UNION ALL SELECT date(d, '+1 day') FROM days
  WHERE d < (SELECT date(max(created_at), '+14 days') FROM t)),
o AS (
  SELECT d, unixepoch(d) - CASE WHEN d >= date(substr(d, 1, 4) || '-03-25', 'weekday 0')
      AND d < date(substr(d, 1, 4) || '-10-25', 'weekday 0') THEN 3600 ELSE 0 END AS m
  FROM days
  WHERE strftime('%w', d) BETWEEN '1' AND '5' AND d NOT IN (SELECT d FROM hol))
SELECT m + 32400 AS s, m + 64800 AS e, 32400 * row_number() OVER (ORDER BY d) AS cum
FROM o;"
	epoch="unixepoch(created_at)"
	iso() { echo "strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch')"; }
	greatest=max flag= analyze=
fi
"$bin/crm" init --db "$odb" 2>/dev/null
"$bin/crm" init --db "$rdb" 2>/dev/null

awk -v n="$n" 'BEGIN { srand(7)
	split("low normal normal normal high urgent", pr, " ")
	split("email phone web chat social", ch, " ")
	print "external_id,subject,priority,channel,team,created_at"
	for (i = 1; i <= n; i++)
		printf "t-%d,Ticket %d,%s,%s,support,2026-%02d-%02dT%02d:%02d:00Z\n", i, i,
		    pr[1 + int(rand() * 6)], ch[1 + int(rand() * 5)],
		    1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24),
		    int(rand() * 60)
}' >"$dir/t.csv"
echo "data: $n tickets, $(($(stat -c %s "$dir/t.csv") / 1048576)) MiB of CSV, engine $engine"

# -- import (on PostgreSQL with the server's CPU seconds for each side:
# under others' load the wall times swing, the CPU seconds much less)
s0=$(srv_cpu)
timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss.import" \
	"$bin/crm-ticket" import -q --db "$odb" "$dir/t.csv"
t_ours=$t
s1=$(srv_cpu)
timed /dev/null refsql <<SQL
$load
BEGIN;
CREATE TEMP TABLE hol (d DATE PRIMARY KEY);
INSERT INTO hol VALUES ('2026-12-08'), ('2026-12-25'), ('2027-01-01'),
  ('2027-04-25');
$cal
CREATE INDEX cal_e ON cal (e);
CREATE INDEX cal_cum ON cal (cum);
$analyze
-- goal: business seconds to the start (the interval it is in or before)
-- plus 8 hours; due: the point in the interval where cum reaches it
WITH a AS MATERIALIZED (
  SELECT *, CASE pol WHEN 'standard' THEN (SELECT cum - e + $greatest(s, x) + 28800
      FROM cal WHERE e > x ORDER BY e LIMIT 1) END AS goal
  FROM (SELECT *, $epoch AS x,
      CASE priority WHEN 'urgent' THEN 'urgent' ELSE 'standard' END AS pol
    FROM t) AS b),
c AS MATERIALIZED (
  SELECT *, $(iso "CASE pol WHEN 'urgent' THEN x + 3600
      ELSE (SELECT e - cum + goal FROM cal WHERE cum >= goal ORDER BY cum LIMIT 1) END") AS fr,
    $(iso "x + CASE pol WHEN 'urgent' THEN 28800 ELSE 432000 END") AS rs
  FROM a)
INSERT INTO tickets (external_id, subject, priority, channel, team, status,
  sla_policy, first_reply_due, resolution_due, first_reply_breached,
  next_reply_breached, resolution_breached, created_at, updated_at)
SELECT external_id, subject, priority, channel, team, 'new', pol, fr, rs,
  (fr < '$now')$flag, 0, (rs < '$now')$flag, created_at, created_at
FROM c;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at, actor)
SELECT id, NULL, status, created_at, 'root' FROM tickets;
INSERT INTO ticket_assignee_history (ticket_id, from_assignee, to_assignee,
  from_team, to_team, at, actor)
SELECT id, NULL, assignee, NULL, team, created_at, 'root' FROM tickets;
COMMIT;
SQL
t_ref=$t
s2=$(srv_cpu)
echo "import: crm-ticket ${t_ours}s, reference ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm CPU $(cpu "$dir/rss.import")s, reference client CPU ${cpu}s, crm peak RSS $(rss "$dir/rss.import"), load $(cut -d' ' -f1 /proc/loadavg)"
if [ "$engine" = pg ] && [ -n "$s0" ]; then
	echo "$s0 $s1 $s2 $(cpu "$dir/rss.import") $cpu" | awk '{
		o = $2 - $1; r = $3 - $2
		printf "import CPU: crm %.2fs + server %.2fs, reference psql %.2fs + server %.2fs, ratio %.2f\n",
		    $4, o, $5, r, ($4 + o) / ($5 + r) }'
fi
# same WORK QUERY: QUERY gives the same rows on both sides, or the script
# says where they differ and exits 1
same() {
	oursq "$2" >"$dir/same.ours"
	refq "$2" >"$dir/same.ref"
	if ! cmp -s "$dir/same.ours" "$dir/same.ref"; then
		echo "$1: the reference differs from crm:" >&2
		diff "$dir/same.ours" "$dir/same.ref" | head -5 >&2
		exit 1
	fi
}
# both sides' SLA columns, ticket by ticket
same import "SELECT external_id, sla_policy, first_reply_due, next_reply_due,
  resolution_due, first_reply_breached, next_reply_breached,
  resolution_breached FROM tickets ORDER BY external_id"
echo "import: policy, due times and breach flags equal on $(wc -l <"$dir/same.ours") tickets"
[ -z "${TICKETS_IMPORT_ONLY:-}" ] || exit 0
row "ticket import" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss.import"

# -- sla: the unmet targets due within the hour
soon=$(date -u -d "${now%Z} UTC + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
timed "$dir/ours.csv" /usr/bin/time -f "%M %U %S" -o "$dir/rss.sla" \
	"$bin/crm-ticket" sla --db "$odb" --warn 1h -f csv || true
t_ours=$t
timed "$dir/ref.csv" refcsv "
SELECT id, subject, status, priority, assignee, team, sla_policy, k, due
FROM (SELECT *, 'first_reply' AS k, first_reply_due AS due FROM tickets
      WHERE first_response_at IS NULL
      UNION ALL SELECT *, 'next_reply', next_reply_due FROM tickets
      UNION ALL SELECT *, 'resolution', resolution_due FROM tickets) AS x
WHERE status NOT IN ('solved', 'closed') AND due <= '$soon'
ORDER BY id"
t_ref=$t
# both sides list the same targets (crm's warning includes a target due
# exactly at the hour's end: the reference's <= above), and the timed
# reference as many
sqlite3 -csv :memory: ".import --csv $dir/ours.csv o" \
	"SELECT id, target, due_at FROM o ORDER BY CAST(id AS INTEGER), target" \
	>"$dir/same.ours"
refcsv "SELECT id, k, due FROM (SELECT id, status, 'first_reply' AS k,
  first_reply_due AS due FROM tickets WHERE first_response_at IS NULL
  UNION ALL SELECT id, status, 'next_reply', next_reply_due FROM tickets
  UNION ALL SELECT id, status, 'resolution', resolution_due FROM tickets) AS x
WHERE status NOT IN ('solved', 'closed') AND due <= '$soon'
ORDER BY id, k" >"$dir/same.ref"
if ! cmp -s "$dir/same.ours" "$dir/same.ref" ||
	[ "$(wc -l <"$dir/same.ours")" != "$(wc -l <"$dir/ref.csv")" ]; then
	echo "sla: the reference lists other targets than crm:" >&2
	diff "$dir/same.ours" "$dir/same.ref" | head -5 >&2
	exit 1
fi
echo "sla: crm-ticket ${t_ours}s ($(($(wc -l <"$dir/ours.csv") - 1)) targets), reference ${t_ref}s ($(wc -l <"$dir/ref.csv") targets), ratio $(ratio "$t_ours" "$t_ref"), crm CPU $(cpu "$dir/rss.sla")s, crm peak RSS $(rss "$dir/rss.sla")"
row "ticket sla" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss.sla"

# -- escalate: the levels of share/crm/sla.json, after the target's due time
at() { date -u -d "${now%Z} UTC - $1" +%Y-%m-%dT%H:%M:%SZ; }
cols="id external_id subject description contact_id company_id channel priority
status assignee team tags first_response_at solved_at closed_at sla_policy
first_reply_due next_reply_due resolution_due first_reply_breached
next_reply_breached resolution_breached awaiting_since last_activity_at
created_at updated_at"
whole=$(for c in $cols; do printf "'%s', %s, " "$c" "$c"; done)
whole="$jo(${whole}'custom', custom)"
s0=$(srv_cpu)
timed "$dir/ours.esc" /usr/bin/time -f "%M %U %S" -o "$dir/rss.esc" \
	"$bin/crm-ticket" sla --db "$odb" --escalate -f csv || true
t_ours=$t
s1=$(srv_cpu)
# hits PHASE COND: each level of the tickets COND selects (not done), with
# the first target it covers (first reply while unanswered, next reply,
# resolution) past due at now and past its delay (cutoff)
# tan TABLE: ANALYZE a temporary table on PostgreSQL (autovacuum never
# sees them; without statistics its planner guessed a join over hit badly)
tan() { [ "$engine" != pg ] || echo "ANALYZE $1;"; }
hits() {
	echo "INSERT INTO hit SELECT id, $1, policy, level, action, ord,
  CASE WHEN fr THEN 'first_reply' WHEN nr THEN 'next_reply' ELSE 'resolution' END,
  CASE WHEN fr THEN first_reply_due WHEN nr THEN next_reply_due
    ELSE resolution_due END, channel
FROM (SELECT t.id, t.channel, t.first_reply_due, t.next_reply_due,
    t.resolution_due, lv.policy, lv.level, lv.action, lv.ord,
    (t.first_response_at IS NULL AND t.first_reply_due < '$now'
      AND t.first_reply_due <= lv.cutoff
      AND coalesce(lv.kind, 'first_reply') = 'first_reply') AS fr,
    (t.next_reply_due < '$now' AND t.next_reply_due <= lv.cutoff
      AND coalesce(lv.kind, 'next_reply') = 'next_reply') AS nr,
    (t.resolution_due < '$now' AND t.resolution_due <= lv.cutoff
      AND coalesce(lv.kind, 'resolution') = 'resolution') AS rs
  FROM tickets t JOIN lv ON lv.policy = t.sla_policy
  WHERE t.status NOT IN ('solved', 'closed') AND $2) AS c
WHERE fr OR nr OR rs;"
}
timed "$dir/ref.esc" refsql <<SQL
BEGIN;
CREATE TEMP TABLE lv (policy TEXT, level TEXT, action TEXT, kind TEXT,
  cutoff TEXT, ord INTEGER);
INSERT INTO lv VALUES ('urgent', 'notify lead', 'notify', NULL, '$(at 0min)', 1),
  ('urgent', 'tier2', 'reassign', 'resolution', '$(at 4hour)', 2),
  ('standard', 'notify lead', 'notify', NULL, '$(at 0min)', 1),
  ('standard', 'raise priority', 'raise_priority', NULL, '$(at 4hour)', 2),
  ('standard', 'tier2', 'reassign', NULL, '$(at 1day)', 3);
INSERT INTO crm_changes (at, actor, command, entity)
  VALUES ('$now', 'root', 'sla --escalate', 'ticket');
CREATE TEMP TABLE hit (id BIGINT, phase INTEGER, policy TEXT, level TEXT,
  action TEXT, ord INTEGER, target TEXT, due TEXT, channel TEXT);
-- a raise from high makes a ticket urgent: the standard policy's levels
-- after the raise no longer apply (tier2's day is past the raise's four
-- hours: a ticket past it was raised)
$(hits 1 "NOT (t.priority = 'high' AND lv.policy = 'standard' AND lv.ord > 2)")
CREATE INDEX hit_id ON hit (id);
$(tan hit)
CREATE TEMP TABLE up AS
SELECT h.id, t.priority AS p0, CASE t.priority WHEN 'low' THEN 'normal'
    WHEN 'normal' THEN 'high' ELSE 'urgent' END AS p1
FROM hit h JOIN tickets t ON t.id = h.id WHERE h.action = 'raise_priority';
CREATE INDEX up_id ON up (id);
$(tan up)
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT (SELECT max(id) FROM crm_changes), 'ticket', id, 'update', $whole,
  $jo('priority', (SELECT p1 FROM up WHERE up.id = tickets.id))
FROM tickets WHERE id IN (SELECT id FROM up);
UPDATE tickets SET priority = up.p1, updated_at = '$now' FROM up
WHERE up.id = tickets.id;
-- made urgent: the urgent policy's due times (no calendar) and flags
UPDATE tickets SET sla_policy = 'urgent',
  first_reply_due = $(iso "$epoch + 3600"),
  resolution_due = $(iso "$epoch + 28800"),
  first_reply_breached = (first_response_at IS NULL
    AND $(iso "$epoch + 3600") < '$now')$flag,
  resolution_breached = ($(iso "$epoch + 28800") < '$now')$flag
WHERE id IN (SELECT id FROM up WHERE p1 = 'urgent');
$(hits 2 "t.id IN (SELECT id FROM up WHERE p1 = 'urgent')")
CREATE TEMP TABLE rs AS
SELECT id, CASE WHEN n <= 20 THEN CASE n % 2 WHEN 1 THEN 'senior1'
    ELSE 'senior2' END END AS agent
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM hit
  WHERE action = 'reassign') AS r;
CREATE INDEX rs_id ON rs (id);
$(tan rs)
INSERT INTO activities (type, subject, body, occurred_at, owner, channel,
  ticket_id, created_at, updated_at)
SELECT 'escalation', 'SLA ' || h.target || ' breached: ' || CASE h.action
    WHEN 'notify' THEN 'notify lead'
    WHEN 'raise_priority' THEN 'priority ' || up.p0 || ' -> ' || up.p1
    ELSE 'reassigned to ' || coalesce(rs.agent, 'nobody') || ' in team tier2' END,
  h.level || ' ' || h.target || ' was due ' || h.due, '$now',
  CASE h.action WHEN 'notify' THEN 'lead' WHEN 'reassign' THEN rs.agent END,
  h.channel, h.id, '$now', '$now'
FROM hit h LEFT JOIN up ON up.id = h.id AND h.action = 'raise_priority'
  LEFT JOIN rs ON rs.id = h.id AND h.action = 'reassign'
ORDER BY h.id, h.phase, h.ord;
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT (SELECT max(id) FROM crm_changes), 'ticket', id, 'update', $whole,
  $jo('assignee', (SELECT agent FROM rs WHERE rs.id = tickets.id),
    'status', 'open', 'team', 'tier2')
FROM tickets WHERE id IN (SELECT id FROM rs);
INSERT INTO ticket_assignee_history (ticket_id, from_assignee, to_assignee,
  from_team, to_team, at, actor)
SELECT t.id, t.assignee, rs.agent, t.team, 'tier2', '$now', 'root'
FROM tickets t JOIN rs ON rs.id = t.id;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at, actor)
SELECT t.id, t.status, 'open', '$now', 'root' FROM tickets t JOIN rs ON rs.id = t.id
WHERE rs.agent IS NOT NULL AND t.status <> 'open';
UPDATE tickets SET team = 'tier2', assignee = rs.agent,
  status = CASE WHEN rs.agent IS NOT NULL THEN 'open' ELSE tickets.status END,
  updated_at = '$now'
FROM rs WHERE rs.id = tickets.id;
UPDATE tickets SET last_activity_at = '$now'
WHERE id IN (SELECT id FROM hit);
INSERT INTO ticket_escalations (ticket_id, policy, level, target, action,
  applied_at)
SELECT id, policy, level, target, action, '$now' FROM hit
ORDER BY id, phase, ord;
COMMIT;
SQL
t_ref=$t
timed "$dir/ref.esc" refcsv "
SELECT id, subject, status, priority, assignee, team, sla_policy, k, due
FROM (SELECT *, 'first_reply' AS k, first_reply_due AS due FROM tickets
      WHERE first_response_at IS NULL
      UNION ALL SELECT *, 'next_reply', next_reply_due FROM tickets
      UNION ALL SELECT *, 'resolution', resolution_due FROM tickets) AS x
WHERE status NOT IN ('solved', 'closed') AND due < '$now'
ORDER BY id"
t_ref=$(echo "$t_ref $t" | awk '{ printf "%.3f", $1 + $2 }')
s2=$(srv_cpu)
echo "escalate: crm-ticket ${t_ours}s ($(oursq 'SELECT count(*) FROM ticket_escalations') levels, $(oursq "SELECT count(*) FROM activities WHERE type = 'escalation'") activities), reference ${t_ref}s ($(refq 'SELECT count(*) FROM ticket_escalations') levels, $(refq "SELECT count(*) FROM activities WHERE type = 'escalation'") activities), ratio $(ratio "$t_ours" "$t_ref"), crm CPU $(cpu "$dir/rss.esc")s, crm peak RSS $(rss "$dir/rss.esc")"
if [ "$engine" = pg ] && [ -n "$s0" ]; then
	echo "$s0 $s1 $s2 $(cpu "$dir/rss.esc")" | awk '{
		o = $2 - $1; r = $3 - $2
		printf "escalate CPU: crm %.2fs + server %.2fs, reference server %.2fs, ratio %.2f\n",
		    $4, o, r, ($4 + o) / r }'
fi
# both sides' levels, tickets and escalation activities, ticket by ticket
same escalate "SELECT t.external_id, e.policy, e.level, e.target, e.action,
  e.applied_at FROM ticket_escalations e JOIN tickets t ON t.id = e.ticket_id
  ORDER BY 1, 2, 3"
same escalate "SELECT external_id, priority, status, assignee, team,
  sla_policy, first_reply_due, next_reply_due, resolution_due,
  first_reply_breached, next_reply_breached, resolution_breached,
  last_activity_at, updated_at FROM tickets ORDER BY external_id"
same escalate "SELECT t.external_id, a.subject, a.body, a.owner, a.channel
  FROM activities a JOIN tickets t ON t.id = a.ticket_id
  WHERE a.type = 'escalation' ORDER BY 1, 2, 3"
echo "escalate: levels, tickets and escalation activities equal"
row "ticket sla --escalate" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss.esc"
