#!/bin/bash
# crm-social interactions: WeChat (official account messages and a
# mini-program follow, linked by unionid), Weibo (comments, reposts) and
# LinkedIn (lead gen forms, messages.csv) exports become activities of
# the people their identities belong to. Unknown identities: the person
# the lead duplicate check finds (equal phone across platforms, the dedupe
# model on names and companies), else a new lead. The same exports again
# add nothing; bad input is 65 with file:line: field: reason and nothing
# written; --dry-run writes nothing.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-12-01T10:00:00Z CRM_PHONE_COUNTRY=86

cp "$DATA"/social/wechat.ndjson "$DATA"/social/weibo.csv \
	"$DATA"/social/linkedin-leadgen.csv "$DATA"/social/linkedin-messages.csv "$T/"
cd "$T" || exit 1
# leads and contacts already there (the leads as in t306, so the dedupe
# model has something to learn from)
cat >base.csv <<'X'
external_id,first_name,last_name,email,phone,company,country
l1,Robert,Smith,rob@acme.com,+1 415 555 0101,Acme Inc,US
l2,Martha,Jones,mj@example.com,+44 20 7946 0001,Globex,GB
l3,Alice,Brown,alice@brown.org,,Initech,DE
l4,Dieter,Maier,dieter@maier.de,+49 30 1234567,Maier GmbH,DE
l5,Susan,Clark,sue.clark@gmail.com,,Hooli,US
X
cat >contacts.csv <<'X'
external_id,first_name,last_name,email,phone,company,city
c1,William,Turner,bill@turner.co,+1 212 555 0199,Turner LLC,New York
c2,Karen,Lopez,karen@lopez.es,+34 91 123 4567,Lopez SA,Madrid
c3,芳,王,wangfang@example.cn,+86 139 1234 5678,星河科技,杭州
c4,Ann,Lee,ann@example.com,,Lee Design,London
X
expect_code 0 crm-lead import -q base.csv
expect_code 0 crm-contact import -q contacts.csv
expect_code 0 crm-social add -q --set platform=linkedin --set handle=linkedin.com/in/ann-lee-42/ --set contact=ann@example.com
db_dump "" "$T/before"

# a dry run writes nothing
expect_code 0 crm-social interactions -n -q --platform wechat wechat.ndjson
db_dump "" "$T/dry"
compare "$T/before" "$T/dry" "dry run: nothing written"

# WeChat: line 1 an unknown openid whose phone (139 1234 5678, country
# 86) is contact 3's; line 2 another app's openid with the same unionid:
# contact 3 too; line 3 an unknown openid, no phone or email: a new lead
expect_code 0 crm-social interactions --platform wechat -f csv wechat.ndjson
expect_out "wechat: by phone, by unionid, a new lead" <<'X'
file,line,entity,id,activity_id,action,how
wechat.ndjson,1,contact,3,1,inserted,duplicate
wechat.ndjson,2,contact,3,2,inserted,unionid
wechat.ndjson,3,lead,6,3,inserted,new lead
X
err_has "crm-social: 3 interactions: 3 activities added, 0 already there; 3 identities added, 1 new leads, 1 existing people found by the duplicate check"
# Weibo: two unknown uids, new leads (the first with a phone)
expect_code 0 crm-social interactions --platform weibo -f csv weibo.csv
expect_out "weibo: two new leads" <<'X'
file,line,entity,id,activity_id,action,how
weibo.csv,2,lead,7,4,inserted,new lead
weibo.csv,3,lead,8,5,inserted,new lead
X
# LinkedIn: Na Li's lead gen form has the Weibo lead's phone written
# otherwise (+86 159-1000-1234): lead 7, one person on two platforms;
# Bob Smith of Acme, no email or phone: the model finds lead 1 (Robert
# Smith, Acme Inc); Ann Lee's message: her identity
expect_code 0 crm-social interactions --platform linkedin -f csv linkedin-leadgen.csv linkedin-messages.csv
expect_out "linkedin: across platforms by phone, by the model, by identity" <<'X'
file,line,entity,id,activity_id,action,how
linkedin-leadgen.csv,2,lead,7,6,inserted,duplicate
linkedin-leadgen.csv,3,lead,1,7,inserted,duplicate
linkedin-messages.csv,2,contact,4,8,inserted,identity
X

