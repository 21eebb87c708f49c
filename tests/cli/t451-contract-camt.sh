#!/bin/bash
# reconcile with camt.053 statements: one transfer paying two invoices, a
# reference with a typo, amount and payer, an ambiguous amount, an
# unknown receipt, a debit left out, a batch; propose writes nothing,
# --apply records payments and allocations; the same statement twice,
# or an entry repeated in the next day's statement, applies nothing twice.
. "$(dirname "$0")/../lib.sh"
D="$DATA/contract"

expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-company add -q --set name="Globex Ltd"
expect_code 0 crm-company add -q --set name="Initech AG"
inv() { expect_code 0 crm-contract invoice -q --account "$1" --currency EUR --line "Work;1;$2" --date 2026-11-01; }
inv "Acme GmbH" 1000   # INV-000001
inv "Acme GmbH" 250    # INV-000002
inv "Globex Ltd" 480   # INV-000003
inv "Initech AG" 300   # INV-000004
inv "Globex Ltd" 300   # INV-000005
inv "Initech AG" 99    # INV-000006
inv "Acme GmbH" 200    # INV-000007
inv "Globex Ltd" 150   # INV-000008

db_dump "" "$T/before"
expect_code 0 crm-contract reconcile "$D/camt053-day1.xml" --fields ref,amount,payer,status,how,invoices,candidates
expect_out "proposals" <<'EOF'
ref,amount,payer,status,how,invoices,candidates
2026112100001,1250.00,ACME GMBH,matched,reference,INV-000001 INV-000002,
2026112100002,480.00,Globex Ltd,matched,"reference with a typo, amount",INV-000003,
2026112100003,99.00,INITECH AG ZUERICH,matched,amount and payer,INV-000006,
2026112100004,300.00,J. Smith,ambiguous,amount only,,INV-000004 INV-000005
2026112100005,12.34,Someone Else,unmatched,,,
2026112100007/T1,200.00,Acme GmbH,matched,reference,INV-000007,
2026112100007/T2,150.00,Globex Ltd,matched,reference,INV-000008,
EOF
err_has "5 matched, 1 ambiguous, 1 unmatched, 0 applied before"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "proposing writes nothing"

expect_code 0 crm-contract reconcile --apply "$D/camt053-day1.xml" --fields ref,status,payment_id
expect_out "applied: one payment per matched line" <<'EOF'
ref,status,payment_id
2026112100001,matched,1
2026112100002,matched,2
2026112100003,matched,3
2026112100004,ambiguous,
2026112100005,unmatched,
2026112100007/T1,matched,4
2026112100007/T2,matched,5
EOF
expect_code 0 crm-contract invoices --fields number,open
expect_out "what is open after day 1" <<'EOF'
number,open
INV-000001,0.00
INV-000002,0.00
INV-000003,0.00
INV-000004,300.00
INV-000005,300.00
INV-000006,0.00
INV-000007,0.00
INV-000008,0.00
EOF
expect_code 0 crm-contract payments --fields id,company_id,received_on,amount,payer,statement_ref,unallocated
expect_out "the payments, each from its account" <<'EOF'
id,company_id,received_on,amount,payer,statement_ref,unallocated
1,1,2026-11-21,1250.00,ACME GMBH,2026112100001,0.00
2,2,2026-11-21,480.00,Globex Ltd,2026112100002,0.00
3,3,2026-11-21,99.00,INITECH AG ZUERICH,2026112100003,0.00
4,1,2026-11-21,200.00,Acme GmbH,2026112100007/T1,0.00
5,2,2026-11-21,150.00,Globex Ltd,2026112100007/T2,0.00
EOF

# the same statement again: nothing applied twice
db_dump "" "$T/before"
expect_code 0 crm-contract reconcile --apply "$D/camt053-day1.xml" --fields ref,status
expect_out "the duplicate statement" <<'EOF'
ref,status
2026112100001,applied_before
2026112100002,applied_before
2026112100003,applied_before
2026112100004,ambiguous
2026112100005,unmatched
2026112100007/T1,applied_before
2026112100007/T2,applied_before
EOF
err_has "0 matched, 1 ambiguous, 1 unmatched, 5 applied before"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "the duplicate statement changed nothing"

# day 2 repeats an entry of day 1 and pays part of INV-000004
expect_code 0 crm-contract reconcile --apply "$D/camt053-day2.xml" --fields ref,date,status,how,invoices
expect_out "day 2: the repeated entry skipped, a partial payment" <<'EOF'
ref,date,status,how,invoices
2026112100003,2026-11-21,applied_before,,
2026112200001,2026-11-22,matched,"reference, partial",INV-000004
EOF
expect_code 0 crm-contract invoices 3 --fields number,open
expect_out "INV-000004: 200.00 open" <<'EOF'
number,open
INV-000004,200.00
INV-000006,0.00
EOF

# a person settles the ambiguous entry by hand, naming it: reconcile
# then knows it
expect_code 0 crm-contract pay -q --account "Globex Ltd" --amount 300 --currency EUR \
	--date 2026-11-21 --payer "J. Smith" --entry 2026112100004 --invoice INV-000005
expect_code 65 crm-contract pay --account "Globex Ltd" --amount 300 --currency EUR --entry 2026112100004
expect_code 0 crm-contract reconcile "$D/camt053-day1.xml" --fields ref,status
expect_out "the entry settled by hand counts as applied" <<'EOF'
ref,status
2026112100001,applied_before
2026112100002,applied_before
2026112100003,applied_before
2026112100004,applied_before
2026112100005,unmatched
2026112100007/T1,applied_before
2026112100007/T2,applied_before
EOF

# dry run of an apply writes nothing
expect_code 0 crm-company add -q --set name="Someone Else Ltd"
expect_code 0 crm-contract invoice -q --account "Someone Else Ltd" --currency EUR --line "X;1;12.34"
db_dump "" "$T/before"
expect_code 0 crm-contract reconcile --apply -n "$D/camt053-day1.xml" --fields ref,status
err_has "dry run: 1 matched"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "reconcile --apply --dry-run writes nothing"

expect_code 66 crm-contract reconcile "$T/missing.xml"
expect_code 64 crm-contract reconcile
expect_code 64 crm-contract reconcile --statement ofx "$D/camt053-day1.xml"
done_testing
