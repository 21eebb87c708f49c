#!/bin/bash
# Per-record sensitive fields on PostgreSQL (policy rule "owner-team",
# the shipped policy: a contact's phone): the value and its match key
# are readable by the record's owner, the owner's team and the managers
# above it (and admins), through crm and through psql (the column is
# withheld; its reader crm_sens_contacts_phone(id) applies the rule per
# row), and by nobody else who sees the record: another team's rep and
# manager read it as empty, the change log hides the changes that hold
# it, setting it there is refused (73) and writes nothing, an update of
# another field keeps it, and a sync pull copies it only where the rule
# gives it (a push does not overwrite it). Runs when $CRM_TEST_PG names
# a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099sr_$$_$(date +%s)"
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

# sales > east, west; max manages sales (above east), mia manages west;
# rita and ron in east, wes in west; ann admin
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add sales --db "$PGDB"
expect_code 0 crm-user team add east --parent sales --db "$PGDB"
expect_code 0 crm-user team add west --parent sales --db "$PGDB"
expect_code 0 crm-user add ann --team sales --role admin --db "$PGDB"
expect_code 0 crm-user add max --team sales --role manager --db "$PGDB"
expect_code 0 crm-user add mia --team west --role manager --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-user add ron --team east --db "$PGDB"
expect_code 0 crm-user add wes --team west --db "$PGDB"
# the north is both teams' territory: everyone sees contacts 1 and 2
expect_code 0 crm-user territory add east --field region --value north --db "$PGDB"
expect_code 0 crm-user territory add west --field region --value north --db "$PGDB"
# 1 rita's, 2 ron's (north), 3 ron's in the south (rita does not see
# it: a rep sees her own records, not her teammates'), 4 the east pool's
cat >"$T/c.csv" <<'X'
first_name,owner,region,phone
Carl,rita,north,+49 30 1234567
Dora,ron,north,+49 30 7654321
Emil,ron,south,+49 30 5555555
Fay,@east,north,+49 30 4444444
X
expect_code 0 crm-contact import "$T/c.csv" --db "$PGDB"
expect_code 0 crm-user setup-rls --policy "$TOP/share/crm/policy.json" --db "$PGDB"
q "SELECT id || ':' || phone_key FROM contacts ORDER BY id"
cp "$T/sql" "$T/keys"
check "the match keys are there to withhold" [ "$(wc -l <"$T/keys")" = 4 ]

# what each user reads: through crm, and through psql with the reader
sees() { # user, then the expected id,first_name,phone lines
	u=$1
	shift
	{
		echo id,first_name,phone
		printf '%s\n' "$@"
	} >"$T/want"
	expect_code 0 crm-contact list -f csv --fields id,first_name,phone --db "$(as "$u")"
	compare "$T/want" "$T/out" "crm as $u: the phones the rule gives"
	run psql "$(as "$u")" -X -At -F, -c "SELECT id, first_name, crm_sens_contacts_phone(id) FROM contacts ORDER BY id"
	tail -n +2 "$T/want" >"$T/want2"
	compare "$T/want2" "$T/out" "psql as $u: the same through the reader"
}
sees rita '1,Carl,+49 30 1234567' '2,Dora,+49 30 7654321' '4,Fay,+49 30 4444444'
sees ron '1,Carl,+49 30 1234567' '2,Dora,+49 30 7654321' '3,Emil,+49 30 5555555' '4,Fay,+49 30 4444444'
sees wes '1,Carl,' '2,Dora,' '4,Fay,'
sees mia '1,Carl,' '2,Dora,' '4,Fay,'
sees max '1,Carl,+49 30 1234567' '2,Dora,+49 30 7654321' '3,Emil,+49 30 5555555' '4,Fay,+49 30 4444444'
expect_code 0 crm-contact list -f csv --fields id,phone --db "$(as ann)"
printf 'id,phone\n1,+49 30 1234567\n2,+49 30 7654321\n3,+49 30 5555555\n4,+49 30 4444444\n' >"$T/want"
compare "$T/want" "$T/out" "crm as ann, the admin: every phone"

# the column itself and its key are refused; the reader gives nothing of
# a record the caller does not see (rita and Emil), whatever the rule
for u in rita wes; do
	run psql "$(as $u)" -X -At -c "SELECT phone FROM contacts"
	check "psql as $u: reading the column is refused" [ "$rc" -ne 0 ]
	run psql "$(as $u)" -X -At -c "SELECT phone_key FROM contacts"
	check "psql as $u: and its match key" [ "$rc" -ne 0 ]
