#!/bin/bash
# PostgreSQL only (its planner): crm-flow run asks, for each change-log
# row of a batch, whether a flow fired on it already, by the firings' key
# (flow, record, occurrence), row by row. Written as EXISTS, PostgreSQL
# planned it as a hashed subplan that read every firing of the flow at
# each batch: the run's cost grew with the firings it had written (1.62
# times the set-based SQL at 10M events, where 3M gave 1.29). Here, with
# the firings and the log analyzed: the batch's plan (auto_explain, sent
# to crm-flow as warnings) probes the firings of each row's record and
# hashes none (the EXISTS was hashed here too); and the
# answer is right: a run from the start of the log again fires nothing
# twice, and a deal moved again fires once more. Runs when $CRM_TEST_PG
# names a server (a superuser's, to load auto_explain).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db
export CRM_DB=$PGDB CRM_NOW=2026-12-01T09:00:00Z

mkdir "$T/flows"
cat >"$T/flows/neg.json" <<'X'
{"name": "neg", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "negotiating"}]}
X
F=(--flows "$T/flows")
deals() { # deals FROM TO STAGE: CSV of deals FROM..TO in STAGE
	echo external_id,name,owner,stage
	for i in $(seq "$1" "$2"); do echo "d$i,Deal $i,kim,$3"; done
}
explained() { # explained CMD...: CMD with every statement's plan on stderr
	PGOPTIONS="-c session_preload_libraries=auto_explain \
-c auto_explain.log_min_duration=0 -c auto_explain.log_verbose=on \
-c auto_explain.log_level=warning" "$@"
}

expect_code 0 crm init
deals 1 3000 prospecting >"$T/a.csv"
expect_code 0 crm-pipeline import -q "$T/a.csv"
deals 1 3000 negotiation >"$T/b.csv"
expect_code 0 crm-pipeline import -q "$T/b.csv"
expect_code 0 crm-flow run -q "${F[@]}"
sql "SELECT count(*) FROM crm_flow_firings WHERE flow = 'neg'"
[ "$(cat "$T/sql")" = 3000 ] && ok "3000 firings of the first moves" || not_ok "3000 firings of the first moves (got $(cat "$T/sql"))"

# 1000 moved away and back: 2000 change-log rows, 1000 of them firing
deals 1 1000 proposal >"$T/c.csv"
expect_code 0 crm-pipeline import -q "$T/c.csv"
deals 1 1000 negotiation >"$T/d.csv"
expect_code 0 crm-pipeline import -q "$T/d.csv"
sql "ANALYZE crm_flow_firings; ANALYZE crm_audit"
explained crm-flow run "${F[@]}" -f csv --fields flow,record,status,did >"$T/run" 2>"$T/plans"
rc=$?
[ "$rc" = 0 ] && ok "the run under auto_explain exits 0" || not_ok "the run under auto_explain exits 0 (got $rc)"
seq 1 1000 | awk 'BEGIN { print "flow,record,status,did" }
	{ print "neg," $1 ",done,tags +negotiating (unchanged)" }' >"$T/want"
compare "$T/want" "$T/run" "the second moves fire once each, the first ones not again"

# the batch's plan: from its query text to the next statement's
awk '/^WARNING: / { keep = 0 } /Query Text: SELECT id, change_id, entity, record_id, before, after/ { keep = 1 } keep' "$T/plans" >"$T/batch"
check "the change-log batch was explained on PostgreSQL" grep -q 'FROM crm_audit' "$T/batch"
check "the batch hashes no firings on PostgreSQL" test -z "$(grep -i 'hashed SubPlan' "$T/batch")"
check "the batch probes the firings by record on PostgreSQL" \
	grep -Eq 'Index Cond: .*x\.record_id = crm_audit\.record_id' "$T/batch"

# from the start of the log again: every row fired already
sql "UPDATE crm_flow_cursor SET pos = 0 WHERE name = 'audit'"
expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,status,did
: | expect_out "a run from the start of the log fires nothing twice"
sql "SELECT count(*) FROM crm_flow_firings"
[ "$(cat "$T/sql")" = 4000 ] && ok "4000 firings in all" || not_ok "4000 firings in all (got $(cat "$T/sql"))"
done_testing
