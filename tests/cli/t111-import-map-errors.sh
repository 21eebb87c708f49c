#!/bin/bash
# --map is checked before anything is written: a source column the input
# lacks, a target that is no field (custom:NAME makes a custom field), a
# source mapped twice, two sources onto one field, and a mapped column
# whose field another column already has exactly are usage errors (64)
# that leave the database as it was.
. "$(dirname "$0")/../lib.sh"

printf 'Email,First Name,Mobile Phone,phone\nann@example.org,Ann,+351 912 345 678,\n' >"$T/in.csv"
printf '{"Email":"bo@example.org","Given":"Bo"}\n{"Email":"cy@example.org","Nick":"Cy"}\n' >"$T/in.ndjson"
expect_code 0 crm-contact add --first-name Zed --email zed@example.org
db_dump "$CRM_DB" "$T/before"

# bad_map MESSAGE ARGS...: exit 64 with MESSAGE, the database unchanged
bad_map() {
	msg=$1
	shift
	expect_code 64 crm-contact import "$@"
	err_has "$msg"
	db_dump "$CRM_DB" "$T/now"
	compare "$T/before" "$T/now" "unchanged after: $*"
}
cd "$T" || exit 1
bad_map "crm-contact:in.csv: --map 'E-mail=email': no column 'E-mail' in the input (its columns: 'Email', 'First Name', 'Mobile Phone', 'phone')" \
	--map 'E-mail=email' in.csv
bad_map "crm-contact: --map 'Email=emial': no field 'emial' in contacts (a custom field is written custom:emial)" \
	--map 'Email=emial' in.csv
bad_map "crm-contact: --map 'Email=email_key': no field 'email_key' in contacts" \
	--map 'Email=email_key' in.csv
bad_map "crm-contact: --map 'Email=phone': column 'Email' is mapped twice" \
	--map 'Email=email' --map 'Email=phone' in.csv
bad_map "crm-contact: --map 'Email=email': column 'Email' is mapped twice" \
	--map 'Email=email' --map 'Email=email' in.csv
bad_map "crm-contact: --map 'Mobile Phone=email': 'email' is already read from column 'Email'" \
	--map 'Email=email' --map 'Mobile Phone=email' in.csv
bad_map "crm-contact: --map 'Email=custom:first_name': 'first_name' is a field of contacts, not a custom field" \
	--map 'Email=custom:first_name' in.csv
bad_map "crm-contact: --map 'Email=custom:': custom: needs a name (1 to 200 bytes)" \
	--map 'Email=custom:' in.csv
bad_map "crm-contact: --map 'Email': expected SOURCE=FIELD" --map 'Email' in.csv
bad_map "crm-contact: --map '=email': expected SOURCE=FIELD" --map '=email' in.csv
bad_map "crm-contact:in.csv: --map 'Mobile Phone=phone': the input also has a column 'phone' (map it elsewhere too, e.g. --map 'phone=custom:old phone')" \
	--map 'Mobile Phone=phone' in.csv
# JSON: the columns are those of every record, checked at the end
bad_map "crm-contact:in.ndjson: --map 'Surname=last_name': no column 'Surname' in the input (its columns: 'Email', 'Given', 'Nick')" \
	--map 'Surname=last_name' in.ndjson
# a header without records, and --explain-mapping, check the same way
printf 'Email,First Name\n' >"$T/empty.csv"
bad_map "crm-contact:empty.csv: --map 'E-mail=email': no column 'E-mail' in the input (its columns: 'Email', 'First Name')" \
	--map 'E-mail=email' empty.csv
bad_map "crm-contact:in.csv: --map 'E-mail=email': no column 'E-mail'" \
	--explain-mapping --map 'E-mail=email' in.csv
# the other entities check their own fields
expect_code 64 crm-pipeline import --map 'Title=titel' in.csv
err_has "crm-pipeline: --map 'Title=titel': no field 'titel' in deals"
expect_code 64 crm-ticket import --map 'Email=mail' in.csv
err_has "crm-ticket: --map 'Email=mail': no field 'mail' in tickets"

# what --map may do: a custom field by name, an input-only column (a
# deal's company), a column kept under another name
expect_code 0 crm-contact import --map 'Mobile Phone=phone' --map 'phone=custom:old phone' --map 'First Name=custom:Vorname' in.csv
expect_code 0 crm-contact show ann@example.org -f csv --fields email,phone,first_name,Vorname
expect_out "--map onto a field and onto custom fields" <<'X'
email,phone,first_name,Vorname
ann@example.org,+351 912 345 678,,Ann
X
printf 'Title,Organisation,Total,Currency\nBig one,Acme,100,EUR\n' >"$T/deal.csv"
expect_code 0 crm-pipeline import --map 'Organisation=company' --map 'Total=amount' deal.csv
expect_code 0 crm-pipeline list -f csv --fields name,company_id,amount,currency
expect_out "--map onto an input-only column (company) and through aliases" <<'X'
name,company_id,amount,currency
Big one,1,100.00,EUR
X
done_testing
