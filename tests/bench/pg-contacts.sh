#!/bin/sh
# pg-contacts.sh [N]: import and export N contacts (default 1,000,000) with
# crm-contact on PostgreSQL, and the same work with psql (\copy into a
# staging table, then the set-based SQL) into the same schema and indexes,
# on a throwaway server tests/pgserver.sh starts (or the one $CRM_TEST_PG
# names); prints times, ratios and our peak RSS.
set -eu
n=${1:-1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
ours="crm_bench_ours_$$" ref="crm_bench_ref_$$"
url() {
	case $CRM_TEST_PG in
	*://*\?*) echo "$CRM_TEST_PG&dbname=$1" ;;
	*://*) echo "$CRM_TEST_PG?dbname=$1" ;;
	*) echo "$CRM_TEST_PG dbname=$1" ;;
	esac
}
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
# cpu FILE: crm's user + system seconds (/usr/bin/time -f "%M %U %S")
cpu() { awk 'END { printf "%.2f", $2 + $3 }' "$1"; }
trap 'admin "DROP DATABASE IF EXISTS $ours"; admin "DROP DATABASE IF EXISTS $ref"; rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z
admin "CREATE DATABASE $ours"
admin "CREATE DATABASE $ref"
"$bin/crm" init --db "$(url "$ours")" 2>/dev/null
"$bin/crm" init --db "$(url "$ref")" 2>/dev/null

sh "$top/tests/bench/gen-contacts.sh" "$n" >"$dir/c.csv"
echo "data: $n contacts, $(($(stat -c %s "$dir/c.csv") / 1048576)) MiB of CSV, PostgreSQL $(psql "$CRM_TEST_PG" -X -A -t -c 'SHOW server_version')"

# ours: import (validating, normalizing, upserting) into a fresh database
timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss.import" \
	"$bin/crm-contact" import -q --db "$(url "$ours")" "$dir/c.csv"
t_ours=$t
# reference: the same schema and indexes (made by crm itself), \copy into
# a staging table, then INSERT ... SELECT, in one transaction
cols=$(head -1 "$dir/c.csv" | sed 's/,/ TEXT, /g; s/$/ TEXT/')
timed /dev/null psql "$(url "$ref")" -X -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
CREATE TEMP TABLE tmp_import ($cols);
\\copy tmp_import FROM '$dir/c.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO companies (name, name_key, created_at, updated_at)
SELECT min(company), lower(company), '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z'
  FROM tmp_import WHERE company <> '' GROUP BY lower(company);
INSERT INTO contacts (external_id, first_name, last_name, email, email_key,
  phone, phone_key, company, company_id, title, city, region, country, source,
  owner, tags, lifecycle_stage, created_at, updated_at)
SELECT external_id, first_name, last_name, email, lower(email), phone,
  '+' || replace(replace(replace(replace(replace(phone, ' ', ''), '(', ''), ')', ''), '-', ''), '+', ''),
  company, (SELECT id FROM companies c WHERE c.name_key = lower(t.company)),
  title, city, region, country, source, owner, tags, lifecycle_stage,
  '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z' FROM tmp_import t;
COMMIT;
SQL
t_ref=$t
printf "import: crm-contact %ss (CPU %ss), psql copy + SQL %ss, ratio %s, crm peak RSS %s\n" "$t_ours" "$(cpu "$dir/rss.import")" "$t_ref" "$(ratio "$t_ours" "$t_ref")" "$(rss "$dir/rss.import")"
row "contact import" pg "$n" "$t_ours" "$t_ref" "$dir/rss.import"

timed "$dir/ours.out" /usr/bin/time -f "%M %U %S" -o "$dir/rss.export" \
	"$bin/crm-contact" export -f csv --db "$(url "$ours")"
t_ours=$t
timed "$dir/ref.out" psql "$(url "$ref")" -X -q -c "\\copy (SELECT id, external_id, first_name, last_name, email, phone, company, title, city, region, country, source, owner, tags, lifecycle_stage, created_at, updated_at, custom FROM contacts ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)"
t_ref=$t
printf "export: crm-contact %ss (CPU %ss), psql copy %ss, ratio %s, crm peak RSS %s\n" "$t_ours" "$(cpu "$dir/rss.export")" "$t_ref" "$(ratio "$t_ours" "$t_ref")" "$(rss "$dir/rss.export")"
row "contact export" pg "$n" "$t_ours" "$t_ref" "$dir/rss.export"
echo "rows: $(psql "$(url "$ours")" -X -A -t -c 'SELECT count(*) FROM contacts') ours, $(psql "$(url "$ref")" -X -A -t -c 'SELECT count(*) FROM contacts') reference"
