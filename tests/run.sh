#!/bin/sh
# Runs the lint of the test scripts (tests/lint.py and its self-test),
# every C unit test (build/tests/t_*) and CLI test (tests/cli/t*.sh), each
# printing TAP lines, and ends with "N passed, N failed" (", N skipped"
# when a check was skipped: "ok N # skip why" is counted apart, never as
# passed; see tests/README.md).
# TESTS="t1*" limits the CLI scripts; UNIT=0 skips the unit tests;
# LINT=0 skips the lint.
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0 skipped=0

tally() { # name, log, exit status
	s=$(grep -ciE '^ok [0-9]+( -)?[^#]*# *skip' "$2")
	p=$(($(grep -c '^ok ' "$2") - s))
	f=$(grep -c '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $1 exited $3 without a failed check" >>"$2"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		f=1
		echo "not ok - $1 ran no check" >>"$2"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1 ($p passed, $f failed)"
		grep -A12 '^not ok' "$2" | sed 's/^/    /' | head -60
	else
		if [ "$s" -ne 0 ]; then echo "ok   $1 ($p, $s skipped)"
		else echo "ok   $1 ($p)"; fi
	fi
}

if [ "${LINT:-1}" != 0 ]; then
	(cd "$top" && python3 tests/lint.py --self-test) >"$out/log" 2>&1
	tally lint/self-test "$out/log" $?
	# only the scripts this run selects
	set -- "$top"/tests/cli/${TESTS:-t*}.sh
	if [ -f "$1" ]; then
		(cd "$top" && python3 tests/lint.py --tap "$@") >"$out/log" 2>&1
		tally lint/tests-cli "$out/log" $?
	fi
fi

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
if [ "$skipped" -ne 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
