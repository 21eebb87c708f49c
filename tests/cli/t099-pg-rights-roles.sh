#!/bin/bash
# Rights on PostgreSQL beyond owners (crm-user setup-rls): territories
# (crm-user territory add TEAM --field F --value V gives a team's members
# the records whose region, country or industry is V; deals through their
# company), team pools (owner "@TEAM": that team's members and the
# managers above see them) and the change log (crm_audit: readable as
# far as the record it describes is). Each role is checked through crm
# and through psql under its own login, against hand-made lists; changes
# outside one's rights don't match, or fail with exit 73 and change
# nothing. Runs when $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099rr_$$_$(date +%s)"
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

# sales > east, west; ann admin, sam manager of sales, max manager of
# east, rita and rosa reps in east, ron rep in west
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add sales --db "$PGDB"
expect_code 0 crm-user team add east --parent sales --db "$PGDB"
expect_code 0 crm-user team add west --parent sales --db "$PGDB"
expect_code 0 crm-user add ann --team sales --role admin --db "$PGDB"
expect_code 0 crm-user add sam --team sales --role manager --db "$PGDB"
expect_code 0 crm-user add max --team east --role manager --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-user add rosa --team east --db "$PGDB"
expect_code 0 crm-user add ron --team west --db "$PGDB"
# territories: west has Germany, east the retail trade
expect_code 0 crm-user territory add west --field country --value DE --db "$PGDB"
expect_code 0 crm-user territory add east --field industry --value retail --db "$PGDB"
expect_code 65 crm-user territory add east --field city --value Paris --db "$PGDB"
err_has "field: 'city' is no territory field"
expect_code 0 crm-user territory list -f csv --db "$PGDB"
printf 'team,field,value\neast,industry,retail\nwest,country,DE\n' >"$T/want"
compare "$T/want" "$T/out" "the territories on PostgreSQL"

# companies 1..7: rita's (FR, Tech), ann's in DE, ann's in retail, west's
# pool, east's pool, nobody's, ron's (US)
cat >"$T/co.csv" <<'X'
name,owner,country,industry
One,rita,FR,Tech
Two,ann,DE,Tech
Three,ann,FR,Retail
Four,@west,FR,Tech
Five,@east,FR,Tech
Six,,FR,Tech
Seven,ron,US,Tech
X
expect_code_in 0 "$T/co.csv" crm-company import -q --db "$PGDB"
# leads 1..4: east's pool, west's pool, ann's in DE, rosa's
cat >"$T/le.csv" <<'X'
first_name,email,owner,country
L1,l1@x.example,@east,FR
L2,l2@x.example,@west,FR
L3,l3@x.example,ann,DE
L4,l4@x.example,rosa,FR
X
expect_code_in 0 "$T/le.csv" crm-lead import -q --db "$PGDB"
# deals: ann's on company 2 (DE), rita's
expect_code 0 crm-pipeline add -q --name D1 --owner ann --company-id 2 --db "$PGDB"
expect_code 0 crm-pipeline add -q --name D2 --owner rita --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"

sees() { # user, noun, table, the ids they must see
	printf '%s\n' $4 >"$T/want"
	expect_code 0 "crm-$2" list --ids --db "$(as "$1")"
	compare "$T/want" "$T/out" "crm shows $1 $3 $4 on PostgreSQL"
	run psql "$(as "$1")" -X -At -c "SELECT id FROM $3 ORDER BY id"
	compare "$T/want" "$T/out" "psql as $1 sees the same $3"
}
sees rita company companies "1 3 5 6"
sees rosa company companies "3 5 6"
sees ron company companies "2 4 6 7"
sees max company companies "1 3 5 6"
sees sam company companies "1 2 3 4 5 6 7"
sees ann company companies "1 2 3 4 5 6 7"
sees rita lead leads "1"
sees ron lead leads "2 3"
sees max lead leads "1 4"
sees sam lead leads "1 2 3 4"
sees rita pipeline deals "2"
sees ron pipeline deals "1"
sees max pipeline deals "2"

