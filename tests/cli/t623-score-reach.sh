#!/bin/bash
# Best time to reach: Ann (America/New_York) answers only on Tuesday
# mornings, 14:30Z = 09:30 in New York; Bob (no zone: UTC) answers at the
# same instants, 12:00-15:00 UTC. With no one else to go on, the prior is
# uniform over 56 windows: share = (8 + 10/56) / (8 + 10) = 45.4%, every
# other window (0 + 10/56) / 18 = 1.0%. Cy of Beta has one answer (Monday
# 09:xx) and borrows his company's 25 (Thursday 15:xx UTC): (0 + 10) / 11
# = 90.9% for Thursday 15:00-18:00, 1/11 = 9.1% for his own Monday.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add -q --set first_name=Ann --set timezone=America/New_York
expect_code 0 crm-contact add -q --set first_name=Bob
{
	echo contact_id,type,direction,occurred_at
	for d in 2026-01-06 2026-01-13 2026-01-20 2026-01-27 2026-02-03 2026-02-10 2026-02-17 2026-02-24; do
		echo "1,email,in,${d}T14:30:00Z"
		echo "2,call,in,${d}T14:30:00Z"
		echo "1,email,out,${d}T20:00:00Z" # ours: not an answer
	done
} >"$T/a.csv"
expect_code 0 crm-activity import -q "$T/a.csv"

expect_code 0 crm-score reach -f csv
expect_out "Tuesday mornings in each contact's zone" <<'X'
contact_id,rank,window,share,events,answers,prior,prior_answers,timezone
1,1,Tue 09:00-12:00,45.4,8,8,none,0,America/New_York
1,2,Sun 00:00-03:00,1.0,0,8,none,0,America/New_York
1,3,Sun 03:00-06:00,1.0,0,8,none,0,America/New_York
2,1,Tue 12:00-15:00,45.4,8,8,none,0,UTC
2,2,Sun 00:00-03:00,1.0,0,8,none,0,UTC
2,3,Sun 03:00-06:00,1.0,0,8,none,0,UTC
X

expect_code 0 crm-contact show 1 -f json
check "crm-contact show has Ann's best time" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
b = v["best_times"][0]
sys.exit(not (b["window"] == "Tue 09:00-12:00" and b["events"] == 8 and b["timezone"] == "America/New_York"))' "$T/out"
expect_code 0 crm-contact show 1 -f table
check "the card shows the window and its evidence" grep -q "Tue 09:00-12:00  45% expected; 8 of the contact's 8 answers; prior none (0 answers); America/New_York" "$T/out"

# Beta: Cy has one answer; his company's other contacts 25
expect_code 0 crm-company add -q --set name=Beta
expect_code 0 crm-contact add -q --set first_name=Cy --set company_id=1
expect_code 0 crm-contact add -q --set first_name=Di --set company_id=1
{
	echo contact_id,type,direction,occurred_at
	echo "3,email,in,2026-01-05T09:15:00Z"
	for i in $(seq 1 25); do echo "4,email,in,2026-01-08T15:$(printf %02d $i):00Z"; done
} >"$T/b.csv"
expect_code 0 crm-activity import -q "$T/b.csv"
expect_code 0 crm-score reach 3 -f csv --fields rank,window,share,events,answers,prior,prior_answers
expect_out "a thin history shrinks toward the company" <<'X'
rank,window,share,events,answers,prior,prior_answers
1,Thu 15:00-18:00,90.9,0,1,company,25
2,Mon 09:00-12:00,9.1,1,1,company,25
3,Sun 00:00-03:00,0.0,0,1,company,25
X
expect_code 66 crm-score reach 99
err_has "no contact 99"
expect_code 64 crm-score reach abc

done_testing
