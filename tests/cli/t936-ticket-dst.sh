#!/bin/bash
# Opening hours read off the wall clock across daylight-saving changes
# (crm-ticket(1)): Lisbon sets 01:00 forward to 02:00 on Sunday 29 March
# 2026 (01:00Z) and 02:00 back to 01:00 on Sunday 25 October (01:00Z).
# Sunday hours 01:30-03:00 and a night shift 00:00-04:00, first reply
# within 30 and 60 business minutes.
. "$(dirname "$0")/../lib.sh"

cat >"$T/sla.json" <<'X'
{"calendars": {
   "dst": {"timezone": "Europe/Lisbon", "hours": {"sun": "01:30-03:00"}},
   "night": {"timezone": "Europe/Lisbon", "hours": {"mon-sun": "00:00-04:00"}}},
 "policies": [
   {"name": "dst", "when": {"priority": "low"}, "calendar": "dst",
    "targets": {"first_reply": "30m", "resolution": "1h"}},
   {"name": "night", "calendar": "night",
    "targets": {"first_reply": "3h", "resolution": "5h"}}]}
X
open_at() { # NOW PRIORITY
	CRM_NOW=$1 expect_code 0 crm-ticket open --policies "$T/sla.json" --priority "$2" --subject "$1" -f csv --fields id,sla_policy,first_reply_due,resolution_due
}
# the gap: 01:30 does not exist; the hours count from the change (02:00
# local, 01:00Z): 30 minutes is 01:30Z, an hour 02:00Z (03:00 local)
open_at 2026-03-28T12:00:00Z low
expect_out "a gap: opening counts from the change" <<'X'
id,sla_policy,first_reply_due,resolution_due
1,dst,2026-03-29T01:30:00Z,2026-03-29T02:00:00Z
X
# the overlap: 01:30-02:00 WEST (00:30-01:00Z) is open, then the clock
# reads 01:00-01:30 again (closed), then 01:30-03:00 WET (01:30-03:00Z)
open_at 2026-10-24T12:00:00Z low
expect_out "an overlap: the wall clock decides" <<'X'
id,sla_policy,first_reply_due,resolution_due
2,dst,2026-10-25T01:00:00Z,2026-10-25T02:00:00Z
X
# the night shift on the change days: 00:00-04:00 local is 3 hours in
# March (00:00Z-03:00Z: the clock never shows 01:00-02:00) and 5 in
# October (23:00Z-04:00Z: it shows 01:00-02:00 twice), as many as the
# minutes a wall clock shows inside the hours (tests/unit/t_bizcal.c
# counts them minute by minute in several zones)
open_at 2026-03-28T22:00:00Z normal
expect_out "night shift, spring: 3 hours end at 04:00 local" <<'X'
id,sla_policy,first_reply_due,resolution_due
3,night,2026-03-29T03:00:00Z,2026-03-30T01:00:00Z
X
open_at 2026-10-24T22:00:00Z normal
expect_out "night shift, autumn: 5 hours end at 04:00 local" <<'X'
id,sla_policy,first_reply_due,resolution_due
4,night,2026-10-25T02:00:00Z,2026-10-25T04:00:00Z
X
done_testing
