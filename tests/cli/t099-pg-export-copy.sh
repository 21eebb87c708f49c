#!/bin/bash
# PostgreSQL reads export and list without a limit through COPY (...) TO
# STDOUT (lib/store/store_pg.c, crm_stmt_bulk): text that COPY's text
# format escapes (tabs, newlines, carriage returns, backslashes, a literal
# \N), NULL against the empty string, quotes, CJK and emoji, custom
# fields whose JSON holds the same, and money and dates come out byte for
# byte as on SQLite, in every format; a filtered list (bound values: row
# by row) too. Runs when $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi
name="crm_t099c_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"
EX="$TOP/share/crm/examples"

# contacts whose values stress COPY's text format; Notes and Code become
# custom fields (JSON with escapes of its own)
# (<TAB> and <CR> stand for those characters)
sed "s/<TAB>/$(printf '\t')/g; s/<CR>/$(printf '\r')/g" >"$T/hostile.csv" <<'CSV'
external_id,first_name,last_name,email,phone,company,title,city,region,country,tags,Notes,Code
x1,Tab<TAB>here,"Line1
Line2",tab@example.com,,"Quote ""Co""","CR<CR>title",C:\path\to,\N,JP,"a,b",note<TAB>with<TAB>tabs,007
x2,東京,山田,cjk@example.com,+81 3 1234 5678,O'Brien & Sons,\t literal,\\N,,,,"line
break ""q"" \ back","{""a"":1}"
x3,Émilie,Zoë 😀,,,,,,,,,,
x4,,Empty,e4@example.com,,,,  spaced  ,,,,\N,
x5,"",\,e5@example.com,,,\\,"\x41\101",,,,"\",
CSV

n=0
both() {
	engine=$1 db=$2 n=0
	expect_code 0 crm init --db "$db"
	expect_code_in 0 "$EX/companies.csv" crm-company import --db "$db"
	expect_code_in 0 "$EX/contacts.csv" crm-contact import --db "$db"
	expect_code_in 0 "$EX/leads.csv" crm-lead import --db "$db"
	expect_code_in 0 "$EX/deals.csv" crm-pipeline import --db "$db"
	expect_code_in 0 "$T/hostile.csv" crm-contact import --db "$db"
	for f in csv tsv json; do
		expect_code 0 crm-contact export --db "$db" -f "$f"
		keep
		expect_code 0 crm-pipeline export --db "$db" -f "$f"
		keep
		expect_code 0 crm-company export --db "$db" -f "$f"
		keep
	done
	expect_code 0 crm-contact list --db "$db" -f csv --fields id,first_name,last_name,city,title
	keep
	expect_code 0 crm-contact list --db "$db" -f json --where 'external_id~x'
	keep
	expect_code 0 crm-pipeline list --db "$db" -f csv --sort=-amount
	keep
}
both lite "$T/lite.db"
both pg "$PGDB"
engines_same
check "the hostile contacts are in the export" grep -q 'note	with	tabs' "$T/pg.1"
check "a literal \\N is text, not NULL" grep -q 'C:\\path\\to,\\N,JP' "$T/pg.1"

done_testing
