#!/bin/sh
# make check-pg: the tests that run against PostgreSQL, on a throwaway
# server that pg_virtualenv (Debian's postgresql-common) creates and drops;
# it sets PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, so the
# connection target is just "postgresql://". -t keeps the cluster in a
# temporary folder even as root, so two runs on one machine don't meet
# (as root, without it, both would want /etc/postgresql/15/regress).
# Runs unit/t_store and the CLI scripts that take $CRM_TEST_PG (PG_TESTS,
# default tests/cli/t099-pg-*.sh). Ends with "N passed, N failed".
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
	exec env PG_VIRTUALENV_DONE=1 pg_virtualenv -t sh "$0" "$@"
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
	tally "cli/$(basename "$t" .sh)" $? '^ok .* on SQLite and PostgreSQL'
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
