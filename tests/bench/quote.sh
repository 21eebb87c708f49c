#!/bin/sh
# quote.sh [LINES] [QUOTES]: price one quote of LINES lines (default 500)
# with tiered entries (slab and range, by quantity and by amount) and
# promotions, then re-price QUOTES stored draft quotes of 5 lines each
# (default 100,000) with crm-quote price --all. Prints times and peak RSS.
# The quotes are loaded straight into crm's tables (not what is measured).
#
# The re-pricing is timed against a hand-written reference in the sqlite3
# shell on a copy of the same database, and a `row` line printed (lib.sh).
# crm-quote price --all: for each draft quote (the one of LINES lines
# too) loads the quote, its account and each line's product, prices each
# line by its book entry (list, slab or range by quantity, slab by amount,
# blocks, cost plus), looks up the promotions' uses, applies the best
# promotion or stack of them, the line discount, rounds half to even,
# sums the tax per category and writes each line (with its explanation
# steps as JSON), the version's and the quote's totals, all in one
# transaction. The reference does the same in one transaction of set-based
# SQL: the book entries given as a table (sku, kind, price; the tiers,
# blocks and promotions of this generated book written into the SQL), the
# promotion uses counted, the tax rates from the same taxes.json; it writes
# every column crm writes but the explanation steps (lines' explain).
# Both outputs are compared: every priced column of quote_lines, the totals
# of quote_versions and quotes.
set -eu
lines=${1:-500}
quotes=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-03-10T09:00:00Z CRM_SHARE=$top/share/crm
export CRM_DB=$dir/crm.db CRM_PRICING=$dir/pricing.json CRM_TAXES=$top/tests/data/cpq/taxes.json
"$bin/crm" init 2>/dev/null

# 500 products; entries cycle through list, slab, range, by-amount slab,
# block and cost plus; three promotions (two stacking, one exclusive)
awk -v n=500 'BEGIN {
	print "sku,name,family,cost,currency,tax_category" > "'"$dir"'/products.csv"
	printf "{\"books\": [{\"name\": \"list\", \"currency\": \"EUR\", \"entries\": {"
	for (i = 1; i <= n; i++) {
		fam = i % 3 == 0 ? "software" : i % 3 == 1 ? "hardware" : "services"
		printf "P%d,Product %d,%s,%d.00,EUR,standard\n", i, i, fam, 1 + i % 50 > "'"$dir"'/products.csv"
		k = i % 6
		if (k == 0) e = sprintf("{\"price\": \"%d.50\"}", 5 + i % 90)
		else if (k == 1) e = sprintf("{\"price\": \"%d.00\", \"schedule\": {\"type\": \"slab\", \"tiers\": [{\"from\": 1, \"price\": \"%d.00\"}, {\"from\": 11, \"discount\": 5}, {\"from\": 51, \"discount\": 12.5}]}}", 20 + i % 40, 20 + i % 40)
		else if (k == 2) e = sprintf("{\"price\": \"%d.00\", \"schedule\": {\"type\": \"range\", \"tiers\": [{\"from\": 1, \"discount\": 0}, {\"from\": 10, \"discount\": 7.5}, {\"from\": 100, \"discount\": 15}]}}", 10 + i % 30)
		else if (k == 3) e = sprintf("{\"price\": \"%d.00\", \"schedule\": {\"type\": \"slab\", \"by\": \"amount\", \"tiers\": [{\"from\": \"0\", \"discount\": 0}, {\"from\": \"500.00\", \"discount\": 10}, {\"from\": \"2000.00\", \"discount\": 20}]}}", 30 + i % 20)
		else if (k == 4) e = "{\"blocks\": [{\"upto\": 10, \"price\": \"100.00\"}, {\"upto\": 100, \"price\": \"800.00\"}, {\"upto\": 100000, \"price\": \"5000.00\"}]}"
		else e = "{\"cost_plus\": 35}"
		printf "%s\"P%d\": %s", (i > 1 ? ", " : ""), i, e
		printf "P%d,%s,%d\n", i, k == 0 ? "list" : k == 1 ? "slab" : k == 2 ? "range" : k == 3 ? "amount_slab" : k == 4 ? "block" : "cost_plus", k == 0 ? 100 * (5 + i % 90) + 50 : k == 1 ? 100 * (20 + i % 40) : k == 2 ? 100 * (10 + i % 30) : k == 3 ? 100 * (30 + i % 20) : 0 > "'"$dir"'/book.csv"
	}
	printf "}}], \"promotions\": ["
	printf "{\"name\": \"spring\", \"from\": \"2026-03-01\", \"to\": \"2026-03-31\", \"where\": [\"family = software\", \"quantity >= 10\"], \"percent\": 10, \"stack\": true},"
	printf "{\"name\": \"bulk\", \"where\": \"quantity >= 50\", \"percent\": 3, \"stack\": true},"
	printf "{\"name\": \"launch\", \"from\": \"2026-03-05\", \"to\": \"2026-03-20\", \"where\": \"family = hardware\", \"percent\": 12, \"currency\": \"EUR\", \"max_discount\": \"200.00\"}"
	print "]}"
}' >"$dir/pricing.json"
"$bin/crm-product" import -q "$dir/products.csv"
"$bin/crm-company" add --name 'Bench GmbH' -q >/dev/null

