#!/bin/bash
# PostgreSQL: crm-flow run holds a batched firing's writes of its record
# (the change sets and undo rows of its tags and sets, a tag's UPDATE)
# and writes them several to a statement with the batch, or before the
# record is read again. Against SQLite, which writes them one by one: 150 deals moved to
# negotiation (a tag; for every 25th to 100 a second flow's tag and set),
# then the last 40 moved away and back: their second firings, in the same
# batch of the change log, must see the tag (unchanged), whether its
# UPDATE was written with the first 128 firings or is still held (written
# before the read), and where the records read ahead (past 100 the window
# grows to 64 rows) predate it. Output, change sets, undo rows, firings
# and deals as on SQLite; the next change id; then every change set of the
# run undone, newest first, gives back the deals as before the run, on
# both engines. Runs when $CRM_TEST_PG names a server.
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

mkdir "$T/flows"
cat >"$T/flows/neg.json" <<'X'
{"name": "neg", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "negotiating"}]}
X
# on the same events, for every 25th deal to 100: a tag then a set in
# one firing, after the tag of neg (its held UPDATE written first; the
# set's undo image must hold both tags)
cat >"$T/flows/neg2.json" <<'X'
{"name": "neg2", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "conditions": ["owner = lee"],
 "actions": [{"type": "tag", "add": "lee"},
             {"type": "set", "fields": {"source": "flow {{tags}}"}}]}
X
F=(--flows "$T/flows")

deals() { # deals FROM TO STAGE: CSV of deals FROM..TO in STAGE
	echo external_id,name,owner,stage
	for i in $(seq "$1" "$2"); do
		if [ $((i % 25)) = 0 ] && [ "$i" -le 100 ]; then o=lee; else o=kim; fi
		echo "d$i,deal $i,$o,$3"
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

n=$(grep -c '^neg,[0-9]*,audit:[0-9]*,done,tags +negotiating$' "$T/pg.run")
check "150 firings tagged on PostgreSQL (got $n)" [ "$n" = 150 ]
n=$(grep -c '^neg,[0-9]*,audit:[0-9]*,done,tags +negotiating (unchanged)$' "$T/pg.run")
check "40 firings of the moved back deals unchanged (got $n)" [ "$n" = 40 ]
n=$(grep -c '^neg2,[0-9]*,audit:[0-9]*,done,"tags +lee; set source=flow lee,negotiating"$' "$T/pg.run")
check "4 firings of neg2 see neg's tag (got $n)" [ "$n" = 4 ]
n=$(wc -l <"$T/pg.flowchanges")
check "154 change sets of the run (got $n)" [ "$n" = 154 ]
compare "$T/sqlite.run" "$T/pg.run" "each line once, in order, the same on SQLite and PostgreSQL"
compare "$T/sqlite.log" "$T/pg.log" "the firings, their did texts and change sets the same on SQLite and PostgreSQL"
compare "$T/sqlite.changes" "$T/pg.changes" "the change sets and their ids the same on SQLite and PostgreSQL"
compare "$T/sqlite.audit" "$T/pg.audit" "the undo rows, their ids and images the same on SQLite and PostgreSQL"
compare "$T/sqlite.deals" "$T/pg.deals" "the deals the same on SQLite and PostgreSQL"
compare "$T/sqlite.next" "$T/pg.next" "the next change id the same on SQLite and PostgreSQL"
compare "$T/sqlite.moved" "$T/sqlite.undone" "the run's change sets undone give back the deals on SQLite"
compare "$T/pg.moved" "$T/pg.undone" "the run's change sets undone give back the deals on PostgreSQL"
done_testing
