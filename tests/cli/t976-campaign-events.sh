#!/bin/bash
# crm-campaign events: an email provider's events (CSV, NDJSON, a JSON
# array, a saved webhook payload) matched by token or Message-ID update
# member statuses with history, log activities, mark a hard-bounced email
# invalid and set do_not_email on an unsubscribe or complaint; the same
# events twice change nothing; bad input is exit 65 naming file, line and
# field with nothing written. A reply (In-Reply-To a campaign message)
# marks the member replied and still opens a ticket. enroll = members add.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-10T12:00:00Z CRM_MAIL_FROM='Support <support@acme.example>'
expect_code 0 crm-campaign add -q --set name=Spring --set type=email
cat >"$T/c.csv" <<'X'
first_name,email
Ann,ann@example.com
Bob,bob@example.com
Cy,cy@example.com
Dee,dee@example.com
X
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-campaign enroll -q Spring 1 2 3 4 --status sent
expect_code 0 crm-campaign members list Spring -f csv --fields record_id,token
tail -n +2 "$T/out" >"$T/tok"
tok() { sed -n "s/^$1,//p" "$T/tok"; }
A=$(tok 1) B=$(tok 2) C=$(tok 3) D=$(tok 4)
check "four 32-digit tokens" test "$(grep -cE ',[0-9a-f]{32}$' "$T/tok")" = 4

cat >"$T/ev.csv" <<X
event,token,message_id,timestamp,bounce_type,url
delivered,$A,,2026-06-10T08:00:00Z,,
open,$A,,2026-06-10T09:00:00Z,,
click,,<$A.17@acme.example>,2026-06-10T09:05:00Z,,https://acme.example/spring
open,$A,,2026-06-10T09:30:00Z,,
bounce,,<$B.18@acme.example>,1781082000,hard,
bounce,$C,,2026-06-10T08:10:00Z,soft,
delivered,ffffffffffffffffffffffffffffffff,,2026-06-10T08:00:00Z,,
X
printf '{"event":"unsubscribed","token":"%s","time":"2026-06-10T10:00:00Z","id":"ev-9"}\n' "$C" >"$T/ev.ndjson"
cat >"$T/hook.json" <<X
{
  "event": "spamreport",
  "sg_event_id": "sg-1",
  "smtp-id": "<$D.19@acme.example>",
  "timestamp": 1781085600
}
X
expect_code 0 crm-campaign events "$T/ev.csv" "$T/ev.ndjson" "$T/hook.json"
err_has "events: 8 applied, 0 already applied, 1 matched no member"
expect_code 0 crm-campaign members list Spring -f csv --fields record_id,status,status_at
expect_out "statuses: clicked (a later open does not lower it), bounced, unsubscribed twice" <<'X'
record_id,status,status_at
1,clicked,2026-06-10T09:05:00Z
2,bounced,2026-06-10T09:00:00Z
3,unsubscribed,2026-06-10T10:00:00Z
4,unsubscribed,2026-06-10T10:00:00Z
X
expect_code 0 crm-campaign members history Spring -f csv --fields record_id,status,at
expect_out "history: each change timestamped with the event's time" <<'X'
record_id,status,at
1,sent,2026-06-10T12:00:00Z
1,delivered,2026-06-10T08:00:00Z
1,opened,2026-06-10T09:00:00Z
1,clicked,2026-06-10T09:05:00Z
2,sent,2026-06-10T12:00:00Z
2,bounced,2026-06-10T09:00:00Z
3,sent,2026-06-10T12:00:00Z
3,unsubscribed,2026-06-10T10:00:00Z
4,sent,2026-06-10T12:00:00Z
4,unsubscribed,2026-06-10T10:00:00Z
X
expect_code 0 crm-activity list -f csv --fields contact_id,type,occurred_at,body --sort contact_id,occurred_at
expect_out "an activity per event (the soft bounce too), on the contact" <<'X'
contact_id,type,occurred_at,body
1,email_delivered,2026-06-10T08:00:00Z,
1,email_opened,2026-06-10T09:00:00Z,
1,email_clicked,2026-06-10T09:05:00Z,https://acme.example/spring
1,email_opened,2026-06-10T09:30:00Z,
2,email_bounced,2026-06-10T09:00:00Z,
3,email_soft_bounced,2026-06-10T08:10:00Z,
3,email_unsubscribed,2026-06-10T10:00:00Z,
4,email_complained,2026-06-10T10:00:00Z,
X
expect_code 0 crm-contact list -f csv --fields id,do_not_email,email_invalid
expect_out "hard bounce: email invalid; unsubscribe and complaint: do_not_email" <<'X'
id,do_not_email,email_invalid
1,,
2,,true
3,true,
4,true,
X

