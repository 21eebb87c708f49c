#!/bin/bash
# crm-report funnel and sources over leads built through the real verbs at
# pinned times (so lead_history and deals are what the commands write):
# counts, stage-to-stage rates (empty when the denominator is 0), median
# days to assign, convert and close, --by, --period with an empty month,
# --compare; sources with won revenue in one currency and ROI from a
# --costs file. Every expected value is worked out by hand in the comments.
. "$(dirname "$0")/../lib.sh"

at() { CRM_NOW=$1; export CRM_NOW; }
lead() { expect_code 0 crm-lead add -q --ids "$@"; }

# L5 (event, dec): created 10-15, assigned 10-17 (2 days), disqualified
at 2026-10-15T00:00:00Z; lead --first-name L5 --source event --set campaign=dec
at 2026-10-17T00:00:00Z; expect_code 0 crm-lead update -q 1 --owner lou
at 2026-10-20T00:00:00Z; expect_code 0 crm-lead disqualify -q 1 --reason budget
# L1 (web, nov): created 11-01, assigned 11-02 (1 day), qualified 11-03,
# converted with a 1000 EUR deal 11-05 (4 days), won 11-11 (10 days)
at 2026-11-01T00:00:00Z; lead --first-name L1 --source web --set campaign=nov
at 2026-11-02T00:00:00Z; expect_code 0 crm-lead update -q 2 --owner kim
at 2026-11-03T00:00:00Z; expect_code 0 crm-lead qualify -q 2
at 2026-11-05T00:00:00Z; expect_code 0 crm-lead convert -q 2 --amount 1000 --currency EUR
# L2 (web, nov): created with an owner 11-01 12:00 (0 days), qualified,
# converted with a 500 USD deal 11-06 12:00 (5 days), lost 11-10
at 2026-11-01T12:00:00Z; lead --first-name L2 --source web --set campaign=nov --owner kim
at 2026-11-04T12:00:00Z; expect_code 0 crm-lead qualify -q 3
at 2026-11-06T12:00:00Z; expect_code 0 crm-lead convert -q 3 --amount 500 --currency USD
# L3 (web, no campaign): created 11-02, never assigned
at 2026-11-02T00:00:00Z; lead --first-name L3 --source web
# L4 (event, dec): created with an owner 11-03, converted without a deal
# and without qualifying first 11-05 (2 days)
at 2026-11-03T00:00:00Z; lead --first-name L4 --source event --set campaign=dec --owner lou
at 2026-11-05T00:00:00Z; expect_code 0 crm-lead convert -q 5
at 2026-11-10T00:00:00Z; expect_code 0 crm-pipeline lost -q 2 --reason price
at 2026-11-11T00:00:00Z; expect_code 0 crm-pipeline won -q 1
at 2026-11-22T09:30:00Z
sql "SELECT id, lead_id, status FROM deals ORDER BY id"
cp "$T/sql" "$T/out"; cat >"$T/want" <<'X'
1|2|won
2|3|lost
X
compare "$T/want" "$T/out" "fixture: deal 1 from L1 (won), deal 2 from L2 (lost)"

# all: 5 leads; qualified L1 L2 (history) and L4 (converted) = 3;
# converted 3; with a deal 2; won 1. Rates 3/5, 3/3, 2/3, 1/2, 1/5.
# Days to assign 0 0 1 2 -> 0.5; to convert 4 5 2 -> 4.0; to close 10.
expect_code 0 crm-report funnel -f csv
expect_out "funnel over every lead" <<'X'
total,leads,qualified,converted,deals,won,qualified_rate,converted_rate,deal_rate,won_rate,lead_to_won_rate,median_days_to_assign,median_days_to_convert,median_days_to_close
all,5,3,3,2,1,60.0,100.0,66.7,50.0,20.0,0.5,4.0,10.0
X
# web: L1 L2 L3; event: L4 L5 (no deal: deal_rate 0/1 = 0, won_rate
# null, no days to close)
expect_code 0 crm-report funnel -f csv --by source
expect_out "funnel by source; a zero denominator is empty" <<'X'
source,leads,qualified,converted,deals,won,qualified_rate,converted_rate,deal_rate,won_rate,lead_to_won_rate,median_days_to_assign,median_days_to_convert,median_days_to_close
web,3,2,2,2,1,66.7,100.0,100.0,50.0,33.3,0.5,4.5,10.0
event,2,1,1,0,0,50.0,100.0,0.0,,0.0,1.0,2.0,
X
expect_code 0 crm-report funnel -f csv --by campaign --fields campaign,leads,won,lead_to_won_rate
expect_out "funnel by a custom field (campaign)" <<'X'
campaign,leads,won,lead_to_won_rate
dec,2,0,0.0
nov,2,1,50.0
,1,0,0.0
X
expect_code 0 crm-report funnel -f csv --by owner --fields owner,leads,converted,median_days_to_convert
expect_out "funnel by owner (L3 has none)" <<'X'
owner,leads,converted,median_days_to_convert
kim,2,2,4.5
lou,2,1,2.0
,1,0,
X
# September empty; October L5 only; November L1-L4 (assign 1 0 0 -> 0)
expect_code 0 crm-report funnel -f csv --period month --from 2026-09-01 --to 2026-11-30
expect_out "by month: an empty month has zero counts and empty rates" <<'X'
period,leads,qualified,converted,deals,won,qualified_rate,converted_rate,deal_rate,won_rate,lead_to_won_rate,median_days_to_assign,median_days_to_convert,median_days_to_close
2026-09,0,0,0,0,0,,,,,,,,
2026-10,1,0,0,0,0,0.0,,,,0.0,2.0,,
2026-11,4,3,3,2,1,75.0,100.0,66.7,50.0,25.0,0.0,4.0,10.0
X
# 30 days from 11-01 against the 30 before (L5 alone)
expect_code 0 crm-report funnel -f csv --from 2026-11-01 --to 2026-11-30 --compare previous --fields leads,leads_prev,leads_change_pct,qualified_rate,qualified_rate_prev
expect_out "--compare previous" <<'X'
leads,leads_prev,leads_change_pct,qualified_rate,qualified_rate_prev
4,1,300.0,75.0,0.0
X
expect_code 0 crm-report funnel -f csv -w owner=kim --fields leads,converted,deals,won
expect_out "--where on lead fields" <<'X'
leads,converted,deals,won
2,2,2,1
X

