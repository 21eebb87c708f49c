#!/bin/sh
# contacts.sh [N]: import and export N contacts (default 1,000,000) with
# crm-contact, and the same work by hand, in one run, on the engines
# BENCH_ENGINE names (sqlite, pg or both; default both when PostgreSQL is
# installed, see lib.sh bench_engines); prints times, ratios and our peak
# RSS, and one "row|" line per work for the table of make bench.
#   crm side: crm-contact import (parse CSV, validate and normalize every
#   field, link or create the company, upsert) into a fresh database, then
#   crm-contact export -f csv of every contact.
#   sqlite reference: the sqlite3 shell into the same schema and indexes
#   (made by crm init): .import into a temporary table, INSERT ... SELECT
#   with lower()/replace() as the normalization, no validation; export is
#   sqlite3 -csv -header of the same columns. The reference loads with
#   every index in place; crm-contact import, past 4,096 records into a
#   table that held at most as many, drops the indexes none of its
#   lookups reads (phone_key, owner, company, reports_to) and makes them
#   again before its commit (HACKING.md, "Contact import without its
#   secondary indexes"): the same end state, the work a load by hand
#   would also save (7.70 s instead of 8.75 s for the shell at 1M).
#   pg reference: pg-contacts.sh (psql \copy into a staging table, then
#   the same SQL; \copy out for export), on a server tests/pgserver.sh
#   starts.
set -eu
n=${1:-1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
engines=$(bench_engines)
case $engines in
*pg*) BUILD=$BUILD sh "$top/tests/bench/pg-contacts.sh" "$n" ;;
esac
case $engines in
*sqlite*) ;;
*) exit 0 ;;
esac
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z

sh "$top/tests/bench/gen-contacts.sh" "$n" >"$dir/c.csv"
echo "data: $n contacts, $(($(stat -c %s "$dir/c.csv") / 1048576)) MiB of CSV"

# ours: import (validating, normalizing, upserting) into a fresh database
timed /dev/null /usr/bin/time -f %M -o "$dir/rss.import" \
	"$bin/crm-contact" import -q --db "$dir/ours.db" "$dir/c.csv"
t_ours=$t
# reference: the same schema and indexes (made by crm itself), .import into
# a temporary table, then INSERT ... SELECT
"$bin/crm" init --db "$dir/ref.db" 2>/dev/null
timed /dev/null sqlite3 "$dir/ref.db" <<SQL
PRAGMA journal_mode=WAL;
.mode csv
.import $dir/c.csv tmp_import
-- companies from the distinct names, then contacts linked to them, as
-- crm-contact does (it also matches by email domain, normalizes names
-- and validates every field)
INSERT INTO companies (name, name_key, created_at, updated_at)
SELECT company, lower(company), '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z'
  FROM tmp_import WHERE company <> '' GROUP BY lower(company);
INSERT INTO contacts (external_id, first_name, last_name, email, email_key,
  phone, phone_key, company, company_id, title, city, region, country, source,
  owner, tags, lifecycle_stage, created_at, updated_at)
SELECT external_id, first_name, last_name, email, lower(email), phone,
  '+' || replace(replace(replace(replace(replace(phone, ' ', ''), '(', ''), ')', ''), '-', ''), '+', ''),
  company, (SELECT id FROM companies c WHERE c.name_key = lower(t.company)),
  title, city, region, country, source, owner, tags, lifecycle_stage,
  '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z' FROM tmp_import t;
DROP TABLE tmp_import;
SQL
t_ref=$t
echo "import: crm-contact ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss.import")"
row "contact import" sqlite "$n" "$t_ours" "$t_ref" "$dir/rss.import"

timed "$dir/ours.out" /usr/bin/time -f %M -o "$dir/rss.export" \
	"$bin/crm-contact" export -f csv --db "$dir/ours.db"
t_ours=$t
timed "$dir/ref.out" sqlite3 -csv -header "$dir/ref.db" \
	"SELECT id, external_id, first_name, last_name, email, phone, company, title, city, region, country, source, owner, tags, lifecycle_stage, created_at, updated_at, custom FROM contacts ORDER BY id"
t_ref=$t
echo "export: crm-contact ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss.export")"
row "contact export" sqlite "$n" "$t_ours" "$t_ref" "$dir/rss.export"
echo "rows exported: $(($(wc -l <"$dir/ours.out") - 1)) ours, $(($(wc -l <"$dir/ref.out") - 1)) reference"

# --version start-up time, over 200 runs
s=$(date +%s.%N)
for i in $(seq 200); do "$bin/crm-contact" --version >/dev/null; done
e=$(date +%s.%N)
echo "crm-contact --version: $(echo "$s $e" | awk '{printf "%.2f", ($2 - $1) * 1000 / 200}') ms per run"
