#!/bin/bash
# The layout keeps its promises (lib/README.md): libcrm never prints or
# exits (the one out-of-memory exit in lib/base/util.c aside), each layer
# includes only its own headers and those of the layers below it, no
# library file includes the front end's (cli/), and only the storage
# backends use a database client (SQLite's API, libpq).
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1

# printing or exiting in lib/: a call, or stdout/stderr named
grep -nE '(^|[^a-z_"'"'"'])(printf|fprintf|puts|fputs|putchar|perror|exit|_exit|abort|errx|warnx)[[:space:]]*\(|\b(stdout|stderr)\b' \
	lib/*/*.c lib/*/*.h | grep -v '^lib/base/util\.c:.*out of memory' |
	grep -vE '^lib/base/util\.c:[0-9]+:[[:space:]]*abort\(\);' >"$T/prints"
check "lib/ never prints or exits (see lib/README.md)" [ ! -s "$T/prints" ]
sed 's/^/#   /' "$T/prints" | head -5

# layer -> the layers whose headers it may include
allowed() {
	case $1 in
	base) echo "base" ;;
	records) echo "base records" ;;
	store) echo "base store" ;;
	entity) echo "base records store entity" ;;
	domain | analytics) echo "base records store entity domain analytics" ;;
	report) echo "base records store entity domain analytics report" ;;
	*) echo "" ;;
	esac
}
: >"$T/layers"
for dir in lib/*/; do
	layer=$(basename "$dir")
	ok_dirs=$(allowed "$layer")
	[ -n "$ok_dirs" ] || echo "$dir: a layer lib/README.md does not describe" >>"$T/layers"
	for f in "$dir"*.[ch]; do
		grep -o '#include "[a-z_0-9]*\.h"' "$f" | sed 's/#include "//; s/"$//' |
			while read -r h; do
				home=$(cd lib && ls -d */"$h" 2>/dev/null | cut -d/ -f1)
				if [ -z "$home" ]; then
					echo "$f: includes $h, which is not in lib/" >>"$T/layers"
				elif ! echo " $ok_dirs " | grep -q " $home "; then
					echo "$f: $layer includes $home/$h" >>"$T/layers"
				fi
			done
	done
done
check "each layer includes only itself and the layers below" [ ! -s "$T/layers" ]
sed 's/^/#   /' "$T/layers" | head -5

# the database clients: only their backends (lib/store/store_*.c) use them
grep -lE '#include <libpq-fe\.h>|[^a-z_]PQ[a-z]+\(' lib/*/*.[ch] cli/*.[ch] cmd/*.c >"$T/pq"
echo lib/store/store_pg.c >"$T/want"
compare "$T/want" "$T/pq" "only lib/store/store_pg.c uses libpq"
grep -lE '#include <sqlite3\.h>|sqlite3_[a-z]|SQLITE_[A-Z]' lib/*/*.[ch] cli/*.[ch] cmd/*.c >"$T/lite"
echo lib/store/store_sqlite.c >"$T/want"
compare "$T/want" "$T/lite" "only lib/store/store_sqlite.c uses SQLite's API"
check "the front end lives in cli/, not in lib/" [ -z "$(ls lib/*/cli* 2>/dev/null)" ]
check "lib/README.md names every layer" \
	sh -c 'for d in lib/*/; do grep -q "$(basename "$d")/" lib/README.md || exit 1; done'
done_testing
