#!/bin/sh
# run.sh - every benchmark that prints table rows, at the sizes the issues
# name, then one table of the rows (run by "make bench"; it takes tens of
# minutes). BENCH="contacts leads" picks some scripts; BENCH_ENGINE=sqlite,
# pg or both picks the engines (default both when PostgreSQL is installed;
# lib.sh bench_engines). Each script also runs alone with its own size
# arguments.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/bench/lib.sh
BUILD=${BUILD:-build}
export BUILD
engines=$(bench_engines) || exit 64
BENCH_ENGINE=$(echo $engines | sed 's/sqlite pg/both/')
export BENCH_ENGINE
# The default set: every script that calls lib.sh's row. A pg-NAME.sh that
# another script runs (contacts.sh runs pg-contacts.sh for BENCH_ENGINE=pg)
# is measured through it, not twice; one that nothing runs is a pg-only
# script, run when pg is among the engines.
default_set() {
	for s in tests/bench/*.sh; do
		b=$(basename "$s" .sh)
		grep -q '^[[:space:]]*row ' "$s" || continue
		case $b in
		pg-*)
			grep -lq "$b.sh" tests/bench/*.sh && continue
			case $engines in *pg*) ;; *) continue ;; esac
			;;
		esac
		echo "$b"
	done
}
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in ${BENCH:-$(default_set)}; do
	s=tests/bench/$b.sh
	[ -f "$s" ] || continue
	echo "== $b ($(uptime | sed 's/.*load/load/'))"
	{ sh "$s" || echo "bench: $b failed"; } | tee -a "$out"
done
grep -q '^bench: .* failed$' "$out" && status=1
# The table: every "row|" line the scripts printed (lib.sh's row), by
# engine; ratio is crm / reference (below 1: crm is faster).
echo "== table (engines: $(echo $engines); $(uptime | sed 's/.*load/load/'))"
grep '^row|' "$out" | sort -t'|' -k3,3r -s | awk -F'|' '
	BEGIN { printf "%-7s %-40s %10s %9s %9s %6s %12s\n", "engine", "work", "n", "crm s", "ref s", "ratio", "peak RSS" }
	{ printf "%-7s %-40s %10s %9s %9s %6s %12s\n", $3, $2, $4, $5, $6, $7, $8 }'
exit $status
