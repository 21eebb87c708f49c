#!/bin/bash
# reconcile's candidates, line by line, when a statement names several
# invoices: a reference one edit from many numbers lists all of them but
# those in another currency (in the order the lookup finds them); a
# typo with the amount settles the one invoice; amount only lists the
# invoices of that amount in order of amount and id; a later line sees
# what an earlier one settled; references of several accounts, and less
# money than the invoices referenced, stay ambiguous.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Alpha GmbH"
expect_code 0 crm-company add -q --set name="Beta Ltd"
expect_code 0 crm-company add -q --set name="Gamma AG"
inv() { expect_code 0 crm-contract invoice -q --account "$1" --currency "$2" --line "Work;1;$3" --date 2026-11-01; }
inv "Alpha GmbH" EUR 100 # INV-000001
inv "Beta Ltd" EUR 100   # INV-000002
inv "Alpha GmbH" EUR 50  # INV-000003
inv "Gamma AG" USD 70    # INV-000004
inv "Beta Ltd" EUR 60    # INV-000005
inv "Alpha GmbH" EUR 60  # INV-000006
inv "Gamma AG" EUR 60    # INV-000007

cat >"$T/stmt.csv" <<'EOF'
ref,date,amount,currency,payer,text
L1,2026-11-20,10.00,EUR,Nobody,Invoice INV-00000
L2,2026-11-20,100.00,EUR,Nobody,INV-000012
L3,2026-11-20,60.00,EUR,Someone,thanks
L4,2026-11-20,60.00,EUR,Beta Ltd,thanks
L5,2026-11-20,5.00,EUR,Nobody,INV-000001 INV-000007
L6,2026-11-20,120.00,EUR,Alpha GmbH,INV-000001 and INV-000003
L7,2026-11-20,70.00,USD,Gamma AG,INV-000004
EOF
db_dump "" "$T/before"
expect_code 0 crm-contract reconcile "$T/stmt.csv" --fields ref,status,how,invoices,candidates
# L1: INV00000 is each number with its last digit dropped: all seven are
# one edit away, INV-000004 (USD) leaves, the last found takes its place.
# L2: INV000012 is one substitution from INV000002 only (open 100 = the
# amount). L3: three invoices of 60.00 EUR, by id. L4: of those, Beta's.
# L5: two accounts. L6: 150.00 referenced, 120.00 paid.
expect_out "candidates" <<'EOF'
ref,status,how,invoices,candidates
L1,ambiguous,reference with a typo,,INV-000001 INV-000002 INV-000003 INV-000007 INV-000005 INV-000006
L2,matched,"reference with a typo, amount",INV-000002,
L3,ambiguous,amount only,,INV-000005 INV-000006 INV-000007
L4,matched,amount and payer,INV-000005,
L5,ambiguous,references of several accounts,,INV-000001 INV-000007
L6,ambiguous,less than the invoices referenced,,INV-000001 INV-000003
L7,matched,reference,INV-000004,
EOF
err_has "3 matched, 4 ambiguous, 0 unmatched, 0 applied before"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "proposing writes nothing"

# applied: the same decisions, and the payments they make
expect_code 0 crm-contract reconcile --apply -q "$T/stmt.csv" --fields ref,status,invoices,payment_id
expect_out "applied" <<'EOF'
ref,status,invoices,payment_id
L1,ambiguous,,
L2,matched,INV-000002,1
L3,ambiguous,,
L4,matched,INV-000005,2
L5,ambiguous,,
L6,ambiguous,,
L7,matched,INV-000004,3
EOF
expect_code 0 crm-contract invoices --fields number,open
expect_out "what is open after" <<'EOF'
number,open
INV-000001,100.00
INV-000002,0.00
INV-000003,50.00
INV-000004,0.00
INV-000005,0.00
INV-000006,60.00
INV-000007,60.00
EOF

# a reference no invoice is near: amount only (the two left of 60.00)
printf 'ref,date,amount,currency,payer,text\nM1,2026-11-21,60.00,EUR,Nobody,INV-999999\n' >"$T/m.csv"
expect_code 0 crm-contract reconcile "$T/m.csv" --fields ref,status,how,candidates
expect_out "no reference near: amount only" <<'EOF'
ref,status,how,candidates
M1,ambiguous,amount only,INV-000006 INV-000007
EOF
done_testing
