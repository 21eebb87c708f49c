#!/bin/bash
# --tz: input times without an offset are wall-clock times in an IANA zone
# (read from the TZif files through lib/base/bizcal.c); a time skipped by a
# daylight-saving change is read with the offset before it, one that
# happens twice is its first occurrence; offsets given win; dates have no
# zone.
. "$(dirname "$0")/../lib.sh"

cat >"$T/ny.csv" <<'X'
external_id,first_name,created_at
n1,Winter,2026-01-15 09:00
n2,Summer,2026-07-15 09:00
n3,Gap,2026-03-08 02:30
n4,BeforeGap,2026-03-08 01:59:59
n5,AfterGap,2026-03-08 03:00
n6,Overlap,2026-11-01 01:30
n7,AfterOverlap,2026-11-01 02:00
n8,Offset,2026-07-15T09:00:00+02:00
n9,Zulu,2026-07-15T09:00:00Z
n10,DateOnly,2026-07-15
X
expect_code 0 crm-contact import --tz America/New_York "$T/ny.csv"
run crm-contact export -f csv --fields first_name,created_at
expect_out "America/New_York: standard and daylight time, the gap, the overlap" <<'X'
first_name,created_at
Winter,2026-01-15T14:00:00Z
Summer,2026-07-15T13:00:00Z
Gap,2026-03-08T07:30:00Z
BeforeGap,2026-03-08T06:59:59Z
AfterGap,2026-03-08T07:00:00Z
Overlap,2026-11-01T05:30:00Z
AfterOverlap,2026-11-01T07:00:00Z
Offset,2026-07-15T07:00:00Z
Zulu,2026-07-15T09:00:00Z
DateOnly,2026-07-15T04:00:00Z
X

# with a convention; a southern-hemisphere zone; a deal's date field
printf 'external_id,first_name,created_at\nl1,Lis,22/11/2026 10:00\nl2,Lis,1/7/2026 10:00\n' >"$T/lis.csv"
expect_code 0 crm-contact import --date-format eu --tz Europe/Lisbon "$T/lis.csv"
run crm-contact export -f csv --fields external_id,created_at --where external_id~l
expect_out "Europe/Lisbon with --date-format eu" <<'X'
external_id,created_at
l1,2026-11-22T10:00:00Z
l2,2026-07-01T09:00:00Z
X
printf 'external_id,first_name,created_at\ns1,Syd,11/22/2026 9:00 AM\n' >"$T/syd.csv"
expect_code 0 crm-contact import --date-format us --tz Australia/Sydney "$T/syd.csv"
run crm-contact show s1 -f csv --fields created_at
expect_out "Australia/Sydney in daylight time in November" <<'X'
created_at
2026-11-21T22:00:00Z
X
printf 'external_id,name,amount,currency,expected_close,created_at\nd1,Deal,1,EUR,2026-12-31,2026-12-31 23:30\n' >"$T/d.csv"
expect_code 0 crm-pipeline import --tz Asia/Tokyo "$T/d.csv"
run crm-pipeline show d1 -f csv --fields expected_close,created_at
expect_out "dates take no zone, times do" <<'X'
expected_close,created_at
2026-12-31,2026-12-31T14:30:00Z
X

# a zone name that is not one
expect_code 64 crm-contact import --tz Mars/Olympus "$T/ny.csv"
err_has "unknown time zone 'Mars/Olympus'"
expect_code 64 crm-contact import --tz ../etc/passwd "$T/ny.csv"
err_has "bad time zone name"
done_testing
