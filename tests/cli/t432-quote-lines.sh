#!/bin/bash
# crm-quote new, add-line, remove-line, show, lines: every line priced
# from the book, percent of total, manual prices, line discounts, groups,
# tax by category and region; JPY and KWD rounding; bad input exits 65
# with the database unchanged.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_THRESHOLDS="$D/thresholds.json" CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' --industry retail -q
expect_code 0 crm-pipeline add --name 'Shop deal' --set company='Shop GmbH' -q
expect_code 0 crm-quote new --deal 'Shop deal' --book list --region DE --valid-until 2026-03-31
expect_out "new: a draft for the deal's account" <<'X'
id,version,status,account,deal,currency,book,region,list_total,subtotal,discount,tax,total,valid_until,approval,accepted_version,reason,from_quote_id
1,1,draft,Shop GmbH,Shop deal,EUR,list,DE,0.00,0.00,0.00,0.00,0.00,2026-03-31,,,,
X
expect_code 0 crm-quote add-line 1 SEAT --qty 11 --group licences -q
expect_code 0 crm-quote add-line 1 SUPPORT --group services -q
expect_code 0 crm-quote add-line 1 CABLE --qty 1 --unit box --discount 10 -q
expect_code 0 crm-quote add-line 1 SHIRT --qty 3 --attr size=XL --price 15.00 --reason 'trade show' -q
expect_code 0 crm-quote lines 1 --fields line,sku,qty,unit,base_qty,list_unit,list_amount,unit_price,amount,tax_category
# SEAT: slab 10 x 10.00 + 1 x 9.00; SUPPORT: 20% of the software lines
# (109.00); CABLE: 12 x (2.50 + 40%) = 42.00 less 10%; SHIRT: 3 x 15.00
# by hand (list 20.00 + 2.00 for XL)
expect_out "lines: each priced by its method" <<'X'
line,sku,qty,unit,base_qty,list_unit,list_amount,unit_price,amount,tax_category
1,SEAT,11,each,11,10.00,110.00,9.91,109.00,standard
2,SUPPORT,1,each,1,21.80,21.80,21.80,21.80,standard
3,CABLE,1,box,12,3.50,42.00,3.15,37.80,reduced
4,SHIRT,3,each,3,22.00,66.00,15.00,45.00,reduced
X
# tax: standard 130.80 x 19% = 24.852 -> 24.85; reduced 82.80 x 7% =
# 5.796 -> 5.80
expect_code 0 crm-quote show 1 --fields list_total,subtotal,discount,tax,total
expect_out "totals: list 239.80, net 213.60, tax by category 30.65" <<'X'
list_total,subtotal,discount,tax,total
239.80,213.60,26.20,30.65,244.25
X
expect_code 0 crm-quote lines 1 --groups
expect_out "group subtotals" <<'X'
group,amount
licences,109.00
services,21.80
,82.80
X
expect_code 0 crm-quote lines 1 --explain --fields line,step,amount
out_has "4,manual,45.00"
out_has "3,discount,37.80"

# remove a line: the percent-of-total line follows
expect_code 0 crm-quote remove-line 1 1 --fields subtotal
expect_out "remove-line: SEAT gone, support 20% of nothing" <<'X'
subtotal
82.80
X
expect_code 0 crm-quote add-line 1 SEAT --qty 11 --group licences --fields subtotal
expect_out "add it back" <<'X'
subtotal
213.60
X

# bad input: exit 65 (66 for a missing quote), nothing written
bad() { # code, message, command...
	code=$1 msg=$2; shift 2
	db_dump "$CRM_DB" "$T/before"
	expect_code "$code" "$@"
	err_has "$msg"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "database unchanged: $*"
}
bad 65 "quantity must be at least 1" crm-quote add-line 1 SEAT --qty -2
bad 65 "quantity must be at least 1" crm-quote add-line 1 SEAT --qty 0
bad 65 "no product 'NOPE'" crm-quote add-line 1 NOPE
bad 65 "CABLE has no conversion from pallet to each" crm-quote add-line 1 CABLE --unit pallet
bad 65 "'XXL' is not an allowed size" crm-quote add-line 1 SHIRT --attr size=XXL
bad 65 "SHIRT has no attribute 'fit'" crm-quote add-line 1 SHIRT --attr fit=slim
bad 65 "a manual price needs its reason" crm-quote add-line 1 SHIRT --price 10.00
bad 65 "manual_price" crm-quote add-line 1 SHIRT --price 10.001 --reason x
bad 65 "a discount is 0 to 100 percent" crm-quote add-line 1 SEAT --discount 120
bad 65 "the quote is in EUR but price book japan is in JPY" crm-quote new --account 'Shop GmbH' --book japan --region JP --from 1
bad 65 "the quote is in EUR but price book japan is in JPY" crm-quote new --account 'Shop GmbH' --book japan --currency EUR
bad 65 "no price book 'euro'" crm-quote new --account 'Shop GmbH' --book euro
bad 65 "no deal 'nope'" crm-quote new --deal nope --book list
bad 65 "no tax region 'XX'" crm-quote new --account 'Shop GmbH' --book list --region XX
bad 65 "a quote is for a deal (--deal) or an account" crm-quote new --book list
bad 66 "no quote '9'" crm-quote add-line 9 SEAT

