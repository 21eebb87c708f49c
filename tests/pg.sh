#!/bin/sh
# make check-pg: the tests that run against PostgreSQL, on a throwaway
# server that pg_virtualenv (Debian's postgresql-common) creates and drops;
# it sets PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, so the
# connection target is just "postgresql://". Ends with "N passed, N failed".
# By hand, without pg_virtualenv: initdb and pg_ctl a cluster in a scratch
# folder as an unprivileged user, and set CRM_TEST_PG to its URL.
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${PG_VIRTUALENV_DONE:-}" ]; then
	if ! command -v pg_virtualenv >/dev/null; then
		echo "not ok - pg_virtualenv not found (apt-get install postgresql)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	exec env PG_VIRTUALENV_DONE=1 pg_virtualenv sh "$0" "$@"
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
