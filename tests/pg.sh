#!/bin/sh
# make check-pg: the tests that run against PostgreSQL, on a throwaway
# server tests/pgserver.sh starts in a scratch folder and removes after; it
# sets PGHOST, PGPORT, PGUSER and PGDATABASE, so the connection target is
# just "postgresql://". Ends with "N passed, N failed".
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
"$top/$BUILD/tests/t_store" >"$log" 2>&1
rc=$?
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
if ! grep -q '^ok .*postgresql: ' "$log"; then
	echo "not ok - t_store ran no PostgreSQL check" >>"$log"
	f=$((f + 1))
fi
if [ "$f" -ne 0 ]; then
	echo "FAIL unit/t_store on PostgreSQL ($p passed, $f failed)"
	grep -A3 '^not ok' "$log" | sed 's/^/    /' | head -40
else
	echo "ok   unit/t_store on PostgreSQL ($p)"
fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
