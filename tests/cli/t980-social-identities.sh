#!/bin/bash
# crm-social: identities (platform + handle) of contacts and leads. Each
# platform's handle forms normalise to one (LinkedIn addresses with or
# without scheme, www., country subdomain, query or trailing slash, case;
# X handles with or without @ or the address; Weibo uids from their
# addresses; WeChat openids kept as they are, case and all); one identity
# belongs to one person; bad platforms and handles are refused with exit
# 65 and nothing written; delete is undone by undo.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-12-01T10:00:00Z

expect_code 0 crm-contact add -q --set first_name=Ann --set last_name=Lee --set email=ann@example.com
expect_code 0 crm-lead add -q --set first_name=Wei --set last_name=Zhang --set email=zhangwei@example.com

# every written form of a handle, and what it must become (by hand from
# each platform's rules in crm-formats(5))
cat >"$T/ids.csv" <<'X'
platform,handle,contact,lead
LinkedIn,https://www.linkedin.com/in/Ann-Lee-42/,ann@example.com,
twitter,@AnnLee_,ann@example.com,
微博,https://weibo.com/u/5612345678?refer_flag=1001030103_,ann@example.com,
WeChat,oQ3Kx5Pz8mN2vB7cD1eF4gH6jK9l,,zhangwei@example.com
github,github.com/WeiZhang/,,zhangwei@example.com
facebook,https://www.facebook.com/profile.php?id=100012345678901,,zhangwei@example.com
instagram,@Wei.Zhang_88,,zhangwei@example.com
X
expect_code 0 crm-social import -q "$T/ids.csv"
expect_code 0 crm-social list -f csv --fields id,uid,platform,handle,contact_id,lead_id
expect_out "each handle in its one stored form, owned by the contact or the lead" <<'X'
id,uid,platform,handle,contact_id,lead_id
1,linkedin:ann-lee-42,linkedin,ann-lee-42,1,
2,x:annlee_,x,annlee_,1,
3,weibo:5612345678,weibo,5612345678,1,
4,wechat:oQ3Kx5Pz8mN2vB7cD1eF4gH6jK9l,wechat,oQ3Kx5Pz8mN2vB7cD1eF4gH6jK9l,,1
5,github:weizhang,github,weizhang,,1
6,facebook:100012345678901,facebook,100012345678901,,1
7,instagram:wei.zhang_88,instagram,wei.zhang_88,,1
X
expect_code 0 crm-social show linkedin:ann-lee-42 -f csv --fields id,contact_id
expect_out "show by platform:handle" <<'X'
id,contact_id
1,1
X

# an OpenID is case-sensitive: another letter case is another openid
expect_code 0 crm-social add -q --set platform=wechat --set handle=oq3kx5pz8mn2vb7cd1ef4gh6jk9l --set contact=1
expect_code 0 crm-social list -f csv --fields id,uid --where id=8
expect_out "openids keep their case" <<'X'
id,uid
8,wechat:oq3kx5pz8mn2vb7cd1ef4gh6jk9l
X
expect_code 0 crm-social delete -q 8

# the same person's identity in another written form is the same
# identity: refused, naming its owner; so is another person's
db_dump "" "$T/before"
expect_code 65 crm-social add --set platform=linkedin --set handle=http://cn.linkedin.com/in/ann-lee-42 --set lead=zhangwei@example.com
err_has "crm-social: handle: linkedin:ann-lee-42 already belongs to contact 1 (identity 1)"
expect_code 65 crm-social add --set platform=x --set handle=https://x.com/ANNLEE_ --set contact=1
err_has "x:annlee_ already belongs to contact 1 (identity 2)"

# bad platforms, handles, owners: 65, file:line: field: reason, nothing
# written
cat >"$T/bad.csv" <<'X'
platform,handle,contact
x,@ann,ann@example.com
myspace,tom,ann@example.com
X
expect_code 65 crm-social import "$T/bad.csv"
err_has "bad.csv:3: platform: unknown platform 'myspace'"
printf 'platform,handle,contact\nweibo,https://weibo.com/annlee,1\n' >"$T/bad2.csv"
expect_code 65 crm-social import "$T/bad2.csv"
err_has "bad2.csv:2: handle: invalid weibo handle 'https://weibo.com/annlee': a Weibo uid is 5-12 digits (a custom domain is no uid)"
expect_code 65 crm-social add --set platform=x --set handle=@this_is_far_too_long --set contact=1
err_has "handle: invalid x handle '@this_is_far_too_long': 1-15 letters, digits or '_'"
expect_code 65 crm-social add --set platform=linkedin --set handle=https://www.linkedin.com/company/acme --set contact=1
err_has "a profile address is linkedin.com/in/NAME"
expect_code 65 crm-social add --set platform=linkedin --set handle=https://evil.example/in/ann --set contact=1
err_has "not a linkedin.com address"
expect_code 65 crm-social add --set platform=wechat --set handle='o ABC 123' --set contact=1
err_has "an openid is 6-64 letters, digits, _ or -"
expect_code 65 crm-social add --set platform=x --set handle=bob
err_has "contact_id: an identity belongs to one contact or one lead"
expect_code 65 crm-social add --set platform=x --set handle=bob --set contact=1 --set lead=1
err_has "an identity belongs to one contact or one lead, not both"
expect_code 65 crm-social add --set platform=x --set handle=bob --set contact=nobody@example.com
err_has "contact: no contact 'nobody@example.com'"
expect_code 65 crm-social add --set platform=weibo --set handle=5612345679 --set unionid=o6_bmjrPTlm6_2sgVt7hMZOPfL2M --set contact=1
err_has "unionid: only WeChat identities have a unionid"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "bad input wrote nothing"

# remove, and undo the removal
expect_code 0 crm-social delete 2
expect_code 0 crm-social list -f csv --fields id --where platform=x
expect_out "deleted" <<'X'
id
X
sql "SELECT max(id) FROM crm_changes"
chg=$(cat "$T/sql")
expect_code 0 crm-social undo "$chg"
expect_code 0 crm-social list -f csv --fields id,uid,contact_id --where platform=x
expect_out "undo brings the identity back as it was" <<'X'
id,uid,contact_id
2,x:annlee_,1
X

# export round trip
expect_code 0 crm-social export -f csv
cp "$T/out" "$T/export.csv"
expect_code 0 crm-social import "$T/export.csv"
err_has "0 inserted, 0 updated, 7 unchanged"
done_testing
