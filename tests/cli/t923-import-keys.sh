#!/bin/sh
# Import keys: importing the file just imported changes nothing, whatever
# --key says; a fallback key (email, phone, name) never makes a record
# take another record's identity: a row whose external_id differs from
# the matched record's is a new record.
. "$(dirname "$0")/../lib.sh"

cat >"$T/c.csv" <<'X'
external_id,first_name,email,phone
e1,Ann,ann@x.org,+351 912 000 001
e2,Bob,,+351 912 000 002
e3,Cid,cid@x.org,+351 912 000 003
e4,Dee,cid@x.org,+351 912 000 003
,Eve,eve@x.org,
X
for key in email external_id,email phone email,phone id,email; do
	db_fresh
	expect_code 0 crm-contact import --key "$key" "$T/c.csv"
	err_has "crm-contact: 5 inserted, 0 updated, 0 unchanged, 0 rejected"
	db_dump "" "$T/one.sql"
	expect_code 0 crm-contact import --key "$key" "$T/c.csv"
	err_has "crm-contact: 0 inserted, 0 updated, 5 unchanged, 0 rejected"
	db_dump "" "$T/two.sql"
	compare "$T/one.sql" "$T/two.sql" "--key $key: the second import changes nothing"
done

# a fallback key matching a record with another external_id: a new record
db_fresh
expect_code 0 crm-contact add --set external_id=crm-1 --set first_name=Old \
	--set email=x@x.org
printf 'external_id,first_name,email\nnew-9,New,x@x.org\n' >"$T/n.csv"
for key in email external_id,email; do
	expect_code 0 crm-contact import --key "$key" "$T/n.csv"
	sql "SELECT external_id || ':' || first_name FROM contacts ORDER BY id"
	printf 'crm-1:Old\nnew-9:New\n' >"$T/want"
	compare "$T/want" "$T/sql" "--key $key: crm-1 keeps its identity, new-9 is a new record"
done
# a record without an external_id takes the input's
expect_code 0 crm-contact add --set first_name=Nil --set email=nil@x.org
printf 'external_id,first_name,email\nsrc-7,Nil,nil@x.org\n' >"$T/m.csv"
expect_code 0 crm-contact import --key email "$T/m.csv"
err_has "0 inserted, 1 updated"
sql "SELECT id || ':' || external_id FROM contacts WHERE email = 'nil@x.org'"
check "a record without external_id takes the input's" [ "$(cat "$T/sql")" = 3:src-7 ]

# companies: the same name from two sources' records is two companies
printf 'external_id,name\nc-1,Acme\nc-2,Acme\n' >"$T/co.csv"
expect_code 0 crm-company import --key name "$T/co.csv"
err_has "crm-company: 2 inserted, 0 updated"
expect_code 0 crm-company import --key name "$T/co.csv"
err_has "crm-company: 0 inserted, 0 updated, 2 unchanged"

# the man pages say what happens
for page in crm-contact crm-company crm-lead crm-pipeline crm-ticket crm-activity; do
	check "$page(1) documents a fallback key's conflict" \
		grep -q 'another external id' "$TOP/man/man1/$page.1"
done

done_testing
