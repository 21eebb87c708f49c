#!/bin/bash
# The flow action campaign_email: a real MIME message composed with GMime
# (crm_mail_build), queued, and handed to $CRM_SENDMAIL by crm-campaign run, parsed with Python's email package:
# multipart/alternative with text and HTML, RFC 2047 encoded CJK subject
# and name, Message-ID, List-Unsubscribe and List-Unsubscribe-Post with
# the member's token; hostile field values escaped in HTML; consent
# (do_not_email, an unsubscribe or a hard bounce in any campaign) and a
# frequency cap honoured; the member marked sent with its history.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-01T09:00:00Z CRM_MAIL_FROM='Acme Marketing <news@acme.example>'
export CRM_UNSUBSCRIBE_URL='https://acme.example/u/'
mkdir -p "$T/mail" "$T/flows"
cat >"$T/sendmail" <<X
#!/bin/sh
n=\$(ls "$T/mail" | wc -l)
cat >"$T/mail/\$((n + 1)).eml"
X
chmod +x "$T/sendmail"
export CRM_SENDMAIL="$T/sendmail"
cat >"$T/flows/welcome.json" <<'X'
{"name": "welcome-mail", "entity": "contact",
 "trigger": {"type": "created"}, "conditions": ["source = form"],
 "actions": [{"type": "campaign_email", "campaign": "Welcome",
   "subject": "欢迎, {{first_name}}!",
   "text": "Hello {{first_name}},\nwelcome aboard.",
   "html": "<p>Hello <b>{{first_name}}</b>, welcome aboard.</p>",
   "cap": {"max": 2, "days": 7}}]}
X
expect_code 0 crm-campaign add -q --set name=Welcome --set type=email
expect_code 0 crm-campaign add -q --set name=Old --set type=email
cat >"$T/c.csv" <<'X'
first_name,last_name,email,source,do_not_email
王,小明,wang@example.cn,form,
<script>alert(1)</script>,Evil,evil@example.com,form,
Opt,Out,optout@example.com,form,true
Bo,Unce,bounce@example.com,old,
Nob,Ody,nobody@example.com,trade,
X
expect_code 0 crm-contact import -q "$T/c.csv"
# Bo bounced in an older campaign, then comes in through the form
expect_code 0 crm-campaign members add -q Old 4 --status bounced
expect_code 0 crm-contact update -q 4 --set source=form
expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields record,status,did
expect_out "two queued; do_not_email and a hard bounce honoured" <<'X'
record,status,did
1,done,campaign email 'Welcome' to wang@example.cn queued
2,done,campaign email 'Welcome' to evil@example.com queued
3,done,do_not_email: not sent
4,done,bounced: not sent
X
check "nothing sent before crm-campaign run" test -z "$(ls "$T/mail")"
expect_code 0 crm-campaign members list Welcome -f csv --fields record_id,status
expect_out "queued members are still targeted" <<'X'
record_id,status
1,targeted
2,targeted
X
expect_code 0 crm-campaign run -f csv --fields id,campaign,entity,record,to,status
expect_out "crm-campaign run hands both to sendmail" <<'X'
id,campaign,entity,record,to,status
1,Welcome,contact,1,wang@example.cn,sent
2,Welcome,contact,2,evil@example.com,sent
X
expect_code 0 crm-campaign run -f csv
expect_out "a second run sends nothing" <<'X'
id,campaign,entity,record,to,status,detail
X
ls "$T/mail" >"$T/out"
expect_out "two messages reached sendmail" <<'X'
1.eml
2.eml
X
expect_code 0 crm-campaign members list Welcome -f csv --fields record_id,status,token
cp "$T/out" "$T/members.csv"
python3 - "$T/mail" "$T/members.csv" >"$T/py" 2>&1 <<'PY'
import csv, email, email.policy, sys
from email.header import decode_header, make_header
tokens = {r['record_id']: r['token'] for r in csv.DictReader(open(sys.argv[2]))}
for n, rid in ((1, '1'), (2, '2')):
    raw = open(f'{sys.argv[1]}/{n}.eml', 'rb').read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    tok = tokens[rid]
    print('msg', n, 'status', tokens and 'ok')
    print('content-type', m.get_content_type())
    parts = [p.get_content_type() for p in m.iter_parts()]
    print('parts', parts)
    print('subject', m['Subject'])
    print('raw subject is RFC 2047' if n != 1 or b'=?utf-8?' in raw.lower() else 'raw subject NOT encoded')
    print('to', m['To'].addresses[0].display_name, m['To'].addresses[0].addr_spec)
    print('from', m['From'])
    mid = m['Message-ID']
    print('message-id has token', mid.startswith('<' + tok + '.') and mid.endswith('@acme.example>'))
    lu = m['List-Unsubscribe']
    print('list-unsubscribe', lu.replace(tok, 'TOKEN'))
    print('list-unsubscribe-post', m['List-Unsubscribe-Post'])
    print('x-crm-token', m['X-CRM-Token'] == tok)
    print('date', m['Date'])
    text = m.get_body(('plain',)).get_content()
    html = m.get_body(('html',)).get_content()
    print('text', repr(text.strip()))
    print('html', repr(html.strip()))
    print('non-ascii bytes in raw', any(b > 127 for b in raw))
