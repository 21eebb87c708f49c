#!/bin/bash
# Imports from a file read ahead on a second thread; from a pipe, or with
# CRM_THREADS=1, on one. Both must give the same database, the same reject
# file, the same messages and exit codes: on clean input, with bad rows
# (--reject, and without: all or nothing), with a bad quote part way,
# with updates of records read earlier in the same file, and when killed
# by a signal part way.
. "$(dirname "$0")/../lib.sh"

sh "$TOP/tests/bench/gen-contacts.sh" 6000 >"$T/c.csv"
# bad rows far apart (so both sides of the ring see some), and rows that
# update rows earlier in the file
awk 'NR == 1 || NR % 997 != 0 { print; next }
	{ sub(/@/, "@@"); print }' "$T/c.csv" >"$T/bad.csv"
printf 'crm-17,Updated,Later,,,,,,,,,,,customer\ncrm-5900,Again,,,,,,,,,,,,\n' >>"$T/bad.csv"

# each mode: file (ahead), CRM_THREADS=1 (one thread), pipe (one thread)
imp() { # mode db args...
	mode=$1 db=$2; shift 2
	# made first: a write that creates the database says so, naming it
	[ -e "$db" ] || crm init --db="$db" >/dev/null 2>&1 || not_ok "crm init --db=$db"
	case $mode in
	ahead) CRM_DB=$db crm-contact import "$@" ;;
	one) CRM_DB=$db CRM_THREADS=1 crm-contact import "$@" ;;
	pipe)
		f=${*: -1}
		set -- "${@:1:$(($# - 1))}"
		cat "$f" | CRM_DB=$db crm-contact import "$@" - ;;
	esac
}

for mode in ahead one pipe; do
	imp $mode "$T/$mode.db" --reject "$T/rej-$mode.csv" "$T/bad.csv" \
		>"$T/out-$mode" 2>"$T/err-$mode"
	echo "exit $?" >>"$T/err-$mode"
	expect_code 0 env CRM_DB="$T/$mode.db" crm-contact export -f csv; cp "$T/out" "$T/exp-$mode.csv"
done
check "6 bad rows rejected, the rest applied" grep -q "crm-contact: 5994 inserted, 2 updated, 0 unchanged, 6 rejected" "$T/err-ahead"
compare "$T/exp-one.csv" "$T/exp-ahead.csv" "--reject: read ahead or not, the same database"
compare "$T/exp-one.csv" "$T/exp-pipe.csv" "--reject: from a pipe, the same database"
compare "$T/rej-one.csv" "$T/rej-ahead.csv" "--reject: the same reject file"
check "the reject file has the 6 rows" [ "$(($(wc -l <"$T/rej-ahead.csv") - 1))" = 6 ]
compare "$T/err-one" "$T/err-ahead" "--reject: the same messages and exit code"
sed 's/<stdin>/bad.csv/' "$T/err-pipe" >"$T/err-pipe.named"
sed "s|$T/||" "$T/err-ahead" >"$T/err-ahead.named"
compare "$T/err-ahead.named" "$T/err-pipe.named" "--reject: from a pipe, the same messages"
check "a row read after the ring wrapped updated an earlier one" grep -q ",crm-17,Updated,Later," "$T/exp-ahead.csv"

# without --reject: the first bad row fails the whole file, same message
for mode in ahead one; do
	imp $mode "$T/all-$mode.db" "$T/bad.csv" >/dev/null 2>"$T/err2-$mode"
	echo "exit $?" >>"$T/err2-$mode"
	sqlite3 "$T/all-$mode.db" "SELECT count(*) FROM contacts" >>"$T/err2-$mode"
done
compare "$T/err2-one" "$T/err2-ahead" "all or nothing: the same error, nothing written"
check "it names the first bad row" grep -q "bad.csv:997: email:" "$T/err2-ahead"
check "exit 65, no contacts" grep -qx "exit 65" "$T/err2-ahead"

# a bad quote part way: a read error, never a rejected row
{ head -4001 "$T/c.csv"; printf 'crm-x,"Unclosed,Q,q@x.example,,,,,,,,,,\n'; tail -n +4002 "$T/c.csv"; } >"$T/quote.csv"
for mode in ahead one; do
	imp $mode "$T/q-$mode.db" --reject "$T/rq-$mode.csv" "$T/quote.csv" \
		>/dev/null 2>"$T/err3-$mode"
	echo "exit $?" >>"$T/err3-$mode"
	sqlite3 "$T/q-$mode.db" "SELECT count(*) FROM contacts" >>"$T/err3-$mode"
done
compare "$T/err3-one" "$T/err3-ahead" "a bad quote: the same error, nothing written"
check "exit 65" grep -qx "exit 65" "$T/err3-ahead"

# clean input: --emit in order, --dry-run writes nothing
expect_code 0 crm-contact import --emit -f csv --fields import_action,external_id "$T/c.csv"; cp "$T/out" "$T/emit-ahead"
expect_code 0 env CRM_DB="$T/emit1.db" CRM_THREADS=1 crm-contact import --emit -f csv --fields import_action,external_id "$T/c.csv"; cp "$T/out" "$T/emit-one"
compare "$T/emit-one" "$T/emit-ahead" "--emit: the same records in input order"
db_dump "$CRM_DB" "$T/dump.before"
expect_code 0 crm-contact import --dry-run "$T/c.csv"
err_has "dry run: 0 inserted, 0 updated, 6000 unchanged"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "--dry-run while reading ahead: nothing written"

# interrupted part way: exit 130, nothing written, no hang
sh "$TOP/tests/bench/gen-contacts.sh" 300000 >"$T/big.csv"
# (an import that ended before the signal came says nothing: again, sooner)
waits=100
for try in 1 2 3 4 5; do
	rm -f "$T/int.db" "$T/int.db-wal" "$T/int.db-shm"
	CRM_DB="$T/int.db" crm-contact import -q "$T/big.csv" 2>"$T/err4" &
	pid=$!
	for _ in $(seq $waits); do
		[ -s "$T/int.db-wal" ] && break
		sleep 0.05
	done
	kill -INT $pid 2>/dev/null
	wait $pid
	code=$?
	[ "$code" != 0 ] && break
	waits=$((waits / 2 > 2 ? waits / 2 : 2))
done
check "SIGINT while reading ahead: exit 130 (got $code)" [ "$code" = 130 ]
sqlite3 "$T/int.db" "SELECT count(*) FROM contacts" >"$T/sql"
compare - "$T/sql" "SIGINT: nothing written" <<<'0'
done_testing
