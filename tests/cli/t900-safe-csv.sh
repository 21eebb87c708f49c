#!/bin/bash
# --safe-csv / --no-safe-csv / CRM_SAFE_CSV: formula-like cells get an
# apostrophe in CSV and TSV output (OWASP CSV injection), plain numbers do
# not, other formats are untouched, and import reads it all back unchanged.
. "$(dirname "$0")/../lib.sh"

# JSON input, so the values are exactly these whatever the CSV rules.
cat >"$T/in.ndjson" <<'IN'
{"external_id":"a","first_name":"=HYPERLINK(\"http://x\")","last_name":"-12.50","title":"@SUM(A1)","city":"+1","note":"-"}
{"external_id":"b","first_name":"+cmd|' /C calc'!A0","last_name":"\tTab","title":"\rCR","city":"1e6","note":"'=already"}
{"external_id":"c","first_name":"Ann","last_name":"O'Hara","title":"'plain","city":"-3","note":"''+two"}
IN
expect_code_in 0 "$T/in.ndjson" crm-contact import -q
F=external_id,first_name,last_name,title,city,note

# default: off, cells as they are
expect_code 0 crm-contact export --fields $F
printf '%s\n' 'external_id,first_name,last_name,title,city,note' \
	'a,"=HYPERLINK(""http://x"")",-12.50,@SUM(A1),+1,-' \
	"b,+cmd|' /C calc'!A0,\"	Tab\",\"CRCR\",1e6,\"''=already\"" \
	"c,Ann,O'Hara,'plain,-3,\"'''+two\"" | sed 's/CRCR/\rCR/' >"$T/want"
compare "$T/want" "$T/out" "default export: formulas as they are; guarded-looking cells get one more apostrophe"

# --safe-csv
expect_code 0 crm-contact export --safe-csv --fields $F
printf '%s\n' 'external_id,first_name,last_name,title,city,note' \
	'a,"'"'"'=HYPERLINK(""http://x"")",-12.50,"'"'"'@SUM(A1)",+1,"'"'"'-"' \
	"b,\"'+cmd|' /C calc'!A0\",\"'	Tab\",\"'CRCR\",1e6,\"''=already\"" \
	"c,Ann,O'Hara,'plain,-3,\"'''+two\"" | sed 's/CRCR/\rCR/' >"$T/want"
compare "$T/want" "$T/out" "--safe-csv: = + - @ tab CR cells guarded, numbers (-12.50, +1, 1e6, -3) not"
cp "$T/out" "$T/safe.csv"

expect_code 0 crm-contact export --safe-csv -f tsv --fields $F
printf '%s\n' 'external_id	first_name	last_name	title	city	note' \
	"a	'=HYPERLINK(\"http://x\")	-12.50	'@SUM(A1)	+1	'-" \
	"b	'+cmd|' /C calc'!A0	'\\tTab	'\\rCR	1e6	''=already" \
	"c	Ann	O'Hara	'plain	-3	'''+two" >"$T/want"
compare "$T/want" "$T/out" "--safe-csv -f tsv"
cp "$T/out" "$T/safe.tsv"

# the environment variable and the override
CRM_SAFE_CSV=1 expect_code 0 crm-contact export --fields $F
compare "$T/safe.csv" "$T/out" "CRM_SAFE_CSV=1 is --safe-csv"
CRM_SAFE_CSV=yes expect_code 0 crm-contact list --fields $F
compare "$T/safe.csv" "$T/out" "CRM_SAFE_CSV=yes: list too"
CRM_SAFE_CSV=1 expect_code 0 crm-contact export --no-safe-csv --fields first_name
printf '%s\n' first_name '"=HYPERLINK(""http://x"")"' "+cmd|' /C calc'!A0" Ann >"$T/want"
compare "$T/want" "$T/out" "--no-safe-csv overrides CRM_SAFE_CSV"
for v in 0 no off false ''; do
	CRM_SAFE_CSV=$v expect_code 0 crm-contact export --fields first_name
	compare "$T/want" "$T/out" "CRM_SAFE_CSV='$v' is off"
done

# show and other commands take it too (the common option)
expect_code 0 crm-contact show a --safe-csv --fields first_name,title
printf '%s\n' first_name,title '"'"'"'=HYPERLINK(""http://x"")","'"'"'@SUM(A1)"' >"$T/want"
compare "$T/want" "$T/out" "show --safe-csv"
expect_code 0 crm-company add -q --name '=evil()' --ids
expect_code 0 crm-company list --safe-csv --fields name
printf '%s\n' name '"'"'"'=evil()"' >"$T/want"
compare "$T/want" "$T/out" "crm-company list --safe-csv"
expect_code 0 crm-activity list --safe-csv
check "crm-activity takes --safe-csv (nothing on stderr)" [ ! -s "$T/err" ]
expect_code 0 crm-score leads --stdin --safe-csv --fields id <"$T/in.ndjson"

# JSON and tables are never changed
expect_code 0 crm-contact export --safe-csv -f ndjson --fields external_id,first_name
printf '%s\n' '{"external_id":"a","first_name":"=HYPERLINK(\"http://x\")"}' \
	'{"external_id":"b","first_name":"+cmd|'"'"' /C calc'"'"'!A0"}' \
	'{"external_id":"c","first_name":"Ann"}' >"$T/want"
compare "$T/want" "$T/out" "--safe-csv leaves JSON alone"

# round trips: the safe CSV and TSV, and the plain CSV, into a new database
expect_code 0 crm-contact export -f ndjson
cp "$T/out" "$T/orig.ndjson"
for f in safe.csv safe.tsv; do
	rm -f "$T/new.db"*
	CRM_DB="$T/new.db" expect_code 0 crm-contact import -q --key id "$T/$f"
	CRM_DB="$T/new.db" expect_code 0 crm-contact export -f ndjson
	compare "$T/orig.ndjson" "$T/out" "import of $f gives the records back unchanged"
done
# the whole export (every field), safe and not
for opt in --safe-csv --no-safe-csv; do
	expect_code 0 crm-contact export $opt; cp "$T/out" "$T/all.csv"
	rm -f "$T/new.db"*
	CRM_DB="$T/new.db" expect_code 0 crm-contact import -q --key id "$T/all.csv"
	CRM_DB="$T/new.db" expect_code 0 crm-contact export -f ndjson
	compare "$T/orig.ndjson" "$T/out" "export $opt | import is identity"
done

# a spreadsheet's own guard on input is dropped: '=x means the text =x
printf '%s\n' external_id,first_name "d,'=1+2" "e,'-5" "f,''@x" >"$T/sheet.csv"
expect_code 0 crm-contact import -q "$T/sheet.csv"
expect_code 0 crm-contact export -f ndjson -w 'external_id>c' --fields external_id,first_name
printf '%s\n' '{"external_id":"d","first_name":"=1+2"}' \
	'{"external_id":"e","first_name":"'"'"'-5"}' \
	'{"external_id":"f","first_name":"'"'"'@x"}' >"$T/want"
compare "$T/want" "$T/out" "import drops one apostrophe before = + - @ (not before a number)"

# the option is in --help and --list-options
expect_code 0 crm-contact export --help
out_has "--safe-csv"
out_has "--no-safe-csv"
done_testing
