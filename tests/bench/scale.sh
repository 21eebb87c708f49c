#!/bin/sh
# scale.sh [SIZES]: the cost per record of every bulk verb as its size grows
# (#25: flat, under 2x from the smallest size to the largest). Runs each
# benchmark of SCALE_BENCH (default: the bulk-verb scripts below) at every
# size of SIZES (default "10000 100000 1000000"), each on fresh data it
# generates, collects the rows it prints (lib.sh's row: work, engine, n,
# crm seconds, reference seconds) and prints, for each work and engine,
# crm's time per record at each size and its growth against the smallest
# size. The reference's growth stands beside it: where both grow alike the
# machine or the data changed, not crm. BENCH_ENGINE picks the engines as
# for every script. Contact import and export have scaling.sh (CPU time).
#
# How each script's size follows N (the record the verb goes over):
#   leads       N leads into N/2 contacts (import, assign, reclaim)
#   tickets     N tickets (import, sla, escalation)
#   activities  N activities linked to N/5 contacts
#   pipeline    N deals (forecast, board)
#   flow        N change events over N/10 deals
#   quote       N stored quotes re-priced (one 500-line quote too)
#   contract    N invoices (1.5 N payments; the statement N/10 lines;
#               a whole number of millions above 1M)
#   report      N activities, contacts, leads, deals and tickets each
#               (each report's n is its own table's)
#   deals       N open deals scored
#   score       N leads scored (5 N activities, 20 rules; SQLite only)
#   campaign    N contacts (5 N activities, N/10 messages sent)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
sizes=${1:-10000 100000 1000000}
set -- ${SCALE_BENCH:-leads tickets activities pipeline flow quote contract report deals score campaign}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for b in "$@"; do
	for n in $sizes; do
		case $b in
		leads) args="$n $((n / 2))" ;;
		tickets | pipeline) args=$n ;;
		activities) args="$n $((n / 5))" ;;
		flow) args="$n $((n / 10))" ;;
		quote) args="500 $n" ;;
		contract) args=$((n > 1000000 ? 0 : 1000000 / n))
			[ "$args" -gt 0 ] || args=x$((n / 1000000)) ;;
		report) args="$n $n $n $n $n" ;;
		deals) args=$n ;;
		score) # SQLite only: nothing to measure on pg
			[ "${BENCH_ENGINE:-}" != pg ] || continue
			args="$n 20 $((n * 5))" ;;
		campaign) args=$(echo "$n" | awk '{ print $1 / 1000000 }') ;;
		*)
			echo "scale: no size rule for $b" >&2
			exit 64
			;;
		esac
		echo "== $b $args ($(uptime | sed 's/.*load/load/'))"
		# The scripts' own output shows as it comes; the rows go to $out.
		sh "$top/tests/bench/$b.sh" $args | tee -a "$out" ||
			{ echo "scale: $b $args failed" >&2 && status=1; }
	done
done
# One line a (engine, work) and size: the time per record in microseconds
# and the growth from the smallest n measured for that work. A work whose
# n does not follow N (the one 500-line quote) shows as one size only.
echo "== scale ($(uptime | sed 's/.*load/load/'))"
# A work named with a size of its own ("flow run (1000 deals)") is one work.
grep '^row|' "$out" | awk -F'|' '{ w = $2; sub(/ \([0-9]+ [a-z]+\)$/, "", w)
	print $3 "|" w "|" $4 "|" $5 "|" $6 }' |
	sort -t'|' -k1,1 -k2,2 -k3,3n -s | awk -F'|' '
	BEGIN { printf "%-7s %-44s %10s %9s %8s %6s %8s %6s\n", "engine", "work", "n", "crm s", "us/rec", "growth", "ref us/r", "growth" }
	{
		k = $1 "|" $2
		if (k != last) { base = $4 / $3; rbase = $5 / $3; last = k }
		printf "%-7s %-44s %10d %9.3f %8.2f %6.2f %8.2f %6.2f\n", $1, $2, $3, $4, $4 / $3 * 1e6, ($4 / $3) / base, $5 / $3 * 1e6, ($5 / $3) / rbase
	}'
exit $status
