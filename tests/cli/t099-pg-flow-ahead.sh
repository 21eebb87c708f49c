#!/bin/bash
# PostgreSQL: crm-flow run reads the records of an audit batch's rows
# ahead, several at a time, while the firings change nothing (flow_run.c
# record_get); a firing that writes makes what was read ahead stale, and a
# later firing of the same record must see its write: the second move of
# deal 9 finds the tag the first one added (unchanged), as on SQLite.
# Runs when $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

mkdir "$T/flows"
cat >"$T/flows/neg.json" <<'X'
{"name": "neg", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "seen"}]}
X
cat >"$T/want" <<'X'
flow,record,status,did
neg,1,done,tags +seen (unchanged)
neg,2,done,tags +seen (unchanged)
neg,3,done,tags +seen (unchanged)
neg,4,done,tags +seen (unchanged)
neg,5,done,tags +seen (unchanged)
neg,6,done,tags +seen (unchanged)
neg,7,done,tags +seen (unchanged)
neg,8,done,tags +seen (unchanged)
neg,9,done,tags +seen
neg,9,done,tags +seen (unchanged)
neg,10,done,tags +seen
X
for engine in sqlite pg; do
	if [ "$engine" = pg ]; then CRM_DB=$PGDB; else CRM_DB=$T/lite.db; fi
	export CRM_DB CRM_NOW=2026-12-01T09:00:00Z
	expect_code 0 crm init
	for i in $(seq 1 10); do
		expect_code 0 crm-pipeline add -q --name "deal $i" --owner kim
	done
	# deals 1-8 tagged already: their firings change nothing
	for i in $(seq 1 8); do
		expect_code 0 crm-pipeline update -q "$i" --set tags=seen
	done
	for i in $(seq 1 9); do
		expect_code 0 crm-pipeline move -q negotiation "$i"
	done
	expect_code 0 crm-pipeline move -q proposal 9
	expect_code 0 crm-pipeline move -q negotiation 9
	expect_code 0 crm-pipeline move -q negotiation 10
	export CRM_NOW=2026-12-01T10:00:00Z
	expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields flow,record,status,did
	compare "$T/want" "$T/out" "$engine: deal 9's second firing sees the tag its first added"
	expect_code 0 crm-pipeline list -f csv --fields id,tags
	cp "$T/out" "$T/$engine.deals"
	sql "SELECT record_id, count(*) FROM crm_audit WHERE entity = 'deal' AND after LIKE '%seen%' GROUP BY record_id ORDER BY record_id"
	cp "$T/sql" "$T/$engine.audit"
done
compare "$T/sqlite.deals" "$T/pg.deals" "the deals' tags the same on SQLite and PostgreSQL"
compare "$T/sqlite.audit" "$T/pg.audit" "one tag write each for deals 9 and 10, the same on SQLite and PostgreSQL"
done_testing
