#!/bin/bash
# reconcile reads which references are payments already for the whole
# statement at once: a reference with a quote, a backslash and a tab is
# found again; a reference twice in one statement is proposed twice but
# applied once (the second line applied before); a reference applied by
# an earlier run is applied before, the lines around it still applied.
# --apply writes without reading the invoices again: an allocation that
# another command made meanwhile (here a trigger) and that leaves an
# invoice allocated beyond its total fails the run (75), nothing written.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH"
inv() { expect_code 0 crm-contract invoice -q --account "Acme GmbH" --currency EUR --line "Work;1;$1" --date 2026-11-01; }
inv 100 # INV-000001
inv 200 # INV-000002
inv 300 # INV-000003
inv 400 # INV-000004

# line 1's reference: a quote, a backslash and a tab
printf 'ref,date,amount,currency,payer,text\n' >"$T/s.csv"
printf '"Q""1\\x\ty",2026-11-21,100.00,EUR,Acme GmbH,Invoice INV-000001\n' >>"$T/s.csv"
printf 'D1,2026-11-21,50.00,EUR,Acme GmbH,Invoice INV-000002 part\n' >>"$T/s.csv"
printf 'D1,2026-11-21,150.00,EUR,Acme GmbH,Invoice INV-000002 rest\n' >>"$T/s.csv"
printf 'E1,2026-11-21,300.00,EUR,Acme GmbH,Invoice INV-000003\n' >>"$T/s.csv"
# E1 alone, applied first
head -1 "$T/s.csv" >"$T/e1.csv"
grep '^E1,' "$T/s.csv" >>"$T/e1.csv"
expect_code 0 crm-contract reconcile --apply -q "$T/e1.csv" --fields ref,status,invoices,payment_id
expect_out "E1 applied alone" <<'X'
ref,status,invoices,payment_id
E1,matched,INV-000003,1
X

expect_code 0 crm-contract reconcile "$T/s.csv" --fields status,how,invoices
expect_out "proposed: the repeated reference twice, E1 applied before" <<'X'
status,how,invoices
matched,reference,INV-000001
matched,"reference, partial",INV-000002
matched,reference,INV-000002
applied_before,,
X
expect_code 0 crm-contract reconcile --apply "$T/s.csv" --fields status,invoices,payment_id
expect_out "applied: the repeated reference once" <<'X'
status,invoices,payment_id
matched,INV-000001,2
matched,INV-000002,3
applied_before,,
applied_before,,
X
err_has "2 matched, 0 ambiguous, 0 unmatched, 2 applied before"
sql "SELECT statement_ref || '|' || amount FROM payments ORDER BY id"
printf 'E1|30000\nQ"1\\x\ty|10000\nD1|5000\n' >"$T/want"
compare "$T/want" "$T/sql" "one payment per reference"

db_dump "" "$T/before"
expect_code 0 crm-contract reconcile --apply "$T/s.csv" --fields ref,status
printf 'ref,status\n"Q""1\\x\ty",applied_before\nD1,applied_before\nD1,applied_before\nE1,applied_before\n' >"$T/want"
compare "$T/want" "$T/out" "run again: every line applied before"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "run again: nothing written"

# INV-000004 (400.00) gets 1.00 from payment 1 when F1's payment is inserted
case $CRM_DB in
postgresql:* | postgres:*)
	sql "CREATE FUNCTION meanwhile() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN INSERT INTO allocations (invoice_id, payment_id, amount, at) VALUES (4, 1, 100, '2026-11-22T09:30:00Z'); RETURN NULL; END\$\$; CREATE TRIGGER meanwhile AFTER INSERT ON payments FOR EACH ROW WHEN (NEW.statement_ref = 'F1') EXECUTE FUNCTION meanwhile()" || not_ok "create the trigger" ;;
*) sql "CREATE TRIGGER meanwhile AFTER INSERT ON payments WHEN NEW.statement_ref = 'F1' BEGIN INSERT INTO allocations (invoice_id, payment_id, amount, at) VALUES (4, 1, 100, '2026-11-22T09:30:00Z'); END" || not_ok "create the trigger" ;;
esac
printf 'ref,date,amount,currency,payer,text
F1,2026-11-21,400.00,EUR,Acme GmbH,Invoice INV-000004
' >"$T/f1.csv"
db_dump "" "$T/before"
expect_code 75 crm-contract reconcile --apply -q "$T/f1.csv" --fields status
err_has "INV-000004: allocated beyond its total"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "allocated meanwhile: nothing written"
done_testing
