#!/bin/bash
# reconcile --apply is one transaction: killed with SIGKILL part way it
# leaves all or nothing; run again to the end it applies every line once.
# Also a CSV statement read with a column mapping.
. "$(dirname "$0")/../lib.sh"

N=20000
expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-contract invoice -q --account 1 --currency EUR --line "seed;1;1"
# the invoices to pay, loaded straight into the tables (fixture setup)
sql "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $N + 1)
INSERT INTO invoices (number, series, seq, kind, company_id, issue_date, due_date,
 currency, net, tax, total, created_at)
SELECT 'INV-' || substr('000000' || i, length('000000' || i) - 5), 'INV', i, 'invoice', 1, '2026-11-01',
 '2026-12-01', 'EUR', 10000 + i, 0, 10000 + i, '2026-11-01T00:00:00Z' FROM n;
UPDATE invoice_series SET last = $N + 1 WHERE series = 'INV';"
awk -v n=$N 'BEGIN {
	print "Buchungstag;Betrag;Waehrung;Auftraggeber;Verwendungszweck;Referenz"
	for (i = 2; i <= n + 1; i++)
		printf "2026-11-21;%d.%02d;EUR;Acme GmbH;Rechnung INV-%06d;R%d\n", (10000 + i) / 100, (10000 + i) % 100, i, i
}' >"$T/stmt.csv"
MAP="--column date=Buchungstag --column amount=Betrag --column currency=Waehrung --column payer=Auftraggeber --column text=Verwendungszweck --column ref=Referenz"

for delay in 0.3 0.8; do
	# shellcheck disable=SC2086
	crm-contract reconcile --apply -q $MAP --delimiter ';' "$T/stmt.csv" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	db_integrity
	check "killed after ${delay}s: integrity_check ok" grep -qx ok "$T/sql"
	sql "SELECT (SELECT count(*) FROM payments) || ' ' || (SELECT count(*) FROM allocations) || ' ' || (SELECT count(*) FROM journal_lines WHERE doc_type = 'payment')"
	check "killed after ${delay}s: all or nothing" grep -qxE "0 0 0|$N $N $((2 * N))" "$T/sql"
	sql "DELETE FROM allocations; DELETE FROM journal_lines WHERE doc_type = 'payment'; DELETE FROM payments"
done

# shellcheck disable=SC2086
expect_code 0 crm-contract reconcile --apply $MAP --delimiter ';' "$T/stmt.csv" --fields ref,status,invoices
sql "SELECT count(*), sum(amount) FROM payments"
check "every line applied once" grep -qx "$N|$((N * 10000 + (N + 1) * (N + 2) / 2 - 1))" "$T/sql"
sql "SELECT count(*) FROM invoices WHERE kind = 'invoice' AND total > (SELECT coalesce(sum(amount), 0) FROM allocations a WHERE a.invoice_id = invoices.id)"
check "only the seed invoice is open" grep -qx 1 "$T/sql"
check "matched by reference" [ "$(grep -c ',matched,' "$T/out")" -eq $N ]
# shellcheck disable=SC2086
expect_code 0 crm-contract reconcile --apply -q $MAP --delimiter ';' "$T/stmt.csv" --fields status
check "run again: every line applied before" [ "$(grep -c applied_before "$T/out")" -eq $N ]
sql "SELECT count(*) FROM payments"
check "run again: nothing twice" grep -qx $N "$T/sql"

# a CSV statement's bad line names the file, the line and the field
printf 'ref,date,amount,currency\nA1,2026-11-21,12.345,EUR\n' >"$T/bad.csv"
expect_code 65 crm-contract reconcile --apply "$T/bad.csv"
err_has "bad.csv:2: amount"
printf 'ref,date,amount,currency\nA1,2026-11-21,12.30,\n' >"$T/bad2.csv"
expect_code 65 crm-contract reconcile "$T/bad2.csv"
err_has "currency: missing"
expect_code 64 crm-contract reconcile --column nonsense=X "$T/bad.csv"
done_testing
