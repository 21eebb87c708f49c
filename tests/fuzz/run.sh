#!/bin/sh
# run.sh - build each tests/fuzz/fuzz_NAME.c as a libFuzzer binary and run it
# on a copy of tests/fuzz/corpus/NAME/ for FUZZ_TIME seconds.
# Usage: [BUILD=build] [FUZZ_TIME=60] [FUZZ_ARGS=...] sh tests/fuzz/run.sh
# Exits 1 if any harness failed to build or found a crash; crash inputs are
# kept as $BUILD/fuzz/NAME-crash-* and the log as $BUILD/fuzz/NAME.log.
set -u

cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_ARGS=${FUZZ_ARGS:-}
CC=${FUZZ_CC:-clang}
out=$BUILD/fuzz
mkdir -p "$out" || exit 1

if ! command -v "$CC" >/dev/null; then
	echo "fuzz: $CC not found (apt-get install clang libclang-rt-dev)" >&2
	exit 1
fi

# The corpus is copied so fuzzing never writes into the repository.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

status=0
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	short=${name#fuzz_}
	bin=$out/$name
	log=$out/$name.log
	# Word splitting of the pkg-config output is intended.
	# shellcheck disable=SC2046
	if ! "$CC" -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -g -O1 -std=c17 -D_GNU_SOURCE -pthread \
		-DCRM_SHARE_DIR=\"share/crm\" \
		$(for d in lib/*/; do printf -- '-iquote %s ' "$d"; done) \
		-o "$bin" "$src" lib/*/*.c \
		$(pkg-config --cflags --libs sqlite3 jansson libutf8proc libpq libidn2 gmime-3.0 libxml-2.0 pangocairo) \
		-lcsv -lstemmer -lm >"$log" 2>&1; then
		echo "$name: build failed, see $log"
		status=1
		continue
	fi
	corpus=$tmp/$short
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$short" ]; then
		cp -R "tests/fuzz/corpus/$short/." "$corpus/"
	fi
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$FUZZ_TIME" -print_final_stats=1 \
		-artifact_prefix="$out/$name-" $FUZZ_ARGS "$corpus" >>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "$name: ok (${runs:-no stats})"
	else
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "$name: FAILED (exit $rc) ${crash:+input $crash, }see $log"
		status=1
	fi
done
exit $status
