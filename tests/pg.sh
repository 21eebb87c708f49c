#!/bin/sh
# make check-pg: the tests that run against PostgreSQL, on a throwaway
# server tests/pgserver.sh starts in a scratch folder and removes after; it
# sets PGHOST, PGPORT, PGUSER and PGDATABASE, so the connection target is
# just "postgresql://". Runs unit/t_store and the CLI scripts that take
# $CRM_TEST_PG (PG_TESTS, default tests/cli/t099-pg-*.sh), then the
# scripts of the SQLite suite named in PG_SUITE on a fresh server database
# each. Ends with "N passed, N failed".
# By hand, against a server of your own: CRM_TEST_PG=postgresql://... sh tests/pg.sh
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 sh "$top/tests/pgserver.sh" sh "$0" "$@"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "not ok - no PostgreSQL server for the tests (exit $rc)"
		echo "0 passed, 1 failed"
	fi
	exit "$rc"
fi
export CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0

tally() { # name, exit status, the PostgreSQL check it must have run
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -ciE '^ok [0-9]+( -)?[^#]*# *skip' "$log")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$s" -ne 0 ]; then
		echo "not ok - $1 skipped checks on PostgreSQL" >>"$log"
		f=$((f + 1))
	fi
	if ! grep -qi "$3" "$log"; then
		echo "not ok - $1 ran no PostgreSQL check" >>"$log"
		f=$((f + 1))
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1 on PostgreSQL ($p passed, $f failed)"
		grep -A3 '^not ok' "$log" | sed 's/^/    /' | head -40
	else
		echo "ok   $1 on PostgreSQL ($p)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

"$top/$BUILD/tests/t_store" >"$log" 2>&1
tally unit/t_store $? '^ok .*postgresql: '
for t in ${PG_TESTS:-"$top"/tests/cli/t099-pg-*.sh}; do
	[ -f "$t" ] || continue
	BUILD=$BUILD bash "$t" >"$log" 2>&1
	# the rights tests (t099-pg-users-rls) check PostgreSQL alone
	tally "cli/$(basename "$t" .sh)" $? '^ok .* on \(SQLite and \)*PostgreSQL'
done
# Scripts of the SQLite suite that also run on PostgreSQL as they are
# (tests/lib.sh: CRM_TEST_ENGINE=pg gives each a fresh server database;
# sql and db_dump use psql there), listed in tests/pg-suite.txt.
# PG_SUITE="" runs none. They run in PG_JOBS lanes at once (default 2, the
# cores of the machine it was written on; each script has a database of
# its own), and are tallied in order.
suite=$(for t in ${PG_SUITE-$(grep -v '^#' "$top/tests/pg-suite.txt")}; do
	[ -f "$top/tests/cli/$t.sh" ] && echo "$t"
done)
jobs=${PG_JOBS:-2}
logs=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$logs"' EXIT
lane=0
while [ "$lane" -lt "$jobs" ]; do
	echo "$suite" | awk -v j="$jobs" -v k="$lane" 'NF && (NR - 1) % j == k' |
		while read -r t; do
			CRM_TEST_ENGINE=pg BUILD=$BUILD bash "$top/tests/cli/$t.sh" \
				</dev/null >"$logs/$t" 2>&1
			echo $? >"$logs/$t.rc"
		done &
	lane=$((lane + 1))
done
wait
for t in $suite; do
	cp "$logs/$t" "$log"
	tally "cli/$t" "$(cat "$logs/$t.rc" 2>/dev/null || echo 1)" \
		'^ok 0 - on PostgreSQL: database '
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
