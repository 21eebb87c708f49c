#!/bin/sh
# contract.sh [DIVISOR | xFACTOR]: receivables at scale: 1,000,000 invoices
# with 1,500,000 payments (and their allocations), a 100,000-line camt.053
# statement reconciled (proposed, then applied), the aging report next to
# the same figures by hand-written SQL, DSO and months; each divided by
# DIVISOR (default $CONTRACT_DIVISOR, else 1: the full size, as make bench
# runs it; the shared build machine runs it with 100), or multiplied by
# FACTOR (x10: 10M invoices, scale.sh's largest size). On SQLite (the
# sqlite3 shell) and PostgreSQL (psql, on a throwaway server
# tests/pgserver.sh starts, or the one $CRM_TEST_PG names);
# BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL is installed).
# The data is loaded straight into crm's schema (made by crm init) with
# set-based SQL, the same rows on both engines (not what is measured).
# Prints times, CPU seconds (crm's; on PostgreSQL also the server
# backends' when the server is tests/pgserver.sh's), peak RSS, whether
# crm's aging equals the hand SQL's, and `row` lines (tests/bench/lib.sh)
# for aging and reconcile (propose).
#
# aging: crm-contract aging -f csv reads every open invoice (its account,
# currency, due date and open amount: total less the live allocations
# summed in a grouped subquery) in account order and adds them up into
# the buckets in C. The reference is one query doing the bucketing in SQL
# and printing the same CSV: on SQLite the open amount by a correlated
# sum per invoice (sqlite3 -csv); on PostgreSQL by the join to the
# grouped allocations crm reads (a hash join there: the correlated sum,
# an index scan per invoice, took 1.5-2x as long at 10,000 invoices),
# days by date subtraction, amounts formatted by numeric rounding (psql
# --csv). The references bucket in the database engine, crm in C.
#
# reconcile's reference, in the sqlite3 shell or psql: the same statement
# as CSV (one reference per line, already cut from the text: less than
# crm, which parses the XML and tokenizes the text), the open amount of
# every invoice (the same aggregate crm reads), every invoice number and
# each of its one-character deletions next to every statement reference
# and its deletions (the deletion neighbourhood crm matches with, here as
# indexed temporary tables; on PostgreSQL analyzed after they are made,
# as autovacuum never sees them), joined in the same currency; a line is
# matched by its exact number, else by the one number one edit away with
# the amount. It leaves out what crm also does: the payer rule, the
# amount-only fallback and the open amounts a line leaves to the next.
# On SQLite it runs on a copy of the database, on PostgreSQL in the same
# database (its tables are temporary).
#
# KEEP=1 keeps the folder (BENCH_DIR, else a mktemp -d one) and, on
# PostgreSQL, the database (crm_bench_contract_PID).
set -eu
div=${1:-${CONTRACT_DIVISOR:-1}}
case $div in
x[1-9]*) mul=${div#x} div=1 size="$mul times the full size" ;;
*) mul=1 size="1/$div of the full size" ;;
esac
ninv=$((1000000 * mul / div))
npay=$((1500000 * mul / div))
nstmt=$((100000 * mul / div))
ncomp=$((10000 * mul / div < 10 ? 10 : 10000 * mul / div))
# the digits of an invoice number: 7, 8 past 9,999,999 invoices (x10)
width=$((ninv > 9999999 ? 8 : 7))
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE=$top/share/crm CRM_USER=bench

# Per engine: the database, q SQL (one query, its rows unaligned, fields
# separated by a space), script (SQL on stdin, quietly, stopping at the
# first error), and the dialect of the load: day D N (the date N days
# after date D, as text YYYY-MM-DD), num I (invoice number I's $width digits),
# series N (the integers 1 to N as column i of a FROM item), money V
# (minor units V as %.2f of V / 100).
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	name="crm_bench_contract_$$"
	trap '[ -n "${KEEP:-}" ] || { admin "DROP DATABASE IF EXISTS $name" || :; rm -rf "$dir"; }' EXIT
	admin "CREATE DATABASE $name"
	db=$(url "$name")
	q() { psql "$db" -X -q -A -t -F ' ' -c "$1"; }
	script() { psql "$1" -X -q -A -t -v ON_ERROR_STOP=1; }
	day() { echo "to_char(CAST($1 AS date) + ($2), 'YYYY-MM-DD')"; }
	num() { echo "lpad(CAST($1 AS text), $width, '0')"; }
	series() { echo "generate_series(1, $1) AS n(i)"; }
	money() { echo "CAST(round(($1) / 100.0, 2) AS text)"; }
	version="PostgreSQL $(psql "$CRM_TEST_PG" -X -A -t -c 'SHOW server_version')"
