#!/bin/bash
# crm-report over contacts and activities: activities, contacts, unattended;
# --by (fields and custom fields), --period with empty periods and ISO
# weeks, --from/--to, --compare, --where, --fields, --sort, --limit; rates
# empty when their denominator is 0; the chart under a table. Every
# expected value below is worked out by hand from the fixture.
. "$(dirname "$0")/../lib.sh"

cat >"$T/c.csv" <<'X'
external_id,first_name,email,source,lifecycle_stage,campaign
c1,Ann,ann@a.example,web,customer,nov
c2,Bob,bob@b.example,web,lead,nov
c3,Cy,cy@c.example,event,evangelist,dec
c4,Di,di@d.example,,subscriber,
X
expect_code 0 crm-contact import -q "$T/c.csv"
# now is 2026-11-22T09:30:00Z (tests/lib.sh)
cat >"$T/a.ndjson" <<'X'
{"external_id":"a1","contact_external_id":"c1","type":"call","owner":"kim","occurred_at":"2026-11-02T10:00:00Z"}
{"external_id":"a2","contact_external_id":"c2","type":"email","owner":"kim","occurred_at":"2026-11-03T10:00:00Z"}
{"external_id":"a3","contact_external_id":"c2","type":"call","owner":"lou","occurred_at":"2026-10-15T10:00:00Z"}
{"external_id":"a4","contact_external_id":"c3","type":"task","owner":"lou","occurred_at":"2026-10-01T10:00:00Z","due_at":"2026-11-01T00:00:00Z"}
{"external_id":"a5","contact_external_id":"c3","type":"task","owner":"kim","occurred_at":"2026-10-01T11:00:00Z","due_at":"2026-11-20T00:00:00Z","done_at":"2026-11-21T00:00:00Z"}
{"external_id":"a6","contact_external_id":"c3","type":"task","owner":"kim","occurred_at":"2026-10-02T10:00:00Z","due_at":"2026-11-25T00:00:00Z"}
{"external_id":"a7","contact_external_id":"c4","type":"meeting","occurred_at":"2026-08-10T10:00:00Z"}
X
expect_code 0 crm-activity import -q "$T/a.ndjson"

expect_code 0 crm-report activities -f csv
expect_out "activities per owner (the default); tasks_done_rate empty with no tasks" <<'X'
owner,activities,contacts,calls,emails,meetings,tasks,tasks_done,tasks_done_rate
kim,4,3,1,1,0,2,1,50.0
lou,2,2,1,0,0,1,0,0.0
,1,1,0,0,1,0,0,
X
expect_code 0 crm-report activities -f json --by type --fields type,activities,tasks_done_rate
expect_out "--by type, JSON numbers and null, same field names" <<'X'
[
{"type":"task","activities":3,"tasks_done_rate":33.3},
{"type":"call","activities":2,"tasks_done_rate":null},
{"type":"email","activities":1,"tasks_done_rate":null},
{"type":"meeting","activities":1,"tasks_done_rate":null}
]
X
expect_code 0 crm-report activities -f csv --period month --from 2026-09-01 --to 2026-11-30
expect_out "months from --from to --to, empty September included, per owner" <<'X'
period,owner,activities,contacts,calls,emails,meetings,tasks,tasks_done,tasks_done_rate
2026-09,kim,0,0,0,0,0,0,0,
2026-10,kim,2,1,0,0,0,2,1,50.0
2026-11,kim,2,2,1,1,0,0,0,
2026-09,lou,0,0,0,0,0,0,0,
2026-10,lou,2,2,1,0,0,1,0,0.0
2026-11,lou,0,0,0,0,0,0,0,
X
expect_code 0 crm-report activities -f csv --by '' --period week --from 2026-10-26 --to 2026-11-08 --fields period,activities,calls,emails,tasks_done_rate
expect_out "ISO weeks; an empty --by is one row per period; --to as a date includes the day" <<'X'
period,activities,calls,emails,tasks_done_rate
2026-W44,0,0,0,
2026-W45,2,1,1,
X
expect_code 0 crm-report activities -f csv --by '' --period quarter --from 2026-07-01 --fields period,activities,contacts,meetings,tasks,tasks_done,tasks_done_rate
expect_out "quarters up to now" <<'X'
period,activities,contacts,meetings,tasks,tasks_done,tasks_done_rate
2026-Q3,1,1,1,0,0,
2026-Q4,6,3,0,3,1,33.3
X
expect_code 0 crm-report activities -f csv --by '' --period day --from 2026-11-01 --to 2026-11-04 --fields period,activities
expect_out "days" <<'X'
period,activities
2026-11-01,0
2026-11-02,1
2026-11-03,1
2026-11-04,0
X
expect_code 0 crm-report activities -f csv --by '' --period year --fields period,activities
expect_out "years, without --from: from the first period with data" <<'X'
period,activities
2026,7
X
expect_code 0 crm-report activities -f csv --by type --from 2026-11-01 --to 2026-11-21 --compare previous --fields type,activities,activities_prev,activities_change_pct,contacts,contacts_prev,tasks_done_rate_prev
expect_out "--compare previous: the 21 days before, matched by type" <<'X'
type,activities,activities_prev,activities_change_pct,contacts,contacts_prev,tasks_done_rate_prev
call,1,1,0.0,1,1,
email,1,0,,1,0,
X
expect_code 0 crm-report activities -f csv --by type --from 2027-10-01 --to 2027-10-31 --compare year --fields type,activities,activities_prev
expect_out "--compare year, nothing in range: no rows" <<'X'
type,activities,activities_prev
X
expect_code 0 crm-report activities -f csv --by '' --period month --from 2027-08-01 --to 2027-11-30 --compare year --fields period,activities,activities_prev,activities_change_pct
expect_out "--compare year by month: each month against the same month a year before" <<'X'
period,activities,activities_prev,activities_change_pct
2027-08,0,1,-100.0
2027-09,0,0,
2027-10,0,4,-100.0
2027-11,0,2,-100.0
X
expect_code 0 crm-report activities -f csv -w type=call -w 'occurred_at>=2026-10-20'
expect_out "--where on activity fields" <<'X'
owner,activities,contacts,calls,emails,meetings,tasks,tasks_done,tasks_done_rate
kim,1,1,1,0,0,0,0,
X
expect_code 0 crm-report activities -f csv --sort owner --limit 2 --fields owner,activities
expect_out "--sort and --limit on the result (null first)" <<'X'
owner,activities
,1
kim,4
X
expect_code 0 crm-report activities -f tsv --sort=-contacts --fields owner,contacts
expect_out "--sort descending, tsv" <<'X'
owner	contacts
kim	3
lou	2
	1
