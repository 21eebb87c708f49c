#!/bin/bash
# crm-quote price over many quotes (read a chunk of 256 quotes at a time:
# their rows, lines, accounts and the promotions' uses a statement each):
# every quote's promotion uses counted as for that quote alone, its own
# uses left out, whichever chunk it falls in; the same database priced in
# any order, alone or together; a quote named twice, a quote without
# lines; a refused quote in the middle of a chunk exits 65 with the
# database unchanged.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_NOW=2026-03-16T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop A' --industry retail -q
expect_code 0 crm-company add --name 'Shop B' --industry retail -q
expect_code 0 crm-company add --name 'Bank C' --industry banking -q
# quotes 1..300 of two lines: SEAT x 10 (spring, and loyal for a retail
# account: once per account) and SHIRT x 2 (launch: once in all); quote i
# is Shop A's when i % 3 = 0, Shop B's when 1, Bank C's when 2; quote 301
# (Shop B's) has no lines
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 301)
INSERT INTO quotes (id, company_id, currency, book, region, version, status, locked, created_at, updated_at)
SELECT i, 1 + i % 3, 'EUR', 'list', 'DE', 1, 'draft', 0, '$CRM_NOW', '$CRM_NOW' FROM n;
INSERT INTO quote_versions (quote_id, version, status, created_at)
SELECT id, 1, 'draft', created_at FROM quotes;
INSERT INTO quote_lines (quote_id, version, line_no, sku, qty, unit, base_qty, discount_pct)
SELECT id, 1, 1, 'SEAT', 10, 'each', 10, 0 FROM quotes WHERE id <= 300;
INSERT INTO quote_lines (quote_id, version, line_no, sku, qty, unit, base_qty, discount_pct)
SELECT id, 1, 2, 'SHIRT', 2, 'each', 2, 0 FROM quotes WHERE id <= 300;
INSERT INTO promotion_uses (promotion, company_id, quote_id, at) VALUES
 ('loyal', 1, 270, '$CRM_NOW'), ('loyal', 2, 998, '$CRM_NOW'),
 ('loyal', 2, 999, '$CRM_NOW'), ('loyal', 3, 997, '$CRM_NOW'),
 ('launch', 2, 130, '$CRM_NOW'), ('launch', 2, 130, '$CRM_NOW')"
db_save before

# quote 270 (second chunk) used loyal itself, quote 130 (first chunk)
# launch twice: each gets its own promotion again (270 on both its
# lines), nobody else does
expect_code 0 crm-quote price --all --ids
[ "$(wc -l <"$T/out")" = 301 ] && ok "price --all: 301 quotes" ||
	not_ok "price --all: 301 quotes"
sql "SELECT quote_id, line_no, promotions FROM quote_lines
 WHERE promotions <> 'spring' ORDER BY 1, 2"
printf '130|2|launch\n270|1|spring,loyal\n270|2|loyal\n' >"$T/want"
compare "$T/want" "$T/sql" "only a quote's own uses are left out of its count"
sql "SELECT sum(CASE WHEN promotions = 'spring' THEN 1 ELSE 0 END),
 sum(CASE WHEN explain LIKE '%loyal: used up by this account (1 of 1)%' THEN 1 ELSE 0 END),
 sum(CASE WHEN explain LIKE '%loyal: used up by this account (2 of 1)%' THEN 1 ELSE 0 END),
 sum(CASE WHEN explain LIKE '%loyal: not eligible (account.industry = retail)%' THEN 1 ELSE 0 END),
 sum(CASE WHEN explain LIKE '%launch: used up (2 of 1 uses)%' THEN 1 ELSE 0 END)
 FROM quote_lines"
echo '299|198|200|200|299' >"$T/want"
compare "$T/want" "$T/sql" "uses by account and in all, as each quote counts them"
sql "SELECT id, subtotal, total FROM quotes WHERE id IN (1, 3, 130, 270, 301) ORDER BY id"
# SEAT 100.00 less spring 10.00 (and loyal 5.00), 19% tax; SHIRT 40.00
# (less launch 15.00, capped; or loyal 2.00), 7% tax: 90.00 + 40.00 and
# 17.10 + 2.80; 90.00 + 25.00 and 17.10 + 1.75; 85.00 + 38.00 and 16.15 +
# 2.66
printf '1|13000|14990\n3|13000|14990\n130|11500|13385\n270|12300|14181\n301|0|0\n' >"$T/want"
compare "$T/want" "$T/sql" "totals; a quote without lines is priced to nothing"
db_dump "$CRM_DB" "$T/all"
# some quotes of each account, by the chunks' ends, to price alone below
alone="1 2 3 129 130 131 255 256 257 258 269 270 271 300 301"
alone_sql="SELECT l.quote_id, l.line_no, l.amount, l.promotions, l.explain,
 q.subtotal, q.tax, q.total FROM quote_lines l JOIN quotes q ON q.id = l.quote_id
 WHERE l.quote_id IN ($(echo $alone | tr ' ' ,)) ORDER BY 1, 2"
sql "$alone_sql"
mv "$T/sql" "$T/alone"

# same_as_all DESC: the database holds what price --all wrote
same_as_all() {
	db_dump "$CRM_DB" "$T/now"
	compare "$T/all" "$T/now" "$1"
}

# the same database whatever the order and however many at once
db_restore before
expect_code 0 crm-quote price $(seq 301 -1 1) -q --ids
same_as_all "backwards, named one by one in one command"
db_restore before
for q in $alone; do
	expect_code 0 crm-quote price "$q" -q --ids
done
sql "$alone_sql"
compare "$T/alone" "$T/sql" "a quote priced alone: what price --all wrote"
db_restore before
expect_code 0 crm-quote price --all -q --ids
expect_code 0 crm-quote price 270 130 270 --ids
printf '270\n130\n270\n' >"$T/want"
compare "$T/want" "$T/out" "a quote named twice is priced twice"
same_as_all "a quote named twice: the same"

# refused in the middle of a chunk: the command fails, nothing is written
db_restore before
sql "UPDATE quotes SET status = 'accepted' WHERE id = 200"
db_save accepted
expect_code 65 crm-quote price 199 200 201
err_has "quote 200 is accepted: it keeps its prices"
db_same accepted && ok "a refused quote: the database unchanged" ||
	not_ok "a refused quote: the database unchanged"
expect_code 0 crm-quote price --all -q --ids
[ "$(wc -l <"$T/out")" = 300 ] && ok "price --all leaves the accepted one" ||
	not_ok "price --all leaves the accepted one"
db_restore before
sql "UPDATE quote_lines SET sku = 'NOPE' WHERE quote_id = 280 AND line_no = 2"
db_save nope
expect_code 65 crm-quote price --all
err_has "line 2: no product 'NOPE'"
db_same nope && ok "a line without a product in chunk 2: unchanged" ||
	not_ok "a line without a product in chunk 2: unchanged"
done_testing
