#!/bin/bash
# reconcile keeps one hit per line, invoice and kind (exact or typo):
# the first in the order of the line's tokens, which orders the line's
# candidates. A line naming an invoice twice lists it at its first
# mention, when the invoice has few hits (sorted in place) and when many
# lines name it (more than 32 hits, sorted by qsort). The payer rule
# reads the company of an invoice that a later line's reference reached
# (read by id, not kept with every invoice a token reaches). A number
# over 39 characters, probed one deletion at a time, is found too.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Alpha GmbH"
expect_code 0 crm-company add -q --set name="Beta Ltd"
inv() { expect_code 0 crm-contract invoice -q --account "$1" --currency EUR --line "Work;1;$2" --date 2026-11-01; }
inv "Alpha GmbH" 100 # INV-000001
inv "Alpha GmbH" 100 # INV-000002
inv "Beta Ltd" 70    # INV-000003
inv "Alpha GmbH" 70  # INV-000004

# INV-000002 at tokens 0 and 4, INV-000001 at 2 (each also a typo of
# the other): the first mentions order them
line='2026-11-20,5.00,EUR,Nobody,INV-000002 INV-000001 INV-000002'
printf 'ref,date,amount,currency,payer,text\nL1,%s\n' "$line" >"$T/one.csv"
expect_code 0 crm-contract reconcile "$T/one.csv" --fields ref,status,how,candidates
expect_out "one line naming an invoice twice" <<'EOF'
ref,status,how,candidates
L1,ambiguous,less than the invoices referenced,INV-000002 INV-000001
EOF

{
	echo 'ref,date,amount,currency,payer,text'
	for i in $(seq 1 20); do echo "L$i,$line"; done
} >"$T/many.csv"
expect_code 0 crm-contract reconcile "$T/many.csv" --fields candidates
{
	echo candidates
	for i in $(seq 1 20); do echo 'INV-000002 INV-000001'; done
} >"$T/many.expected"
expect_out "twenty lines naming them (60 hits an invoice)" <"$T/many.expected"

# M1: 70.00 from Beta, no reference: INV-000003 by amount and payer,
# though M2's reference reached it; M2 then finds it settled and takes
# the typo neighbour with the amount
cat >"$T/payer.csv" <<'EOF'
ref,date,amount,currency,payer,text
M1,2026-11-20,70.00,EUR,Beta Ltd,thanks
M2,2026-11-20,70.00,EUR,Alpha GmbH,INV-000003
EOF
db_dump "" "$T/before"
expect_code 0 crm-contract reconcile "$T/payer.csv" --fields ref,status,how,invoices
expect_out "the payer rule on an invoice a reference reached" <<'EOF'
ref,status,how,invoices
M1,matched,amount and payer,INV-000003
M2,matched,"reference with a typo, amount",INV-000004
EOF
db_dump "" "$T/after"
compare "$T/before" "$T/after" "proposing writes nothing"

# a number longer than 39 characters (an old system's, written by SQL)
# is probed one deletion after the other: found exact and with a typo
long=ALPHA-GMBH-CONSULTING-SERVICES-EUROPE-2026-000001
sql "UPDATE invoices SET number = '$long' WHERE id = 1"
# (each line alone: the first would settle the invoice for the second)
for text in "$long" "${long/CONSULTING/CONSULTNG}"; do
	printf 'ref,date,amount,currency,payer,text\nN1,2026-11-20,100.00,EUR,Nobody,%s\n' "$text" >"$T/long.csv"
	expect_code 0 crm-contract reconcile "$T/long.csv" --fields how,invoices
	cat "$T/out" >>"$T/long.out"
done
cat >"$T/want" <<EOF
how,invoices
reference,$long
how,invoices
"reference with a typo, amount",$long
EOF
compare "$T/want" "$T/long.out" "a long number, exact and with a typo"
done_testing
