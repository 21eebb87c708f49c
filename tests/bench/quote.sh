#!/bin/sh
# quote.sh [LINES] [QUOTES]: price one quote of LINES lines (default 500)
# with tiered entries (slab and range, by quantity and by amount) and
# promotions, then re-price QUOTES stored draft quotes of 5 lines each
# (default 100,000) with crm-quote price --all, against hand-written SQL
# doing the same work on a copy of the same database: on SQLite (the
# sqlite3 shell) and PostgreSQL (psql, on a throwaway server
# tests/pgserver.sh starts, or the one $CRM_TEST_PG names);
# BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL is installed).
# The quotes are loaded straight into crm's tables (not what is measured).
# Prints times, CPU seconds (SQLite: each program's user + system;
# PostgreSQL: the client's plus the server backends', when the server is
# tests/pgserver.sh's), crm's peak RSS and a `row` line (lib.sh).
#
# What each side does:
# - crm-quote price --all: for each draft quote (the one of LINES lines
#   too) loads the quote, its account and each line's product, prices each
#   line by its book entry (list, slab or range by quantity, slab by
#   amount, blocks, cost plus), counts the promotions' uses, checks each
#   promotion's window, currency and conditions, applies the best
#   promotion or stack of them, the line discount, rounds half to even,
#   writes each line's explanation (`explain`: the JSON array of its
#   steps, each {"step", "detail", "amount"}: list price or cost plus or
#   block, quantity, each tier, each promotion not eligible, capped, not
#   taken or taken, the line discount), sums the tax per category and
#   writes each line, the version's and the quote's totals, all in one
#   transaction.
# - The reference, one transaction of set-based SQL: the book entries as a
#   table (sku, kind, price; the tiers, blocks and promotions of this
#   generated book written into the SQL, as their texts in the steps), the
#   promotion uses counted, each line priced as crm does and its explain
#   built from the same steps: each step an object when the line has it
#   (SQLite: json_object; PostgreSQL: the same compact text by
#   concatenation, to_json() escaping the detail, since json_build_object
#   and json_agg put spaces around ':' and after ','), the line's present
#   ones joined in order into the array; the tax rates from the same
#   taxes.json. It writes every column crm writes, explain too.
#   QUOTE_REF=rows builds explain the other way, each step a row (one
#   SELECT per kind of step) aggregated per line (json_group_array over
#   the rows sorted; string_agg ORDER BY on PostgreSQL): the same bytes,
#   more work (SQLite at 3,000 quotes: 3.52 G instructions against 2.74 G).
# Both outputs are compared: every priced column of quote_lines, the totals
# of quote_versions and quotes ("same output"), and every line's explain
# byte for byte (md5 of them all in id order: "same explain").
set -eu
lines=${1:-500}
quotes=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_NOW=2026-03-10T09:00:00Z CRM_SHARE=$top/share/crm
export CRM_PRICING=$dir/pricing.json CRM_TAXES=$top/tests/data/cpq/taxes.json

# Per engine: the databases, how SQL runs on them, and the SQL dialect:
# hev NUM DEN (NUM / DEN rounded half to even, both >= 0, as
# crm_div_half_even), lo/hi A B (the smaller, larger), mon V (minor units
# as crm_money_format writes them, V >= 0), pcf P (hundredths of a percent
# as crm_pct_format writes them, P >= 0), steps_json (a line's steps, rows
# of st, as the JSON text crm writes).
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	ours="crm_bench_quote_ours_$$" ref="crm_bench_quote_ref_$$"
	trap 'admin "DROP DATABASE IF EXISTS $ours" || :; admin "DROP DATABASE IF EXISTS $ref" || :; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $ours"
	CRM_DB=$(url "$ours") rdb=$(url "$ref")
	sql() { psql "$1" -X -q -A -t -v ON_ERROR_STOP=1; }
	hev() { echo "(($1) / ($2) + CASE WHEN 2 * (($1) % ($2)) > ($2) OR (2 * (($1) % ($2)) = ($2) AND (($1) / ($2)) % 2 = 1) THEN 1 ELSE 0 END)"; }
	lo() { echo "least($1, $2)"; }
	hi() { echo "greatest($1, $2)"; }
	mon() { echo "((($1) / 100)::text || '.' || lpad((($1) % 100)::text, 2, '0'))"; }
	pcf() { echo "(CASE WHEN ($1) % 100 = 0 THEN (($1) / 100)::text WHEN ($1) % 10 = 0 THEN (($1) / 100)::text || '.' || (($1) % 100 / 10)::text ELSE (($1) / 100)::text || '.' || lpad((($1) % 100)::text, 2, '0') END)"; }
	steps_json="'[' || string_agg('{\"step\":\"' || step || '\",\"detail\":' || to_json(detail)::text || ',\"amount\":' || amount || '}', ',' ORDER BY seq) || ']'"
	uses_alias="AS uses"
	version="PostgreSQL $(psql "$CRM_TEST_PG" -X -A -t -c 'SHOW server_version')"
