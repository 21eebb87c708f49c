#!/bin/bash
# Versions: editing a sent quote makes a new version and the old one
# stays readable; new --from copies a quote at today's prices and lists
# every line whose price changed; closed quotes cannot be edited.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_THRESHOLDS="$D/thresholds.json" CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' --industry retail -q
expect_code 0 crm-pipeline add --name 'Shop deal' --set company='Shop GmbH' -q
expect_code 0 crm-quote new --deal 'Shop deal' --book list -q
expect_code 0 crm-quote add-line 1 SEAT --qty 11 -q
expect_code 0 crm-quote submit 1 --fields version,status,subtotal
expect_out "submit: nothing past a threshold, sent" <<'X'
version,status,subtotal
1,sent,109.00
X
expect_code 0 crm-quote add-line 1 SUPPORT --fields version,status,subtotal
expect_out "editing a sent quote makes version 2, a draft" <<'X'
version,status,subtotal
2,draft,130.80
X
expect_code 0 crm-quote show 1 --quote-version 1 --fields version,status,subtotal
expect_out "version 1 stays as it was sent" <<'X'
version,status,subtotal
1,sent,109.00
X
expect_code 0 crm-quote lines 1 --quote-version 1 --fields line,sku,amount
expect_out "version 1's lines" <<'X'
line,sku,amount
1,SEAT,109.00
X
expect_code 0 crm-quote lines 1 --fields line,sku,amount
expect_out "version 2's lines" <<'X'
line,sku,amount
1,SEAT,109.00
2,SUPPORT,21.80
X
expect_code 0 crm-quote add-line 1 CABLE --fields version
expect_out "editing a draft keeps its version" <<'X'
version
2
X
expect_code 0 crm-quote remove-line 1 3 -q
expect_code 66 crm-quote show 1 --quote-version 9
err_has "quote 1 has no version 9"

# a copy at the prices of 2027 (SEAT 11.00 without a schedule, support
# 25%): the changed lines listed
expect_code 0 crm-quote new --from 1 --at 2027-01-05
expect_out "new --from: the lines whose price changed" <<'X'
quote,from_quote,line,sku,old_unit_price,new_unit_price,old_amount,new_amount
2,1,1,SEAT,9.91,11.00,109.00,121.00
2,1,2,SUPPORT,21.80,30.25,21.80,30.25
X
err_has "quote 2 from quote 1: 2 lines changed price"
expect_code 0 crm-quote show 2 --fields id,version,status,deal,from_quote_id,subtotal
expect_out "the copy: a new draft for the same deal" <<'X'
id,version,status,deal,from_quote_id,subtotal
2,1,draft,Shop deal,1,151.25
X
expect_code 0 crm-quote new --from 1
check "new --from at the same prices: no line changed" [ "$(wc -l <"$T/out")" -eq 1 ]
err_has "0 lines changed price"

# closed quotes keep their lines
expect_code 0 crm-quote submit 1 -q
expect_code 0 crm-quote accept 1 -q
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-quote add-line 1 SEAT
err_has "quote 1 is accepted"
expect_code 65 crm-quote price 1
err_has "keeps its prices"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "an accepted quote is not edited"
sql "SELECT quote_id, version, status FROM quote_versions ORDER BY 1, 2"
printf '1|1|sent\n1|2|accepted\n2|1|draft\n3|1|draft\n' >"$T/want"
compare "$T/want" "$T/sql" "quote_versions: every version and its status"
# price --all: every draft at the prices of 2027 (11 x 11.00 + 25%)
expect_code 0 crm-quote price --all --at 2027-01-05 --fields id,status,subtotal
expect_out "price --all: the drafts only" <<'X'
id,status,subtotal
2,draft,151.25
3,draft,151.25
X
err_has "priced 2 draft quotes"
# price --all keeps each product it looked up for the next quotes: every
# line still gets its own product (a quote of three after two of SEAT)
expect_code 0 crm-quote new --deal 'Shop deal' --book list -q
expect_code 0 crm-quote add-line 4 RAM -q
expect_code 0 crm-quote add-line 4 GPU --qty 2 -q
expect_code 0 crm-quote add-line 4 SEAT --qty 3 -q
expect_code 0 crm-quote price --all --ids
expect_code 0 crm-quote lines 4 --fields line,sku,name,amount
expect_out "price --all: each line its own product" <<'X'
line,sku,name,amount
1,RAM,RAM 16GB,100.00
2,GPU,GPU,1000.00
3,SEAT,Seat licence,30.00
X
expect_code 64 crm-quote price
expect_code 64 crm-quote price 2 --all
done_testing
