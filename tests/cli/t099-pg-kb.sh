#!/bin/bash
# crm-kb on PostgreSQL: crm init makes its tables there, and import,
# search (scores and snippets included), suggest, link, deflection, usage,
# versions and reindex print byte for byte what they print on SQLite.
# Runs when $CRM_TEST_PG names a server (PG_TESTS=tests/cli/t099-pg-kb.sh
# sh tests/pg.sh); skipped otherwise.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (PG_TESTS=tests/cli/t099-pg-kb.sh sh tests/pg.sh runs this)"
	done_testing
	exit 0
fi
name="crm_t548_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"
LITE="$T/lite.db"

expect_code 0 crm init --db "$PGDB"
for db in "$LITE" "$PGDB"; do
	expect_code 0 crm-kb import -q --db "$db" "$DATA/kb"
	expect_code 0 crm-ticket open -q --db "$db" --subject '打印机连不上网络' --description '无线网络'
	expect_code 0 crm-ticket open -q --db "$db" --subject 'I forgot my password' --description 'reset link please'
	expect_code 0 crm-kb link -q --db "$db" 13 1
	expect_code 0 crm-ticket solve -q --db "$db" 1 2
	expect_code 0 crm-kb update -q --db "$db" 9 --set 'body=New text'
done
same() { # a crm-kb command line, run on both
	expect_code 0 crm-kb "$@" --db "$LITE"
	cp "$T/out" "$T/lite.out"
	expect_code 0 crm-kb "$@" --db "$PGDB"
	compare "$T/lite.out" "$T/out" "crm-kb $*: the same on SQLite and PostgreSQL"
}
same search -f csv forgot password
same search -f csv 打印机连不上网络
same search -f csv パスワードを忘れました
same search -f csv 票
same search -f csv --all --category billing invoice
same suggest -f csv 1
same suggest -f csv 2
same deflection -f csv
same deflection -f csv --since 2026-11-01 --until 2027-01-01
same usage -f csv
same versions -f csv 9
same export -f csv
expect_code 0 crm-kb reindex --db "$PGDB"
same search -f csv reset
done_testing
