#!/bin/bash
# A merge finds its clusters and merges them in one write transaction
# (BEGIN IMMEDIATE first): while it reads or computes its clusters no
# other command can delete or add a record under it, so nothing is ever
# merged by a stale id. A stale id given on stdin is refused.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Ann --email ann@x.example
expect_code 0 crm-contact add --first-name Anne --email anne@x.example
expect_code 0 crm-contact add --first-name Cy --email cy@x.example

# the merge holds the write lock from before it reads its clusters
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
crm-dedupe merge --stdin -q <"$T/fifo" >"$T/merge.out" 2>"$T/merge.err" 3>&- &
pid=$!
sleep 1
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact delete 2
printf 'cluster,id\n1,1\n1,2\n' >&3
exec 3>&-
wait $pid
mrc=$?
check "the merge went through (exit $mrc)" [ $mrc -eq 0 ]
check "and printed its survivor" [ "$(wc -l <"$T/merge.out")" -eq 2 ]
expect_code 0 crm-contact list --ids
expect_out "merged: 2 is gone, by the merge" <<'X'
1
3
X

# a stale id (a record deleted since the clusters were found) is refused
expect_code 0 crm-contact delete 3
printf 'cluster,id\n5,1\n5,3\n' >"$T/cl.csv"
db_dump "" "$T/before"
expect_code_in 66 "$T/cl.csv" crm-dedupe merge --stdin
err_has "no contact 3"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing merged by a stale id"
done_testing
