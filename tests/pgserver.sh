#!/bin/sh
# tests/pgserver.sh CMD...: run CMD against a throwaway PostgreSQL server,
# made with initdb in a scratch folder and listening only on a Unix socket
# there, so nothing outside the folder is touched and two runs never meet
# (Debian's pg_virtualenv, run as root, makes one shared cluster named
# "regress" instead). CMD gets PGHOST, PGPORT, PGUSER and PGDATABASE; the
# server is stopped and the folder removed afterwards, whatever CMD does.
# As root the server runs as the postgres user, which PostgreSQL requires.
set -u
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "pgserver: PostgreSQL server not found (apt-get install postgresql)" >&2
	exit 69
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-pg.XXXXXX")
as() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	chown postgres "$dir"
	chmod 755 "$dir"
	as() { runuser -u postgres -- "$@"; }
fi
stop() {
	as "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
if ! as "$bindir/initdb" -D "$dir/data" -A trust -U crm -E UTF8 \
	--locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
	cat "$dir/initdb.log" >&2
	exit 70
fi
port=54329
if ! as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	-o "-k $dir -p $port -c listen_addresses=''" start >/dev/null; then
	cat "$dir/server.log" >&2
	exit 70
fi
export PGHOST=$dir PGPORT=$port PGUSER=crm PGDATABASE=postgres
unset PGPASSWORD PGSERVICE
"$@"
