#!/bin/bash
# crm-campaign segment: files with the where language and activity
# predicates (visited /pricing 3+ times in 14 days; no email opened in 90
# days; a lead's calls), evaluated at CRM_NOW against hand-picked
# records; show, list; diff tells who entered and left since the last
# diff, once, and raises segment.entered for flows; --dry-run keeps
# nothing; bad files exit 78.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-15T12:00:00Z
S="$T/segments"
mkdir -p "$S"
cat >"$S/pricing.json" <<'X'
{"entity": "contact", "description": "looked at pricing 3+ times in 14 days",
 "activities": [{"type": "web_visit", "subject": "/PRICING", "min": 3, "days": 14}]}
X
cat >"$S/cold-vip.json" <<'X'
{"entity": "contact", "where": ["tags=vip"],
 "activities": [{"type": "email_opened", "max": 0, "days": 90}]}
X
cat >"$S/hot-leads.json" <<'X'
{"entity": "lead", "where": "country = CN"}
X
cat >"$S/called-leads.json" <<'X'
{"entity": "lead", "activities": [{"type": "call", "min": 2, "days": 30}]}
X
cat >"$S/quiet-de-leads.json" <<'X'
{"entity": "lead", "where": "country = DE",
 "activities": [{"type": "call", "max": 1, "days": 30}]}
X

cat >"$T/p.csv" <<'X'
first_name,email,tags
Ann,ann@example.com,vip
Bob,bob@example.com,vip
Cy,cy@example.org,
Di,di@example.org,vip
X
expect_code 0 crm-contact import -q "$T/p.csv"
printf 'first_name,email,country\nLi,li@example.cn,CN\nMo,mo@example.de,DE\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
# Ann: 3 pricing visits in the window (one 14 days ago to the second);
# Bob: 3, but one is 15 days old; Cy: 4, one on /pricing-faq (contains);
# Di opened an email 80 days ago, Bob one 100 days ago.
cat >"$T/a.csv" <<'X'
type,subject,contact_id,occurred_at
web_visit,/pricing,1,2026-06-01T12:00:00Z
web_visit,/pricing,1,2026-06-10T09:00:00Z
web_visit,/Pricing,1,2026-06-15T11:00:00Z
web_visit,/pricing,2,2026-05-31T12:00:00Z
web_visit,/pricing,2,2026-06-10T09:00:00Z
web_visit,/pricing,2,2026-06-11T09:00:00Z
web_visit,/pricing,3,2026-06-10T09:00:00Z
web_visit,/pricing-faq,3,2026-06-11T09:00:00Z
web_visit,/pricing,3,2026-06-12T09:00:00Z
web_visit,/about,3,2026-06-13T09:00:00Z
web_visit,/pricing,3,2026-06-14T09:00:00Z
email_opened,Spring news,4,2026-03-27T12:00:00Z
email_opened,Winter news,2,2026-03-07T12:00:00Z
web_visit,/pricing,4,2026-06-16T09:00:00Z
X
expect_code 0 crm-activity import -q "$T/a.csv"
# called-leads counts a lead's calls (lead_id), not a contact's of the
# same id: Li has two in 30 days; Mo one (the other 40 days old), and
# contact 2 (Bob) one more
cat >"$T/calls.csv" <<'X'
type,subject,lead_id,contact_id,occurred_at
call,intro,1,,2026-06-01T10:00:00Z
call,demo,1,,2026-06-14T10:00:00Z
call,intro,2,,2026-05-06T10:00:00Z
call,demo,2,,2026-06-02T10:00:00Z
call,check-in,,2,2026-06-03T10:00:00Z
X
expect_code 0 crm-activity import -q "$T/calls.csv"
expect_code 0 crm-campaign segment show called-leads --segments "$S" -f csv --fields id,first_name
expect_out "called-leads: Li (two calls), not Mo (one in 30 days, plus a contact's)" <<'X'
id,first_name
1,Li
X
# Li's calls are not counted to the next lead that is a candidate
expect_code 0 crm-campaign segment show quiet-de-leads --segments "$S" --ids
expect_out "quiet-de-leads: Mo (one call in 30 days; Li is no candidate)" <<'X'
2
X

