#!/bin/bash
# A UTF-8 byte order mark before a --stdin id list (a file saved by Notepad
# or Excel) is not part of the first key; nor before records.
. "$(dirname "$0")/../lib.sh"

for n in a b c; do expect_code 0 crm-contact add -q --email $n@example.com; done
printf '\357\273\2771\r\n3\r\n' >"$T/ids.txt"
expect_code_in 0 "$T/ids.txt" crm-contact list --stdin -f csv --fields id,email
expect_out "ids after a BOM" <<'X'
id,email
1,a@example.com
3,c@example.com
X
printf '\357\273\277b@example.com\n' >"$T/keys.txt"
expect_code_in 0 "$T/keys.txt" crm-contact list --stdin -f csv --fields id
expect_out "an email after a BOM" <<'X'
id
2
X
printf '\357\273\277[{"id": 2}]\n' >"$T/recs.json"
expect_code_in 0 "$T/recs.json" crm-contact list --stdin -f csv --fields id
expect_out "JSON records after a BOM" <<'X'
id
2
X
printf '\357\273\277id,email\n3,c@example.com\n' >"$T/recs.csv"
expect_code_in 0 "$T/recs.csv" crm-contact delete -q --stdin
expect_code 0 crm-contact list -f csv --fields id
expect_out "CSV records after a BOM: deleted 3" <<'X'
id
1
2
X
done_testing
