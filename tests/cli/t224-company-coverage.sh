#!/bin/bash
# crm-company coverage: per company of a group, open and won deals, open
# pipeline and won revenue (one currency, or "mixed"), contacts known, the
# last activity and the owner; the white space (no owner, no activity)
# flagged, --days and --check. Against a hand-built group.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T09:00:00Z

cat >"$T/co.csv" <<'X'
name,parent,owner
Fuji Group,,kim
Fuji Japan,Fuji Group,lee
Fuji Labs,Fuji Japan,
Fuji Europe,Fuji Group,kim
Other Co,,kim
X
expect_code 0 crm-company import "$T/co.csv"
cat >"$T/c.csv" <<'X'
first_name,email,company
Ann,ann@fuji.example,Fuji Group
Bob,bob@fuji.example,Fuji Japan
Cy,cy@fuji.example,Fuji Japan
Dee,dee@fuji.example,Fuji Europe
Oz,oz@other.example,Other Co
X
expect_code 0 crm-contact import "$T/c.csv"
cat >"$T/d.csv" <<'X'
name,company,stage,amount,currency
Japan platform,Fuji Japan,proposal,10000,EUR
Japan support,Fuji Japan,closed_won,5000,EUR
Japan training,Fuji Japan,closed_won,2500.50,EUR
Group licence,Fuji Group,closed_won,1000000,JPY
Europe pilot,Fuji Europe,qualification,300,USD
Europe add-on,Fuji Europe,prospecting,200,EUR
Other deal,Other Co,closed_won,999,EUR
X
expect_code 0 crm-pipeline import "$T/d.csv"
# Bob 9 days ago, Ann 90 days ago (Dec 1 -> Mar 1: 31 + 31 + 28)
expect_code 0 crm-activity log --type call --subject a --contact bob@fuji.example --at 2026-02-20T09:00:00Z
expect_code 0 crm-activity log --type call --subject b --contact ann@fuji.example --at 2025-12-01T09:00:00Z

expect_code 0 crm-company coverage 'Fuji Labs' -f csv
expect_out "the whole group from its top, by name; money in one currency or mixed" <<'X'
id,name,parent_id,depth,path,owner,contacts,open_deals,pipeline,pipeline_currency,won_deals,revenue,currency,last_activity_at,days_since,white_space,why
1,Fuji Group,,0,1,kim,1,0,,,1,1000000,JPY,2025-12-01T09:00:00Z,90,false,
4,Fuji Europe,1,1,1/4,kim,1,2,,mixed,0,,,,,true,no activity
2,Fuji Japan,1,1,1/2,lee,2,1,10000.00,EUR,2,7500.50,EUR,2026-02-20T09:00:00Z,9,false,
3,Fuji Labs,2,2,1/2/3,,0,0,,,0,,,,,true,"no owner, no activity"
X
expect_err "a summary" <<'X'
crm-company: 2 of 4 companies are white space
X
expect_code 1 crm-company coverage 1 --days 30 --check -f csv --fields id
expect_code 0 crm-company coverage 1 --days 30 -q -f json
cp "$T/out" "$T/j"
check "--days 30: the top, quiet for 90 days, is white space too" \
	grep -q '"id":1,"name":"Fuji Group".*"white_space":true,"why":"no activity"' "$T/j"
expect_code 0 crm-company coverage 1 --days 90 -q --ids
expect_out "--ids in tree order" <<'X'
1
4
2
3
X
expect_code 1 crm-company coverage 'Other Co' --check -q -f table
expect_out "a company of its own" <<'X'
Other Co (5)  owner kim  contacts 1  open 0  won 1 (999.00 EUR)  touched never  WHITE SPACE (no activity)
X
expect_code 0 crm-company coverage 1 -q -f table
expect_out "terminal: indented" <<'X'
Fuji Group (1)  owner kim  contacts 1  open 0  won 1 (1000000 JPY)  touched 90d ago
  Fuji Europe (4)  owner kim  contacts 1  open 2 (mixed currencies)  won 0  touched never  WHITE SPACE (no activity)
  Fuji Japan (2)  owner lee  contacts 2  open 1 (10000.00 EUR)  won 2 (7500.50 EUR)  touched 9d ago
    Fuji Labs (3)  owner -  contacts 0  open 0  won 0  touched never  WHITE SPACE (no owner, no activity)
X
expect_code 66 crm-company coverage 'Nope'
expect_code 64 crm-company coverage
expect_code 64 crm-company coverage 1 --days x
done_testing
