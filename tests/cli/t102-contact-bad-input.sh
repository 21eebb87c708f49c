#!/bin/bash
# Every class of bad input: exit 65 (64 for usage), a message naming the
# input, line and field, and the database exactly as before.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact import -q <<'X'
external_id,first_name,email
a1,Ann,ann@example.com
X
db_dump "$CRM_DB" "$T/before"

bad() { # description, expected code, expected message, printf format of the input
	d=$1 code=$2 msg=$3
	printf "$4" >"$T/in"
	expect_code "$code" crm-contact import "$T/in"
	err_has "$msg"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "$d: database unchanged"
}

bad "bad quote" 65 "crm-contact:$T/in:3" 'external_id,first_name\nb1,Bob\nb2,"Bo"b\n'
bad "unterminated quote" 65 "crm-contact:$T/in:3" 'external_id,first_name\nb1,Bob\nb2,"Bob\n'
bad "ragged row" 65 "expected 2 fields, found 3" 'external_id,first_name\nb1,Bob\nb2,Bo,extra\n'
bad "invalid UTF-8" 65 "invalid UTF-8" 'external_id,first_name\nb1,Bob\nb2,B\xffb\n'
bad "bad JSON" 65 "crm-contact:$T/in:3" '[{"external_id":"b1","first_name":"Bob"},\n{"external_id":"b2",\n "first_name": }]\n'
bad "bad NDJSON line" 65 "crm-contact:$T/in:2" '{"external_id":"b1","first_name":"Bob"}\n{"external_id":"b2","first_name":"x"\n'
bad "bad email" 65 "crm-contact:$T/in:3: email: invalid address 'bea@'" 'external_id,first_name,email\nb1,Bob,bob@example.com\nb2,Bea,bea@\n'
bad "bad phone" 65 "crm-contact:$T/in:2: phone: " 'external_id,first_name,phone\nb1,Bob,call me maybe\n'
bad "bad enum" 65 "crm-contact:$T/in:3: lifecycle_stage: unknown value 'whale'" 'external_id,first_name,lifecycle_stage\nb1,Bob,customer\nb2,Bea,whale\n'
bad "record without name, email or phone" 65 "crm-contact:$T/in:2: a contact needs a name" 'external_id,title\nb1,CEO\n'
bad "duplicate column" 65 "duplicate column 'first_name'" 'external_id,first_name,first_name\nb1,Bob,Bob\n'
bad "impossible date" 65 "created_at: " 'external_id,first_name,created_at\nb1,Bob,2026-02-30\n'
bad "JSON element not an object" 65 "expected a JSON object" '[{"external_id":"b1","first_name":"Bob"}, 42]\n'

# --where: unknown fields and bad operators are usage errors
expect_code 64 crm-contact list --where 'shoe_size=44'
err_has "unknown contact field 'shoe_size'"
expect_code 64 crm-contact list --where 'first_name'
err_has "expected FIELD OP VALUE"
expect_code 64 crm-contact list --where 'created_at>yesterday'
expect_code 64 crm-contact list --where 'lifecycle_stage=whale'
expect_code 64 crm-contact list --fields id,nope
err_has "unknown contact field 'nope'"
expect_code 64 crm-contact list --sort nope
# an injection attempt is only ever a value
expect_code 0 crm-contact list --ids --where "email=x' OR '1'='1"
expect_out "injection in a value matches nothing" </dev/null
expect_code 0 crm-contact list --ids --where "first_name~Ann'); DROP TABLE contacts;--"
expect_out "injection in a ~ value matches nothing" </dev/null
expect_code 0 crm-contact list --ids --where "first_name~%"
expect_out "% in a ~ value is literal" </dev/null
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "database unchanged after the injection attempts"

# --reject loads the good rows and writes the bad ones, ready to fix
printf 'external_id,first_name,email\nc1,Cy,cy@example.com\nc2,Di,di@\nc3,Ed,ed@example.com\n' >"$T/in"
expect_code 3 crm-contact import --reject "$T/rej.csv" "$T/in"
err_has "2 inserted, 0 updated, 0 unchanged, 1 rejected"
cat >"$T/want" <<'X'
external_id,first_name,email,error_line,error
c2,Di,di@,3,email: invalid address 'di@': empty domain
X
compare "$T/want" "$T/rej.csv" "reject file holds the bad row with its line and error"
expect_code 73 crm-contact import --reject "$T/rej.csv" "$T/in"
err_has "exists; --force replaces it"
sed -i 's/di@,/di@example.com,/' "$T/rej.csv"
expect_code 0 crm-contact import "$T/rej.csv"
err_has "1 inserted, 0 updated, 0 unchanged, 0 rejected"
expect_code 0 crm-contact show c2 -f csv --fields email
expect_out "fixed reject file re-imports, error columns dropped" <<'X'
email
di@example.com
X
expect_code 66 crm-contact import "$T/missing.csv"
err_has "cannot open '$T/missing.csv'"
done_testing
