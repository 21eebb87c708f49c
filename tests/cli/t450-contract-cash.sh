#!/bin/bash
# Quote to cash by hand: a contract through its milestones, invoices, a
# partial payment, a credit note, an overpayment used later by another
# invoice, and an undone allocation; every balance computed by hand.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH" --set owner=ann
expect_code 0 crm-company add -q --set name="Globex Ltd" --set owner=bob
expect_code 0 crm-contract add -q --set name="Acme rollout" --set company="Acme GmbH" \
	--set start_date=2026-10-01 --set end_date=2027-09-30 --set value=12000 \
	--set currency=EUR --set net_days=30 --set billing=milestone --set owner=ann
expect_code 0 crm-contract show 1 -f json --fields company_id,currency,net_days,auto_renew,status
expect_out "the contract: the account by name, net 30, defaults" <<'EOF'
{"company_id":1,"currency":"EUR","net_days":30,"auto_renew":false,"status":"active"}
EOF

# milestones, and due for cron
expect_code 0 crm-contract milestone 1 -q --kind delivery --name Go-live --due 2026-11-15 --owner ann --amount 6000
expect_code 0 crm-contract milestone 1 -q --kind acceptance --name Acceptance --due 2026-11-30 --owner ann --amount 6000
expect_code 0 crm-contract milestone 1 -q --kind invoicing --name "Final bill" --due 2027-03-01 --owner ann
expect_code 65 crm-contract milestone 1 --kind shipping --name X --due 2026-12-01
err_has "kind"
expect_code 64 crm-contract milestone 1 --name X
expect_code 66 crm-contract milestone 9 --kind delivery --name X --due 2026-12-01
expect_code 64 crm-contract due --fields x
expect_code 1 crm-contract due
expect_out "due: one overdue (7 days), one due in 8 days; the March one is beyond 14 days" <<'EOF'
id,contract_id,contract,company_id,kind,name,due_date,owner,days_late
1,1,Acme rollout,1,delivery,Go-live,2026-11-15,ann,7
2,1,Acme rollout,1,acceptance,Acceptance,2026-11-30,ann,-8
EOF
err_has "1 overdue, 1 due within 14 days"
expect_code 64 crm-contract done 1
err_has "--evidence"
expect_code 0 crm-contract done 1 --date 2026-11-16 --evidence "signed delivery note DN-7"
expect_code 65 crm-contract done 1 --evidence again
err_has "was done on 2026-11-16"
expect_code 66 crm-contract done 99 --evidence x
expect_code 0 crm-contract due --days 3
expect_out "due: nothing overdue now, nothing within 3 days" <<'EOF'
id,contract_id,contract,company_id,kind,name,due_date,owner,days_late
EOF
expect_code 0 crm-contract milestones 1 --fields id,done_on,evidence
expect_out "milestones: done with date and evidence" <<'EOF'
id,done_on,evidence
1,2026-11-16,signed delivery note DN-7
2,,
3,,
EOF

# invoice 1 from milestone 1: 6000.00 + 19% = 7140.00, due 30 days later
expect_code 0 crm-contract invoice --milestone 1 --tax 19 --date 2026-11-16
expect_out "INV-000001 from the milestone" <<'EOF'
id,number,kind,credit_of,company_id,contract_id,milestone_id,schedule_id,issue_date,due_date,currency,net,tax,total,settled,open,note
1,INV-000001,invoice,,1,1,1,,2026-11-16,2026-12-16,EUR,6000.00,1140.00,7140.00,0.00,7140.00,
EOF
expect_code 65 crm-contract invoice --milestone 1 --tax 19
err_has "milestone 1 is invoiced (INV-000001)"
expect_code 65 crm-contract invoice --milestone 3
err_has "no amount to invoice"
expect_code 65 crm-contract invoice --milestone 2
err_has "milestone 2 (acceptance) is not done yet"
# invoice 2 by hand: 2 x 450.50 at 19% = 901.00 + 171.19; 100.00 at 0%
expect_code 0 crm-contract invoice 1 -q --line "Training;2;450.50;19" --line "Travel;1;100" --date 2026-11-17
expect_code 0 crm-contract lines INV-000002
expect_out "lines: tax per line" <<'EOF'
invoice_id,pos,description,quantity,unit_price,tax_rate,net,tax,total
2,1,Training,2,450.50,19,901.00,171.19,1072.19
2,2,Travel,1,100.00,0,100.00,0.00,100.00
EOF

