#!/bin/bash
# The survivor of a merge stays findable by the merged-away record's id,
# email, phone and external id (its secondary identities): in show, in
# --where and in import key matching. Undo of the merge takes them away.
. "$(dirname "$0")/../lib.sh"

cat >"$T/src.csv" <<'X'
external_id,first_name,email,phone
a1,Ann,ann@x.example,+1 415 555 0101
a2,Anne,Anne.Lee@Y.example,+1 415 555 0199
X
expect_code 0 crm-contact import "$T/src.csv"
printf 'cluster,id\n1,1\n1,2\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q

for k in 2 a2 anne.lee@y.example '+1 (415) 555-0199'; do
	expect_code 0 crm-contact show "$k" --ids
	expect_out "show '$k' finds the survivor" <<<'1'
done
for w in id=2 external_id=a2 email=anne.lee@y.example 'phone=+1 415 555 0199'; do
	expect_code 0 crm-contact list -w "$w" --ids
	expect_out "--where $w finds the survivor" <<<'1'
done
# import keys: a row known only by the merged-away phone updates the
# survivor (and its own phone stays)
printf 'phone,title\n+14155550199,CTO\n' >"$T/p.csv"
expect_code 0 crm-contact import --key phone "$T/p.csv"
err_has "0 inserted, 1 updated"
expect_code 0 crm-contact show 1 -f csv --fields title,phone
expect_out "import by a secondary phone updated the survivor" <<'X'
title,phone
CTO,+1 415 555 0101
X

expect_code 0 crm-dedupe undo 1 --force
expect_code 0 crm-contact show a2 --ids
expect_out "after the undo a2 is its own record again" <<<'2'
expect_code 0 crm-contact list -w email=anne.lee@y.example --ids
expect_out "and --where finds it, not the survivor" <<<'2'
done_testing
