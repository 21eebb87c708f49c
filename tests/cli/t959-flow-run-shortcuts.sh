#!/bin/bash
# crm-flow run's shortcuts (#25) give what the long way gave: the audit
# batch's filter (crm_may_name on SQLite) still lets through an image
# whose trigger field is written with an escape; a task or log on the
# flow's own record keeps its last_activity_at as the touch does (no
# statement only when the value there, in the form the touch writes, is
# at or past the activity's).
. "$(dirname "$0")/../lib.sh"
mkdir "$T/up" "$T/new"
cat >"$T/up/neg.json" <<'X'
{"name": "neg", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "neg"}]}
X
expect_code 0 crm-pipeline add -q --name one --owner kim
expect_code 0 crm-pipeline add -q --name two --owner kim
expect_code 0 crm-flow run -q --flows "$T/up"
expect_code 0 crm-pipeline update -q 1 --set stage=negotiation
# an image crm does not write, its key escaped: the filter must not drop it
check "an audit row with an escaped key" sql "INSERT INTO crm_audit
  (change_id, entity, record_id, action, before, after) SELECT max(id),
  'deal', 2, 'update', '{\"stage\":\"prospecting\"}',
  '{\"st\\u0061ge\":\"negotiation\"}' FROM crm_changes"
expect_code 0 crm-flow run --flows "$T/up" -f csv --fields flow,record,status,did
expect_out "both fire, the escaped key too" <<'X'
flow,record,status,did
neg,1,done,tags +neg
neg,2,done,tags +neg
X

cat >"$T/new/a-log.json" <<'X'
{"name": "a-log", "entity": "deal", "trigger": {"type": "created"},
 "conditions": ["name ~ log"],
 "actions": [{"type": "log", "activity": "call", "subject": "call {{name}}",
              "at": "2026-11-15T00:00:00Z"}]}
X
cat >"$T/new/b-task.json" <<'X'
{"name": "b-task", "entity": "deal", "trigger": {"type": "created"},
 "actions": [{"type": "task", "subject": "follow {{name}}", "due": "1d"}]}
X
expect_code 0 crm-pipeline add -q --name 'log later' --owner kim
expect_code 0 crm-pipeline add -q --name 'log earlier' --owner kim
expect_code 0 crm-pipeline add -q --name 'no activity' --owner kim
expect_code 0 crm-pipeline add -q --name 'odd form' --owner kim
expect_code 0 crm-activity log -q --type email --deal 3 --at 2026-11-10T00:00:00Z
expect_code 0 crm-activity log -q --type email --deal 4 --at 2026-11-20T00:00:00Z
expect_code 0 crm-activity log -q --type email --deal 6 --at 2026-11-20T00:00:00Z
# a value the touch would not write: it is brought to the touch's form
check "last_activity_at in another form" sql "UPDATE deals SET
  last_activity_at = '2026-11-20 00:00' WHERE id = 6"
expect_code 0 crm-flow run --flows "$T/new" -f csv --fields flow,record,status
expect_out "every deal fires once (a first created run starts at 0)" <<'X'
flow,record,status
b-task,1,done
b-task,2,done
a-log,3,done
b-task,3,done
a-log,4,done
b-task,4,done
b-task,5,done
b-task,6,done
X
check "last_activity_at read" sql "SELECT id || ' ' || last_activity_at
  FROM deals WHERE id >= 3 ORDER BY id"
cat >"$T/want" <<'X'
3 2026-11-15T00:00:00Z
4 2026-11-20T00:00:00Z
5 2026-11-22T09:30:00Z
6 2026-11-20T00:00:00Z
X
compare "$T/want" "$T/sql" "last_activity_at: a later log moves it, an earlier not, a task on none sets it, the odd form is brought to the touch's"
expect_code 0 crm-activity list -f csv --fields deal_id,type,occurred_at --where 'deal_id>=3' --sort deal_id,occurred_at
expect_out "the tasks dated at the deal's last activity (else its creation)" <<'X'
deal_id,type,occurred_at
3,email,2026-11-10T00:00:00Z
3,call,2026-11-15T00:00:00Z
3,task,2026-11-15T00:00:00Z
4,call,2026-11-15T00:00:00Z
4,email,2026-11-20T00:00:00Z
4,task,2026-11-20T00:00:00Z
5,task,2026-11-22T09:30:00Z
6,email,2026-11-20T00:00:00Z
6,task,2026-11-20T00:00:00Z
X
done_testing