# bad invoices write nothing (and take no number)
db_dump "" "$T/before"
expect_code 65 crm-contract invoice 1 --line "Bad;1;12.345"
err_has "unit price"
expect_code 65 crm-contract invoice 1 --line "Bad;x;1"
expect_code 64 crm-contract invoice 1
expect_code 64 crm-contract invoice 1 --milestone 2 --line "A;1;1"
expect_code 66 crm-contract invoice 7 --line "A;1;1"
expect_code 65 crm-contract invoice 1 --line "A;1;1" --currency USD
err_has "contract 1 is in EUR, not USD"
expect_code 0 crm-contract invoice 1 -n --line "Dry;1;1"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed and dry-run invoices changed nothing"

# a partial payment: 5000.00 of INV-000001's 7140.00
expect_code 0 crm-contract pay --account "Acme GmbH" --amount 5000 --currency EUR \
	--date 2026-11-20 --payer "ACME GMBH" --method transfer --ref BANK-1 --invoice INV-000001
expect_out "payment 1 allocated to INV-000001" <<'EOF'
id,company_id,received_on,amount,currency,payer,method,external_ref,statement_ref,allocated,unallocated
1,1,2026-11-20,5000.00,EUR,ACME GMBH,transfer,BANK-1,,5000.00,0.00
EOF

# a credit note: 119.00 gross on INV-000002 (tax in its proportion:
# 119 x 171.19 / 1172.19 = 17.38, net 101.62); it settles 119.00 of it
expect_code 64 crm-contract credit INV-000002 --amount 119
err_has "--reason"
expect_code 65 crm-contract credit INV-000002 --amount 2000 --reason "too much"
err_has "more than the 1172.19 not credited yet"
expect_code 0 crm-contract credit INV-000002 --amount 119 --reason "travel not incurred" --date 2026-11-21
expect_out "CN-000001 reverses part of INV-000002" <<'EOF'
id,number,kind,credit_of,company_id,contract_id,milestone_id,schedule_id,issue_date,due_date,currency,net,tax,total,settled,open,note
3,CN-000001,credit,INV-000002,1,1,,,2026-11-21,2026-11-21,EUR,101.62,17.38,119.00,119.00,0.00,travel not incurred
EOF
expect_code 65 crm-contract credit CN-000001 --reason x
err_has "only an invoice is credited"

# an overpayment: 4000.00 for INV-000001 (2140.00 open) and INV-000002
# (1172.19 - 119.00 = 1053.19 open): 806.81 left as credit
expect_code 0 crm-contract pay -q --account 1 --amount 4000 --currency EUR --date 2026-11-21 \
	--invoice INV-000001 --invoice INV-000002
expect_code 0 crm-contract invoices --fields number,total,settled,open
expect_out "both invoices settled" <<'EOF'
number,total,settled,open
INV-000001,7140.00,7140.00,0.00
INV-000002,1172.19,1172.19,0.00
CN-000001,119.00,119.00,0.00
EOF
expect_code 0 crm-contract balances
expect_out "806.81 of account credit" <<'EOF'
company_id,currency,credit
1,EUR,806.81
EOF

# a later invoice (500.00 + 19% = 595.00) uses the credit: 211.81 left
expect_code 0 crm-contract invoice 1 -q --line "Support;1;500;19" --date 2026-11-22
expect_code 0 crm-contract apply-credit INV-000003 --fields number,settled,open
expect_out "INV-000003 settled from the credit" <<'EOF'
number,settled,open
INV-000003,595.00,0.00
EOF
expect_code 0 crm-contract balances 1
expect_out "211.81 credit left" <<'EOF'
company_id,currency,credit
1,EUR,211.81
EOF

