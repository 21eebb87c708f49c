#!/bin/sh
# quote.sh [LINES] [QUOTES]: price one quote of LINES lines (default 500)
# with tiered entries (slab and range, by quantity and by amount) and
# promotions, then re-price QUOTES stored draft quotes of 5 lines each
# (default 100,000) with crm-quote price --all. Prints times and peak RSS.
# The quotes are loaded straight into crm's tables (not what is measured).
set -eu
lines=${1:-500}
quotes=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
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
timed "$dir/all.csv" /usr/bin/time -f %M -o "$dir/rss2" "$bin/crm-quote" price --all -q --ids
n=$(wc -l <"$dir/all.csv")
echo "re-price $n stored draft quotes: ${t}s ($(echo "$n $t" | awk '{printf "%.0f", $1 / $2}') quotes/s), peak RSS $(rss "$dir/rss2")"
