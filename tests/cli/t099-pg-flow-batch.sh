#!/bin/bash
# PostgreSQL: crm-flow run holds a batch's firings, their tasks'
# activities, the records they made and the tasks' last_activity_at
# touches, and writes them several to a statement with ids from blocks
# reserved from the sequences (given back at the end of the batch). Where
# that could go wrong, against SQLite, which writes them one by one: ids
# across the 128-row statements (300 firings a pass) and the blocks'
# rest given back (the next writes' ids), a task then a tag on the same deal in one firing (the tag's undo
# row holds the touched last_activity_at), a second flow's task on the
# same deals in the next pass, and a failing action after a task held in
# the batch (the run restarts with savepoints: each line once, only the
# failed firings undone). Runs when $CRM_TEST_PG names a server.
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

mkdir "$T/flows"
cat >"$T/flows/quote.json" <<'X'
{"name": "quote", "entity": "deal",
 "trigger": {"type": "time", "field": "stage_changed_at", "after": "2d"},
 "conditions": ["stage = proposal"],
 "actions": [{"type": "task", "subject": "quote {{name}}", "due": "1d"},
             {"type": "tag", "add": "quoted"}]}
X
# its note fails where source is no time: nothing held, its id not taken
cat >"$T/flows/quoted.json" <<'X'
{"name": "quoted", "entity": "deal",
 "trigger": {"type": "tag_added", "tag": "quoted"},
 "actions": [{"type": "log", "subject": "note {{name}}", "at": "{{source}}"}]}
X
# a task held, then a note whose time (the deal's source) is no time for
# every 7th: it fails before it writes, the task held (its deal touched
# by quote already) is what the run must undo, and the note's id is not
# taken
cat >"$T/flows/wrong.json" <<'X'
{"name": "wrong", "entity": "deal",
 "trigger": {"type": "time", "field": "stage_changed_at", "after": "2d"},
 "conditions": ["name ~ bad", "stage = proposal"],
 "actions": [{"type": "task", "subject": "check {{name}}", "due": "1d"},
             {"type": "log", "subject": "note {{name}}", "at": "{{source}}"}]}
X
F=(--flows "$T/flows")

deals() { # deals FROM TO [PREFIX]: CSV of deals FROM..TO, odd ones in
	# proposal, source no time for every 7th
	echo name,owner,stage,source
	for i in $(seq "$1" "$2"); do
		if [ $((i % 2)) = 1 ]; then s=proposal; else s=prospecting; fi
		if [ $((i % 5)) = 0 ]; then o=lee; else o=kim; fi
		if [ $((i % 7)) = 3 ]; then c=x; else c=2026-12-02T00:00:00Z; fi
		echo "${3:-ok} $i,$o,$s,$c"
	done
}

snap() { # snap ENGINE STEP: what the run left
	expect_code 0 crm-flow log -f csv --fields id,flow,record,status,attempts,did,error,change
	cp "$T/out" "$T/$1.$2.log"
	sql "SELECT id, deal_id, type, subject, occurred_at, due_at FROM activities ORDER BY id"
	cp "$T/sql" "$T/$1.$2.act"
	expect_code 0 crm-pipeline list -f csv --fields id,tags,probability,last_activity_at
	cp "$T/out" "$T/$1.$2.deals"
	sql "SELECT entity, record_id, firing_id FROM crm_flow_made ORDER BY record_id"
	cp "$T/sql" "$T/$1.$2.made"
	sql "SELECT id, change_id, record_id, before FROM crm_audit WHERE action = 'update' ORDER BY id"
	cp "$T/sql" "$T/$1.$2.audit"
}

step() { # step N PREFIX COUNT NOW: COUNT deals imported, a run at NOW
	deals 1 "$3" "$2" >"$T/deals.csv"
	expect_code 0 crm-pipeline import -q "$T/deals.csv"
	export CRM_NOW=$4
	expect_code 1 crm-flow run "${F[@]}" -f csv --fields flow,record,status,did
	cp "$T/out" "$T/$engine.$1.run"
	snap "$engine" "$1"
}

