#!/bin/sh
# A JSON array in a tags field is a list of tags, never the JSON text
# stringified; a comma inside a tag is an error (tags are stored
# comma-separated). A JSON array or object given for any other field is a
# clear 65, not its text.
. "$(dirname "$0")/../lib.sh"

printf '%s\n' '[{"email":"a@x.org","tags":["vip","gold","vip"]},' \
	'{"email":"b@x.org","tags":"p,q"},' '{"email":"c@x.org","tags":[]}]' >"$T/in.json"
expect_code 0 crm-contact import "$T/in.json"
expect_code 0 crm-contact list -f csv --fields email,tags
expect_out "JSON: an array of tags is the tags" <<'X'
email,tags
a@x.org,"gold,vip"
b@x.org,"p,q"
c@x.org,
X
printf '%s\n' '{"email":"c@x.org","tags":["new","x y"]}' >"$T/in.ndjson"
expect_code 0 crm-contact import --key email "$T/in.ndjson"
expect_code 0 crm-contact show c@x.org -f csv --fields tags
expect_out "NDJSON: an array of tags is the tags" <<'X'
tags
"new,x y"
X
printf '%s\n' '{"email":"a@x.org","tags":[]}' >"$T/clear.ndjson"
expect_code 0 crm-contact import "$T/clear.ndjson"
expect_code 0 crm-contact show a@x.org -f csv --fields tags
printf 'tags\n\n' | expect_out "an empty array clears the tags"
printf '%s\n' '[{"name":"Acme","tags":["big","eu"]}]' >"$T/co.json"
expect_code 0 crm-company import "$T/co.json"
expect_code 0 crm-company show Acme -f csv --fields tags
printf 'tags\n"big,eu"\n' | expect_out "companies too"

db_dump "" "$T/before.sql"
bad() { # json, message
	printf '%s\n' "$1" >"$T/bad.ndjson"
	expect_code 65 crm-contact import "$T/bad.ndjson"
	err_has "crm-contact:$T/bad.ndjson:1: $2"
}
bad '{"email":"d@x.org","tags":["vip","b,c"]}' "tags: a tag cannot contain a comma: 'b,c'"
bad '{"email":"d@x.org","tags":["vip",1]}' "tags: a JSON array of tags holds strings only"
bad '{"email":"d@x.org","tags":{"vip":true}}' "tags: expected a single value, not a JSON object"
bad '{"email":"d@x.org","first_name":["Ann"]}' "first_name: expected a single value, not a JSON array"
bad '{"email":"d@x.org","country":{"code":"PT"}}' "country: expected a single value, not a JSON object"
bad '{"email":["d@x.org"]}' "email: expected a single value, not a JSON array"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "bad input: nothing written"
# a custom field keeps its JSON as it is
printf '%s\n' '{"email":"e@x.org","prefs":["a","b"]}' >"$T/custom.ndjson"
expect_code 0 crm-contact import "$T/custom.ndjson"
expect_code 0 crm-contact show e@x.org -f ndjson --fields prefs
printf '%s\n' '{"prefs":["a","b"]}' | expect_out "a custom field keeps its JSON array"

done_testing
