#!/bin/bash
# crm-user: teams (a hierarchy), users (add, list, show, grant, disable,
# enable), claim-owners, and history with changed_by, on SQLite always and
# on PostgreSQL when $CRM_TEST_PG names a server (make check-pg): there
# each user is a login role of the server (the name checked and quoted by
# the server), in the group role of their crm role, NOLOGIN when disabled,
# and a change made over a user's own connection is recorded as theirs
# whatever CRM_USER says.
. "$(dirname "$0")/../lib.sh"

LITE="$T/lite.db"
dbs=$LITE
if [ -n "${CRM_TEST_PG:-}" ]; then
	name="crm_t099u_$$_$(date +%s)"
	case $CRM_TEST_PG in
	*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
	*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
	*) PGDB="$CRM_TEST_PG dbname=$name" ;;
	esac
	psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
	trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
	check "create the test database $name" psql_admin "CREATE DATABASE $name"
	dbs="$LITE $PGDB"
fi

printf 'id,name,email,team,role,status\n1,alice,alice@x.example,east,manager,active\n2,bob,,east,admin,disabled\n3,carol,carol@x.example,sales,rep,active\n' >"$T/users.csv"
printf 'name,parent,users\neast,sales,2\nsales,,1\nwest,sales,0\n' >"$T/teams.csv"
printf 'entity,owner,user,records\ncontact,CAROL@x.example,carol,2\ncontact,alice,alice,1\ncontact,zed,,1\ndeal,bob,bob,1\n' >"$T/claims.csv"
printf 'id,owner\n1,carol\n2,carol\n3,alice\n4,zed\n' >"$T/owners.csv"

for db in $dbs; do
	case $db in postgresql* | postgres*) engine=PostgreSQL ;; *) engine=SQLite ;; esac
	expect_code 0 crm init --db "$db"
	expect_code 0 crm-user team add sales --db "$db"
	expect_code 0 crm-user team add east --parent sales --db "$db"
	expect_code 0 crm-user team add west --parent sales --db "$db"
	expect_code 65 crm-user team add north --parent nowhere --db "$db"
	err_has "parent: no team 'nowhere'"
	expect_code 65 crm-user team add east --db "$db"
	err_has "team 'east' is there already"
	expect_code 64 crm-user team move east --db "$db"
	expect_code 0 crm-user add alice --email alice@x.example --team east --role manager --db "$db"
	expect_code 0 crm-user add bob --team east --db "$db"
	expect_code 0 crm-user add carol --email carol@x.example --team sales --db "$db"
	# names are checked before they go near the server
	expect_code 65 crm-user add 'x"; DROP TABLE contacts; --' --db "$db"
	err_has "is no user name"
	expect_code 65 crm-user add Alice --db "$db"
	expect_code 65 crm-user add crm_admin --db "$db"
	expect_code 65 crm-user add pg_monitor --db "$db"
	expect_code 65 crm-user add dave --team nowhere --db "$db"
	err_has "team: no team 'nowhere'"
	expect_code 65 crm-user add dave --role boss --db "$db"
	expect_code 65 crm-user add alice --db "$db"
	expect_code 64 crm-user add --db "$db"
	expect_code 0 crm-user grant bob admin --db "$db"
	expect_code 65 crm-user grant bob boss --db "$db"
	expect_code 64 crm-user grant bob --db "$db"
	expect_code 0 crm-user disable bob --db "$db"
	expect_code 0 crm-user list -f csv --db "$db" --fields id,name,email,team,role,status
	compare "$T/users.csv" "$T/out" "users after add, grant and disable ($engine)"
	expect_code 65 crm-user team rm east --db "$db"
	err_has "still has users or teams under it"
	expect_code 66 crm-user team rm nowhere --db "$db"
	expect_code 0 crm-user team add gone --db "$db"
	expect_code 0 crm-user team rm gone --db "$db"
	expect_code 0 crm-user team list -f csv --db "$db"
	compare "$T/teams.csv" "$T/out" "teams with their parents and users ($engine)"
	# owners: a user's email (any case) becomes their name, names stay,
	# others are reported
	expect_code 0 crm-contact add -q --first-name A --owner CAROL@x.example --db "$db"
	expect_code 0 crm-contact add -q --first-name B --owner CAROL@x.example --db "$db"
	expect_code 0 crm-contact add -q --first-name C --owner alice --db "$db"
	expect_code 0 crm-contact add -q --first-name D --owner zed --db "$db"
	expect_code 0 crm-pipeline add -q --name Big --owner bob --db "$db"
	expect_code 0 crm-user claim-owners -f csv --db "$db"
	compare "$T/claims.csv" "$T/out" "claim-owners maps owners to users ($engine)"
	err_has "1 owner value names no user"
	expect_code 0 crm-contact list -f csv --fields id,owner --db "$db"
	compare "$T/owners.csv" "$T/out" "owners rewritten to user names ($engine)"
	expect_code 0 crm-contact history 1 -f csv --fields changed_by,command,action,fields --db "$db"
	printf 'changed_by,command,action,fields\ntester,claim-owners,update,"{""owner"":""carol""}"\n' >"$T/h.csv"
	compare "$T/h.csv" "$T/out" "history shows who changed the owner ($engine)"
	expect_code 0 crm-user history bob -f csv --fields changed_by,action,fields --db "$db"
	printf 'changed_by,action,fields\ntester,update,"{""role"":""admin""}"\ntester,update,"{""status"":""disabled""}"\n' >"$T/h.csv"
	compare "$T/h.csv" "$T/out" "a user's history: grant and disable ($engine)"
	expect_code 66 crm-contact history 99 --db "$db"
	expect_code 64 crm-contact history --db "$db"
	expect_code 0 crm-user enable bob --db "$db"
	expect_code 0 crm-user disable bob --db "$db"
	cp "$T/out" "$T/$engine.last"
