#!/bin/sh
# flow.sh [EVENTS [RECORDS]]: one crm-flow run over EVENTS change events
# (default 1,000,000 rows of crm_audit, one in 20 a deal moving to
# negotiation, which a flow tags) and RECORDS deals (default 100,000)
# with a time trigger (48 hours after entering the proposal stage: a
# task, for the half that are in it). BENCH_ENGINE=sqlite|pg|both
# (default both when PostgreSQL is installed; pg runs under
# tests/pgserver.sh). What each side does, on copies of the same data:
#
# crm-flow run: reads the change log after its cursor in batches, parses
#   the images a flow may want, checks once-per-occurrence, reads the
#   record, checks conditions, records a firing (why, did, status) and
#   applies its actions in a savepoint (undone alone if one fails): the
#   tag through the entity engine, with a change and an audit row (the
#   undo image) for each deal it changes; the task through the activity
#   log, noted in crm_flow_made; moves the cursor; writes one CSV line
#   per firing.
# reference: the same rows, set-based, in one transaction of hand-written
#   SQL in the sqlite3 shell or psql: the matching events (json_extract /
#   ->>), a firing for each with the same why and did texts, one change
#   and one audit row (the whole record as JSON) per deal tagged, the
#   tag, the tasks, their deals' last_activity_at, their crm_flow_made
#   rows, the cursor, and every firing printed as CSV. It has no
#   savepoints and no per-record reads.
# Prints times, the ratio, crm-flow's peak RSS and a `row` line.
# BENCH_DIR=DIR works in DIR and keeps it (SQLite: start.db is the data
# before the run, for a profile; PostgreSQL: the database
# crm_bench_flow_start, kept on the server).
set -eu
n=${1:-1000000}
nr=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_NOW=2026-12-01T00:00:00Z CRM_USER=bench
now=$CRM_NOW

mkdir -p "$dir/flows"
cat >"$dir/flows/negotiating.json" <<'X'
{"name": "negotiating", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "negotiating"}]}
X
cat >"$dir/flows/quote.json" <<'X'
{"name": "quote", "entity": "deal",
 "trigger": {"type": "time", "field": "stage_changed_at", "after": "48h"},
 "conditions": ["stage = proposal"],
 "actions": [{"type": "task", "subject": "Follow up on {{name}}", "due": "1d"}]}
X

# dialect: a text field of a JSON text, the whole deal as JSON, a time
# N days after 2026-11-01, and the numbers 1..N
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	ours="crm_bench_flow_$$" ref="crm_bench_flow_ref_$$"
	trap 'admin "DROP DATABASE IF EXISTS $ours"; admin "DROP DATABASE IF EXISTS $ref"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $ours"
	db_ours=$(url "$ours") db_ref=$(url "$ref")
	run_sql() { psql "$1" -X -q -A -v ON_ERROR_STOP=1; }
	ref_cmd='psql "$1" -X -q -A -v ON_ERROR_STOP=1 -f "$2"'
	q() { psql "$1" -X -A -t -q -c "$2"; }
	jx() { echo "($1::json ->> '$2')"; }
	json_obj=json_build_object
	days() { echo "to_char(timestamp '2026-11-01' + ($1) * interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"; }
	series() { echo "generate_series(1::bigint, $1) AS s(i)"; } # i * 7919 passes 2^31 at 1M
	plus2d() { echo "to_char($1::timestamp + interval '2 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"; }
	csv_on='\pset format csv'
	csv_off=''
