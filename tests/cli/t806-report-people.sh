#!/bin/bash
# crm-report leaderboard (per owner, money in one currency), unattended
# (overdue tasks, idle leads, stale deals, --idle) and cohort (customers by
# month of first won deal), over data written by the real verbs at pinned
# times. Expected values worked out by hand.
. "$(dirname "$0")/../lib.sh"

cat >"$T/sla.json" <<'X'
{"policies": [{"name": "all", "targets": {"first_reply": "1h", "resolution": "8h"}}]}
X
at() { CRM_NOW=$1; export CRM_NOW; }
deal() { expect_code 0 crm-pipeline add -q --ids "$@"; }

# leads 1 and 2 of kim's, created with their owner
at 2026-11-01T00:00:00Z; expect_code 0 crm-lead add -q --first-name L1 --owner kim
at 2026-11-20T00:00:00Z; expect_code 0 crm-lead add -q --first-name L2 --owner kim
at 2026-11-01T00:00:00Z
cat >"$T/a.ndjson" <<'X'
{"external_id":"a1","type":"call","owner":"kim","lead_id":1,"occurred_at":"2026-11-10T10:00:00Z"}
{"external_id":"a2","type":"email","owner":"kim","lead_id":2,"occurred_at":"2026-11-21T10:00:00Z"}
{"external_id":"a3","type":"task","owner":"kim","occurred_at":"2026-11-05T10:00:00Z","due_at":"2026-11-20T00:00:00Z"}
{"external_id":"a4","type":"email","owner":"lou","occurred_at":"2026-11-06T10:00:00Z"}
X
expect_code 0 crm-activity import -q "$T/a.ndjson"
# deals: kim wins 1000 EUR and 200 USD and loses one; lou wins 500 EUR;
# kim's D5 stays open, untouched since 11-01
at 2026-11-01T00:00:00Z
deal --name D1 --amount 1000 --currency EUR --owner kim
deal --name D2 --amount 200 --currency USD --owner kim
deal --name D3 --amount 50 --currency EUR --owner kim
deal --name D4 --amount 500 --currency EUR --owner lou
deal --name D5 --amount 70 --currency EUR --owner kim
at 2026-11-12T00:00:00Z
expect_code 0 crm-pipeline won -q 1 2 4
expect_code 0 crm-pipeline lost -q 3 --reason price
# kim solves two tickets: one in 4h (met), one in 24h (breached)
at 2026-11-20T00:00:00Z
expect_code 0 crm-ticket open -q --policies "$T/sla.json" --subject T1 --assignee kim
expect_code 0 crm-ticket open -q --policies "$T/sla.json" --subject T2 --assignee kim
at 2026-11-20T04:00:00Z; expect_code 0 crm-ticket solve -q --policies "$T/sla.json" 1
at 2026-11-21T00:00:00Z; expect_code 0 crm-ticket solve -q --policies "$T/sla.json" 2
at 2026-11-22T09:30:00Z

# kim: 3 activities on 2 leads, won 2 of 3, 1000 EUR (the USD deal is not
# added in), 2 tickets solved, 1 in time; lou: 1 activity, won 1 of 1
expect_code 0 crm-report leaderboard -f csv
expect_out "leaderboard in EUR, the currency of most won deals" <<'X'
owner,activities,leads_worked,deals_won,amount_won,currency,win_rate,tickets_solved,sla_compliance
kim,3,2,2,1000.00,EUR,66.7,2,50.0
lou,1,0,1,500.00,EUR,100.0,0,
X
expect_code 0 crm-report leaderboard -f csv --currency USD --fields owner,deals_won,amount_won,currency
expect_out "leaderboard --currency USD" <<'X'
owner,deals_won,amount_won,currency
kim,2,200.00,USD
lou,1,0.00,USD
X
expect_code 0 crm-report leaderboard -f csv --from 2026-11-15 --fields owner,activities,deals_won,tickets_solved
expect_out "leaderboard from 11-15: only what happened since" <<'X'
owner,activities,deals_won,tickets_solved
kim,1,0,2
X
expect_code 64 crm-report leaderboard -w owner=kim
err_has "crm-report: --where: this report has no fields to filter on"

