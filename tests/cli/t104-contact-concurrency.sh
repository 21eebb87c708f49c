#!/bin/bash
# Crash safety and concurrency: an import killed part way leaves the database
# consistent and without partial rows; two imports at once both succeed;
# 40 adds started at once all succeed.
. "$(dirname "$0")/../lib.sh"

sh "$TOP/tests/bench/gen-contacts.sh" 150000 >"$T/big.csv"
expect_code 0 crm-contact add -q --first-name Seed --external-id seed
for delay in 0.3 0.8 1.5; do
	crm-contact import -q "$T/big.csv" 2>/dev/null &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	sql "PRAGMA integrity_check"
	check "killed after ${delay}s: integrity_check ok" grep -qx ok "$T/sql"
	sql "SELECT count(*) FROM contacts"
	check "killed after ${delay}s: all or nothing" grep -qxE '1|150001' "$T/sql"
	sql "DELETE FROM contacts WHERE external_id <> 'seed'"
done

# SIGINT and SIGTERM during an import roll back and say so
for sig in INT TERM; do
	crm-contact import "$T/big.csv" 2>"$T/err" &
	pid=$!
	sleep 0.8
	kill -$sig $pid
	wait $pid
	rc=$?
	check "SIG$sig during import exits 130" [ $rc -eq 130 ]
	err_has "interrupted: rolled back, nothing was written"
	sql "SELECT count(*) FROM contacts"
	check "SIG$sig: nothing was written" grep -qx 1 "$T/sql"
done

# two imports into one database at the same time
sh "$TOP/tests/bench/gen-contacts.sh" 20000 >"$T/a.csv"
sed -e 's/^crm-/b-/' -e 's/User\./Other./' "$T/a.csv" >"$T/b.csv"
crm-contact import -q "$T/a.csv" 2>"$T/err.a" & pa=$!
crm-contact import -q "$T/b.csv" 2>"$T/err.b" & pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check "first concurrent import succeeded" [ $ra -eq 0 ]
check "second concurrent import succeeded" [ $rb -eq 0 ]
sql "SELECT count(*) FROM contacts"
check "both imports landed (40001 rows)" grep -qx 40001 "$T/sql"

# 40 adds at once
pids=()
for i in $(seq 1 40); do
	crm-contact add -q --first-name "P$i" --external-id "p$i" --ids >"$T/add.$i" 2>&1 &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
check "40 concurrent adds all exit 0" [ $fails -eq 0 ]
sql "SELECT count(*) FROM contacts WHERE external_id LIKE 'p%'"
check "40 concurrent adds all stored" grep -qx 40 "$T/sql"

# a writer that cannot get the lock within the busy timeout exits 75
sqlite3 "$CRM_DB" "BEGIN IMMEDIATE; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) FROM c; COMMIT;" >/dev/null &
locker=$!
sleep 0.5
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact add --first-name Late
err_has "database is busy"
wait $locker
done_testing
