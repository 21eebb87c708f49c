#!/bin/bash
# list (outside a table) and import --emit write the custom fields too, as
# export does: every field, custom ones last in name order.
. "$(dirname "$0")/../lib.sh"

printf 'first_name,email,shoe size,hobby\nAnn,ann@example.com,38,chess\n' >"$T/a.csv"
expect_code 0 crm-contact import --emit -q "$T/a.csv"
head -1 "$T/out" >"$T/hdr"
check "--emit has the custom fields of the import" grep -q ',shoe size,hobby,import_error$\|,hobby,shoe size,import_error$' "$T/hdr"
out_has ',38,'
check "--emit has the custom values" grep -q 'chess' "$T/out"

printf 'first_name,email,shoe size\nBob,bob@example.com,41\n' >"$T/b.csv"
expect_code 0 crm-contact import --emit -q -f json "$T/b.csv"
check "--emit json: the custom fields known before (hobby: null)" grep -q '"hobby":null' "$T/out"
check "--emit json: this record's custom value" grep -q '"shoe size":"41"' "$T/out"

expect_code 0 crm-contact list
expect_out "list -f csv: every field, custom ones last in name order" <<'X'
id,external_id,first_name,last_name,email,phone,company,company_id,title,reports_to_id,city,region,country,source,owner,tags,lifecycle_stage,last_activity_at,created_at,updated_at,hobby,shoe size
1,,Ann,,ann@example.com,,,,,,,,,,,,,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z,chess,38
2,,Bob,,bob@example.com,,,,,,,,,,,,,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z,,41
X
expect_code 0 crm-contact list -f json -w 'hobby=chess'
check "list -f json has the custom field" grep -q '"hobby":"chess","shoe size":"38"' "$T/out"
expect_code 0 crm-contact export
cp "$T/out" "$T/export"
expect_code 0 crm-contact list
compare "$T/export" "$T/out" "list -f csv is export's columns"
expect_code 0 crm-contact list -f table
check "a table keeps the main fields" sh -c "! grep -q hobby '$T/out'"
expect_code 0 crm-company list
check "an entity without custom fields: unchanged" sh -c "head -1 '$T/out' | grep -q ',updated_at$'"
done_testing