# kim: task a3 due 11-20 (2.4 days late); lead 1 last touched 11-10
# 10:00, due 7 days later (5.0 days late); D5 due 11-08 (14.4 days late);
# lead 2 was touched 11-21, not due yet
expect_code 1 crm-report unattended -f csv
expect_out "unattended: overdue tasks, idle leads, stale deals; exit 1" <<'X'
owner,overdue_tasks,idle_leads,stale_deals,on_contacts,on_leads,on_deals,on_tickets,oldest_due_at,median_days_overdue,p90_days_overdue,max_days_overdue
kim,1,1,1,0,0,0,0,2026-11-08T00:00:00Z,5.0,14.4,14.4
X
expect_code 1 crm-report unattended -f csv --idle 20d --fields owner,overdue_tasks,idle_leads,stale_deals,oldest_due_at,max_days_overdue
expect_out "unattended --idle 20d: D5 due 11-21, lead 1 not yet" <<'X'
owner,overdue_tasks,idle_leads,stale_deals,oldest_due_at,max_days_overdue
kim,1,0,1,2026-11-20T00:00:00Z,2.4
X
expect_code 0 crm-report unattended -f csv --idle 30d -w type=call
expect_out "nothing due: exit 0" <<'X'
owner,overdue_tasks,idle_leads,stale_deals,on_contacts,on_leads,on_deals,on_tickets,oldest_due_at,median_days_overdue,p90_days_overdue,max_days_overdue
X
expect_code 64 crm-report unattended --idle soon
err_has "--idle: expected a duration like 7d or 48h, got 'soon'"
expect_code 64 crm-report funnel --idle 3d
err_has "crm-report: funnel takes no --idle"

# cohorts, in a database of their own: Acme buys in August and October,
# Beta in August only, Gamma twice in September, a deal with no company or
# contact is a customer of its own (December, after --to)
export CRM_DB="$T/cohort.db"
won() { at "$1"; deal --name "$2" --amount 10 --currency EUR "${@:3}"
	expect_code 0 crm-pipeline list --ids -w "name=$2"
	expect_code 0 crm-pipeline won -q "$(cat "$T/out")"; }
won 2026-08-10T00:00:00Z A1 --set company=Acme
won 2026-08-20T00:00:00Z B1 --set company=Beta
won 2026-09-15T00:00:00Z G1 --set company=Gamma
won 2026-09-25T00:00:00Z G2 --set company=Gamma
won 2026-10-05T00:00:00Z A2 --set company=Acme
won 2026-12-01T00:00:00Z X1
at 2026-11-22T09:30:00Z
# August (2): month 1 nobody bought, Beta silent; month 2 Acme bought,
# Beta silent; month 3 both silent. September (1): silent from month 1.
expect_code 0 crm-report cohort -f csv --to 2026-11-30
expect_out "cohort: bought again and silent per later month" <<'X'
cohort,month,period,customers,bought,bought_rate,silent,silent_rate
2026-08,0,2026-08,2,2,100.0,0,0.0
2026-08,1,2026-09,2,0,0.0,1,50.0
2026-08,2,2026-10,2,1,50.0,1,50.0
2026-08,3,2026-11,2,0,0.0,2,100.0
2026-09,0,2026-09,1,1,100.0,0,0.0
2026-09,1,2026-10,1,0,0.0,1,100.0
2026-09,2,2026-11,1,0,0.0,1,100.0
X
expect_code 0 crm-report cohort -f csv --from 2026-09-01 --to 2026-10-31
expect_out "cohort --from: later cohorts only; --to ends the months" <<'X'
cohort,month,period,customers,bought,bought_rate,silent,silent_rate
2026-09,0,2026-09,1,1,100.0,0,0.0
2026-09,1,2026-10,1,0,0.0,1,100.0
X
expect_code 64 crm-report cohort --by owner
err_has "crm-report: cohort takes no --by, --period, --where or --compare"
expect_code 64 crm-report cohort --period month
done_testing
