#!/bin/bash
# from-quote: an accepted quote (crm-quote) becomes a contract with its
# account, deal, currency and value, and a billing schedule from its
# lines: a monthly subscription billed every month of its term, an annual
# one once, one-time lines on the start date; tax rates from the quote's
# region. Every figure by hand.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Nordlicht AG"
expect_code 0 crm-pipeline add -q --name "Nordlicht seats" --set company="Nordlicht AG" --currency EUR
printf '%s\n' sku,name,family,tax_category,billing_period,term_months \
	'SEAT,Seat licence,software,standard,monthly,12' \
	'SUPPORT,Support,services,standard,annual,12' \
	'LAPTOP,Laptop,hardware,standard,one_time,' >"$T/products.csv"
expect_code 0 crm-product import -q "$T/products.csv"
expect_code 0 crm-quote new -q --deal "Nordlicht seats" --book list --region DE
expect_code 0 crm-quote add-line -q 1 SEAT --qty 10 --start 2026-12-01
expect_code 0 crm-quote add-line -q 1 SUPPORT --start 2026-12-01
expect_code 0 crm-quote add-line -q 1 LAPTOP
expect_code 0 crm-quote add-line -q 1 SEAT --qty 10 --start 2026-12-01 --end 2027-02-15
expect_code 0 crm-quote lines 1 --fields sku,qty,amount
# seats 300.00 a month for 12 months; support 20% of the software (4350.00); a
# laptop; seats co-termed to 15 Feb: 2 months and 14 of February's 28 days
expect_out "the quote's lines" <<'EOF'
sku,qty,amount
SEAT,10,3600.00
SUPPORT,1,870.00
LAPTOP,1,1200.00
SEAT,10,750.00
EOF
expect_code 65 crm-contract from-quote 1
err_has "quote 1 is draft, not accepted"
expect_code 0 crm-quote submit -q 1
expect_code 0 crm-quote accept -q 1
expect_code 66 crm-contract from-quote 9
expect_code 0 crm-contract from-quote 1 --start 2026-12-01 --owner ann \
	--fields name,company_id,deal_id,quote_id,start_date,end_date,value,currency,billing,owner
# 3600.00 + 870.00 + 1200.00 + 750.00 = 6420.00; 12 months from 2026-12-01
expect_out "the contract" <<'EOF'
name,company_id,deal_id,quote_id,start_date,end_date,value,currency,billing,owner
Quote 1,1,1,1,2026-12-01,2027-11-30,6420.00,EUR,schedule,ann
EOF
expect_code 65 crm-contract from-quote 1
err_has "quote 1 has its contract already (1)"
expect_code 0 crm-contract schedules 1 --fields bill_date,description,amount,tax_rate
expect_out "the billing schedule" <<'EOF'
bill_date,description,amount,tax_rate
2026-12-01,Laptop,1200.00,19
2026-12-01,"Seat licence, monthly 1 of 12",300.00,19
2026-12-01,"Support, annual 1 of 1",870.00,19
2026-12-01,"Seat licence, monthly 1 of 3",300.00,19
2027-01-01,"Seat licence, monthly 2 of 12",300.00,19
2027-01-01,"Seat licence, monthly 2 of 3",300.00,19
2027-02-01,"Seat licence, monthly 3 of 12",300.00,19
2027-02-01,"Seat licence, monthly 3 of 3",150.00,19
2027-03-01,"Seat licence, monthly 4 of 12",300.00,19
2027-04-01,"Seat licence, monthly 5 of 12",300.00,19
2027-05-01,"Seat licence, monthly 6 of 12",300.00,19
2027-06-01,"Seat licence, monthly 7 of 12",300.00,19
2027-07-01,"Seat licence, monthly 8 of 12",300.00,19
2027-08-01,"Seat licence, monthly 9 of 12",300.00,19
2027-09-01,"Seat licence, monthly 10 of 12",300.00,19
2027-10-01,"Seat licence, monthly 11 of 12",300.00,19
2027-11-01,"Seat licence, monthly 12 of 12",300.00,19
EOF
# the first month's seats invoiced: 300.00 + 19% = 357.00
expect_code 0 crm-contract invoice --schedule 2 --fields number,issue_date,total
expect_out "a subscription period invoiced" <<'EOF'
number,issue_date,total
INV-000001,2026-12-01,357.00
EOF
done_testing
