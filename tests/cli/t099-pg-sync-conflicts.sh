#!/bin/bash
# crm sync on PostgreSQL: a rep pulls what row-level security lets her see
# into a local SQLite copy, works on it offline with the normal commands
# while the server changes too, and pushes back: per-field conflicts under
# each policy (stop changes nothing and exits 1; server and local keep the
# losing value in the server's change log), deletes on either side
# reported and neither resurrected nor lost, new local records given
# server ids, a change outside her rights refused (73) and nothing of it
# applied, pull again keeping unpushed local changes. Runs when
# $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099s_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"
as() { case $PGDB in *\?*) echo "$PGDB&user=$1" ;; *) echo "$PGDB user=$1" ;; esac; }
q() { psql "$PGDB" -X -At -F, -c "$1" >"$T/out"; }
L="$T/laptop.db"

expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add east --db "$PGDB"
expect_code 0 crm-user add rita --team east --db "$PGDB"
expect_code 0 crm-user add ron --team east --db "$PGDB"
expect_code 0 crm-company add -q --name Acme --owner rita --db "$PGDB"
# contacts 1-3 rita's, 4 ron's
expect_code 0 crm-contact add -q --first-name Ann --last-name A --owner rita --company Acme --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Bea --last-name B --owner rita --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Cy --last-name C --owner rita --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Dan --last-name D --owner ron --db "$PGDB"
expect_code 0 crm-pipeline add -q --name "Acme deal" --owner rita --contact 1 --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"

# pull: what rita may see, nothing of ron's
expect_code 0 crm sync pull --db "$(as rita)" --to "$L"
expect_out "pull reports each table" <<'E'
table,records,removed
companies,1,0
contacts,3,0
leads,0,0
deals,1,0
tickets,0,0
activities,0,0
E
expect_code 0 crm-contact list --ids --db "$L"
printf '1\n2\n3\n' >"$T/want"
compare "$T/want" "$T/out" "the copy holds rita's contacts, not ron's"

# --where: the contacts it selects, their deals and activities, and the
# companies they need; a refresh keeps the selection
expect_code 0 crm sync pull --db "$(as rita)" --to "$T/w.db" --where first_name=Ann
expect_out "pull --where reports each table" <<'E'
table,records,removed
companies,1,0
contacts,1,0
leads,0,0
deals,1,0
tickets,0,0
activities,0,0
E
expect_code 0 crm sync pull --to "$T/w.db"
expect_code 0 crm-contact list -f csv --fields id,first_name,company_id --db "$T/w.db"
printf 'id,first_name,company_id\n1,Ann,1\n' >"$T/want"
compare "$T/want" "$T/out" "the refresh keeps --where's selection"
expect_code 0 crm sync pull --db "$(as rita)" --to "$T/w.db" --where first_name=Dan
expect_code 0 crm-contact list --ids --db "$T/w.db"
check "--where sees only what row-level security lets rita see (not ron's Dan)" [ ! -s "$T/out" ]

# offline: the normal commands on the copy
export CRM_DB="$L"
CRM_NOW=2026-11-23T09:00:00Z expect_code 0 crm-contact update 1 --set title=CEO --set city=Paris
expect_code 0 crm-contact update 2 --set title=Buyer
expect_code 0 crm-contact delete 3
expect_code 0 crm-contact add -q --first-name Eve --last-name New --owner rita
expect_code 0 crm-activity log --type call --subject "met Eve" --contact 1000000000000 --owner rita
expect_code 0 crm-contact show 1000000000000 -f csv --fields first_name,owner
printf 'first_name,owner\nEve,rita\n' >"$T/want"
compare "$T/want" "$T/out" "a record made offline has a local id"
unset CRM_DB
# meanwhile on the server: someone edits 1's title (a conflict) and region
# (no conflict), edits 3 (deleted locally) and deletes 2 (edited locally)
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-contact update 1 --set title=CTO --set region=EU --db "$PGDB"
expect_code 0 crm-contact update 3 --set title=Chief --db "$PGDB"
expect_code 0 crm-contact delete 2 --db "$PGDB"
q "SELECT id, title, city, region FROM contacts ORDER BY id"; cp "$T/out" "$T/server_before"

