#!/bin/bash
# crm-score forecast: won revenue per month forecast with Holt-Winters.
# kim's wins repeat one season exactly for three years (Nov 2023 to Oct
# 2026), so the next twelve months must be that season; lou has ten months
# (under two seasons: Holt's trend, said so); too little history and
# mixed currencies are refused.
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
	for m in 01 02 03 04 05 06 07 08 09 10; do
		echo "l$m,closed_won,$((40 + 10#$m)),EUR,lou,2026-$m-10T12:00:00Z"
	done
	# this month is not complete yet: left out
	echo "now,closed_won,5000,EUR,kim,2026-11-02T12:00:00Z"
} >"$T/won.csv"

# too little history: two months
printf 'name,stage,amount,currency,closed_at\na,closed_won,10,EUR,2026-09-01\nb,closed_won,10,EUR,2026-10-01\n' >"$T/short.csv"
expect_code 0 crm-pipeline import -q "$T/short.csv"
expect_code 65 crm-score forecast
err_has "too little history to forecast: 2 months of won revenue; at least 3 needed (24 for a seasonal model)"
expect_code 0 crm-pipeline delete -q 1 2

expect_code 0 crm-pipeline import -q "$T/won.csv"
expect_code 64 crm-score forecast --by owner -w owner=kim -f csv
err_has "takes no ids, --where or --stdin"
expect_code 64 crm-score forecast --period day
expect_code 64 crm-score forecast --by stage
expect_code 64 crm-score forecast --level 90

expect_code 0 crm-score forecast --by owner -f csv --fields owner,period,forecast,method
{
	echo owner,period,forecast,method
	for k in 10 11 0 1 2 3 4 5 6 7 8 9; do
		if [ "$k" -ge 10 ]; then p=2026-$((k + 1)); else p=2027-$(printf %02d $((k + 1))); fi
		printf 'kim,%s,%s.00,additive\n' "$p" "${season[$k]}"
	done
} >"$T/want"
awk -F, 'NR == 1 || $1 == "kim"' "$T/out" >"$T/kim"
compare "$T/want" "$T/kim" "kim's next twelve months are the season"
err_has "owner lou: 10 months of history, fewer than two seasons (24): no season, Holt's trend only"
# lou: 41, 42, ... 50: a straight line goes on to 51, 52, ...
check "lou's trend continues: 51 then 52" awk -F, '$1 == "lou" && $2 == "2026-11" && $3 == "51.00" { a = 1 } $1 == "lou" && $2 == "2026-12" && $3 == "52.00" { b = 1 } END { exit !(a && b) }' "$T/out"
check "lou's method says holt" grep -q '^lou,2027-10,[0-9.]*,holt$' "$T/out"

# the total: 95% intervals hold the forecast, the lower bound never below 0
expect_code 0 crm-score forecast -f csv --horizon 3
check "three rows and a header" [ "$(wc -l <"$T/out")" -eq 4 ]
check "lower <= forecast <= upper" awk -F, 'NR > 1 && !($4 <= $3 && $3 <= $5 && $4 >= 0) { bad = 1 } END { exit bad }' "$T/out"
check "first period is 2026-11 in EUR" grep -q '^2026-11,EUR,' "$T/out"
expect_code 0 crm-score forecast -f csv --horizon 3 --level 80
cp "$T/out" "$T/l80"
expect_code 0 crm-score forecast -f csv --horizon 3 --level 95
check "the 80% interval is narrower" awk -F, 'NR == FNR { w[FNR] = $5 - $4; next } FNR > 1 && $5 - $4 <= w[FNR] { bad = 1 } END { exit bad }' "$T/l80" "$T/out"

# the backtest: kim's seasonal naive is exact (MAPE 0), the model too;
# lou's naive (last value) misses 44..50 by 1: mean of 1/44..1/50 = 2.13%
expect_code 0 crm-score forecast --by owner --backtest -f csv --fields owner,method,periods,origins,mape,snaive_mape
expect_out "backtest per owner" <<'X'
owner,method,periods,origins,mape,snaive_mape
kim,additive,36,12,0.00,0.00
lou,holt,10,7,0.00,2.13
X

# quarters: 12 complete quarters of kim's and lou's wins
expect_code 0 crm-score forecast --period quarter -f csv --horizon 1 --fields period
expect_out "the next quarter" <<'X'
period
2026-Q4
X

# several currencies need rates
printf 'name,stage,amount,currency,closed_at\nu,closed_won,10,USD,2026-10-05\n' >"$T/usd.csv"
expect_code 0 crm-pipeline import -q "$T/usd.csv"
expect_code 65 crm-score forecast
err_has "won deals in several currencies (EUR, USD): give --rates"
printf '{"base": "EUR", "rates": {"USD": 0.5}}\n' >"$T/rates.json"
expect_code 0 crm-score forecast --rates "$T/rates.json" -f csv --horizon 1

done_testing
