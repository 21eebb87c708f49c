#!/bin/bash
# Bad approvers files and approval processes are configuration errors
# (78) naming the file, the field and the reason, found before anything
# is written; a missing approvers file is 66; a role no one has is 78.
. "$(dirname "$0")/../lib.sh"
printf 'name,owner\nA,ann\n' >"$T/d.csv"
expect_code 0 crm-pipeline import -q "$T/d.csv"
cat >"$T/p.json" <<'X'
{"name": "p", "steps": [{"approvers": ["manager:owner"]}]}
X
cat >"$T/cycle.json" <<'X'
{"users": {"ann": {"manager": "bob"}, "bob": {"manager": "ann"}}}
X
cat >"$T/unknown.json" <<'X'
{"users": {"ann": {"manager": "zed"}}}
X
cat >"$T/typo.json" <<'X'
{"users": {"ann": {"roles": ["rep"], "manger": "bob"}}}
X
db_dump "" "$T/before.sql"
expect_code 78 crm-flow request deal 1 --process "$T/p.json" --approvers "$T/cycle.json"
expect_err "a cycle of managers" <<X
crm-flow:$T/cycle.json: users.ann.manager: managers form a cycle
X
expect_code 78 crm-flow request deal 1 --process "$T/p.json" --approvers "$T/unknown.json"
expect_err "a manager who is no user" <<X
crm-flow:$T/unknown.json: users.ann.manager: unknown user 'zed'
X
expect_code 78 crm-flow request deal 1 --process "$T/p.json" --approvers "$T/typo.json"
err_has "users.ann.manger: unknown key"
expect_code 66 crm-flow request deal 1 --process "$T/p.json" --approvers "$T/none.json"
err_has "none.json"
printf '{"users": {"ann": {"manager": "bob"}, "bob": {}}}\n' >"$T/ok.json"
cat >"$T/role.json" <<'X'
{"name": "r", "steps": [{"approvers": ["role:director"]}]}
X
expect_code 78 crm-flow request deal 1 --process "$T/role.json" --approvers "$T/ok.json"
err_has "approval 'r': no user has role 'director' in the approvers file"

# bad processes, by hand and in a flow file
cat >"$T/bad.json" <<'X'
{"name": "b", "steps": [{"approvers": ["manager:owner"], "rule": "most"}]}
X
expect_code 78 crm-flow request deal 1 --process "$T/bad.json" --approvers "$T/ok.json"
expect_err "a bad rule" <<X
crm-flow:$T/bad.json: process.steps[0].rule: expected "one" or "all"
X
printf '{"name": "x"}\n' >"$T/neither.json"
expect_code 78 crm-flow request deal 1 --process "$T/neither.json" --approvers "$T/ok.json"
err_has "neither an approval process (steps) nor a flow with an approval action"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "nothing written"

mkdir "$T/flows"
cat >"$T/flows/f.json" <<'X'
{"name": "f", "entity": "deal", "trigger": {"type": "updated"},
 "actions": [{"type": "approval", "process": {"name": "f",
   "steps": [{"approvers": ["user:bob"], "escalate": ["user:ann"]}]}}]}
X
expect_code 78 crm-flow check --flows "$T/flows"
err_has "f.json: actions[0].process.steps[0].escalate: flow 'f': escalation needs a timeout"
cat >"$T/flows/f.json" <<'X'
{"name": "f", "entity": "deal", "trigger": {"type": "updated"},
 "actions": [{"type": "approval", "proces": {}}]}
X
expect_code 78 crm-flow check --flows "$T/flows"
err_has "actions[0].proces: flow 'f': unknown key"
# a flow file with an approval action is a process for request
cat >"$T/flows/f.json" <<'X'
{"name": "f", "entity": "deal", "trigger": {"type": "updated"},
 "actions": [{"type": "approval", "process": {"name": "f",
   "lock": ["amount"], "steps": [{"approvers": ["manager:owner"]}]}}]}
X
expect_code 0 crm-flow check -q --flows "$T/flows"
expect_code 0 crm-flow request deal 1 --process "$T/flows/f.json" --approvers "$T/ok.json" -f csv --fields id,process,waiting_for
expect_out "request takes a flow file" <<'X'
id,process,waiting_for
1,f,bob
X
done_testing
