#!/bin/bash
# suggest: the win rate by discount band over similar closed quotes (same
# family, same size), the band that maximises expected revenue with the
# evidence, and "too little history" when no band has enough quotes.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_THRESHOLDS="$D/thresholds.json" CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' -q
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 1 SEAT --qty 10 -q
expect_code 0 crm-quote suggest 1
expect_out "no history: every band empty" <<'X'
band,quotes,won,win_rate,avg_total,expected,best
0-5%,0,0,,,,
5-10%,0,0,,,,
10-15%,0,0,,,,
15-20%,0,0,,,,
20-30%,0,0,,,,
30%+,0,0,,,,
X
err_has "too little history: 0 similar closed quotes (family software, size band 0), no discount band has 5; no suggestion"

# history: SEAT x 10 (list 100.00) at 0% (1 of 5 won), 10% (4 of 5 won),
# 25% (2 of 2 won: too few); and 3 hardware quotes that are not similar
past() { # discount, won|lost, sku
	expect_code 0 crm-quote new --account 'Shop GmbH' --book list --ids -q
	q=$(cat "$T/out")
	expect_code 0 crm-quote add-line "$q" "${3:-SEAT}" --qty 10 --discount "$1" -q
	if [ "$2" = won ]; then
		expect_code 0 crm-quote submit "$q" -q
		[ "$1" -le 20 ] || expect_code 0 env CRM_USER=maria crm-quote approve "$q" -q
		expect_code 0 crm-quote accept "$q" -q
	else
		expect_code 0 crm-quote reject "$q" --reason price -q
	fi
}
past 0 won
past 0 lost
past 0 lost
past 0 lost
past 0 lost
past 10 won
past 10 won
past 10 won
past 10 won
past 10 lost
past 25 won
past 25 won
past 10 won RAM
past 10 won RAM
past 10 won RAM
expect_code 0 crm-quote suggest 1
# expected: list 100.00 x win rate x (1 - the band's middle discount):
# 0-5%: 0.2 x 97.50 = 19.50; 10-15%: 0.8 x 87.50 = 70.00
expect_out "bands: win rates, evidence, the best by expected revenue" <<'X'
band,quotes,won,win_rate,avg_total,expected,best
0-5%,5,1,20.0,100.00,19.50,
5-10%,0,0,,,,
10-15%,5,4,80.0,90.00,70.00,yes
15-20%,0,0,,,,
20-30%,2,2,100.0,75.00,,
30%+,0,0,,,,
X
err_has "suggested discount 10-15%: win rate 80.0% over 5 similar quotes (family software, size band 0), expected revenue 70.00"
expect_code 0 crm-quote suggest 1 --min-history 6
err_has "too little history: 12 similar closed quotes"
expect_code 64 crm-quote suggest 1 --min-history 0
expect_code 66 crm-quote suggest 99
done_testing