# quote 1: LINES lines; quotes 2..QUOTES+1: 5 lines each
"$bin/crm-quote" new --account 'Bench GmbH' --book list --region DE -q >/dev/null
sqlite3 "$CRM_DB" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $lines)
INSERT INTO quote_lines (quote_id, version, line_no, sku, qty, unit, base_qty, discount_pct)
SELECT 1, 1, i, 'P' || (1 + (i * 7) % 500), 1 + (i * 13) % 120, 'each', 1 + (i * 13) % 120, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $quotes + 1)
INSERT INTO quotes (id, company_id, currency, book, region, version, status, locked, created_at, updated_at)
SELECT i, 1, 'EUR', 'list', 'DE', 1, 'draft', 0, '$CRM_NOW', '$CRM_NOW' FROM n;
INSERT INTO quote_versions (quote_id, version, status, created_at)
SELECT id, 1, 'draft', created_at FROM quotes WHERE id > 1;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 5)
INSERT INTO quote_lines (quote_id, version, line_no, sku, qty, unit, base_qty, discount_pct)
SELECT q.id, 1, j, 'P' || (1 + (q.id * 31 + j * 17) % 500), 1 + (q.id + j * 11) % 80, 'each', 1 + (q.id + j * 11) % 80, (j % 2) * 250
FROM quotes q, k WHERE q.id > 1;
SQL
echo "data: one quote of $lines lines; $quotes quotes of 5 lines"

timed "$dir/one.csv" /usr/bin/time -f %M -o "$dir/rss1" "$bin/crm-quote" price 1 --fields total
echo "price one quote of $lines lines: ${t}s, total $(tail -1 "$dir/one.csv") EUR, peak RSS $(rss "$dir/rss1")"
timed "$dir/one2.csv" "$bin/crm-quote" price 1 --fields total
check=$(tail -1 "$dir/one2.csv")
[ "$check" = "$(tail -1 "$dir/one.csv")" ] && echo "the same quote prices to the same total again: $check" ||
	{ echo "PRICES DIFFER: $check"; exit 1; }

# the reference's copy of the database, with the book as a table
sqlite3 "$CRM_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$CRM_DB" "$dir/ref.db"
sqlite3 "$dir/ref.db" <<SQL
CREATE TABLE bench_book (sku TEXT PRIMARY KEY, kind TEXT, price INTEGER);
.mode csv
.import $dir/book.csv bench_book
SQL
timed "$dir/all.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss2" "$bin/crm-quote" price --all -q --ids
t_ours=$t
n=$(wc -l <"$dir/all.csv")
echo "re-price $n stored draft quotes: ${t}s ($(echo "$n $t" | awk '{printf "%.0f", $1 / $2}') quotes/s), peak RSS $(rss "$dir/rss2")"

# half_even NUM DEN: NUM / DEN rounded half to even (both >= 0), as
# crm_div_half_even; pct V P: crm_pct_of (P in hundredths of a percent)
half_even() { echo "(($1) / ($2) + (2 * (($1) % ($2)) > ($2) OR (2 * (($1) % ($2)) = ($2) AND (($1) / ($2)) % 2 = 1)))"; }
pct() { half_even "($1) * ($2)" 10000; }
rates=$(jq -r --arg q "'" '[.regions | to_entries[] | .key as $r | .value
	| to_entries[] | "(\($q + $r + $q), \($q + .key + $q), \(.value * 100))"]
	| join(", ")' "$CRM_TAXES")
# (the steps MATERIALIZED: inlined, each half_even would repeat its
# argument's whole expression five times over, level after level)
timed "$dir/ref.out" /usr/bin/time -f '%U %S' -o "$dir/cpu" sqlite3 "$dir/ref.db" "
BEGIN;
CREATE TEMP TABLE l AS
WITH u AS (SELECT promotion, count(*) AS n FROM promotion_uses GROUP BY promotion),
a AS (SELECT ql.id, ql.quote_id, ql.version, ql.base_qty AS q,
  ql.discount_pct AS dp, pr.id AS pid, pr.name, pr.family,
  coalesce(pr.tax_category, 'standard') AS tc, b.kind,
  CASE b.kind WHEN 'cost_plus' THEN pr.cost + $(pct pr.cost 3500)
   ELSE b.price END AS lu
 FROM quotes qu JOIN quote_lines ql ON ql.quote_id = qu.id
  AND ql.version = qu.version
 JOIN products pr ON pr.sku = ql.sku JOIN bench_book b ON b.sku = ql.sku
 WHERE qu.status = 'draft' AND qu.locked = 0),
t AS (SELECT a.*, CASE kind WHEN 'block' THEN CASE WHEN q <= 10 THEN 10000
   WHEN q <= 100 THEN 80000 ELSE 500000 END ELSE lu * q END AS la FROM a),
