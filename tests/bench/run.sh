#!/bin/sh
# run.sh - every benchmark at the sizes the issues name (run by "make
# bench", by hand: it takes tens of minutes). BENCH="contacts pipeline"
# picks some; each script also runs alone with its own size arguments.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in ${BENCH:-contacts activities pipeline dedupe dedupe-crm logit-vs-sklearn report}; do
	s=tests/bench/$b.sh
	[ -f "$s" ] || continue
	echo "== $b"
	{ sh "$s" || echo "bench: $b failed"; } | tee -a "$out"
done
grep -q '^bench: .* failed$' "$out" && status=1
# The table: every "row|" line the scripts printed (lib.sh's row), by engine.
echo "== table"
grep '^row|' "$out" | sort -t'|' -k3,3 -s | awk -F'|' '
	BEGIN { printf "%-7s %-40s %10s %9s %9s %6s %12s\n", "engine", "work", "n", "crm s", "ref s", "ratio", "peak RSS" }
	{ printf "%-7s %-40s %10s %9s %9s %6s %12s\n", $3, $2, $4, $5, $6, $7, $8 }'
exit $status