else
	[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
	CRM_DB=$dir/crm.db rdb=$dir/ref.db
	sql() { sqlite3 -bail "$1"; }
	hev() { echo "(($1) / ($2) + (2 * (($1) % ($2)) > ($2) OR (2 * (($1) % ($2)) = ($2) AND (($1) / ($2)) % 2 = 1)))"; }
	lo() { echo "min($1, $2)"; }
	hi() { echo "max($1, $2)"; }
	mon() { echo "printf('%d.%02d', ($1) / 100, ($1) % 100)"; }
	pcf() { echo "(CASE WHEN ($1) % 100 = 0 THEN printf('%d', ($1) / 100) WHEN ($1) % 10 = 0 THEN printf('%d.%d', ($1) / 100, ($1) % 100 / 10) ELSE printf('%d.%02d', ($1) / 100, ($1) % 100) END)"; }
	# (json_group_array keeps the order the rows come in: sorted by
	# line and step, which the GROUP BY keeps)
	steps_json="json_group_array(json_object('step', step, 'detail', detail, 'amount', amount))"
	uses_alias=
	version="SQLite $(sqlite3 --version | cut -d' ' -f1)"
fi
export CRM_DB
# pct V P: crm_pct_of (P in hundredths of a percent)
pct() { hev "($1) * ($2)" 10000; }
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
{
	cat <<SQL
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
	[ "$engine" = sqlite ] ||
		echo "SELECT setval(pg_get_serial_sequence('quotes', 'id'), $quotes + 1); VACUUM ANALYZE;"
} | sql "$CRM_DB" >/dev/null
echo "data: one quote of $lines lines; $quotes quotes of 5 lines; $version"
echo "load: $(uptime | sed 's/.*load average/load average/')"

timed "$dir/one.csv" /usr/bin/time -f %M -o "$dir/rss1" "$bin/crm-quote" price 1 --fields total
echo "price one quote of $lines lines: ${t}s, total $(tail -1 "$dir/one.csv") EUR, peak RSS $(rss "$dir/rss1")"
timed "$dir/one2.csv" "$bin/crm-quote" price 1 --fields total
check=$(tail -1 "$dir/one2.csv")
[ "$check" = "$(tail -1 "$dir/one.csv")" ] && echo "the same quote prices to the same total again: $check" ||
	{ echo "PRICES DIFFER: $check"; exit 1; }

# the reference's copy of the database, with the book as a table
if [ "$engine" = pg ]; then
	admin "CREATE DATABASE $ref TEMPLATE $ours"
	load="\\copy bench_book FROM '$dir/book.csv' WITH (FORMAT csv)"
else
	sqlite3 "$CRM_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$CRM_DB" "$rdb"
	load=".mode csv
.import $dir/book.csv bench_book"
fi
sql "$rdb" >/dev/null <<SQL
CREATE TABLE bench_book (sku TEXT PRIMARY KEY, kind TEXT, price INTEGER);
$load
SQL

# cpu_of FILE [SERVER0]: the user + system seconds of /usr/bin/time's
# "%U %S" line in FILE, plus the server's since SERVER0 on PostgreSQL
cpu_of() {
	awk -v s0="${2:-}" -v s1="$(srv_cpu)" '/^[0-9.]+ [0-9.]+$/ { c = $1 + $2 }
		END { if (s0 != "" && s1 != "") c += s1 - s0; printf "%.2f", c }' "$1"
}
s0=$(srv_cpu)
timed "$dir/all.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss2" "$bin/crm-quote" price --all -q --ids
t_ours=$t
cpu_ours=$(cpu_of "$dir/rss2" "$s0")
n=$(wc -l <"$dir/all.csv")
echo "re-price $n stored draft quotes: ${t}s ($(echo "$n $t" | awk '{printf "%.0f", $1 / $2}') quotes/s), peak RSS $(rss "$dir/rss2")"

rates=$(jq -r --arg q "'" '[.regions | to_entries[] | .key as $r | .value
	| to_entries[] | "(\($q + $r + $q), \($q + .key + $q), \(.value * 100))"]
	| join(", ")' "$CRM_TAXES")
# The steps of a line's explain, in their order: S COND STEP DETAIL
# AMOUNT (SQL over l's columns: when the line has the step, its detail
# text and its amount).
steps_union= steps_concat=
S() {
	if [ "$engine" = pg ]; then
		j="'{\"step\":\"$2\",\"detail\":' || to_json(CAST($3 AS text))::text || ',\"amount\":' || ($4) || '}'"
	else
		j="json_object('step', '$2', 'detail', $3, 'amount', $4)"
	fi
	steps_union="$steps_union${steps_union:+
UNION ALL }SELECT id, $((${steps_n:-0} + 1)) AS seq, '$2' AS step, $3 AS detail, $4 AS amount FROM l WHERE $1"
	steps_n=$((${steps_n:-0} + 1))
	steps_concat="$steps_concat${steps_concat:+ ||
 }coalesce(',' || CASE WHEN $1 THEN $j END, '')"
}
S "kind IN ('list', 'slab', 'range', 'amount_slab')" list "'book entry ' || sku || ': ' || $(mon lu)" lu
S "kind = 'cost_plus'" cost_plus "'cost ' || $(mon cost) || ' plus 35%'" lu
S "kind = 'block'" block "CASE WHEN q <= 10 THEN 'block 1 (1-10): 100.00'
  WHEN q <= 100 THEN 'block 2 (11-100): 800.00' ELSE 'block 3 (101-100000): 5000.00' END" la
