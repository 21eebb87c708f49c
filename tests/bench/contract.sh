#!/bin/sh
# contract.sh [DIVISOR]: receivables at scale: 1,000,000 invoices with
# 1,500,000 payments (and their allocations), a 100,000-line camt.053
# statement reconciled (proposed, then applied), the aging report next to
# the same figures by hand-written SQL in the sqlite3 shell, DSO and
# months; each divided by DIVISOR (default 1: the full size; the shared
# build machine runs it with 100). Prints times, peak RSS and whether
# crm's aging equals the hand SQL's, and `row` lines (tests/bench/lib.sh)
# for aging and reconcile (propose). SQLite only.
#
# reconcile's reference, in the sqlite3 shell: the same statement as CSV
# (one reference per line, already cut from the text: less than crm,
# which parses the XML and tokenizes the text), the open amount of every
# invoice (the same aggregate crm reads), every invoice number and each
# of its one-character deletions next to every statement reference and
# its deletions (the deletion neighbourhood crm matches with, here as
# indexed tables), joined in the same currency; a line is matched by its
# exact number, else by the one number one edit away with the amount.
# It leaves out what crm also does: the payer rule, the amount-only
# fallback and the open amounts a line leaves to the next.
set -eu
div=${1:-1}
ninv=$((1000000 / div))
npay=$((1500000 / div))
nstmt=$((100000 / div))
ncomp=$((10000 / div < 10 ? 10 : 10000 / div))
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE=$top/share/crm CRM_USER=bench
export CRM_DB=$dir/crm.db
db=$CRM_DB

# the data, loaded straight into crm's schema (not what is measured):
# invoices over a year in EUR and USD, each paid a third by payment j for
# invoice (j - 1) % ninv + 1, so half the invoices have two payments
"$bin/crm" init --db "$db" 2>/dev/null
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ncomp)
INSERT INTO companies (id, name, owner, created_at, updated_at)
SELECT i, 'Company ' || i, 'owner' || (i % 25), '2026-01-01T00:00:00Z',
 '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ninv)
INSERT INTO invoices (id, number, series, seq, kind, company_id, issue_date,
 due_date, currency, net, tax, total, created_at)
SELECT i, 'INV-' || substr('0000000' || i, -7), 'INV', i, 'invoice',
 1 + i % $ncomp, date('2025-11-22', '+' || (i % 365) || ' days'),
 date('2025-11-22', '+' || (i % 365 + 30) || ' days'),
 CASE i % 4 WHEN 0 THEN 'USD' ELSE 'EUR' END,
 30000 + (i % 9000) * 300, (30000 + (i % 9000) * 300) / 5,
 (30000 + (i % 9000) * 300) * 6 / 5, '2026-01-01T00:00:00Z' FROM n;
INSERT INTO invoice_lines (invoice_id, pos, description, quantity, unit_price,
 tax_rate, net, tax, total)
SELECT id, 1, 'Work', 1000, net, 2000, net, tax, total FROM invoices;
INSERT INTO invoice_series (series, last) VALUES ('INV', $ninv);
WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < $npay)
INSERT INTO payments (id, company_id, received_on, amount, currency, payer,
 method, created_at)
SELECT j, i.company_id, date(i.issue_date, '+20 days'), i.total / 3,
 i.currency, 'Company ' || i.company_id, 'transfer', '2026-01-01T00:00:00Z'
FROM n JOIN invoices i ON i.id = (j - 1) % $ninv + 1;
INSERT INTO allocations (invoice_id, payment_id, amount, at)
SELECT (id - 1) % $ninv + 1, id, amount, '2026-01-01T00:00:00Z' FROM payments;
COMMIT;
ANALYZE;
SQL
echo "data: $ninv invoices, $npay payments and allocations, $ncomp accounts (1/$div of the full size)"

