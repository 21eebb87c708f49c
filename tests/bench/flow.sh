#!/bin/sh
# flow.sh [EVENTS [RECORDS]]: one crm-flow run over EVENTS change events
# (default 1,000,000 rows of crm_audit, one in 20 a deal moving to
# negotiation, which a flow tags) and RECORDS deals (default 100,000)
# with a time trigger (48 hours after entering the proposal stage: a
# task, for the half that are in it); and the same work as a set-based
# pass in the sqlite3 shell (INSERT ... SELECT of the firings, one
# UPDATE of the tags, one INSERT ... SELECT of the tasks) on a copy.
# Prints times, rates, the ratio and crm-flow's peak RSS.
set -eu
n=${1:-1000000}
nr=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-01T00:00:00Z CRM_USER=bench

mkdir "$dir/flows"
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

# the data, straight into crm's schema (not what is measured); the
# created cursor starts past the deals, as after an earlier run
"$bin/crm" init --db "$dir/ours.db" 2>/dev/null
sqlite3 "$dir/ours.db" <<SQL
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $nr)
INSERT INTO deals (id, name, pipeline, stage, status, owner, stage_changed_at,
  created_at, updated_at)
SELECT i, 'Deal ' || i, 'default', CASE i % 2 WHEN 0 THEN 'proposal'
  ELSE 'prospecting' END, 'open', 'kim',
  strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-01', '+' || (i % 40) || ' days'),
  '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z' FROM s;
INSERT INTO crm_changes (id, at, actor, command, entity)
  VALUES (1, '2026-11-30T00:00:00Z', 'bench', 'update', 'deal');
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT 1, 'deal', 1 + (i * 7919) % $nr, 'update',
  CASE WHEN i % 20 = 0 THEN '{"stage":"proposal"}' ELSE '{"probability":10}' END,
  CASE WHEN i % 20 = 0 THEN '{"stage":"negotiation"}' ELSE '{"probability":' || (i % 100) || '}' END
FROM s;
SQL
cp "$dir/ours.db" "$dir/ref.db"
echo "data: $n change events ($((n / 20)) stage changes), $nr deals ($((nr / 2)) in proposal)"

timed "$dir/out" /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-flow" run -q --db "$dir/ours.db" --flows "$dir/flows" || true
t_ours=$t
timed /dev/null sqlite3 "$dir/ref.db" <<'SQL'
PRAGMA journal_mode=WAL;
BEGIN;
INSERT INTO crm_flow_firings (flow, entity, record_id, occurrence, why,
  fired_at, status, attempts, depth)
SELECT 'negotiating', 'deal', record_id, 'audit:' || id, 'stage', '2026-12-01T00:00:00Z',
  'done', 1, 0 FROM crm_audit WHERE action = 'update'
  AND json_extract(after, '$.stage') = 'negotiation'
  AND json_extract(before, '$.stage') IS NOT 'negotiation';
UPDATE deals SET tags = CASE WHEN tags IS NULL THEN 'negotiating'
  ELSE tags || ',negotiating' END
  WHERE id IN (SELECT record_id FROM crm_flow_firings WHERE flow = 'negotiating')
  AND coalesce(tags, '') NOT LIKE '%negotiating%';
INSERT INTO crm_flow_firings (flow, entity, record_id, occurrence, why,
  fired_at, status, attempts, depth)
SELECT 'quote', 'deal', id, stage_changed_at, 'time', '2026-12-01T00:00:00Z',
  'done', 1, 0 FROM deals WHERE stage_changed_at <= '2026-11-29T00:00:00Z'
  AND stage = 'proposal' AND NOT EXISTS (SELECT 1 FROM crm_flow_firings x
  WHERE x.flow = 'quote' AND x.record_id = deals.id
  AND x.occurrence = deals.stage_changed_at);
INSERT INTO activities (type, subject, occurred_at, owner, channel, due_at,
  deal_id, created_at, updated_at)
SELECT 'task', 'Follow up on ' || name, created_at, owner, 'crm-flow',
  '2026-12-02T00:00:00Z', id, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'
  FROM deals WHERE id IN (SELECT record_id FROM crm_flow_firings WHERE flow = 'quote');
COMMIT;
SQL
t_ref=$t
a=$(sqlite3 "$dir/ours.db" "SELECT count(*) FROM crm_flow_firings WHERE status = 'done'")
b=$(sqlite3 "$dir/ref.db" "SELECT count(*) FROM crm_flow_firings")
c=$(sqlite3 "$dir/ours.db" "SELECT count(*) FROM deals WHERE tags = 'negotiating'")
d=$(sqlite3 "$dir/ref.db" "SELECT count(*) FROM deals WHERE tags = 'negotiating'")
e=$(sqlite3 "$dir/ours.db" "SELECT count(*) FROM activities WHERE type = 'task'")
f=$(sqlite3 "$dir/ref.db" "SELECT count(*) FROM activities WHERE type = 'task'")
echo "run: crm-flow ${t_ours}s ($(echo "$n $t_ours" | awk '{printf "%.0f", $1 / $2}') events/s), sqlite3 set-based ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm-flow peak RSS $(rss "$dir/rss")"
echo "firings: ours $a, reference $b; tagged deals: ours $c, reference $d; tasks: ours $e, reference $f"
