#!/bin/bash
# reconcile reads the invoices a line names first, and a line's typo
# candidates and amounts only when it can need them: when it names no
# open invoice of its currency, or names one that another line can
# settle first (named by another line too, or of the amount of a line
# already chosen), chosen until none is added. A chain of four lines,
# each settling the invoice the next one names, is chosen link by link;
# two lines naming one invoice, and nothing else, are chosen at once; a
# line's amount marks every invoice of that amount. The decisions are
# those of a lookup of every line's candidates, proposed and applied. An
# invoice paid before the run, and one of another currency, are named
# but not candidates. An invoice an earlier line settled does not hide
# a later one of the same amount from the amount-and-payer rule.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Alpha GmbH"
expect_code 0 crm-company add -q --set name="Beta Ltd"
inv() { expect_code 0 crm-contract invoice -q --account "$1" --currency "$2" --line "Work;1;$3" --date 2026-11-01; }
inv "Alpha GmbH" EUR 100 # INV-000001
inv "Beta Ltd" EUR 200   # INV-000002
inv "Alpha GmbH" EUR 300 # INV-000003
inv "Beta Ltd" USD 400   # INV-000004

# P5 names the USD invoice in EUR: its neighbours, none of 400.00 EUR,
# listed. P1: no reference, Alpha's 100.00: INV-000001 by amount and payer.
# P2 names INV-000001, settled by P1: its typo neighbours, the one of
# 200.00 (INV-000002). P3 names INV-000002, settled by P2: INV-000003 of
# 300.00. P4 names INV-000003, settled by P3: no neighbour open in EUR
# (INV-000004 is USD), no invoice of 50.00: unmatched.
cat >"$T/chain.csv" <<'EOF'
ref,date,amount,currency,payer,text
P5,2026-11-20,400.00,EUR,Nobody,INV-000004
P1,2026-11-20,100.00,EUR,Alpha GmbH,thanks
P2,2026-11-20,200.00,EUR,Nobody,INV-000001
P3,2026-11-20,300.00,EUR,Nobody,INV-000002
P4,2026-11-20,50.00,EUR,Nobody,INV-000003
EOF
cat >"$T/chain.want" <<'EOF'
ref,status,how,invoices,candidates
P5,ambiguous,reference with a typo,,INV-000001 INV-000002 INV-000003
P1,matched,amount and payer,INV-000001,
P2,matched,"reference with a typo, amount",INV-000002,
P3,matched,"reference with a typo, amount",INV-000003,
P4,unmatched,,,
EOF
db_dump "" "$T/before"
expect_code 0 crm-contract reconcile "$T/chain.csv" --fields ref,status,how,invoices,candidates
compare "$T/chain.want" "$T/out" "a chain settled line by line, proposed"
err_has "3 matched, 1 ambiguous, 1 unmatched, 0 applied before"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "proposing writes nothing"

# each line alone names an open invoice: its own reference
for l in 4 5 6; do
	sed -n "1p;${l}p" "$T/chain.csv" >"$T/one.csv"
	expect_code 0 crm-contract reconcile "$T/one.csv" --fields how,invoices
	sed -n 2p "$T/out" >>"$T/alone.out"
done
cat >"$T/alone.want" <<'EOF'
"reference, overpaid",INV-000001
"reference, overpaid",INV-000002
"reference, partial",INV-000003
EOF
compare "$T/alone.want" "$T/alone.out" "each line alone: the invoice it names"

expect_code 0 crm-contract reconcile --apply -q "$T/chain.csv" --fields ref,status,invoices,payment_id
expect_out "the chain applied" <<'EOF'
ref,status,invoices,payment_id
P5,ambiguous,,
P1,matched,INV-000001,1
P2,matched,INV-000002,2
P3,matched,INV-000003,3
P4,unmatched,,
EOF
expect_code 0 crm-contract invoices --fields number,open
expect_out "what is open after" <<'EOF'
number,open
INV-000001,0.00
INV-000002,0.00
INV-000003,0.00
INV-000004,400.00
EOF

# paid before the run: named, no candidate; its neighbours are
inv "Alpha GmbH" EUR 500 # INV-000005
printf 'ref,date,amount,currency,payer,text\nQ1,2026-11-21,500.00,EUR,Nobody,INV-000001\n' >"$T/paid.csv"
expect_code 0 crm-contract reconcile "$T/paid.csv" --fields ref,status,how,invoices
expect_out "an invoice paid before: a typo of its neighbour" <<'EOF'
ref,status,how,invoices
Q1,matched,"reference with a typo, amount",INV-000005
EOF

# named twice, nothing else near: the second line finds it settled, and
# no neighbour nor other invoice of 500.00 open
cat >"$T/twice.csv" <<'EOF'
ref,date,amount,currency,payer,text
R1,2026-11-21,500.00,EUR,Nobody,INV-000005
R2,2026-11-21,500.00,EUR,Nobody,Invoice INV-000005
EOF
expect_code 0 crm-contract reconcile "$T/twice.csv" --fields ref,status,how,invoices
expect_out "an invoice named by two lines" <<'EOF'
ref,status,how,invoices
R1,matched,reference,INV-000005
R2,unmatched,,
EOF

# one amount, two invoices of it, each named by a line that finds it
# settled: a line of that amount marks both, so both lines reach their
# typo candidates
# S2's amount finds INV-000006, settled by S1, first: it is passed
# over, not the end of that amount's invoices.
inv "Alpha GmbH" EUR 700 # INV-000006
inv "Beta Ltd" EUR 700   # INV-000007
inv "Alpha GmbH" EUR 800 # INV-000008
inv "Beta Ltd" EUR 900   # INV-000009
cat >"$T/pair.csv" <<'EOF'
ref,date,amount,currency,payer,text
S1,2026-11-22,700.00,EUR,Alpha GmbH,thanks
S2,2026-11-22,700.00,EUR,Beta Ltd,thanks
S3,2026-11-22,800.00,EUR,Nobody,INV-000006
S4,2026-11-22,900.00,EUR,Nobody,INV-000007
EOF
expect_code 0 crm-contract reconcile "$T/pair.csv" --fields ref,status,how,invoices
expect_out "two invoices of one amount, each settled first" <<'EOF'
ref,status,how,invoices
S1,matched,amount and payer,INV-000006
S2,matched,amount and payer,INV-000007
S3,matched,"reference with a typo, amount",INV-000008
S4,matched,"reference with a typo, amount",INV-000009
EOF
expect_code 0 crm-contract reconcile --apply -q "$T/pair.csv"
expect_code 0 crm-contract invoices --fields number,open
expect_out "the four applied" <<'EOF'
number,open
INV-000001,0.00
INV-000002,0.00
INV-000003,0.00
INV-000004,400.00
INV-000005,500.00
INV-000006,0.00
INV-000007,0.00
INV-000008,0.00
INV-000009,0.00
EOF
done_testing
