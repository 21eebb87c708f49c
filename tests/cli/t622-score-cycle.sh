#!/bin/bash
# crm-score cycle at 2026-11-22: Acme buys every 90 days exactly (last
# 2026-10-01: next 2026-12-30, in 38 days); Bolt bought in January of
# 2024 and 2025 and once in June (intervals 368 and 138 days: irregular,
# so seasonal: January again on the median day, 2027-01-15, in
# 54 days); Cogs every 90 days, next 2027-01-30 (69 days: outside the
# default 60-day lead); Dyna has two purchases and no repeated month (no
# estimate); Echo's 30-day cycle lapsed (next 2026-07-01, 144 days ago).
. "$(dirname "$0")/../lib.sh"

printf 'name\nAcme\nBolt\nCogs\nDyna\nEcho\n' >"$T/co.csv"
expect_code 0 crm-company import -q "$T/co.csv"
{
	echo name,company_id,stage,amount,currency,closed_at
	for d in 2026-01-04 2026-04-04 2026-07-03 2026-10-01; do echo "a$d,1,closed_won,100,EUR,${d}T10:00:00Z"; done
	for d in 2024-01-14 2025-01-16 2025-06-03; do echo "b$d,2,closed_won,100,EUR,${d}T10:00:00Z"; done
	for d in 2026-05-05 2026-08-03 2026-11-01; do echo "c$d,3,closed_won,100,EUR,${d}T10:00:00Z"; done
	for d in 2026-02-01 2026-09-09; do echo "d$d,4,closed_won,100,EUR,${d}T10:00:00Z"; done
	for d in 2026-04-02 2026-05-02 2026-06-01; do echo "e$d,5,closed_won,100,EUR,${d}T10:00:00Z"; done
	echo "lost,1,closed_lost,100,EUR,2026-11-01T10:00:00Z"
	echo "future,3,closed_won,100,EUR,2026-12-01T10:00:00Z"
} >"$T/deals.csv"
expect_code 0 crm-pipeline import -q "$T/deals.csv"

expect_code 0 crm-score cycle -f csv
expect_out "due in the next 60 days, with the evidence" <<'X'
company_id,name,purchases,last_purchase,median_interval,expected_next,days_until,method,evidence
1,Acme,4,2026-10-01,90.0,2026-12-30,38,interval,"4 purchases, intervals 90/90/90 days (median 90); last 2026-10-01"
2,Bolt,3,2025-06-03,253.0,2027-01-15,54,seasonal,bought in Jan in 2 years; last 2025-06-03
X
err_has "estimated 4 customers"

expect_code 0 crm-score cycle --lead 70d -f csv --fields company_id,expected_next,days_until
expect_out "a 70-day lead adds Cogs" <<'X'
company_id,expected_next,days_until
1,2026-12-30,38
2,2027-01-15,54
3,2027-01-30,69
X
expect_code 0 crm-score cycle --all -f csv --fields name,expected_next,days_until,method
expect_out "--all: Echo's lapsed cycle too; Dyna has no estimate" <<'X'
name,expected_next,days_until,method
Acme,2026-12-30,38,interval
Bolt,2027-01-15,54,seasonal
Cogs,2027-01-30,69,interval
Echo,2026-07-01,-144,interval
X
expect_code 64 crm-score cycle --lead soon
err_has "--lead: expected a duration like 60d, got 'soon'"
expect_code 64 crm-score cycle 1

# by contact: Ann's purchases every 90 days (the same days as Acme's)
expect_code 0 crm-contact add -q --first-name Ann --last-name Lee
{
	echo name,contact_id,stage,amount,currency,closed_at
	for d in 2026-01-04 2026-04-04 2026-07-03 2026-10-01; do echo "n$d,1,closed_won,5,EUR,${d}T23:00:00Z"; done
} >"$T/ann.csv"
expect_code 0 crm-pipeline import -q "$T/ann.csv"
expect_code 0 crm-score cycle --by contact -f csv --fields contact_id,name,expected_next,days_until
expect_out "a contact's cycle" <<'X'
contact_id,name,expected_next,days_until
1,Ann Lee,2026-12-30,38
X

done_testing
