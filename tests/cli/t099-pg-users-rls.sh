#!/bin/bash
# Row-level security on PostgreSQL (crm-user setup-rls): each role sees,
# through crm and through psql under its own login, exactly the records
# its rights give it (a rep their own and the pool, a manager their
# team's and the teams' below, an admin all); changes outside one's
# rights don't match or fail with exit 73 and change nothing; users and
# teams are read-only for reps and managers. On SQLite setup-rls is a
# usage error (no rights there). Runs when $CRM_TEST_PG names a server
# (make check-pg); the SQLite part always.
. "$(dirname "$0")/../lib.sh"

LITE="$T/lite.db"
expect_code 0 crm init --db "$LITE"
expect_code 64 crm-user setup-rls --db "$LITE"
err_has "SQLite enforces no rights"
if [ -z "${CRM_TEST_PG:-}" ]; then
	done_testing
	exit 0
fi

name="crm_t099r_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"
as() { # the connection string of user $1
	case $PGDB in *\?*) echo "$PGDB&user=$1" ;; *) echo "$PGDB user=$1" ;; esac
}

# sales > east, west; ann admin, max manager of east, rita rep in east,
# ron rep in west
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add sales --db "$PGDB"
expect_code 0 crm-user team add east --parent sales --db "$PGDB"
expect_code 0 crm-user team add west --parent sales --db "$PGDB"
expect_code 0 crm-user add ann --team sales --role admin --db "$PGDB"
expect_code 0 crm-user add max --team east --role manager --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-user add ron --team west --db "$PGDB"
for o in rita ron max '' ann; do
	expect_code 0 crm-contact add -q --first-name "C$o" --last-name X ${o:+--owner $o} --db "$PGDB"
done
expect_code 0 crm-pipeline add -q --name "Deal rita" --owner rita --db "$PGDB"
expect_code 0 crm-pipeline add -q --name "Deal ron" --owner ron --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"

# contacts: 1 rita, 2 ron, 3 max, 4 no owner (the pool), 5 ann
sees() { # user, the contact ids they must see, the deal ids
	printf '%s\n' $2 >"$T/want"
	expect_code 0 crm-contact list --ids --db "$(as "$1")"
	compare "$T/want" "$T/out" "crm shows $1 contacts $2 on PostgreSQL"
	run psql "$(as "$1")" -X -At -c "SELECT id FROM contacts ORDER BY id"
	compare "$T/want" "$T/out" "psql as $1 sees the same contacts"
	printf '%s\n' $3 >"$T/want"
	expect_code 0 crm-pipeline list --ids --db "$(as "$1")"
	compare "$T/want" "$T/out" "crm shows $1 deals $3"
}
sees rita "1 4" "1"
sees ron "2 4" "2"
sees max "1 3 4" "1"
sees ann "1 2 3 4 5" "1 2"

# outside one's rights: no match, or exit 73, and nothing changes
db_before=$(psql "$PGDB" -X -At -c "SELECT string_agg(id || ':' || coalesce(owner, '') || ':' || coalesce(title, ''), ',' ORDER BY id) FROM contacts")
expect_code 66 crm-contact update 2 --set title=Hacked --db "$(as rita)"
expect_code 66 crm-contact show 2 --db "$(as rita)"
expect_code 73 crm-contact update 1 --set owner=ron --db "$(as rita)"
err_has "row-level security"
expect_code 73 crm-contact add --first-name Z --owner ron --db "$(as rita)"
run psql "$(as rita)" -X -At -c "UPDATE contacts SET title = 'x' WHERE id = 2"
echo "UPDATE 0" >"$T/want"
compare "$T/want" "$T/out" "psql as rita: an update of ron's contact matches nothing"
run psql "$(as rita)" -X -At -c "DELETE FROM contacts WHERE id IN (2, 3, 5)"
echo "DELETE 0" >"$T/want"
compare "$T/want" "$T/out" "psql as rita: deleting others' contacts matches nothing"
run psql "$(as max)" -X -At -c "UPDATE crm_users SET team = 'sales' WHERE name = 'max'"
check "a manager cannot move himself up a team" [ "$rc" -ne 0 ]
run psql "$(as rita)" -X -At -c "UPDATE crm_users SET role = 'admin' WHERE name = 'rita'"
check "a rep cannot make herself admin" [ "$rc" -ne 0 ]
db_after=$(psql "$PGDB" -X -At -c "SELECT string_agg(id || ':' || coalesce(owner, '') || ':' || coalesce(title, ''), ',' ORDER BY id) FROM contacts")
check "nothing changed by the refused attempts" [ "$db_before" = "$db_after" ]
# within: rita's own and the pool; max changes rita's
expect_code 0 crm-contact update 1 --set title=Mine --db "$(as rita)"
expect_code 0 crm-contact update 4 --set owner=rita --db "$(as rita)"
expect_code 0 crm-contact update 1 --set title=Checked --db "$(as max)"
run psql "$PGDB" -X -At -c "SELECT id || ':' || owner || ':' || coalesce(title, '') FROM contacts WHERE id IN (1, 4) ORDER BY id"
printf '1:rita:Checked\n4:rita:\n' >"$T/want"
compare "$T/want" "$T/out" "changes within one's rights are made"
expect_code 0 crm-contact history 1 -f csv --fields changed_by,fields --db "$(as max)"
printf 'changed_by,fields\nrita,"{""title"":""Mine""}"\nmax,"{""title"":""Checked""}"\n' >"$T/want"
compare "$T/want" "$T/out" "each change names its user"
# a disabled manager's team scope is gone
expect_code 0 crm-user disable max --db "$PGDB"
run psql "$PGDB" -X -q -At -c "SET ROLE max; SELECT string_agg(id::text, ' ' ORDER BY id) FROM contacts"
echo 3 >"$T/want"
compare "$T/want" "$T/out" "a disabled manager keeps only his own records (4 is rita's now)"
done_testing
