#!/bin/bash
# crm-campaign run: the campaign send queue. Quiet hours in each
# recipient's time zone postpone a message to the window's end (never
# drop it); the campaign's send rate defers the excess to later runs;
# consent is checked again when sending (do_not_email set after
# queueing suppresses it); --dry-run --maildir/--mbox writes the messages
# instead of sending (read back with Python's mailbox module) and changes
# nothing; a failing sendmail is exit 75 with the message still queued.
. "$(dirname "$0")/../lib.sh"
export CRM_MAIL_FROM='Acme <news@acme.example>'
mkdir -p "$T/mail" "$T/flows"
cat >"$T/sendmail" <<X
#!/bin/sh
n=\$(ls "$T/mail" | wc -l)
cat >"$T/mail/\$((n + 1)).eml"
X
chmod +x "$T/sendmail"
export CRM_SENDMAIL="$T/sendmail"
cat >"$T/flows/news.json" <<'X'
{"name": "news", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "news"},
 "actions": [{"type": "campaign_email", "campaign": "News",
   "subject": "News for {{first_name}}",
   "text": "From the team:\nhello {{first_name|there}}.",
   "html": "<p>Hello {{first_name|there}}.</p>"}]}
X
export CRM_NOW=2026-06-01T20:30:00Z
cat >"$T/camp.csv" <<'X'
name,type,quiet_hours,send_rate
News,email,21:00-08:00,2/hour
X
expect_code 0 crm-campaign import -q "$T/camp.csv"
# at 20:30Z: Ann 04:30 in Shanghai, Bob 21:30 in Lisbon (quiet), Cy 20:30
# UTC, Dee 16:30 in New York, Eve 20:30 UTC, Fay
cat >"$T/c.csv" <<'X'
first_name,email,timezone
Ann,ann@example.com,Asia/Shanghai
Bob,bob@example.com,Europe/Lisbon
Cy,cy@example.com,
Dee,dee@example.com,America/New_York
Eve,eve@example.com,UTC
Fay,fay@example.com,
X
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-contact tag -q add news 1 2 3 4 5 6
expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-contact update -q 6 --set do_not_email=true

# dry run into a maildir: nothing changes
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-campaign run --dry-run --maildir "$T/md" -f csv --fields id,to,status,detail
expect_out "dry run: what would happen" <<'X'
id,to,status,detail
1,ann@example.com,postponed,2026-06-02T00:00:00Z
2,bob@example.com,postponed,2026-06-02T07:00:00Z
3,cy@example.com,would send,
4,dee@example.com,would send,
5,eve@example.com,deferred,send rate
6,fay@example.com,suppressed,do_not_email
X
err_has "dry run: 2 sent, 2 postponed (quiet hours), 1 deferred (send rate), 1 suppressed"
expect_code 0 crm-campaign run --dry-run --mbox "$T/out.mbox" -q
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a dry run writes nothing to the database"
check "nothing reached sendmail" test -z "$(ls "$T/mail")"
python3 - "$T/md" "$T/out.mbox" >"$T/py" 2>&1 <<'PY'
import mailbox, sys, email.policy
for box in (mailbox.Maildir(sys.argv[1], create=False), mailbox.mbox(sys.argv[2])):
    print(type(box).__name__, len(box))
    for key in sorted(box.keys(), key=lambda k: box[k]['To']):
        raw = box.get_bytes(key)
        m = email.message_from_bytes(raw, policy=email.policy.default)
        print(' ', m['To'], '|', m['Subject'], '|', m.get_content_type(),
              repr(m.get_body(('plain',)).get_content()),
              m['List-Unsubscribe-Post'])
PY
cat >"$T/want" <<'X'
Maildir 2
  Cy <cy@example.com> | News for Cy | multipart/alternative 'From the team:\nhello Cy.' List-Unsubscribe=One-Click
  Dee <dee@example.com> | News for Dee | multipart/alternative 'From the team:\nhello Dee.' List-Unsubscribe=One-Click
mbox 2
  Cy <cy@example.com> | News for Cy | multipart/alternative '>From the team:\nhello Cy.' List-Unsubscribe=One-Click
  Dee <dee@example.com> | News for Dee | multipart/alternative '>From the team:\nhello Dee.' List-Unsubscribe=One-Click
