#!/bin/bash
# Subscriptions: a product billed monthly, quarterly or annually is priced
# per billing period; a quote line holds every period of its term from its
# start, and a co-termed end prorates the last part by days (half to
# even).
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-product add --sku SAAS --name 'Hosted app' --family software --billing-period monthly -q
expect_code 0 crm-product add --sku LIC --name 'Site licence' --family software --billing-period annual --term-months 24 -q
expect_code 0 crm-company add --name 'Shop GmbH' -q
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 1 SAAS --qty 3 -q
expect_code 0 crm-quote add-line 1 SAAS --start 2026-01-15 --end 2026-03-01 -q
expect_code 0 crm-quote add-line 1 LIC -q
expect_code 0 crm-quote add-line 1 LIC --start 2026-07-01 --end 2027-01-01 -q
expect_code 0 crm-quote add-line 1 SAAS --term 5 -q
expect_code 0 crm-quote lines 1 --fields line,sku,qty,start_date,end_date,term_months,list_amount,amount
# 1: 3 x 10.00 a month for the default 12 months; 2: one month (15 Jan -
# 15 Feb) and 14 of the 28 days to 15 Mar; 3: 1200.00 a year for the
# product's 24 months; 4: 184 of the 365 days of a year at 1200.00:
# 604.931... -> 604.93; 5: five months
expect_out "every period of the term, prorated at a co-termed end" <<'X'
line,sku,qty,start_date,end_date,term_months,list_amount,amount
1,SAAS,3,2026-02-10,,,360.00,360.00
2,SAAS,1,2026-01-15,2026-03-01,,15.00,15.00
3,LIC,1,2026-02-10,,,2400.00,2400.00
4,LIC,1,2026-07-01,2027-01-01,,604.93,604.93
5,SAAS,1,2026-02-10,,5,50.00,50.00
X
expect_code 0 crm-quote lines 1 --explain --fields line,step,detail,amount
out_has "4,proration,184 of 365 days of a period: +604.93,604.93"
expect_code 64 crm-quote lines 1 -w sku=LIC
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-quote add-line 1 LIC --term 10
err_has "a term of 10 months is no multiple of the 12-month billing period"
expect_code 65 crm-quote add-line 1 SEAT --term 12
err_has "SEAT is no subscription"
expect_code 65 crm-quote add-line 1 SAAS --end 2026-01-01
err_has "must be after the start"
expect_code 65 crm-quote add-line 1 SAAS --start 2026-02-30
err_has "'2026-02-30' is no date"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "bad terms: nothing written"
done_testing