PY
cat >"$T/want" <<'X'
msg 1 status ok
content-type multipart/alternative
parts ['text/plain', 'text/html']
subject 欢迎, 王!
raw subject is RFC 2047
to 王 小明 wang@example.cn
from Acme Marketing <news@acme.example>
message-id has token True
list-unsubscribe <mailto:unsubscribe@acme.example?subject=unsubscribe%20TOKEN>, <https://acme.example/u/TOKEN>
list-unsubscribe-post List-Unsubscribe=One-Click
x-crm-token True
date Mon, 01 Jun 2026 09:00:00 +0000
text 'Hello 王,\nwelcome aboard.'
html '<p>Hello <b>王</b>, welcome aboard.</p>'
non-ascii bytes in raw False
msg 2 status ok
content-type multipart/alternative
parts ['text/plain', 'text/html']
subject 欢迎, <script>alert(1)</script>!
raw subject is RFC 2047
to <script>alert(1)</script> Evil evil@example.com
from Acme Marketing <news@acme.example>
message-id has token True
list-unsubscribe <mailto:unsubscribe@acme.example?subject=unsubscribe%20TOKEN>, <https://acme.example/u/TOKEN>
list-unsubscribe-post List-Unsubscribe=One-Click
x-crm-token True
date Mon, 01 Jun 2026 09:00:00 +0000
text 'Hello <script>alert(1)</script>,\nwelcome aboard.'
html '<p>Hello <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>, welcome aboard.</p>'
non-ascii bytes in raw False
X
compare "$T/want" "$T/py" "Python's email package reads both messages: parts, encodings, headers"
expect_code 0 crm-campaign members list Welcome -f csv --fields record_id,status
expect_out "the two mailed are members with status sent" <<'X'
record_id,status
1,sent
2,sent
X
expect_code 0 crm-campaign members history Welcome -f csv --fields record_id,status
expect_out "history: targeted, then sent" <<'X'
record_id,status
1,targeted
1,sent
2,targeted
2,sent
X

# the cap: at most 2 messages in 7 days, over every campaign
for t in t1 t2; do
	cat >"$T/flows/$t.json" <<X
{"name": "again-$t", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "$t"},
 "actions": [{"type": "campaign_email", "campaign": "Old",
   "subject": "Again", "text": "Hi {{first_name}}", "cap": {"max": 2, "days": 7}}]}
X
done
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-contact tag -q add t1 1
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields flow,record,did
expect_out "a second message within the cap" <<'X'
flow,record,did
again-t1,1,campaign email 'Old' to wang@example.cn queued
X
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-campaign run -q
CRM_NOW=2026-06-04T09:00:00Z expect_code 0 crm-contact tag -q add t2 1
CRM_NOW=2026-06-04T09:00:00Z expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields flow,record,did
expect_out "a third within 7 days is held back" <<'X'
flow,record,did
again-t2,1,frequency cap (2 sent): not sent
X
ls "$T/mail" >"$T/out"
expect_out "three messages in all" <<'X'
1.eml
2.eml
3.eml
X
python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m.get_content_type(), m["Subject"], m.get_content_charset(), m.get_payload(decode=True).decode().strip())' "$T/mail/3.eml" >"$T/out"
expect_out "a text-only message is text/plain in UTF-8" <<'X'
text/plain Again utf-8 Hi 王
X

# bad flow files: exit 78 naming the key
cat >"$T/bad.json" <<'X'
{"name": "bad", "entity": "deal", "trigger": {"type": "created"},
 "actions": [{"type": "campaign_email", "campaign": "Old", "subject": "x", "text": "y"}]}
X
mkdir -p "$T/bad1" "$T/bad2" "$T/bad3"
cp "$T/bad.json" "$T/bad1/bad.json"
expect_code 78 crm-flow check --flows "$T/bad1"
err_has "campaign_email sends to contacts or leads, not deals"
sed 's/"deal"/"contact"/; s/"text": "y"/"text": "y", "cap": {"max": 0, "days": 7}/' "$T/bad.json" >"$T/bad2/bad.json"
expect_code 78 crm-flow check --flows "$T/bad2"
err_has "cap"
sed 's/"deal"/"contact"/; s/, "text": "y"//' "$T/bad.json" >"$T/bad3/bad.json"
expect_code 78 crm-flow check --flows "$T/bad3"
err_has 'needs "text" or "html"'
done_testing
