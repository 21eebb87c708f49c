#!/bin/bash
# crm sync is resumable and exactly once: a push stopped between the
# server's commit and the copy's, pushes killed with SIGKILL at varying
# points and one whose connection the server drops, each run again until
# one completes, leave the server with every change applied once (no
# duplicate inserts, every update in); a pull killed half way leaves the
# copy as it was, and the next pull completes. Runs when $CRM_TEST_PG
# names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099k_$$_$(date +%s)"
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

contacts() { # FILE N PREFIX: N contacts of rita's
	echo "first_name,last_name,owner" >"$1"
	for i in $(seq 1 "$2"); do echo "$3$i,X,rita"; done >>"$1"
}
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user add rita --db "$PGDB"
expect_code 0 crm-user add ron --db "$PGDB"
contacts "$T/c.csv" 200 Srv
expect_code 0 crm-contact import -q "$T/c.csv" --db "$PGDB"
expect_code 0 crm-contact add -q --first-name Other --last-name O --owner ron --db "$PGDB"
echo "type,subject,occurred_at,owner,contact_id" >"$T/a.csv"
for i in $(seq 1 3000); do echo "call,a$i,2026-01-01T00:00:00Z,rita,$((i % 200 + 1))"; done >>"$T/a.csv"
expect_code 0 crm-activity import -q "$T/a.csv" --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"

# a pull killed half way leaves no copy behind that a retry trips on
for d in 0.05 0.15 0.3; do
	crm-sync pull --db "$(as rita)" --to "$L" >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
expect_code 0 crm sync pull --db "$(as rita)" --to "$L"
expect_out "the retried pull completes" <<'E'
table,records,removed
companies,0,0
contacts,200,0
leads,0,0
deals,0,0
tickets,0,0
activities,3000,0
E
# a refresh killed half way changes nothing; the next one completes
expect_code 0 crm-contact update 1 --set title=Local --db "$L"
crm-sync pull --to "$L" >/dev/null 2>&1 &
pid=$!
sleep 0.1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect_code 0 crm sync pull --to "$L"
expect_code 0 crm-contact show 1 -f csv --fields title --db "$L"
printf 'title\nLocal\n' >"$T/want"
compare "$T/want" "$T/out" "a killed refresh loses no local change"
expect_code 0 crm-activity list --ids --db "$L" --limit 100000
check "3000 activities in the copy" [ "$(grep -c . "$T/out")" -eq 3000 ]

# offline: every contact's title, 50 new contacts
expect_code 0 crm-contact update --where owner=rita --set title=Offline --db "$L"
contacts "$T/n.csv" 50 New
expect_code 0 crm-contact import -q "$T/n.csv" --db "$L"

# stopped after the server's commit, before the copy's
CRM_SYNC_TEST_CRASH=1 expect_code 75 crm sync push --from "$L"
q "SELECT count(*), count(*) FILTER (WHERE title = 'Offline') FROM contacts WHERE owner = 'rita'"
echo "250,200" >"$T/want"
compare "$T/want" "$T/out" "the server committed the push"
expect_code 0 crm-contact list --ids --where "id>=1000000000000" --db "$L"
check "the copy did not: its new records still have local ids" [ "$(grep -c . "$T/out")" -eq 50 ]
expect_code 0 crm sync push --from "$L"
check "the retry finds the 250 changes applied" [ "$(grep -c '^applied,' "$T/out")" -eq 250 ]
q "SELECT count(*), count(DISTINCT first_name) FROM contacts WHERE owner = 'rita'"
echo "250,250" >"$T/want"
compare "$T/want" "$T/out" "no change applied twice (no duplicate contact)"
expect_code 0 crm-contact list --ids --where "id>=1000000000000" --db "$L"
check "the copy's new records have their server ids now" [ ! -s "$T/out" ]
expect_code 0 crm sync push --from "$L"
printf 'action,entity,id,server_id,field,local,server,kept\n' >"$T/want"
compare "$T/want" "$T/out" "then nothing is left to push"

# SIGKILL at varying points, and a dropped connection, until one completes
expect_code 0 crm-contact update --where owner=rita --set title=Killed --db "$L"
contacts "$T/k.csv" 100 Kill
expect_code 0 crm-contact import -q "$T/k.csv" --db "$L"
tries=0 done=no
for d in 0.02 0.1 0.2 0.4 drop 0.6 0.9 1.5 none; do
	tries=$((tries + 1))
	crm-sync push --from "$L" >/dev/null 2>&1 &
	pid=$!
	if [ "$d" = none ]; then
		: # the last try runs to the end
	elif [ "$d" = drop ]; then
		sleep 0.3
		psql_admin "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'rita'" >/dev/null 2>&1
	else
		sleep "$d"
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	if [ $? -eq 0 ]; then done=yes; break; fi
done
check "a push completed after $tries tries (last: $d)" [ "$done" = yes ]
expect_code 0 crm sync push --from "$L"
q "SELECT count(*), count(DISTINCT first_name), count(*) FILTER (WHERE title = 'Killed') FROM contacts WHERE owner = 'rita'"
echo "350,350,250" >"$T/want"
compare "$T/want" "$T/out" "on PostgreSQL: after the kills every change is applied exactly once"
q "SELECT count(*) FROM contacts WHERE owner = 'ron'"
echo 1 >"$T/want"
compare "$T/want" "$T/out" "others' records untouched"
expect_code 0 crm-contact list --ids --where "id>=1000000000000" --db "$L"
check "no local ids left in the copy" [ ! -s "$T/out" ]
q "SELECT id FROM contacts WHERE owner = 'rita' ORDER BY id"
cp "$T/out" "$T/server_ids"
expect_code 0 crm-contact list --ids --db "$L"
compare "$T/server_ids" "$T/out" "the copy holds exactly the server's records"
done_testing
