#!/bin/bash
# crm-report dashboard: the key figures, worked out by hand for deals
# moved at pinned times (as t804), and the same figures on the HTML page
# as the reports' own records print them (one code path: the dashboard
# runs the report specs).
. "$(dirname "$0")/../lib.sh"

at() { CRM_NOW=$1; export CRM_NOW; }
deal() { expect_code 0 crm-pipeline add -q --ids "$@"; }

# D6 lou 100000 JPY: 10-01, won 10-21 12:00 (20.5 days)
# D1 kim 1000 EUR: 11-01, won 11-11 (10 days)
# D2 kim 500 USD: 11-02, lost 11-08
# D3 lou 2000 EUR: 11-03, won 11-07 12:00 (4.5 days)
# D4 lou 300 EUR: 11-10, open in prospecting (10%), closing 2026-12-15
# D5 kim 700 USD: 11-12, open
at 2026-10-01T00:00:00Z; deal --name D6 --amount 100000 --currency JPY --owner lou
at 2026-11-01T00:00:00Z; deal --name D1 --amount 1000 --currency EUR --owner kim
at 2026-11-02T00:00:00Z; deal --name D2 --amount 500 --currency USD --owner kim
at 2026-11-03T00:00:00Z; deal --name D3 --amount 2000 --currency EUR --owner lou
at 2026-11-07T12:00:00Z; expect_code 0 crm-pipeline won -q 4
at 2026-11-08T00:00:00Z; expect_code 0 crm-pipeline lost -q 3 --reason price
at 2026-11-10T00:00:00Z; deal --name D4 --amount 300 --currency EUR --owner lou --expected-close 2026-12-15
at 2026-11-11T00:00:00Z; expect_code 0 crm-pipeline won -q 2
at 2026-11-12T00:00:00Z; deal --name D5 --amount 700 --currency USD --owner kim
at 2026-10-21T12:00:00Z; expect_code 0 crm-pipeline won -q 1
at 2026-11-22T09:30:00Z

# this month so far (11-01 to 11-22) against the same days of October;
# money in EUR (two of the three won deals)
# open pipeline: D4 300 EUR now; nothing open in EUR on 11-01 00:00
# forecast: D4 closes this quarter, 10% of 300
# won: D3 + D1 = 3000 EUR; in October only D6, in JPY
# win rate: 2 of 3 (D2 lost) against 1 of 1
# median cycle: 4.5 and 10 days: 7.25, printed 7.3; October 20.5 (-64.4%)
expect_code 0 crm-report dashboard -f csv
expect_out "the key figures as records" <<'X'
area,figure,label,value,unit,previous,change_pct,compared_with
sales,open_pipeline,Open pipeline,300.00,EUR,,,as of 2026-11-01
sales,forecast_quarter,Weighted forecast this quarter,30.00,EUR,,,as of 2026-11-01
sales,won,Won this period,3000.00,EUR,,,2026-10-01 to 2026-10-22
sales,win_rate,Win rate,66.7,%,100.0,-33.3,2026-10-01 to 2026-10-22
sales,median_cycle,Median cycle,7.3,days,20.5,-64.4,2026-10-01 to 2026-10-22
marketing,new_leads,New leads,0,count,0,,2026-10-01 to 2026-10-22
support,sla_compliance,SLA compliance (first reply),,%,,,2026-10-01 to 2026-10-22
support,open_tickets,Open tickets,0,count,0,,as of 2026-11-01
support,breaches,SLA breaches,,count,,,2026-10-01 to 2026-10-22
X

# --currency USD: D2 lost, D5 open 700 at 10%, nothing won in USD
expect_code 0 crm-report dashboard -f csv --currency USD
grep -E '^sales,(open_pipeline|won),' "$T/out" | cut -d, -f2,4,5 >"$T/got"
cat >"$T/want" <<'X'
open_pipeline,700.00,USD
won,,USD
X
compare "$T/want" "$T/got" "--currency: the money figures in that currency"

# a window of its own: --from/--to (11-07 and 11-08: D3 won, D2 lost),
# compared with the same days a month before
expect_code 0 crm-report dashboard -f csv --from 2026-11-07 --to 2026-11-08
grep -E '^sales,(won|win_rate),' "$T/out" | cut -d, -f2,4,6,8 >"$T/got"
cat >"$T/want" <<'X'
won,2000.00,,2026-10-07 to 2026-10-08
win_rate,50.0,,2026-10-07 to 2026-10-08
X
compare "$T/want" "$T/got" "--from/--to: the window and the one a month before"
expect_code 0 crm-report dashboard -f csv --period week
grep -E '^sales,win_rate,' "$T/out" | cut -d, -f4,8 >"$T/got"
# the week of Monday 11-16: nothing closed; compared with 11-09 to 11-15
echo ',2026-11-09 to 2026-11-15' >"$T/want"
compare "$T/want" "$T/got" "--period week: this week against the last"

# the page carries the same numbers as the reports print
expect_code 0 crm-report dashboard -f html
cp "$T/out" "$T/dash.html"
fig() { # the data-value of figure $1 on the page
	grep -o "data-figure=\"$1\" data-value=\"[^\"]*\"" "$T/dash.html" |
		sed 's/.*data-value="//; s/"$//'
}
rep() { # field $1 of the EUR (or only) row of report output $T/out
	awk -F, -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		!("currency" in c) || $c["currency"] == "EUR" { print $c[f]; exit }' "$T/out"
}
same() { # figure, report field: the page and the record agree
	got=$(fig "$1") want=$(rep "$2")
	check "page $1 ($got) = report $2 ($want)" [ "$got" = "$want" -a -n "$want" ]
}
expect_code 0 crm-report pipeline --by '' -f csv
same open_pipeline amount
expect_code 0 crm-report pipeline --by '' -f csv --where 'expected_close >= 2026-10-01' --where 'expected_close < 2027-01-01'
same forecast_quarter weighted_amount
expect_code 0 crm-report dealsize --from 2026-11-01 -f csv
same won total
expect_code 0 crm-report winrate --by '' --from 2026-11-01 -f csv
same win_rate win_rate
expect_code 0 crm-report cycle --from 2026-11-01 -f csv
same median_cycle median_days
check "every figure is on the page" [ "$(grep -c 'class="tile" data-figure=' "$T/dash.html")" -eq 9 ]

# usage errors
expect_code 64 crm-report dashboard --compare previous
err_has "crm-report: dashboard takes no --compare"
expect_code 64 crm-report dashboard extra
err_has "dashboard takes options, not 'extra'"
expect_code 64 crm-report dashboard --from 2026-11-10 --to 2026-11-01
err_has "--from must be before --to"
expect_code 64 crm-report dashboard --period fortnight
done_testing
