#!/bin/bash
# crm-flow: changes made by flows trigger other flows in the same run, up
# to depth 5; a loop (two flows undoing each other's tag) is stopped at
# depth 6, logged and reported (exit 1), never spun; the next run does
# not take it up again.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/flows/ping.json" <<'X'
{"name": "ping", "entity": "deal",
 "trigger": {"type": "tag_added", "tag": "ping"},
 "actions": [{"type": "tag", "add": "pong", "remove": "ping"}]}
X
cat >"$T/flows/pong.json" <<'X'
{"name": "pong", "entity": "deal",
 "trigger": {"type": "tag_added", "tag": "pong"},
 "actions": [{"type": "tag", "add": "ping", "remove": "pong"}]}
X
# a chain that ends: stage negotiation -> probability note -> tag
cat >"$T/flows/chain.json" <<'X'
{"name": "chain", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "hot"}]}
X
cat >"$T/flows/chain2.json" <<'X'
{"name": "chain2", "entity": "deal",
 "trigger": {"type": "tag_added", "tag": "hot"},
 "actions": [{"type": "set", "fields": {"source": "flow {{flow}}"}}]}
X
expect_code 0 crm-pipeline add -q --name Loop --owner kim
expect_code 0 crm-pipeline add -q --name Chain --owner kim
expect_code 0 crm-flow run --flows "$T/flows"
expect_out "nothing before any change" </dev/null

expect_code 0 crm-pipeline tag add ping 1
expect_code 0 crm-pipeline move -q negotiation 2
expect_code 1 crm-flow run --flows "$T/flows" -f csv --fields flow,record,status,depth,error
expect_out "the chain runs to its end; the loop stops at depth 6" <<'X'
flow,record,status,depth,error
ping,1,done,0,
chain,2,done,0,
pong,1,done,1,
chain2,2,done,1,
ping,1,done,2,
pong,1,done,3,
ping,1,done,4,
pong,1,done,5,
ping,1,loop,6,loop stopped: depth 6 is past 5 (flows triggering each other)
X
err_has "8 fired, 0 failed, 0 sent, 1 loop stopped"
expect_code 0 crm-pipeline list -f csv --fields id,tags,source
expect_out "the last applied firing (pong, depth 5) left ping; the chain's set" <<'X'
id,tags,source
1,ping,
2,hot,flow chain2
X
expect_code 0 crm-flow run --flows "$T/flows"
expect_out "the next run does not spin it again" </dev/null
sql "SELECT count(*) FROM crm_flow_firings"
check "nine firings in all" grep -qx 9 "$T/sql"
# flows' writes are in the change log: undo reverts the chain's set
sql "SELECT change_id FROM crm_flow_firings WHERE flow = 'chain2'"
expect_code 0 crm-pipeline undo "$(cat "$T/sql")"
expect_code 0 crm-pipeline list -f csv --fields id,source --where id=2
expect_out "undo reverts a flow's change" <<'X'
id,source
2,
X
done_testing
