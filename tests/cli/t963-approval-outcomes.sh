#!/bin/bash
# An approval's outcome triggers flows: approved, rejected, escalated and
# expired are events (approval.OUTCOME, approval.PROCESS.OUTCOME) on the
# record; each fires its flow once. A flow's approval action starts the
# process (once while one is pending), on any entity (a contact here).
. "$(dirname "$0")/../lib.sh"
cat >"$T/approvers.json" <<'X'
{"users": {"ann": {"manager": "mike"}, "mike": {"manager": "dora"},
 "dora": {"roles": ["director"]}}}
X
export CRM_APPROVERS="$T/approvers.json" CRM_FLOWS="$T/flows"
mkdir "$T/flows"
# tagging a contact "review" asks for an approval; each outcome tags the contact
cat >"$T/flows/review.json" <<'X'
{"name": "review", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "review"},
 "actions": [{"type": "approval", "process": {"name": "review",
   "lock": ["title"], "steps": [{"approvers": ["manager:owner"],
   "timeout": "2h", "escalate": ["role:director"], "escalate_timeout": "1h"}]}}]}
X
for o in approved rejected escalated expired; do
	cat >"$T/flows/on-$o.json" <<X
{"name": "on-$o", "entity": "contact",
 "trigger": {"type": "event", "event": "approval.review.$o"},
 "actions": [{"type": "tag", "add": "$o"}]}
X
done
# a generic one: any process's approval
cat >"$T/flows/any-approved.json" <<'X'
{"name": "any-approved", "entity": "contact",
 "trigger": {"type": "event", "event": "approval.approved"},
 "actions": [{"type": "task", "subject": "approved: {{last_name}}", "owner": "ann"}]}
X
expect_code 0 crm-flow check -q
cat >"$T/l.csv" <<'X'
first_name,last_name,email,owner
A,Approved,a@x.example,ann
R,Rejected,r@x.example,ann
E,Expired,e@x.example,ann
X
expect_code 0 crm-contact import -q "$T/l.csv"
expect_code 0 crm-flow run -q
expect_code 0 crm-contact tag add review 1 2 3 -q
expect_code 0 crm-flow run -f csv --fields flow,record,did
expect_out "the approval action starts one approval per contact" <<'X'
flow,record,did
review,1,approval 1 (review) requested
review,2,approval 2 (review) requested
review,3,approval 3 (review) requested
X
# tagged again while pending: the flow fires, the approval stays one
expect_code 0 crm-contact tag rm review 1 -q
expect_code 0 crm-contact tag add review 1 -q
expect_code 0 crm-flow run -f csv --fields flow,record,did
expect_out "a pending approval is left as it is" <<'X'
flow,record,did
review,1,approval 1 (review) already pending
X
expect_code 65 crm-contact update 1 --set title=Boss
err_has "contact 1: title is locked by pending approval 1"

expect_code 0 env CRM_NOW=2026-11-22T10:00:00Z crm-flow approve 1 --as mike -q --ids
expect_code 0 env CRM_NOW=2026-11-22T10:00:00Z crm-flow reject 2 --as mike --reason no -q --ids
expect_code 0 env CRM_NOW=2026-11-22T10:00:00Z crm-flow run -f csv --fields flow,record,why,did
expect_out "approved and rejected fire their flows" <<'X'
flow,record,why,did
any-approved,1,event approval.approved,task 1 'approved: Approved' for ann
on-approved,1,event approval.review.approved,tags +approved
on-rejected,2,event approval.review.rejected,tags +rejected
X
expect_code 0 env CRM_NOW=2026-11-22T11:30:00Z crm-flow run -f csv --fields flow,record,why,did
expect_out "at 2 hours contact 3's approval escalates" <<'X'
flow,record,why,did
on-escalated,3,event approval.review.escalated,tags +escalated
X
expect_code 0 env CRM_NOW=2026-11-22T12:00:00Z crm-flow run -q
expect_out "again: nothing" </dev/null
expect_code 0 env CRM_NOW=2026-11-22T12:30:00Z crm-flow run -f csv --fields flow,record,why,did
expect_out "at 3 hours it expires" <<'X'
flow,record,why,did
on-expired,3,event approval.review.expired,tags +expired
X
expect_code 0 crm-contact list -f csv --fields id,tags
expect_out "each outcome once" <<'X'
id,tags
1,"approved,review"
2,"rejected,review"
3,"escalated,expired,review"
X
# the events read again from the start (the cursor moved back by hand):
# the run's own read finds each one fired, so none fires twice
sql "UPDATE crm_flow_cursor SET pos = 0 WHERE name = 'events'"
expect_code 0 env CRM_NOW=2026-11-22T12:40:00Z crm-flow run -q
expect_out "the events read again: nothing twice" </dev/null
done_testing
