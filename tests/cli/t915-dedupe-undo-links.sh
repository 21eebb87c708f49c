#!/bin/bash
# crm-dedupe undo re-points only the references the merge moved, and only
# where they still point to the survivor: a row moved elsewhere since
# stays where the user put it. The count it prints is the count restored.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Ann --email ann@x.example
expect_code 0 crm-contact add --first-name Anne --email anne@x.example
expect_code 0 crm-contact add --first-name Cy --email cy@x.example
for s in one two three; do
	expect_code 0 crm-activity log --type call --subject $s --contact anne@x.example --at '2026-11-20 10:00'
done
printf 'cluster,id\n1,1\n1,2\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q
sql "SELECT id, contact_id FROM activities ORDER BY id"
printf '1|1\n2|1\n3|1\n' >"$T/want"
compare "$T/want" "$T/sql" "the merge moved the activities to the survivor"
# the user moves one to Cy, and clears another
expect_code 0 crm-activity update 2 --set contact_id=3
expect_code 0 crm-activity update 3 --set contact_id=
expect_code 0 crm-dedupe undo 1
err_has "undid merge 1: 2 records restored, 1 link restored"
sql "SELECT id, ifnull(contact_id, '-') FROM activities ORDER BY id"
printf '1|2\n2|3\n3|-\n' >"$T/want"
compare "$T/want" "$T/sql" "only the link still at the survivor went back"
done_testing
