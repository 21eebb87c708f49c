#!/bin/sh
# Runs every C unit test (build/tests/t_*) and CLI test (tests/cli/t*.sh),
# each printing TAP lines, and ends with "N passed, N failed".
# TESTS="t1*" limits the CLI scripts; UNIT=0 skips the unit tests.
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0

tally() { # name, log, exit status
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $1 exited $3 without a failed check" >>"$2"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $1 ran no check" >>"$2"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1 ($p passed, $f failed)"
		grep -A12 '^not ok' "$2" | sed 's/^/    /' | head -60
	else
		echo "ok   $1 ($p)"
	fi
}

if [ "${UNIT:-1}" != 0 ]; then
	for t in "$top/$BUILD"/tests/t_*; do
		[ -x "$t" ] || continue
		name=unit/$(basename "$t")
		(cd "$top" && "$t") >"$out/log" 2>&1
		tally "$name" "$out/log" $?
	done
fi
for t in "$top"/tests/cli/${TESTS:-t*}.sh; do
	[ -f "$t" ] || continue
	name=cli/$(basename "$t" .sh)
	(cd "$top" && BUILD=$BUILD bash "$t") >"$out/log" 2>&1
	tally "$name" "$out/log" $?
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