# stop (the default): conflicts listed, nothing changed anywhere
expect_code 1 crm sync push --from "$L"
expect_out "stop lists the conflicts with both values" <<'E'
action,entity,id,server_id,field,local,server,kept
conflict,contact,1,1,title,CEO,CTO,none
deleted-on-server,contact,2,2,,,,none
edited-on-server,contact,3,3,,,,none
E
err_has "nothing pushed"
q "SELECT id, title, city, region FROM contacts ORDER BY id"
compare "$T/server_before" "$T/out" "stop changes nothing on the server"
expect_code 0 crm-contact list --ids --db "$L"
printf '1\n2\n1000000000000\n' >"$T/want"
compare "$T/want" "$T/out" "stop changes nothing in the copy"
expect_code 64 crm sync push --from "$L" --conflict maybe
err_has "stop, server or local"

# server wins
expect_code 0 crm sync push --from "$L" --conflict server
cp "$T/out" "$T/push"
# the server numbers the new records (its sequences may leave gaps)
q "SELECT (SELECT id FROM contacts WHERE first_name = 'Eve') || ' ' || (SELECT id FROM activities WHERE subject = 'met Eve')"
read -r EVE ACT <"$T/out"
check "Eve got a server id" [ "${EVE:-0}" -gt 4 ]
cat >"$T/want" <<E
action,entity,id,server_id,field,local,server,kept
inserted,contact,1000000000000,$EVE,,,,
conflict,contact,1,1,title,CEO,CTO,server
updated,contact,1,1,,,,
deleted-on-server,contact,2,2,,,,server
inserted,activity,1000000000000,$ACT,,,,
edited-on-server,contact,3,3,,,,server
E
compare "$T/want" "$T/push" "server policy: each change reported, parents first, deletes last"
q "SELECT id, first_name, title, city, region FROM contacts ORDER BY id"
printf '1,Ann,CTO,Paris,EU\n3,Cy,Chief,,\n4,Dan,,,\n%s,Eve,,,\n' "$EVE" >"$T/want"
compare "$T/want" "$T/out" "server: its title stays, the local city arrives, 2 stays deleted, 3 stays, Eve is in"
q "SELECT subject, contact_id FROM activities"
echo "met Eve,$EVE" >"$T/want"
compare "$T/want" "$T/out" "the new activity points to the new contact's server id"
q "SELECT c.actor, a.entity, a.record_id, a.before, a.after FROM crm_audit a JOIN crm_changes c ON c.id = a.change_id WHERE a.action = 'conflict' ORDER BY a.id"
check "the losing local title is in the server's change log, by rita" grep -qxF 'rita,contact,1,{"title":"CEO"},{"title":"CTO"}' "$T/out"
check "the deleted record's local edit is in the change log too" grep -q '^rita,contact,2,.*"title":"Buyer"' "$T/out"
expect_code 0 crm-contact list -f csv --fields id,title,city,region --db "$L"
printf 'id,title,city,region\n1,CTO,Paris,EU\n3,Chief,,\n%s,,,\n' "$EVE" >"$T/want"
compare "$T/want" "$T/out" "the copy now matches the server (2 gone, 3 back, Eve renumbered)"
expect_code 0 crm sync push --from "$L"
printf 'action,entity,id,server_id,field,local,server,kept\n' >"$T/want"
compare "$T/want" "$T/out" "a second push has nothing to send"

# local wins
expect_code 0 crm-contact update 1 --set title=Founder --db "$L"
expect_code 0 crm-contact update 1 --set title=Owner --db "$PGDB"
expect_code 0 crm sync push --from "$L" --conflict local
expect_out "local policy" <<'E'
action,entity,id,server_id,field,local,server,kept
conflict,contact,1,1,title,Founder,Owner,local
updated,contact,1,1,,,,
E
q "SELECT title FROM contacts WHERE id = 1"
echo Founder >"$T/want"
compare "$T/want" "$T/out" "local: the local title is written"
q "SELECT a.before::json->>'title' FROM crm_audit a JOIN crm_changes c ON c.id = a.change_id WHERE c.command = 'sync push' AND a.action = 'update' ORDER BY a.id DESC LIMIT 1"
echo Owner >"$T/want"
compare "$T/want" "$T/out" "the server's losing title is the update's before-image"
expect_code 0 crm-contact history 1 -f csv --fields changed_by --db "$PGDB"
out_has rita