done

if [ -n "${CRM_TEST_PG:-}" ]; then
	# the server's side: login roles in their groups, bob NOLOGIN, no
	# role for a refused name, and the tables intact
	run psql "$PGDB" -X -At -c "SELECT r.rolname, r.rolcanlogin, g.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname IN ('alice', 'bob', 'carol') ORDER BY 1, 3"
	printf 'alice|t|crm_manager\nbob|f|crm_admin\ncarol|t|crm_rep\n' >"$T/want"
	compare "$T/want" "$T/out" "login roles and groups on SQLite and PostgreSQL users alike"
	run psql "$PGDB" -X -At -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'x%DROP%' OR rolname = 'Alice' OR rolname = 'dave'"
	echo 0 >"$T/want"
	compare "$T/want" "$T/out" "a refused name makes no role on PostgreSQL"
	run psql "$PGDB" -X -At -c "SELECT count(*) FROM contacts"
	echo 4 >"$T/want"
	compare "$T/want" "$T/out" "the contacts are there after the injection attempt on SQLite and PostgreSQL"
	# bob is disabled: the server refuses his login
	run psql "$PGDB" -X -At -U bob -c "SELECT 1"
	check "a disabled user cannot log in on PostgreSQL" [ "$rc" -ne 0 ]
	# alice's own connection: her change is recorded as hers, not
	# CRM_USER's
	case $PGDB in *\?*) ADB="$PGDB&user=alice" ;; *) ADB="$PGDB user=alice" ;; esac
	expect_code 0 crm-contact update 4 --set title=Boss --db "$ADB"
	expect_code 0 crm-contact history 4 -f csv --fields changed_by,fields --db "$ADB"
	printf 'changed_by,fields\nalice,"{""title"":""Boss""}"\n' >"$T/want"
	compare "$T/want" "$T/out" "changed_by is the connected role on PostgreSQL, CRM_USER on SQLite"
	run psql "$PGDB" -X -At -c "SELECT actor FROM crm_changes ORDER BY id DESC LIMIT 1"
	echo alice >"$T/want"
	compare "$T/want" "$T/out" "the change log row names alice (SQLite and PostgreSQL differ only here)"
fi
done_testing