X

expect_code 0 crm-report contacts -f csv
expect_out "contacts: contacts per source and stage, customers include evangelists" <<'X'
source,contacts,subscribers,leads,mqls,sqls,opportunities,customers,customer_rate
web,2,0,1,0,0,0,1,50.0
,1,1,0,0,0,0,0,0.0
event,1,0,0,0,0,0,1,100.0
X
expect_code 0 crm-report contacts -f csv --by campaign --fields campaign,contacts,customers,customer_rate
expect_out "--by a custom field" <<'X'
campaign,contacts,customers,customer_rate
nov,2,1,50.0
,1,0,0.0
dec,1,1,100.0
X
expect_code 0 crm-report contacts -f csv --from 2026-11-23 --to 2026-12-01 --fields source,contacts,customer_rate
expect_out "nothing in range: the header alone" <<'X'
source,contacts,customer_rate
X
expect_code 0 crm-report contacts -f ndjson --by '' --fields total,contacts,customer_rate
expect_out "no grouping: one total row" <<'X'
{"total":"all","contacts":4,"customer_rate":50.0}
X
COLUMNS=40 expect_code 0 crm-report contacts -f table --fields source,contacts
expect_out "a table gets a bar chart, scaled to the widest value within COLUMNS" <<'X'
source  contacts
web            2
               1
event          1

contacts
web    ██████████████████████████████ 2
(none) ███████████████ 1
event  ███████████████ 1
X

# unattended: kim gets four more overdue tasks, 1, 2, 10 and 20 days late
cat >"$T/t.ndjson" <<'X'
{"external_id":"t1","type":"task","owner":"kim","occurred_at":"2026-11-01T00:00:00Z","due_at":"2026-11-21T09:30:00Z"}
{"external_id":"t2","type":"task","owner":"kim","occurred_at":"2026-11-01T00:00:00Z","due_at":"2026-11-20T09:30:00Z"}
{"external_id":"t3","type":"task","owner":"kim","occurred_at":"2026-11-01T00:00:00Z","due_at":"2026-11-12T09:30:00Z"}
{"external_id":"t4","type":"task","owner":"kim","occurred_at":"2026-11-01T00:00:00Z","due_at":"2026-11-02T09:30:00Z"}
X
expect_code 0 crm-activity import -q "$T/t.ndjson"
expect_code 1 crm-report unattended -f csv
expect_out "unattended: overdue open tasks per owner, exact median and p90; exit 1" <<'X'
owner,overdue_tasks,idle_leads,stale_deals,on_contacts,on_leads,on_deals,on_tickets,oldest_due_at,median_days_overdue,p90_days_overdue,max_days_overdue
kim,4,0,0,0,0,0,0,2026-11-02T09:30:00Z,6.0,20.0,20.0
lou,1,0,0,1,0,0,0,2026-11-01T00:00:00Z,21.4,21.4,21.4
X
CRM_NOW=2026-11-02T00:00:00Z expect_code 1 crm-report unattended -f csv --fields owner,overdue_tasks,median_days_overdue
expect_out "unattended follows CRM_NOW" <<'X'
owner,overdue_tasks,median_days_overdue
lou,1,1.0
X
expect_code 0 crm-report unattended -f csv -w owner=nobody
expect_out "nothing overdue: exit 0, the header alone" <<'X'
owner,overdue_tasks,idle_leads,stale_deals,on_contacts,on_leads,on_deals,on_tickets,oldest_due_at,median_days_overdue,p90_days_overdue,max_days_overdue
X
done_testing