# allocation rules
expect_code 0 crm-contract pay -q --account Globex --amount 50 --currency EUR
expect_code 0 crm-contract invoice -q --account "Globex Ltd" --currency USD --line "X;1;10"
expect_code 65 crm-contract allocate 3 INV-000004
err_has "never mixed without a rate"
expect_code 65 crm-contract allocate 3 INV-000001
err_has "is from company 2"
expect_code 65 crm-contract allocate 2 INV-000001
err_has "settled"

# undo the first allocation: INV-000001 has 5000.00 open again, and the
# account 5000.00 + 211.81 of credit; the allocation stays, marked
expect_code 64 crm-contract unallocate 1
expect_code 0 crm-contract unallocate 1 --reason "booked to the wrong invoice" --fields id,amount,undone_by,undo_reason
expect_out "the undone allocation" <<'EOF'
id,amount,undone_by,undo_reason
1,5000.00,tester,booked to the wrong invoice
EOF
expect_code 65 crm-contract unallocate 1 --reason again
expect_code 66 crm-contract unallocate 99 --reason x
expect_code 0 crm-contract invoices 1 --fields number,open
expect_out "INV-000001 open again" <<'EOF'
number,open
INV-000001,5000.00
INV-000002,0.00
CN-000001,0.00
INV-000003,0.00
EOF
expect_code 0 crm-contract balances 1
expect_out "5211.81 credit" <<'EOF'
company_id,currency,credit
1,EUR,5211.81
EOF
expect_code 0 crm-contract allocations 1 --fields id,invoice,payment_id,credit_note,amount,undone_at
expect_out "every allocation, the undone one kept" <<'EOF'
id,invoice,payment_id,credit_note,amount,undone_at
1,INV-000001,1,,5000.00,2026-11-22T09:30:00Z
2,INV-000002,,CN-000001,119.00,
3,INV-000001,2,,2140.00,
4,INV-000002,2,,1053.19,
5,INV-000003,2,,595.00,
EOF
# partial allocation by amount
expect_code 0 crm-contract allocate 1 INV-000001 --amount 1000.50 --fields invoice,amount
expect_out "a partial allocation" <<'EOF'
invoice,amount
INV-000001,1000.50
EOF
expect_code 65 crm-contract allocate 1 INV-000001 --amount 4000
err_has "not enough"

# nothing edits an issued invoice: the table is only ever inserted into
sql "SELECT number, total FROM invoices ORDER BY id"
cat >"$T/want" <<'EOF'
INV-000001|714000
INV-000002|117219
CN-000001|11900
INV-000003|59500
INV-000004|1000
EOF
compare "$T/want" "$T/sql" "stored invoices as issued, in minor units"
sql "SELECT series, last FROM invoice_series ORDER BY series"
cat >"$T/want" <<'EOF'
CN|1
INV|4
EOF
compare "$T/want" "$T/sql" "the series counters: no number lost to failures or dry runs"

# the journal balances, per currency
sql "SELECT currency, sum(debit), sum(credit) FROM journal_lines GROUP BY currency ORDER BY 1"
cat >"$T/want" <<'EOF'
EUR|1807619|1807619
USD|1000|1000
EOF
compare "$T/want" "$T/sql" "journal: debits equal credits (invoices 8907.19 + credit note 119.00 + payments 9050.00)"

expect_code 0 crm-contract update 1 -q --set owner=carl
expect_code 0 crm-contract export --fields id,owner
expect_out "contracts: update and export" <<'EOF'
id,owner
1,carl
EOF
expect_code 65 crm-contract update 1 --set currency=USD
err_has "the contract has invoices in EUR"
expect_code 65 crm-contract add --set name=X --set company_id=1 --set start_date=2026-12-01 --set end_date=2026-11-01 --set currency=EUR
err_has "end_date"
expect_code 65 crm-contract add --set name=X --set company_id=9 --set start_date=2026-12-01 --set currency=EUR
err_has "no company has id 9"
done_testing