expect_code 0 crm-campaign segment show pricing --segments "$S" -f csv --fields id,first_name
expect_out "pricing: Ann (3 in the window) and Cy (4 with /pricing-faq); not Bob (one is 15 days old)" <<'X'
id,first_name
1,Ann
3,Cy
X
export CRM_SEGMENTS="$S"
expect_code 0 crm-campaign segment show cold-vip --ids
expect_out "cold VIPs: Ann (never opened) and Bob (100 days ago), not Di (80)" <<'X'
1
2
X
expect_code 0 crm-campaign segment list -f csv
expect_out "list: every segment with its size now" <<'X'
name,entity,members
called-leads,lead,1
cold-vip,contact,2
hot-leads,lead,1
pricing,contact,2
quiet-de-leads,lead,1
X

# diff: first run, everyone enters; the flow event is raised
expect_code 0 crm-campaign segment diff pricing -n
err_has "dry run: segment pricing: 2 entered, 0 left"
expect_code 0 crm-campaign segment diff pricing -f csv
expect_out "first diff: all entered" <<'X'
segment,change,record_id
pricing,entered,1
pricing,entered,3
X
err_has "segment pricing: 2 entered, 0 left"
sql "SELECT name, entity, record_id, data FROM crm_flow_events ORDER BY id"
cat >"$T/want" <<'X'
segment.entered|contact|1|{"segment":"pricing"}
segment.entered|contact|3|{"segment":"pricing"}
X
compare "$T/want" "$T/sql" "entering raised segment.entered for each (and the dry run none)"
expect_code 0 crm-campaign segment diff pricing
expect_out "a second diff at once: no change" <<'X'
segment,change,record_id
X
# two days on: Ann's first visit left the window, Bob made a third
CRM_NOW=2026-06-17T12:00:00Z expect_code 0 crm-activity log -q --type web_visit --subject /pricing --contact 2 --at 2026-06-17T10:00:00Z
CRM_NOW=2026-06-17T12:00:00Z expect_code 0 crm-campaign segment diff pricing -f csv
expect_out "Ann left, Bob entered (in id order)" <<'X'
segment,change,record_id
pricing,left,1
pricing,entered,2
X
sql "SELECT count(*) FROM crm_flow_events WHERE record_id = 2"
check "Bob's entering raised one event" grep -qx 1 "$T/sql"

# a flow triggered by entering the segment tags the contact
mkdir -p "$T/flows"
cat >"$T/flows/hot.json" <<'X'
{"name": "pricing-hot", "entity": "contact",
 "trigger": {"type": "event", "event": "segment.entered"},
 "actions": [{"type": "tag", "add": "hot"}]}
X
CRM_NOW=2026-06-17T12:05:00Z expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-contact list -f csv --fields id,tags
expect_out "the flow tagged the three who entered (Ann, Cy, Bob)" <<'X'
id,tags
1,"hot,vip"
2,"hot,vip"
3,hot
4,vip
X

# failures
expect_code 66 crm-campaign segment show nosuch
err_has "no segment 'nosuch'"
expect_code 64 crm-campaign segment show ../etc
expect_code 64 crm-campaign segment frob x
expect_code 64 crm-campaign segment show pricing --where 'id=1'
printf '{"entity": "deal"}' >"$S/bad1.json"
expect_code 78 crm-campaign segment show bad1
err_has "bad1.json: entity: expected"
printf '{"entity": "contact", "where": "shoe_size > 3 >"}' >"$S/bad2.json"
expect_code 78 crm-campaign segment show bad2
err_has "segment 'bad2': where: "
printf '{"entity": "contact", "where": "first_name"}' >"$S/bad6.json"
expect_code 78 crm-campaign segment show bad6
err_has "bad6.json: where: "
printf '{"entity": "contact", "activities": [{"type": "call"}]}' >"$S/bad3.json"
expect_code 78 crm-campaign segment show bad3
err_has "days: expected the window in days"
printf '{"entity": "contact", "colour": "red"}' >"$S/bad4.json"
expect_code 78 crm-campaign segment show bad4
err_has "colour: unknown key"
printf '{"entity": "contact",' >"$S/bad5.json"
expect_code 78 crm-campaign segment show bad5
# names: letters, digits, - and _
expect_code 64 crm-campaign segment show 'bad.name'
err_has "bad segment name 'bad.name' (letters, digits, - and _)"
expect_code 64 crm-campaign segment show ''
err_has "bad segment name ''"
expect_code 66 crm-campaign segment show Cold_VIP-2
done_testing
