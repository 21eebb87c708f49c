#!/bin/bash
# PostgreSQL end to end: crm init, the contact and company verbs, the
# other nouns' import and list, and search, on a server, give the same
# output as on SQLite (byte-identical export). Runs
# when $CRM_TEST_PG names a server (make check-pg, tests/pg.sh, sets it);
# under plain make check it is skipped. Each run makes a database of its
# own on the server and drops it after.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi
if ! command -v psql >/dev/null; then
	not_ok "psql not found (apt-get install postgresql-client)"
	done_testing
	exit 0
fi

# a database of this run's own, on the server CRM_TEST_PG names
name="crm_t099_$$_$(date +%s)"
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

# A read before crm init: no schema on the server is exit 66, and the
# read creates nothing.
expect_code 66 crm-contact list --db "$PGDB"
err_has "no crm schema in"
run psql "$PGDB" -X -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
echo 0 >"$T/zero"
compare "$T/zero" "$T/out" "a read before init created no table"

# The same commands on both engines; $T/ENGINE.N keeps each stdout.
n=0
keep_err() { n=$((n + 1)); cp "$T/err" "$T/$engine.$n"; }
printf 'id,first_name,last_name\n5000,Zed,Given\n' >"$T/id5000.csv"
verbs() {
	engine=$1 db=$2 n=0
	expect_code 0 crm init --db "$db"
	err_has "ready (schema version"
	expect_code 0 crm init --db "$db"
	expect_code_in 0 "$EX/companies.csv" crm-company import --db "$db"
	expect_code_in 0 "$EX/contacts.csv" crm-contact import --db "$db"
	keep
	expect_code 0 crm-contact add --db "$db" --first-name Ann \
		--last-name Lee --email Ann@Example.COM --phone '+1 (415) 555-2671' \
		--owner kim --set 'Shoe Size=44' --set tier=gold --ids
	keep
	id=$(cat "$T/out")
	expect_code 0 crm-contact list --db "$db" -f csv
	keep
	expect_code 0 crm-contact list --db "$db" -f csv --where 'email~SCHWARZWALD' --sort=-id --limit 5
	keep
	expect_code 0 crm-contact list --db "$db" -f json --where 'Shoe Size=44'
	keep
	expect_code 0 crm-contact show --db "$db" ann@example.com -f json
	keep
	expect_code 0 crm-contact show --db "$db" "$id" -f csv
	keep
	expect_code 66 crm-contact show --db "$db" nobody@example.com
	CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-contact update --db "$db" "$id" --set title=CTO --set 'Shoe Size=45' --city Lisbon
	keep
	expect_code 0 crm-contact update --db "$db" --where 'owner=pat' --set lifecycle_stage=customer
	keep
	expect_code 65 crm-contact update --db "$db" "$id" --set email=not-an-email
	keep
	expect_code 0 crm-contact list --db "$db" -f csv --fields id,email 3 1 ute.richter@schwarzwald-group.de
	keep
	# an id given on import moves the next id past it (never reused)
	expect_code_in 0 "$T/id5000.csv" crm-contact import --db "$db"
	expect_code 0 crm-contact add --db "$db" --first-name Next --ids
	keep
	expect_code 0 crm-contact tag --db "$db" add vip,beta 1 2
	expect_code 0 crm-contact delete --db "$db" 2
	keep_err
	expect_code 0 crm-contact undo --db "$db" 4
	keep_err
	expect_code 0 crm-contact export --db "$db" -f csv
	keep
	expect_code 0 crm-contact export --db "$db" -f ndjson
	keep
	expect_code 0 crm-company list --db "$db" -f csv
	keep
	expect_code 0 crm-company show --db "$db" 1 -f json
	keep
	expect_code 0 crm-company add --db "$db" --name "Acme Ltd" --domain acme.example --ids
	keep
	expect_code 0 crm-company update --db "$db" 1 --set industry=retail
	keep_err
	expect_code 0 crm-company delete --db "$db" 2
	keep_err
	expect_code 0 crm-company export --db "$db" -f csv
	keep
	# the other nouns' imports and lists, and search across them
	expect_code 0 crm-lead import --db "$db" "$EX/leads.csv"
	keep_err
	expect_code 0 crm-lead list --db "$db" -f csv
	keep
	expect_code 0 crm-pipeline import --db "$db" "$EX/deals.csv"
	keep_err
	expect_code 0 crm-pipeline list --db "$db" -f csv
	keep
	expect_code 0 crm-activity import --db "$db" "$EX/activities.ndjson"
	keep_err
	expect_code 0 crm-activity list --db "$db" -f csv
	keep
	expect_code 0 crm-ticket import --db "$db" "$EX/tickets.csv"
	keep_err
	expect_code 0 crm-ticket list --db "$db" -f csv
	keep
	expect_code 0 crm search --db "$db" -f csv krueger
	keep
	expect_code 0 crm-contact show --db "$db" 1 -f json
	keep
	expect_code 0 crm-company show --db "$db" 1 -f json
	keep
}
verbs lite "$LITE"
verbs pg "$PGDB"
check "schema version 1 in crm_schema" test "$(psql "$PGDB" -X -At -c 'SELECT version FROM crm_schema')" = 1
check "custom fields are jsonb" test "$(psql "$PGDB" -X -At -c "SELECT data_type FROM information_schema.columns WHERE table_name = 'contacts' AND column_name = 'custom'")" = jsonb
engines_same
check "export is not empty" test -s "$T/pg.15"

done_testing
