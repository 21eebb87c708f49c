#!/bin/bash
# A plain "make" needs only the compiler and the libraries: the deps check
# of the all target names the build packages and no test tool; make check
# adds the test tools. Objects wait for the deps check under make -j.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
tools='chromium valgrind clang zsh fish miller jq mandoc hyperfine'

make -n -B all BUILD="$T/b" >"$T/all" 2>&1
check "make -n all runs" [ $? -eq 0 ]
check "make all checks the build packages" grep -q 'libsqlite3-dev libcsv-dev libjansson-dev' "$T/all"
for t in $tools; do
	check "make all does not ask for $t" sh -c "! grep -qw '$t' '$T/all'"
done
make -n -B install BUILD="$T/b" DESTDIR="$T/dest" >"$T/install" 2>&1
for t in chromium valgrind jq; do
	check "make install does not ask for $t" sh -c "! grep -qw '$t' '$T/install'"
done

make -n check BUILD="$T/b" >"$T/check" 2>&1
for t in chromium valgrind jq miller zsh fish; do
	check "make check installs $t" grep -qw "$t" "$T/check"
done

# under -j the deps check comes before any compiler: objects wait for it
make -p -n all BUILD="$T/b" >"$T/db" 2>/dev/null
check "objects have deps-check as an order-only prerequisite" \
	grep -Eq "^$T/b/obj/lib/store/db\.o:.*\| *deps-check" "$T/db"
awk -v b="$T/b" '$0 ~ "^"b"/obj/cmd/crm\\.o:" {print}' "$T/db" >"$T/crm.o"
check "command objects too" grep -q '| *deps-check' "$T/crm.o"

# CRM_TEST_CLONE=1: a clean clone builds with make -j8 (slow: a whole build)
if [ "${CRM_TEST_CLONE:-0}" = 1 ] && command -v git >/dev/null; then
	git clone -q "$TOP" "$T/clone" 2>/dev/null
	(cd "$T/clone" && make -j8 >"$T/make.log" 2>&1)
	check "a clean clone builds with make -j8" [ $? -eq 0 ]
	check "every command is built" [ -x "$T/clone/build/bin/crm-contact" ]
else
	skip "the clean clone build (CRM_TEST_CLONE=1 runs it)"
fi
done_testing