else
	trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
	db=$dir/crm.db
	q() { sqlite3 -separator ' ' "$db" "$1"; }
	script() { sqlite3 -bail "$1"; }
	day() { echo "date($1, '+' || ($2) || ' days')"; }
	num() { echo "substr('00000000' || ($1), -$width)"; }
	series() { echo "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n) AS n"; }
	money() { echo "printf('%.2f', ($1) / 100.0)"; }
	version="SQLite $(sqlite3 --version | cut -d' ' -f1)"
fi
export CRM_DB=$db
# cpu_line [SERVER0]: "cpu Xs" (timed's $cpu: the command's and its
# children's), and on PostgreSQL "+ server Ys" since srv_cpu printed SERVER0
cpu_line() {
	awk -v c="$cpu" -v s0="${1:-}" -v s1="$([ "$engine" = sqlite ] || srv_cpu)" 'BEGIN {
		printf "cpu %.2fs", c; if (s0 != "" && s1 != "") printf " + server %.2fs", s1 - s0 }'
}

# the data, loaded straight into crm's schema (not what is measured):
# invoices over a year in EUR and USD, each paid a third by payment j for
# invoice (j - 1) % ninv + 1, so half the invoices have two payments
"$bin/crm" init --db "$db" 2>/dev/null
{
	[ "$engine" = pg ] || echo "PRAGMA journal_mode = WAL;"
	cat <<SQL
BEGIN;
INSERT INTO companies (id, name, owner, created_at, updated_at)
SELECT i, 'Company ' || i, 'owner' || (i % 25), '2026-01-01T00:00:00Z',
 '2026-01-01T00:00:00Z' FROM $(series "$ncomp");
INSERT INTO invoices (id, number, series, seq, kind, company_id, issue_date,
 due_date, currency, net, tax, total, created_at)
SELECT i, 'INV-' || $(num i), 'INV', i, 'invoice',
 1 + i % $ncomp, $(day "'2025-11-22'" 'i % 365'),
 $(day "'2025-11-22'" 'i % 365 + 30'),
 CASE i % 4 WHEN 0 THEN 'USD' ELSE 'EUR' END,
 30000 + (i % 9000) * 300, (30000 + (i % 9000) * 300) / 5,
 (30000 + (i % 9000) * 300) * 6 / 5, '2026-01-01T00:00:00Z'
FROM $(series "$ninv");
INSERT INTO invoice_lines (invoice_id, pos, description, quantity, unit_price,
 tax_rate, net, tax, total)
SELECT id, 1, 'Work', 1000, net, 2000, net, tax, total FROM invoices ORDER BY id;
INSERT INTO invoice_series (series, last) VALUES ('INV', $ninv);
INSERT INTO payments (id, company_id, received_on, amount, currency, payer,
 method, created_at)
SELECT n.i, v.company_id, $(day v.issue_date 20), v.total / 3,
 v.currency, 'Company ' || v.company_id, 'transfer', '2026-01-01T00:00:00Z'
FROM $(series "$npay") JOIN invoices v ON v.id = (n.i - 1) % $ninv + 1;
INSERT INTO allocations (id, invoice_id, payment_id, amount, at)
SELECT id, (id - 1) % $ninv + 1, id, amount, '2026-01-01T00:00:00Z' FROM payments;
COMMIT;
SQL
	if [ "$engine" = pg ]; then
		for t in companies invoices payments allocations; do
			echo "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT max(id) FROM $t));"
		done
		echo "VACUUM ANALYZE;"
	else
		echo "ANALYZE;"
	fi
} | script "$db" >/dev/null
echo "data: $ninv invoices, $npay payments and allocations, $ncomp accounts ($size); $version"
echo "load: $(uptime | sed 's/.*load average/load average/')"