done
run psql "$(as rita)" -X -At -c "SELECT coalesce(crm_sens_contacts_phone(3), '-'), coalesce(crm_sens_contacts_phone_key(3), '-')"
compare <(echo '-|-') "$T/out" "psql as rita: no phone of a teammate's record she does not see"
run psql "$(as rita)" -X -At -c "SELECT id || ':' || crm_sens_contacts_phone_key(id) FROM contacts ORDER BY id"
grep -v '^3:' "$T/keys" >"$T/want"
compare "$T/want" "$T/out" "psql as rita: the match keys where the rule gives the phone"
run psql "$(as wes)" -X -At -c "SELECT count(crm_sens_contacts_phone_key(id)) FROM contacts"
compare <(echo 0) "$T/out" "psql as wes: no match key at all"

# the owner changes the phone; the change log holds it: readable by the
# owner's team and the manager above, not by west
expect_code 0 crm-contact update 1 --set phone=+4930111222 --db "$(as rita)"
q "SELECT phone FROM contacts WHERE id = 1"
compare <(echo +4930111222) "$T/sql" "the owner sets the phone"
for u in rita ron max wes mia; do
	case $u in wes | mia) n=0 ;; *) n=1 ;; esac
	run psql "$(as $u)" -X -At -c "SELECT count(*) FROM crm_audit WHERE before LIKE '%1234567%' OR after LIKE '%111222%'"
	compare <(echo $n) "$T/out" "psql as $u: $n change-log rows with the phone"
done
expect_code 0 crm-contact history 1 -f csv --fields changed_by,fields --db "$(as wes)"
compare <(echo changed_by,fields) "$T/out" "crm-contact history as wes: the change is not shown"
expect_code 0 crm-contact history 1 -f csv --fields changed_by,fields --db "$(as ron)"
out_has "111222"

# west may not set it; nothing is written (not the change log either)
snap() { psql "$PGDB" -X -At -c "SELECT id, phone, phone_key, title FROM contacts ORDER BY id; SELECT count(*) FROM crm_changes; SELECT count(*) FROM crm_audit" >"$1"; }
snap "$T/before"
expect_code 73 crm-contact update 1 --set phone=+4930999 --db "$(as wes)"
err_has "phone is withheld from you on this record"
# clearing it is writing back what mia reads: nothing changes
expect_code 0 crm-contact update 2 --set phone= --db "$(as mia)"
err_has "updated 0 contacts"
run psql "$(as wes)" -X -At -c "UPDATE contacts SET phone = '+4930999' WHERE id = 1"
check "psql as wes: setting the phone is refused" [ "$rc" -ne 0 ]
err_has "withheld"
run psql "$(as wes)" -X -At -c "UPDATE contacts SET phone_key = 'x' WHERE id = 1"
check "psql as wes: and its match key" [ "$rc" -ne 0 ]
run psql "$(as wes)" -X -At -c "INSERT INTO contacts (first_name, owner, region, phone, created_at, updated_at) VALUES ('X', 'rita', 'north', '1', 'now', 'now')"
check "psql as wes: an insert with a phone for east is refused" [ "$rc" -ne 0 ]
snap "$T/after"
compare "$T/before" "$T/after" "nothing written by the refused attempts"
# an update of another field keeps the phone (read as empty, written back)
expect_code 0 crm-contact update 1 --set title=Buyer --db "$(as wes)"
run psql "$(as wes)" -X -At -c "UPDATE contacts SET phone = NULL, title = 'Boss' WHERE id = 2"
check "psql as wes: writing back the empty value is allowed" [ "$rc" -eq 0 ]
q "SELECT id || ':' || title || ':' || phone || ':' || (phone_key IS NOT NULL) FROM contacts WHERE id IN (1, 2) ORDER BY id"
printf '1:Buyer:+4930111222:true\n2:Boss:+49 30 7654321:true\n' >"$T/want"
compare "$T/want" "$T/sql" "west's updates keep the phones and their keys"
run psql "$(as wes)" -X -At -c "SELECT count(*) FROM crm_audit WHERE before LIKE '%+49%' OR after LIKE '%+49%'"
compare <(echo 0) "$T/out" "west's own change-log rows hold no phone"
# a west rep adds a contact of his own with a phone: his to read
# (id 6: the refused insert used up 5, as a rep's failed writes do)
expect_code 0 crm-contact add -q --first-name Gil --owner wes --region north --phone +4930222 --db "$(as wes)"
expect_code 0 crm-contact show 6 -f csv --fields id,phone --db "$(as wes)"
printf 'id,phone\n6,+4930222\n' >"$T/want"
compare "$T/want" "$T/out" "a rep reads the phone of his own record"
expect_code 0 crm-contact show 6 -f csv --fields id,phone --db "$(as rita)"
printf 'id,phone\n6,\n' >"$T/want"
compare "$T/want" "$T/out" "and east does not"

