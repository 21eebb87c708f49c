#!/bin/bash
# crm-flow: a failed command action is recorded with its error and retried
# with backoff (10m, 20m ...) until it succeeds or gives up; it is never
# run twice; a failed write action rolls back its firing and is retried
# with the record as it is then; one record's failure never blocks
# another's; --flow retries and sends only that flow's; SIGKILL during a
# run leaves every record with all of its actions or none, and the next
# run completes them.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/hook.sh" <<'X'
# fails while $1 exists; else logs its key, its argument and stdin's name
[ -e "$1" ] && exit 3
printf '%s %s ' "$CRM_FLOW_KEY" "$2" >>"$1.log"
{ sed -n 's/.*"name":"\([^"]*\)".*/\1/p'; echo; } >>"$1.log"
X
sed "s|@T@|$T|g" >"$T/flows/hook.json" <<'X'
{"name": "hook", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ hook"],
 "actions": [{"type": "tag", "add": "hooked"},
             {"type": "command", "argv": ["sh", "@T@/hook.sh", "@T@/fail", "{{owner}}"]}],
 "options": {"retries": 3, "backoff": "10m"}}
X
cat >"$T/flows/prob.json" <<'X'
{"name": "prob", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ prob"],
 "actions": [{"type": "tag", "add": "seen"},
             {"type": "set", "fields": {"probability": "{{owner}}"}}]}
X
expect_code 0 crm-pipeline add -q --name 'hook one' --owner kim
expect_code 0 crm-pipeline add -q --name 'prob bad' --owner x
expect_code 0 crm-pipeline add -q --name 'prob good' --owner 35
: >"$T/fail"
export CRM_NOW=2026-12-01T10:00:00Z
expect_code 1 crm-flow run --flows "$T/flows" -f csv --fields flow,record,status,did,error
expect_out "the command is queued; the bad set fails alone" <<'X'
flow,record,status,did,error
hook,1,pending,tags +hooked; command sh queued,
prob,2,failed,,"actions[1] set: probability: expected a number, got 'x'"
prob,3,done,tags +seen; set probability=35,
X
err_has "2 fired, 2 failed, 0 sent, 0 loops stopped"
check "the failing command did not log" [ ! -e "$T/fail.log" ]
expect_code 0 crm-pipeline list -f csv --fields id,tags,probability
expect_out "deal 2 has none of its actions (not even the tag); 1 and 3 theirs" <<'X'
id,tags,probability
1,hooked,10
2,,10
3,seen,35
X
expect_code 0 crm-flow log -f csv --fields record,status,attempts,did,error,next_try
expect_out "log: errors and next tries" <<'X'
record,status,attempts,did,error,next_try
1,pending,1,tags +hooked; command sh queued [command failed],'sh' exited with status 3,2026-12-01T10:10:00Z
2,failed,1,,"actions[1] set: probability: expected a number, got 'x'",2026-12-01T10:10:00Z
3,done,1,tags +seen; set probability=35,,
X
CRM_NOW=2026-12-01T10:09:59Z expect_code 0 crm-flow run --flows "$T/flows"
expect_out "before the backoff: nothing is retried" </dev/null
err_has "0 fired, 0 failed, 0 sent"
expect_code 0 crm-pipeline update -q 2 --set owner=45
rm "$T/fail"
CRM_NOW=2026-12-01T10:10:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow hook
err_has "0 fired, 0 failed, 1 sent"
CRM_NOW=2026-12-01T10:10:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow prob -f csv --fields flow,record,status,did
expect_out "the retry applies deal 2's actions with its record as it is now" <<'X'
flow,record,status,did
prob,2,done,tags +seen; set probability=45
X
err_has "1 fired, 0 failed, 0 sent"
expect_out_log() { cat >"$T/want"; compare "$T/want" "$T/fail.log" "$1"; }
expect_out_log "the command ran once, with the record on stdin and a key" <<'X'
1:1 kim hook one
X
CRM_NOW=2026-12-02T10:10:00Z expect_code 0 crm-flow run --flows "$T/flows"
compare "$T/want" "$T/fail.log" "never twice"
expect_code 0 crm-flow log -f csv --fields record,status,attempts,did,error
expect_out "all done; attempts counted" <<'X'
record,status,attempts,did,error
1,done,1,tags +hooked; command sh queued [command done],
2,done,2,tags +seen; set probability=45,
3,done,1,tags +seen; set probability=35,
X

