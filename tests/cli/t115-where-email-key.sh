#!/bin/bash
# --where email=X on SQLite also compares the email_key column (so the
# index finds the rows instead of a scan): the answer stays SQLite's
# NOCASE equality, ASCII case ignored and nothing else folded, for
# contacts and leads, with alternatives, != and the other fields; on
# PostgreSQL (lower() = lower(), no key) the same answers but one.
. "$(dirname "$0")/../lib.sh"

cat >"$T/c.csv" <<'X'
external_id,first_name,email,owner
c1,Ann,Ann.Lee@Acme.example,kim
c2,Bob,bob@acme.example,lou
c3,Cy,ann.lee@gmail.com,kim
c4,Dé,Émile@acme.example,kim
c5,Eve,,kim
X
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 0 crm-contact list --ids --where email=ANN.LEE@ACME.EXAMPLE
expect_out "ASCII case is ignored on both sides" <<<'1'
expect_code 0 crm-contact list --ids --where 'email=ann.lee@acme.example,BOB@acme.example'
expect_out "alternatives: either email" <<'X'
1
2
X
# the key folds gmail dots (annlee@gmail.com): = does not, so the key
# never widens the answer
expect_code 0 crm-contact list --ids --where email=annlee@gmail.com
expect_out "gmail dots: not equal as an email" </dev/null
expect_code 0 crm-contact list --ids --where email=ann.lee@gmail.com
expect_out "the gmail address as written" <<<'3'
# NOCASE folds ASCII only: É is not é (PostgreSQL compares lower() of
# both sides, which folds it: the engines differed before the key too)
expect_code 0 crm-contact list --ids --where email=émile@acme.example
if [ "${CRM_TEST_ENGINE:-sqlite}" = pg ]; then
	expect_out "PostgreSQL: lower() folds É" <<<'4'
else
	expect_out "non-ASCII case is not folded" </dev/null
fi
expect_code 0 crm-contact list --ids --where email=Émile@ACME.example
expect_out "non-ASCII as stored, ASCII case ignored" <<<'4'
# != is the negation; a contact without an email is neither
expect_code 0 crm-contact list --ids --where 'email!=bob@ACME.example'
expect_out "!= keeps the others with an email" <<'X'
1
3
4
X
expect_code 0 crm-contact list --ids --where email=Bob@acme.example --where owner=kim
expect_out "with another condition: nothing" </dev/null
expect_code 0 crm-contact list --ids --where email=nobody@acme.example
expect_out "no such email" </dev/null
expect_code 0 crm-contact list --ids --where email=not-an-email
expect_out "not an email: nothing, no error (as before)" </dev/null

# leads have an email_key too
printf 'first_name,email\nLu,Lu.Ma@Acme.example\nMo,mo@acme.example\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
expect_code 0 crm-lead list --ids --where email=lu.ma@ACME.EXAMPLE
expect_out "leads: case ignored" <<<'1'
done_testing
