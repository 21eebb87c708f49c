#!/bin/bash
# crm-activity import keeps last_activity_at of leads, deals and tickets
# current too (done once, set-based, at the end of the import).
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-lead add --first-name Lea --email lea@x.io --ids
expect_code 0 crm-pipeline add --name 'Big one' --amount 10 --currency EUR --ids
expect_code 0 crm-ticket open --subject 'It broke' --ids
cat >"$T/ev.ndjson" <<'X'
{"lead_id":1,"type":"call","occurred_at":"2026-11-10T10:00:00Z"}
{"lead_id":1,"type":"email","occurred_at":"2026-11-12T10:00:00Z"}
{"lead_id":1,"type":"note","occurred_at":"2026-11-11T10:00:00Z"}
{"deal_id":1,"type":"meeting","occurred_at":"2026-11-05T09:00:00Z"}
{"ticket_id":1,"type":"call","occurred_at":"2026-11-20T16:00:00Z"}
X
expect_code 0 crm-activity import "$T/ev.ndjson"
err_has "5 inserted"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "the lead: its latest activity" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
expect_code 0 crm-pipeline show 1 -f csv --fields last_activity_at
expect_out "the deal" <<'X'
last_activity_at
2026-11-05T09:00:00Z
X
expect_code 0 crm-ticket list -f csv --fields id,last_activity_at
expect_out "the ticket" <<'X'
id,last_activity_at
1,2026-11-20T16:00:00Z
X
# an older activity imported later never moves it back
printf '{"lead_id":1,"type":"call","occurred_at":"2026-01-01T00:00:00Z"}\n' >"$T/old.ndjson"
expect_code 0 crm-activity import "$T/old.ndjson"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "an older activity leaves last_activity_at alone" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
# a failed import leaves it alone too
printf '{"lead_id":1,"type":"call","occurred_at":"2026-12-01T00:00:00Z"}\n{"lead_id":99,"type":"call"}\n' >"$T/bad.ndjson"
expect_code 65 crm-activity import "$T/bad.ndjson"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "a failed import changed nothing" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
done_testing
