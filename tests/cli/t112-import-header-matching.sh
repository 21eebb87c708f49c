#!/bin/bash
# Column names match fields loosely (case, spaces, punctuation,
# underscores) and through each entity's aliases; --explain-mapping shows
# the mapping and writes nothing; the columns left as custom fields are
# named on stderr (-q: not); custom fields already in use keep their
# names (export -> import is identity); profile files are checked (78).
. "$(dirname "$0")/../lib.sh"
# a database of its own first: the imports below check their whole stderr
expect_code 0 crm init
cd "$T" || exit 1

# the issue's first import: "Email,First Name" used to be two custom fields
printf 'Email,First Name\nann@example.org,Ann\n' >first.csv
expect_code 0 crm-contact import first.csv
expect_err "a plain export imports with no custom field" <<'X'
crm-contact: 1 inserted, 0 updated, 0 unchanged, 0 rejected, 0 companies created
X
expect_code 0 crm-contact show ann@example.org -f csv --fields email,first_name
expect_out "Email and First Name are fields" <<'X'
email,first_name
ann@example.org,Ann
X

# loose names and aliases, per entity
printf 'E-mail Address,FirstName,last_name,Mobile,Account Name,Lead Source,Created Date,Shoe Size,ID\nbo@example.org,Bo,Li,+351 912 345 678,Acme,Web,2026-01-02,44,7\n' >loose.csv
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-contact import --explain-mapping loose.csv
expect_out "--explain-mapping: column, field, how" <<'X'
column,field,how
E-mail Address,email,alias
FirstName,first_name,normalized
last_name,last_name,exact
Mobile,phone,alias
Account Name,company,alias
Lead Source,source,alias
Created Date,created_at,alias
Shoe Size,custom:Shoe Size,custom
ID,custom:ID,custom
X
db_dump "$CRM_DB" "$T/now"
compare "$T/before" "$T/now" "--explain-mapping changes nothing"
expect_code 0 crm-contact import loose.csv
expect_err "the columns left as custom fields are named" <<'X'
crm-contact: 2 columns became custom fields: 'Shoe Size', 'ID'
crm-contact: 1 inserted, 0 updated, 0 unchanged, 0 rejected, 1 company created
X
expect_code 0 crm-contact show bo@example.org -f csv --fields 'id,email,first_name,last_name,phone,company,source,created_at,Shoe Size,ID'
expect_out "stored in their fields; another system's ID is not crm's id" <<'X'
id,email,first_name,last_name,phone,company,source,created_at,Shoe Size,ID
2,bo@example.org,Bo,Li,+351 912 345 678,Acme,Web,2026-01-02T00:00:00Z,44,7
X
expect_code 0 crm-contact import -q loose.csv
expect_err "-q: no report" </dev/null
# Chinese column names
printf '姓名,手机,邮箱,公司名称,职务\n王芳,13800138001,wang@example.cn,华光商贸,经理\n' >zh.csv
expect_code 0 crm-contact import -q zh.csv
expect_code 0 crm-contact show wang@example.cn -f csv --fields first_name,last_name,phone,company,title
expect_out "Chinese aliases, 姓名 split" <<'X'
first_name,last_name,phone,company,title
芳,王,13800138001,华光商贸,经理
X
# two columns for one field: the better match wins, the other stays custom
printf 'Phone Number,phone,Mobile\n+1 415 555 0100,+1 415 555 0199,+1 415 555 0142\n' >two.csv
expect_code 0 crm-contact import --explain-mapping two.csv
expect_out "one column per field: exact beats alias, the first alias wins" <<'X'
column,field,how
Phone Number,custom:Phone Number,custom
phone,phone,exact
Mobile,custom:Mobile,custom
X
# every entity has aliases
printf 'Opportunity Name,Account Name,Deal Value,Currency Code,Close Date\nBig,Acme,10,EUR,2026-12-31\n' >deal.csv
expect_code 0 crm-pipeline import --explain-mapping -f tsv deal.csv
expect_out "deals: aliases, company an input column" <<'X'
column	field	how
Opportunity Name	name	alias
Account Name	company	alias
Deal Value	amount	alias
Currency Code	currency	alias
Close Date	expected_close	alias
X
for n in company:Website lead:Lead\ Status ticket:Case\ Subject activity:Activity\ Type; do
	printf '%s\nx\n' "${n#*:}" >one.csv
	expect_code 0 "crm-${n%%:*}" import --explain-mapping -f tsv one.csv
	out_has "${n#*:}	"
