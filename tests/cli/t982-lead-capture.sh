#!/bin/bash
# crm-lead capture: web form bodies (JSON, or urlencoded as a form handler
# or CGI script saves them; files or a folder) become leads through the
# lead duplicate check, keep their UTM parameters, and make the lead (or
# the contact it duplicates) a member of the campaign utm_campaign names,
# else --campaign's. Capturing the same bodies again changes nothing.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-12-01T10:00:00Z

mkdir "$T/forms"
cp "$DATA"/social/forms/* "$T/forms/"
cd "$T" || exit 1
expect_code 0 crm-campaign add -q --set name='2026 Winter Launch' --set type=email
expect_code 0 crm-campaign add -q --set name=Newsletter --set type=email
expect_code 0 crm-lead add -q --set first_name=Wei --set last_name=Zhang --set email=zhangwei@example.com --set source='trade show'
expect_code 0 crm-contact add -q --set first_name=Katherine --set last_name=Johnson --set email=kj@nasa.example

# 0001 (JSON) and 0002 (urlencoded) are new people of the Winter Launch;
# 0003 is lead 1 (its email in other capitals), without utm_campaign:
# --campaign's; 0004 is contact 1, of the Newsletter
expect_code 0 crm-lead capture --campaign Newsletter -f csv forms
expect_out "each body: the lead or contact, what was done, the campaign" <<'X'
file,entity,id,action,campaign_id
forms/0001-demo-request.json,lead,2,inserted,1
forms/0002-contact-us.txt,lead,3,inserted,1
forms/0003-newsletter.txt,lead,1,updated,2
forms/0004-webinar.json,contact,1,contact,2
X
err_has "crm-lead: 4 forms: 2 leads added, 1 updated, 0 unchanged, 1 of contacts; 4 campaign members added"
expect_code 0 crm-lead list -f json --fields id,first_name,last_name,email,phone,company,source,campaign,utm_source,utm_medium,utm_campaign,interest,message
expect_out "names split (Chinese: surname first), percent-decoding, checkboxes joined, UTM kept, source from utm_source (a duplicate keeps its own), _csrf and submit dropped" <<'X'
[
{"id":1,"first_name":"Wei","last_name":"Zhang","email":"ZhangWei@example.com","phone":null,"company":"Zhang Trading","source":"trade show","campaign":"Newsletter","utm_source":"newsletter","utm_medium":"email","utm_campaign":null,"interest":null,"message":null},
{"id":2,"first_name":"静","last_name":"陈","email":"chenjing@xinghe-tech.cn","phone":"138 0013 8000","company":"星河科技","source":"wechat","campaign":"2026 Winter Launch","utm_source":"wechat","utm_medium":"social","utm_campaign":"2026 Winter Launch","interest":null,"message":"想预约一次产品演示"},
{"id":3,"first_name":"María","last_name":"García","email":"maria.garcia@example.es","phone":"+34 612 345 678","company":"Ibérica Logística","source":"google","campaign":"2026 Winter Launch","utm_source":"google","utm_medium":"cpc","utm_campaign":"2026 Winter Launch","interest":"crm, helpdesk","message":null}
]
X
sql "SELECT count(*) FROM leads WHERE CAST(custom AS text) LIKE '%csrf%' OR CAST(custom AS text) LIKE '%submit%'"
check "no form noise stored" [ "$(cat "$T/sql")" = 0 ]
expect_code 0 crm-campaign members list '2026 Winter Launch' --lead -f csv --fields record_id,status
expect_out "Winter Launch: leads 2 and 3, targeted" <<'X'
record_id,status
2,targeted
3,targeted
X
expect_code 0 crm-campaign members list Newsletter -f csv --fields member,record_id
expect_out "Newsletter: the contact and lead 1" <<'X'
member,record_id
contact,1
lead,1
X
sql "SELECT external_id FROM leads WHERE id = 1"
check "a duplicate keeps its own (no) external id" [ -z "$(cat "$T/sql")" ]
sql "SELECT count(*) FROM contacts; SELECT email FROM contacts"
printf '1\nkj@nasa.example\n' >"$T/want"
compare "$T/want" "$T/sql" "the contact's form leaves the contact as it is"

# again: nothing changes
db_dump "" "$T/once"
expect_code 0 crm-lead capture --campaign Newsletter -f csv forms/0001-demo-request.json forms/0003-newsletter.txt forms
err_has "crm-lead: 6 forms: 0 leads added, 0 updated, 5 unchanged, 1 of contacts; 0 campaign members added"
db_dump "" "$T/twice"
compare "$T/once" "$T/twice" "capturing again changed nothing"

# an utm_campaign naming no campaign: the lead, no membership, a note
printf 'email=newbie%%40example.org&utm_campaign=Spring+Sale\n' >spring.txt
expect_code 0 crm-lead capture -f csv spring.txt
expect_out "captured without a campaign" <<'X'
file,entity,id,action,campaign_id
spring.txt,lead,4,inserted,
X
err_has "crm-lead: spring.txt: utm_campaign 'Spring Sale' names no campaign: no membership"
# a body on stdin ("-"), as a CGI script would pipe it
printf '{"email": "cgi@example.org", "utm_campaign": "Newsletter"}' >"$T/cgi.json"
expect_code_in 0 "$T/cgi.json" crm-lead capture -f csv -
expect_out "stdin: named <stdin>" <<'X'
file,entity,id,action,campaign_id
<stdin>,lead,5,inserted,2
X
# --campaign naming none: 66; a dry run: nothing written
db_dump "" "$T/before"
printf 'email=other%%40example.org\n' >other.txt
expect_code 66 crm-lead capture --campaign Nope other.txt
err_has "crm-lead: no campaign 'Nope'"
expect_code 0 crm-lead capture -n -q --campaign Newsletter other.txt
expect_code 66 crm-lead capture missing.txt
err_has "crm-lead:missing.txt: cannot open: No such file or directory"
expect_code 64 crm-lead capture
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failures and a dry run wrote nothing"
done_testing
