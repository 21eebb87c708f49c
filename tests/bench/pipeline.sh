#!/bin/sh
# pipeline.sh [N]: forecast and board over N deals (default 200,000) with
# crm-pipeline, and the same sums with hand-written SQL in the sqlite3
# shell on the same database, in the same run. Prints times, the ratios,
# our peak RSS, and whether both give the same figures, and a `row` line
# each (lib.sh). BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL
# is installed): pg loads the same deals into a database on a throwaway
# server (tests/pgserver.sh, or $CRM_TEST_PG) and times the forecast
# against the same SQL in psql. Both engines also time `crm-pipeline stale
# --idle 30` against one hand-written statement (see idle_days below);
# stale over 100,000 deals: sh tests/bench/pipeline.sh 100000. KEEP=1
# keeps the PostgreSQL database (its name is printed).
set -eu
n=${1:-200000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${BENCH_ENGINE:-}" ]; then
	BENCH_ENGINE=sqlite
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && BENCH_ENGINE=both
fi
if [ "$BENCH_ENGINE" != sqlite ] && [ -z "${CRM_TEST_PG:-}" ] &&
	[ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 BENCH_ENGINE=$BENCH_ENGINE exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
pgdb=crm_bench_pipeline_$$
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
cleanup() {
	[ "$BENCH_ENGINE" = sqlite ] || [ -n "${KEEP:-}" ] ||
		admin "DROP DATABASE IF EXISTS $pgdb"
	[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE=$top/share/crm
db=$dir/crm.db
# stale: crm-pipeline stale --idle IDLE_DAYS reads the open deals, takes
# each one's quiet spell (since the later of its stage change and last
# activity) and its stage's max_days from pipelines.json, and prints the
# deals past either limit (the tighter one when both); the reference does
# the same in one statement, the stage limits given as a VALUES list
# (from the same pipelines.json, with jq). Both sides print CSV with a
# header (sqlite3 in list mode: -csv would quote the names, which hold
# spaces, where crm and psql do not; no field holds a comma);
# cpu_of FILE: user + sys seconds of /usr/bin/time's "%U %S" line.
idle_days=30
limits=$(jq -r --arg q "'" '[.pipelines[] | .name as $p | .stages[]
	| select(.max_days) | "(\($q + $p + $q), \($q + .name + $q), \(.max_days))"]
	| join(", ")' \
	"$top/share/crm/pipelines.json")
cpu_of() { awk '/^[0-9.]+ [0-9.]+$/ { c = $1 + $2 } END { printf "%.2f", c }' "$1"; }
# stale_sql QUIET IDLE_DAYS LIMIT_DAYS INT: the reference statement, given
# the engine's expressions for the seconds since "since", idle_days from
# "quiet", limit_days from LIMIT (seconds) and its integer type
stale_sql() {
	echo "WITH s(pipeline, stage, max_days) AS (VALUES $limits),
d AS (SELECT id, name, pipeline, stage, owner, coalesce(CASE WHEN
  last_activity_at > stage_changed_at THEN last_activity_at ELSE
  stage_changed_at END, last_activity_at, stage_changed_at, created_at) AS since
 FROM deals WHERE status = 'open'),
q AS (SELECT d.*, $1 AS quiet,
  coalesce(CAST(round(s.max_days * 86400) AS $4), 0) AS lim
 FROM d LEFT JOIN s USING (pipeline, stage)),
w AS (SELECT q.*, quiet > $idle_days * 86400 AS bi, lim > 0 AND quiet > lim AS bs,
  lim > 0 AND quiet > lim AND (quiet <= $idle_days * 86400
   OR lim <= $idle_days * 86400) AS st FROM q)
SELECT id, name, pipeline, stage, owner, since AS idle_since, $2 AS idle_days,
 $(echo "$3" | sed "s/LIMIT/CASE WHEN st THEN lim ELSE $idle_days * 86400 END/")
   AS limit_days, CASE WHEN st THEN 'stage' ELSE 'idle' END AS reason,
 NULL AS task_id
FROM w WHERE bi OR bs ORDER BY id"
}
# stale_report ENGINE: print the comparison and the row line
stale_report() {
	same=no
	cmp -s "$dir/ours.csv" "$dir/ref.csv" && same=yes || diff "$dir/ours.csv" "$dir/ref.csv" | head -5
	echo "stale --idle $idle_days ($1): crm-pipeline ${t_ours}s (cpu $(cpu_of "$dir/rss")s), reference ${t_ref}s (cpu $(cpu_of "$dir/cpu")s), ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss"), $(($(wc -l <"$dir/ref.csv") - 1)) stale deals, same output: $same"
	row "pipeline stale" "$1" "$n" "$t_ours" "$t_ref" "$dir/rss"
}

# deals loaded straight into crm's schema (not what is measured): stages of
# the default pipeline with their probabilities and categories, three
# currencies, 25 owners, close dates over two years
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
		# in the stage since a day of 2026 (created then); one deal in
		# three with a later activity (stale.sh reads both)
		sc = sprintf("2026-%02d-%02dT%02d:00:00Z", 1 + i % 11, 1 + (i * 7) % 28, i % 24)
		la = i % 3 ? "" : sprintf("2026-11-%02dT%02d:30:00Z", 1 + (i * 13) % 21, (i * 5) % 24)
		printf "%d,Deal %d,default,%s,%s,%d,%s,%s,%s,%s,%s,%s,owner%d,%s\n", i, i, st[k], status,
			100 * (1 + int(rand() * 100000)), cu[1 + int(rand() * 3)], pr[k], fc[k],
			status == "open" ? date : "", status == "open" ? "" : date "T12:00:00Z",
			sc, int(rand() * 25), la
	}
}' >"$dir/deals.csv"
if [ "$BENCH_ENGINE" != pg ]; then
"$bin/crm" init --db "$db" 2>/dev/null
sqlite3 "$db" <<SQL
.mode csv
CREATE TEMP TABLE t (id, name, pipeline, stage, status, amount, currency,
  probability, forecast_category, expected_close, closed_at, stage_changed_at, owner,
  last_activity_at);
.import $dir/deals.csv t
INSERT INTO deals (id, name, pipeline, stage, status, amount, currency,
  probability, forecast_category, expected_close, closed_at, stage_changed_at,
  owner, last_activity_at, created_at, updated_at)
SELECT id, name, pipeline, stage, status, CAST(amount AS INTEGER), currency,
  CAST(probability AS REAL), forecast_category, nullif(expected_close, ''),
  nullif(closed_at, ''), stage_changed_at, owner, nullif(last_activity_at, ''),
  stage_changed_at, stage_changed_at FROM t;
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
row "pipeline forecast" sqlite "$n" "$t_ours" "$t_ref" "$dir/rss"

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
row "pipeline board" sqlite "$n" "$t_ours" "$t_ref" "$dir/rss"

# crm exits 1 when there are stale deals
timed "$dir/ours.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss" \
	"$bin/crm-pipeline" stale --idle "$idle_days" --db "$db" -f csv || true
t_ours=$t
timed "$dir/ref.csv" /usr/bin/time -f '%U %S' -o "$dir/cpu" sqlite3 -header -list -separator , "$db" "
$(stale_sql "unixepoch('$CRM_NOW') - unixepoch(since)" \
  "printf('%.1f', floor(quiet / 8640.0) / 10)" \
  "printf('%g', LIMIT / 86400.0)" INTEGER)"
t_ref=$t
stale_report sqlite
fi

[ "$BENCH_ENGINE" != sqlite ] || exit 0
case $CRM_TEST_PG in
*://*\?*) url="$CRM_TEST_PG&dbname=$pgdb" ;;
*://*) url="$CRM_TEST_PG?dbname=$pgdb" ;;
*) url="$CRM_TEST_PG dbname=$pgdb" ;;
esac
admin "CREATE DATABASE $pgdb"
"$bin/crm" init --db "$url" 2>/dev/null
psql "$url" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TEMP TABLE t (id BIGINT, name TEXT, pipeline TEXT, stage TEXT,
  status TEXT, amount BIGINT, currency TEXT, probability DOUBLE PRECISION,
  forecast_category TEXT, expected_close TEXT, closed_at TEXT,
  stage_changed_at TEXT, owner TEXT, last_activity_at TEXT);