S "kind <> 'block'" quantity "q || ' at ' || $(mon lu)" la
S "kind = 'slab'" tier "'slab tier 1 (1-' || $(lo q 10) || '): ' || $(lo q 10) || ' at ' || $(mon lu)" "lu * $(lo q 10)"
u2="(lu - $(pct lu 500))"
S "kind = 'slab' AND q >= 11" tier "'slab tier 2 (11-' || $(lo q 50) || '): ' || ($(lo q 50) - 10) || ' at ' || $(mon "$u2")" \
	"lu * 10 + $u2 * ($(lo q 50) - 10)"
S "kind = 'slab' AND q >= 51" tier "'slab tier 3 (51-' || q || '): ' || (q - 50) || ' at ' || $(mon "lu - $(pct lu 1250)")" amt
S "kind = 'range'" tier "CASE WHEN q >= 100 THEN 'range tier 3 (from 100): all '
  WHEN q >= 10 THEN 'range tier 2 (from 10): all ' ELSE 'range tier 1 (from 1): all ' END
  || q || ' at ' || $(mon "amt / q") || ', list less '
  || CASE WHEN q >= 100 THEN '15' WHEN q >= 10 THEN '7.5' ELSE '0' END" amt
S "kind = 'amount_slab'" tier "'slab tier 1: 0% off ' || $(mon "$(lo la 50000)")" "CASE WHEN la >= 50000 THEN 0 ELSE amt END"
S "kind = 'amount_slab' AND la >= 50000" tier "'slab tier 2: 10% off ' || $(mon "$(lo la 200000) - 50000")" \
	"CASE WHEN la >= 200000 THEN 0 ELSE amt END"
S "kind = 'amount_slab' AND la >= 200000" tier "'slab tier 3: 20% off ' || $(mon "la - 200000")" amt
S "family <> 'software' OR q < 10" promotion "CASE WHEN family <> 'software' THEN 'spring: not eligible (family = software)'
  ELSE 'spring: not eligible (quantity >= 10)' END" amt
