#!/bin/bash
# crm-campaign run: a queued message is dated when it is handed over, not
# when the flow composed it, and the copy kept in the queue is the one
# handed over; a plain $CRM_SENDMAIL (no shell syntax) runs without a
# shell, its words as arguments; one with shell syntax runs through sh;
# a plain command that does not exist is exit 75, the message queued.
. "$(dirname "$0")/../lib.sh"
export CRM_MAIL_FROM='Acme <news@acme.example>'
mkdir -p "$T/mail" "$T/flows"
# the capture sendmail notes its arguments and its parent's name
cat >"$T/sendmail" <<X
#!/bin/sh
n=\$(ls "$T/mail" | wc -l)
cat >"$T/mail/\$((n + 1)).eml"
echo "\$# \$* \$(cat /proc/\$PPID/comm)" >>"$T/calls"
X
chmod +x "$T/sendmail"
cat >"$T/flows/news.json" <<'X'
{"name": "news", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "news"},
 "actions": [{"type": "campaign_email", "campaign": "News",
   "subject": "News for {{first_name}}", "text": "Hello {{first_name}}."}]}
X
export CRM_NOW=2026-06-01T09:00:00Z
expect_code 0 crm-campaign add -q --set name=News --set type=email
cat >"$T/c.csv" <<'X'
first_name,email
Ann,ann@example.com
Bob,bob@example.com
Cy,cy@example.com
X
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-contact tag -q add news 1 2
expect_code 0 crm-flow run --flows "$T/flows" -q
sql "SELECT count(*) FROM campaign_sends WHERE status = 'queued' AND message LIKE '%Date: Mon, 01 Jun 2026 09:00:00 +0000%'"
check "composed Monday 09:00: the queued copies say so" test "$(cat "$T/sql")" = 2

# handed over two days later
export CRM_NOW=2026-06-03T10:30:00Z
CRM_SENDMAIL="$T/sendmail -i  -t" expect_code 0 crm-campaign run -f csv --fields id,to,status
expect_out "both sent" <<'X'
id,to,status
1,ann@example.com,sent
2,bob@example.com,sent
X
cat >"$T/want" <<'X'
2 -i -t crm-campaign
2 -i -t crm-campaign
X
compare "$T/want" "$T/calls" "a plain command: run without a shell, its words as arguments"
python3 - "$T/mail" >"$T/py" 2>&1 <<'PY'
import email, email.policy, sys
for n in (1, 2):
    with open(f"{sys.argv[1]}/{n}.eml", "rb") as f:
        m = email.message_from_bytes(f.read(), policy=email.policy.default)
    print(m['To'].addresses[0].addr_spec, '|', m['Date'], '|',
          m['Date'].datetime.isoformat(), '|', len(m.get_all('Date')))
PY
cat >"$T/want" <<'X'
ann@example.com | Wed, 03 Jun 2026 10:30:00 +0000 | 2026-06-03T10:30:00+00:00 | 1
bob@example.com | Wed, 03 Jun 2026 10:30:00 +0000 | 2026-06-03T10:30:00+00:00 | 1
X
compare "$T/want" "$T/py" "Date is the hand-over's, once (Python's email)"
sql "SELECT message FROM campaign_sends WHERE id = 1"
printf '\n' >>"$T/mail/1.eml"
compare "$T/mail/1.eml" "$T/sql" "the queue keeps the copy handed over"
sql "SELECT count(*) FROM campaign_sends WHERE message LIKE '%01 Jun 2026%'"
check "no sent copy keeps the composing date" test "$(cat "$T/sql")" = 0

# shell syntax: through sh, as before
expect_code 0 crm-contact tag -q add news 3
expect_code 0 crm-flow run --flows "$T/flows" -q
export CRM_NOW=2026-06-04T08:15:00Z
CRM_SENDMAIL="cat >'$T/shell.eml'" expect_code 0 crm-campaign run -q
python3 - "$T/shell.eml" >"$T/py" 2>&1 <<'PY'
import email, email.policy, sys
with open(sys.argv[1], "rb") as f:
    m = email.message_from_bytes(f.read(), policy=email.policy.default)
print(m['To'].addresses[0].addr_spec, '|', m['Date'])
PY
cat >"$T/want" <<'X'
cy@example.com | Thu, 04 Jun 2026 08:15:00 +0000
X
compare "$T/want" "$T/py" "a command with a redirection runs through the shell"

# a plain command that is not there: exit 75, queued for the next run
expect_code 0 crm-contact update -q 3 --set first_name=Cyd
expect_code 0 crm-contact tag -q add news2 3
sed 's/"news"/"news2"/g' "$T/flows/news.json" >"$T/flows/news2.json"
expect_code 0 crm-flow run --flows "$T/flows" -q
CRM_SENDMAIL="$T/no-such-sendmail -t" expect_code 75 crm-campaign run -q
err_has "'$T/no-such-sendmail -t' failed (exit 127): the message stays queued"
sql "SELECT status || ' ' || CASE WHEN message LIKE '%Date: Thu, 04 Jun 2026 08:15:00 +0000%' THEN 'same' ELSE 'changed' END FROM campaign_sends WHERE id = 4"
check "still queued, as composed" test "$(cat "$T/sql")" = "queued same"

# "=" in a later word is an argument (dd of=/dev/null): no shell; in the
# first word it is an assignment: through sh
: >"$T/calls"
CRM_SENDMAIL="$T/sendmail -i from=news@acme.example" expect_code 0 crm-campaign run -q
expect_code 0 crm-contact tag -q add news5 3
sed 's/"news"/"news5"/g' "$T/flows/news.json" >"$T/flows/news5.json"
expect_code 0 crm-flow run --flows "$T/flows" -q
CRM_SENDMAIL="FROM=x $T/sendmail -i" expect_code 0 crm-campaign run -q
cat >"$T/want" <<'X'
2 -i from=news@acme.example crm-campaign
1 -i sh
X
compare "$T/want" "$T/calls" "= in an argument: no shell; in the first word: through sh"
done_testing
