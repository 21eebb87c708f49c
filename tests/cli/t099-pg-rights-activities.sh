#!/bin/bash
# Activities follow what they are about on PostgreSQL (crm-user
# setup-rls): an activity is visible to its owner and to whoever may see
# the contact, company, lead, deal or ticket it is linked to, per role
# through crm and through psql; it moves with its record; a rep cannot
# read or change one about records she does not see. Runs when
# $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099ra_$$_$(date +%s)"
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

# sales > east, west; ann admin, max manager of east, rita and ron reps
# in east, wes rep in west, whose territory is Germany
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add sales --db "$PGDB"
expect_code 0 crm-user team add east --parent sales --db "$PGDB"
expect_code 0 crm-user team add west --parent sales --db "$PGDB"
expect_code 0 crm-user add ann --team sales --role admin --db "$PGDB"
expect_code 0 crm-user add max --team east --role manager --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-user add ron --team east --db "$PGDB"
expect_code 0 crm-user add wes --team west --db "$PGDB"
expect_code 0 crm-user territory add west --field country --value DE --db "$PGDB"
# contact 1 rita's (FR), 2 ron's (DE); company 1 wes's; lead 1 rita's;
# deal 1 ron's; ticket 1 rita's
expect_code 0 crm-contact add -q --first-name Carl --owner rita --country FR --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Dora --owner ron --country DE --db "$PGDB"
expect_code 0 crm-company add -q --name Westco --owner wes --country FR --db "$PGDB"
expect_code 0 crm-lead add -q --first-name Lea --owner rita --country FR --db "$PGDB"
expect_code 0 crm-pipeline add -q --name D1 --owner ron --db "$PGDB"
expect_code 0 crm-ticket open -q --subject Broken --assignee rita --db "$PGDB"
# activities 1-7: owner and what each is about
cat >"$T/a.ndjson" <<'X'
{"type":"call","occurred_at":"2026-11-01T10:00:00Z","owner":"ron","contact_id":2}
{"type":"call","occurred_at":"2026-11-02T10:00:00Z","owner":"ron","contact_id":1}
{"type":"note","occurred_at":"2026-11-03T10:00:00Z","owner":"ann","deal_id":1}
{"type":"note","occurred_at":"2026-11-04T10:00:00Z","owner":"ann","ticket_id":1}
{"type":"note","occurred_at":"2026-11-05T10:00:00Z","owner":"ann","lead_id":1}
{"type":"note","occurred_at":"2026-11-06T10:00:00Z","owner":"ann","company_id":1}
{"type":"note","occurred_at":"2026-11-07T10:00:00Z","owner":"ann"}
X
expect_code 0 crm-activity import "$T/a.ndjson" --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"

sees() { # user, then the activity ids they see
	u=$1
	shift
	printf '%s\n' "$@" >"$T/want"
	expect_code 0 crm-activity list --ids --db "$(as "$u")"
	compare "$T/want" "$T/out" "crm as $u: activities $*"
	run psql "$(as "$u")" -X -At -c "SELECT id FROM activities ORDER BY id"
	compare "$T/want" "$T/out" "psql as $u: the same"
}
# rita: her contact's (2), her ticket's (4), her lead's (5)
sees rita 2 4 5
# ron: his own (1, 2) and his deal's (3)
sees ron 1 2 3
# wes: Dora's through his territory (1), his company's (6)
sees wes 1 6
# max, manager of east: every record of rita's and ron's
sees max 1 2 3 4 5
sees ann 1 2 3 4 5 6 7

# one about records she does not see is neither readable nor changeable
expect_code 66 crm-activity show 6 --db "$(as rita)"
run psql "$(as rita)" -X -q -At -c "UPDATE activities SET subject = 'x' WHERE id = 6 RETURNING id"
check "psql as rita: updating activity 6 runs" [ "$rc" -eq 0 ]
check "and matches nothing" [ ! -s "$T/out" ]
expect_code 0 crm-activity update 4 --set subject=Called --db "$(as rita)"
run psql "$PGDB" -X -At -c "SELECT id || ':' || coalesce(subject, '') FROM activities WHERE id IN (4, 6) ORDER BY id"
printf '4:Called\n6:\n' >"$T/want"
compare "$T/want" "$T/out" "rita changes the activity of her ticket, not Westco's"

# activities move with their record: Carl goes to wes
expect_code 0 crm-contact update 1 --set owner=wes --db "$(as ann)"
sees rita 4 5
sees wes 1 2 6

# a rep's import: her role may not set the sequences (a block of ids
# reserved ahead, lib/entity/entity_write.c), so new rows take the next
# id one at a time, both without and with the duplicate check
printf 'first_name,owner\nEve,rita\nFay,rita\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv" --db "$(as rita)"
printf 'first_name,email,owner\nGil,gil@x.example,rita\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv" --db "$(as rita)"
run psql "$PGDB" -X -At -c "SELECT 'contact ' || id || ' ' || first_name FROM contacts WHERE owner = 'rita' UNION ALL SELECT 'lead ' || id || ' ' || first_name FROM leads WHERE first_name = 'Gil' ORDER BY 1"
printf 'contact 3 Eve\ncontact 4 Fay\nlead 2 Gil\n' >"$T/want"
compare "$T/want" "$T/out" "rita imports contacts and a lead, ids in turn"
done_testing
