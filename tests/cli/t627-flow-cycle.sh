#!/bin/bash
# The shipped flow purchase-cycle over simulated days: Acme buys exactly
# every 90 days (2026-01-05, 04-05, 07-04, 10-02), so its next purchase
# is expected on 2026-12-31, and with the 60-day lead time the morning
# run (07:00 UTC) first finds it due on 2026-11-01: one task for its
# owner, due two days after the run; not again within 60 days, and again
# once the next cycle comes round. Beta bought twice (no cycle); Gamma
# every 180 days (next 2027-03-22: due from 2027-01-21).
. "$(dirname "$0")/../lib.sh"
F=(--flows "$TOP/share/crm/flows")

printf 'name,owner\nAcme,kim\nBeta,lou\nGamma,kim\n' >"$T/co.csv"
CRM_NOW=2025-01-01T00:00:00Z expect_code 0 crm-company import -q "$T/co.csv"
{
	echo "name,company,stage,amount,currency,closed_at"
	for d in 2026-01-05 2026-04-05 2026-07-04 2026-10-02; do
		echo "a$d,Acme,closed_won,100,EUR,${d}T10:00:00Z"
	done
	echo "b1,Beta,closed_won,100,EUR,2026-03-01T10:00:00Z"
	echo "b2,Beta,closed_won,100,EUR,2026-09-20T10:00:00Z"
	for d in 2025-04-01 2025-09-28 2026-03-27 2026-09-23; do
		echo "g$d,Gamma,closed_won,100,EUR,${d}T10:00:00Z"
	done
} >"$T/won.csv"
CRM_NOW=2026-10-03T00:00:00Z expect_code 0 crm-pipeline import -q "$T/won.csv"

# 31 October: Acme 61 days ahead: crm-score cycle does not list it yet,
# and the morning run makes no task
CRM_NOW=2026-10-31T07:30:00Z expect_code 0 crm-score cycle -f csv --fields name,expected_next,days_until
expect_out "31 October: nobody due within 60 days" <<'X'
name,expected_next,days_until
X
CRM_NOW=2026-10-31T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
expect_out "31 October: no task" </dev/null
# 1 November, 07:30: 60 days to go: Acme's task, due 3 November 07:30
CRM_NOW=2026-11-01T07:30:00Z expect_code 0 crm-score cycle -f csv --fields name,expected_next,days_until,method
expect_out "1 November: Acme due on 31 December" <<'X'
name,expected_next,days_until,method
Acme,2026-12-31,60,interval
X
CRM_NOW=2026-11-01T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
expect_out "1 November: a task for Acme" <<'X'
flow,record,did
purchase-cycle,1,task 1 'Acme is due to buy again: start the conversation' for kim
X
# the next mornings: the task is there, no second one
CRM_NOW=2026-11-02T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "2 November: nothing new" </dev/null
CRM_NOW=2026-12-20T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "20 December: nothing new" </dev/null
expect_code 0 crm-activity list -f csv --where type=task --fields id,company_id,owner,occurred_at,due_at
expect_out "the task, dated at the run, due two days on" <<'X'
id,company_id,owner,occurred_at,due_at
1,1,kim,2026-11-01T07:30:00Z,2026-11-03T07:30:00Z
X
# Acme buys on 31 December as expected: next 2027-03-31, due from
# 2027-01-30: a new task that morning (the last one is 90 days old);
# Gamma's next (2026-09-23 + 180 = 2027-03-22) is due from 2027-01-21:
# its task comes with the first run after, on 29 January (52 days)
CRM_NOW=2026-12-31T12:00:00Z expect_code 0 crm-pipeline add -q --name a2026-12-31 --set company=Acme --amount 100 --currency EUR
CRM_NOW=2026-12-31T12:00:00Z expect_code 0 crm-pipeline won -q a2026-12-31
CRM_NOW=2027-01-29T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "29 January: Gamma's task; Acme 61 days to go" <<'X'
flow,record
purchase-cycle,3
X
CRM_NOW=2027-01-30T07:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
expect_out "30 January: the next cycle's task" <<'X'
flow,record,did
purchase-cycle,1,task 3 'Acme is due to buy again: start the conversation' for kim
X

# the condition is for companies and contacts only
mkdir -p "$T/flows"
printf '{"name": "x", "entity": "deal", "trigger": {"type": "created"}, "conditions": [{"cycle": {"within": "30d"}}], "actions": [{"type": "tag", "add": "x"}]}\n' >"$T/flows/x.json"
expect_code 78 crm-flow run --flows "$T/flows"
err_has "cycle: for companies and contacts, not deal"
printf '{"name": "x", "entity": "company", "trigger": {"type": "created"}, "conditions": [{"cycle": {"within": "soon"}}], "actions": [{"type": "tag", "add": "x"}]}\n' >"$T/flows/x.json"
expect_code 78 crm-flow run --flows "$T/flows"
err_has "cycle.within: bad duration 'soon'"
done_testing
