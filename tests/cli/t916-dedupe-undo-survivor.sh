#!/bin/bash
# crm-dedupe undo when the survivor changed or was deleted since the
# merge: refused (nothing written) unless --force.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Ann --email ann@x.example
expect_code 0 crm-contact add --first-name Anne --email anne@x.example --set city=Porto
expect_code 0 crm-contact add --first-name Bo --email bo@x.example
expect_code 0 crm-contact add --first-name Bob --email bob@x.example
printf 'cluster,id\n1,1\n1,2\n3,3\n3,4\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q

# survivor changed since
CRM_NOW=2026-11-23T00:00:00Z expect_code 0 crm-contact update 1 --set title=CEO
db_dump "" "$T/before"
expect_code 65 crm-dedupe undo 1
err_has "contact 1 changed since merge 1"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "refused: nothing written"
expect_code 0 crm-dedupe undo 1 --force
expect_code 0 crm-contact list -f csv --fields id,first_name,email,city,title -w 'id<=2'
expect_out "--force: both back, the later title kept" <<'X'
id,first_name,email,city,title
1,Ann,ann@x.example,,CEO
2,Anne,anne@x.example,Porto,
X

# survivor deleted since
expect_code 0 crm-contact delete 3
db_dump "" "$T/before"
expect_code 65 crm-dedupe undo 2
err_has "contact 3 (the survivor) was deleted since merge 2"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "refused: nothing written"
expect_code 0 crm-dedupe undo 2 --force
expect_code 0 crm-contact list --ids -w 'id>=3'
expect_out "--force brings the merged-away record back" <<'X'
4
X
done_testing
