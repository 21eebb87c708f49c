#!/bin/bash
# crm-report over deals moved through crm-pipeline at pinned times:
# pipeline (as of --to, from deal_history; --compare previous), winrate,
# cycle, stages (days per stage), dealsize and velocity, in EUR, USD and
# JPY, never summed across currencies. Expected values worked out by hand.
. "$(dirname "$0")/../lib.sh"

at() { CRM_NOW=$1; export CRM_NOW; }
deal() { expect_code 0 crm-pipeline add -q --ids "$@"; }

# D1 kim 1000 EUR: prospecting 11-01, proposal 11-05 (4 days), won 11-11
# D2 kim 500 USD: prospecting 11-02, lost 11-08 (6 days)
# D3 lou 2000 EUR: 11-03, qualification 11-04 (1 day), won 11-07 12:00
# D4 lou 300 EUR: 11-10, open in prospecting
# D5 kim 700 USD: 11-12, negotiation with amount 800 on 11-15 (3 days)
# D6 lou 100000 JPY: 10-01, won 10-21 12:00 (20.5 days)
at 2026-10-01T00:00:00Z; deal --name D6 --amount 100000 --currency JPY --owner lou
at 2026-11-01T00:00:00Z; deal --name D1 --amount 1000 --currency EUR --owner kim
at 2026-11-02T00:00:00Z; deal --name D2 --amount 500 --currency USD --owner kim
at 2026-11-03T00:00:00Z; deal --name D3 --amount 2000 --currency EUR --owner lou
at 2026-11-04T00:00:00Z; expect_code 0 crm-pipeline move -q qualification 4
at 2026-11-05T00:00:00Z; expect_code 0 crm-pipeline move -q proposal 2
at 2026-11-07T12:00:00Z; expect_code 0 crm-pipeline won -q 4
at 2026-11-08T00:00:00Z; expect_code 0 crm-pipeline lost -q 3 --reason price
at 2026-11-10T00:00:00Z; deal --name D4 --amount 300 --currency EUR --owner lou
at 2026-11-11T00:00:00Z; expect_code 0 crm-pipeline won -q 2
at 2026-11-12T00:00:00Z; deal --name D5 --amount 700 --currency USD --owner kim
at 2026-11-15T00:00:00Z; expect_code 0 crm-pipeline move -q negotiation 6 --amount 800
at 2026-10-21T12:00:00Z; expect_code 0 crm-pipeline won -q 1
at 2026-11-22T09:30:00Z

# now: D4 (10% of 300) and D5 (80% of 800), ordered by probability
expect_code 0 crm-report pipeline -f csv
expect_out "pipeline now: open deals by stage and currency, weighted" <<'X'
stage,currency,deals,amount,weighted_amount
prospecting,EUR,1,300.00,30.00
negotiation,USD,1,800.00,640.00
X
# as of 11-07 00:00: D2 prospecting (10%; its first probability change,
# on losing, replaced 10), D3 qualification (20%), D1 proposal (60%)
expect_code 0 crm-report pipeline -f csv --to 2026-11-06
expect_out "pipeline as of --to, from deal_history" <<'X'
stage,currency,deals,amount,weighted_amount
prospecting,USD,1,500.00,50.00
qualification,EUR,1,2000.00,400.00
proposal,EUR,1,1000.00,600.00
X
# now against 11-13: D4 the same; D5 then 700 USD in prospecting at 10%
expect_code 0 crm-report pipeline -f csv --by '' --from 2026-11-13 --compare previous --fields currency,deals,deals_prev,amount,amount_prev,amount_change_pct,weighted_amount,weighted_amount_prev
expect_out "pipeline --compare previous: the state as of --from" <<'X'
currency,deals,deals_prev,amount,amount_prev,amount_change_pct,weighted_amount,weighted_amount_prev
EUR,1,1,300.00,300.00,0.0,30.00,30.00
USD,1,1,800.00,700.00,14.3,640.00,70.00
X
expect_code 0 crm-report pipeline -f csv --to 2026-09-30
expect_out "pipeline before any deal: the header alone" <<'X'
stage,currency,deals,amount,weighted_amount
X
expect_code 64 crm-report pipeline --period month
err_has "crm-report: pipeline is a state at --to: it takes no --period"

expect_code 0 crm-report winrate -f csv
expect_out "winrate per owner" <<'X'
owner,closed,won,lost,win_rate
kim,2,1,1,50.0
lou,2,2,0,100.0
X
expect_code 0 crm-report winrate -f csv --by '' --period month --from 2026-09-01 --to 2026-11-30
expect_out "winrate by month: September empty, its rate empty" <<'X'
period,closed,won,lost,win_rate
2026-09,0,0,0,
2026-10,1,1,0,100.0
2026-11,3,2,1,66.7
X

# won: D1 10 days, D3 4.5, D6 20.5 -> median 10, p90 (rank 3) 20.5,
# mean 35/3
expect_code 0 crm-report cycle -f csv
expect_out "cycle: median, p90 and mean days from creation to won" <<'X'
total,won,median_days,p90_days,avg_days
all,3,10.0,20.5,11.7
X
expect_code 0 crm-report cycle -f csv --by owner
expect_out "cycle per owner; lou's median is the mean of 4.5 and 20.5" <<'X'
owner,won,median_days,p90_days,avg_days
lou,2,12.5,20.5,12.5
kim,1,10.0,10.0,10.0
X

# exits from prospecting: D3 1, D5 3, D1 4, D2 6, D6 20.5
expect_code 0 crm-report stages -f csv
expect_out "stages: days spent in each stage left" <<'X'
stage,pipeline,exits,median_days,p90_days,avg_days
proposal,default,1,6.0,6.0,6.0
prospecting,default,5,4.0,20.5,6.9
qualification,default,1,3.5,3.5,3.5
X
expect_code 0 crm-report stages -f csv --from 2026-11-06 -w owner=kim --fields stage,exits,median_days
expect_out "stages left from 11-06, kim's deals" <<'X'
stage,exits,median_days
proposal,1,6.0
prospecting,2,4.5
X

expect_code 0 crm-report dealsize -f csv
expect_out "dealsize per currency, JPY without decimals" <<'X'
currency,won,total,average,median,p90,largest
EUR,2,3000.00,1500.00,1500.00,2000.00,2000.00
JPY,1,100000,100000,100000,100000,100000
X
expect_code 0 crm-report dealsize -f csv --from 2026-11-12 --to 2026-11-20
expect_out "dealsize with nothing won: the header alone" <<'X'
currency,won,total,average,median,p90,largest
X

# EUR: 1 open x 100% x 1500 / 7.25 days = 206.90 a day; USD: nothing won
# (rate 0, no average); JPY: no open deal
expect_code 0 crm-report velocity -f csv
expect_out "velocity per currency" <<'X'
currency,open_deals,won,lost,win_rate,avg_won,avg_cycle_days,velocity_per_day
EUR,1,2,0,100.0,1500.00,7.3,206.90
JPY,0,1,0,100.0,100000,20.5,0
USD,1,0,1,0.0,,,
X
# from 11-09: only D1 won in range; D2 and D3 closed before it
expect_code 0 crm-report velocity -f csv --from 2026-11-09 --fields currency,open_deals,won,lost,velocity_per_day
expect_out "velocity over a span: open deals at --from, deals closed in it" <<'X'
currency,open_deals,won,lost,velocity_per_day
EUR,1,1,0,100.00
USD,1,0,0,
X
expect_code 64 crm-report velocity --period week
err_has "crm-report: velocity is one span: it takes no --period"
done_testing