# rights: a change the server refuses is reported, exit 73, not applied
expect_code 0 crm-contact update 1 --set owner=ron --set title=Moved --db "$L"
expect_code 0 crm-contact update "$EVE" --set title=Ok --db "$L"
expect_code 73 crm sync push --from "$L"
err_has "refused by the server's rights"
out_has "refused,contact,1"
q "SELECT first_name, owner, title FROM contacts WHERE id IN (1, $EVE) ORDER BY id"
printf 'Ann,rita,Founder\nEve,rita,Ok\n' >"$T/want"
compare "$T/want" "$T/out" "the refused change set is not applied at all, the other one is"
expect_code 0 crm-contact update 1 --set owner=rita --set title=Founder --db "$L"

# pull again: local unpushed changes stay, server changes arrive
expect_code 0 crm-contact update "$EVE" --set city=Oslo --db "$L"
expect_code 0 crm-contact update "$EVE" --set region=North --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Fay --last-name F --owner rita --db "$PGDB"
expect_code 0 crm-contact delete 3 --db "$PGDB"
# the copy's search index: a pull writes without audit rows, so it
# retires the index (searches scan until --reindex)
expect_code 0 crm search -q --reindex --db "$L"
expect_code 0 crm sync pull --to "$L"
expect_code 0 crm-contact list -f csv --fields first_name,city,region --db "$L"
printf 'first_name,city,region\nAnn,Paris,EU\nEve,Oslo,North\nFay,,\n' >"$T/want"
compare "$T/want" "$T/out" "a second pull keeps the local city, brings the new region and Fay, drops 3"
check "the pull retired the copy's search index" \
	test "$(sqlite3 "$L" "SELECT count(*) FROM crm_search_state")" = 0
expect_code 0 crm search -q --reindex --db "$L"
expect_code 0 crm sync push --from "$L"
check "the push retired it too (ids of the copy changed)" \
	test "$(sqlite3 "$L" "SELECT count(*) FROM crm_search_state")" = 0
q "SELECT city, region FROM contacts WHERE id = $EVE"
echo "Oslo,North" >"$T/want"
compare "$T/want" "$T/out" "on PostgreSQL: the kept local change is pushed after the pull"

# a copy is its user's: another login can neither refresh nor push it
expect_code 73 crm sync pull --db "$(as ron)" --to "$L"
err_has "was pulled by another user"
expect_code 73 crm sync push --db "$(as ron)" --from "$L"
err_has "was pulled by rita"

# --mine: rita's own records, not the ownerless pool that row-level
# security also shows her; her contacts' deal comes along
expect_code 0 crm-contact add -q --first-name Pool --last-name P --db "$PGDB"
expect_code 0 crm sync pull --db "$(as rita)" --to "$T/mine.db" --mine
expect_code 0 crm-contact list -f csv --fields first_name --db "$T/mine.db"
printf 'first_name\nAnn\nEve\nFay\n' >"$T/want"
compare "$T/want" "$T/out" "pull --mine: her own contacts only"
expect_code 0 crm-pipeline list -f csv --fields name --db "$T/mine.db"
printf 'name\nAcme deal\n' >"$T/want"
compare "$T/want" "$T/out" "pull --mine: her deal"
expect_code 0 crm sync pull --db "$(as rita)" --to "$T/all.db"
expect_code 0 crm-contact list -f csv --fields first_name --db "$T/all.db"
printf 'first_name\nAnn\nEve\nFay\nPool\n' >"$T/want"
compare "$T/want" "$T/out" "a pull without --mine also has the pool"
done_testing
