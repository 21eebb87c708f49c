#!/bin/bash
# Sensitive fields on PostgreSQL (crm-user setup-rls --policy FILE): the
# columns the policy lists are readable only by the roles it names
# (column privileges): a rep reads them as empty through crm and is
# refused by the server through psql; a rep's update leaves them as they
# are, and setting one fails with 73 and changes nothing; a manager reads
# them. A bad policy file is 78 and changes nothing. Runs when
# $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099rs_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name on PostgreSQL" psql_admin "CREATE DATABASE $name"
as() { # the connection string of user $1
	case $PGDB in *\?*) echo "$PGDB&user=$1" ;; *) echo "$PGDB user=$1" ;; esac
}
q() { psql "$PGDB" -X -At -c "$1" >"$T/sql"; }

expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add east --db "$PGDB"
expect_code 0 crm-user add ann --role admin --db "$PGDB"
expect_code 0 crm-user add max --team east --role manager --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-pipeline add -q --name D1 --owner rita --amount 5000 --currency EUR --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Carl --owner rita --phone '+49 30 1234567' --db "$PGDB"
# column-wide rules only (the shipped file makes phones per record:
# t099-pg-sens-record)
POLICY="$T/policy.json"
cat >"$POLICY" <<'X'
{"sensitive": [
  {"entity": "deal", "field": "amount", "read": ["manager", "admin"]},
  {"entity": "contact", "field": "phone", "read": ["manager", "admin"]}
]}
X
expect_code 0 crm-user setup-rls --policy "$POLICY" --db "$PGDB"

# rita, a rep: the fields read as empty through crm, refused through psql
expect_code 0 crm-pipeline show 1 -f csv --fields id,name,amount,currency --db "$(as rita)"
printf 'id,name,amount,currency\n1,D1,,EUR\n' >"$T/want"
compare "$T/want" "$T/out" "a rep reads a deal's amount as empty on PostgreSQL"
expect_code 0 crm-contact list -f csv --fields id,first_name,phone --db "$(as rita)"
printf 'id,first_name,phone\n1,Carl,\n' >"$T/want"
compare "$T/want" "$T/out" "and a contact's phone"
run psql "$(as rita)" -X -At -c "SELECT amount FROM deals"
check "psql as rita: reading amount is refused" [ "$rc" -ne 0 ]
check "with the server's permission denied" grep -q "permission denied" "$T/err"
run psql "$(as rita)" -X -At -c "SELECT phone FROM contacts"
check "psql as rita: reading phone is refused" [ "$rc" -ne 0 ]
run psql "$(as rita)" -X -At -c "SELECT phone_key FROM contacts"
check "and its match key, which would give it away" [ "$rc" -ne 0 ]
run psql "$(as rita)" -X -At -c "SELECT id || ':' || name FROM deals"
compare <(echo 1:D1) "$T/out" "psql as rita: the other columns are readable"
# rita's updates keep the withheld values; setting one is refused
expect_code 0 crm-pipeline update 1 --set name=D1b --db "$(as rita)"
expect_code 0 crm-contact update 1 --set title=Buyer --db "$(as rita)"
q "SELECT (SELECT name || ':' || amount FROM deals), (SELECT title || ':' || phone FROM contacts)"
echo 'D1b:500000|Buyer:+49 30 1234567' >"$T/want"
compare "$T/want" "$T/sql" "a rep's update leaves the sensitive values as they were"
# the change log: rita reads her own change, not the admin's that holds
# the amount
expect_code 0 crm-pipeline update 1 --set stage=proposal --db "$PGDB"
run psql "$(as rita)" -X -At -c "SELECT after FROM crm_audit WHERE entity = 'deal' ORDER BY id"
compare <(echo '{"name":"D1b"}') "$T/out" "psql as rita: only her change of the deal, no amount"
run psql "$(as max)" -X -At -c "SELECT count(*) FROM crm_audit WHERE entity = 'deal' AND before LIKE '%500000%'"
compare <(echo 1) "$T/out" "psql as max: the admin's change with the amount"
db_before=$(psql "$PGDB" -X -At -c "SELECT name || amount FROM deals; SELECT title || phone FROM contacts")
expect_code 73 crm-pipeline update 1 --set amount=1 --db "$(as rita)"
err_has "amount is withheld from your role"
expect_code 73 crm-contact update 1 --set phone=+4930999 --db "$(as rita)"
expect_code 73 crm-pipeline list --where 'amount>1' --db "$(as rita)"
err_has "permission denied"
run psql "$(as rita)" -X -At -c "UPDATE deals SET name = 'x' WHERE amount > 0"
check "psql as rita: an update that reads amount is refused" [ "$rc" -ne 0 ]
db_after=$(psql "$PGDB" -X -At -c "SELECT name || amount FROM deals; SELECT title || phone FROM contacts")
check "nothing changed by the refused attempts" [ "$db_before" = "$db_after" ]

# a user added later does not undo the policy
expect_code 0 crm-user add rosa --team east --db "$PGDB"
run psql "$(as rita)" -X -At -c "SELECT amount FROM deals"
check "after another crm-user add the amount is still withheld" [ "$rc" -ne 0 ]

# max, a manager, and ann, an admin, read them
expect_code 0 crm-pipeline show 1 -f csv --fields id,amount --db "$(as max)"
printf 'id,amount\n1,5000.00\n' >"$T/want"
compare "$T/want" "$T/out" "a manager reads the amount"
run psql "$(as ann)" -X -At -c "SELECT phone FROM contacts"
compare <(echo '+49 30 1234567') "$T/out" "psql as the admin reads the phone"

# a bad policy file: 78, nothing changed (rita still refused)
printf '{"sensitive": [{"entity": "deal", "field": "nope", "read": ["admin"]}]}\n' >"$T/p1.json"
expect_code 78 crm-user setup-rls --policy "$T/p1.json" --db "$PGDB"
err_has "sensitive 1: expected entity, a stored field of it"
printf '{"sensitive": [{"entity": "deal", "field": "updated_at", "read": ["admin"]}]}\n' >"$T/p4.json"
expect_code 78 crm-user setup-rls --policy "$T/p4.json" --db "$PGDB"
printf '{"sensitive": [{"entity": "deal", "field": "amount", "read": ["boss"]}]}\n' >"$T/p2.json"
expect_code 78 crm-user setup-rls --policy "$T/p2.json" --db "$PGDB"
err_has "read: expected rep, manager or admin"
printf '{"sensitive": [}\n' >"$T/p3.json"
expect_code 78 crm-user setup-rls --policy "$T/p3.json" --db "$PGDB"
expect_code 66 crm-user setup-rls --policy "$T/none.json" --db "$PGDB"
run psql "$(as rita)" -X -At -c "SELECT amount FROM deals"
check "after the refused files the amount is still withheld" [ "$rc" -ne 0 ]
# setup-rls without a policy: nothing is sensitive any more
expect_code 0 crm-user setup-rls --db "$PGDB"
run psql "$(as rita)" -X -At -c "SELECT amount FROM deals"
compare <(echo 500000) "$T/out" "without a policy rita reads the amount"
done_testing
