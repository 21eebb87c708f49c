#!/bin/sh
# scaling.sh [SIZES]: contact import and export at each size (default
# "10000 100000 1000000"; add 10000000 where one run fits the time), each
# into a fresh SQLite database; prints a table of wall time, time per
# record and its growth against the smallest size (the target: under 2x
# from the smallest to the largest; a sort, a scan per record or a missing
# index shows up as growth). The rows' reference is the smallest size's
# per-record time times N (flat cost), so their ratio is that growth.
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

echo "scaling ($(uptime | sed 's/.*load/load/'))"
: >"$dir/table"
for n in $sizes; do
	sh "$top/tests/bench/gen-contacts.sh" "$n" >"$dir/c.csv"
	rm -f "$dir/s.db" "$dir/s.db-wal" "$dir/s.db-shm"
	timed /dev/null /usr/bin/time -f %M -o "$dir/rss.import" \
		"$bin/crm-contact" import -q --db "$dir/s.db" "$dir/c.csv"
	ti=$t
	timed /dev/null /usr/bin/time -f %M -o "$dir/rss.export" \
		"$bin/crm-contact" export -f csv --db "$dir/s.db"
	te=$t
	echo "$n $ti $te $(tail -1 "$dir/rss.import") $(tail -1 "$dir/rss.export")" >>"$dir/table"
	rm -f "$dir/c.csv"
done
awk 'NR == 1 { bi = $2 / $1; be = $3 / $1 }
     NR == 1 { printf "%10s %9s %12s %7s %9s %12s %7s %9s %9s\n", "n", "import s", "us/record", "growth", "export s", "us/record", "growth", "RSS imp", "RSS exp" }
     { printf "%10d %9.2f %12.2f %7.2f %9.2f %12.2f %7.2f %6.1f MiB %6.1f MiB\n", $1, $2, $2 / $1 * 1e6, $2 / $1 / bi, $3, $3 / $1 * 1e6, $3 / $1 / be, $4 / 1024, $5 / 1024 }' "$dir/table"
# rows: reference = the smallest size's per-record time times n
awk 'NR == 1 { bi = $2 / $1; be = $3 / $1 }
     { printf "%s %s %.3f %.3f %s %s\n", $1, $2, bi * $1, $3, be * $1, $4 " " $5 }' "$dir/table" |
	while read -r n ti fi te fe ri re; do
		echo "$ri" >"$dir/r1"
		echo "$re" >"$dir/r2"
		row "contact import, flat-cost ref" sqlite "$n" "$ti" "$fi" "$dir/r1"
		row "contact export, flat-cost ref" sqlite "$n" "$te" "$fe" "$dir/r2"
	done
