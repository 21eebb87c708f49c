#!/bin/bash
# Each kind of change has one undo: a merge's change number given to an
# entity's undo is refused (naming crm-dedupe undo), so no merge is ever
# half undone; nor is the change of a merge's undo redone by it.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Ann --email ann@x.example --set city=Lisbon
expect_code 0 crm-contact add --first-name Anne --email anne@x.example --set city=Porto
printf 'cluster,id\n1,1\n1,2\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q
sql "SELECT change_id FROM crm_merges WHERE id = 1"
mc=$(cat "$T/sql")
db_dump "" "$T/before"
expect_code 65 crm-contact undo "$mc"
err_has "change $mc is merge 1: 'crm-dedupe undo 1' undoes it"
expect_code 65 crm-company undo "$mc"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "an entity undo of a merge writes nothing"

expect_code 0 crm-dedupe undo 1
sql "SELECT id FROM crm_changes WHERE undo_of = $mc"
uc=$(cat "$T/sql")
expect_code 65 crm-contact undo "$uc"
err_has "change $uc undid merge 1: 'crm-dedupe merge' merges those records again"
expect_code 0 crm-contact list --ids
expect_out "both records are back, and stay" <<'X'
1
2
X
done_testing
