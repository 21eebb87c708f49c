#!/bin/bash
# The shipped discount approval, end to end: share/crm/flows'
# discount-approval (over 15% the owner's manager, over 30% a director
# too; the discount and amount locked meanwhile; 24 hours then the
# directors) and discount-approved (send the quote: a task for the owner
# and a tag), with share/crm/approvers.json, through simulated days.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cp "$TOP/share/crm/flows/discount-approval.json" "$TOP/share/crm/flows/discount-approved.json" "$T/flows/"
A=(--approvers "$TOP/share/crm/approvers.json")
export CRM_FLOWS="$T/flows"
# ana and ben report to maria, dev to tom; directors dora and vic
cat >"$T/d.csv" <<'X'
name,owner,amount,currency
Twenty,ana,1000,EUR
Thirtyfive,ben,2000,EUR
Ten,ana,500,EUR
Forty,dev,4000,EUR
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-flow run -q "${A[@]}"

# day 1, 09:30: discounts negotiated
expect_code 0 crm-pipeline update 1 -q --set discount=20
expect_code 0 crm-pipeline update 2 -q --set discount=35
expect_code 0 crm-pipeline update 3 -q --set discount=10
expect_code 0 crm-pipeline update 4 -q --set discount=40
expect_code 0 crm-flow run "${A[@]}" -f csv --fields flow,record,did
expect_out "four approvals; 10% needs none, so its quote goes at once" <<'X'
flow,record,did
discount-approval,1,approval 1 (discount) requested
discount-approval,2,approval 2 (discount) requested
discount-approval,3,approval 3 (discount) requested
discount-approval,4,approval 4 (discount) requested
discount-approved,3,tags +discount-approved; task 1 'Send the quote for Ten: its discount is approved' for ana
X
expect_code 0 crm-flow approvals -f csv --fields id,record_id,status,step_name,waiting_for,due_at
expect_out "the owners' managers, for 24 hours" <<'X'
id,record_id,status,step_name,waiting_for,due_at
1,1,pending,sales manager,maria,2026-11-23T09:30:00Z
2,2,pending,sales manager,maria,2026-11-23T09:30:00Z
3,3,approved,director,,
4,4,pending,sales manager,tom,2026-11-23T09:30:00Z
X

# the discount and amount are locked while pending
db_dump "" "$T/before.sql"
expect_code 65 crm-pipeline update 1 --set discount=25
err_has "deal 1: discount is locked by pending approval 1"
expect_code 65 crm-pipeline update 2 --set amount=1
err_has "deal 2: amount is locked by pending approval 2"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "nothing written"

# 11:00: maria approves 20% (done) and 35% (now a director's)
export CRM_NOW=2026-11-22T11:00:00Z
expect_code 65 crm-flow approve 1 --as ben "${A[@]}"
err_has "ben is not an approver of step 1 (sales manager) of approval 1 (waiting for maria)"
expect_code 0 crm-flow approve 1 --as maria "${A[@]}" -q --ids
expect_code 0 crm-flow approve 2 --as maria "${A[@]}" -f csv --fields id,status,step_name,waiting_for,due_at
expect_out "35%: a director next, for 48 hours" <<'X'
id,status,step_name,waiting_for,due_at
2,pending,director,"dora,vic",2026-11-24T11:00:00Z
X
expect_code 0 crm-flow run "${A[@]}" -f csv --fields flow,record,did
expect_out "approved: send the quote" <<'X'
flow,record,did
discount-approved,1,tags +discount-approved; task 2 'Send the quote for Twenty: its discount is approved' for ana
X
expect_code 0 crm-flow reject 2 --as dora --reason "35% is too much" "${A[@]}" -q --ids
expect_code 0 crm-flow run "${A[@]}" -q
expect_out "rejected: no quote" </dev/null

# day 2, 09:30: tom never answered deal 4: the directors decide
export CRM_NOW=2026-11-23T09:30:00Z
expect_code 0 crm-flow run "${A[@]}" -q
expect_code 0 crm-flow approvals --for vic -f csv --fields id,step_name,waiting_for
expect_out "escalated to the directors" <<'X'
id,step_name,waiting_for
4,sales manager,"dora,vic"
X
expect_code 65 crm-flow approve 4 --as tom "${A[@]}"
err_has "tom is not an approver of step 1 (sales manager) of approval 4 since it was escalated"
expect_code 0 crm-flow approve 4 --as vic "${A[@]}" -q --ids
expect_code 0 crm-flow approve 4 --as vic "${A[@]}" -f csv --fields id,status
expect_out "over 30%: the director step too" <<'X'
id,status
4,approved
X
expect_code 0 crm-flow run "${A[@]}" -f csv --fields flow,record,did
expect_out "approved after escalation: its quote" <<'X'
flow,record,did
discount-approved,4,tags +discount-approved; task 3 'Send the quote for Forty: its discount is approved' for dev
X

# a new discount after the approval: a new approval
expect_code 0 crm-pipeline update 1 -q --set discount=18
expect_code 0 crm-flow run "${A[@]}" -q
expect_code 0 crm-flow approvals --pending -f csv --fields id,record_id,waiting_for
expect_out "deal 1 waits again" <<'X'
id,record_id,waiting_for
5,1,maria
X
expect_code 0 crm-activity list -f csv --fields id,subject,owner,deal_id,due_at
expect_out "one quote task per approved discount, due a day after" <<'X'
id,subject,owner,deal_id,due_at
1,Send the quote for Ten: its discount is approved,ana,3,2026-11-23T09:30:00Z
2,Send the quote for Twenty: its discount is approved,ana,1,2026-11-23T11:00:00Z
3,Send the quote for Forty: its discount is approved,dev,4,2026-11-24T09:30:00Z
X
done_testing
