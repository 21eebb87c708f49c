#!/bin/bash
# crm-flow run: failed actions in the middle of a run's firings. On SQLite
# a firing runs without a savepoint: an action that fails before anything
# is written has nothing to undo; one that fails after its firing wrote
# (a tag, then a bad set) makes the run start again with a savepoint per
# firing. Either way each firing's line is written once, in order, only
# the failed firing is undone, and the ids and rows are those of a run
# with a savepoint per firing (as on PostgreSQL).
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/flows/first.json" <<'X'
{"name": "first", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ first"],
 "actions": [{"type": "set", "fields": {"probability": "{{owner}}"}},
             {"type": "task", "subject": "first {{name}}", "due": "1d"}]}
X
cat >"$T/flows/second.json" <<'X'
{"name": "second", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ second"],
 "actions": [{"type": "tag", "add": "seen"},
             {"type": "task", "subject": "second {{name}}", "due": "1d"},
             {"type": "set", "fields": {"probability": "{{owner}}"}}]}
X
cat >"$T/flows/task.json" <<'X'
{"name": "task", "entity": "deal",
 "trigger": {"type": "created"},
 "actions": [{"type": "task", "subject": "call {{name}}", "due": "1d"}]}
X
expect_code 0 crm-pipeline add -q --name 'ok a' --owner kim
expect_code 0 crm-pipeline add -q --name 'first bad' --owner x
expect_code 0 crm-pipeline add -q --name 'second bad' --owner y
expect_code 0 crm-pipeline add -q --name 'first good' --owner 20
expect_code 0 crm-pipeline add -q --name 'second good' --owner 30
export CRM_NOW=2026-12-01T10:00:00Z
expect_code 1 crm-flow run --flows "$T/flows" -f csv --fields flow,record,status,did,error
expect_out "every firing once, in order; the two bad ones failed" <<'X'
flow,record,status,did,error
task,1,done,task 1 'call ok a' for kim,
first,2,failed,,"actions[0] set: probability: expected a number, got 'x'"
task,2,done,task 2 'call first bad' for x,
second,3,failed,,"actions[2] set: probability: expected a number, got 'y'"
task,3,done,task 3 'call second bad' for y,
first,4,done,set probability=20; task 4 'first first good' for 20,
task,4,done,task 5 'call first good' for 20,
second,5,done,tags +seen; task 6 'second second good' for 30; set probability=30,
task,5,done,task 7 'call second good' for 30,
X
err_has "7 fired, 2 failed, 0 sent, 0 loops stopped"
expect_code 0 crm-pipeline list -f csv --fields id,tags,probability
expect_out "deal 3 has none of its firing's actions (not its tag)" <<'X'
id,tags,probability
1,,10
2,,10
3,,10
4,,20
5,seen,30
X
expect_code 0 crm-activity list -f csv --fields id,deal_id,subject
expect_out "the tasks' ids as a savepoint per firing gives them" <<'X'
id,deal_id,subject
1,1,call ok a
2,2,call first bad
3,3,call second bad
4,4,first first good
5,4,call first good
6,5,second second good
7,5,call second good
X
sql "SELECT record_id || ':' || firing_id FROM crm_flow_made ORDER BY record_id"
expect_same_sql() { cat >"$T/want"; compare "$T/want" "$T/sql" "$1"; }
expect_same_sql "made: each task under its firing, none for the failed" <<'X'
1:1
2:3
3:5
4:6
5:7
6:8
7:9
X
sql "SELECT record_id, count(*) FROM crm_audit WHERE entity = 'deal' AND record_id IN (3, 5) GROUP BY record_id"
expect_same_sql "no audit row of the undone tag, deal 5's kept" <<'X'
5|2
X
sql "SELECT ifnull(json_extract(before, '\$.tags'), '-') FROM crm_audit WHERE entity = 'deal' AND record_id = 5 AND action = 'update' ORDER BY id"
expect_same_sql "the set's undo image has the tag the action before it wrote" <<'X'
-
seen
X
expect_code 0 crm-flow log -f csv --fields flow,record,status,attempts,did
expect_out "the firings as recorded" <<'X'
flow,record,status,attempts,did
task,1,done,1,task 1 'call ok a' for kim
first,2,failed,1,
task,2,done,1,task 2 'call first bad' for x
second,3,failed,1,
task,3,done,1,task 3 'call second bad' for y
first,4,done,1,set probability=20; task 4 'first first good' for 20
task,4,done,1,task 5 'call first good' for 20
second,5,done,1,tags +seen; task 6 'second second good' for 30; set probability=30
task,5,done,1,task 7 'call second good' for 30
X
db_integrity
done_testing
