#!/bin/bash
# crm-report --by A,B: one row per combination of values, columns in the
# order given, with and without --period, and with --compare; against
# totals worked out by hand.
. "$(dirname "$0")/../lib.sh"

at() { CRM_NOW=$1; export CRM_NOW; }
deal() { expect_code 0 crm-pipeline add -q --ids "$@"; }

# 1 ana web won; 2 ana web lost; 3 ana web won; 4 ana ads lost;
# 5 bob web won; 6 bob ads won; 7 bob ads lost; 8 bob web open (EUR 500)
at 2026-10-01T00:00:00Z
deal --name D1 --amount 100 --currency EUR --owner ana --set source=web
deal --name D2 --amount 200 --currency EUR --owner ana --set source=web
deal --name D3 --amount 300 --currency EUR --owner ana --set source=web
deal --name D4 --amount 400 --currency EUR --owner ana --set source=ads
deal --name D5 --amount 50 --currency EUR --owner bob --set source=web
deal --name D6 --amount 60 --currency EUR --owner bob --set source=ads
deal --name D7 --amount 70 --currency EUR --owner bob --set source=ads
deal --name D8 --amount 500 --currency EUR --owner bob --set source=web
at 2026-10-10T00:00:00Z
for d in 1 3 5; do expect_code 0 crm-pipeline won -q $d; done
for d in 2 4 7; do expect_code 0 crm-pipeline lost -q $d --reason price; done
at 2026-11-10T00:00:00Z
expect_code 0 crm-pipeline won -q 6
at 2026-11-22T09:30:00Z

# closed DESC, then owner, source: ana/web 3 (2 won), bob/ads 2 (1),
# ana/ads 1 (0), bob/web 1 (1)
expect_code 0 crm-report winrate -f csv --by owner,source
expect_out "winrate --by owner,source" <<'X'
owner,source,closed,won,lost,win_rate
ana,web,3,2,1,66.7
bob,ads,2,1,1,50.0
ana,ads,1,0,1,0.0
bob,web,1,1,0,100.0
X
expect_code 0 crm-report winrate -f csv --by source,owner
expect_out "the columns come in the order given" <<'X'
source,owner,closed,won,lost,win_rate
web,ana,3,2,1,66.7
ads,bob,2,1,1,50.0
ads,ana,1,0,1,0.0
web,bob,1,1,0,100.0
X
# open pipeline (stage, currency always): D8 only, prospecting 10%
expect_code 0 crm-report pipeline -f csv --by owner,source
expect_out "pipeline --by owner,source (currency still a key)" <<'X'
owner,source,currency,deals,amount,weighted_amount
bob,web,EUR,1,500.00,50.00
X
# by month: every combination in every month, empty ones too
expect_code 0 crm-report winrate -f csv --by owner,source --period month --from 2026-10-01 --to 2026-11-30
expect_out "winrate --by owner,source --period month" <<'X'
period,owner,source,closed,won,lost,win_rate
2026-10,ana,ads,1,0,1,0.0
2026-11,ana,ads,0,0,0,
2026-10,ana,web,3,2,1,66.7
2026-11,ana,web,0,0,0,
2026-10,bob,ads,1,0,1,0.0
2026-11,bob,ads,1,1,0,100.0
2026-10,bob,web,1,1,0,100.0
2026-11,bob,web,0,0,0,
X
expect_code 0 crm-report winrate -f csv --by owner,source --from 2026-11-01 --to 2026-11-30 --compare previous --fields owner,source,closed,closed_prev
expect_out "--compare matches rows on both fields" <<'X'
owner,source,closed,closed_prev
bob,ads,1,1
X
if command -v jq >/dev/null; then
	expect_code 0 crm-report winrate -f json --by owner,source
	check "json: the counts add up to 7 closed deals" [ "$(jq 'map(.closed) | add' "$T/out")" = 7 ]
fi

db_dump "" "$T/before"
expect_code 64 crm-report winrate --by owner,owner
err_has "--by: 'owner' given twice"
expect_code 64 crm-report winrate --by owner,bogus
err_has "--by: unknown deal field 'bogus'"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "bad --by changes nothing"
done_testing
