#!/bin/bash
# The power map and its gaps, one rule at a time, with --check's exit
# status: a key person with no activity in N days (and one never met), an
# open deal past a stage with no economic buyer or no champion, an opponent
# with high influence. Days since the last touch against hand-counted days.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T09:00:00Z

expect_code 0 crm-company add --name 'Acme Group' --ids
cat >"$T/c.csv" <<'X'
first_name,last_name,email,company,title,reports_to,owner
Ann,Boss,ann@acme.com,Acme Group,CEO,,kim
Bob,Mid,bob@acme.com,Acme Group,CFO,ann@acme.com,kim
Dee,Adams,dee@acme.com,Acme Group,IT head,bob@acme.com,lee
Eve,Ops,eve@acme.com,Acme Group,Ops,ann@acme.com,lee
X
expect_code 0 crm-contact import "$T/c.csv"
# last touches: Ann 4 days ago, Bob 59 (Jan 1 -> Mar 1), Dee 9, Eve 1
expect_code 0 crm-activity log --type call --subject a --contact ann@acme.com --at 2026-02-25T09:00:00Z
expect_code 0 crm-activity log --type call --subject b --contact bob@acme.com --at 2026-01-01T09:00:00Z
expect_code 0 crm-activity log --type call --subject d --contact dee@acme.com --at 2026-02-20T09:00:00Z
expect_code 0 crm-activity log --type call --subject e --contact eve@acme.com --at 2026-02-28T09:00:00Z
expect_code 0 crm-pipeline add --name 'Acme platform' --set company='Acme Group' --set stage=qualification --ids
expect_code 0 crm-pipeline role add 1 ann@acme.com --role decision_maker --attitude supporter --influence high
expect_code 0 crm-pipeline role add 1 bob@acme.com --role economic_buyer --attitude supporter
expect_code 0 crm-pipeline role add 1 dee@acme.com --role champion --attitude supporter --influence low
expect_code 0 crm-pipeline role add 1 eve@acme.com --role user --influence low

# rule: a key person (key role or high influence) with no activity in N days
expect_code 1 crm-pipeline powermap 1 --check -f csv
expect_out "records: one row per person in reporting order, days since the last touch" <<'X'
deal_id,company_id,contact_id,name,title,reports_to_id,depth,roles,attitude,influence,owner,last_activity_at,days_since,flags
1,1,1,Ann Boss,CEO,,0,decision_maker,supporter,high,kim,2026-02-25T09:00:00Z,4,
1,1,2,Bob Mid,CFO,1,1,economic_buyer,supporter,medium,kim,2026-01-01T09:00:00Z,59,stale
1,1,3,Dee Adams,IT head,2,2,champion,supporter,low,lee,2026-02-20T09:00:00Z,9,
1,1,4,Eve Ops,Ops,1,1,user,neutral,low,lee,2026-02-28T09:00:00Z,1,
X
expect_err "the gap on stderr" <<'X'
crm-pipeline: gap: Bob Mid (contact 2): key person with no activity in 30 days (last 59 days ago)
X
expect_code 1 crm-pipeline powermap 1 --check --days 58 -q -f csv
expect_code 0 crm-pipeline powermap 1 --check --days 59 -q -f csv
expect_code 0 crm-pipeline powermap 1 -f csv -q
# a user with low influence and no key role is no key person, met or not
expect_code 0 crm-contact add --first-name Gus --email gus@acme.com --company 'Acme Group' --ids
expect_code 0 crm-pipeline role add 1 gus@acme.com --role user --influence low
expect_code 0 crm-pipeline powermap 1 --check --days 59 -q -f csv
# ... but with high influence and never met, he is a gap
expect_code 0 crm-pipeline role add 1 gus@acme.com --role user --influence high
expect_code 1 crm-pipeline powermap 1 --check --days 59 -f csv
err_has "gap: Gus (contact 5): key person never met"
expect_code 0 crm-pipeline role rm 1 gus@acme.com

