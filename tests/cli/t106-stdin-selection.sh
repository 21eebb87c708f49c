#!/bin/bash
# --stdin selects records by keys, one per line, or by the id column of
# records (CSV, TSV, JSON, NDJSON), so one command's output pipes into the
# next: crm-score leads --changed | crm-lead assign --stdin.
. "$(dirname "$0")/../lib.sh"

printf 'external_id,first_name,email\na1,Ann,ann@x.io\nb2,Bob,bob@x.io\nc3,Cy,cy@x.io\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
printf '3\nann@x.io\nb2\n' >"$T/keys"
expect_code_in 0 "$T/keys" crm-contact list --stdin --ids
expect_out "keys one per line: id, email, external id" <<'X'
1
2
3
X
printf 'id,first_name\n2,Bob\n3,Cy\n' >"$T/recs.csv"
expect_code_in 0 "$T/recs.csv" crm-contact list --stdin --ids
expect_out "CSV records: their id column" <<'X'
2
3
X
printf '[{"id":1},{"id":3}]\n' >"$T/recs.json"
expect_code_in 0 "$T/recs.json" crm-contact list --stdin --ids
expect_out "JSON records" <<'X'
1
3
X
printf 'id\tfirst_name\n1\tAnn\n' >"$T/recs.tsv"
expect_code_in 0 "$T/recs.tsv" crm-contact delete --stdin
err_has "deleted 1 contact"
printf 'name,email\nAnn,ann@x.io\n' >"$T/noid.csv"
expect_code_in 65 "$T/noid.csv" crm-contact list --stdin --ids
err_has "crm-contact:<stdin>:2: id: --stdin records need an id column"
printf 'id\n99\n' >"$T/missing.csv"
expect_code_in 66 "$T/missing.csv" crm-contact list --stdin --ids
err_has "no contact '99'"
: >"$T/empty"
expect_code_in 0 "$T/empty" crm-contact list --stdin --ids
expect_out "nothing on stdin selects nothing" </dev/null

# DESIGN.md's pipe, through a file so each status is checked
expect_code 0 crm-lead add --first-name Lea --email lea@x.io --ids
expect_code 0 crm-score leads --changed
cp "$T/out" "$T/changed.csv"
expect_code_in 0 "$T/changed.csv" crm-lead assign --stdin
expect_code 0 crm-lead show 1 -f csv --fields owner
expect_out "the changed lead got an owner" <<'X'
owner
lead-desk
X
done_testing