# a statement paying the open rest of the last nstmt invoices, by
# reference (every 10th with a typo: a digit dropped), as camt.053
sqlite3 -separator ' ' "$db" "SELECT i.number, i.total - coalesce(sum(a.amount), 0), i.currency, i.company_id
 FROM invoices i LEFT JOIN allocations a ON a.invoice_id = i.id
 WHERE i.id > $ninv - $nstmt GROUP BY i.id ORDER BY i.id" |
	awk 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
		print "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-11-22T18:00:00Z</CreDtTm></GrpHdr><Stmt><Id>B</Id>"
	}
	{
		ref = $1
		if (NR % 10 == 0) sub(/-0/, "-", ref)
		printf "<Ntry><Amt Ccy=\"%s\">%d.%02d</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-22</Dt></BookgDt><AcctSvcrRef>B%d</AcctSvcrRef>", $3, $2 / 100, $2 % 100, NR
		printf "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Company %s</Nm></Dbtr></RltdPties><RmtInf><Ustrd>Invoice %s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", $4, ref
		printf "%d,%d,%s,%s\n", NR, $2, $3, ref >csv
	}
	END { print "</Stmt></BkToCstmrStmt></Document>" }' csv="$dir/stmt.csv" >"$dir/stmt.xml"
echo "statement: $nstmt lines, $(wc -c <"$dir/stmt.xml") bytes"

run() { # label OUT command...
	label=$1 out=$2
	shift 2
	/usr/bin/time -f %M -o "$dir/rss" sh -c 'exec "$@" 2>/dev/null' _ "$@" >"$out" || true
	printf '%-34s %s\n' "$label" "$(rss "$dir/rss")"
}

timed "$dir/aging.csv" "$bin/crm-contract" aging -f csv
t_aging=$t
timed "$dir/hand.csv" sqlite3 -csv -header "$db" "
SELECT co.name || ' (' || i.company_id || ')' AS \"group\", i.currency,
 printf('%.2f', sum(CASE WHEN late <= 0 THEN open ELSE 0 END) / 100.0) AS current,
 printf('%.2f', sum(CASE WHEN late BETWEEN 1 AND 30 THEN open ELSE 0 END) / 100.0) AS days_1_30,
 printf('%.2f', sum(CASE WHEN late BETWEEN 31 AND 60 THEN open ELSE 0 END) / 100.0) AS days_31_60,
 printf('%.2f', sum(CASE WHEN late BETWEEN 61 AND 90 THEN open ELSE 0 END) / 100.0) AS days_61_90,
 printf('%.2f', sum(CASE WHEN late > 90 THEN open ELSE 0 END) / 100.0) AS over_90,
 printf('%.2f', sum(open) / 100.0) AS total, count(*) AS invoices
FROM (SELECT i.company_id, i.currency,
  CAST(julianday('2026-11-22') - julianday(i.due_date) AS INTEGER) AS late,
  i.total - coalesce((SELECT sum(amount) FROM allocations a
   WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0) AS open
 FROM invoices i WHERE i.kind = 'invoice') i
JOIN companies co ON co.id = i.company_id
WHERE open <> 0 GROUP BY 1, 2 ORDER BY 1, 2"
t_hand=$t
tr -d '"' <"$dir/hand.csv" >"$dir/hand2.csv" # the shell quotes names with spaces
if cmp -s "$dir/aging.csv" "$dir/hand2.csv"; then same=yes; else same=NO; fi
echo "aging:      crm ${t_aging}s, hand SQL ${t_hand}s (ratio $(ratio "$t_aging" "$t_hand")), $(($(wc -l <"$dir/aging.csv") - 1)) rows, same figures: $same"
run "aging peak RSS" /dev/null "$bin/crm-contract" aging
row aging sqlite "$ninv" "$t_aging" "$t_hand" "$dir/rss"
timed /dev/null "$bin/crm-contract" aging --by owner
echo "aging by owner: ${t}s"
timed /dev/null "$bin/crm-contract" dso
echo "dso: ${t}s"
timed /dev/null "$bin/crm-contract" months
echo "months: ${t}s"

timed "$dir/prop.csv" "$bin/crm-contract" reconcile -q "$dir/stmt.xml" --fields status
echo "reconcile (propose): ${t}s, matched $(grep -c matched "$dir/prop.csv") of $nstmt"
t_prop=$t
run "reconcile (propose) peak RSS" /dev/null "$bin/crm-contract" reconcile -q "$dir/stmt.xml"
cp "$db" "$dir/ref.db"
timed "$dir/ref.out" sqlite3 "$dir/ref.db" <<SQL
CREATE TEMP TABLE stmt (line INTEGER PRIMARY KEY, amount INTEGER, currency TEXT, ref TEXT);
.mode csv
.import $dir/stmt.csv stmt
.mode list
CREATE TEMP TABLE pos (p INTEGER PRIMARY KEY);
WITH RECURSIVE n(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM n WHERE p < 40)
INSERT INTO pos SELECT p FROM n;
CREATE TEMP TABLE open AS
SELECT i.id, i.number, upper(replace(i.number, '-', '')) AS key, i.currency,
 i.total - coalesce(a.s, 0) AS open
FROM invoices i LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations
 WHERE undone_at IS NULL GROUP BY invoice_id) a ON a.invoice_id = i.id
