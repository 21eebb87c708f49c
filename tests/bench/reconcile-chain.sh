#!/bin/sh
# reconcile-chain.sh [SIZES]: reconcile's choice of the lines that need
# the typo pass, on the statement that makes it longest: a chain. Line 1
# pays invoice 1 by amount and payer; line j names invoice j - 1 (settled
# by line j - 1) and pays invoice j's amount, so each line is chosen only
# once the line before it is. For each size (default "1000 4000 16000
# 64000" lines over as many invoices) it prints crm's time per line, peak
# RSS and the growth of the time per line from the smallest size. Before
# session 24 the choice took one pass over every line per link (64,000
# lines: 156 s); a worklist makes it linear. There is no reference: no
# hand-written SQL makes this choice. SQLite only: the choice is made in
# memory, and contract.sh measures reconcile's reads on both engines.
# The data is loaded straight into crm's schema (crm init) by SQL.
set -eu
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE=$top/share/crm CRM_USER=bench
first=
for k in ${1:-1000 4000 16000 64000}; do
	db=$dir/crm$k.db
	"$bin/crm" init --db "$db" 2>/dev/null
	sqlite3 -bail "$db" <<SQL
BEGIN;
INSERT INTO companies (id, name, owner, created_at, updated_at)
VALUES (1, 'Alpha', 'o', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $k)
INSERT INTO invoices (id, number, series, seq, kind, company_id, issue_date,
 due_date, currency, net, tax, total, created_at)
SELECT i, 'INV-' || substr('0000000' || i, -7), 'INV', i, 'invoice', 1,
 '2026-11-01', '2026-12-01', 'EUR', i * 100, 0, i * 100,
 '2026-01-01T00:00:00Z' FROM n;
INSERT INTO invoice_lines (invoice_id, pos, description, quantity,
 unit_price, tax_rate, net, tax, total)
SELECT id, 1, 'Work', 1000, net, 0, net, tax, total FROM invoices ORDER BY id;
INSERT INTO invoice_series (series, last) VALUES ('INV', $k);
COMMIT;
SQL
	awk -v k="$k" 'BEGIN {
		print "ref,date,amount,currency,payer,text"
		print "P1,2026-11-20,1.00,EUR,Alpha,thanks"
		for (j = 2; j <= k; j++)
			printf "P%d,2026-11-20,%d.00,EUR,Nobody,INV-%07d\n", j, j, j - 1
	}' >"$dir/chain$k.csv"
	timed "$dir/out" /usr/bin/time -f %M -o "$dir/rss" env CRM_DB="$db" \
		"$bin/crm-contract" reconcile -q "$dir/chain$k.csv" --fields status
	per=$(echo "$t $k" | awk '{printf "%.2f", $1 / $2 * 1e6}')
	first=${first:-$per}
	echo "chain of $k lines: ${t}s, $per us a line, growth $(ratio "$per" "$first"), peak RSS $(rss "$dir/rss"), matched $(grep -c '^matched' "$dir/out")"
done
