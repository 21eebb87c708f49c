#!/bin/bash
# crm-score rfm: recency, frequency and monetary value of won deals per
# company (or contact), quintile scores and segments on a fixture worked
# out by hand; stored in rfm_scores; currencies; errors.
. "$(dirname "$0")/../lib.sh"

printf 'name\nA\nB\nC\nD\nE\nF\n' >"$T/c.csv"
expect_code 0 crm-company import -q "$T/c.csv"
expect_code 0 crm-contact add -q --first-name Ann --last-name Lee --email ann@a.example
cat >"$T/deals.csv" <<'X'
name,company_id,contact_id,stage,amount,currency,closed_at
a1,1,1,closed_won,1000.00,EUR,2026-11-21
a2,1,,closed_won,1000.00,EUR,2026-10-01
a3,1,,closed_won,1000.00,EUR,2026-09-01
a4,1,,closed_won,1000.00,EUR,2026-08-01
b1,2,,closed_won,5000.00,EUR,2026-11-11
c1,3,,closed_won,100.00,EUR,2026-06-04
c2,3,,closed_won,100.00,EUR,2026-05-01
c3,3,,closed_won,100.00,EUR,2026-04-01
d1,4,,closed_won,50.00,EUR,2026-11-26
e1,5,,closed_won,100.00,EUR,2025-12-01
e2,5,,closed_lost,9000.00,EUR,2026-11-30
f1,6,,closed_won,1000.00,EUR,2026-11-01
f2,6,,closed_won,1000.00,EUR,2026-10-15
f3,6,,closed_won,1000.00,EUR,2026-12-05
x1,,,closed_won,7.00,EUR,2026-11-01
o1,2,,proposal,800.00,EUR,
X
expect_code 0 crm-pipeline import -q "$T/deals.csv"
# at 2026-12-01: f3 (later), e2 (lost), x1 (no company), o1 (open) do not
# count. Recency days: A 10, B 20, C 180, D 5, E 365, F 30; frequency A 4,
# B 1, C 3, D 1, E 1, F 2; monetary A 4000, B 5000, C 300, D 50, E 100,
# F 2000. Six customers: score = 1 + floor(5k/6), k the number strictly
# worse: k 0 1 2 3 4 5 -> 1 1 2 3 4 5.
# R: D k5 5, A k4 4, B k3 3, F k2 2, C k1 1, E k0 1
# F: A k5 5, C k4 4, F k3 3, B D E k0 1
# M: B k5 5, A k4 4, F k3 3, C k2 2, E k1 1, D k0 1
# FM = ceil((F + M) / 2): A 5, B 3, C 3, D 1, E 1, F 3
# A r4 fm5 loyal; B r3 fm3 need attention; C r1 fm3 at risk; D r5 fm1 new;
# E r1 fm1 lost; F r2 fm3 at risk
expect_code 0 crm-score rfm --at 2026-12-01
expect_out "quintiles and segments" <<'X'
company_id,name,last_won_at,recency_days,frequency,monetary,currency,r,f,m,rfm,segment
1,A,2026-11-21T00:00:00Z,10,4,4000.00,EUR,4,5,4,454,loyal
2,B,2026-11-11T00:00:00Z,20,1,5000.00,EUR,3,1,5,315,need attention
3,C,2026-06-04T00:00:00Z,180,3,300.00,EUR,1,4,2,142,at risk
4,D,2026-11-26T00:00:00Z,5,1,50.00,EUR,5,1,1,511,new
5,E,2025-12-01T00:00:00Z,365,1,100.00,EUR,1,1,1,111,lost
6,F,2026-11-01T00:00:00Z,30,2,2000.00,EUR,2,3,3,233,at risk
X
err_has "crm-score: scored 6 companies"
sql "SELECT entity, record_id, at, recency_days, frequency, monetary, currency, CAST(r AS TEXT) || CAST(f AS TEXT) || CAST(m AS TEXT), segment, scored_at, actor FROM rfm_scores ORDER BY record_id"
cat >"$T/want" <<'X'
company|1|2026-12-01T00:00:00Z|10|4|400000|EUR|454|loyal|2026-11-22T09:30:00Z|tester
company|2|2026-12-01T00:00:00Z|20|1|500000|EUR|315|need attention|2026-11-22T09:30:00Z|tester
company|3|2026-12-01T00:00:00Z|180|3|30000|EUR|142|at risk|2026-11-22T09:30:00Z|tester
company|4|2026-12-01T00:00:00Z|5|1|5000|EUR|511|new|2026-11-22T09:30:00Z|tester
company|5|2026-12-01T00:00:00Z|365|1|10000|EUR|111|lost|2026-11-22T09:30:00Z|tester
company|6|2026-12-01T00:00:00Z|30|2|200000|EUR|233|at risk|2026-11-22T09:30:00Z|tester
X
compare "$T/want" "$T/sql" "stored, monetary in minor units"
expect_code 0 crm-score rfm --at 2026-12-01 -q
sql "SELECT COUNT(*) FROM rfm_scores"
check "a rerun at the same time replaces its rows" [ "$(cat "$T/sql")" = 6 ]
expect_code 0 crm-score rfm --at 2026-06-01 --fields company_id,recency_days,frequency,rfm,segment
# by 2026-06-01 only C (c2, c3) and E's... no: E's deal is 2025-12-01:
# C 31 days, 2 deals, 200; E 182 days, 1 deal, 100. Two customers: k 0 ->
# 1, k 1 -> 1 + floor(5/2) = 3. C r3 f3 m3 (need attention), E r1 f1 m1
# (lost)
expect_out "--at: deals closed later do not count" <<'X'
company_id,recency_days,frequency,rfm,segment
3,31,2,333,need attention
5,182,1,111,lost
X
sql "SELECT COUNT(*) FROM rfm_scores"
check "runs at other times are kept" [ "$(cat "$T/sql")" = 8 ]
expect_code 0 crm-score rfm --by contact -f csv
expect_out "--by contact" <<'X'
contact_id,name,last_won_at,recency_days,frequency,monetary,currency,r,f,m,rfm,segment
1,Ann Lee,2026-11-21T00:00:00Z,1,1,1000.00,EUR,1,1,1,111,lost
X
db_save before.db
expect_code 0 crm-score rfm -n --at 2026-11-30
check "--dry-run writes nothing" db_same before.db