WHERE i.kind = 'invoice' AND i.total - coalesce(a.s, 0) > 0;
CREATE TEMP TABLE tok AS SELECT line, amount, currency, upper(replace(ref, '-', '')) AS tok FROM stmt;
CREATE TEMP TABLE ikey AS SELECT id, key AS k FROM open
 UNION ALL SELECT id, substr(key, 1, p - 1) || substr(key, p + 1) FROM open JOIN pos ON p <= length(key);
CREATE INDEX ikey_k ON ikey(k);
CREATE TEMP TABLE tdel AS SELECT line, tok AS k FROM tok
 UNION ALL SELECT line, substr(tok, 1, p - 1) || substr(tok, p + 1) FROM tok JOIN pos ON p <= length(tok);
CREATE TEMP TABLE exact AS SELECT t.line, o.number FROM tok t JOIN ikey k ON k.k = t.tok
 JOIN open o ON o.id = k.id AND o.key = t.tok AND o.currency = t.currency;
CREATE TEMP TABLE near AS SELECT DISTINCT d.line, o.id, o.number, o.open FROM tdel d
 JOIN ikey k ON k.k = d.k JOIN open o ON o.id = k.id
 JOIN tok t ON t.line = d.line AND o.currency = t.currency AND o.key <> t.tok
 WHERE d.line NOT IN (SELECT line FROM exact);
SELECT count(*) || ' matched' FROM (SELECT line FROM exact
 UNION SELECT n.line FROM near n JOIN tok t ON t.line = n.line AND n.open = t.amount
 GROUP BY n.line HAVING count(*) = 1);
SQL
t_ref=$t
rm -f "$dir/ref.db"
echo "reconcile (propose): crm ${t_prop}s, hand SQL ${t_ref}s ($(cat "$dir/ref.out"); ratio $(ratio "$t_prop" "$t_ref"))"
row reconcile sqlite "$nstmt" "$t_prop" "$t_ref" "$dir/rss"
timed "$dir/apply.csv" "$bin/crm-contract" reconcile --apply -q "$dir/stmt.xml" --fields status
echo "reconcile --apply: ${t}s ($(echo "$nstmt $t" | awk '{printf "%.0f", $1 / $2}') lines/s)"
timed "$dir/again.csv" "$bin/crm-contract" reconcile --apply -q "$dir/stmt.xml" --fields status
echo "the same statement again: ${t}s, applied before $(grep -c applied_before "$dir/again.csv")"

k=200
s=$(date +%s.%N)
i=0
while [ $i -lt $k ]; do
	"$bin/crm-contract" invoice -q --account 1 --currency EUR --line "Bench;1;10;19" >/dev/null
	i=$((i + 1))
done
e=$(date +%s.%N)
echo "invoice: $k invoices one process each: $(echo "$s $e $k" | awk '{printf "%.1f ms each", ($2 - $1) * 1000 / $3}')"
timed /dev/null "$bin/crm-contract" journal --all -q
echo "journal --all ($(sqlite3 "$db" 'SELECT count(*) FROM journal_lines') lines): ${t}s"
