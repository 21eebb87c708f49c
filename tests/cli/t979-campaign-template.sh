#!/bin/bash
# Campaign templates: {{field|fallback}} when a field is empty, in the
# subject, the text and the HTML part; hostile values: HTML-escaped in
# the HTML part (the fallback too), as written in the text part; a line
# break in a value bound for a header (subject, recipient name) refused,
# nothing queued; shell metacharacters inert (the message goes to
# sendmail on standard input, never through a shell command line);
# bad templates are exit 78 naming the key.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-07-01T10:00:00Z CRM_MAIL_FROM='Acme <news@acme.example>'
mkdir -p "$T/flows" "$T/mail"
cat >"$T/sendmail" <<X
#!/bin/sh
n=\$(ls "$T/mail" | wc -l)
cat >"$T/mail/\$((n + 1)).eml"
X
chmod +x "$T/sendmail"
export CRM_SENDMAIL="$T/sendmail"
cat >"$T/flows/hi.json" <<'X'
{"name": "hi", "entity": "contact",
 "trigger": {"type": "created"},
 "actions": [{"type": "campaign_email", "campaign": "Hi",
   "subject": "Hi {{first_name|there}} {{company|}}",
   "text": "Dear {{first_name|friend}} of {{title|<nobody>}},\n{{last_name}}",
   "html": "<p>Dear {{first_name|friend}} of {{title|<nobody>}}</p><p>{{last_name}}</p>"}]}
X
expect_code 0 crm-campaign add -q --set name=Hi --set type=email
cat >"$T/c.csv" <<X
first_name,last_name,title,email
Ann,Lee,CTO,ann@example.com
,,,anon@example.com
<img src=x onerror=alert(1)>,"O'Brien & ""Sons""",</p><script>x()</script>,evil@example.com
\$(touch $T/pwned),\`touch $T/pwned2\`; | > $T/pwned3,,shell@example.com
X
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-campaign run -q
python3 - "$T/mail" >"$T/py" 2>&1 <<'PY'
import email, email.policy, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d), key=lambda s: int(s.split('.')[0])):
    m = email.message_from_binary_file(open(os.path.join(d, f), 'rb'), policy=email.policy.default)
    print(m['To'].addresses[0].addr_spec)
    print('  subject', repr(m['Subject']))
    print('  text', repr(m.get_body(('plain',)).get_content()))
    print('  html', repr(m.get_body(('html',)).get_content()))
PY
cat >"$T/want" <<X
ann@example.com
  subject 'Hi Ann'
  text 'Dear Ann of CTO,\nLee'
  html '<p>Dear Ann of CTO</p><p>Lee</p>'
anon@example.com
  subject 'Hi there'
  text 'Dear friend of <nobody>,\n'
  html '<p>Dear friend of &lt;nobody&gt;</p><p></p>'
evil@example.com
  subject 'Hi <img src=x onerror=alert(1)>'
  text 'Dear <img src=x onerror=alert(1)> of </p><script>x()</script>,\nO\'Brien & "Sons"'
  html '<p>Dear &lt;img src=x onerror=alert(1)&gt; of &lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</p><p>O&#39;Brien &amp; &quot;Sons&quot;</p>'
shell@example.com
  subject 'Hi \$(touch $T/pwned)'
  text 'Dear \$(touch $T/pwned) of <nobody>,\n\`touch $T/pwned2\`; | > $T/pwned3'
  html '<p>Dear \$(touch $T/pwned) of &lt;nobody&gt;</p><p>\`touch $T/pwned2\`; | &gt; $T/pwned3</p>'
X
compare "$T/want" "$T/py" "fallbacks; hostile values escaped in HTML, as written in text"
check "shell metacharacters ran nothing" test ! -e "$T/pwned" -a ! -e "$T/pwned2" -a ! -e "$T/pwned3"

# a line break in a value bound for a header: refused, nothing queued
printf 'first_name,last_name,email\n"Eve\r\nBcc: all@example.com",X,eve@example.com\nMal,"Lo\nBcc: all@example.com",mal@example.com\n' >"$T/crlf.csv"
expect_code 0 crm-contact import -q "$T/crlf.csv"
expect_code 1 crm-flow run --flows "$T/flows" -f csv --fields record,status
expect_out "both firings fail" <<'X'
record,status
5,failed
6,failed
X
expect_code 0 crm-flow log -f csv
grep -c 'line break' "$T/out" >"$T/n"
echo 2 >"$T/want"
compare "$T/want" "$T/n" "the log says why: a line break"
expect_code 0 crm-campaign run -f csv --fields to
expect_out "nothing queued for them" <<'X'
to
X
check "no Bcc header ever reached sendmail" test -z "$(grep -l '^Bcc' "$T"/mail/*.eml)"

# bad templates: exit 78 naming the key
mkdir -p "$T/b1" "$T/b2"
sed 's/{{company|}}/{{company|/' "$T/flows/hi.json" >"$T/b1/hi.json"
expect_code 78 crm-flow check --flows "$T/b1"
err_has "subject"
sed 's/{{company|}}/{{|x}}/' "$T/flows/hi.json" >"$T/b2/hi.json"
expect_code 78 crm-flow check --flows "$T/b2"
err_has "names no field"
done_testing