# a statement paying the open rest of the last nstmt invoices, by
# reference (every 10th with a typo: a digit dropped), as camt.053
q "SELECT i.number, i.total - coalesce(sum(a.amount), 0), i.currency, i.company_id
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
echo "statement: $nstmt lines, $(wc -c <"$dir/stmt.xml") bytes, $(md5sum <"$dir/stmt.xml" | cut -c1-12)"
# a statement past reconcile's default limit (256 MiB: xFACTOR's) is
# allowed by its option, as a user would
max="--max-bytes=$(($(wc -c <"$dir/stmt.xml") > 268435456 ? $(wc -c <"$dir/stmt.xml") : 268435456))"

run() { # label OUT command...
	label=$1 out=$2
	shift 2
	/usr/bin/time -f %M -o "$dir/rss" sh -c 'exec "$@" 2>/dev/null' _ "$@" >"$out" || true
	printf '%-34s %s\n' "$label" "$(rss "$dir/rss")"
}

# aging: crm, then the hand SQL (the reference's open amount and days)
s0=$(srv_cpu)
timed "$dir/aging.csv" "$bin/crm-contract" aging -f csv
t_aging=$t cpu_aging=$(cpu_line "$s0")
if [ "$engine" = pg ]; then
	late="CAST('2026-11-22' AS date) - CAST(i.due_date AS date)"
	open="i.total - coalesce(a.s, 0) AS open
 FROM invoices i LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations
  WHERE undone_at IS NULL GROUP BY invoice_id) a ON a.invoice_id = i.id"
	hand() { psql "$db" -X -q --csv -c "$1"; }
else
	late="CAST(julianday('2026-11-22') - julianday(i.due_date) AS INTEGER)"
	open="i.total - coalesce((SELECT sum(amount) FROM allocations a
   WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0) AS open
 FROM invoices i"
	hand() { sqlite3 -csv -header "$db" "$1"; }
fi
s0=$(srv_cpu)
timed "$dir/hand.csv" hand "
SELECT co.name || ' (' || i.company_id || ')' AS \"group\", i.currency,
 $(money 'sum(CASE WHEN late <= 0 THEN open ELSE 0 END)') AS current,
 $(money 'sum(CASE WHEN late BETWEEN 1 AND 30 THEN open ELSE 0 END)') AS days_1_30,
 $(money 'sum(CASE WHEN late BETWEEN 31 AND 60 THEN open ELSE 0 END)') AS days_31_60,
 $(money 'sum(CASE WHEN late BETWEEN 61 AND 90 THEN open ELSE 0 END)') AS days_61_90,
 $(money 'sum(CASE WHEN late > 90 THEN open ELSE 0 END)') AS over_90,
 $(money 'sum(open)') AS total, count(*) AS invoices
FROM (SELECT i.company_id, i.currency, $late AS late,
  $open WHERE i.kind = 'invoice') i
JOIN companies co ON co.id = i.company_id
WHERE open <> 0 GROUP BY 1, 2 ORDER BY 1, 2"
t_hand=$t cpu_hand=$(cpu_line "$s0")
tr -d '"' <"$dir/hand.csv" >"$dir/hand2.csv" # the shells quote names with spaces
if cmp -s "$dir/aging.csv" "$dir/hand2.csv"; then same=yes; else same=NO; fi
echo "aging:      crm ${t_aging}s ($cpu_aging), hand SQL ${t_hand}s ($cpu_hand) (ratio $(ratio "$t_aging" "$t_hand")), $(($(wc -l <"$dir/aging.csv") - 1)) rows, same figures: $same"
run "aging peak RSS" /dev/null "$bin/crm-contract" aging
row aging "$engine" "$ninv" "$t_aging" "$t_hand" "$dir/rss"
timed /dev/null "$bin/crm-contract" aging --by owner
echo "aging by owner: ${t}s"
timed /dev/null "$bin/crm-contract" dso
echo "dso: ${t}s"
timed /dev/null "$bin/crm-contract" months
echo "months: ${t}s"

