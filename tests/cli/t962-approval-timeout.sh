#!/bin/bash
# Timeouts: crm-flow run at CRM_NOW escalates a step whose timeout passed
# (once, however often it runs), the escalation approvers decide it, those
# who had not decided may no longer; a second timeout, or one with no one
# to escalate to, expires the approval. CRM_NOW steps through the days.
. "$(dirname "$0")/../lib.sh"
cat >"$T/approvers.json" <<'X'
{"users": {"ann": {"manager": "mike"}, "mike": {"manager": "dora"},
 "dora": {"roles": ["director"]}, "eve": {"roles": ["director"]}}}
X
export CRM_APPROVERS="$T/approvers.json" CRM_FLOWS="$T/flows"
mkdir "$T/flows"
cat >"$T/esc.json" <<'X'
{"name": "esc", "lock": ["amount"], "steps": [
 {"approvers": ["manager:owner"], "timeout": "24h",
  "escalate": ["role:director"], "escalate_timeout": "12h"}]}
X
cat >"$T/short.json" <<'X'
{"name": "short", "steps": [{"approvers": ["user:mike"], "timeout": "1h"}]}
X
printf 'name,owner,amount,currency\nA,ann,100,EUR\nB,ann,200,EUR\nC,ann,300,EUR\n' >"$T/d.csv"
expect_code 0 crm-pipeline import -q "$T/d.csv"
# requested at 2026-11-22T09:30:00Z
expect_code 0 crm-flow request deal 1 --process "$T/esc.json" -q --ids
expect_code 0 crm-flow request deal 2 --process "$T/esc.json" -q --ids
expect_code 0 crm-flow request deal 3 --process "$T/short.json" -q --ids
expect_code 0 crm-flow approvals -f csv --fields id,waiting_for,due_at
expect_out "due 24 hours and 1 hour after the request" <<'X'
id,waiting_for,due_at
1,mike,2026-11-23T09:30:00Z
2,mike,2026-11-23T09:30:00Z
3,mike,2026-11-22T10:30:00Z
X

expect_code 0 env CRM_NOW=2026-11-22T10:29:59Z crm-flow run -q
expect_code 0 crm-flow approvals --pending --ids
expect_out "a second early: nothing" <<'X'
1
2
3
X
expect_code 0 env CRM_NOW=2026-11-22T10:30:00Z crm-flow run -q
expect_code 0 crm-flow approvals -f csv --fields id,status,decided_at
expect_out "no one to escalate to: expired at its timeout" <<'X'
id,status,decided_at
1,pending,
2,pending,
3,expired,2026-11-22T10:30:00Z
X
expect_code 65 crm-flow approve 3 --as mike
err_has "approval 3 is expired already"

# deal 2's manager approves in time
expect_code 0 env CRM_NOW=2026-11-23T09:00:00Z crm-flow approve 2 --as mike -q --ids
expect_code 0 env CRM_NOW=2026-11-23T09:29:59Z crm-flow run -q
expect_code 0 env CRM_NOW=2026-11-23T09:30:00Z crm-flow run -q
expect_code 0 crm-flow approvals -f csv --fields id,status,waiting_for,due_at
expect_out "at 24 hours deal 1's step passes to the directors, for 12 hours" <<'X'
id,status,waiting_for,due_at
1,pending,"dora,eve",2026-11-23T21:30:00Z
2,approved,,
3,expired,,
X
expect_code 0 env CRM_NOW=2026-11-23T09:30:00Z crm-flow run -q
expect_code 0 env CRM_NOW=2026-11-23T10:00:00Z crm-flow run -q
sql "SELECT count(*) FROM crm_approval_events WHERE event = 'escalated'"
check "escalated once, however often run runs" grep -qx 1 "$T/sql"
expect_code 65 env CRM_NOW=2026-11-23T10:00:00Z crm-flow approve 1 --as mike
err_has "mike is not an approver of step 1 of approval 1 since it was escalated (waiting for dora, eve)"
expect_code 65 env CRM_NOW=2026-11-23T10:00:00Z crm-pipeline update 1 --set amount=1
err_has "deal 1: amount is locked by pending approval 1"

# the escalation times out too: expired
expect_code 0 env CRM_NOW=2026-11-23T21:30:00Z crm-flow run -q
expect_code 0 crm-flow show 1 -f csv
expect_out "the history of an escalation that expired" <<'X'
approval_id,at,step,event,actor,comment
1,2026-11-22T09:30:00Z,,requested,tester,
1,2026-11-22T09:30:00Z,1,step,,mike
1,2026-11-23T09:30:00Z,1,escalated,,"dora, eve"
1,2026-11-23T21:30:00Z,1,expired,,
X
expect_code 0 env CRM_NOW=2026-11-24T21:30:00Z crm-flow run -q
sql "SELECT c.at || ' ' || c.command FROM crm_changes c WHERE c.entity = 'approval' AND c.command IN ('escalate', 'expire') ORDER BY c.id"
cat >"$T/want" <<'X'
2026-11-22T10:30:00Z expire
2026-11-23T09:30:00Z escalate
2026-11-23T21:30:00Z expire
X
compare "$T/want" "$T/sql" "each timeout once in the change log, at its time"
expect_code 0 env CRM_NOW=2026-11-24T21:30:00Z crm-pipeline update 1 -q --set amount=1
# an approver of the step who is among the escalation approvers stays one
# (waiting again, via the escalation), entered once: run exits 0
cat >"$T/self.json" <<'X'
{"name": "self", "steps": [{"approvers": ["user:mike"], "timeout": "1h",
  "escalate": ["user:mike", "role:director"]}]}
X
printf 'name,owner,amount,currency\nD,ann,400,EUR\n' >"$T/d4.csv"
expect_code 0 crm-pipeline import -q "$T/d4.csv"
expect_code 0 env CRM_NOW=2026-11-25T09:00:00Z crm-flow request deal 4 --process "$T/self.json" -q --ids
expect_code 0 env CRM_NOW=2026-11-25T10:00:00Z crm-flow run -q
expect_code 0 crm-flow approvals --pending -f csv --fields id,status,waiting_for,due_at
expect_out "escalated to mike and the directors, mike once" <<'X'
id,status,waiting_for,due_at
4,pending,"dora,eve,mike",2026-11-25T11:00:00Z
X
sql "SELECT approver || ' ' || via || ' ' || state FROM crm_approval_approvers WHERE approval_id = 4 ORDER BY approver"
cat >"$T/want" <<'X'
dora escalation waiting
eve escalation waiting
mike escalation waiting
X
compare "$T/want" "$T/sql" "each approver of the escalated step once"
expect_code 0 env CRM_NOW=2026-11-25T10:30:00Z crm-flow approve 4 --as mike -q
expect_code 0 crm-flow approvals -f csv --fields id,status
expect_out "mike decides the escalated step" <<'X'
id,status
1,expired
2,approved
3,expired
4,approved
X
done_testing
