#!/bin/bash
# crm-company tier: each account's tier from a tiers file (first rule that
# holds) over won revenue in the window, growth against the window before,
# open pipeline, RFM segment and industry, checked against figures worked
# out by hand; --explain; --dry-run keeps nothing; the tier is stored with
# its history (a change-log entry per change, `history`); money in another
# currency is unknown without --rates, converted with them.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-01T09:00:00Z
# window: [2025-06-01T09:00:00Z, now); the one before from 2024-06-01T09:00
cat >"$T/tiers.json" <<'X'
{"currency": "EUR", "window_days": 365, "tiers": ["A", "B", "C", "D"],
 "rules": [
  {"tier": "A", "name": "top revenue", "when": {"revenue": {"min": 100000}}},
  {"tier": "A", "name": "fast growing",
   "when": {"revenue": {"min": 40000}, "growth": {"min": 50}}},
  {"tier": "B", "name": "solid revenue", "when": {"revenue": {"min": "20000.00"}}},
  {"tier": "B", "name": "big pipeline", "when": {"pipeline": {"min": 50000}}},
  {"tier": "C", "name": "loyal", "when": {"rfm": ["champions", "loyal"]}},
  {"tier": "C", "name": "target industry",
   "when": {"industry": "logistics", "pipeline": {"min": 1}}},
  {"tier": "D", "name": "everyone else"}]}
X
export CRM_TIERS="$T/tiers.json"
cat >"$T/co.csv" <<'X'
name,industry
Acme,Manufacturing
Beta,Retail
Gamma,Logistics
Delta,Retail
Echo,Retail
Fox,Retail
X
expect_code 0 crm-company import -q "$T/co.csv"
cat >"$T/d.csv" <<'X'
name,company,stage,amount,currency,closed_at
a1,Acme,closed_won,80000,EUR,2026-03-01T00:00:00Z
a2,Acme,closed_won,30000,EUR,2025-09-01T00:00:00Z
a0,Acme,closed_won,10000,EUR,2025-03-01T00:00:00Z
ax,Acme,closed_lost,99999,EUR,2026-03-01T00:00:00Z
b1,Beta,closed_won,15000,EUR,2026-01-01T00:00:00Z
b2,Beta,closed_won,6000,USD,2026-01-01T00:00:00Z
g1,Gamma,proposal,500,EUR,
d1,Delta,closed_won,45000,EUR,2026-02-01T00:00:00Z
d0,Delta,closed_won,20000,EUR,2025-01-01T00:00:00Z
e1,Echo,closed_won,20000,EUR,2025-06-01T09:00:00Z
e0,Echo,closed_won,1000,EUR,2025-06-01T08:59:59Z
eo,Echo,proposal,70000,EUR,
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
# Fox has no deals; crm-score rfm said "loyal" (earlier), "lost" (future)
sql "INSERT INTO rfm_scores (entity, record_id, at, last_won_at, recency_days, frequency, monetary, currency, r, f, m, segment, scored_at) VALUES ('company', 6, '2026-05-01T00:00:00Z', '2026-01-01T00:00:00Z', 120, 3, 500000, 'EUR', 3, 4, 4, 'loyal', '2026-05-01T00:00:00Z'), ('company', 6, '2026-07-01T00:00:00Z', '2026-01-01T00:00:00Z', 180, 3, 500000, 'EUR', 1, 1, 1, 'lost', '2026-07-01T00:00:00Z')"

# the dry run says what would change and keeps nothing
db_dump "" "$T/before"
expect_code 0 crm-company tier -n
err_has "dry run: 6 tiers would change"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "--dry-run wrote nothing"

# by hand: Acme 80000 + 30000 = 110000 in the window (the lost deal and
# the 2025-03 one not), 10000 before: growth 1000%: A by revenue.
# Beta: 15000 EUR + 6000 USD: revenue unknown without rates: D.
# Gamma: no revenue, 500 open in logistics (case-insensitive): C.
# Delta: 45000, 20000 before: +125%: A, fast growing.
# Echo: 20000 exactly at the window's start (in), 1000 a second before:
# B by revenue (min inclusive), before the pipeline rule.
# Fox: the latest RFM segment by now, loyal: C.
expect_code 0 crm-company tier -f csv
expect_out "tiers by hand" <<'X'
id,name,tier,was,changed,rule,revenue,previous,growth_pct,pipeline,currency,won,open,rfm,industry,unconverted
1,Acme,A,,true,top revenue,110000.00,10000.00,1000.0,0.00,EUR,2,0,,Manufacturing,
2,Beta,D,,true,everyone else,,0.00,,0.00,EUR,2,0,,Retail,USD
3,Gamma,C,,true,target industry,0.00,0.00,,500.00,EUR,0,1,,Logistics,
4,Delta,A,,true,fast growing,45000.00,20000.00,125.0,0.00,EUR,1,0,,Retail,
5,Echo,B,,true,solid revenue,20000.00,1000.00,1900.0,70000.00,EUR,1,1,,Retail,
6,Fox,C,,true,loyal,0.00,0.00,,0.00,EUR,0,0,loyal,Retail,
X
err_has "6 tiers changed (change "
expect_code 0 crm-company list -f csv --fields name,tier --where tier=A
expect_out "stored on the company" <<'X'
name,tier
Acme,A
Delta,A
X

# --explain: each rule tried, with the figures, until one holds
expect_code 0 crm-company tier Delta --explain -f table
expect_out "explained" <<'X'
Delta (4): A, rule 'fast growing'
  revenue 45000.00 EUR (1 won), previous 20000.00 (1 won), growth +125.0%, pipeline 0.00 (0 open), rfm none, industry Retail
  rule 1 'top revenue' (A): revenue 45000.00 >= 100000.00 no
  rule 2 'fast growing' (A): revenue 45000.00 >= 40000.00 yes; growth +125.0% >= 50% yes
X
err_has "no tier changed"
expect_code 0 crm-company tier Beta --explain -f table
out_has "left out (no rate): USD"
out_has "rule 3 'solid revenue' (B): revenue unknown >= 20000.00 no"

# with rates: 6000 USD at 0.9 = 5400 EUR; 15000 + 5400 = 20400: B
printf '{"base": "EUR", "rates": {"USD": 0.9}}' >"$T/rates.json"
CRM_NOW=2026-06-02T09:00:00Z expect_code 0 crm-company tier --rates "$T/rates.json" -f csv Beta
expect_out "Beta converted: B" <<'X'
id,name,tier,was,changed,rule,revenue,previous,growth_pct,pipeline,currency,won,open,rfm,industry,unconverted
2,Beta,B,D,true,solid revenue,20400.00,0.00,,0.00,EUR,2,0,,Retail,
X
printf '{"base": "USD", "rates": {"EUR": 1.1}}' >"$T/usd.json"
expect_code 64 crm-company tier --rates "$T/usd.json" Beta
err_has "--rates: base USD, but the tiers file's currency is EUR"

# history: each change a change-log entry (the imports made none: new
# records)
expect_code 0 crm-company history Beta -f csv --fields change,at,command,action,fields
expect_out "Beta's tier history" <<'X'
change,at,command,action,fields
1,2026-06-01T09:00:00Z,tier,update,"{""tier"":""D""}"
2,2026-06-02T09:00:00Z,tier,update,"{""tier"":""B""}"
X
# the change is undone like any other
expect_code 0 crm-company undo 2
expect_code 0 crm-company list -f csv --fields name,tier --where name=Beta
expect_out "undo put D back" <<'X'
name,tier
Beta,D
X
# a company given by name that does not exist
expect_code 66 crm-company tier Nosuch
done_testing
