#!/bin/bash
# crm-pipeline forecast against figures computed by hand: several
# currencies, forecast categories, months and quarters, by owner, and with
# an exchange rates file.
. "$(dirname "$0")/../lib.sh"

# A-D, I, J open; E, F won; G lost (never counted); H won after now (not
# yet). C has its own probability (33%), I its own category (omitted).
cat >"$T/deals.csv" <<'X'
external_id,name,pipeline,stage,amount,currency,probability,forecast_category,expected_close,closed_at,owner
A,A,default,proposal,1000,EUR,,,2026-11-30,,kim
B,B,default,negotiation,2500,EUR,,,2026-12-05,,lou
C,C,default,prospecting,333.33,USD,33,,2026-11-15,,kim
D,D,default,qualification,100,EUR,,,,,kim
E,E,default,closed_won,4000,EUR,,,,2026-11-10T12:00:00Z,lou
F,F,default,closed_won,1000,USD,,,,2026-10-01T00:00:00Z,kim
G,G,default,closed_lost,999,EUR,,,,2026-11-11T00:00:00Z,lou
H,H,default,closed_won,50,EUR,,,,2026-12-01T00:00:00Z,lou
I,I,default,negotiation,700,EUR,,omitted,2026-11-20,,lou
J,J,renewals,upcoming,100000,JPY,,,2027-01-15,,kim
X
expect_code 0 crm-pipeline import -q "$T/deals.csv"

# by month: A (1000 x 60%) and I (700 x 80%, omitted) open and E won in
# November EUR; C 333.33 x 33% = 109.9989 -> 110.00 USD; D has no date.
expect_code 0 crm-pipeline forecast -f csv
expect_out "forecast by month" <<'X'
period,currency,open_deals,open_amount,weighted_amount,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
2026-10,USD,0,0.00,0.00,0.00,0.00,0.00,1000.00,0.00,1,1000.00
2026-11,EUR,2,1700.00,1160.00,0.00,1000.00,0.00,4000.00,700.00,1,4000.00
2026-11,USD,1,333.33,110.00,333.33,0.00,0.00,0.00,0.00,0,0.00
2026-12,EUR,1,2500.00,2000.00,0.00,0.00,2500.00,0.00,0.00,0,0.00
2027-01,JPY,1,100000,70000,0,100000,0,0,0,0,0
,EUR,1,100.00,20.00,100.00,0.00,0.00,0.00,0.00,0,0.00
X
expect_code 0 crm-pipeline forecast --period quarter --by owner -f csv
expect_out "forecast by quarter and owner" <<'X'
period,owner,currency,open_deals,open_amount,weighted_amount,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
2026-Q4,kim,EUR,1,1000.00,600.00,0.00,1000.00,0.00,0.00,0.00,0,0.00
2026-Q4,kim,USD,1,333.33,110.00,333.33,0.00,0.00,1000.00,0.00,1,1000.00
2026-Q4,lou,EUR,2,3200.00,2560.00,0.00,0.00,2500.00,4000.00,700.00,1,4000.00
2027-Q1,kim,JPY,1,100000,70000,0,100000,0,0,0,0,0
,kim,EUR,1,100.00,20.00,100.00,0.00,0.00,0.00,0.00,0,0.00
X
expect_code 0 crm-pipeline forecast -w owner=lou -w 'expected_close<2026-12-01' -f csv
expect_out "--where selects deals (won deals have no expected_close)" <<'X'
period,currency,open_deals,open_amount,weighted_amount,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
2026-11,EUR,1,700.00,560.00,0.00,0.00,0.00,0.00,700.00,0,0.00
X
CRM_NOW=2026-12-02T00:00:00Z expect_code 0 crm-pipeline forecast -w 'external_id=H' -f csv
expect_out "a deal counts as won once its closed_at has passed" <<'X'
period,currency,open_deals,open_amount,weighted_amount,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
2026-12,EUR,0,0.00,0.00,0.00,0.00,0.00,50.00,0.00,1,50.00
X

# rates: 1 USD = 0.5 EUR, 1 JPY = 0.01 EUR. November: C is 166.665 EUR;
# open 1700 + 166.665 = 1866.665 -> 1866.67; weighted 600 + 560 +
# 166.665 x 33% (54.99945) = 1214.99945 -> 1215.00.
printf '{"base": "EUR", "rates": {"USD": 0.5, "JPY": 0.01}}\n' >"$T/rates.json"
expect_code 0 crm-pipeline forecast --rates "$T/rates.json" -f csv
expect_out "forecast in one currency with a rates file" <<'X'
period,currency,open_deals,open_amount,weighted_amount,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
2026-10,EUR,0,0.00,0.00,0.00,0.00,0.00,500.00,0.00,1,500.00
2026-11,EUR,3,1866.67,1215.00,166.67,1000.00,0.00,4000.00,700.00,1,4000.00
2026-12,EUR,1,2500.00,2000.00,0.00,0.00,2500.00,0.00,0.00,0,0.00
2027-01,EUR,1,1000.00,700.00,0.00,1000.00,0.00,0.00,0.00,0,0.00
,EUR,1,100.00,20.00,100.00,0.00,0.00,0.00,0.00,0,0.00
X
printf '{"base": "EUR", "rates": {"USD": 0.5}}\n' >"$T/rates.json"
expect_code 78 crm-pipeline forecast --rates "$T/rates.json"
err_has "crm-pipeline:$T/rates.json: no rate for JPY"
printf '{"base": "euro", "rates": {}}\n' >"$T/rates.json"
expect_code 78 crm-pipeline forecast --rates "$T/rates.json"
err_has "crm-pipeline:$T/rates.json: base: expected a currency code like EUR"
printf '{"base": "EUR", "rates": {"USD": -1}}\n' >"$T/rates.json"
expect_code 78 crm-pipeline forecast --rates "$T/rates.json"
err_has "rates: USD: expected a number above 0"
printf '{"base": "EUR",\n "rates": {"USD": 1,}}\n' >"$T/rates.json"
expect_code 78 crm-pipeline forecast --rates "$T/rates.json"
err_has "crm-pipeline:$T/rates.json:2: "
expect_code 78 crm-pipeline forecast --rates "$T/none.json"
err_has "cannot open: No such file or directory"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/big-rates.json"
expect_code 78 crm-pipeline forecast --period month --rates "$T/big-rates.json"
err_has "big-rates.json: larger than 1048576 bytes"
expect_code 64 crm-pipeline forecast --period week
err_has "--period: expected month or quarter, got 'week'"
expect_code 64 crm-pipeline forecast --by team
expect_code 64 crm-pipeline forecast --sort owner
expect_code 64 crm-pipeline forecast 2026
expect_code 64 crm-pipeline forecast -w 'nofield=1'
expect_code 0 crm-pipeline forecast -f json --period quarter -w owner=nobody
expect_out "no deals: an empty array" <<<'[]'
done_testing