X
# the mbox is written mboxrd (a body line "From " quoted as ">From ");
# Python's mbox reads mboxo and keeps the quote
compare "$T/want" "$T/py" "Python's mailbox module reads the maildir and the mbox"

expect_code 0 crm-campaign run -f csv --fields id,to,status,detail
expect_out "20:30: two sent, the rate holds Eve back" <<'X'
id,to,status,detail
1,ann@example.com,postponed,2026-06-02T00:00:00Z
2,bob@example.com,postponed,2026-06-02T07:00:00Z
3,cy@example.com,sent,
4,dee@example.com,sent,
5,eve@example.com,deferred,send rate
6,fay@example.com,suppressed,do_not_email
X
CRM_NOW=2026-06-01T20:59:00Z expect_code 0 crm-campaign run -f csv --fields id,status,detail
expect_out "20:59: still two sent in the last hour" <<'X'
id,status,detail
5,deferred,send rate
X
CRM_NOW=2026-06-01T21:31:00Z expect_code 0 crm-campaign run -f csv --fields id,status,detail
expect_out "21:31: the rate allows Eve, but it is night in UTC now" <<'X'
id,status,detail
5,postponed,2026-06-02T08:00:00Z
X
CRM_NOW=2026-06-01T23:59:00Z expect_code 0 crm-campaign run -f csv --fields id,status
expect_out "23:59: nothing due" <<'X'
id,status
X
for t in 2026-06-02T00:00:00Z 2026-06-02T07:00:00Z 2026-06-02T08:00:00Z; do
	CRM_NOW=$t expect_code 0 crm-campaign run -q
done
expect_code 0 crm-campaign members history News -f csv --fields record_id,status,at
expect_out "each sent when its window opened" <<'X'
record_id,status,at
1,targeted,2026-06-01T20:30:00Z
1,sent,2026-06-02T00:00:00Z
2,targeted,2026-06-01T20:30:00Z
2,sent,2026-06-02T07:00:00Z
3,targeted,2026-06-01T20:30:00Z
3,sent,2026-06-01T20:30:00Z
4,targeted,2026-06-01T20:30:00Z
4,sent,2026-06-01T20:30:00Z
5,targeted,2026-06-01T20:30:00Z
5,sent,2026-06-02T08:00:00Z
6,targeted,2026-06-01T20:30:00Z
X
python3 - "$T/mail" >"$T/py" <<'PY'
import email, email.policy, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d), key=lambda s: int(s.split('.')[0])):
    m = email.message_from_binary_file(open(os.path.join(d, f), 'rb'), policy=email.policy.default)
    print(f, m['To'].addresses[0].addr_spec, m['Subject'])
PY
cat >"$T/want" <<'X'
1.eml cy@example.com News for Cy
2.eml dee@example.com News for Dee
3.eml ann@example.com News for Ann
4.eml bob@example.com News for Bob
5.eml eve@example.com News for Eve
X
compare "$T/want" "$T/py" "five messages handed over, each once; Fay's never"

# a failing sendmail: exit 75, the message stays queued for the next run
export CRM_NOW=2026-06-02T10:00:00Z
expect_code 0 crm-contact add -q --set first_name=Gus --set email=gus@example.com
expect_code 0 crm-contact tag -q add news 7
expect_code 0 crm-flow run --flows "$T/flows" -q
CRM_SENDMAIL=false expect_code 75 crm-campaign run -q
err_has "'false' failed (exit 1): the message stays queued"
expect_code 0 crm-campaign run -f csv --fields id,to,status
expect_out "sent by the next run" <<'X'
id,to,status
7,gus@example.com,sent
X

# usage and data errors
expect_code 64 crm-campaign run --maildir "$T/md"
err_has "--maildir and --mbox go with --dry-run"
expect_code 64 crm-campaign run --dry-run --maildir "$T/md" --mbox "$T/x"
expect_code 0 crm-campaign update -q News --set quiet_hours=9pm-8am
expect_code 0 crm-contact tag -q add news2 1
sed 's/"news"/"news2"/; s/"name": "news2"/"name": "news2"/' "$T/flows/news.json" >"$T/flows/news2.json"
sed -i 's/"name": "news"/"name": "news-two"/' "$T/flows/news2.json"
expect_code 0 crm-contact tag -q add news2 2
expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 65 crm-campaign run -q
err_has "campaign 'News': expected HH:MM-HH:MM (local time, start and end differ), got '9pm-8am'"
done_testing
