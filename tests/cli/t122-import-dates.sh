#!/bin/bash
# Times on import: --date-format conventions (us, eu, ymd, mon, excel,
# excel1904) and strftime formats, for every time and date field; never a
# guess between D/M and M/D.
. "$(dirname "$0")/../lib.sh"

# imp NAME FORMAT VALUE...: import contacts n1.. with created_at = VALUE
# under --date-format FORMAT and print id,created_at
imp() {
	name=$1 fmt=$2; shift 2
	db_fresh
	{ echo 'external_id,first_name,created_at'; i=0; for v in "$@"; do i=$((i + 1)); printf 'n%d,N,"%s"\n' $i "$v"; done; } >"$T/$name.csv"
	expect_code 0 crm-contact import ${fmt:+--date-format "$fmt"} "$T/$name.csv"
	run crm-contact export -f csv --fields external_id,created_at
}

imp us us '11/22/2026 3:04 PM' '11/22/2026' '1/2/2026 12:00 AM' '1/2/2026 12:30 PM' \
	'1/2/2026 12:30:15 am' '12/31/2026 23:59' '2/29/2028 1:05PM' '2026-05-06T07:08:09+02:00'
expect_out "us: M/D/YYYY, AM/PM edge cases, ISO still read" <<'X'
external_id,created_at
n1,2026-11-22T15:04:00Z
n2,2026-11-22T00:00:00Z
n3,2026-01-02T00:00:00Z
n4,2026-01-02T12:30:00Z
n5,2026-01-02T00:30:15Z
n6,2026-12-31T23:59:00Z
n7,2028-02-29T13:05:00Z
n8,2026-05-06T05:08:09Z
X
imp eu eu '22/11/2026' '22.11.2026 14:30' '3-4-2026 08:05:09' '01/02/2026 1:00 PM'
expect_out "eu: D/M/YYYY, D.M.YYYY, D-M-YYYY" <<'X'
external_id,created_at
n1,2026-11-22T00:00:00Z
n2,2026-11-22T14:30:00Z
n3,2026-04-03T08:05:09Z
n4,2026-02-01T13:00:00Z
X
imp ymd ymd '2026/11/22' '2026.1.2 9:30' '2026-11-23'
expect_out "ymd: YYYY/MM/DD" <<'X'
external_id,created_at
n1,2026-11-22T00:00:00Z
n2,2026-01-02T09:30:00Z
n3,2026-11-23T00:00:00Z
X
imp mon mon '22-Nov-2026' '1 march 2026 10:00' '30-SEP-2026' '5 Sept 2026'
expect_out "mon: D-Mon-YYYY, English names in any case" <<'X'
external_id,created_at
n1,2026-11-22T00:00:00Z
n2,2026-03-01T10:00:00Z
n3,2026-09-30T00:00:00Z
n4,2026-09-05T00:00:00Z
X
imp fmt '%d.%m.%y %H.%M Uhr' '22.11.26 14.30 Uhr' '01.01.70 00.00 Uhr'
expect_out "a strftime format" <<'X'
external_id,created_at
n1,2026-11-22T14:30:00Z
n2,1970-01-01T00:00:00Z
X
imp fmt2 '%a, %d %b %Y %H:%M:%S %z' 'Sun, 22 Nov 2026 09:30:00 +0100' 'Mon, 23 November 2026 10:00:00 Z'
expect_out "a format with day names and an offset" <<'X'
external_id,created_at
n1,2026-11-22T08:30:00Z
n2,2026-11-23T10:00:00Z
X
imp epoch '%s' '1795339800'
expect_out "%s: seconds since 1970" <<'X'
external_id,created_at
n1,2026-11-22T09:30:00Z
X
# Excel serials: 1900 system with its leap-year bug, and the 1904 system
imp excel excel '46348' '46348.5' '46348.75001' '1' '59' '61' '2958465.99999'
expect_out "excel serials" <<'X'
external_id,created_at
n1,2026-11-22T00:00:00Z
n2,2026-11-22T12:00:00Z
n3,2026-11-22T18:00:01Z
n4,1900-01-01T00:00:00Z
n5,1900-02-28T00:00:00Z
n6,1900-03-01T00:00:00Z
n7,9999-12-31T23:59:59Z
X
imp excel1904 excel1904 '0' '44886.25'
expect_out "excel1904 serials" <<'X'
external_id,created_at
n1,1904-01-01T00:00:00Z
n2,2026-11-22T06:00:00Z
X

# every time field of the entity, and date fields, for other entities too
printf 'external_id,first_name,created_at,last_activity_at\nc1,Ann,11/22/2026 9:00 AM,11/23/2026\n' >"$T/c.csv"
db_fresh
expect_code 0 crm-contact import --date-format us "$T/c.csv"
run crm-contact show c1 -f csv --fields created_at,last_activity_at
expect_out "every time field of the contact" <<'X'
created_at,last_activity_at
2026-11-22T09:00:00Z,2026-11-23T00:00:00Z
X
printf 'external_id,name,amount,currency,expected_close,created_at\nd1,Big deal,100,EUR,31.12.2026,22.11.2026 08:00\n' >"$T/d.csv"
expect_code 0 crm-pipeline import --date-format eu "$T/d.csv"
run crm-pipeline show d1 -f csv --fields expected_close,created_at
expect_out "a deal's date and time fields" <<'X'
expected_close,created_at
2026-12-31,2026-11-22T08:00:00Z
X
printf 'subject,type,due_at\nCall,call,11/30/2026 4:15 PM\n' >"$T/a.csv"
expect_code 0 crm-activity import --date-format us "$T/a.csv"
run crm-activity list -f csv --fields subject,due_at
expect_out "crm-activity import" <<'X'
subject,due_at
Call,2026-11-30T16:15:00Z
X