# JPY: no minor unit; 12.5% of 3999 = 499.875 -> 500; tax 10% of 4499
# = 449.9 -> 450
expect_code 0 crm-quote new --account 'Shop GmbH' --book japan --region JP -q
expect_code 0 crm-quote add-line 2 SEAT --qty 3 -q
expect_code 0 crm-quote add-line 2 SUPPORT --fields currency,subtotal,tax,total
expect_out "JPY: rounded to whole yen" <<'X'
currency,subtotal,tax,total
JPY,4499,450,4949
X
# KWD: three decimals; 12.5% of 3.702 = 0.46275 -> 0.463; tax 5% of
# 4.165 = 0.20825 -> 0.208 (half to even)
expect_code 0 crm-quote new --account 'Shop GmbH' --book kuwait --region KW -q
expect_code 0 crm-quote add-line 3 SEAT --qty 3 -q
expect_code 0 crm-quote add-line 3 SUPPORT --fields currency,subtotal,tax,total
expect_out "KWD: rounded to the fils, half to even" <<'X'
currency,subtotal,tax,total
KWD,4.165,0.208,4.373
X
expect_code 0 crm-quote list --fields id,currency,status,total
expect_out "list" <<'X'
id,currency,status,total
1,EUR,draft,244.25
2,JPY,draft,4949
3,KWD,draft,4.373
X

# the explanation is JSON, its text escaped as jansson writes it: \" \\
# \t \n, \u00XX (upper case) for other control characters, UTF-8 as it is
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 4 SHIRT --qty 2 --price 15.00 --reason "$(printf 'a "b" c\\d\te\nf\001g\037 é/€')" -q
sql "SELECT explain FROM quote_lines WHERE quote_id = 4"
printf '%s\n' '[{"step":"list","detail":"book entry SHIRT: 20.00","amount":2000},{"step":"quantity","detail":"2 at 20.00","amount":4000},{"step":"promotion","detail":"spring: not on 2026-02-10 (2026-03-01 to 2026-03-31)","amount":4000},{"step":"promotion","detail":"loyal: not on 2026-02-10 (2026-03-01 to 2026-03-31)","amount":4000},{"step":"promotion","detail":"launch: not on 2026-02-10 (2026-03-15 to 2026-03-20)","amount":4000},{"step":"manual","detail":"manual price 15.00 per unit (a \"b\" c\\d\te\nf\u0001g\u001F é/€)","amount":3000}]' >"$T/want"
compare "$T/want" "$T/sql" "explain: escaped as JSON, UTF-8 kept"

# ten lines: written 8 at a time on PostgreSQL, each priced and explained
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
for q in 1 2 3 4 5 6 7 8 9 10; do
	expect_code 0 crm-quote add-line 5 CABLE --qty $q -q
done
expect_code 0 crm-quote price 5 --fields subtotal
sql "SELECT line_no, amount, unit_price, substr(explain, 1, 9) FROM quote_lines WHERE quote_id = 5 ORDER BY line_no"
printf '%s\n' 1\|350\|350\|'[{"step":' 2\|700\|350\|'[{"step":' \
	3\|1050\|350\|'[{"step":' 4\|1400\|350\|'[{"step":' \
	5\|1750\|350\|'[{"step":' 6\|2100\|350\|'[{"step":' \
	7\|2450\|350\|'[{"step":' 8\|2800\|350\|'[{"step":' \
	9\|3150\|350\|'[{"step":' 10\|3500\|350\|'[{"step":' >"$T/want"
compare "$T/want" "$T/sql" "ten lines: every one written"
done_testing
