#!/bin/bash
# PostgreSQL: crm-flow run holds a batched firing's writes of its record
# (the tag and set actions' change sets, undo rows and UPDATEs) and writes
# them several to a statement with the batch, or before the record is read
# again. Against SQLite, which writes them one by one: 150 deals moved to
# negotiation (a tag then a set in one firing: the set's undo image has the
# tag), then the last 40 moved away and back: their second firings, in the
# same batch of the change log, must see the tag (unchanged), whether its
# UPDATE was written with the first 128 firings (the records read ahead
# before are stale) or is still held (written before the read). Output, change sets, undo rows, firings
# and deals as on SQLite; the next change id; then every change set of the
# run undone, newest first, gives back the deals as before the run, on
# both engines. Runs when $CRM_TEST_PG names a server.
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

mkdir "$T/flows"
cat >"$T/flows/neg.json" <<'X'
{"name": "neg", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "negotiating"},
             {"type": "set", "fields": {"source": "flow {{tags}}"}}]}
X
F=(--flows "$T/flows")

deals() { # deals FROM TO STAGE: CSV of deals FROM..TO in STAGE
	echo external_id,name,owner,stage
	for i in $(seq "$1" "$2"); do
		echo "d$i,deal $i,kim,$3"
	done
}

run_all() {
	engine=$1 CRM_DB=$2
	export CRM_DB CRM_NOW=2026-12-01T09:00:00Z
	expect_code 0 crm init
	deals 1 150 prospecting >"$T/d.csv"
	expect_code 0 crm-pipeline import -q "$T/d.csv"
	# the change log: 150 moves, 40 away and 40 back, in one batch
	deals 1 150 negotiation >"$T/d.csv"
	expect_code 0 crm-pipeline import -q "$T/d.csv"
	deals 111 150 proposal >"$T/d.csv"
	expect_code 0 crm-pipeline import -q "$T/d.csv"
	deals 111 150 negotiation >"$T/d.csv"
	expect_code 0 crm-pipeline import -q "$T/d.csv"
	sql "SELECT max(id) FROM crm_changes"
	first=$(cat "$T/sql")
	expect_code 0 crm-pipeline export -f csv
	cp "$T/out" "$T/$engine.moved"
	export CRM_NOW=2026-12-02T09:00:00Z
	expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,occurrence,status,did
	cp "$T/out" "$T/$engine.run"
	expect_code 0 crm-flow log -f csv --fields id,flow,record,status,did,change
	cp "$T/out" "$T/$engine.log"
	sql "SELECT id, at, actor, command, entity FROM crm_changes WHERE id > $first ORDER BY id"
	cp "$T/sql" "$T/$engine.changes"
	sql "SELECT id, change_id, entity, record_id, action, before, after FROM crm_audit WHERE change_id > $first ORDER BY id"
	cp "$T/sql" "$T/$engine.audit"
	expect_code 0 crm-pipeline export -f csv
	cp "$T/out" "$T/$engine.deals"
	# the ids the next writes take
	expect_code 0 crm-pipeline update -q 1 --set probability=55
	sql "SELECT max(id) FROM crm_changes"
	cp "$T/sql" "$T/$engine.next"
	expect_code 0 crm-pipeline undo "$(cat "$T/sql")"
	# every change set of the run undone, newest first
	sql "SELECT id FROM crm_changes WHERE command = 'flow' ORDER BY id DESC"
	cp "$T/sql" "$T/$engine.flowchanges"
	while read -r c; do
		expect_code 0 crm-pipeline undo -q "$c"
	done <"$T/$engine.flowchanges"
	expect_code 0 crm-pipeline export -f csv
	cp "$T/out" "$T/$engine.undone"
}
run_all sqlite "$T/lite.db"
run_all pg "$PGDB"

n=$(grep -c ',done,tags +negotiating; set' "$T/pg.run")
check "150 firings tagged and set (got $n)" [ "$n" = 150 ]
n=$(grep -c ',done,tags +negotiating (unchanged); set .* (unchanged)$' "$T/pg.run")
check "40 firings of the moved back deals unchanged (got $n)" [ "$n" = 40 ]
n=$(wc -l <"$T/pg.flowchanges")
check "150 change sets of the run (got $n)" [ "$n" = 150 ]
check "the set's undo image has the tag (PostgreSQL)" grep -q 'negotiating' "$T/pg.audit"
compare "$T/sqlite.run" "$T/pg.run" "each line once, in order, as on SQLite"
compare "$T/sqlite.log" "$T/pg.log" "the firings, their did texts and change sets as on SQLite"
compare "$T/sqlite.changes" "$T/pg.changes" "the change sets and their ids as on SQLite"
compare "$T/sqlite.audit" "$T/pg.audit" "the undo rows, their ids and images as on SQLite"
compare "$T/sqlite.deals" "$T/pg.deals" "the deals as on SQLite"
compare "$T/sqlite.next" "$T/pg.next" "the next change id as on SQLite"
for e in sqlite pg; do
	compare "$T/$e.moved" "$T/$e.undone" "$e: the run's change sets undone give back the deals"
done
done_testing
