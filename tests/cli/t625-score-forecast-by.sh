#!/bin/bash
# crm-score forecast --by family: a won deal's amount is split over the
# product families of its accepted quote's lines (in proportion to the
# line amounts); each family's series gets its own forecast and backtest.
# Thirty months (May 2024 to Oct 2026) of one deal a month whose hardware and
# software lines each repeat their own season exactly, so each family's
# next twelve months must be its season; --by region takes the region of
# the deal's account; a group with too little history is left out, said
# so, while the others are forecast.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-20T12:00:00Z CRM_PRICING="$T/pricing.json"

hw=(50 60 70 80 90 100 110 120 130 140 150 160)     # Jan..Dec
sw=(200 100 100 100 100 100 100 100 100 100 100 400) # Jan..Dec
cat >"$T/pricing.json" <<'X'
{"books": [{"name": "list", "currency": "EUR", "from": "2020-01-01",
  "to": "2030-12-31", "entries": {"HW": {"price": "1.00"},
  "SW": {"price": "1.00"}}}]}
X
printf 'sku,name,family\nHW,Server,hardware\nSW,Licence,software\n' >"$T/products.csv"
expect_code 0 crm-product import -q "$T/products.csv"
expect_code 0 crm-company add -q --name Acme --set region=EU
months=()
for y in 2024 2025 2026; do
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		[[ "$y-$m" < 2024-05 || "$y-$m" > 2026-10 ]] || months+=("$y-$m")
	done
done
{
	echo "name,stage,amount,currency,owner,company,closed_at"
	for ym in "${months[@]}"; do
		k=$((10#${ym#*-} - 1))
		echo "d$ym,closed_won,$((hw[k] + sw[k])),EUR,kim,Acme,$ym-15T12:00:00Z"
	done
	# no quote and no account: the (none) group, one month only
	echo "loose,closed_won,999,EUR,lou,,2026-10-03T12:00:00Z"
} >"$T/won.csv"
expect_code 0 crm-pipeline import -q "$T/won.csv"
q=0
for ym in "${months[@]}"; do
	k=$((10#${ym#*-} - 1))
	q=$((q + 1))
	expect_code 0 crm-quote new -q --deal "d$ym" --book list
	expect_code 0 crm-quote add-line -q $q HW --qty "${hw[k]}"
	expect_code 0 crm-quote add-line -q $q SW --qty "${sw[k]}"
	expect_code 0 crm-quote submit -q $q
	expect_code 0 crm-quote accept -q $q
done
# a quote that was never accepted does not count: all of it software
expect_code 0 crm-quote new -q --deal "d2026-10" --book list
expect_code 0 crm-quote add-line -q $((q + 1)) SW --qty 5000

expect_code 64 crm-score forecast --by product
err_has "expected owner, region or family, got 'product'"

expect_code 0 crm-score forecast --by family -f csv --fields family,period,forecast,method
{
	echo family,period,forecast,method
	for f in hardware software; do
		for k in 10 11 0 1 2 3 4 5 6 7 8 9; do
			if [ "$k" -ge 10 ]; then p=2026-$((k + 1)); else p=2027-$(printf %02d $((k + 1))); fi
			if [ $f = hardware ]; then v=${hw[k]}; else v=${sw[k]}; fi
			printf '%s,%s,%s.00,additive\n' $f "$p" "$v"
		done
	done
} >"$T/want"
compare "$T/want" "$T/out" "each family's next twelve months are its own season"
err_has "family (none): too little history to forecast: 1 month of won revenue; at least 3 needed: left out"
err_has "family hardware: additive"

# the backtest per family: both seasons repeat exactly, the seasonal
# naive and the model are exact (MAPE 0)
expect_code 0 crm-score forecast --by family --backtest -f csv --fields family,method,periods,origins,mape,snaive_mape
expect_out "backtest per family" <<'X'
family,method,periods,origins,mape,snaive_mape
hardware,additive,30,6,0.00,0.00
software,additive,30,6,0.00,0.00
X

# --by region: the account's region; its series is both families together
expect_code 0 crm-score forecast --by region -f csv --horizon 2 --fields region,period,forecast
expect_out "region EU: the sum of the two seasons" <<'X'
region,period,forecast
EU,2026-11,250.00
EU,2026-12,560.00
X
err_has "region (none): too little history"

# every group too thin: refused
export CRM_DB="$T/thin.db"
expect_code 0 crm init
printf 'name,stage,amount,currency,closed_at\na,closed_won,10,EUR,2026-10-01\n' >"$T/thin.csv"
expect_code 0 crm-pipeline import -q "$T/thin.csv"
expect_code 65 crm-score forecast --by family
err_has "too little history to forecast any family"
done_testing