# rule: an open deal past the stage without an economic buyer or a champion
expect_code 0 crm-pipeline move proposal 1
expect_code 0 crm-pipeline powermap 1 --check --days 60 -q -f csv
expect_code 0 crm-pipeline role rm 1 dee@acme.com
expect_code 1 crm-pipeline powermap 1 --check --days 60 -f csv
expect_err "no champion past qualification" <<'X'
crm-pipeline: gap: deal 1 (Acme platform) is past qualification with no champion
X
expect_code 0 crm-pipeline powermap 1 --check --days 60 --stage proposal -q -f csv
expect_code 0 crm-pipeline role rm 1 bob@acme.com
expect_code 1 crm-pipeline powermap 1 --check --days 60 -f csv
err_has "is past qualification with no economic_buyer"
err_has "is past qualification with no champion"
# an account role counts for the deals of the account
expect_code 0 crm-company role add 1 bob@acme.com --role economic_buyer
expect_code 0 crm-company role add 1 dee@acme.com --role champion
expect_code 0 crm-pipeline powermap 1 --check --days 60 -q -f csv
expect_code 0 crm-company powermap 'Acme Group' --check --days 60 -q -f csv
expect_code 0 crm-company role rm 1 dee@acme.com
expect_code 1 crm-company powermap 'Acme Group' --check --days 60 -f csv
err_has "gap: deal 1 (Acme platform) is past qualification with no champion"
# a closed deal needs nothing
expect_code 0 crm-pipeline won 1
expect_code 0 crm-pipeline powermap 1 --check --days 60 -q -f csv
expect_code 0 crm-company powermap 1 --check --days 60 -q -f csv

# rule: an opponent with high influence
expect_code 0 crm-company role add 1 eve@acme.com --role blocker --attitude opponent --influence high
expect_code 1 crm-company powermap 1 --check --days 60 -f csv
expect_err "a high-influence opponent" <<'X'
crm-company: gap: Eve Ops (contact 4): opponent with high influence
X
expect_code 0 crm-company role add 1 eve@acme.com --role blocker --influence medium
expect_code 0 crm-company powermap 1 --check --days 60 -q -f csv
expect_code 0 crm-company role add 1 eve@acme.com --role blocker --influence high --attitude neutral
expect_code 0 crm-company powermap 1 --check --days 60 -q -f csv

# the terminal tree: the won deal's roles are gone from the account's
# map, so Ann is not on it and her reports are its roots
expect_code 1 crm-company powermap 1 --check -f table
expect_out "tree: role, attitude/influence, last touch, owner, flags; gaps" <<'X'
Company 1: Acme Group
  Bob Mid (2), CFO  economic_buyer  neutral/medium  touched 59d ago  owner kim  !stale
  Eve Ops (4), Ops  blocker  neutral/high  touched 1d ago  owner lee
Gaps:
  gap: Bob Mid (contact 2): key person with no activity in 30 days (last 59 days ago)
X

expect_code 0 crm-pipeline powermap 1 -f table
expect_out "a deal's map keeps its roles after it closed, with reporting lines" <<'X'
Deal 1: Acme platform
  Ann Boss (1), CEO  decision_maker  supporter/high  touched 4d ago  owner kim
    Bob Mid (2), CFO  economic_buyer  neutral/medium  touched 59d ago  owner kim  !stale
    Eve Ops (4), Ops  user,blocker  neutral/high  touched 1d ago  owner lee
Gaps:
  gap: Bob Mid (contact 2): key person with no activity in 30 days (last 59 days ago)
X
expect_code 66 crm-pipeline powermap 99
expect_code 64 crm-pipeline powermap 1 --stage nowhere
err_has "--stage: no stage 'nowhere'"
expect_code 64 crm-pipeline powermap 1 --days soon
expect_code 64 crm-pipeline powermap
done_testing