run_all() {
	engine=$1 CRM_DB=$2
	export CRM_DB CRM_NOW=2026-12-01T09:00:00Z
	expect_code 0 crm init
	# the database refuses one task (quote's, in the third run; its
	# INSERT is one of a batch's on PostgreSQL, which fails at a later
	# read)
	case $engine in
	pg) sql "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a trigger' USING ERRCODE = 'check_violation'; END\$\$; CREATE TRIGGER boom BEFORE INSERT ON activities FOR EACH ROW WHEN (NEW.subject = 'quote more 9') EXECUTE FUNCTION boom()" || not_ok "create the trigger" ;;
	*) sql "CREATE TRIGGER boom BEFORE INSERT ON activities WHEN NEW.subject = 'quote more 9' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" || not_ok "create the trigger" ;;
	esac
	# 300 firings of quote, then 300 of quoted in the next pass (43
	# failed)
	step 1 ok 600 2026-12-04T09:00:00Z
	# the ids the next writes take: the blocks' rest went back
	expect_code 0 crm-activity log -q --type call --deal 2 --at 2026-12-04T10:00:00Z
	expect_code 0 crm-pipeline add -q --name 'ok next' --owner kim
	# 60 bad deals, 5 of them failing wrong's note (the first is the
	# second firing of wrong: one before it held)
	step 2 bad 60 2026-12-07T09:00:00Z
	# 140 more, one of whose tasks the database refuses: the run
	# restarts, each line once
	step 3 more 140 2026-12-10T09:00:00Z
	expect_code 0 crm-activity log -q --type call --deal 2 --at 2026-12-10T10:00:00Z
	expect_code 0 crm-pipeline add -q --name 'ok last' --owner kim
	sql "SELECT max(id) FROM activities"
	cp "$T/sql" "$T/$engine.4.act"
	sql "SELECT max(id) FROM deals"
	cp "$T/sql" "$T/$engine.4.deals"
	sql "SELECT max(id) FROM crm_changes"
	cp "$T/sql" "$T/$engine.4.changes"
}
run_all sqlite "$T/lite.db"
run_all pg "$PGDB"

n=$(grep -c '^quote,' "$T/pg.1.run")
[ "$n" = 300 ] && ok "300 quote firings in the first run" || not_ok "300 quote firings in the first run (got $n)"
n=$(grep -c '^quoted,[0-9]*,done,' "$T/pg.1.run")
[ "$n" = 257 ] && ok "257 quoted firings done in its next pass" || not_ok "257 quoted firings done in its next pass (got $n)"
n=$(grep -c '^wrong,.*,failed,' "$T/pg.2.run")
[ "$n" = 5 ] && ok "5 wrong firings failed in the second run" || not_ok "5 wrong firings failed in the second run (got $n)"
n=$(grep -c '^quote,670,failed,' "$T/pg.3.run")
[ "$n" = 1 ] && ok "the refused task's firing failed" || not_ok "the refused task's firing failed (got $n)"
for step in 1 2 3; do
	compare "$T/sqlite.$step.run" "$T/pg.$step.run" "run $step: each line once, in order, the same on SQLite and PostgreSQL"
	compare "$T/sqlite.$step.log" "$T/pg.$step.log" "run $step: the firings, their ids, did texts and change sets as on SQLite"
	compare "$T/sqlite.$step.act" "$T/pg.$step.act" "run $step: the activities and their ids as on SQLite"
	compare "$T/sqlite.$step.deals" "$T/pg.$step.deals" "run $step: tags and last_activity_at as on SQLite"
	compare "$T/sqlite.$step.made" "$T/pg.$step.made" "run $step: crm_flow_made as on SQLite"
	compare "$T/sqlite.$step.audit" "$T/pg.$step.audit" "run $step: the undo rows (the touched last_activity_at) as on SQLite"
done
compare "$T/sqlite.4.act" "$T/pg.4.act" "the activities' next id the same on SQLite and PostgreSQL"
compare "$T/sqlite.4.deals" "$T/pg.4.deals" "the deals' sequence where SQLite's is"
compare "$T/sqlite.4.changes" "$T/pg.4.changes" "the change sets as on SQLite"
done_testing