else
	[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
	db_ours=$dir/ours.db db_ref=$dir/ref.db
	run_sql() { sqlite3 "$1"; }
	ref_cmd='sqlite3 "$1" <"$2"'
	q() { sqlite3 "$1" "$2"; }
	jx() { echo "json_extract($1, '\$.$2')"; }
	json_obj=json_object
	days() { echo "strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-01', '+' || ($1) || ' days')"; }
	plus2d() { echo "strftime('%Y-%m-%dT%H:%M:%SZ', $1, '+2 days')"; }
	series() { echo "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1) SELECT i FROM s) AS s"; }
	csv_on='.mode csv
.headers on'
	csv_off='.mode list'
fi

# the data, straight into crm's schema (not what is measured); the
# created cursor starts past the deals, as after an earlier run
"$bin/crm" init --db "$db_ours" 2>/dev/null
run_sql "$db_ours" <<SQL
INSERT INTO deals (id, name, pipeline, stage, status, owner, stage_changed_at,
  created_at, updated_at)
SELECT i, 'Deal ' || i, 'default', CASE i % 2 WHEN 0 THEN 'proposal'
  ELSE 'prospecting' END, 'open', 'kim', $(days "i % 40"),
  '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z' FROM $(series "$nr");
INSERT INTO crm_changes (id, at, actor, command, entity)
  VALUES (1, '2026-11-30T00:00:00Z', 'bench', 'update', 'deal');
INSERT INTO crm_audit (id, change_id, entity, record_id, action, before, after)
SELECT i, 1, 'deal', 1 + (i * 7919) % $nr, 'update',
  CASE WHEN i % 20 = 0 THEN '{"stage":"proposal"}' ELSE '{"probability":10}' END,
  CASE WHEN i % 20 = 0 THEN '{"stage":"negotiation"}' ELSE '{"probability":' || (i % 100) || '}' END
FROM $(series "$n");
SQL
if [ "$engine" = pg ]; then
	run_sql "$db_ours" >/dev/null <<'SQL'
SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT max(id) FROM deals));
SELECT setval(pg_get_serial_sequence('crm_audit', 'id'), (SELECT max(id) FROM crm_audit));
VACUUM ANALYZE;
SQL
	admin "CREATE DATABASE $ref TEMPLATE $ours"
	# BENCH_DIR keeps the data before the run as the database
	# crm_bench_flow_start too (copies: CREATE DATABASE x TEMPLATE it)
	if [ -n "${BENCH_DIR:-}" ]; then
		admin "DROP DATABASE IF EXISTS crm_bench_flow_start"
		admin "CREATE DATABASE crm_bench_flow_start TEMPLATE $ours"
	fi
else
	cp "$db_ours" "$db_ref"
	# BENCH_DIR keeps the directory, with the data before the run (for
	# a profile: cp start.db x.db; valgrind ... crm-flow run --db x.db)
	[ -z "${BENCH_DIR:-}" ] || cp "$db_ours" "$dir/start.db"
fi
echo "engine $engine; data: $n change events ($((n / 20)) stage changes), $nr deals ($((nr / 2)) in proposal)"

# PostgreSQL: the server's CPU seconds too, for each side (under others'
# load the wall times swing, the CPU seconds much less)
s0=
[ "$engine" != pg ] || s0=$(srv_cpu)
timed "$dir/out" /usr/bin/time -f '%M %U %S' -o "$dir/rss" \
	"$bin/crm-flow" run -q --db "$db_ours" --flows "$dir/flows"
t_ours=$t
[ -z "$s0" ] || s1=$(srv_cpu)
# the whole deal as JSON, as the audit's undo image has it
image="$json_obj('id', CAST(d.id AS TEXT), 'external_id', d.external_id,
  'name', d.name, 'company_id', d.company_id, 'contact_id', d.contact_id,
  'lead_id', d.lead_id, 'pipeline', d.pipeline, 'stage', d.stage,
  'status', d.status, 'amount', d.amount, 'currency', d.currency,
  'probability', d.probability, 'forecast_category', d.forecast_category,
  'expected_close', d.expected_close, 'owner', d.owner, 'source', d.source,
  'tags', d.tags, 'close_reason', d.close_reason, 'closed_at', d.closed_at,
  'stage_changed_at', d.stage_changed_at, 'last_activity_at',
  d.last_activity_at, 'created_at', d.created_at, 'updated_at',
  d.updated_at, 'custom', $json_obj())"
