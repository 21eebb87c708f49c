#!/bin/bash
# Bundles on a quote: options under a bundle line (--parent), priced in
# the bundle or separately; price and submit check the options (required,
# min and max, one of a group, only listed ones) and the rules (requires,
# excludes): a violation is exit 65 with the database unchanged.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_THRESHOLDS="$D/thresholds.json" CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' -q
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 1 SERVER -q
expect_code 0 crm-quote add-line 1 RAM --qty 2 --parent 1 -q
expect_code 0 crm-quote add-line 1 LINUX --parent 1 -q
expect_code 0 crm-quote price 1 --fields subtotal
expect_out "a valid bundle: server, 2 RAM, Linux" <<'X'
subtotal
1200.00
X

# violated: exit 65, nothing written
violated() { # message
	db_dump "$CRM_DB" "$T/before"
	expect_code 65 crm-quote price 1
	err_has "$1"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "database unchanged: $1"
}
expect_code 0 crm-quote add-line 1 GPU --parent 1 -q
violated "line 1: bundle SERVER: GPU requires PSU"
expect_code 65 crm-quote submit 1
err_has "GPU requires PSU"
expect_code 0 crm-quote add-line 1 PSU --parent 1 -q
expect_code 0 crm-quote price 1 -q
expect_code 0 crm-quote lines 1 --fields line,sku,parent_line,amount
expect_out "the PSU is priced in the bundle" <<'X'
line,sku,parent_line,amount
1,SERVER,,1000.00
2,RAM,1,200.00
3,LINUX,1,0.00
4,GPU,1,500.00
5,PSU,1,0.00
X
expect_code 0 crm-quote add-line 1 WIN --parent 1 -q
violated "bundle SERVER: choose exactly one of group os (2 chosen)"
expect_code 0 crm-quote remove-line 1 3 -q
expect_code 0 crm-quote add-line 1 WARRANTY --parent 1 -q
violated "bundle SERVER: WIN excludes WARRANTY"
expect_code 0 crm-quote remove-line 1 7 -q
expect_code 0 crm-quote add-line 1 RAM --qty 3 --parent 1 -q
violated "bundle SERVER: option RAM takes at most 4 (has 5)"
expect_code 0 crm-quote remove-line 1 2 -q
expect_code 0 crm-quote remove-line 1 7 -q
violated "bundle SERVER requires option RAM"
expect_code 0 crm-quote add-line 1 RAM --parent 1 -q
expect_code 0 crm-quote add-line 1 SEAT --parent 1 -q
violated "SEAT is no option of bundle SERVER"
expect_code 0 crm-quote remove-line 1 8 -q
expect_code 65 crm-quote remove-line 1 8
err_has "no line 8 on quote 1"
expect_code 0 crm-quote submit 1 --fields status,subtotal
expect_out "fixed: the bundle submits" <<'X'
status,subtotal
sent,1750.00
X
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 65 crm-quote add-line 2 RAM --parent 5
err_has "no line 5 on quote 2"
expect_code 0 crm-quote add-line 2 RAM -q
expect_code 0 crm-quote add-line 2 GPU --parent 1 -q
expect_code 65 crm-quote price 2
err_has "RAM is not a bundle"
done_testing
