#!/bin/bash
# The shipped flow call-best-time (a task with "when": "best_window"):
# tagging a contact "call" makes a call task due in the contact's best
# window (crm-score reach) in the contact's own time zone, not before an
# hour from now. Ann (America/New_York) answers only on Tuesday mornings
# (09:00-12:00 New York); Dan has no history: due in an hour. Simulated
# days; the DST case: New York leaves summer time on Sunday 2026-11-01,
# so Tuesday 09:00 is 13:00Z in October and 14:00Z in November.
. "$(dirname "$0")/../lib.sh"
F=(--flows "$TOP/share/crm/flows")

expect_code 0 crm-contact add -q --set first_name=Ann --set last_name=Lee --set timezone=America/New_York --set owner=kim
expect_code 0 crm-contact add -q --set first_name=Dan --set last_name=Roe --set owner=kim
{
	echo contact_id,type,direction,occurred_at
	for d in 2026-06-02 2026-06-09 2026-06-16 2026-06-23 2026-06-30 2026-07-07; do
		echo "1,email,in,${d}T14:30:00Z" # 10:30 in New York (EDT)
	done
} >"$T/a.csv"
expect_code 0 crm-activity import -q "$T/a.csv"
# nothing tagged yet: the flows have nothing to do
CRM_NOW=2026-10-14T12:00:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "no tag, no task" </dev/null

run_day() { # now, contact: tag it, run the flows, untag it
	CRM_NOW=$1 expect_code 0 crm-contact tag -q add call "$2"
	CRM_NOW=$1 expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
	cp "$T/out" "$T/run"
	CRM_NOW=$1 expect_code 0 crm-contact tag -q rm call "$2"
	cp "$T/run" "$T/out"
}

# Thursday 15 Oct, 08:00 EDT: next Tuesday 20 Oct 09:00 EDT = 13:00Z
run_day 2026-10-15T12:00:00Z 1
expect_out "Thursday: next Tuesday morning in New York (summer time)" <<'X'
flow,record,did
call-best-time,1,task 7 'Call Ann Lee' for kim due 2026-10-20T13:00:00Z (Tue 09:00-12:00)
X
# Tuesday 20 Oct 08:30 EDT: not before an hour from now, 09:30 EDT
# is in the window: due then, 13:30Z
run_day 2026-10-20T12:30:00Z 1
expect_out "Tuesday 08:30: an hour on, inside the window" <<'X'
flow,record,did
call-best-time,1,task 8 'Call Ann Lee' for kim due 2026-10-20T13:30:00Z (Tue 09:00-12:00)
X
# Tuesday 20 Oct 11:30 EDT: an hour on is past the window: a week later,
# 27 Oct, still summer time
run_day 2026-10-20T15:30:00Z 1
expect_out "Tuesday 11:30: the next week's window" <<'X'
flow,record,did
call-best-time,1,task 9 'Call Ann Lee' for kim due 2026-10-27T13:00:00Z (Tue 09:00-12:00)
X
# Friday 30 Oct: the Tuesday after the change to standard time (EST,
# UTC-5): 3 Nov 09:00 New York = 14:00Z
run_day 2026-10-30T12:00:00Z 1
expect_out "across the end of daylight saving: 14:00Z" <<'X'
flow,record,did
call-best-time,1,task 10 'Call Ann Lee' for kim due 2026-11-03T14:00:00Z (Tue 09:00-12:00)
X
# Dan: no answers from anyone else either: due in an hour
run_day 2026-10-30T12:00:00Z 2
expect_out "no history: due in an hour" <<'X'
flow,record,did
call-best-time,2,task 11 'Call Dan Roe' for kim due 2026-10-30T13:00:00Z (no best window)
X
expect_code 0 crm-activity list -f csv --where type=task --fields id,contact_id,due_at
expect_out "the tasks as stored" <<'X'
id,contact_id,due_at
7,1,2026-10-20T13:00:00Z
8,1,2026-10-20T13:30:00Z
9,1,2026-10-27T13:00:00Z
10,1,2026-11-03T14:00:00Z
11,2,2026-10-30T13:00:00Z
X

# "when" is for tasks, and only best_window
mkdir -p "$T/flows"
printf '{"name": "x", "entity": "contact", "trigger": {"type": "created"}, "actions": [{"type": "task", "subject": "s", "when": "soon"}]}\n' >"$T/flows/x.json"
expect_code 78 crm-flow run --flows "$T/flows"
err_has "when"
printf '{"name": "x", "entity": "contact", "trigger": {"type": "created"}, "actions": [{"type": "log", "subject": "s", "when": "best_window"}]}\n' >"$T/flows/x.json"
expect_code 78 crm-flow run --flows "$T/flows"
err_has "best_window (tasks only)"
done_testing
