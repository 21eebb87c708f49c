#!/bin/bash
# PostgreSQL: crm-flow run without a savepoint per firing. A firing's
# writes go in the pipeline, so a write the database refuses (a trigger)
# fails at a later read, in another firing; the run then rolls back, sets
# the sequences back and runs again with a savepoint per firing. Each line
# is written once, in order (a line waits until a read after its firing's
# writes succeeded), only the failed firing is undone, and the output,
# rows, ids and sequences are those of SQLite. Runs when $CRM_TEST_PG names
# a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

mkdir "$T/flows"
# a tag and a task are written, then the database refuses the set
cat >"$T/flows/mark.json" <<'X'
{"name": "mark", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ bad"],
 "actions": [{"type": "tag", "add": "seen"},
             {"type": "task", "subject": "mark {{name}}", "due": "1d"},
             {"type": "set", "fields": {"probability": "77"}}]}
X
cat >"$T/flows/task.json" <<'X'
{"name": "task", "entity": "deal",
 "trigger": {"type": "created"},
 "actions": [{"type": "task", "subject": "call {{name}}", "due": "1d"},
             {"type": "tag", "add": "called"}]}
X
F=(--flows "$T/flows")

run_all() {
	engine=$1 CRM_DB=$2
	export CRM_DB CRM_NOW=2026-12-01T09:00:00Z
	expect_code 0 crm init
	case $engine in
	pg) sql "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a trigger' USING ERRCODE = 'check_violation'; END\$\$; CREATE TRIGGER boom BEFORE UPDATE ON deals FOR EACH ROW WHEN (NEW.probability = 77) EXECUTE FUNCTION boom()" || not_ok "create the trigger" ;;
	*) sql "CREATE TRIGGER boom BEFORE UPDATE ON deals WHEN NEW.probability = 77 BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" || not_ok "create the trigger" ;;
	esac
	# the first firing fails: statements first prepared after the
	# refused write (in the same pipeline) are prepared again
	expect_code 0 crm-pipeline add -q --name 'bad a' --owner lee
	expect_code 0 crm-pipeline add -q --name 'ok b' --owner kim
	expect_code 0 crm-pipeline add -q --name 'ok c' --owner kim
	expect_code 0 crm-pipeline add -q --name 'bad d' --owner lee
	expect_code 0 crm-pipeline add -q --name 'ok e' --owner kim
	export CRM_NOW=2026-12-01T10:00:00Z
	expect_code 1 crm-flow run "${F[@]}" -f csv --fields flow,record,status,did
	cp "$T/out" "$T/$engine.run"
	expect_code 0 crm-flow log -f csv --fields record,status,error
	cp "$T/out" "$T/$engine.errors"
	# the ids the next writes take: the sequences were set back
	expect_code 0 crm-activity log -q --type call --deal 1 --at 2026-12-01T09:30:00Z
	expect_code 0 crm-pipeline add -q --name 'ok f' --owner kim
	expect_code 0 crm-activity list -f csv --fields id,deal_id,subject
	cp "$T/out" "$T/$engine.act"
	expect_code 0 crm-pipeline list -f csv --fields id,name,tags,probability
	cp "$T/out" "$T/$engine.deals"
	expect_code 0 crm-flow log -f csv --fields id,flow,record,status,attempts,did,change
	cp "$T/out" "$T/$engine.log"
	sql "SELECT entity, record_id, firing_id FROM crm_flow_made ORDER BY record_id"
	cp "$T/sql" "$T/$engine.made"
	sql "SELECT id, record_id FROM crm_audit WHERE entity = 'deal' AND action = 'update' ORDER BY id"
	cp "$T/sql" "$T/$engine.audit"
	sql "SELECT max(id) FROM crm_changes"
	cp "$T/sql" "$T/$engine.changes"
}
run_all sqlite "$T/lite.db"
run_all pg "$PGDB"

cat >"$T/want" <<'X'
flow,record,status,did
mark,1,failed,
task,1,done,task 1 'call bad a' for lee; tags +called
task,2,done,task 2 'call ok b' for kim; tags +called
task,3,done,task 3 'call ok c' for kim; tags +called
mark,4,failed,
task,4,done,task 4 'call bad d' for lee; tags +called
task,5,done,task 5 'call ok e' for kim; tags +called
X
compare "$T/want" "$T/pg.run" "PostgreSQL: each firing's line once, in order, the refused ones failed"
compare "$T/sqlite.run" "$T/pg.run" "the run's output the same on SQLite and PostgreSQL"
cat >"$T/want" <<'X'
record,status,error
1,failed,actions[2] set: cannot update: refused by a trigger
1,done,
2,done,
3,done,
4,failed,actions[2] set: cannot update: refused by a trigger
4,done,
5,done,
X
compare "$T/want" "$T/pg.errors" "PostgreSQL: the refused firings failed with the database's reason"
compare "$T/sqlite.errors" "$T/pg.errors" "the firings' errors the same on SQLite and PostgreSQL"
compare "$T/sqlite.act" "$T/pg.act" "the tasks and their ids the same on SQLite and PostgreSQL (the failed firings' tasks undone, the sequence set back)"
compare "$T/sqlite.deals" "$T/pg.deals" "the deals as on SQLite (no tag or probability of a failed firing; the next deal's id)"
compare "$T/sqlite.log" "$T/pg.log" "the firings, their ids and change sets as on SQLite"
compare "$T/sqlite.made" "$T/pg.made" "crm_flow_made as on SQLite"
compare "$T/sqlite.audit" "$T/pg.audit" "the audit rows and their ids as on SQLite"
compare "$T/sqlite.changes" "$T/pg.changes" "the change sets as on SQLite"
done_testing
