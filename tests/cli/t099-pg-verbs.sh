#!/bin/bash
# PostgreSQL: verbs beyond the smoke test give SQLite's output byte for
# byte: a bulk import (COPY there) with ids given mid-file and the next id
# after it, a re-import that updates, the board, forecast, stale and deal
# history, RFM scores by company and contact, and a dedupe merge and its
# undo (references from the catalogue). Runs when $CRM_TEST_PG names a
# server (make check-pg); under plain make check it is skipped.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi

name="crm_t099v_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"

LITE="$T/lite.db"
EX="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T10:00:00Z

# contacts: new ones, one with an id of its own (inside the block COPY
# takes ids from), then new ones again
{
	echo "id,first_name,last_name,email"
	for i in $(seq 1 40); do echo ",F$i,L$i,f$i@x.example"; done
	echo "500,Given,Id,given@x.example"
	for i in $(seq 41 60); do echo ",F$i,L$i,f$i@x.example"; done
} >"$T/c.csv"
printf 'email,title\nf3@x.example,CEO\nf55@x.example,CTO\nnew@x.example,CFO\n' >"$T/u.csv"
printf '{"base": "EUR", "rates": {"USD": 0.5, "GBP": 1.25, "JPY": 0.006, "CNY": 0.13, "BRL": 0.17, "CAD": 0.68, "MXN": 0.05}}\n' >"$T/rates.json"
printf 'cluster,id\n1,3\n1,4\n2,10\n2,11\n2,12\n' >"$T/cl.csv"

n=0
run_all() {
	engine=$1 db=$2 n=0
	expect_code 0 crm init --db "$db"
	expect_code 0 crm-contact import --db "$db" "$T/c.csv"
	keep
	expect_code 0 crm-contact add --db "$db" --first-name Next -f csv
	keep
	expect_code 0 crm-contact import --db "$db" "$T/u.csv"
	keep
	expect_code 0 crm-contact export --db "$db" -f csv
	keep
	expect_code_in 0 "$EX/companies.csv" crm-company import --db "$db"
	expect_code_in 0 "$EX/contacts.csv" crm-contact import --db "$db"
	expect_code 0 crm-lead import --db "$db" "$EX/leads.csv"
	expect_code 0 crm-pipeline import --db "$db" "$EX/deals.csv"
	expect_code 0 crm-activity import --db "$db" "$EX/activities.ndjson"
	expect_code 0 crm-pipeline board --db "$db" -f csv
	keep
	expect_code 0 crm-pipeline forecast --db "$db" -f csv
	keep
	expect_code 1 crm-pipeline stale --db "$db" -f csv
	keep
	expect_code 0 crm-pipeline history --db "$db" -f csv 5 7 9
	keep
	expect_code 0 crm-score rfm --db "$db" --rates "$T/rates.json" -f csv
	keep
	expect_code 0 crm-score rfm --db "$db" --by contact --rates "$T/rates.json" -f csv
	keep
	expect_code_in 0 "$T/cl.csv" crm-dedupe merge --db "$db" --stdin -f csv
	keep
	expect_code 0 crm-contact export --db "$db" -f csv
	keep
	expect_code 0 crm-dedupe undo --db "$db" 2
	keep
	expect_code 0 crm-contact export --db "$db" -f csv
	keep
}
run_all lite "$LITE"
run_all pg "$PGDB"
engines_same
# by hand: 61 contacts imported (ids 1-40, 500, 501-520), the next is 521
grep -c '@x.example' "$T/pg.4" >"$T/count"
echo 62 >"$T/want"
compare "$T/want" "$T/count" "61 imported and one added, all exported"
cut -d, -f1,3 "$T/pg.2" >"$T/next"
printf 'id,first_name\n521,Next\n' >"$T/want"
compare "$T/want" "$T/next" "the next id after the import is 521 (after 500 given)"
done_testing