S "q < 50" promotion "'bulk: not eligible (quantity >= 50)'" amt
S "family <> 'hardware'" promotion "'launch: not eligible (family = hardware)'" amt
S "dlr > 20000" promotion "'launch: ' || $(mon dlr) || ' capped at 200.00'" amt
S "pick <> 0 AND ds IS NOT NULL" promotion "CASE pick WHEN 1 THEN 'spring: 10% off ' || $(mon amt) || ' = -' || $(mon ds) || ' (stacks)'
  ELSE 'spring: ' || $(mon ds) || ' not taken (a better exclusive one)' END" "CASE pick WHEN 1 THEN amt - ds ELSE amt END"
S "pick <> 0 AND db IS NOT NULL" promotion "CASE pick WHEN 1 THEN 'bulk: 3% off ' || $(mon amt) || ' = -' || $(mon db) || ' (stacks)'
  ELSE 'bulk: ' || $(mon db) || ' not taken (a better exclusive one)' END" "CASE pick WHEN 1 THEN amt - db ELSE amt END"
S "pick <> 0 AND dl IS NOT NULL" promotion "CASE pick WHEN 2 THEN 'launch: 12% off ' || $(mon amt) || ' = -' || $(mon dl)
  ELSE 'launch: ' || $(mon dl) || ' not taken (a better combination)' END" "CASE pick WHEN 2 THEN amt - dl ELSE amt END"
S "dp <> 0" discount "'line discount ' || $(pcf dp) || '%: -' || $(mon disc)" net
if [ "${QUOTE_REF:-}" = rows ]; then
	explain_sql="CREATE TEMP TABLE e AS SELECT id, $steps_json AS ex FROM (
$steps_union
ORDER BY id, seq) AS st GROUP BY id;"
else
	explain_sql="CREATE TEMP TABLE e AS SELECT id, '[' || substr($steps_concat, 2) || ']' AS ex FROM l;"
fi
# The reference. l: each line priced, with what its steps show; the steps
# as rows (seq: their order in crm's explain), one SELECT per kind of step;
# e: each line's explain. (The steps MATERIALIZED: inlined, each hev
# would repeat its argument's whole expression five times over, level
# after level.)
cat >"$dir/ref.sql" <<SQL
BEGIN;
CREATE TEMP TABLE l AS
WITH u AS (SELECT promotion, count(*) AS n FROM promotion_uses GROUP BY promotion),
a AS (SELECT ql.id, ql.quote_id, ql.version, ql.sku, ql.base_qty AS q,
  ql.discount_pct AS dp, pr.id AS pid, pr.name, pr.family, pr.cost,
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
   WHEN 'slab' THEN lu * $(lo q 10) + (lu - $(pct lu 500)) * $(hi 0 "$(lo q 50) - 10")
    + (lu - $(pct lu 1250)) * $(hi 0 "q - 50")
   WHEN 'range' THEN q * (lu - $(pct lu "CASE WHEN q >= 100 THEN 1500 WHEN q >= 10 THEN 750 ELSE 0 END"))
   WHEN 'amount_slab' THEN la - $(hev "$(hi 0 "$(lo la 200000) - 50000") * 1000 + $(hi 0 "la - 200000") * 2000" 10000)
   ELSE la END AS amt FROM t),
p AS MATERIALIZED (SELECT m.*,
  CASE WHEN family = 'software' AND q >= 10 THEN $(pct amt 1000) END AS ds,
  CASE WHEN q >= 50 THEN $(pct amt 300) END AS db,
  CASE WHEN family = 'hardware' THEN $(pct amt 1200) END AS dlr
 FROM m, (SELECT (SELECT n FROM u WHERE promotion = 'spring') AS us,
  (SELECT n FROM u WHERE promotion = 'bulk') AS ub,
  (SELECT n FROM u WHERE promotion = 'launch') AS ul) $uses_alias),
s AS (SELECT p.*, CASE WHEN dlr > 20000 THEN 20000 ELSE dlr END AS dl, coalesce(ds, 0) + coalesce(db, 0) AS ss FROM p),
w AS (SELECT s.*, CASE WHEN ss > 0 AND (dl IS NULL OR ss > dl) THEN 1
   WHEN dl > 0 THEN 2 ELSE 0 END AS pick FROM s),
