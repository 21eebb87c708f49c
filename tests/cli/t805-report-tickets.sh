#!/bin/bash
# crm-report sla and tickets over tickets opened, answered and solved by
# crm-ticket at pinned times, under a policy file in calendar time
# (urgent: first reply 1h, resolution 8h; others 4h and 2d): compliance
# (met / (met + breached); targets not yet due count in neither), median
# and p90 hours, breaches, the open backlog by status and age. Expected
# values worked out by hand.
. "$(dirname "$0")/../lib.sh"

cat >"$T/sla.json" <<'X'
{
  "policies": [
    {"name": "urgent", "when": {"priority": "urgent"},
     "targets": {"first_reply": "1h", "resolution": "8h"}},
    {"name": "standard", "targets": {"first_reply": "4h", "resolution": "2d"}}
  ]
}
X
at() { CRM_NOW=$1; export CRM_NOW; }
P=(--policies "$T/sla.json")
open_t() { expect_code 0 crm-ticket open -q "${P[@]}" "$@"; }
t() { expect_code 0 crm-ticket "$1" -q "${P[@]}" "${@:2}"; }

# T1 urgent ana: 10:00, reply 10:30 (0.5h, met), solved 16:00 (6h, met)
at 2026-11-20T10:00:00Z; open_t --subject T1 --priority urgent --assignee ana
at 2026-11-20T10:30:00Z; t reply 1 --body hi
at 2026-11-20T16:00:00Z; t solve 1
# T2 urgent ben: 12:00, reply 14:00 (2h, breached), solved next day (24h,
# breached)
at 2026-11-20T12:00:00Z; open_t --subject T2 --priority urgent --assignee ben
at 2026-11-20T14:00:00Z; t reply 2 --body hi
at 2026-11-21T12:00:00Z; t solve 2
# T3 normal ana: 11-21 08:00, reply 09:00 (1h, met), open (due 11-23)
at 2026-11-21T08:00:00Z; open_t --subject T3 --assignee ana
at 2026-11-21T09:00:00Z; t reply 3 --body hi
# T4 normal ben: 11-19, never answered: both targets breached by now
at 2026-11-19T00:00:00Z; open_t --subject T4 --assignee ben
# T5 low ana: 11-22 09:00, nothing due yet
at 2026-11-22T09:00:00Z; open_t --subject T5 --priority low --assignee ana
# T6 normal, nobody's: October, reply after 1h, solved after 24h, closed
at 2026-10-10T00:00:00Z; open_t --subject T6
at 2026-10-10T01:00:00Z; t reply 6 --body hi
at 2026-10-11T00:00:00Z; t solve 6
at 2026-10-12T00:00:00Z; t close 6
at 2026-11-22T09:30:00Z

# normal: T3 T4 T6: first reply met 2 (T3, T6), breached 1 (T4); resolved
# met 1 (T6), breached 1 (T4), T3 not due. urgent: T1 met, T2 breached;
# first reply hours 0.5 and 2 (median 1.25), resolution 6 and 24.
expect_code 0 crm-report sla -f csv
expect_out "sla per priority" <<'X'
priority,tickets,first_reply_met,first_reply_breached,first_reply_compliance,median_first_reply_hours,p90_first_reply_hours,resolution_met,resolution_breached,resolution_compliance,median_resolution_hours,p90_resolution_hours,breached_tickets
normal,3,2,1,66.7,1.0,1.0,1,1,50.0,24.0,24.0,1
urgent,2,1,1,50.0,1.3,2.0,1,1,50.0,15.0,24.0,1
low,1,0,0,,,,0,0,,,,0
X
expect_code 0 crm-report sla -f csv --by assignee --fields assignee,tickets,first_reply_compliance,resolution_compliance,breached_tickets
expect_out "sla per assignee; pending targets count in neither" <<'X'
assignee,tickets,first_reply_compliance,resolution_compliance,breached_tickets
ana,3,100.0,100.0,0
ben,2,0.0,0.0,2
,1,100.0,100.0,0
X
expect_code 0 crm-report sla -f csv --by '' --period week --from 2026-11-09 --to 2026-11-22 --fields period,tickets,first_reply_met,first_reply_breached,first_reply_compliance
expect_out "sla by ISO week, an empty week included" <<'X'
period,tickets,first_reply_met,first_reply_breached,first_reply_compliance
2026-W46,0,0,0,
2026-W47,5,2,2,50.0
X
expect_code 0 crm-report sla -f csv -w team=nobody
expect_out "sla with no tickets: the header alone" <<'X'
priority,tickets,first_reply_met,first_reply_breached,first_reply_compliance,median_first_reply_hours,p90_first_reply_hours,resolution_met,resolution_breached,resolution_compliance,median_resolution_hours,p90_resolution_hours,breached_tickets
X

# open backlog (a ticket opened with an assignee is open): T5 0.02 days
# old, T3 1.06, T4 3.40
expect_code 0 crm-report tickets -f csv
expect_out "tickets: the open backlog by status and age" <<'X'
status,tickets,under_1d,d1_to_7,d7_to_30,over_30d,median_age_days,p90_age_days,oldest_created_at
open,3,1,2,0,0,1.1,3.4,2026-11-19T00:00:00Z
X
expect_code 0 crm-report tickets -f csv --by priority
expect_out "tickets by priority: T3 and T4 normal (median 2.23 days), T5 low" <<'X'
priority,tickets,under_1d,d1_to_7,d7_to_30,over_30d,median_age_days,p90_age_days,oldest_created_at
normal,2,0,2,0,0,2.2,3.4,2026-11-19T00:00:00Z
low,1,1,0,0,0,0.0,0.0,2026-11-22T09:00:00Z
X
CRM_NOW=2026-12-22T09:30:00Z expect_code 0 crm-report tickets -f csv --by '' --fields tickets,d7_to_30,over_30d
expect_out "a month later: ages move to the older buckets" <<'X'
tickets,d7_to_30,over_30d
3,0,3
X
done_testing
