#!/bin/bash
# crm-flow's approval verbs: request, approve, reject, approvals, show;
# one-of and all-of steps, several steps, steps whose condition does not
# hold, decisions by non-approvers and second decisions refused, unknown
# ids (66) and bad ids (64), and every decision in the change log.
. "$(dirname "$0")/../lib.sh"
cat >"$T/approvers.json" <<'X'
{"users": {"ann": {"roles": ["rep"], "manager": "mike"},
 "bob": {"roles": ["rep"], "manager": "mike"},
 "mike": {"roles": ["sales_manager"], "manager": "dora"},
 "sue": {"roles": ["sales_manager"], "manager": "dora"},
 "dora": {"roles": ["director"]}, "eve": {"roles": ["director"]}}}
X
export CRM_APPROVERS="$T/approvers.json"
# step 1: the owner's manager, if over 15; step 2: all directors, if over 30
cat >"$T/p.json" <<'X'
{"name": "discount", "lock": ["discount", "amount"], "steps": [
 {"name": "manager", "when": "discount > 15", "approvers": ["manager:owner"]},
 {"name": "director", "when": "discount > 30", "approvers": ["role:director"],
  "rule": "all"}]}
X
# one of the sales managers, or a named user
cat >"$T/any.json" <<'X'
{"name": "any", "steps": [{"approvers": ["role:sales_manager", "user:zoe"]}]}
X
cat >"$T/d.csv" <<'X'
name,owner,amount,currency,discount
Twenty,ann,1000,EUR,20
Thirtyfive,bob,2000,EUR,35
Five,ann,500,EUR,5
Nine,ann,900,EUR,9
X
expect_code 0 crm-pipeline import -q "$T/d.csv"

expect_code 0 crm-flow request deal 1 --process "$T/p.json" -f csv
expect_out "request: pending at step 1, for the owner's manager" <<'X'
id,process,entity,record_id,status,step,step_name,waiting_for,due_at,flow,requested_by,created_at,decided_at
1,discount,deal,1,pending,1,manager,mike,,,tester,2026-11-22T09:30:00Z,
X
expect_code 65 crm-flow request deal Twenty --process "$T/p.json"
err_has "deal 1 already waits for approval 1 (discount)"
expect_code 66 crm-flow request deal 99 --process "$T/p.json"
err_has "no deal '99'"

# a non-approver, then the manager, then a second decision
db_dump "" "$T/before.sql"
expect_code 65 env CRM_USER=dora crm-flow approve 1
err_has "crm-flow: dora is not an approver of step 1 (manager) of approval 1 (waiting for mike)"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "a refused decision writes nothing"
expect_code 0 crm-flow approve 1 --as mike --comment "fine" -f csv
expect_out "approved: step 2 does not apply to 20%" <<'X'
id,process,entity,record_id,status,step,step_name,waiting_for,due_at,flow,requested_by,created_at,decided_at
1,discount,deal,1,approved,2,director,,,,tester,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z
X
err_has "crm-flow: approval 1 approved"
expect_code 65 crm-flow approve 1 --as mike
err_has "crm-flow: approval 1 is approved already"
expect_code 65 crm-flow reject 1 --as mike --reason late
err_has "approval 1 is approved already"
expect_code 0 crm-flow show 1 -f csv
expect_out "show: the history" <<'X'
approval_id,at,step,event,actor,comment
1,2026-11-22T09:30:00Z,,requested,tester,
1,2026-11-22T09:30:00Z,1,step,,mike
1,2026-11-22T09:30:00Z,1,approve,mike,fine
1,2026-11-22T09:30:00Z,2,skipped,,its condition does not hold
1,2026-11-22T09:30:00Z,,approved,,
X

# two steps, the second all of two directors; one rejection ends it
expect_code 0 crm-flow request deal 2 --process "$T/p.json" --ids
expect_out "approval 2" <<'X'
2
X
expect_code 0 crm-flow approve 2 --as mike -q --ids
expect_code 0 crm-flow approvals --for dora -f csv --fields id,step,waiting_for
expect_out "step 2 waits for both directors" <<'X'
id,step,waiting_for
2,2,"dora,eve"
X
expect_code 0 crm-flow approve 2 --as dora -q --ids
expect_code 65 crm-flow approve 2 --as dora
err_has "dora approved step 2 (director) of approval 2 already"
expect_code 0 crm-flow approvals --pending --for eve --ids
expect_out "all of them: still waiting for eve" <<'X'
2
X
expect_code 64 crm-flow reject 2 --as eve
err_has "reject needs --reason TEXT"
expect_code 0 crm-flow reject 2 --as eve --reason "too deep" -q --ids
expect_code 0 crm-flow approvals -f csv --fields id,status,decided_at
expect_out "rejected" <<'X'
id,status,decided_at
1,approved,2026-11-22T09:30:00Z
2,rejected,2026-11-22T09:30:00Z
X
expect_code 0 crm-flow show 2 -f csv --fields event,actor,comment
expect_out "the history of a rejection" <<'X'
event,actor,comment
requested,tester,
step,,mike
approve,mike,
step,,"dora, eve"
approve,dora,
reject,eve,too deep
rejected,,
X

# no step applies: approved at once
expect_code 0 crm-flow request deal 3 --process "$T/p.json" -f csv --fields id,status
expect_out "5%: approved at once" <<'X'
id,status
3,approved
X

# one of several: the first approval decides
expect_code 0 crm-flow request deal 4 --process "$T/any.json" -f csv --fields id,waiting_for
expect_out "one of the managers or zoe" <<'X'
id,waiting_for
4,"mike,sue,zoe"
X
expect_code 0 crm-flow approve 4 --as zoe -q --ids
expect_code 0 crm-flow approvals --pending --ids
expect_out "nothing pending" <<'X'
X
expect_code 65 crm-flow approve 4 --as sue
err_has "approval 4 is approved already"

# unknown and bad ids
expect_code 66 crm-flow approve 99 --as mike
err_has "crm-flow: no approval 99"
expect_code 66 crm-flow reject 99 --as mike --reason x
expect_code 66 crm-flow show 99
err_has "no approval 99"
expect_code 64 crm-flow approve one --as mike
err_has "'one' is no approval id"
expect_code 64 crm-flow approve --as mike
expect_code 64 crm-flow request deal 1
err_has "request needs --process FILE"

# every decision is a change set of its own, with its outcome
sql "SELECT c.command || ' ' || a.record_id || ' ' || coalesce(json_extract(a.after, '$.outcome'), '-') FROM crm_changes c JOIN crm_audit a ON a.change_id = c.id WHERE a.entity = 'approval' ORDER BY c.id"
cat >"$T/want" <<'X'
approval 1 -
approve 1 approved
approval 2 -
approve 2 -
approve 2 -
reject 2 rejected
approval 3 -
approve 3 approved
approval 4 -
approve 4 approved
X
compare "$T/want" "$T/sql" "the change log has every decision and outcome"
expect_code 65 crm-pipeline undo 2
err_has "cannot undo an approval's decision"
done_testing