expect_code 0 crm-social list -f csv --fields id,uid,unionid,app,name,contact_id,lead_id
expect_out "identities: handles as stored, each of one person" <<'X'
id,uid,unionid,app,name,contact_id,lead_id
1,linkedin:ann-lee-42,,,,4,
2,wechat:oQ3Kx5Pz8mN2vB7cD1eF4gH6jK9l,o6_bmjrPTlm6_2sgVt7hMZOPfL2M,gh_3f2a1b9c8d7e,王芳,3,
3,wechat:oMp7Yt2Rq9Ws4Xv6Zu1Ab3Cd5Ef8,o6_bmjrPTlm6_2sgVt7hMZOPfL2M,wx8a1b2c3d4e5f6a7b,王芳,3,
4,wechat:oQ3Kx5Pz8mN2vB7cD1eF4gH6jK9m,,gh_3f2a1b9c8d7e,Leo Chen,,6
5,weibo:5612345678,,,李娜_Nina,,7
6,weibo:2803301701,,,数据控老王,,8
7,linkedin:li-na-bj,,,,,7
8,linkedin:bobsmith-acme,,,,,1
X
expect_code 0 crm-lead list -f csv --fields id,first_name,last_name,email,phone,company,source --where 'id>5'
expect_out "new leads: nicknames kept whole; lead 7 completed from LinkedIn" <<'X'
id,first_name,last_name,email,phone,company,source
6,,Leo Chen,,,,wechat
7,Na,Li,lina@huaxin-tech.cn,+86 159-1000-1234,Huaxin Technology,weibo
8,,数据控老王,,,,weibo
X
# times: WeChat CreateTime 1795831200 = 2026-11-28T02:00:00Z; Weibo
# "Sat Nov 28 18:20:05 +0800 2026" = 10:20:05Z; LinkedIn "... UTC"
expect_code 0 crm-activity list -f csv --fields id,type,channel,direction,occurred_at,contact_id,lead_id,body
expect_out "activities: one per interaction, types mapped (text: message, subscribe: follow, repost: share)" <<'X'
id,type,channel,direction,occurred_at,contact_id,lead_id,body
1,message,wechat,in,2026-11-28T02:00:00Z,3,,你好，想了解一下企业版的价格
2,follow,wechat,in,2026-11-28T02:05:30Z,3,,
3,message,wechat,in,2026-11-29T08:30:00Z,,6,有试用吗？
4,comment,weibo,in,2026-11-28T10:20:05Z,,7,请问贵司的CRM支持微信对接吗？
5,share,weibo,in,2026-11-29T01:02:44Z,,8,转发微博
6,message,linkedin,in,2026-11-30T01:15:00Z,,7,
7,message,linkedin,in,2026-11-30T02:40:00Z,,1,
8,message,linkedin,in,2026-11-30T08:45:10Z,4,,"Thanks Sam, could you send the renewal quote?"
X
sql "SELECT external_id FROM activities WHERE id IN (1, 4)"
printf 'wechat:24853611234567001\nweibo:4981234567890123\n' >"$T/want"
compare "$T/want" "$T/sql" "an interaction's id in the export is the activity's external id"
sql "SELECT last_activity_at FROM contacts WHERE id = 3"
check "last_activity_at kept" [ "$(cat "$T/sql")" = 2026-11-28T02:05:30Z ]

# the same exports again: nothing added, nothing changed
db_dump "" "$T/once"
expect_code 0 crm-social interactions -q --platform wechat wechat.ndjson
expect_code 0 crm-social interactions -q --platform weibo weibo.csv
expect_code 0 crm-social interactions --platform linkedin -f csv linkedin-leadgen.csv linkedin-messages.csv
expect_out "again: every record unchanged, found by its identity" <<'X'
file,line,entity,id,activity_id,action,how
linkedin-leadgen.csv,2,lead,7,6,unchanged,identity
linkedin-leadgen.csv,3,lead,1,7,unchanged,identity
linkedin-messages.csv,2,contact,4,8,unchanged,identity
X
db_dump "" "$T/twice"
compare "$T/once" "$T/twice" "importing again changed nothing"

