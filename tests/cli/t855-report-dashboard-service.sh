#!/bin/bash
# crm-report dashboard, service: the first-reply time of tickets opened in
# the window as a histogram (zero-based bars in hour bins, the replytime
# report's counts) with its median and p90; open tickets compared with
# the backlog at the window's start (the tickets report as of --to), from
# the status history, else the solve time. Every figure by hand.
. "$(dirname "$0")/../lib.sh"

# window: 2026-11-01 to now (11-22 09:30); compared as of 2026-11-01
# first replies of tickets opened in the window: 0.5, 2, 4, 20, 48 and 96
# hours: one in each bin; H0 was opened before the window
{
	echo "external_id,subject,status,created_at,first_response_at,solved_at"
	echo "H0,before,solved,2026-10-30T10:00:00Z,2026-10-30T11:00:00Z,2026-10-30T12:00:00Z"
	echo "H1,half an hour,solved,2026-11-02T10:00:00Z,2026-11-02T10:30:00Z,2026-11-02T11:00:00Z"
	echo "H2,two hours,solved,2026-11-03T10:00:00Z,2026-11-03T12:00:00Z,2026-11-03T13:00:00Z"
	echo "H3,four hours,solved,2026-11-04T10:00:00Z,2026-11-04T14:00:00Z,2026-11-04T15:00:00Z"
	echo "H4,twenty hours,solved,2026-11-05T00:00:00Z,2026-11-05T20:00:00Z,2026-11-05T21:00:00Z"
	echo "H5,two days,solved,2026-11-06T00:00:00Z,2026-11-08T00:00:00Z,2026-11-08T01:00:00Z"
	echo "H6,four days,solved,2026-11-07T00:00:00Z,2026-11-11T00:00:00Z,2026-11-11T01:00:00Z"
	# the backlog, imported (with its history: open, then solved)
	echo "T1,solved in October,solved,2026-10-20T00:00:00Z,,2026-10-25T00:00:00Z"
	echo "T2,solved in November,solved,2026-10-25T00:00:00Z,,2026-11-05T00:00:00Z"
	echo "T3,open since October,open,2026-10-28T00:00:00Z,,"
	echo "T4,open since November,open,2026-11-03T00:00:00Z,,"
} >"$T/tickets.csv"
expect_code 0 crm-ticket import -q "$T/tickets.csv"
# the backlog through the verbs (history): T5 opened in October, solved
# on 11-10 and reopened on 11-15; T6 opened and solved in November
CRM_NOW=2026-10-30T10:00:00Z expect_code 0 crm-ticket open -q --subject T5
CRM_NOW=2026-11-02T10:00:00Z expect_code 0 crm-ticket open -q --subject T6
CRM_NOW=2026-11-04T10:00:00Z expect_code 0 crm-ticket solve -q 13
CRM_NOW=2026-11-10T10:00:00Z expect_code 0 crm-ticket solve -q 12
CRM_NOW=2026-11-15T10:00:00Z expect_code 0 crm-ticket reopen -q 12

# T2 as data kept before the status history: solved after 11-01, so
# open then
sql "DELETE FROM ticket_status_history WHERE ticket_id = 9"

# the report behind the histogram
expect_code 0 crm-report replytime --from 2026-11-01 -f csv
# median of six: (4 + 20) / 2 = 12; p90: the 6th of 6 (ceil 5.4) = 96
expect_out "one ticket in each bin" <<'X'
total,replied,under_1h,h1_to_4,h4_to_8,h8_to_24,d1_to_3,over_3d,median_first_reply_hours,p90_first_reply_hours
all,6,1,1,1,1,1,1,12.0,96.0
X

# open at 11-01 00:00: T2 (solved 11-05), T3, T5 = 3; now: T3, T4, T5 =
# 3, and T7 opened on 11-20: 4, +33.3%
CRM_NOW=2026-11-20T08:00:00Z expect_code 0 crm-ticket open -q --subject T7
expect_code 0 crm-report tickets --by '' --to 2026-10-31 -f csv --fields tickets
expect_out "the backlog at the end of October" <<'X'
tickets
3
X
expect_code 0 crm-report dashboard -f csv
grep '^support,open_tickets,' "$T/out" >"$T/got"
echo 'support,open_tickets,Open tickets,4,count,3,33.3,as of 2026-11-01' >"$T/want"
compare "$T/want" "$T/got" "open tickets: 4 now against 3 as of 11-01"

expect_code 0 crm-report dashboard -f html
cp "$T/out" "$T/dash.html"
out_has '<div class="tile" data-figure="open_tickets" data-value="4" data-prev="3">'
out_has '+33.3%</span> vs 3 as of 2026-11-01'
# the histogram: six bins labelled with their units, one ticket each,
# bars from zero (the axis at x = 220, each bar's width the same)
python3 - "$T/dash.html" >"$T/got" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
i = s.index('Tickets by time to the first reply')
f = s[i:s.index('</figure>', i)]
for label, x, w in re.findall(r'<text class="label"[^>]*>([^<]*)</text><rect class="bar" x="(\d+)" y="\d+" width="([0-9.]+)"', f):
    print(label, x, w)
PY
cat >"$T/want" <<'X'
under 1 hour 220 460.0
1 to 4 hours 220 460.0
4 to 8 hours 220 460.0
8 to 24 hours 220 460.0
1 to 3 days 220 460.0
3 days or more 220 460.0
X
compare "$T/want" "$T/got" "a bar per bin, zero-based, labelled with units"
out_has 'Tickets by time to the first reply <span class="unit">(tickets)</span>'
out_has '<p class="stat" data-replied="6" data-median="12.0" data-p90="96.0">Median 12.0 hours, 90th percentile 96.0 hours, over 6 answered tickets.</p>'
done_testing
