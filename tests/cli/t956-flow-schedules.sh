#!/bin/bash
# crm-flow schedules and business time: "every weekday at 08:00
# Asia/Shanghai" fires once per slot (the latest slot only, never
# replayed), in the zone's days; "every 6h"; a delay in business hours
# of an inline calendar crosses the weekend; updated triggers with from
# and to values; test --at on a schedule.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/flows/daily.json" <<'X'
{"name": "daily", "entity": "deal",
 "trigger": {"type": "schedule", "every": "weekday", "at": "08:00", "timezone": "Asia/Shanghai"},
 "conditions": ["status = open"],
 "actions": [{"type": "log", "activity": "note", "subject": "daily review of {{name}} ({{today}})"}]}
X
cat >"$T/flows/sixh.json" <<'X'
{"name": "sixh", "entity": "ticket",
 "trigger": {"type": "schedule", "every": "6h"},
 "actions": [{"type": "tag", "add": "seen"}]}
X
cat >"$T/flows/biz.json" <<'X'
{"name": "biz", "entity": "ticket",
 "trigger": {"type": "time", "field": "created_at", "after": "2h",
             "calendar": {"timezone": "Europe/Lisbon", "hours": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-11-30"]}},
 "actions": [{"type": "set", "fields": {"priority": "high"}}]}
X
cat >"$T/flows/moved.json" <<'X'
{"name": "moved", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "from": "proposal", "to": "negotiation"},
 "actions": [{"type": "tag", "add": "negotiating"}]}
X
CRM_NOW=2026-11-20T00:00:00Z expect_code 0 crm-pipeline add -q --name Open --stage proposal
CRM_NOW=2026-11-20T00:00:00Z expect_code 0 crm-pipeline add -q --name Won --stage closed_won
# Friday 08:00 in Shanghai is 00:00 UTC
CRM_NOW=2026-11-26T23:59:59Z expect_code 0 crm-flow run --flows "$T/flows" --flow daily -f csv --fields record,occurrence
expect_out "Thursday's slot (a first run takes the latest slot)" <<'X'
record,occurrence
1,schedule:2026-11-26T00:00:00Z
X
CRM_NOW=2026-11-27T00:00:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow daily -f csv --fields record,occurrence
expect_out "Friday 08:00 Shanghai" <<'X'
record,occurrence
1,schedule:2026-11-27T00:00:00Z
X
CRM_NOW=2026-11-28T03:00:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow daily
expect_out "Saturday: Friday's slot fired already" </dev/null
CRM_NOW=2026-11-29T23:59:59Z expect_code 1 crm-flow test daily --record 1 --flows "$T/flows" -f csv --fields step,holds,detail
expect_out "test on Sunday night UTC (Monday 07:59:59 in Shanghai)" <<'X'
step,holds,detail
trigger,yes,every weekday at 08:00 Asia/Shanghai: last slot 2026-11-27T00:00:00Z
status = open,yes,status is open
once,no,occurrence schedule:2026-11-27T00:00:00Z has fired already
fires,no,it would not fire
X
CRM_NOW=2026-11-30T00:00:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow daily -q
expect_code 0 crm-activity list -f csv --fields subject,occurred_at,deal_id
expect_out "one note per slot, none on the weekend, none for the won deal" <<'X'
subject,occurred_at,deal_id
daily review of Open (2026-11-26),2026-11-26T23:59:59Z,1
daily review of Open (2026-11-27),2026-11-27T00:00:00Z,1
daily review of Open (2026-11-30),2026-11-30T00:00:00Z,1
X

# business time: opened Friday 2026-11-27 16:00 Lisbon (UTC); 1h on
# Friday, Monday the 30th a holiday, 1h on Tuesday: due Tuesday 10:00
CRM_NOW=2026-11-27T16:00:00Z expect_code 0 crm-ticket open -q --subject Jam --priority low
CRM_NOW=2026-12-01T09:59:59Z expect_code 0 crm-flow run --flows "$T/flows" --flow biz
expect_out "not before Tuesday 10:00" </dev/null
CRM_NOW=2026-12-01T10:00:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow biz -f csv --fields record,why
expect_out "due after two business hours" <<'X'
record,why
1,2h of (inline) business time after created_at (created_at 2026-11-27T16:00:00Z): due 2026-12-01T10:00:00Z
X
# every 6h: slots at 00, 06, 12, 18 UTC
CRM_NOW=2026-12-01T11:59:59Z expect_code 0 crm-flow run --flows "$T/flows" --flow sixh -f csv --fields occurrence
expect_out "the 06:00 slot" <<'X'
occurrence
schedule:2026-12-01T06:00:00Z
X
CRM_NOW=2026-12-01T12:00:00Z expect_code 0 crm-flow run --flows "$T/flows" --flow sixh -f csv --fields occurrence
expect_out "the 12:00 slot" <<'X'
occurrence
schedule:2026-12-01T12:00:00Z
X

# updated with from/to: proposal -> negotiation only
expect_code 0 crm-pipeline add -q --name Other --stage prospecting
expect_code 0 crm-pipeline move -q negotiation 3
expect_code 0 crm-pipeline move -q negotiation 1
expect_code 0 crm-flow run --flows "$T/flows" --flow moved -f csv --fields record,why
expect_out "only the move from proposal" <<'X'
record,why
1,stage: proposal -> negotiation (change 4)
X
done_testing
