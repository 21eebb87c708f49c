#!/bin/bash
# crm-product price against hand-computed figures: slab and range tiers
# at each boundary, slab by amount, blocks, cost plus, percent of total,
# attribute adders, units, promotions at their window edges, eligibility,
# stacking and caps, book effective dates, JPY and KWD; and bad input.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json"

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' --industry retail -q
expect_code 0 crm-company add --name 'Soft AG' --industry software -q

# net SKU ARGS...: the net price (one field) as of 2026-02-10 (no promotion)
net() { # want, description, args
	netw=$1 netd=$2; shift 2
	expect_code 0 crm-product price "$@" --fields net
	printf 'net\n%s\n' "$netw" >"$T/want"
	compare "$T/want" "$T/out" "$netd"
}
at=--at=2026-02-10
net 100.00 "slab at 10: 10 x 10.00" SEAT --qty 10 $at
net 109.00 "slab at 11: 10 x 10.00 + 1 x 9.00" SEAT --qty 11 $at
net 460.00 "slab at 50: 100.00 + 40 x 9.00" SEAT --qty 50 $at
net 468.00 "slab at 51: 460.00 + 1 x 8.00" SEAT --qty 51 $at
net 100.00 "range at 10: 10 x 10.00" SEATR --qty 10 $at
net 99.00 "range at 11: 11 x 9.00" SEATR --qty 11 $at
net 450.00 "range at 50: 50 x 9.00" SEATR --qty 50 $at
net 408.00 "range at 51: 51 x 8.00" SEATR --qty 51 $at
net 1000.00 "slab by amount at 1000.00: nothing past the boundary" DISK --qty 100 $at
net 1009.00 "slab by amount 1010.00: 10.00 at 10% off" DISK --qty 101 $at
net 5400.00 "slab by amount 6000.00: 4000.00 at 10%, 1000.00 at 20% off" DISK --qty 600 $at
net 100.00 "block 1-10 at 10" STORAGE --qty 10 $at
net 400.00 "block 11-50 at 11" STORAGE --qty 11 $at
net 400.00 "block 11-50 at 50" STORAGE --qty 50 $at
net 84.00 "cost plus: 2 boxes of 12 at 2.50 + 40%" CABLE --qty 2 --unit box $at
net 200.00 "percent of total: 20% of 1000.00" SUPPORT --base 1000.00 $at
net 48.00 "adders: 2 x (20.00 + 2.00 XL + 10% gold)" SHIRT --qty 2 --attr size=XL --attr colour=gold $at
net 40.00 "adders: none for S, black" SHIRT --qty 2 --attr size=S --attr colour=black $at
net 145.00 "units: 3 packs of 5 = 15 seats, slab" SEAT --qty 3 --unit pack $at
net 3999 "JPY: 3 x 1333, no decimals" SEAT --qty 3 --book japan $at
net 3.702 "KWD: 3 x 1.234, three decimals" SEAT --qty 3 --book kuwait $at
net 121.00 "book of 2027: 11 x 11.00, no schedule" SEAT --qty 11 --at 2027-01-05

# promotions: spring (software, qty >= 10, 10%, stacks) in March
net 100.00 "spring: the day before" SEAT --qty 10 --at 2026-02-28
net 90.00 "spring: the first day" SEAT --qty 10 --at 2026-03-01
net 90.00 "spring: the last day" SEAT --qty 10 --at 2026-03-31
net 100.00 "spring: the day after" SEAT --qty 10 --at 2026-04-01
net 90.00 "spring: quantity 9 is not eligible" SEAT --qty 9 --at 2026-03-10
net 85.00 "spring and loyal (retail) stack: 10% + 5%" SEAT --qty 10 --account 'Shop GmbH' --at 2026-03-10
net 90.00 "loyal: not for software accounts" SEAT --qty 10 --account 'Soft AG' --at 2026-03-10
# launch: 50% on shirts capped at 15.00, 15-20 March, exclusive
net 40.00 "launch: the day before" SHIRT --qty 2 --at 2026-03-14
net 25.00 "launch: 50% of 40.00 capped at 15.00" SHIRT --qty 2 --at 2026-03-15
net 25.00 "launch: the last day" SHIRT --qty 2 --at 2026-03-20
net 40.00 "launch: the day after" SHIRT --qty 2 --at 2026-03-21

expect_code 0 crm-product price SEAT --qty 60 --at 2026-03-10 --explain
expect_out "explain: every step, the promotion and the rounding" <<'X'
step,detail,amount
list,book entry SEAT: 10.00,10.00
quantity,60 at 10.00,600.00
tier,slab tier 1 (1-10): 10 at 10.00,100.00
tier,slab tier 2 (11-50): 40 at 9.00,460.00
tier,slab tier 3 (51-60): 10 at 8.00,540.00
promotion,loyal: not eligible (account.industry = retail),540.00
promotion,launch: not on 2026-03-10 (2026-03-15 to 2026-03-20),540.00
promotion,spring: 10% off 540.00 = -54.00 (stacks),486.00
rounding,"half to even, to 2 decimals of EUR",486.00
X
expect_code 0 crm-product price SEAT --qty 60 --at 2026-03-10
expect_out "the price record" <<'X'
sku,book,currency,qty,unit,base_qty,list_unit,list_amount,amount,promotion,discount,net,unit_price,promotions
SEAT,list,EUR,60,each,60,10.00,600.00,540.00,54.00,114.00,486.00,8.10,spring
X

# bad input
expect_code 65 crm-product price NOPE
err_has "crm-product: sku: no product 'NOPE'"
expect_code 65 crm-product price SEAT --qty -3
err_has "qty: '-3' is no quantity"
expect_code 65 crm-product price CABLE --qty 1 --unit pallet
err_has "unit: CABLE has no conversion from pallet to each"
expect_code 65 crm-product price STORAGE --qty 51 $at
err_has "no block for a quantity of 51"
expect_code 65 crm-product price SHIRT --attr size=XXL $at
err_has "'XXL' is not an allowed size"
expect_code 65 crm-product price SEAT --book nope $at
err_has "no price book 'nope'"
expect_code 65 crm-product price SEAT --book list --at 2025-12-31
err_has "price book 'list' is not in effect on 2025-12-31"
expect_code 65 crm-product price RAM --book japan $at
err_has "RAM is not in price book japan"
printf '{"books": [{"name": "x", "currency": "EUR", "entries": {"A": {"schedule": {}}}}]}' >"$T/bad.json"
expect_code 78 crm-product price SEAT --pricing "$T/bad.json"
err_has "books.x.entries.A"
printf '{"books": [], "promotions": [{"name": "p", "percent": 5, "where": "family"}]}' >"$T/bad2.json"
expect_code 78 crm-product price SEAT --pricing "$T/bad2.json"
err_has "no operator"
printf '{"books": [], "promotions": [{"name": "p", "percent": 5}, {"name": "p", "percent": 6}]}' >"$T/bad3.json"
expect_code 78 crm-product price SEAT --pricing "$T/bad3.json"
err_has "bad3.json: promotions.p: a second promotion named 'p'"
done_testing