printf 'external_id,first_name,email,created_at\nl1,Lee,lee@x.example,11/20/2026 8:15 AM\n' >"$T/l.csv"
expect_code 0 crm-lead import --date-format us "$T/l.csv"
run crm-lead show l1 -f csv --fields created_at
expect_out "crm-lead import" <<'X'
created_at
2026-11-20T08:15:00Z
X
printf 'external_id,subject,priority,created_at\ntk1,Broken,high,20.11.2026 08:15\n' >"$T/t.csv"
expect_code 0 crm-ticket import --date-format eu "$T/t.csv"
run crm-ticket show tk1 -f csv --fields created_at
expect_out "crm-ticket import" <<'X'
created_at
2026-11-20T08:15:00Z
X
printf 'external_id,name,created_at\nco1,Acme,2026/11/20\n' >"$T/co.csv"
expect_code 0 crm-company import --date-format ymd "$T/co.csv"
run crm-company show co1 -f csv --fields created_at
expect_out "crm-company import" <<'X'
created_at
2026-11-20T00:00:00Z
X
# --reject: the row with an ambiguous date goes to the reject file
printf 'external_id,first_name,created_at\nr1,Ok,2026-11-20\nr2,Amb,03/04/2026\n' >"$T/r.csv"
# (exit 3: some rows rejected, the rest committed)
expect_code 3 crm-contact import --reject "$T/rej.csv" "$T/r.csv"
run cat "$T/rej.csv"
expect_out "the reject file says which option to give" <<'X'
external_id,first_name,created_at,error_line,error
r2,Amb,03/04/2026,3,created_at: ambiguous date '03/04/2026': give --date-format us or eu
X

# errors: exit 65 with file, line and field, the database unchanged
bad() { # description, file content (printf), then the expected message
	printf "$2" >"$T/bad.csv"
	shift 2
	db_dump "" "$T/before"
	expect_code 65 crm-contact import "$@" "$T/bad.csv"
	err_has "${msg}"
	db_dump "" "$T/after"
	compare "$T/before" "$T/after" "database unchanged: $msg"
}
msg="bad.csv:3: created_at: ambiguous date '03/04/2026': give --date-format us or eu"
bad ambiguous 'external_id,first_name,created_at\nx1,X,2026-01-01\nx2,Y,03/04/2026\n'
msg="bad.csv:2: created_at: date '11/22/2026 3:04 PM' is not ISO 8601: give --date-format us"
bad us-form 'external_id,first_name,created_at\nx1,X,11/22/2026 3:04 PM\n'
msg="bad.csv:2: created_at: date '22/11/2026' is not ISO 8601: give --date-format eu"
bad eu-form 'external_id,first_name,created_at\nx1,X,22/11/2026\n'
msg="bad.csv:2: created_at: date '22.11.2026' is not ISO 8601: give --date-format eu"
bad eu-dot 'external_id,first_name,created_at\nx1,X,22.11.2026\n'
msg="bad.csv:2: created_at: date '2026/11/22' is not ISO 8601: give --date-format ymd"
bad ymd-form 'external_id,first_name,created_at\nx1,X,2026/11/22\n'
msg="bad.csv:2: created_at: date '22-Nov-2026' is not ISO 8601: give --date-format mon"
bad mon-form 'external_id,first_name,created_at\nx1,X,22-Nov-2026\n'
msg="(an Excel serial date? give --date-format excel)"
bad excel-form 'external_id,first_name,created_at\nx1,X,46348.5\n'
msg="bad.csv:2: created_at: invalid date '2/30/2026'"
bad invalid 'external_id,first_name,created_at\nx1,X,2/30/2026\n' --date-format us
msg="bad.csv:2: created_at: invalid hour for AM/PM in '1/2/2026 13:00 PM'"
bad ampm 'external_id,first_name,created_at\nx1,X,1/2/2026 13:00 PM\n' --date-format us
msg="bad.csv:2: created_at: invalid hour for AM/PM in '1/2/2026 0:30 AM'"
bad ampm0 'external_id,first_name,created_at\nx1,X,1/2/2026 0:30 AM\n' --date-format us
msg="bad.csv:2: created_at: expected a us date (M/D/YYYY [h:mm[:ss] [AM|PM]]) or ISO 8601, got '2026/11/22'"
bad us-not 'external_id,first_name,created_at\nx1,X,2026/11/22\n' --date-format us
msg="bad.csv:2: created_at: Excel serial 60 is 1900-02-29, a day that never was (Excel's 1900 leap-year bug)"
bad serial60 'external_id,first_name,created_at\nx1,X,60\n' --date-format excel
msg="bad.csv:2: created_at: Excel serial '0' is before 1900-01-01"
bad serial0 'external_id,first_name,created_at\nx1,X,0\n' --date-format excel
msg="bad.csv:2: created_at: expected a time in the form '%d.%m.%Y' (or ISO 8601), got '11/22/2026'"
bad fmt 'external_id,first_name,created_at\nx1,X,11/22/2026\n' --date-format '%d.%m.%Y'

# usage errors
expect_code 64 crm-contact import --date-format uk "$T/c.csv"
err_has "--date-format: unknown convention 'uk'"
expect_code 64 crm-contact import --date-format '%H:%M' "$T/c.csv"
err_has "expected strftime directives giving the year, month and day"
expect_code 64 crm-contact import --date-format '%Y-%m-%d %Q' "$T/c.csv"
expect_code 64 crm-contact import --date-format '%d/%m/%Y %I:%M' "$T/c.csv"
done_testing
