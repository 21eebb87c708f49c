#!/bin/bash
# A merged-away record stays merged: importing the source file again (by
# external_id or email, or an export with ids) updates the survivor and
# never brings the duplicate back. The survivor keeps its own
# external_id and email.
. "$(dirname "$0")/../lib.sh"

cat >"$T/src.csv" <<'X'
external_id,first_name,last_name,email,phone,city
a1,Ann,Lee,ann@x.example,+1 415 555 0101,Lisbon
a2,Anne,Lee,anne.lee@y.example,+1 415 555 0199,
X
expect_code 0 crm-contact import "$T/src.csv"
expect_code 0 crm-contact export -f csv
cp "$T/out" "$T/export.csv"
printf 'cluster,id\n1,1\n1,2\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q
expect_code 0 crm-contact list --ids
expect_out "one record left" <<<'1'

# the source again, keyed by external_id (the default keys)
expect_code 0 crm-contact import "$T/src.csv"
expect_code 0 crm-contact list --ids
expect_out "re-import by external_id: no resurrection" <<<'1'
expect_code 0 crm-contact show 1 -f csv --fields external_id,email
expect_out "the survivor keeps its own keys" <<'X'
external_id,email
a1,ann@x.example
X
# by email only
cut -d, -f2- "$T/src.csv" >"$T/by-email.csv"
expect_code 0 crm-contact import --key email "$T/by-email.csv"
expect_code 0 crm-contact list --ids
expect_out "re-import by email: no resurrection" <<<'1'
# an export taken before the merge, ids and all
expect_code 0 crm-contact import "$T/export.csv"
expect_code 0 crm-contact list --ids
expect_out "re-import of an old export: no resurrection" <<<'1'

# undo of the merge takes the secondary identities away again
expect_code 0 crm-dedupe undo 1
expect_code 0 sql "SELECT count(*) FROM crm_identities"
printf '0\n' >"$T/want"
compare "$T/want" "$T/sql" "no identities left after the undo"
done_testing
