#!/bin/bash
# The shipped welcome sequence (share/crm/flows/campaign-*.json) over
# simulated days with a capture sendmail: a form sign-up gets the welcome
# email at once; at 72 hours, who opened nothing gets a second touch and
# who clicked gets a task for sales; each once however often crm-flow
# runs; crm-campaign run after each crm-flow run hands the queued
# messages over. Every message is parsed with Python's email package.
. "$(dirname "$0")/../lib.sh"
F=(--flows "$TOP/share/crm/flows")
export CRM_MAIL_FROM='Acme <hello@acme.example>'
mkdir -p "$T/mail"
cat >"$T/sendmail" <<X
#!/bin/sh
n=\$(ls "$T/mail" | wc -l)
cat >"$T/mail/\$((n + 1)).eml"
X
chmod +x "$T/sendmail"
export CRM_SENDMAIL="$T/sendmail"

CRM_NOW=2026-09-01T08:00:00Z expect_code 0 crm-campaign add -q --set name='Welcome series' --set type=email
CRM_NOW=2026-09-01T09:00:00Z expect_code 0 crm-contact add -q --set first_name=Ann --set last_name=Lee --set email=ann@example.com --set source=form --set owner=kim
CRM_NOW=2026-09-01T09:30:00Z expect_code 0 crm-contact add -q --set first_name=Bob --set email=bob@example.com --set source=form --set owner=kim
CRM_NOW=2026-09-01T10:00:00Z expect_code 0 crm-contact add -q --set first_name=Cy --set email=cy@example.com --set source=fair

# day 0: both form sign-ups get the welcome mail
CRM_NOW=2026-09-01T10:05:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
expect_out "day 0: welcome to Ann and Bob, not Cy" <<'X'
flow,record,did
campaign-welcome,1,campaign email 'Welcome series' to ann@example.com queued
campaign-welcome,2,campaign email 'Welcome series' to bob@example.com queued
X
CRM_NOW=2026-09-01T10:05:00Z expect_code 0 crm-campaign run -q
# day 1: Bob opens it and clicks
expect_code 0 crm-activity log -q --type email_opened --contact 2 --at 2026-09-02T08:00:00Z
expect_code 0 crm-activity log -q --type email_clicked --contact 2 --at 2026-09-02T08:01:00Z
CRM_NOW=2026-09-02T09:00:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "day 1: nothing due" </dev/null
# a minute before 72 hours: nothing; at 72 hours: Ann's second touch,
# and Bob's task for sales
CRM_NOW=2026-09-04T08:59:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "71h59m: nothing" </dev/null
CRM_NOW=2026-09-04T09:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record,did
expect_out "72 hours: second touch for Ann, a task for Bob" <<'X'
flow,record,did
campaign-clicked,2,task 3 'Call Bob : clicked the welcome mail' for kim
campaign-second-touch,1,campaign email 'Welcome series' to ann@example.com queued
X
CRM_NOW=2026-09-04T09:30:00Z expect_code 0 crm-campaign run -q
CRM_NOW=2026-09-05T09:30:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields flow,record
expect_out "a day later: nothing again" </dev/null
python3 - "$T/mail" >"$T/py" 2>&1 <<'PY'
import email, email.policy, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d), key=lambda s: int(s.split('.')[0])):
    m = email.message_from_binary_file(open(os.path.join(d, f), 'rb'), policy=email.policy.default)
    print(f, m['To'].addresses[0].addr_spec, '|', m['Subject'], '|', m.get_content_type(),
          [p.get_content_type() for p in m.iter_parts()],
          bool(m['Message-ID']), m['List-Unsubscribe-Post'],
          m['List-Unsubscribe'].startswith('<mailto:unsubscribe@acme.example?subject=unsubscribe%20' + m['X-CRM-Token'] + '>'))
PY
cat >"$T/want" <<'X'
1.eml ann@example.com | Welcome, Ann | multipart/alternative ['text/plain', 'text/html'] True List-Unsubscribe=One-Click True
2.eml bob@example.com | Welcome, Bob | multipart/alternative ['text/plain', 'text/html'] True List-Unsubscribe=One-Click True
3.eml ann@example.com | Ann, did you see this? | multipart/alternative ['text/plain', 'text/html'] True List-Unsubscribe=One-Click True
X
compare "$T/want" "$T/py" "three messages, each a well-formed MIME message"
expect_code 0 crm-campaign members history 'Welcome series' -f csv --fields record_id,status,at
expect_out "Ann: sent twice; Bob: once" <<'X'
record_id,status,at
1,targeted,2026-09-01T10:05:00Z
1,sent,2026-09-01T10:05:00Z
1,sent,2026-09-04T09:30:00Z
2,targeted,2026-09-01T10:05:00Z
2,sent,2026-09-01T10:05:00Z
X
done_testing
