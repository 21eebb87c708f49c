#!/bin/bash
# Contracts and milestones imported (the entity engine: upsert, bad rows
# named by file and line, nothing written), exported and imported back
# unchanged; billing schedules invoiced once each; undo of a milestone
# done.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-company add -q --set name="Globex Ltd"
cat >"$T/contracts.csv" <<'EOF'
external_id,name,company,start_date,end_date,value,currency,net_days,billing,auto_renew,renewal_notice_days,renewal_months,owner
K-1,Acme support 2027,Acme GmbH,2027-01-01,2027-12-31,24000,EUR,14,schedule,true,60,12,ann
K-2,Globex rollout,Globex Ltd,2026-11-01,,90000,JPY,45,milestone,false,,,bob
EOF
expect_code 0 crm-contract import "$T/contracts.csv"
err_has "2 inserted"
expect_code 0 crm-contract list --fields external_id,company_id,value,currency,net_days,billing,auto_renew
expect_out "imported contracts, the account by name" <<'EOF'
external_id,company_id,value,currency,net_days,billing,auto_renew
K-1,1,24000.00,EUR,14,schedule,true
K-2,2,90000,JPY,45,milestone,false
EOF
expect_code 0 crm-contract export
cp "$T/out" "$T/export1"
expect_code 0 crm-contract import -q "$T/export1"
expect_code 0 crm-contract export
compare "$T/export1" "$T/out" "export, import, export: unchanged"

db_dump "" "$T/before"
cat >"$T/bad.csv" <<'EOF'
external_id,name,company,start_date,currency
K-3,Fine,Acme GmbH,2027-01-01,EUR
K-4,No such account,Nobody Inc,2027-01-01,EUR
EOF
expect_code 65 crm-contract import "$T/bad.csv"
err_has "bad.csv:3: company: no company is named 'Nobody Inc'"
printf 'name,company_id,start_date,currency\nX,1,2027-01-01,EURO\n' >"$T/bad2.csv"
expect_code 65 crm-contract import "$T/bad2.csv"
err_has "bad2.csv:2: currency"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a bad import writes nothing"

# milestones from a file
cat >"$T/ms.csv" <<'EOF'
external_id,contract_id,kind,name,due_date,owner,amount,currency
M-1,2,delivery,Hardware delivered,2026-12-01,bob,45000,JPY
M-2,2,acceptance,Site acceptance,2027-01-15,bob,45000,JPY
EOF
expect_code 0 crm-contract import-milestones "$T/ms.csv"
err_has "2 inserted"
printf 'contract_id,kind,name,due_date,amount,currency\n2,delivery,X,2026-12-01,1,EUR\n' >"$T/ms-bad.csv"
expect_code 65 crm-contract import-milestones "$T/ms-bad.csv"
err_has "the contract is in JPY, not EUR"
expect_code 0 crm-contract done 1 --evidence "POD 4471" --date 2026-11-30
err_has "milestone 1 done"
expect_code 0 crm-contract milestones 2 --fields external_id,amount,done_on
expect_out "milestones of contract 2" <<'EOF'
external_id,amount,done_on
M-1,45000,2026-11-30
M-2,45000,
EOF
sql "SELECT max(id) FROM crm_changes"
change=$(cat "$T/sql")
expect_code 0 crm-contract undo "$change"
expect_code 0 crm-contract milestones 2 --fields external_id,done_on,evidence
expect_out "undo reverts the milestone done" <<'EOF'
external_id,done_on,evidence
M-1,,
M-2,,
EOF

# a billing schedule: two instalments, each invoiced once
expect_code 0 crm-contract schedule K-1 -q --date 2027-01-01 --amount 12000 --name "H1 2027" --tax 19
expect_code 0 crm-contract schedule K-1 -q --date 2027-07-01 --amount 12000 --name "H2 2027" --tax 19
expect_code 65 crm-contract schedule K-1 --date 2027-07-01 --amount -5
expect_code 64 crm-contract schedule K-1 --date 2027-07-01
expect_code 0 crm-contract invoice --schedule 1 --fields number,issue_date,due_date,net,tax,total
expect_out "the first instalment: issued on its date, net 14" <<'EOF'
number,issue_date,due_date,net,tax,total
INV-000001,2027-01-01,2027-01-15,12000.00,2280.00,14280.00
EOF
expect_code 65 crm-contract invoice --schedule 1
err_has "schedule entry 1 is invoiced (INV-000001)"
expect_code 66 crm-contract invoice --schedule 9
expect_code 0 crm-contract schedules K-1
expect_out "the schedule with what is invoiced" <<'EOF'
id,contract_id,bill_date,description,amount,currency,tax_rate,invoice
1,1,2027-01-01,H1 2027,12000.00,EUR,19,INV-000001
2,1,2027-07-01,H2 2027,12000.00,EUR,19,
EOF
# JPY milestone: no minor unit; a delivery is invoiced once done
expect_code 65 crm-contract invoice --milestone 1 --tax 10
err_has "milestone 1 (delivery) is not done yet"
expect_code 0 crm-contract done 1 --evidence "POD 4471" --date 2026-11-30
expect_code 0 crm-contract invoice --milestone 1 --tax 10 --date 2026-12-01 --fields number,currency,net,tax,total,due_date
expect_out "a JPY invoice, net 45" <<'EOF'
number,currency,net,tax,total,due_date
INV-000002,JPY,45000,4500,49500,2027-01-15
EOF
done_testing