# giving up: retries 3 -> fails at 0, +10m, +30m, then gives up
: >"$T/fail"
export CRM_NOW=2026-12-03T10:00:00Z
expect_code 0 crm-pipeline add -q --name 'hook two' --owner lou
expect_code 1 crm-flow run --flows "$T/flows" -q
CRM_NOW=2026-12-03T10:10:00Z expect_code 1 crm-flow run --flows "$T/flows" -q
CRM_NOW=2026-12-03T10:29:59Z expect_code 0 crm-flow run --flows "$T/flows" -q
CRM_NOW=2026-12-03T10:30:00Z expect_code 1 crm-flow run --flows "$T/flows" -q
CRM_NOW=2026-12-04T10:30:00Z expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-flow log --record 4 -f csv --fields record,status,did,error,next_try
expect_out "gave up after 3 tries" <<'X'
record,status,did,error,next_try
4,gave_up,tags +hooked; command sh queued [command gave_up],'sh' exited with status 3,
X
sql "SELECT attempts FROM crm_flow_outbox WHERE firing_id = 4"
check "three attempts" grep -qx 3 "$T/sql"
rm "$T/fail"

# SIGKILL during a run: each deal has its tag and its task, or neither
cat >"$T/flows/bulk.json" <<'X'
{"name": "bulk", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ bulk"],
 "actions": [{"type": "tag", "add": "bulk"},
             {"type": "task", "subject": "call {{name}}"}]}
X
{ echo name,owner; for i in $(seq 1 3000); do echo "bulk $i,kim"; done; } >"$T/bulk.csv"
expect_code 0 crm-pipeline import -q "$T/bulk.csv"
export CRM_NOW=2026-12-05T10:00:00Z
for delay in 0.2 0.6; do
	crm-flow run -q --flows "$T/flows" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	sql "SELECT (SELECT count(*) FROM deals WHERE tags = 'bulk') || ' ' ||
		(SELECT count(*) FROM activities WHERE type = 'task' AND subject LIKE 'call bulk%') || ' ' ||
		(SELECT count(*) FROM crm_flow_firings WHERE flow = 'bulk')"
	check "killed after ${delay}s: all or nothing" grep -qxE '0 0 0|3000 3000 3000' "$T/sql"
done
expect_code 0 crm-flow run -q --flows "$T/flows"
sql "SELECT (SELECT count(*) FROM deals WHERE tags = 'bulk') || ' ' ||
	(SELECT count(DISTINCT deal_id) FROM activities WHERE type = 'task' AND subject LIKE 'call bulk%') || ' ' ||
	(SELECT count(*) FROM activities WHERE type = 'task' AND subject LIKE 'call bulk%')"
check "the next run completes: 3000 tags, one task per deal" grep -qx '3000 3000 3000' "$T/sql"
# while its command runs, the firing is committed as pending (the run
# writes a firing as done before its actions and sets pending after)
cat >"$T/peek.sh" <<'X'
crm-flow log --flow peek -f csv --fields record,status,did >"$1"
X
sed "s|@T@|$T|g" >"$T/flows/peek.json" <<'X'
{"name": "peek", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ peek"],
 "actions": [{"type": "command", "argv": ["sh", "@T@/peek.sh", "@T@/peek.csv"]}]}
X
expect_code 0 crm-pipeline add -q --name 'peek one' --owner kim
expect_code 0 crm-flow run -q --flow peek --flows "$T/flows"
check "the command saw its firing pending" grep -qx "[0-9]*,pending,command sh queued \\[command running\\]" "$T/peek.csv"
expect_code 0 crm-flow log --flow peek -f csv --fields status,did
expect_out "then done" <<'X'
status,did
done,command sh queued [command done]
X
done_testing
