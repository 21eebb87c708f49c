#!/bin/bash
# crm-score churn: risk from activity against the customer's own baseline,
# tickets against theirs, and silence, at a pinned CRM_NOW; values worked
# out by hand from the formula in crm-score(1); stored in churn_scores.
. "$(dirname "$0")/../lib.sh"

old=2026-01-01T09:30:00Z
printf 'name,created_at\nA,%s\nB,%s\nC,%s\nD,%s\n' $old $old $old $old >"$T/c.csv"
expect_code 0 crm-company import -q "$T/c.csv"
expect_code 0 crm-contact add -q --first-name Ann --company-id 2 --set lifecycle_stage=customer
expect_code 0 crm-contact add -q --first-name Bo --company-id 2
cat >"$T/deals.csv" <<'X'
name,company_id,stage,amount,currency,closed_at
a,1,closed_won,10.00,EUR,2026-01-10
b,2,closed_won,10.00,EUR,2026-01-10
c,3,closed_won,10.00,EUR,2026-01-10
d,4,closed_lost,10.00,EUR,2026-01-10
X
expect_code 0 crm-pipeline import -q "$T/deals.csv"
# now 2026-11-22T09:30:00Z; window 30 days from 2026-10-23T09:30:00Z,
# baseline the 180 days before, from 2026-04-26T09:30:00Z
{
	echo type,occurred_at,company_id,contact_id
	# A: 12 in the baseline, 1 in the window, the last 10 days ago
	for m in 05 06 07 08 09 10; do
		echo "call,2026-$m-01T10:00:00Z,1,"
		echo "email,2026-$m-02T10:00:00Z,1,"
	done
	echo "call,2026-11-12T09:30:00Z,1,"
	echo "note,2026-04-01T10:00:00Z,1," # before the baseline: not counted
	# B: 6 in the baseline (Ann's), 3 in the window, the last today
	for m in 05 06 07 08 09 10; do echo "call,2026-$m-05T10:00:00Z,2,1"; done
	echo "call,2026-11-01T10:00:00Z,2,1"
	echo "call,2026-11-10T10:00:00Z,2,"
	echo "meeting,2026-11-22T09:30:00Z,2,1"
	echo "call,2026-11-23T10:00:00Z,2," # in the future: not counted
} >"$T/a.csv"
expect_code 0 crm-activity import -q "$T/a.csv"
{
	echo subject,company_id,contact_id,created_at
	echo "t1,1,,2026-11-01T10:00:00Z"
	echo "t2,1,,2026-11-20T10:00:00Z"
	for m in 05 06 07 08 09 10; do echo "t,2,,2026-$m-10T10:00:00Z"; done
	echo "t3,2,1,2026-11-15T10:00:00Z"
} >"$T/t.csv"
expect_code 0 crm-ticket import -q "$T/t.csv"
# A: activity expected 12 * 30/180 = 2, 1 seen: down 50%: 40 * 0.5 = 20;
#    tickets expected 0, 2 seen: 10 * 2 = 20; silent 10 days: 10/3 = 3.33;
#    risk 43.33 -> 43
# B: activity expected 1, 3 seen; tickets expected 1, 1 seen; silent 0: 0
# C: no activity at all: baseline under 3, no drop; silent since its
#    creation, 325 days: 30 (the cap): 30
# D: no won deal: not a customer
expect_code 0 crm-score churn
expect_out "risks and reasons" <<'X'
company_id,name,risk,activities,activities_expected,tickets,tickets_expected,days_silent,reasons
1,A,43,1,2,2,0,10,"activity down 50% (1 in 30 days, 2 expected) +20.0; tickets up (2 in 30 days, 0 expected) +20.0; silent 10 days +3.3"
2,B,0,3,1,1,1,0,
3,C,30,0,0,0,0,325,silent 325 days +30.0
X
err_has "crm-score: scored 3 customers"
sql "SELECT entity, record_id, at, risk, activities, printf('%.1f', activities_expected), tickets, printf('%.1f', tickets_expected), days_silent, actor FROM churn_scores ORDER BY record_id"
cat >"$T/want" <<'X'
company|1|2026-11-22T09:30:00Z|43|1|2.0|2|0.0|10|tester
company|2|2026-11-22T09:30:00Z|0|3|1.0|1|1.0|0|tester
company|3|2026-11-22T09:30:00Z|30|0|0.0|0|0.0|325|tester
X
compare "$T/want" "$T/sql" "stored"
expect_code 0 crm-score churn --min-risk 40 --fields company_id,risk -q
expect_out "--min-risk: print only those at risk" <<'X'
company_id,risk
1,43
X
sql "SELECT COUNT(*) FROM churn_scores"
check "a rerun at the same time replaces its rows" [ "$(cat "$T/sql")" = 3 ]
# --window 10d --baseline 60d: the baseline is (09-13T09:30, 11-12T09:30],
# the window (11-12T09:30, 11-22T09:30].
# A: baseline 10-01, 10-02 and 11-12T09:30 (its end is in): 3, expected
#    3 * 10/60 = 0.5, none seen: 40; tickets 11-01 in the baseline
#    (expected 1/6), 11-20 in the window: 10 * (1 - 1/6) = 8.33; silent
#    10 days 3.33: 51.67 -> 52
# B: baseline 10-05, 11-01, 11-10: expected 0.5, the meeting today seen;
#    tickets 10-10 (expected 1/6), 11-15 seen: 8.33 -> 8
expect_code 0 crm-score churn --window 10d --baseline 60d --fields company_id,risk,activities,tickets,reasons
expect_out "--window, --baseline" <<'X'
company_id,risk,activities,tickets,reasons
1,52,0,1,"activity down 100% (0 in 10 days, 0.5 expected) +40.0; tickets up (1 in 10 days, 0.167 expected) +8.3; silent 10 days +3.3"
2,8,1,1,"tickets up (1 in 10 days, 0.167 expected) +8.3"
3,30,0,0,silent 325 days +30.0
X
expect_code 0 crm-score churn --by contact -f csv
# Ann (customer): her 6 calls in the baseline, 2 in the window (11-01,
# the meeting today): expected 1; her one ticket 11-15, expected 0: 10
expect_out "--by contact: lifecycle customers" <<'X'
contact_id,name,risk,activities,activities_expected,tickets,tickets_expected,days_silent,reasons
1,Ann,10,2,1,1,0,0,"tickets up (1 in 30 days, 0 expected) +10.0"
X
db_save before.db
export CRM_NOW=2026-11-23T09:30:00Z
expect_code 0 crm-score churn -n -q
check "--dry-run writes nothing" db_same before.db
expect_code 64 crm-score churn --window 0
expect_code 64 crm-score churn --baseline soon
err_has "--baseline: expected a duration like 30d, got 'soon'"
expect_code 64 crm-score churn --min-risk 101
expect_code 64 crm-score churn --by lead
expect_code 64 crm-score churn 1
expect_code 64 crm-score churn --stdin
done_testing