m AS MATERIALIZED (SELECT t.*, CASE kind
   WHEN 'slab' THEN lu * min(q, 10) + (lu - $(pct lu 500)) * max(0, min(q, 50) - 10)
    + (lu - $(pct lu 1250)) * max(0, q - 50)
   WHEN 'range' THEN q * (lu - $(pct lu "CASE WHEN q >= 100 THEN 1500 WHEN q >= 10 THEN 750 ELSE 0 END"))
   WHEN 'amount_slab' THEN la - $(half_even "max(0, min(la, 200000) - 50000) * 1000 + max(0, la - 200000) * 2000" 10000)
   ELSE la END AS amt FROM t),
p AS (SELECT m.*,
  CASE WHEN family = 'software' AND q >= 10 THEN $(pct amt 1000) END AS ds,
  CASE WHEN q >= 50 THEN $(pct amt 300) END AS db,
  CASE WHEN family = 'hardware' THEN min($(pct amt 1200), 20000) END AS dl
 FROM m, (SELECT (SELECT n FROM u WHERE promotion = 'spring') AS us,
  (SELECT n FROM u WHERE promotion = 'bulk') AS ub,
  (SELECT n FROM u WHERE promotion = 'launch') AS ul)),
s AS (SELECT p.*, coalesce(ds, 0) + coalesce(db, 0) AS ss FROM p),
w AS (SELECT s.*, CASE WHEN ss > 0 AND (dl IS NULL OR ss > dl) THEN 1
   WHEN dl > 0 THEN 2 ELSE 0 END AS pick FROM s),
x AS MATERIALIZED (SELECT w.*, amt - min(amt, CASE pick WHEN 1 THEN ss WHEN 2 THEN dl
   ELSE 0 END) AS a2,
  CASE pick WHEN 1 THEN CASE WHEN ds IS NULL THEN 'bulk'
   WHEN db IS NULL THEN 'spring' ELSE 'spring,bulk' END
   WHEN 2 THEN 'launch' END AS promos FROM w),
n AS MATERIALIZED (SELECT x.*, a2 - CASE WHEN dp <> 0 THEN $(pct a2 dp) ELSE 0 END AS net
 FROM x)
SELECT id, quote_id, version, pid, name, tc, la, net, $(half_even net q) AS up,
 promos, CASE kind WHEN 'block' THEN $(half_even amt q) ELSE lu END AS lu2
FROM n;
UPDATE quote_lines SET product_id = l.pid, name = l.name, list_unit = l.lu2,
 list_amount = l.la, unit_price = l.up, amount = l.net, promotions = l.promos,
 tax_category = l.tc FROM l WHERE quote_lines.id = l.id;
CREATE TEMP TABLE r(region, cat, rate);
INSERT INTO r VALUES $rates;
CREATE TEMP TABLE v AS
WITH c AS (SELECT quote_id, version, tc, sum(net) AS net, sum(la) AS la
 FROM l GROUP BY quote_id, version, tc)
SELECT c.quote_id, c.version, sum(c.la) AS lt, sum(c.net) AS st,
 sum($(pct c.net r.rate)) AS tax FROM c JOIN quotes qu ON qu.id = c.quote_id
 JOIN r ON r.region = qu.region AND r.cat = c.tc GROUP BY c.quote_id, c.version;
UPDATE quote_versions SET list_total = v.lt, subtotal = v.st,
 discount = v.lt - v.st, tax = v.tax, total = v.st + v.tax,
 priced_at = '$CRM_NOW' FROM v WHERE quote_versions.quote_id = v.quote_id
 AND quote_versions.version = v.version;
UPDATE quotes SET subtotal = v.st, discount = v.lt - v.st, tax = v.tax,
 total = v.st + v.tax, updated_at = '$CRM_NOW' FROM v WHERE quotes.id = v.quote_id;
COMMIT;"
t_ref=$t
dump() {
	sqlite3 "$1" "SELECT id, product_id, name, list_unit, list_amount, unit_price,
	 amount, promotions, tax_category FROM quote_lines ORDER BY id;
	 SELECT quote_id, version, list_total, subtotal, discount, tax, total,
	 priced_at FROM quote_versions ORDER BY 1, 2;
	 SELECT id, subtotal, discount, tax, total, updated_at FROM quotes ORDER BY id"
}
dump "$CRM_DB" >"$dir/ours.txt"
dump "$dir/ref.db" >"$dir/ref.txt"
same=no
cmp -s "$dir/ours.txt" "$dir/ref.txt" && same=yes || diff "$dir/ours.txt" "$dir/ref.txt" | head -6
cpu_of() { awk '/^[0-9.]+ [0-9.]+$/ { c = $1 + $2 } END { printf "%.2f", c }' "$1"; }
echo "re-price: crm-quote ${t_ours}s (cpu $(cpu_of "$dir/rss2")s), reference ${t_ref}s (cpu $(cpu_of "$dir/cpu")s), ratio $(ratio "$t_ours" "$t_ref"), $(wc -l <"$dir/ours.txt") rows compared, same output: $same"
row "quote price --all" sqlite "$n" "$t_ours" "$t_ref" "$dir/rss2"
