# tests/lib.sh - sourced by every CLI test: a fresh database, a pinned clock,
# and helpers that print TAP lines. Check the exit code of every command
# under test; never pipe one into another (the pipe hides its status).
set -u
BUILD=${BUILD:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH="$TOP/$BUILD/bin:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/crm-test.XXXXXX")
# A job started with & is a fork of this shell until it execs: a signal a
# test sends it then (a kill at 0 ms) would run this shell's EXIT trap in
# it and remove $T (or drop the test's database) under the test. Only the
# test's own shell cleans up.
main_shell() { [ "$BASHPID" = "$$" ]; }
trap 'main_shell && rm -rf "$T"' EXIT
export LC_ALL=C TZ=UTC CRM_NOW=2026-11-22T09:30:00Z CRM_USER=tester \
	CRM_DB="$T/crm.db" HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" \
	CRM_SHARE="$TOP/share/crm" NO_COLOR=1
unset CRM_PHONE_COUNTRY CRM_BUSY_TIMEOUT COLUMNS
DATA="$TOP/tests/data"
export LSAN_OPTIONS="print_suppressions=0:suppressions=$TOP/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# GLib's slice allocator keeps per-thread magazines that only thread-
# specific data points to; GLib documents G_SLICE=always-malloc for
# memory checkers. With magazines, LeakSanitizer's tracer crashed
# (SIGSEGV) reading the main thread's TLS after crm-flow built two mails
# (t975 under make check-san, depending on the heap's layout).
export G_SLICE=always-malloc
tap_n=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() { tap_n=$((tap_n + 1)); echo "not ok $tap_n - $1"; }
# skip REASON: a check that cannot run here (TAP "ok N # skip REASON");
# tests/run.sh counts it as skipped, never as passed.
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # skip $1"; }
check() { # description, then a command whose status says pass or fail
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# run CMD...: stdout in $T/out, stderr in $T/err, status in $rc.
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# run_in FILE CMD...: the same with stdin from FILE.
run_in() { f=$1; shift; "$@" <"$f" >"$T/out" 2>"$T/err"; rc=$?; }

# expect_code N CMD...: runs CMD and checks its exit status.
expect_code() {
	want=$1; shift
	run "$@"
	if [ "$rc" -eq "$want" ]; then ok "exit $want: $*"
	else
		not_ok "exit $want: $* (got $rc)"
		sed 's/^/#   err: /' "$T/err" | head -5
	fi
}
# expect_code_in N FILE CMD...: the same with stdin from FILE.
expect_code_in() {
	want=$1; f=$2; shift 2
	run_in "$f" "$@"
	if [ "$rc" -eq "$want" ]; then ok "exit $want: $* < $(basename "$f")"
	else
		not_ok "exit $want: $* < $(basename "$f") (got $rc)"
		sed 's/^/#   err: /' "$T/err" | head -5
	fi
}
# compare EXPECTED_FILE ACTUAL_FILE description
compare() {
	if cmp -s "$1" "$2"; then ok "$3"
	else
		not_ok "$3"
		diff -u "$1" "$2" | head -40 | sed 's/^/#   /'
	fi
}
# expect_out description: compares $T/out with the text on stdin.
expect_out() { cat >"$T/want"; compare "$T/want" "$T/out" "$1"; }
# expect_err description: compares $T/err with the text on stdin.
expect_err() { cat >"$T/want"; compare "$T/want" "$T/err" "$1"; }
# err_has TEXT: stderr contains TEXT (fixed string).
err_has() {
	if grep -qF -- "$1" "$T/err"; then ok "stderr has: $1"
	else not_ok "stderr has: $1"; sed 's/^/#   err: /' "$T/err" | head -5; fi
}
out_has() {
	if grep -qF -- "$1" "$T/out"; then ok "stdout has: $1"
	else not_ok "stdout has: $1"; sed 's/^/#   out: /' "$T/out" | head -5; fi
}
# A dump of the database, to prove a failed command changed nothing (on
# PostgreSQL: every table's rows, sorted).
db_dump() {
	case ${1:-$CRM_DB} in
	postgresql:* | postgres:*)
		# one psql for all the tables (one each took seconds a dump)
		for t in $(psql "${1:-$CRM_DB}" -X -A -t -q -c "SELECT \
table_name FROM information_schema.tables WHERE table_schema = \
'public' ORDER BY 1"); do
			printf '\\echo -- %s\nSELECT * FROM %s ORDER BY CAST(%s AS text) COLLATE "C";\n' \
				"$t" "$t" "$t"
		done | psql "${1:-$CRM_DB}" -X -A -t -q -v ON_ERROR_STOP=1 >"$2" ;;
	*) sqlite3 "${1:-$CRM_DB}" .dump >"$2" ;;
	esac
}
# sql QUERY: run a query with the sqlite3 shell (list mode) into $T/sql;
# with psql (unaligned, '|' between columns) when $CRM_DB is a
# PostgreSQL URL.
sql() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		psql "$CRM_DB" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1" >"$T/sql" ;;
	*) sqlite3 -batch "$CRM_DB" "$1" >"$T/sql" ;;
	esac
}
# db_save NAME, db_same NAME, db_restore NAME: keep the database as it is
# now, check that it still is (cmp of the SQLite file, byte for byte; on
# PostgreSQL its db_dump), put it back (on PostgreSQL from a copy made
# with CREATE DATABASE ... TEMPLATE, dropped at the end).
# The PostgreSQL scripts that compare the engines run the same commands
# once per engine (setting engine=lite|pg and n=0 first): keep files the
# last stdout as the n-th output of $engine, and engines_same [WHAT]
# checks each one the same on both.
keep() { n=$((n + 1)); cp "$T/out" "$T/$engine.$n"; }
engines_same() {
	local i=1
	while [ "$i" -le "$n" ]; do
		compare "$T/lite.$i" "$T/pg.$i" "${1:-output} $i the same on SQLite and PostgreSQL"
		i=$((i + 1))
	done
}
# refuse OP TABLE [WHEN [ERRCODE]]: a trigger "boom" that refuses OP
# (INSERT or UPDATE) on TABLE with "refused by a trigger", for the rows WHEN
# holds (NEW. and OLD. columns: the same text on both engines); ERRCODE
# names PostgreSQL's SQLSTATE (check_violation: a constraint's). unrefuse
# TABLE drops it. The error paths' tests use them to make a write fail.
refuse() {
	local when=${3:+ WHEN ($3)}
	case $CRM_DB in
	postgresql:* | postgres:*)
		sql "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a trigger'${4:+ USING ERRCODE = '$4'}; END\$\$; CREATE TRIGGER boom BEFORE $1 ON $2 FOR EACH ROW$when EXECUTE FUNCTION boom()" ;;
	*) sql "CREATE TRIGGER boom BEFORE $1 ON $2$when BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" ;;
	esac || not_ok "create the trigger"
}
# kept NAME: the last run's exit code, stdout and stderr ($rc, $T/out,
# $T/err) and a dump of the database, as $T/NAME.rc, .out, .err and .db;
# runs_same A B WHAT: two kept runs gave the same of each (a test that
# runs one command two ways, as in pages of different sizes).
kept() {
	echo "$rc" >"$T/$1.rc"
	cp "$T/out" "$T/$1.out"
	cp "$T/err" "$T/$1.err"
	db_dump "$CRM_DB" "$T/$1.db"
}
runs_same() {
	compare "$T/$1.rc" "$T/$2.rc" "$3: the same exit code"
	compare "$T/$1.out" "$T/$2.out" "$3: the same output"
	compare "$T/$1.err" "$T/$2.err" "$3: the same summary"
	compare "$T/$1.db" "$T/$2.db" "$3: the same database"
}
# in_pages FN NAME PAGE... [-- ARG...]: FN NAME ARG... (a function that
# runs one command from a saved database and keeps the run with kept),
# then again with $CRM_TEST_PAGE at each PAGE, kept as NAME.PAGE and
# checked the same as the first with runs_same: a verb that reads its rows
# a page at a time must do what one read does.
in_pages() {
	local fn=$1 name=$2 p pages=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pages+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	"$fn" "$name" "$@"
	for p in "${pages[@]}"; do
		CRM_TEST_PAGE=$p "$fn" "$name.$p" "$@"
		runs_same "$name" "$name.$p" "${*:-$name} in pages of $p"
	done
}
# refused_run CMD...: CMD, a write of which refuse makes fail, exits with
# refused_code's status and the refusal, and leaves the database as it was.
refused_run() {
	local want
	want=$(refused_code)
	db_dump "$CRM_DB" "$T/refused.before"
	run "$@"
	check "refused: the run fails with $want (got $rc): $*" [ "$rc" = "$want" ]
	err_has "refused by a trigger"
	db_dump "$CRM_DB" "$T/refused.after"
	compare "$T/refused.before" "$T/refused.after" "refused: the run writes nothing: $*"
}
# like_init DB LABEL: the SQLite database DB has the schema, indexes and
# all, that `crm init` makes (as $T/init.db, made here unless the test
# made it) and passes integrity_check: what an import that dropped its
# indexes and made them again must leave (t099-sqlite-*-bulk).
like_init() {
	[ -f "$T/init.db" ] || crm init --db "$T/init.db" >/dev/null 2>&1 ||
		not_ok "crm init --db $T/init.db"
	sqlite3 -batch "$T/init.db" .schema | sort >"$T/init.schema"
	sqlite3 -batch "$1" .schema | sort >"$T/like.schema"
	compare "$T/init.schema" "$T/like.schema" "$2: the schema and indexes crm init makes"
	CRM_DB=$1 sql "PRAGMA integrity_check"
	check "$2: integrity_check ok" grep -qx ok "$T/sql"
}
# refused_code: the exit status of a command whose write refuse made
# fail: 65 on SQLite (RAISE(ABORT) is a constraint's failure), 70 on
# PostgreSQL (RAISE EXCEPTION without a constraint's ERRCODE is not).
refused_code() {
	case $CRM_DB in
	postgresql:* | postgres:*) echo 70 ;;
	*) echo 65 ;;
	esac
}
unrefuse() {
	case $CRM_DB in
	postgresql:* | postgres:*) sql "DROP TRIGGER boom ON $1; DROP FUNCTION boom()" ;;
	*) sql "DROP TRIGGER boom" ;;
	esac || not_ok "drop the trigger"
}
db_save() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		db_dump "$CRM_DB" "$T/$1"
		pg_copy=${pg_name}_$(printf %s "$1" | tr -c 'a-z0-9' _)
		pg_saved="$pg_saved $pg_copy"
		psql "$CRM_TEST_PG" -X -q -c "DROP DATABASE IF EXISTS $pg_copy" \
			-c "CREATE DATABASE $pg_copy TEMPLATE $pg_name" >/dev/null ;;
	*) cp "$CRM_DB" "$T/$1" ;;
	esac
}
db_same() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		db_dump "$CRM_DB" "$T/$1.now" && cmp -s "$T/$1" "$T/$1.now" ;;
	*) cmp -s "$CRM_DB" "$T/$1" ;;
	esac
}
db_restore() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		pg_copy=${pg_name}_$(printf %s "$1" | tr -c 'a-z0-9' _)
		psql "$CRM_TEST_PG" -X -q -c "DROP DATABASE $pg_name" \
			-c "CREATE DATABASE $pg_name TEMPLATE $pg_copy" >/dev/null ;;
	*)
		cp "$T/$1" "$CRM_DB"
		rm -f "$CRM_DB-wal" "$CRM_DB-shm" ;;
	esac
}
# db_integrity: "ok" into $T/sql when the database is sound (SQLite's
# PRAGMA integrity_check; on PostgreSQL amcheck's bt_index_check of every
# index of the schema, with every row found in it).
db_integrity() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		sql "CREATE EXTENSION IF NOT EXISTS amcheck; SELECT CASE WHEN \
count(bt_index_check(c.oid, true)) >= 0 THEN 'ok' END FROM pg_index i JOIN \
pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN \
pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND \
n.nspname = current_schema()" ;;
	*) sql "PRAGMA integrity_check" ;;
	esac
}
# db_fresh: start again from no database (the SQLite file removed; on
# PostgreSQL an empty database in its place: crm's next write makes the
# schema, as it makes the file).
db_fresh() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		psql "$CRM_TEST_PG" -X -q -c "DROP DATABASE $pg_name" && pg_newdb ;;
	*) rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm" ;;
	esac
}
# CRM_TEST_ENGINE=pg (tests/pg.sh sets it for the scripts it runs on
# PostgreSQL) and $CRM_TEST_PG: the script's database is a fresh one on
# that server, dropped at the end; SQLite's ifnull(), json_extract()
# (paths '$.a.b') and printf() (%d, %s, %.Nf) are defined there for the
# scripts' queries.
if [ "${CRM_TEST_ENGINE:-}" = pg ] && [ -n "${CRM_TEST_PG:-}" ]; then
	pg_name="crm_t_$$_$(date +%s%N)"
	case $CRM_TEST_PG in
	*://*\?*) CRM_DB="$CRM_TEST_PG&dbname=$pg_name" ;;
	*://*) CRM_DB="$CRM_TEST_PG?dbname=$pg_name" ;;
	*) CRM_DB="$CRM_TEST_PG dbname=$pg_name" ;;
	esac
	pg_saved=
	trap 'main_shell && { for d in $pg_name $pg_saved; do psql "$CRM_TEST_PG" -X -q -c \
"DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done; rm -rf "$T"; }' EXIT
	# pg_newdb: the script's database, with those functions
	pg_newdb() {
		psql "$CRM_TEST_PG" -X -q -c "CREATE DATABASE $pg_name" &&
			psql "$CRM_DB" -X -q -c "CREATE FUNCTION ifnull(anycompatible, \
anycompatible) RETURNS anycompatible LANGUAGE sql AS 'SELECT \
coalesce(\$1, \$2)'; CREATE FUNCTION ifnull(bigint, text) RETURNS text \
LANGUAGE sql AS 'SELECT coalesce(CAST(\$1 AS text), \$2)'; \
CREATE FUNCTION json_extract(jsonb, text) RETURNS text LANGUAGE sql AS \
'SELECT \$1 #>> string_to_array(substr(\$2, 3), ''.'')'; \
CREATE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql AS \
'SELECT CAST(\$1 AS jsonb) #>> string_to_array(substr(\$2, 3), ''.'')'; \
CREATE FUNCTION printf(text, VARIADIC double precision[]) RETURNS text \
LANGUAGE plpgsql AS \$\$DECLARE o text := ''; r text := \$1; \
i int := 1; m text[]; BEGIN LOOP m := regexp_match(r, \
'^(.*?)%(\\.([0-9]+))?([dfs])'); EXIT WHEN m IS NULL; o := o || m[1] || \
CASE m[4] WHEN 'd' THEN CAST(CAST(trunc(\$2[i]) AS bigint) AS text) WHEN \
'f' THEN CAST(round(CAST(\$2[i] AS numeric), CAST(coalesce(m[3], '6') AS \
int)) AS text) ELSE CAST(\$2[i] AS text) END; r := substr(r, \
length(m[1]) + length(coalesce(m[2], '')) + 3); i := i + 1; END LOOP; \
RETURN o || r; END\$\$"
	}
	if pg_newdb
	then
		echo "ok 0 - on PostgreSQL: database $pg_name"
	else
		echo "not ok 0 - on PostgreSQL: cannot create database $pg_name"
	fi
fi
done_testing() { echo "1..$tap_n"; }
# pg_scratch_db: for a t099-pg-* script that runs both engines itself, a
# database of its own on $CRM_TEST_PG (its connection string in $PGDB,
# dropped at exit); without $CRM_TEST_PG the script skips and ends here.
pg_scratch_db() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
		done_testing
		exit 0
	fi
	pg_scratch="crm_scratch_$$_$(date +%s)"
	case $CRM_TEST_PG in
	*://*\?*) PGDB="$CRM_TEST_PG&dbname=$pg_scratch" ;;
	*://*) PGDB="$CRM_TEST_PG?dbname=$pg_scratch" ;;
	*) PGDB="$CRM_TEST_PG dbname=$pg_scratch" ;;
	esac
	trap 'main_shell && { psql "$CRM_TEST_PG" -X -q -c "DROP DATABASE IF EXISTS $pg_scratch" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
	check "create the test database $pg_scratch" psql "$CRM_TEST_PG" -X -q \
		-v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_scratch"
}