cat >"$dir/ref.sql" <<SQL
BEGIN;
-- the events the update flow wants
CREATE TEMP TABLE ev AS SELECT id, change_id, record_id,
  $(jx before stage) AS f, $(jx after stage) AS t FROM crm_audit
  WHERE action = 'update' AND $(jx after stage) = 'negotiation'
  AND $(jx before stage) IS DISTINCT FROM 'negotiation';
-- the deals it tags: the first event of each deal not tagged yet; one
-- change each (ev_id cast: a column without a type has no affinity in
-- SQLite, and its index would not serve the join with ev.id below)
CREATE TEMP TABLE tagged AS SELECT CAST(x.ev_id AS BIGINT) AS ev_id, x.record_id,
  (SELECT max(id) FROM crm_changes) + row_number() OVER (ORDER BY x.ev_id)
  AS cid FROM (SELECT min(ev.id) AS ev_id, ev.record_id FROM ev JOIN deals d
  ON d.id = ev.record_id WHERE coalesce(d.tags, '') NOT LIKE '%negotiating%'
  GROUP BY ev.record_id) x;
CREATE INDEX tagged_ev ON tagged(ev_id);
INSERT INTO crm_changes (id, at, actor, command, entity)
  SELECT cid, '$now', 'bench', 'flow', 'deal' FROM tagged ORDER BY cid;
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
  SELECT t.cid, 'deal', d.id, 'update', CAST($image AS TEXT),
  '{"tags":"negotiating"}' FROM tagged t JOIN deals d ON d.id = t.record_id
  ORDER BY t.cid;
UPDATE deals SET tags = CASE WHEN tags IS NULL THEN 'negotiating'
  ELSE tags || ',negotiating' END, updated_at = '$now'
  WHERE id IN (SELECT record_id FROM tagged);
INSERT INTO crm_flow_firings (flow, entity, record_id, occurrence, why,
  fired_at, status, attempts, depth, change_id, did)
SELECT 'negotiating', 'deal', ev.record_id, 'audit:' || ev.id,
  'stage: ' || coalesce(ev.f, '') || ' -> ' || ev.t || ' (change ' ||
  ev.change_id || ')', '$now', 'done', 1, 0, t.cid,
  CASE WHEN t.cid IS NULL THEN 'tags +negotiating (unchanged)'
  ELSE 'tags +negotiating' END
  FROM ev LEFT JOIN tagged t ON t.ev_id = ev.id ORDER BY ev.id
  ON CONFLICT DO NOTHING;
-- the time flow: deals in proposal for 48 hours, a task each
CREATE TEMP TABLE due AS SELECT id FROM deals
  WHERE stage_changed_at <= '2026-11-29T00:00:00Z' AND stage = 'proposal'
  AND NOT EXISTS (SELECT 1 FROM crm_flow_firings x WHERE x.flow = 'quote'
  AND x.record_id = deals.id AND x.occurrence = deals.stage_changed_at);
INSERT INTO activities (type, subject, occurred_at, owner, channel, due_at,
  deal_id, created_at, updated_at)
SELECT 'task', 'Follow up on ' || d.name, d.created_at, d.owner, 'crm-flow',
  '2026-12-02T00:00:00Z', d.id, '$now', '$now'
  FROM due JOIN deals d ON d.id = due.id ORDER BY d.id;
INSERT INTO crm_flow_firings (flow, entity, record_id, occurrence, why,
  fired_at, status, attempts, depth, did)