# outside one's rights: no match, or 73, and nothing changes
dump() { psql "$PGDB" -X -At -c "SELECT string_agg(id || ':' || coalesce(owner, '') || ':' || coalesce(domain, ''), ',' ORDER BY id) FROM companies; SELECT string_agg(id || ':' || coalesce(owner, ''), ',' ORDER BY id) FROM leads; SELECT count(*) || ':' || string_agg(id || coalesce(actor, '') || command, ',' ORDER BY id) FROM crm_changes; SELECT count(*) FROM crm_audit"; }
before=$(dump)
expect_code 66 crm-company update 2 --set domain=x.example --db "$(as rita)"
expect_code 66 crm-lead update 2 --set owner=rita --db "$(as rita)"
expect_code 73 crm-company update 1 --set owner=ron --db "$(as rita)"
err_has "row-level security"
expect_code 73 crm-company update 5 --set owner=@west --db "$(as rita)"
expect_code 73 crm-company add --name Z --owner @west --db "$(as rita)"
run psql "$(as rita)" -X -At -c "UPDATE companies SET domain = 'x' WHERE id IN (2, 4, 7)"
echo "UPDATE 0" >"$T/want"
compare "$T/want" "$T/out" "psql as rita: others' companies and pools match nothing"
run psql "$(as ron)" -X -At -c "DELETE FROM leads WHERE id IN (1, 4)"
echo "DELETE 0" >"$T/want"
compare "$T/want" "$T/out" "psql as ron: east's leads match nothing"
run psql "$(as rita)" -X -At -c "INSERT INTO crm_territories (team, field, value, created_at) VALUES ('east', 'country', 'DE', 'now')"
check "a rep cannot give her team a territory" [ "$rc" -ne 0 ]
run psql "$(as max)" -X -At -c "DELETE FROM crm_territories"
check "a manager cannot remove territories" [ "$rc" -ne 0 ]
# a manager outside his teams: west's records
expect_code 66 crm-company update 7 --set domain=x.example --db "$(as max)"
expect_code 73 crm-company update 1 --set owner=ron --db "$(as max)"
run psql "$(as max)" -X -At -c "UPDATE companies SET domain = 'x' WHERE id IN (2, 4, 7)"
compare <(echo "UPDATE 0") "$T/out" "psql as max: west's companies match nothing"
# the change log is written, not rewritten
run psql "$(as rita)" -X -At -c "UPDATE crm_changes SET actor = 'ann'"
check "a rep cannot rewrite who made a change" [ "$rc" -ne 0 ]
run psql "$(as max)" -X -At -c "DELETE FROM crm_audit"
check "a manager cannot delete the change log" [ "$rc" -ne 0 ]
run psql "$(as rita)" -X -At -c "INSERT INTO crm_changes (id, at, actor, command) VALUES (999, 'x', 'ann', 'forged')"
check "a rep cannot make a change in another's name" [ "$rc" -ne 0 ]
run psql "$(as ann)" -X -At -c "UPDATE crm_changes SET actor = 'ann'"
check "an admin cannot rewrite it either" [ "$rc" -ne 0 ]
after=$(dump)
check "nothing changed by the refused attempts, the change log included" [ "$before" = "$after" ]

# within: rita takes lead 1 from her team's pool, ron works his
# territory's company, max moves rosa's lead to the east pool
expect_code 0 crm-lead update 1 --set owner=rita --db "$(as rita)"
expect_code 0 crm-company update 2 --set domain=secret.example --db "$(as ron)"
expect_code 0 crm-lead update 4 --set owner=@east --db "$(as max)"
run psql "$PGDB" -X -At -c "SELECT id || ':' || owner FROM leads WHERE id IN (1, 4) ORDER BY id"
printf '1:rita\n4:@east\n' >"$T/want"
compare "$T/want" "$T/out" "changes within one's rights are made"
sees rosa lead leads "4"

# the change log: values only as far as the record is readable
expect_code 0 crm-company history 2 -f csv --fields changed_by,fields --db "$(as ron)"
printf 'changed_by,fields\nron,"{""domain"":""secret.example""}"\n' >"$T/want"
compare "$T/want" "$T/out" "ron reads the history of his territory's company"
expect_code 66 crm-company history 2 --db "$(as rita)"
for u in rita rosa max; do
	run psql "$(as $u)" -X -At -c "SELECT count(*) FROM crm_audit WHERE after LIKE '%secret%' OR before LIKE '%secret%'"
	echo 0 >"$T/want"
	compare "$T/want" "$T/out" "psql as $u: no value of company 2 in crm_audit"
done
run psql "$(as sam)" -X -At -c "SELECT count(*) FROM crm_audit WHERE after LIKE '%secret%'"
echo 1 >"$T/want"
compare "$T/want" "$T/out" "psql as sam (manager above west): the change is readable"
# a deleted record's history stays its owner's
expect_code 0 crm-company delete 7 --db "$(as ron)"
run psql "$(as ron)" -X -At -c "SELECT count(*) FROM crm_audit WHERE entity = 'company' AND record_id = 7"
echo 1 >"$T/want"
compare "$T/want" "$T/out" "ron still reads the before-image of the company he deleted"
run psql "$(as rita)" -X -At -c "SELECT count(*) FROM crm_audit WHERE entity = 'company' AND record_id = 7"
echo 0 >"$T/want"
compare "$T/want" "$T/out" "rita does not"

# a rep undoes her own change (the undo's marks are hers to set)
expect_code 0 crm-company update 1 --set domain=mine.example --db "$(as rita)"
change=$(psql "$PGDB" -X -At -c "SELECT max(id) FROM crm_changes")
expect_code 0 crm-company undo "$change" --db "$(as rita)"
run psql "$PGDB" -X -At -c "SELECT coalesce(domain, '-') FROM companies WHERE id = 1"
compare <(echo -) "$T/out" "rita's undo of her own change"
# an admin changes what a rep may not
run psql "$(as ann)" -X -At -c "UPDATE companies SET domain = 'ann.example' WHERE id = 4"
compare <(echo "UPDATE 1") "$T/out" "psql as ann, an admin: west's pool changes"

# a territory taken back: ron no longer sees Germany
expect_code 0 crm-user territory rm west --field country --value de --db "$PGDB"
expect_code 66 crm-user territory rm west --field country --value DE --db "$PGDB"
sees ron company companies "4 6"
done_testing