# sync: a pull copies the phones only where the rule gives them
W="$T/wes.db"
R="$T/rita.db"
expect_code 0 crm sync pull --db "$(as wes)" --to "$W"
run sqlite3 "$W" "SELECT id || ':' || ifnull(phone, '') || ':' || ifnull(phone_key, '') FROM contacts ORDER BY id"
printf '1::\n2::\n4::\n6:+4930222:%s\n' "$(psql "$PGDB" -X -At -c "SELECT phone_key FROM contacts WHERE id = 6")" >"$T/want"
compare "$T/want" "$T/out" "wes's copy: his own phone, no other"
run sqlite3 "$W" "SELECT count(*) FROM crm_sync_base WHERE row LIKE '%7654321%' OR row LIKE '%111222%' OR row LIKE '%4444444%'"
compare <(echo 0) "$T/out" "nor in the copy's base rows"
expect_code 0 crm sync pull --db "$(as rita)" --to "$R"
run sqlite3 "$R" "SELECT id || ':' || ifnull(phone, '') FROM contacts ORDER BY id"
printf '1:+4930111222\n2:+49 30 7654321\n4:+49 30 4444444\n6:\n' >"$T/want"
compare "$T/want" "$T/out" "rita's copy: her team's phones"
# a push of another field keeps the server's phone; setting it is refused
expect_code 0 crm-contact update 2 --set title=Chief --db "$W"
expect_code 0 crm sync push --from "$W"
q "SELECT title || ':' || phone FROM contacts WHERE id = 2"
compare <(echo 'Chief:+49 30 7654321') "$T/sql" "wes's push keeps the phone he could not read"
# (the push's change set is opened before its records are tried)
snap_rows() { psql "$PGDB" -X -At -c "SELECT id, phone, phone_key, title FROM contacts ORDER BY id; SELECT count(*) FROM crm_audit" >"$1"; }
snap_rows "$T/before"
expect_code 0 crm-contact update 1 --set phone=+4930666 --db "$W"
expect_code 73 crm sync push --from "$W"
out_has "refused"
snap_rows "$T/after"
compare "$T/before" "$T/after" "the refused push wrote nothing"
expect_code 0 crm-contact update 4 --set phone=+4930777 --db "$R"
expect_code 0 crm sync push --from "$R"
q "SELECT phone FROM contacts WHERE id = 4"
compare <(echo +4930777) "$T/sql" "rita's push sets her team pool's phone"

# a bad rule is 78 and changes nothing; no policy: nothing is withheld,
# the readers and guards are gone
printf '{"sensitive": [{"entity": "contact", "field": "phone", "read": [], "rule": "team"}]}\n' >"$T/p1.json"
expect_code 78 crm-user setup-rls --policy "$T/p1.json" --db "$PGDB"
err_has 'sensitive 1: rule: expected "owner-team"'
printf '{"sensitive": [{"entity": "product", "field": "name", "read": [], "rule": "owner-team"}]}\n' >"$T/p2.json"
expect_code 78 crm-user setup-rls --policy "$T/p2.json" --db "$PGDB"
printf '{"sensitive": [{"entity": "contact", "field": "phone", "read": [], "rule": "owner-team", "x": 1}]}\n' >"$T/p3.json"
expect_code 78 crm-user setup-rls --policy "$T/p3.json" --db "$PGDB"
err_has "and optionally rule"
expect_code 0 crm-contact list -f csv --fields id,phone --where id=1 --db "$(as wes)"
printf 'id,phone\n1,\n' >"$T/want"
compare "$T/want" "$T/out" "after the refused files wes still reads no phone"
expect_code 0 crm-user setup-rls --db "$PGDB"
run psql "$(as wes)" -X -At -c "SELECT phone FROM contacts WHERE id = 1"
compare <(echo +4930111222) "$T/out" "without a policy wes reads the column"
run psql "$PGDB" -X -At -c "SELECT count(*) FROM pg_proc WHERE proname LIKE 'crm_sens%'; SELECT count(*) FROM pg_trigger WHERE tgname = 'crm_sens'"
printf '0\n0\n' >"$T/want"
compare "$T/want" "$T/out" "and the readers and guards are dropped"
done_testing