# the same events again: nothing changes
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-campaign events "$T/hook.json" "$T/ev.ndjson" "$T/ev.csv"
err_has "events: 0 applied, 8 already applied, 1 matched no member"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "importing the same events twice changes nothing"

# bad input: exit 65 naming file, line and field; nothing written
printf 'event,token,time\ndelivered,%s,2026-06-11T08:00:00Z\nbounce,%s,2026-06-11T08:00:00Z\n' "$D" "$D" >"$T/ok-then-bad.csv"
printf 'event,token,time,bounce\ndelivered,%s,2026-06-11T08:00:00Z,\nbounce,%s,2026-06-11T08:00:00Z,sideways\n' "$D" "$D" >"$T/bad-bounce.csv"
printf 'event,token,time\nopened,%s,2026-06-11T08:00:00Z\nviewed,%s,2026-06-11T08:00:00Z\n' "$D" "$D" >"$T/bad-event.csv"
printf 'event,token,time\nopened,%s,yesterday\n' "$D" >"$T/bad-time.csv"
printf 'event,token,time\nopened,,2026-06-11T08:00:00Z\n' >"$T/no-id.csv"
expect_code 65 crm-campaign events "$T/bad-event.csv"
err_has "crm-campaign:$T/bad-event.csv:3: event: unknown event 'viewed'"
expect_code 65 crm-campaign events "$T/bad-bounce.csv"
err_has "bad-bounce.csv:3: bounce: unknown bounce type (hard or soft) 'sideways'"
expect_code 65 crm-campaign events "$T/bad-time.csv"
err_has "bad-time.csv:2: time:"
expect_code 65 crm-campaign events "$T/no-id.csv"
err_has "no-id.csv:2: token: needs a token or a message_id"
db_dump "$CRM_DB" "$T/after2"
compare "$T/before" "$T/after2" "bad input wrote nothing (not even its good first rows)"

# a reply to Ann's campaign message: member replied, and a ticket
cat >"$T/reply.eml" <<X
From: Ann <ann@example.com>
To: Support <support@acme.example>
Subject: Re: Spring offer
Message-ID: <r1@example.com>
In-Reply-To: <$A.17@acme.example>
Date: Wed, 10 Jun 2026 11:00:00 +0000

Yes please, call me.
X
expect_code_in 0 "$T/reply.eml" crm-ticket mail -f csv
expect_out "the reply still opens a ticket for Ann" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,opened,,0,0
X
err_has "a reply to a campaign message: its member is marked replied"
expect_code 0 crm-campaign members list Spring -f csv --fields record_id,status --status replied
expect_out "Ann replied" <<'X'
record_id,status
1,replied
X
# a reply to an unrelated message: no member changes
sed -e "s/$A.17@acme.example/abc.1@elsewhere.example/" -e 's/r1@/r2@/' "$T/reply.eml" >"$T/other.eml"
expect_code_in 0 "$T/other.eml" crm-ticket mail -q -f csv
expect_code 0 crm-campaign members history Spring -f csv --fields record_id,status
check "one replied row in the history" test "$(grep -c ',replied$' "$T/out")" = 1
expect_code 64 crm-campaign enroll
done_testing
