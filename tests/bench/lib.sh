# lib.sh - helpers the benchmarks share (sourced).

# timed OUT command...: run it with stdout to OUT; wall seconds in $t,
# CPU seconds (user + system of everything it ran, from the shell's
# `times`) in $cpu. Returns the command's status.
timed() {
	o=$1; shift
	timed_f=${TMPDIR:-/tmp}/timed.$$
	times >"$timed_f"
	s=$(date +%s.%N)
	timed_rc=0
	"$@" >"$o" || timed_rc=$?
	e=$(date +%s.%N)
	times >>"$timed_f"
	t=$(echo "$s $e" | awk '{printf "%.3f", $2 - $1}')
	cpu=$(awk 'function s(x) { split(x, p, "m"); return p[1] * 60 + p[2] }
		NR % 2 == 0 { c[NR] = s($1) + s($2) }
		END { printf "%.2f", c[4] - c[2] }' "$timed_f")
	rm -f "$timed_f"
	return $timed_rc
}
# ratio A B: A / B to two decimals.
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }
# rss FILE: peak RSS in MiB from a file written by /usr/bin/time -f %M
# (its last line: a failed command adds a line before it).
rss() { awk 'END { printf "%.1f MiB", $1 / 1024 }' "$1"; }
# row WORK ENGINE N CRM_SECONDS REF_SECONDS RSSFILE: one row of the table
# "make bench" prints at the end (tests/bench/run.sh collects the lines
# that start with "row|"): the work, sqlite or pg, its size, both times,
# their ratio and crm's peak RSS.
row() {
	echo "row|$1|$2|$3|$4|$5|$(ratio "$4" "$5")|$(rss "$6")"
}
# have_pg: a PostgreSQL server tests/pgserver.sh can start is installed.
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
# bench_engines: the engines $BENCH_ENGINE names, one a line: sqlite, pg
# or both; unset means both when PostgreSQL is installed, else sqlite.
# A script measuring both engines loops over it (contacts.sh does); its
# pg side runs under tests/pgserver.sh as pg-contacts.sh does.
bench_engines() {
	case ${BENCH_ENGINE:-} in
	sqlite | pg) echo "$BENCH_ENGINE" ;;
	both) printf 'sqlite\npg\n' ;;
	'') echo sqlite && if have_pg; then echo pg; fi ;;
	*)
		echo "bench: BENCH_ENGINE is sqlite, pg or both, not $BENCH_ENGINE" >&2
		return 64
		;;
	esac
}
# bench_dispatch "$@": a script that measures one engine a run (set
# $top first): with BENCH_ENGINE both (unset: both when PostgreSQL is
# installed), runs itself for sqlite, then for pg; for pg, under a server
# of tests/pgserver.sh unless $CRM_TEST_PG names one. Sets $engine.
bench_dispatch() {
	engine=${BENCH_ENGINE:-}
	if [ -z "$engine" ]; then
		engine=sqlite
		! have_pg || engine=both
	fi
	case $engine in
	both)
		BENCH_ENGINE=sqlite sh "$0" "$@"
		exec env BENCH_ENGINE=pg sh "$0" "$@"
		;;
	pg)
		if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${CRM_PGSERVER_DONE:-}" ]; then
			CRM_PGSERVER_DONE=1 exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
		fi
		;;
	sqlite) ;;
	*)
		echo "$(basename "$0"): BENCH_ENGINE is sqlite, pg or both" >&2
		exit 64
		;;
	esac
}
# url NAME: the connection string of database NAME on $CRM_TEST_PG's
# server (a URL with or without a query, or a key=value string);
# admin SQL: run SQL there as the server's user, quietly
url() {
	case $CRM_TEST_PG in
	*://*\?*) echo "$CRM_TEST_PG&dbname=$1" ;;
	*://*) echo "$CRM_TEST_PG?dbname=$1" ;;
	*) echo "$CRM_TEST_PG dbname=$1" ;;
	esac
}
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
# srv_cpu: the CPU seconds (user + system) of the server's backends, when
# the server is the one tests/pgserver.sh started here (else empty): the
# running ones' own and the ended ones' (the postmaster's reaped children)
srv_cpu() {
	srv_pm=
	[ -z "${PGHOST:-}" ] || srv_pm=$(head -1 "$PGHOST/data/postmaster.pid" 2>/dev/null) || srv_pm=
	[ -n "$srv_pm" ] && [ -r "/proc/$srv_pm/stat" ] || return 0
	# a backend just ended is reaped first (else it may be read neither
	# as running nor as reaped)
	sleep 0.2
	# utime, stime: fields 14, 15; cutime, cstime: 16, 17; ppid: 4
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$srv_pm" \
		-v hz="$(getconf CLK_TCK)" '$1 == pm { c += $16 + $17 }
		$4 == pm && $2 == "(postgres)" { c += $14 + $15 }
		END { printf "%.2f", c / hz }'
}
