#!/bin/bash
# crm-pipeline stale with CRM_NOW: stage limits, --idle, exit 1 when any,
# and --create-tasks creating one task per deal and quiet spell however
# often it runs.
. "$(dirname "$0")/../lib.sh"
# now is 2026-11-22T09:30:00Z
printf 'external_id,first_name,email,company\nc1,Ann,ann@acme.example,Acme\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
# S1 in proposal (max 2 days) for 3 days; S2 there for 1 day; S3 in
# prospecting (max 30) for 21 days; S4 for 52 days but with a call 2 days
# ago; S5 won long ago; S6 in negotiation (max 7) for 12 days.
cat >"$T/d.csv" <<'X'
external_id,name,stage,owner,contact,created_at
S1,Acme quote,proposal,kim,c1,2026-11-19T09:30:00Z
S2,Fresh quote,proposal,kim,,2026-11-21T09:30:00Z
S3,Slow lead,prospecting,lou,,2026-11-01T09:30:00Z
S4,Busy lead,prospecting,lou,,2026-10-01T09:30:00Z
S5,Old win,closed_won,lou,,2026-01-01T00:00:00Z
S6,Stuck deal,negotiation,,,2026-11-10T09:30:00Z
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-activity log -q --type call --deal 4 --at 2026-11-20T09:30:00Z

expect_code 1 crm-pipeline stale -f csv
expect_out "past their stage's max_days; exit 1" <<'X'
id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id
1,Acme quote,default,proposal,kim,2026-11-19T09:30:00Z,3.0,2,stage,
6,Stuck deal,default,negotiation,,2026-11-10T09:30:00Z,12.0,7,stage,
X
expect_code 1 crm-pipeline stale --idle 5 -f csv
expect_out "--idle: the tighter limit counts" <<'X'
id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id
1,Acme quote,default,proposal,kim,2026-11-19T09:30:00Z,3.0,2,stage,
3,Slow lead,default,prospecting,lou,2026-11-01T09:30:00Z,21.0,5,idle,
6,Stuck deal,default,negotiation,,2026-11-10T09:30:00Z,12.0,5,idle,
X
expect_code 1 crm-pipeline stale --idle 36h --ids
expect_out "--idle takes a duration (S4's call was 2 days ago)" <<'X'
1
3
4
6
X
expect_code 0 crm-pipeline stale -w owner=nobody -f csv
expect_out "nothing stale: exit 0" <<<'id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id'
CRM_NOW=2026-11-21T09:30:00Z expect_code 1 crm-pipeline stale --ids
expect_out "exactly at the limit is not past it" <<<'6'

db_dump "$CRM_DB" "$T/before"
expect_code 1 crm-pipeline stale --create-tasks --dry-run --ids
err_has "dry run: 2 stale, 2 follow-up tasks created"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "--dry-run creates nothing"

expect_code 64 crm-pipeline stale --create-tasks -f csv --fields x
expect_code 1 crm-pipeline stale --create-tasks -f csv
expect_out "one task per stale deal" <<'X'
id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id
1,Acme quote,default,proposal,kim,2026-11-19T09:30:00Z,3.0,2,stage,2
6,Stuck deal,default,negotiation,,2026-11-10T09:30:00Z,12.0,7,stage,3
X
err_has "2 stale, 2 follow-up tasks created"
expect_code 0 crm-activity show 2 -f csv --fields id,type,subject,owner,occurred_at,due_at,deal_id,contact_id,company_id,external_id
expect_out "the task: for the owner, due in a day, dated from the quiet spell" <<'X'
id,type,subject,owner,occurred_at,due_at,deal_id,contact_id,company_id,external_id
2,task,Follow up: Acme quote,kim,2026-11-19T09:30:00Z,2026-11-23T09:30:00Z,1,1,1,stale:1:2026-11-19T09:30:00Z
X
CRM_NOW=2026-11-22T10:30:00Z expect_code 1 crm-pipeline stale --create-tasks --ids
err_has "2 stale, 0 follow-up tasks created"
CRM_NOW=2026-11-22T11:30:00Z expect_code 1 crm-pipeline stale --create-tasks --ids
err_has "2 stale, 0 follow-up tasks created"
sql "SELECT count(*) FROM activities WHERE type = 'task'"
echo 2 >"$T/want"
compare "$T/want" "$T/sql" "hourly runs create no second task"

# a reply ends S1's quiet spell; three days later it is stale again: a new
# task for it (and one for S2, now 4 days in proposal), none more for S6
expect_code 0 crm-activity log -q --type email --direction in --deal 1 --at 2026-11-22T10:00:00Z
CRM_NOW=2026-11-25T11:00:00Z expect_code 1 crm-pipeline stale --create-tasks --ids
err_has "3 stale, 2 follow-up tasks created"
CRM_NOW=2026-11-25T11:00:00Z expect_code 1 crm-pipeline stale -f csv
expect_out "a new quiet spell, a new task" <<'X'
id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id
1,Acme quote,default,proposal,kim,2026-11-22T10:00:00Z,3.0,2,stage,
2,Fresh quote,default,proposal,kim,2026-11-21T09:30:00Z,4.0,2,stage,
6,Stuck deal,default,negotiation,,2026-11-10T09:30:00Z,15.0,7,stage,
X
sql "SELECT id, deal_id, external_id FROM activities WHERE type = 'task' ORDER BY id"
cat >"$T/want" <<'X'
2|1|stale:1:2026-11-19T09:30:00Z
3|6|stale:6:2026-11-10T09:30:00Z
5|1|stale:1:2026-11-22T10:00:00Z
6|2|stale:2:2026-11-21T09:30:00Z
X
compare "$T/want" "$T/sql" "tasks named by deal and quiet spell"
CRM_NOW=2026-11-25T11:00:00Z expect_code 1 crm-activity due --ids
expect_out "the follow-ups show up as due tasks" <<'X'
3
2
X
expect_code 0 crm-pipeline move -q qualification 1
expect_code 0 crm-pipeline lost -q 6 --reason silence
expect_code 0 crm-pipeline stale
expect_code 64 crm-pipeline stale --idle soon
expect_code 64 crm-pipeline stale --idle 0
expect_code 64 crm-pipeline stale 1
done_testing
