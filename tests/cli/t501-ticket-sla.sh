#!/bin/bash
# crm-ticket's SLA clock at pinned times (tests/data/sla-test.json): the
# "standard" policy runs in a 9-17 UTC Monday-Friday calendar with
# Thursday 26 November 2026 a holiday (first reply 2h, next reply 4h,
# resolution 16h); "lisbon" in Europe/Lisbon hours; "urgent" in calendar
# time. Expected times are worked out by hand in the comments.
. "$(dirname "$0")/../lib.sh"
P=(--policies "$DATA/sla-test.json")
at() { CRM_NOW=$1; export CRM_NOW; }
due() { # ID: the SLA fields as CSV
	run crm-ticket list -f csv --fields id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached --where "id=$1"
}

# 1: Friday 16:30 + 2 business hours = Monday 10:30; resolution 16h:
# Friday 0.5 + Monday 8 + Tuesday 7.5 = Tuesday 16:30
at 2026-11-20T16:30:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject one
due 1
expect_out "Friday 16:30 + 2 business hours is Monday 10:30" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
1,new,normal,standard,2026-11-23T10:30:00Z,,2026-11-24T16:30:00Z,false,false,false
X
# 2: Wednesday 16:30 + 2h over the Thursday holiday = Friday 10:30
at 2026-11-25T16:30:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject two
due 2
expect_out "a holiday in between" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
2,new,normal,standard,2026-11-27T10:30:00Z,,2026-11-30T16:30:00Z,false,false,false
X
# 3, 4: Lisbon, across both changes of 2026 (29 March, 25 October)
at 2026-03-27T16:30:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject three --tags pt --channel email
at 2026-10-23T15:30:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject four --tags pt,vip --channel web
run crm-ticket list -f csv --fields id,sla_policy,first_reply_due --where 'id>=3'
expect_out "DST: Friday 16:30 WET + 2h = Monday 10:30 WEST; and back" <<'X'
id,sla_policy,first_reply_due
3,lisbon,2026-03-30T09:30:00Z
4,lisbon,2026-10-26T10:30:00Z
X

# 5: pause and resume. Monday 09:00; pending at 10:00 stops both clocks
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject five
at 2026-11-23T10:00:00Z
expect_code 0 crm-ticket pending "${P[@]}" 5
due 5
expect_out "pending: the clock stops (no due time)" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
5,pending,normal,standard,,,,false,false,false
X
at 2026-11-23T12:00:00Z
expect_code 0 crm-ticket sla "${P[@]}" 5
expect_out "a paused ticket is not at risk" <<'X'
id,subject,status,priority,assignee,team,sla_policy,target,due_at,state,past,left
X
# the customer answers at 13:00: 1h of 2h used, so 14:00; resolution 1h
# used, 15h left: Monday 13-17 (4), Tuesday (8), Wednesday 9-12 (3)
at 2026-11-23T13:00:00Z
expect_code 0 crm-ticket reply "${P[@]}" 5 --customer --body 'any news?'
due 5
expect_out "resume: the due times move by the pause" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
5,open,normal,standard,2026-11-23T14:00:00Z,,2026-11-25T12:00:00Z,false,false,false
X
expect_code 0 crm-ticket hold "${P[@]}" 5
at 2026-11-23T15:00:00Z
expect_code 0 crm-ticket update "${P[@]}" 5 --set status=open
due 5
expect_out "on_hold pauses too (2 more hours)" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
5,open,normal,standard,2026-11-23T16:00:00Z,,2026-11-25T14:00:00Z,false,false,false
X

# 6: the next-reply clock. Agent at 15:30 (on time), customer at 16:00:
# 4h from 16:00 is Tuesday 12:00; the agent answers at 13:00, late
at 2026-11-23T15:30:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 5 --body 'checking'
at 2026-11-23T16:00:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 5 --customer --body 'still down'
due 5
expect_out "a customer message starts the next-reply clock" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
5,open,normal,standard,2026-11-23T16:00:00Z,2026-11-24T12:00:00Z,2026-11-25T14:00:00Z,false,false,false
X
at 2026-11-24T13:00:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 5 --body 'fixed now'
due 5
expect_out "answered late: next_reply breached, the clock cleared" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
5,open,normal,standard,2026-11-23T16:00:00Z,,2026-11-25T14:00:00Z,false,true,false
X

# 7: reopen. Monday 09:00, solved at 12:00 (3h of 16h used), reopened
# Tuesday 12:00: 13h left from there: Tuesday 5, Wednesday 8 = Wed 17:00
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject seven
at 2026-11-23T09:30:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 6 --body hi
at 2026-11-23T12:00:00Z
expect_code 0 crm-ticket solve -q "${P[@]}" 6
due 6
expect_out "solved: resolution met" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
6,solved,normal,standard,2026-11-23T11:00:00Z,,2026-11-24T17:00:00Z,false,false,false
X
at 2026-11-24T12:00:00Z
expect_code 0 crm-ticket reopen "${P[@]}" 6
due 6
expect_out "reopened: the solved day does not count" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
6,open,normal,standard,2026-11-23T11:00:00Z,,2026-11-25T17:00:00Z,false,false,false
X

