#!/bin/sh
# startup.sh [N]: how fast every binary in $BUILD/bin starts (issue #25:
# under 5 ms). For each binary, the median wall time of N runs (default
# 51) of
#   - "--version": ours against /bin/true (the cost of any exec);
#   - a cheap real read on a small SQLite database (100 contacts, a few
#     records of each kind), e.g. "crm-contact list --limit 1": ours
#     against the sqlite3 shell opening the same file and printing one row
#     ("sqlite3 DB 'SELECT * FROM contacts LIMIT 1'").
# Each run is one posix_spawn and wait timed by a small Python driver, so
# both sides pay the same overhead. The rows carry the median CPU time
# (user + system): on this shared machine the wall time mostly counts the
# wait for a core (/bin/true takes 10-30 ms of wall at a load of 30);
# STARTUP_CLOCK=wall puts the wall time in the rows instead. Both are
# printed on each binary's line. Also prints the shared libraries each
# binary loads at start (ldd | wc -l) and its peak RSS for --version.
set -eu
n=${1:-51}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-01T09:00:00Z CRM_SHARE=$top/share/crm
export CRM_DB=$dir/small.db

# the small database: 100 contacts, and one record for the other lists
sh "$top/tests/bench/gen-contacts.sh" 100 >"$dir/c.csv"
"$bin/crm-contact" import -q "$dir/c.csv" >/dev/null
"$bin/crm-ticket" add --subject Printer --contact-id 1 >/dev/null 2>&1 || true
"$bin/crm-pipeline" add --name Deal --contact-id 1 >/dev/null 2>&1 || true

# median N CMD...: "WALL CPU", the median wall seconds and the median CPU
# seconds (user + system, from wait4) of N runs of CMD (stdout and stderr
# to /dev/null); fails when a run does. Under load the CPU time is the
# steadier figure: the wall time also counts waiting for a core.
median() {
	python3 - "$@" <<'PY'
import os, sys, time
n, argv = int(sys.argv[1]), sys.argv[2:]
null = os.open(os.devnull, os.O_WRONLY)
acts = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
ts, cs = [], []
for _ in range(n):
    t = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
    _, st, ru = os.wait4(pid, 0)
    ts.append(time.perf_counter() - t)
    cs.append(ru.ru_utime + ru.ru_stime)
    if os.waitstatus_to_exitcode(st) != 0:
        sys.exit("bench: %s exited %d" % (" ".join(argv), os.waitstatus_to_exitcode(st)))
ts.sort()
cs.sort()
print("%.5f %.5f" % (ts[len(ts) // 2], cs[len(cs) // 2]))
PY
}

# the read each binary does; none for crm-sync (it needs a server)
read_args() {
	case $1 in
	crm) echo "search Lee" ;;
	crm-dedupe) echo "contacts" ;;
	crm-report) echo "contacts" ;;
	crm-score) echo "models" ;;
	crm-sync) echo "" ;;
	*) echo "list --limit 1" ;;
	esac
}

clock=${STARTUP_CLOCK:-cpu}
# pick WALL CPU: the one the rows carry
pick() { if [ "$clock" = wall ]; then echo "$1"; else echo "$2"; fi; }
set -- $(median "$n" /bin/true)
true_s=$(pick "$1" "$2") true_w=$1 true_c=$2
sqlite=$(command -v sqlite3)
set -- $(median "$n" "$sqlite" "$CRM_DB" "SELECT * FROM contacts LIMIT 1")
sql_s=$(pick "$1" "$2") sql_w=$1 sql_c=$2
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); medians of $n runs, wall (cpu) seconds; rows: $clock"
echo "reference: /bin/true $true_w ($true_c); sqlite3 DB 'SELECT * FROM contacts LIMIT 1' $sql_w ($sql_c)"
for b in "$bin"/crm*; do
	name=${b##*/}
	libs=$(ldd "$b" | wc -l)
	/usr/bin/time -f %M -o "$dir/rss.$name" "$b" --version >/dev/null
	set -- $(median "$n" "$b" --version)
	v=$(pick "$1" "$2") vw=$1 vc=$2
	args=$(read_args "$name")
	line="$name: $libs shared libraries; --version $vw ($vc)"
	if [ -n "$args" ]; then
		# shellcheck disable=SC2086 # args are words
		set -- $(median "$n" "$b" $args)
		r=$(pick "$1" "$2")
		line="$line; $args $1 ($2)"
		# shellcheck disable=SC2086
		/usr/bin/time -f %M -o "$dir/rss.read.$name" "$b" $args >/dev/null 2>&1
	fi
	echo "$line"
	row "start $name --version" sqlite "$n" "$v" "$true_s" "$dir/rss.$name"
	[ -z "$args" ] || row "start $name $args" sqlite "$n" "$r" "$sql_s" "$dir/rss.read.$name"
done
