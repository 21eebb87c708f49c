#!/bin/bash
# The shipped flows (share/crm/flows), each against hand-computed times:
# the welcome sequence on registration, priority assignment of high-value
# deals, the SLA warning one business hour before a breach, stale deals.
. "$(dirname "$0")/../lib.sh"
S=$T/flows
cp -R "$TOP/share/crm/flows" "$S"
# stale-deal ships disabled (crm-pipeline stale makes those tasks)
sed -i 's/"enabled": false/"enabled": true/' "$S/stale-deal.json"
expect_code 0 crm-flow check --flows "$S"
err_has "11 flows ok in $S"

# welcome: registrations only; tasks due 1, 3 and 14 days on
expect_code 0 crm-contact add -q --first-name Ann --last-name Lee --email ann@example.com --set source=registration --set owner=kim
expect_code 0 crm-contact add -q --first-name Bo --email bo@example.com --set source=ads
CRM_NOW=2026-11-22T10:00:00Z expect_code 0 crm-flow run --flows "$S" --flow welcome -q
expect_code 0 crm-activity list -f csv --where type=task --fields subject,owner,due_at,contact_id
expect_out "the welcome sequence for Ann only" <<'X'
subject,owner,due_at,contact_id
Welcome call: Ann Lee,kim,2026-11-23T10:00:00Z,1
Send the getting-started guide to ann@example.com,kim,2026-11-25T10:00:00Z,1
Two-week check-in with Ann Lee,kim,2026-12-06T10:00:00Z,1
X
CRM_NOW=2026-11-22T11:00:00Z expect_code 0 crm-flow run --flows "$S" --flow welcome -q
expect_code 0 crm-activity list -f csv --where type=task --ids
expect_out "once" <<'X'
1
2
3
X

# priority assignment: 50,000 or more and no owner -> the enterprise team
# (least busy: maria already owns a deal, so tom)
expect_code 0 crm-pipeline add -q --name Old --owner maria --amount 10 --currency EUR
expect_code 0 crm-pipeline add -q --name Big --amount 60000 --currency EUR
expect_code 0 crm-pipeline add -q --name Small --amount 49999.99 --currency EUR
expect_code 0 crm-pipeline add -q --name Owned --amount 90000 --currency EUR --owner lou
expect_code 0 crm-flow run --flows "$S" --flow priority-assignment -f csv --fields record,did
expect_out "only the big unowned deal" <<'X'
record,did
2,owner=tom (team); tags +priority
X
expect_code 0 crm-pipeline list -f csv --fields id,owner,tags
expect_out "tom owns it" <<'X'
id,owner,tags
1,maria,
2,tom,priority
3,,
4,lou,
X

# SLA warning: opened Monday 10:00; resolution due 5 calendar days on,
# Saturday 10:00 (Lisbon = UTC in winter); one business hour (09-18
# Mon-Fri) before that is Friday 17:00
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-ticket open -q --subject Printer --assignee agent1
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-ticket open -q --subject Solved --assignee agent2
CRM_NOW=2026-11-23T11:00:00Z expect_code 0 crm-ticket solve -q 2
expect_code 0 crm-ticket list -f csv --fields id,resolution_due,status
expect_out "the due times the warning counts back from" <<'X'
id,resolution_due,status
1,2026-11-28T10:00:00Z,open
2,2026-11-28T10:00:00Z,solved
X
CRM_NOW=2026-11-27T16:59:59Z expect_code 0 crm-flow run --flows "$S" --flow sla-warning
expect_out "a second before: nothing" </dev/null
CRM_NOW=2026-11-27T17:00:00Z expect_code 0 crm-flow run --flows "$S" --flow sla-warning -f csv --fields record,why,did
expect_out "Friday 17:00, for the open ticket" <<'X'
record,why,did
1,1h of support business time before resolution_due (resolution_due 2026-11-28T10:00:00Z): due 2026-11-27T17:00:00Z,tags +sla-warning; task 4 'SLA: ticket 1 'Printer' is due at 2026-11-28T10:00:00Z' for agent1
X

# stale deal: 14 days in a stage with no activity for 14 days
cat >"$T/d.csv" <<'X'
name,stage,owner,created_at
Quiet,prospecting,kim,2026-11-01T09:00:00Z
Busy,prospecting,kim,2026-11-01T09:00:00Z
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-activity log -q --type call --deal 6 --at 2026-11-10T09:00:00Z
CRM_NOW=2026-11-15T08:59:59Z expect_code 0 crm-flow run --flows "$S" --flow stale-deal
expect_out "13 days 23:59:59: not yet" </dev/null
CRM_NOW=2026-11-15T09:00:00Z expect_code 0 crm-flow run --flows "$S" --flow stale-deal -f csv --fields record,did
expect_out "the quiet deal gets a task, the busy one not" <<'X'
record,did
5,task 6 'Stale deal: Quiet' for kim
X

# crm-pipeline stale --create-tasks makes its tasks through the flow
# engine: a firing of crm-pipeline-stale per deal and quiet spell
CRM_NOW=2026-11-15T09:00:00Z expect_code 1 crm-pipeline stale --create-tasks --idle 10d --ids
expect_out "deal 5 is quiet since 2026-11-01 (its flow task is no activity)" <<<'5'
CRM_NOW=2026-11-15T10:00:00Z expect_code 1 crm-pipeline stale --create-tasks --idle 10d -q --ids
expect_code 0 crm-flow log --flow crm-pipeline-stale -f csv --fields flow,record,occurrence,status,did
expect_out "its firing, once" <<'X'
flow,record,occurrence,status,did
crm-pipeline-stale,5,2026-11-01T09:00:00Z,done,task 7 'Follow up: Quiet' for kim
X
done_testing