# 8: a target met late stays breached
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject eight
at 2026-11-23T12:00:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 7 --body 'sorry for the wait'
at 2026-11-23T12:30:00Z
expect_code 0 crm-ticket update -q "${P[@]}" 7 --set subject='eight!'
run crm-ticket list -f csv --fields id,first_response_at,first_reply_due,first_reply_breached --where id=7
expect_out "first reply at 12:00, due 10:00: breached, and it stays so" <<'X'
id,first_response_at,first_reply_due,first_reply_breached
7,2026-11-23T12:00:00Z,2026-11-23T11:00:00Z,true
X

# 9: a priority change recomputes the targets (urgent: calendar time)
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject nine
at 2026-11-23T09:30:00Z
expect_code 0 crm-ticket update "${P[@]}" 8 --priority urgent
due 8
expect_out "urgent: 1h and 4h from creation" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
8,new,urgent,urgent,2026-11-23T10:00:00Z,,2026-11-23T13:00:00Z,false,false,false
X
at 2026-11-23T09:45:00Z
expect_code 0 crm-ticket update "${P[@]}" 8 --set priority=low
due 8
expect_out "low again: the standard targets" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
8,new,low,standard,2026-11-23T11:00:00Z,,2026-11-24T17:00:00Z,false,false,false
X

# 10: breach detection: at Monday 10:45, ticket 1 (first reply due
# 10:30) is breached; 9 (due 10:00) is at risk within 30m
expect_code 1 crm-ticket sla "${P[@]}" --at 2026-11-23T10:45:00Z 1 2 5 6 7 8
expect_out "sla: breached and at-risk targets; exit 1" <<'X'
id,subject,status,priority,assignee,team,sla_policy,target,due_at,state,past,left
1,one,new,normal,,,standard,first_reply,2026-11-23T10:30:00Z,breached,15m,
8,nine,new,low,,,standard,first_reply,2026-11-23T11:00:00Z,at_risk,,15m
X
expect_code 1 crm-ticket sla "${P[@]}" --at '2026-11-23 10:45' --breached --ids 1 2 5 6 7 8
expect_out "--breached --ids" <<'X'
1
X
expect_code 0 crm-ticket sla "${P[@]}" --at 2026-11-23T10:00:00Z --warn 0 1 2 5 6 7 8
expect_out "nothing breached at 10:00: exit 0" <<'X'
id,subject,status,priority,assignee,team,sla_policy,target,due_at,state,past,left
X
expect_code 0 crm-ticket sla "${P[@]}" --at 2026-11-23T10:00:00Z --warn 2h 1 2 5 6 7 8 --ids
expect_out "--warn 2h: at risk only, exit 0" <<'X'
1
8
X

# 11: escalation, idempotent at pinned times. Ticket 10 opened Monday
# 09:00: first reply due 10:00. notify the lead at once, raise after 4h.
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject ten --team support
at 2026-11-23T11:30:00Z
expect_code 1 crm-ticket sla "${P[@]}" 9 --escalate --breached --ids
err_has "1 escalation applied"
expect_code 1 crm-ticket sla "${P[@]}" 9 --escalate --breached --ids
err_has "0 escalations applied"
at 2026-11-23T15:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" 9 --escalate -q
expect_code 1 crm-ticket sla "${P[@]}" 9 --escalate
err_has "0 escalations applied"
expect_code 0 crm-activity timeline ticket 9 -f csv --fields type,owner,subject,occurred_at --sort occurred_at
expect_out "each level once, logged as an activity" <<'X'
type,owner,subject,occurred_at
escalation,maria,SLA first_reply breached: notify maria,2026-11-23T11:30:00Z
escalation,,SLA first_reply breached: priority normal -> high,2026-11-23T15:00:00Z
X
due 9
expect_out "raised to high; the breach is recorded" <<'X'
id,status,priority,sla_policy,first_reply_due,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
9,new,high,standard,2026-11-23T11:00:00Z,,2026-11-24T17:00:00Z,true,false,false
X
sql "SELECT ticket_id, level, target, action, applied_at FROM ticket_escalations ORDER BY applied_at"
cat >"$T/want" <<'X'
9|notify|first_reply|notify|2026-11-23T11:30:00Z
9|raise|first_reply|raise_priority|2026-11-23T15:00:00Z
X
compare "$T/want" "$T/sql" "ticket_escalations: one row per level"
# an urgent ticket breached for a day goes to tier2 (fewest open)
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject eleven --priority urgent --team support
at 2026-11-24T13:30:00Z
expect_code 1 crm-ticket sla "${P[@]}" 10 --escalate --dry-run -q
expect_code 0 crm-ticket list -f csv --fields id,assignee,team --where id=10
expect_out "--dry-run escalates nothing" <<'X'
id,assignee,team
10,,support
X
expect_code 1 crm-ticket sla "${P[@]}" 10 --escalate -q
expect_code 0 crm-ticket list -f csv --fields id,assignee,team --where id=10
expect_out "reassigned to tier2 after a day past the resolution target" <<'X'
id,assignee,team
10,sam,tier2
X
done_testing
