#!/bin/bash
# crm-flow templates with hostile field values: HTML escaped in an HTML
# body, kept as text in a text body, a shell argument passed as one argv
# element and never run, CR/LF in a mail header refused (the firing fails
# and nothing is sent); the email is a MIME message on $CRM_SENDMAIL's
# standard input, non-ASCII subjects RFC 2047-encoded.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/sendmail.sh" <<'X'
n=$(ls "$OUT"/mail.* 2>/dev/null | wc -l)
printf '%s\n' "$*" >"$OUT/argv.$n"
cat >"$OUT/mail.$n"
X
cat >"$T/args.sh" <<'X'
# one line per argument, as received
for a in "$@"; do printf '[%s]\n' "$a"; done >>"$OUT/args"
X
export OUT=$T CRM_SENDMAIL="sh $T/sendmail.sh -t -oi" CRM_MAIL_FROM="crm@example.com"
sed "s|@T@|$T|g" >"$T/flows/welcome-mail.json" <<'X'
{"name": "welcome-mail", "entity": "contact",
 "trigger": {"type": "created"},
 "actions": [
   {"type": "email", "to": "{{email}}", "subject": "Welcome, {{first_name}}",
    "text": "Hi {{first_name}} {{last_name}},\nwelcome.",
    "html": "<p>Hi {{first_name}} {{last_name}}</p>"},
   {"type": "command", "argv": ["sh", "@T@/args.sh", "{{last_name}}", "id={{id}}; {{title}}"]}
 ]}
X
cat >"$T/c.json" <<'X'
[{"first_name": "<script>alert(1)</script>", "last_name": "$(touch pwned); rm -rf / `id` & \"x\" 'y'", "email": "ann@example.com", "title": "a|b>c"},
 {"first_name": "Bob\r\nBcc: evil@example.com", "last_name": "B", "email": "bob@example.com"},
 {"first_name": "李雷", "last_name": "韩", "email": "li@example.com"}]
X
expect_code 0 crm-contact import -q "$T/c.json"
cd "$T" || exit 1
expect_code 1 crm-flow run --flows "$T/flows" -f csv --fields record,status,error
expect_out "the CRLF in a header fails Bob's firing alone" <<'X'
record,status,error
1,pending,
2,failed,"actions[0] email: subject: {{first_name}} holds a line break, refused in a mail header"
3,pending,
X
err_has "2 fired, 1 failed, 4 sent, 0 loops stopped"
check "nothing ran the shell text" [ ! -e "$T/pwned" ]
cat >"$T/want" <<'X'
[$(touch pwned); rm -rf / `id` & "x" 'y']
[id=1; a|b>c]
[韩]
[id=3; ]
X
compare "$T/want" "$T/args" "each template is one argument, as it is"
compare - "$T/argv.0" "sendmail's arguments, split at spaces, no shell" <<'X'
-t -oi
X
# the message as a mail client reads it (Python's email package)
mime() {
	python3 - "$1" <<'PY'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
for h in ('From', 'To', 'Subject', 'Message-ID', 'MIME-Version'):
    print(f'{h}: {m[h]}')
print('date:', 'yes' if m['Date'] else 'no')
print('type:', m.get_content_type())
for part in m.iter_parts() if m.is_multipart() else [m]:
    print('--', part.get_content_type(), part.get_content_charset())
    print(part.get_content().rstrip('\n'))
PY
}
mime "$T/mail.0" >"$T/got"
cat >"$T/want" <<'X'
From: crm@example.com
To: ann@example.com
Subject: Welcome, <script>alert(1)</script>
Message-ID: <welcome-mail.1.created@crm-flow>
MIME-Version: 1.0
date: yes
type: multipart/alternative
-- text/plain us-ascii
Hi <script>alert(1)</script> $(touch pwned); rm -rf / `id` & "x" 'y',
welcome.
-- text/html us-ascii
<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; $(touch pwned); rm -rf / `id` &amp; &quot;x&quot; &#39;y&#39;</p>
X
compare "$T/want" "$T/got" "the message: text as is, HTML escaped, read by a mail client"
check "a non-ASCII subject is RFC 2047-encoded" grep -Eq '^Subject: Welcome, =\?(UTF|utf)-8\?[BbQq]\?' "$T/mail.1"
mime "$T/mail.1" | grep '^Subject' >"$T/subj"
compare - "$T/subj" "and decodes to the name" <<'X'
Subject: Welcome, 李雷
X
check "no message for Bob" [ ! -e "$T/mail.2" ]
check "no Bcc anywhere" sh -c '! grep -q Bcc "$1"/mail.*' _ "$T"
expect_code 0 crm-contact update -q 2 --set first_name=Bob
CRM_NOW=2026-11-22T09:40:00Z expect_code 0 crm-flow run --flows "$T/flows" -q
mime "$T/mail.2" | grep '^To\|^Subject' >"$T/subj"
compare - "$T/subj" "fixed, the retry sends Bob's" <<'X'
To: bob@example.com
Subject: Welcome, Bob
X

# a sendmail that fails: recorded, retried
export CRM_SENDMAIL=false
expect_code 0 crm-contact add -q --first-name Cy --email cy@example.com
expect_code 1 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-flow log --record 4 -f csv --fields status,did,error
expect_out "a failing sendmail is an error with its status" <<'X'
status,did,error
pending,"email to cy@example.com queued; command sh queued [email failed, command done]",'false' exited with status 1
X
done_testing