x AS MATERIALIZED (SELECT w.*, amt - $(lo amt "CASE pick WHEN 1 THEN ss WHEN 2 THEN dl ELSE 0 END") AS a2,
  CASE pick WHEN 1 THEN CASE WHEN ds IS NULL THEN 'bulk'
   WHEN db IS NULL THEN 'spring' ELSE 'spring,bulk' END
   WHEN 2 THEN 'launch' END AS promos FROM w),
d AS MATERIALIZED (SELECT x.*, CASE WHEN dp <> 0 THEN $(pct a2 dp) ELSE 0 END AS disc
 FROM x),
n AS MATERIALIZED (SELECT d.*, a2 - disc AS net FROM d)
SELECT n.*, $(hev net q) AS up,
 CASE kind WHEN 'block' THEN $(hev amt q) ELSE lu END AS lu2
FROM n;
$explain_sql
UPDATE quote_lines SET product_id = l.pid, name = l.name, list_unit = l.lu2,
 list_amount = l.la, unit_price = l.up, amount = l.net, promotions = l.promos,
 tax_category = l.tc, explain = e.ex FROM l JOIN e ON e.id = l.id
 WHERE quote_lines.id = l.id;
CREATE TEMP TABLE r(region TEXT, cat TEXT, rate INTEGER);
INSERT INTO r VALUES $rates;
CREATE TEMP TABLE v AS
WITH c AS (SELECT quote_id, version, tc, CAST(sum(net) AS BIGINT) AS net, sum(la) AS la
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
COMMIT;
SQL
s0=$(srv_cpu)
if [ "$engine" = pg ]; then
	timed /dev/null /usr/bin/time -f '%U %S' -o "$dir/cpu" \
		psql "$rdb" -X -q -A -t -v ON_ERROR_STOP=1 -f "$dir/ref.sql"
else
	timed /dev/null /usr/bin/time -f '%U %S' -o "$dir/cpu" \
		sqlite3 -bail "$rdb" <"$dir/ref.sql"
fi
t_ref=$t
cpu_ref=$(cpu_of "$dir/cpu" "$s0")
dump() {
	sql "$1" <<SQL
SELECT id, product_id, name, list_unit, list_amount, unit_price,
 amount, promotions, tax_category FROM quote_lines ORDER BY id;
SELECT quote_id, version, list_total, subtotal, discount, tax, total,
 priced_at FROM quote_versions ORDER BY 1, 2;
SELECT id, subtotal, discount, tax, total, updated_at FROM quotes ORDER BY id;
SQL
}
dump "$CRM_DB" >"$dir/ours.txt"
dump "$rdb" >"$dir/ref.txt"
same=no
cmp -s "$dir/ours.txt" "$dir/ref.txt" && same=yes || diff "$dir/ours.txt" "$dir/ref.txt" | head -6
# every line's explain, in id order (a line each: no newline in them)
explains() { echo "SELECT explain FROM quote_lines ORDER BY id;" | sql "$1"; }
same_ex=no
sum_ours=$(explains "$CRM_DB" | md5sum) sum_ref=$(explains "$rdb" | md5sum)
if [ "$sum_ours" = "$sum_ref" ]; then
	same_ex=yes
else
	explains "$CRM_DB" >"$dir/ex-ours.txt"
	explains "$rdb" >"$dir/ex-ref.txt"
	diff "$dir/ex-ours.txt" "$dir/ex-ref.txt" | head -4
fi
bytes=$(echo "SELECT sum(length(explain)) FROM quote_lines;" | sql "$CRM_DB")
cpu_ratio=$(awk -v a="$cpu_ours" -v b="$cpu_ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }')
echo "re-price: crm-quote ${t_ours}s (cpu ${cpu_ours}s), reference ${t_ref}s (cpu ${cpu_ref}s), ratio $(ratio "$t_ours" "$t_ref") (cpu $cpu_ratio), $(wc -l <"$dir/ours.txt") rows compared, same output: $same, same explain: $same_ex ($((bytes / 1048576)) MiB of it)"
echo "load: $(uptime | sed 's/.*load average/load average/')"
row "quote price --all" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss2"