SELECT 'quote', 'deal', d.id, d.stage_changed_at, '2d after stage_changed_at (stage_changed_at '
  || d.stage_changed_at || '): due ' || $(plus2d d.stage_changed_at),
  '$now', 'done', 1, 0, 'task ' || a.id || ' ''Follow up on ' || d.name ||
  ''' for ' || d.owner FROM due JOIN deals d ON d.id = due.id
  JOIN activities a ON a.deal_id = d.id AND a.channel = 'crm-flow'
  AND a.created_at = '$now' ORDER BY d.id;
-- a task touches its deal's last_activity_at, as crm's activity log does
UPDATE deals SET last_activity_at = x.m FROM (SELECT deal_id AS rid,
  max(occurred_at) AS m FROM activities WHERE channel = 'crm-flow'
  AND created_at = '$now' GROUP BY deal_id) x WHERE deals.id = x.rid
  AND (deals.last_activity_at IS NULL OR deals.last_activity_at < x.m);
INSERT INTO crm_flow_made (entity, record_id, firing_id)
SELECT 'activity', a.id, f.id FROM crm_flow_firings f JOIN activities a
  ON a.deal_id = f.record_id AND a.channel = 'crm-flow'
  AND a.created_at = '$now' WHERE f.flow = 'quote';
INSERT INTO crm_flow_cursor (name, pos) VALUES ('audit',
  (SELECT max(id) FROM crm_audit WHERE change_id = 1))
  ON CONFLICT (name) DO UPDATE SET pos = excluded.pos;
COMMIT;
$csv_on
SELECT flow, entity, record_id AS record, occurrence, why, status, did,
  error, depth FROM crm_flow_firings ORDER BY id;
$csv_off
SQL
timed "$dir/ref.out" /usr/bin/time -f '%M %U %S' -o "$dir/rss.ref" \
	sh -c "$ref_cmd" _ "$db_ref" "$dir/ref.sql"
t_ref=$t
[ -z "$s0" ] || s2=$(srv_cpu)
a=$(q "$db_ours" "SELECT count(*) FROM crm_flow_firings WHERE status = 'done'")
b=$(q "$db_ref" "SELECT count(*) FROM crm_flow_firings")
c=$(q "$db_ours" "SELECT count(*) FROM deals WHERE tags = 'negotiating'")
d=$(q "$db_ref" "SELECT count(*) FROM deals WHERE tags = 'negotiating'")
e=$(q "$db_ours" "SELECT count(*) FROM activities WHERE type = 'task'")
f=$(q "$db_ref" "SELECT count(*) FROM activities WHERE type = 'task'")
g=$(q "$db_ours" "SELECT count(*) FROM crm_audit")
h=$(q "$db_ref" "SELECT count(*) FROM crm_audit")
touch="SELECT count(*) || ' ' || coalesce(max(last_activity_at), '') FROM deals WHERE last_activity_at IS NOT NULL"
i=$(q "$db_ours" "$touch")
j=$(q "$db_ref" "$touch")
echo "run: crm-flow ${t_ours}s ($(echo "$n $t_ours" | awk '{printf "%.0f", $1 / $2}') events/s), set-based SQL ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm-flow peak RSS $(rss "$dir/rss")"
echo "firings: ours $a, reference $b; tagged deals: ours $c, reference $d; tasks: ours $e, reference $f; audit rows: ours $g, reference $h; deals with an activity (latest): ours $i, reference $j; output lines: ours $(wc -l <"$dir/out"), reference $(wc -l <"$dir/ref.out")"
# under load the wall times say little: the CPU times of the two
# processes (for pg most of the work is the server's, not counted here)
cpu() { awk 'END { printf "%.2f", $2 + $3 }' "$1"; }
echo "cpu (user+sys): crm-flow $(cpu "$dir/rss")s, reference client $(cpu "$dir/rss.ref")s, ratio $(ratio "$(cpu "$dir/rss")" "$(cpu "$dir/rss.ref")"); load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$s0" ]; then
	echo "$s0 $s1 $s2 $(cpu "$dir/rss") $(cpu "$dir/rss.ref")" | awk '{
		o = $2 - $1; r = $3 - $2
		printf "cpu with the server: crm-flow %.2fs + server %.2fs, reference %.2fs + server %.2fs, ratio %.2f\n",
		    $4, o, $5, r, ($4 + o) / ($5 + r) }'
fi
[ "$a" = "$b" ] && [ "$c" = "$d" ] && [ "$e" = "$f" ] && [ "$g" = "$h" ] && [ "$i" = "$j" ]
row "flow run ($nr deals)" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss"