# several currencies need --rates
printf 'name,company_id,stage,amount,currency,closed_at\nb2,2,closed_won,1000.00,USD,2026-11-11\n' >"$T/usd.csv"
expect_code 0 crm-pipeline import -q "$T/usd.csv"
db_save before.db
expect_code 64 crm-score rfm --at 2026-12-01
err_has "won deals in several currencies (EUR, USD): --rates FILE converts them into one"
check "nothing stored" db_same before.db
printf '{"base": "EUR", "rates": {"USD": 0.5}}\n' >"$T/rates.json"
expect_code 0 crm-score rfm --at 2026-12-01 --rates "$T/rates.json" --fields company_id,frequency,monetary,currency,rfm
# B: 2 deals, 5000 + 1000 USD * 0.5 = 5500 EUR; F: k for frequency: B now
# 2 like F: A 5, C 4, B F k2 -> 2 (floor(10/6) = 1, + 1), D E 1
expect_out "--rates: one currency" <<'X'
company_id,frequency,monetary,currency,rfm
1,4,4000.00,EUR,454
2,2,5500.00,EUR,325
3,3,300.00,EUR,142
4,1,50.00,EUR,511
5,1,100.00,EUR,111
6,2,2000.00,EUR,223
X
printf '{"base": "EUR", "rates": {"GBP": 1.1}}\n' >"$T/rates.json"
expect_code 78 crm-score rfm --rates "$T/rates.json"
err_has "no rate for USD"
expect_code 78 crm-score rfm --rates "$T/none.json" # as crm-pipeline forecast --rates
expect_code 64 crm-score rfm --at yesterday
err_has "--at:"
expect_code 64 crm-score rfm --by deal
expect_code 64 crm-score rfm 3
err_has "rfm scores every customer"
expect_code 64 crm-score rfm -w name=A
expect_code 64 crm-score rfm --fields nope
# a database with nothing in it (a path with no file)
CRM_DB=$T/none.db expect_code 0 crm-score rfm
expect_out "an empty database: the header" <<<'company_id,name,last_won_at,recency_days,frequency,monetary,currency,r,f,m,rfm,segment'
done_testing