done
expect_code 0 crm-company import --explain-mapping -f csv one.csv
expect_code 0 crm-company import --explain-mapping -f csv --map 'Activity Type=industry' one.csv
expect_out "--map wins, how map" <<'X'
column,field,how
Activity Type,industry,map
X

# export -> import is identity, custom fields named like aliases included
db_fresh
printf 'external_id,first_name,Mobile,Account Name\nr1,Ro,+1 415 555 0100,Acme\n' >rt.csv
expect_code 0 crm-contact import -q --map 'Mobile=custom:Mobile' --map 'Account Name=custom:Account Name' rt.csv
expect_code 0 crm-contact export -f csv
cp "$T/out" exp1.csv
expect_code 0 crm-contact import --explain-mapping exp1.csv
out_has "Mobile,custom:Mobile,custom"
out_has "Account Name,custom:Account Name,custom"
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-contact import exp1.csv
err_has "0 inserted, 0 updated, 1 unchanged, 0 rejected"
db_dump "$CRM_DB" "$T/now"
compare "$T/before" "$T/now" "export -> import: nothing changes"
expect_code 0 crm-contact export -f csv
compare exp1.csv "$T/out" "export -> import -> export is identity"

# profiles: a file of one's own, bad ones (78), missing ones (66)
cat >my.json <<'X'
{"description": "ours", "date_format": "%d.%m.%Y",
 "contacts": {"Kundennummer": "external_id", "Vorname": "first_name", "Notiz": "custom:Notes"}}
X
printf 'Kundennummer,Vorname,Notiz\nk1,Kai,hi\n' >de.csv
expect_code 0 crm-contact import --from ./my.json --explain-mapping de.csv
expect_out "--from FILE" <<'X'
column,field,how
Kundennummer,external_id,profile
Vorname,first_name,profile
Notiz,custom:Notes,profile
X
expect_code 64 crm-lead import --from ./my.json de.csv
err_has "crm-lead: --from ./my.json: the profile has no leads (it has: contacts)"
expect_code 66 crm-contact import --from nosuch de.csv
err_has "crm-contact: --from nosuch: no such profile ($TOP/share/crm/profiles has: fxiaoke, hubspot, pipedrive, salesforce, zoho)"
expect_code 66 crm-contact import --from ./nosuch.json de.csv
err_has "crm-contact: --from ./nosuch.json: cannot open './nosuch.json'"
bad_profile() { # CONTENT MESSAGE
	printf '%s' "$1" >bad.json
	expect_code 78 crm-contact import --from ./bad.json de.csv
	err_has "crm-contact:./bad.json$2"
}
bad_profile '{"contacts": {"Vorname": "frist_name"}}' ": contacts: 'Vorname': no field 'frist_name' in contacts"
bad_profile '{"contact": {}}' ": unknown key 'contact'"
bad_profile '{"contacts": {"Vorname": 1}}' ": contacts: 'Vorname': expected a field name"
bad_profile '{"contacts": []}' ": contacts: expected an object of header: field"
bad_profile '{"date_format": 5}' ": date_format: expected a string"
bad_profile '{"deals": {"X": "custom:name"}}' ": deals: 'X': 'name' is a field of deals, not a custom field"
bad_profile '{"contacts": {' ":1:"
bad_profile '[1]' ": expected an object of entities"
done_testing
