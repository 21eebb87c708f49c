#!/bin/sh
# scaling.sh [SIZES]: contact import and export at each size (default
# "10000 100000 1000000"; add 10000000 where one run fits the time), each
# into a fresh SQLite database; prints a table of wall time, time per
# record and its growth against the smallest size (the target: under 2x
# from the smallest to the largest; a sort, a scan per record or a missing
# index shows up as growth). The rows hold CPU seconds, their reference
# is the smallest size's CPU time per record times N (flat cost), so
# their ratio is that growth.
# CPU seconds (user + system, both threads of the import) are printed
# too: on a shared machine the wall time follows the load, the CPU time
# follows the work.
# SQLite only (BENCH_ENGINE=pg: nothing).
set -eu
sizes=${1:-10000 100000 1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
case $(bench_engines) in
*sqlite*) ;;
*) exit 0 ;;
esac
bin=$top/$BUILD/bin
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z

# rusage FILE command...: run it; write its user and system CPU seconds
# (bash's `time`, to the millisecond) and its peak RSS in KiB
# (/usr/bin/time) to FILE. /usr/bin/time and dash's `times` count
# hundredths, too coarse for the 10,000-record export (about two), the
# base of the growth.
rusage() {
	bash -c 'TIMEFORMAT="%3U %3S"; f=$1; shift
	{ time /usr/bin/time -f %M -o "$f.rss" "$@" 2>&3; } 3>&2 2>"$f.cpu"
	rc=$?; echo "$(cat "$f.cpu") $(tail -1 "$f.rss")" >"$f"; exit $rc' _ "$@"
}

echo "scaling ($(uptime | sed 's/.*load/load/'))"
: >"$dir/table"
for n in $sizes; do
	sh "$top/tests/bench/gen-contacts.sh" "$n" >"$dir/c.csv"
	rm -f "$dir/s.db" "$dir/s.db-wal" "$dir/s.db-shm"
	timed /dev/null rusage "$dir/import" \
		"$bin/crm-contact" import -q --db "$dir/s.db" "$dir/c.csv"
	ti=$t
	timed /dev/null rusage "$dir/export" \
		"$bin/crm-contact" export -f csv --db "$dir/s.db"
	te=$t
	ci=$(tail -1 "$dir/import" | awk '{ print $1 + $2 }')
	ce=$(tail -1 "$dir/export" | awk '{ print $1 + $2 }')
	echo "$n $ti $te $(tail -1 "$dir/import" | awk '{ print $3 }') $(tail -1 "$dir/export" | awk '{ print $3 }') $ci $ce" >>"$dir/table"
	rm -f "$dir/c.csv"
done
awk 'NR == 1 { bi = $2 / $1; be = $3 / $1; ci = $6 / $1; ce = $7 / $1 }
     NR == 1 { printf "%10s | %8s %9s %6s %8s %9s %6s | %8s %9s %6s %8s %9s %6s | %9s %9s\n", "n", "import s", "us/rec", "growth", "cpu s", "cpu us/r", "growth", "export s", "us/rec", "growth", "cpu s", "cpu us/r", "growth", "RSS imp", "RSS exp" }
     { printf "%10d | %8.2f %9.2f %6.2f %8.2f %9.2f %6.2f | %8.2f %9.2f %6.2f %8.2f %9.2f %6.2f | %5.1f MiB %5.1f MiB\n", $1, $2, $2 / $1 * 1e6, $2 / $1 / bi, $6, $6 / $1 * 1e6, $6 / $1 / ci, $3, $3 / $1 * 1e6, $3 / $1 / be, $7, $7 / $1 * 1e6, $7 / $1 / ce, $4 / 1024, $5 / 1024 }' "$dir/table"
# rows (CPU seconds): reference = the smallest size's CPU time per
# record times n
awk 'NR == 1 { ci = $6 / $1; ce = $7 / $1 }
     { printf "%s %.4f %.4f %.4f %.4f %s %s\n", $1, $6, ci * $1, $7, ce * $1, $4, $5 }' "$dir/table" |
	while read -r n ti fi te fe ri re; do
		echo "$ri" >"$dir/r1"
		echo "$re" >"$dir/r2"
		row "contact import cpu, flat-cost ref" sqlite "$n" "$ti" "$fi" "$dir/r1"
		row "contact export cpu, flat-cost ref" sqlite "$n" "$te" "$fe" "$dir/r2"
	done
