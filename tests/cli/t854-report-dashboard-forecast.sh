#!/bin/bash
# crm-report dashboard: the won revenue trend goes on into the forecast,
# drawn dashed with its 95% prediction interval shaded and labelled, from
# the code path of crm-score forecast (the same numbers); and in the
# terminal. Won revenue repeats one season exactly for three years (Nov
# 2023 to Oct 2026, as t621), so the forecast from November (the month
# now falls in) is that season; with one month off the season the
# interval opens and is still crm-score forecast's.
. "$(dirname "$0")/../lib.sh"

season=(300 100 120 150 200 250 180 160 220 260 400 900) # Jan..Dec
{
	echo "name,stage,amount,currency,owner,closed_at"
	for y in 2023 2024 2025 2026; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			ym=$y-$m
			[[ "$ym" < 2023-11 || "$ym" > 2026-10 ]] && continue
			echo "k$ym,closed_won,${season[$((10#$m - 1))]},EUR,kim,$ym-15T12:00:00Z"
		done
	done
} >"$T/won.csv"
expect_code 0 crm-pipeline import -q "$T/won.csv"

# the chart's table (period, won, forecast, lower, upper) as CSV
table() {
	python3 - "$1" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
i = s.index('Won revenue and its forecast')
t = s[i:s.index('</table>', i)]
for row in re.findall(r'<tr>(.*?)</tr>', t):
    cells = re.findall(r'<t[hd][^>]*>(.*?)</t[hd]>', row)
    print(','.join(html.unescape(c) for c in cells))
PY
}

expect_code 0 crm-report dashboard -f html
cp "$T/out" "$T/dash.html"
table "$T/dash.html" >"$T/got"
{
	echo "period,won,forecast,lower,upper"
	# the trend: December 2025 to October 2026 won, November nothing yet
	for k in 11 0 1 2 3 4 5 6 7 8 9; do
		if [ $k = 11 ]; then p=2025-12; else p=2026-$(printf %02d $((k + 1))); fi
		echo "$p,${season[k]},,,"
	done
	# the forecast: November 2026 (now) and three months past the window;
	# an exact season leaves no error: the interval is the point
	echo "2026-11,,400,400,400"
	echo "2026-12,,900,900,900"
	echo "2027-01,,300,300,300"
	echo "2027-02,,100,100,100"
} >"$T/want"
compare "$T/want" "$T/got" "the trend, then the forecast recovers the season"
out_has 'Won revenue and its forecast <span class="unit">(EUR)</span>'
out_has '95% prediction interval</text>'
check "the forecast line is dashed" grep -q '<path class="line" stroke="#d55e00" stroke-dasharray="6 4"' "$T/dash.html"
out_has 'Dashed: the forecast (Holt-Winters, additive season, fitted on 36 months of won revenue in EUR, as crm-score forecast does), shaded: its 95% prediction interval; backtest over 12 months: MAPE 0.0%, seasonal naive 0.0%.'

# the terminal: the three months past the window
expect_code 0 crm-report dashboard -f table
sed -n '/^Forecast, won revenue/,$p' "$T/out" >"$T/got"
cat >"$T/want" <<'X'
Forecast, won revenue in EUR (95% interval)
  2026-12         900.00  900.00 to 900.00
  2027-01         300.00  300.00 to 300.00
  2027-02         100.00  100.00 to 100.00
X
compare "$T/want" "$T/got" "the terminal lists the forecast past the window"

# one month off the season: the interval opens; the page's numbers are
# crm-score forecast's, period by period
printf 'name,stage,amount,currency,owner,closed_at\nextra,closed_won,75,EUR,kim,2025-06-03T12:00:00Z\n' >"$T/extra.csv"
expect_code 0 crm-pipeline import -q "$T/extra.csv"
expect_code 0 crm-report dashboard -f html
table "$T/out" | awk -F, 'NR > 1 && $3 != "" { print $1 "," $3 "," $4 "," $5 }' >"$T/got"
expect_code 0 crm-score forecast -f csv --horizon 4 --fields period,forecast,lower,upper
sed 1d "$T/out" | sed 's/\.00,/,/g; s/\.00$//; s/\(\.[0-9]\)0,/\1,/g; s/\(\.[0-9]\)0$/\1/' >"$T/want"
compare "$T/want" "$T/got" "the page's forecast and interval are crm-score forecast's"
check "the interval is open now (lower < upper)" awk -F, '$3 >= $4 { bad = 1 } END { exit bad }' "$T/got"

# by week: the week now falls in is ISO week 47 (Monday 16 November),
# the same number as crm-score forecast's first week
expect_code 0 crm-report dashboard -f html --period week
table "$T/out" | grep '^2026-W47,' | cut -d, -f3 >"$T/got"
expect_code 0 crm-score forecast -f csv --period week --horizon 1 --fields period,forecast
check "week 47 is crm-score forecast's week of 2026-11-16" sh -c \
	'grep -q "^2026-11-16," "$1" && [ "$(cut -d, -f2 "$1" | sed -n 2p | sed "s/\.00$//")" = "$(cat "$2")" ]' _ "$T/out" "$T/got"

# no forecast, said why: by day; a window before this month
expect_code 0 crm-report dashboard -f html --period day
out_has 'No forecast by day (only by week, month or quarter).'
expect_code 0 crm-report dashboard -f html --from 2026-01-01 --to 2026-03-01
out_has 'No forecast: the window ends before this month.'
check "no forecast chart then" sh -c "! grep -q 'Won revenue and its forecast' '$T/out'"
done_testing
