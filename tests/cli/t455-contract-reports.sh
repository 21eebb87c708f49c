#!/bin/bash
# Receivables reports, every figure by hand: aging buckets (boundaries
# at 0, 30, 60, 90 days) per account and per owner, one row per currency;
# DSO; billed, credited, collected and open per month; the journal export
# complete or from a cursor, never a line twice.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH" --set owner=ann
expect_code 0 crm-company add -q --set name="Globex Ltd" --set owner=bob
expect_code 0 crm-company add -q --set name="Initech AG" --set owner=ann
inv() { # account currency amount issue due
	expect_code 0 crm-contract invoice -q --account "$1" --currency "$2" --line "Work;1;$3" --date "$4" --due "$5"
}
inv 1 EUR 100 2026-10-31 2026-11-30 # current (due in 8 days)
inv 1 EUR 200 2026-10-11 2026-11-10 # 12 days late
inv 1 USD 300 2026-08-31 2026-09-30 # 53
inv 2 EUR 400 2026-07-31 2026-08-30 # 84
inv 2 EUR 500 2026-06-01 2026-07-01 # 144
inv 3 EUR 600 2026-09-23 2026-10-23 # 30: still 1-30
inv 3 EUR 700 2026-08-24 2026-09-23 # 60: still 31-60
inv 1 EUR 50 2026-11-22 2026-11-22  # due today: current
expect_code 0 crm-contract pay -q --account 3 --amount 100 --currency EUR --date 2026-11-01 --invoice INV-000007

expect_code 0 crm-contract aging
expect_out "aging per account and currency" <<'EOF'
group,currency,current,days_1_30,days_31_60,days_61_90,over_90,total,invoices
Acme GmbH (1),EUR,150.00,200.00,0.00,0.00,0.00,350.00,3
Acme GmbH (1),USD,0.00,0.00,300.00,0.00,0.00,300.00,1
Globex Ltd (2),EUR,0.00,0.00,0.00,400.00,500.00,900.00,2
Initech AG (3),EUR,0.00,600.00,600.00,0.00,0.00,1200.00,2
EOF
expect_code 0 crm-contract aging --by owner
expect_out "aging per owner and currency" <<'EOF'
group,currency,current,days_1_30,days_31_60,days_61_90,over_90,total,invoices
ann,EUR,150.00,800.00,600.00,0.00,0.00,1550.00,5
ann,USD,0.00,0.00,300.00,0.00,0.00,300.00,1
bob,EUR,0.00,0.00,0.00,400.00,500.00,900.00,2
EOF
expect_code 0 crm-contract aging --by owner --as-of 2026-12-31 --fields group,currency,current,days_1_30,days_31_60
expect_out "aging as of another day" <<'EOF'
group,currency,current,days_1_30,days_31_60
ann,EUR,0.00,0.00,350.00
ann,USD,0.00,0.00,0.00
bob,EUR,0.00,0.00,0.00
EOF
expect_code 64 crm-contract aging --by region
expect_code 65 crm-contract aging --as-of 2026-13-01
expect_code 64 crm-contract aging --fields nonsense

# DSO over 90 days to 2026-11-22 (from 2026-08-24, exclusive): EUR billed
# 100 + 200 + 600 + 50 = 950, receivables 2550 - 100 = 2450: 232.1 days;
# USD 300 of 300: 90.0
expect_code 0 crm-contract dso
expect_out "DSO per currency" <<'EOF'
currency,receivables,billed,days,dso
EUR,2450.00,950.00,90,232.1
USD,300.00,300.00,90,90.0
EOF
expect_code 0 crm-contract dso --days 30 --fields currency,billed,dso
expect_out "DSO over 30 days (USD billed nothing: no DSO)" <<'EOF'
currency,billed,dso
EUR,150.00,490.0
USD,0.00,
EOF
expect_code 64 crm-contract dso --days 0

expect_code 0 crm-contract months
expect_out "billed, collected and open per month" <<'EOF'
month,currency,billed,credited,collected,open_at_end
2026-06,EUR,500.00,0.00,0.00,500.00
2026-07,EUR,400.00,0.00,0.00,900.00
2026-08,EUR,700.00,0.00,0.00,1600.00
2026-09,EUR,600.00,0.00,0.00,2200.00
2026-10,EUR,300.00,0.00,0.00,2500.00
2026-11,EUR,50.00,0.00,100.00,2450.00
2026-08,USD,300.00,0.00,0.00,300.00
EOF

# the journal: 8 invoices without tax (2 lines each), a payment (2)
expect_code 64 crm-contract journal
expect_code 64 crm-contract journal --all --cursor erp
expect_code 0 crm-contract journal --all -q
check "complete export: 18 lines" [ "$(($(wc -l <"$T/out") - 1))" -eq 18 ]
cp "$T/out" "$T/all1"
expect_code 0 crm-contract journal --cursor erp -n -q
compare "$T/all1" "$T/out" "a dry run shows the lines the cursor would send"
expect_code 0 crm-contract journal --cursor erp -q
compare "$T/all1" "$T/out" "the first incremental export is everything"
expect_code 0 crm-contract journal --cursor erp
expect_out "the cursor sends nothing twice" <<'EOF'
line_id,entry,date,account,debit,credit,currency,company_id,doc_type,doc_id,memo
EOF
expect_code 0 crm-contract invoice -q --account 2 --currency EUR --line "More;1;100;19" --date 2026-11-22
expect_code 0 crm-contract journal --cursor erp
expect_out "only the new invoice's lines" <<'EOF'
line_id,entry,date,account,debit,credit,currency,company_id,doc_type,doc_id,memo
19,INV-000009,2026-11-22,receivable,119.00,0.00,EUR,2,invoice,9,
20,INV-000009,2026-11-22,revenue,0.00,100.00,EUR,2,invoice,9,
21,INV-000009,2026-11-22,tax,0.00,19.00,EUR,2,invoice,9,
EOF
expect_code 0 crm-contract journal --cursor other -q
check "another cursor starts from the beginning (21 lines)" [ "$(($(wc -l <"$T/out") - 1))" -eq 21 ]
crm-contract journal --cursor third >/dev/full 2>"$T/err"
check "a write error exits 74" [ $? -eq 74 ]
sql "SELECT name, last_id FROM journal_cursors ORDER BY name"
cat >"$T/want" <<'EOF'
erp|21
other|21
EOF
compare "$T/want" "$T/sql" "a failed export moves no cursor"
done_testing