s0=$(srv_cpu)
timed "$dir/prop.csv" "$bin/crm-contract" reconcile "$max" -q "$dir/stmt.xml" --fields status
t_prop=$t cpu_prop=$(cpu_line "$s0")
echo "reconcile (propose): ${t}s ($cpu_prop), matched $(grep -c matched "$dir/prop.csv") of $nstmt"
run "reconcile (propose) peak RSS" /dev/null "$bin/crm-contract" reconcile "$max" -q "$dir/stmt.xml"
cp "$dir/rss" "$dir/rss.prop"
# the reference's dialect: its statement loaded, the positions 1-40
if [ "$engine" = pg ]; then
	rdb=$db
	load="CREATE TEMP TABLE stmt (line bigint PRIMARY KEY, amount bigint, currency text, ref text);
\\copy stmt FROM '$dir/stmt.csv' WITH (FORMAT csv)
CREATE TEMP TABLE pos AS SELECT p FROM generate_series(1, 40) AS g(p);"
	analyze="ANALYZE stmt; ANALYZE open; ANALYZE tok; ANALYZE ikey; ANALYZE tdel;"
	analyze2="ANALYZE exact; ANALYZE near;"
else
	rdb=$dir/ref.db
	sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$db" "$rdb"
	load="CREATE TEMP TABLE stmt (line INTEGER PRIMARY KEY, amount INTEGER, currency TEXT, ref TEXT);
.mode csv
.import $dir/stmt.csv stmt
.mode list
CREATE TEMP TABLE pos (p INTEGER PRIMARY KEY);
WITH RECURSIVE n(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM n WHERE p < 40)
INSERT INTO pos SELECT p FROM n;"
	analyze= analyze2=
fi
s0=$(srv_cpu)
timed "$dir/ref.out" script "$rdb" <<SQL
$load
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
$analyze
CREATE TEMP TABLE exact AS SELECT t.line, o.number FROM tok t JOIN ikey k ON k.k = t.tok
 JOIN open o ON o.id = k.id AND o.key = t.tok AND o.currency = t.currency;
CREATE TEMP TABLE near AS SELECT DISTINCT d.line, o.id, o.number, o.open FROM tdel d
 JOIN ikey k ON k.k = d.k JOIN open o ON o.id = k.id
 JOIN tok t ON t.line = d.line AND o.currency = t.currency AND o.key <> t.tok
 WHERE d.line NOT IN (SELECT line FROM exact);
$analyze2
SELECT count(*) || ' matched' FROM (SELECT line FROM exact
 UNION SELECT n.line FROM near n JOIN tok t ON t.line = n.line AND n.open = t.amount
 GROUP BY n.line HAVING count(*) = 1) AS m;
SQL
t_ref=$t cpu_ref=$(cpu_line "$s0")
[ "$engine" = pg ] || rm -f "$rdb"
echo "reconcile (propose): crm ${t_prop}s ($cpu_prop), hand SQL ${t_ref}s ($cpu_ref) ($(cat "$dir/ref.out"); ratio $(ratio "$t_prop" "$t_ref"))"
row reconcile "$engine" "$nstmt" "$t_prop" "$t_ref" "$dir/rss.prop"
s0=$(srv_cpu)
timed "$dir/apply.csv" "$bin/crm-contract" reconcile --apply "$max" -q "$dir/stmt.xml" --fields status
echo "reconcile --apply: ${t}s ($(cpu_line "$s0"); $(echo "$nstmt $t" | awk '{printf "%.0f", $1 / $2}') lines/s), applied $(grep -c matched "$dir/apply.csv")"
timed "$dir/again.csv" "$bin/crm-contract" reconcile --apply "$max" -q "$dir/stmt.xml" --fields status
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
echo "journal --all ($(q 'SELECT count(*) FROM journal_lines') lines): ${t}s"
echo "load: $(uptime | sed 's/.*load average/load average/')"
