#!/bin/sh
# dedupe.sh [N...]: quality and speed of crm-dedupe stream on generated
# people with known duplicates (gen-persons.sh), at each N (default 10000
# 100000 1000000): pairwise precision, recall and F1 with default settings
# and no labels, wall time and peak RSS.
set -eu
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
[ $# -gt 0 ] || set -- 10000 100000 1000000
for n in "$@"; do
	sh "$top/tests/bench/gen-persons.sh" "$n" >"$dir/p.csv"
	s=$(date +%s.%N)
	/usr/bin/time -f %M -o "$dir/rss" "$bin/crm-dedupe" stream -q \
		--id rec_id <"$dir/p.csv" >"$dir/r.csv"
	e=$(date +%s.%N)
	t=$(echo "$s $e" | awk '{printf "%.2f", $2 - $1}')
	printf '%8d records: %6ss, peak RSS %s MiB; ' "$n" "$t" \
		"$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss")"
	sh "$top/tests/bench/f1.sh" "$dir/p.csv" "$dir/r.csv"
done
