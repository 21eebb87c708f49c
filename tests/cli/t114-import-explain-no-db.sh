#!/bin/bash
# import --explain-mapping is a read: it changes nothing, so it never
# creates a database. Without one it still prints the whole mapping (exit
# 0), only without the custom fields a database would know; with one it
# uses them, and the file stays as it was. Every noun's import, --from and
# a bad --map alike; the checks an import makes (lead duplicates) are not
# run.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
printf 'E-mail,First Name,Create Date,Shoe Size\r\nann@acme.example,Ann,11/22/2026 3:04 PM,39\r\n' >in.csv

db="$T/typo/crm.db"
CRM_DB=$db expect_code 0 crm-contact import --explain-mapping in.csv
expect_out "no database: the mapping printed" <<'X'
column,field,how
E-mail,email,normalized
First Name,first_name,normalized
Create Date,created_at,alias
Shoe Size,custom:Shoe Size,custom
X
check "no database, no folder made" [ ! -e "$T/typo" ]
check "nothing said on stderr" [ ! -s "$T/err" ]
# the same through --db, and with -q
expect_code 0 crm-contact import -q --explain-mapping --db "$T/other.db" in.csv
check "--db: nothing created" [ ! -e "$T/other.db" ]
for noun in contact company lead pipeline ticket activity; do
	CRM_DB=$db expect_code 0 "crm-$noun" import --explain-mapping -f csv in.csv
	check "crm-$noun: the mapping's header" grep -qx 'column,field,how' "$T/out"
	check "crm-$noun import --explain-mapping: nothing created" [ ! -e "$T/typo" ]
done
CRM_DB=$db expect_code 0 crm-lead import --explain-mapping --from salesforce in.csv
expect_out "--from without a database" <<'X'
column,field,how
E-mail,email,profile
First Name,first_name,profile
Create Date,created_at,profile
Shoe Size,custom:Shoe Size,custom
X
check "--from: nothing created" [ ! -e "$T/typo" ]
# a bad --map is still an error (64), and creates nothing either
CRM_DB=$db expect_code 64 crm-contact import --explain-mapping --map 'Email=email' in.csv
check "a bad --map: nothing created" [ ! -e "$T/typo" ]
# a database that cannot be opened is still an error
mkdir "$T/dir.db"
expect_code 73 crm-contact import --explain-mapping --db "$T/dir.db" in.csv
err_has "cannot open database"
ls -A "$T" >"$T/ls"
check "the test folder holds no database files" [ -z "$(grep '\.db$' "$T/ls" | grep -v '^dir\.db$')" ]

# with a database: its custom fields are known (one in use keeps its
# name: 'First Name' stays custom), and the database is left unchanged
expect_code 0 crm init
printf 'email,First Name\nbo@acme.example,Bo\n' >known.csv
expect_code 0 crm-contact import -q --map 'First Name=custom:First Name' known.csv
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-contact import --explain-mapping in.csv
expect_out "with a database: a custom field in use matched" <<'X'
column,field,how
E-mail,email,normalized
First Name,custom:First Name,custom
Create Date,created_at,alias
Shoe Size,custom:Shoe Size,custom
X
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "with a database: nothing changed"
done_testing
