#!/bin/sh
# pipeline.sh [N]: forecast and board over N deals (default 200,000) with
# crm-pipeline, and the same sums with hand-written SQL in the sqlite3
# shell on the same database, in the same run. Prints times, the ratios,
# our peak RSS, and whether both give the same figures.
set -eu
n=${1:-200000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE=$top/share/crm
db=$dir/crm.db

# deals loaded straight into crm's schema (not what is measured): stages of
# the default pipeline with their probabilities and categories, three
# currencies, 25 owners, close dates over two years
"$bin/crm" init --db "$db" 2>/dev/null
awk -v n="$n" 'BEGIN { srand(11)
	split("prospecting qualification needs_analysis proposal negotiation closed_won closed_lost", st, " ")
	split("10 20 40 60 80 100 0", pr, " ")
	split("pipeline pipeline best_case best_case commit closed omitted", fc, " ")
	split("EUR USD GBP", cu, " ")
	for (i = 1; i <= n; i++) {
		k = 1 + int(rand() * 7); y = 2026 + int(rand() * 2)
		m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
		status = k == 6 ? "won" : k == 7 ? "lost" : "open"
		date = sprintf("%d-%02d-%02d", y, m, d)
		printf "%d,Deal %d,default,%s,%s,%d,%s,%s,%s,%s,%s,%s,owner%d\n", i, i, st[k], status,
			100 * (1 + int(rand() * 100000)), cu[1 + int(rand() * 3)], pr[k], fc[k],
			status == "open" ? date : "", status == "open" ? "" : date "T12:00:00Z",
			"2026-01-01T00:00:00Z", int(rand() * 25)
	}
}' >"$dir/deals.csv"
sqlite3 "$db" <<SQL
.mode csv
CREATE TEMP TABLE t (id, name, pipeline, stage, status, amount, currency,
  probability, forecast_category, expected_close, closed_at, stage_changed_at, owner);
.import $dir/deals.csv t
INSERT INTO deals (id, name, pipeline, stage, status, amount, currency,
  probability, forecast_category, expected_close, closed_at, stage_changed_at,
  owner, created_at, updated_at)
SELECT id, name, pipeline, stage, status, CAST(amount AS INTEGER), currency,
  CAST(probability AS REAL), forecast_category, nullif(expected_close, ''),
  nullif(closed_at, ''), stage_changed_at, owner, stage_changed_at, stage_changed_at FROM t;
ANALYZE;
SQL
echo "data: $n deals"

timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-pipeline" forecast --db "$db" -f csv
t_ours=$t
timed "$dir/ref.csv" sqlite3 -csv "$db" "
SELECT CASE status WHEN 'open' THEN substr(expected_close, 1, 7)
  ELSE substr(closed_at, 1, 7) END AS period, currency,
  sum(status = 'open'),
  printf('%.2f', sum(CASE status WHEN 'open' THEN amount ELSE 0 END) / 100.0),
  printf('%.2f', round(sum(CASE status WHEN 'open' THEN amount * probability ELSE 0 END) / 100.0) / 100.0),
  printf('%.2f', sum(CASE forecast_category WHEN 'pipeline' THEN amount ELSE 0 END) / 100.0),
  printf('%.2f', sum(CASE forecast_category WHEN 'best_case' THEN amount ELSE 0 END) / 100.0),
  printf('%.2f', sum(CASE forecast_category WHEN 'commit' THEN amount ELSE 0 END) / 100.0),
  printf('%.2f', sum(CASE forecast_category WHEN 'closed' THEN amount ELSE 0 END) / 100.0),
  printf('%.2f', sum(CASE forecast_category WHEN 'omitted' THEN amount ELSE 0 END) / 100.0),
  sum(status = 'won'),
  printf('%.2f', sum(CASE status WHEN 'won' THEN amount ELSE 0 END) / 100.0)
FROM deals WHERE status = 'open' OR (status = 'won' AND closed_at <= '$CRM_NOW')
GROUP BY 1, 2 ORDER BY period IS NULL, period, currency"
t_ref=$t
same=no
tail -n +2 "$dir/ours.csv" | cmp -s - "$dir/ref.csv" && same=yes
echo "forecast: crm-pipeline ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss"), $(($(wc -l <"$dir/ref.csv"))) rows, same figures: $same"

timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-pipeline" board --db "$db" -f csv --pipeline default
t_ours=$t
timed "$dir/ref.csv" sqlite3 -csv "$db" "
SELECT pipeline, stage, currency, count(*), printf('%.2f', sum(amount) / 100.0),
  printf('%.2f', round(sum(amount * probability) / 100.0) / 100.0)
FROM deals WHERE status = 'open' GROUP BY pipeline, stage, currency"
t_ref=$t
same=no
tail -n +2 "$dir/ours.csv" | awk -F, '{print $1 "," $2 "," $6 "," $5 "," $7 "," $8}' | sort >"$dir/o"
sort "$dir/ref.csv" >"$dir/r"
cmp -s "$dir/o" "$dir/r" && same=yes || diff "$dir/o" "$dir/r" | head -5
echo "board: crm-pipeline ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss"), same figures: $same"
