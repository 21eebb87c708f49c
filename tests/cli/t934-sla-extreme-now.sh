#!/bin/bash
# CRM_NOW at the ends of the range crm accepts (0001-01-01 to 9999-12-31)
# and just before 1970 gives SLA due times, in business and in calendar
# time (the default policies: first reply 8 business hours in Lisbon,
# resolution 5 calendar days).
. "$(dirname "$0")/../lib.sh"

open_at() { # NOW: open a ticket at NOW, its due times in $T/out
	CRM_NOW=$1 expect_code 0 crm-ticket open --subject "at $1" -f csv --fields id,created_at,first_reply_due,resolution_due
}
open_at 0001-01-01T00:00:00Z
# Monday; Lisbon's local mean time is UTC-00:36:45: 09:00-17:00 LMT
expect_out "the year 1" <<'X'
id,created_at,first_reply_due,resolution_due
1,0001-01-01T00:00:00Z,0001-01-01T17:36:45Z,0001-01-06T00:00:00Z
X
open_at 1969-12-31T00:00:00Z
# Lisbon was on UTC+1 all year then
expect_out "just before 1970: calendar time too" <<'X'
id,created_at,first_reply_due,resolution_due
2,1969-12-31T00:00:00Z,1969-12-31T16:00:00Z,1970-01-05T00:00:00Z
X
open_at 9999-12-24T00:00:00Z
expect_out "the last week of the year 9999" <<'X'
id,created_at,first_reply_due,resolution_due
3,9999-12-24T00:00:00Z,9999-12-24T17:00:00Z,9999-12-29T00:00:00Z
X
CRM_NOW=0001-01-02T00:00:00Z expect_code 1 crm-ticket sla -f csv
out_has ",first_reply,0001-01-01T17:36:45Z,breached,6h23m15s,"
done_testing