# sources: money in EUR (the currency of the only won deal)
expect_code 0 crm-report sources -f csv
expect_out "sources: per source and campaign; revenue in the report currency; no costs" <<'X'
source,campaign,leads,converted,conversion_rate,won_deals,won_revenue,cost,currency,roi_pct
event,dec,2,1,50.0,0,0.00,,EUR,
web,nov,2,2,100.0,1,1000.00,,EUR,
web,,1,0,0.0,0,0.00,,EUR,
X
cat >"$T/costs.csv" <<'X'
source,campaign,cost,currency
web,nov,400,EUR
event,dec,250.50,EUR
web,nov,100,USD
web,,50,EUR
X
# web/nov: (1000 - 400) / 400 = 150%; event/dec and web/none: -100%
expect_code 0 crm-report sources -f csv --costs "$T/costs.csv"
expect_out "sources with costs: ROI in the report currency" <<'X'
source,campaign,leads,converted,conversion_rate,won_deals,won_revenue,cost,currency,roi_pct
event,dec,2,1,50.0,0,0.00,250.50,EUR,-100.0
web,nov,2,2,100.0,1,1000.00,400.00,EUR,150.0
web,,1,0,0.0,0,0.00,50.00,EUR,-100.0
X
# in USD: the USD deal was lost, so no revenue; only web/nov has a cost
expect_code 0 crm-report sources -f csv --costs "$T/costs.csv" --currency USD --fields source,campaign,won_deals,won_revenue,cost,currency,roi_pct
expect_out "sources --currency USD: other currencies are not summed in" <<'X'
source,campaign,won_deals,won_revenue,cost,currency,roi_pct
event,dec,0,0.00,,USD,
web,nov,1,0.00,100.00,USD,-100.0
web,,0,0.00,,USD,
X
# without --by: per campaign, costs of every source of that campaign
expect_code 0 crm-report sources -f csv --by '' --costs "$T/costs.csv" --fields campaign,leads,won_revenue,cost,roi_pct
expect_out "sources per campaign" <<'X'
campaign,leads,won_revenue,cost,roi_pct
dec,2,0.00,250.50,-100.0
nov,2,1000.00,400.00,150.0
,1,0.00,50.00,-100.0
X
printf 'source,campaign,cost,currency\nweb,nov,12.345,EUR\n' >"$T/bad.csv"
expect_code 65 crm-report sources --costs "$T/bad.csv"
err_has "bad.csv:2: cost:"
printf 'source,campaign,cost,currency\nweb,nov,12,euro\n' >"$T/bad2.csv"
expect_code 65 crm-report sources --costs "$T/bad2.csv"
err_has "bad2.csv:2: currency:"
printf 'source,campaign,cost\nweb,nov,12\n' >"$T/bad3.csv"
expect_code 65 crm-report sources --costs "$T/bad3.csv"
err_has "bad3.csv:2: currency: needs a value"
expect_code 66 crm-report sources --costs "$T/none.csv"
err_has "cannot open '$T/none.csv'"
expect_code 64 crm-report funnel --costs "$T/costs.csv"
err_has "crm-report: funnel takes no --costs"
expect_code 64 crm-report funnel --currency EUR
err_has "crm-report: funnel takes no --currency"
expect_code 64 crm-report sources --currency euro
err_has "--currency: expected an ISO 4217 code like EUR, got 'euro'"
done_testing