# bad input: 65, file:line: field: reason, nothing written (the good
# first line included)
cat >bad.csv <<'X'
uid,screen_name,created_at,type,text,mid
1234567890,好人,2026-11-30T01:00:00Z,comment,ok,1
https://weibo.com/annlee,坏人,2026-11-30T01:00:00Z,comment,bad,2
X
expect_code 65 crm-social interactions --platform weibo bad.csv
err_has "crm-social:bad.csv:3: uid: invalid weibo handle 'https://weibo.com/annlee': a Weibo uid is 5-12 digits (a custom domain is no uid)"
printf 'uid,created_at,text\n1234567890,yesterday,hi\n' >bad2.csv
expect_code 65 crm-social interactions --platform weibo bad2.csv
err_has "crm-social:bad2.csv:2: created_at: "
printf 'uid,text\n1234567890,hi\n' >bad3.csv
expect_code 65 crm-social interactions --platform weibo bad3.csv
err_has "crm-social:bad3.csv:2: occurred_at: missing"
printf '{"openid":"oAbc123456","CreateTime":1795831200}\n' >bad4.ndjson
expect_code 65 crm-social interactions bad4.ndjson
err_has "crm-social:bad4.ndjson:1: platform: missing"
printf '{"openid":"o-Abc-123456","CreateTime":1795831200}\n' >bad5.ndjson
expect_code 65 crm-social interactions --platform x bad5.ndjson
err_has "bad5.ndjson:1: openid: invalid x handle 'o-Abc-123456': 1-15 letters, digits or '_'"
printf '{"handle":"AnnLee","unionid":"o6_bmjrPTlm6_2sgVt7hMZOPfL2M","time":1795831200}\n' >bad7.ndjson
expect_code 65 crm-social interactions --platform x bad7.ndjson
err_has "bad7.ndjson:1: unionid: only WeChat identities have a unionid"
printf '{"openid":"oAbc123456","CreateTime":1795831200,"direction":"sideways"}\n' >bad6.ndjson
expect_code 65 crm-social interactions --platform wechat bad6.ndjson
err_has "bad6.ndjson:1: direction: expected in or out, got 'sideways'"
expect_code 64 crm-social interactions --platform myspace bad6.ndjson
db_dump "" "$T/after"
compare "$T/twice" "$T/after" "bad input wrote nothing"
# a converted lead's identities reach its contact; an identity whose
# person was deleted goes to whoever the check finds (here a new lead)
expect_code 0 crm-lead convert -q 7
sql "SELECT contact_id FROM leads WHERE id = 7"
check "lead 7 converted into contact 5" [ "$(cat "$T/sql")" = 5 ]
expect_code 0 crm-lead delete -q 8
cat >later.csv <<'X'
uid,screen_name,created_at,type,text,mid
5612345678,李娜_Nina,Tue Dec 01 09:00:00 +0800 2026,comment,演示什么时候？,4981234567899999
2803301701,数据控老王,Tue Dec 01 09:30:00 +0800 2026,comment,关注了,4981234567899998
X
expect_code 0 crm-social interactions --platform weibo -f csv later.csv
expect_out "the contact of the converted lead; a new lead for the orphaned identity" <<'X'
file,line,entity,id,activity_id,action,how
later.csv,2,contact,5,10,inserted,identity
later.csv,3,lead,9,11,inserted,new lead
X
expect_code 0 crm-social list -f csv --fields id,uid,contact_id,lead_id --where platform=weibo
expect_out "identity 6 now the new lead's; identity 5 stays the lead's" <<'X'
id,uid,contact_id,lead_id
5,weibo:5612345678,,7
6,weibo:2803301701,,9
X
done_testing