\\copy t FROM '$dir/deals.csv' WITH (FORMAT csv)
INSERT INTO deals (id, name, pipeline, stage, status, amount, currency,
  probability, forecast_category, expected_close, closed_at, stage_changed_at,
  owner, last_activity_at, created_at, updated_at)
SELECT id, name, pipeline, stage, status, amount, currency, probability,
  forecast_category, nullif(expected_close, ''), nullif(closed_at, ''),
  stage_changed_at, owner, nullif(last_activity_at, ''), stage_changed_at,
  stage_changed_at FROM t;
SELECT setval(pg_get_serial_sequence('deals', 'id'), $n);
SQL
psql "$url" -X -q -c "VACUUM ANALYZE" >/dev/null
[ -z "${KEEP:-}" ] || echo "kept: database $pgdb"
m() { echo "to_char(($1) / 100.0, 'FM999999999999990.00')"; }
per="CASE status WHEN 'open' THEN substr(expected_close, 1, 7) ELSE substr(closed_at, 1, 7) END"
timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-pipeline" forecast --db "$url" -f csv
t_ours=$t
timed "$dir/ref.csv" psql "$url" -X -q -A -t -F, -c "
SELECT $per AS period, currency,
  count(*) FILTER (WHERE status = 'open'),
  $(m "sum(CASE status WHEN 'open' THEN amount ELSE 0 END)"),
  $(m "round(sum(CASE status WHEN 'open' THEN amount * probability ELSE 0 END) / 100.0)"),
  $(m "sum(CASE forecast_category WHEN 'pipeline' THEN amount ELSE 0 END)"),
  $(m "sum(CASE forecast_category WHEN 'best_case' THEN amount ELSE 0 END)"),
  $(m "sum(CASE forecast_category WHEN 'commit' THEN amount ELSE 0 END)"),
  $(m "sum(CASE forecast_category WHEN 'closed' THEN amount ELSE 0 END)"),
  $(m "sum(CASE forecast_category WHEN 'omitted' THEN amount ELSE 0 END)"),
  count(*) FILTER (WHERE status = 'won'),
  $(m "sum(CASE status WHEN 'won' THEN amount ELSE 0 END)")
FROM deals WHERE status = 'open' OR (status = 'won' AND closed_at <= '$CRM_NOW')
GROUP BY 1, 2 ORDER BY ($per) IS NULL, ($per) COLLATE \"C\", currency COLLATE \"C\""
t_ref=$t
same=no
tail -n +2 "$dir/ours.csv" | cmp -s - "$dir/ref.csv" && same=yes
echo "forecast (pg): crm-pipeline ${t_ours}s, psql ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss"), $(($(wc -l <"$dir/ref.csv"))) rows, same figures: $same"
row "pipeline forecast" pg "$n" "$t_ours" "$t_ref" "$dir/rss"

timed "$dir/ours.csv" /usr/bin/time -f '%U %S\n%M' -o "$dir/rss" \
	"$bin/crm-pipeline" stale --idle "$idle_days" --db "$url" -f csv || true
t_ours=$t
timed "$dir/ref.csv" /usr/bin/time -f '%U %S' -o "$dir/cpu" psql "$url" -X -q --csv -c "
$(stale_sql "CAST(extract(epoch FROM TIMESTAMPTZ '$CRM_NOW')
   - extract(epoch FROM CAST(since AS TIMESTAMPTZ)) AS BIGINT)" \
  "to_char(floor(quiet / 8640.0) / 10, 'FM999999990.0')" \
  "CAST(trim_scale(LIMIT / 86400.0) AS TEXT)" BIGINT)"
t_ref=$t
stale_report pg
