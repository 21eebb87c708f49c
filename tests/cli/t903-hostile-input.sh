#!/bin/bash
# Hostile input: each ends in a clear error (65, naming input and line) or
# a correct result, in bounded memory (peak RSS measured with
# /usr/bin/time), and a failed import leaves the database as it was.
. "$(dirname "$0")/../lib.sh"

# Peak RSS ceilings in KiB; sanitizer builds carry shadow memory and
# quarantine, so they get a looser bound.
case $BUILD in *san*) MUL=6 ;; *) MUL=1 ;; esac
SMALL=$((40 * 1024 * MUL))  # inputs that stop early
BIG=$((100 * 1024 * MUL))   # up to one 64 MiB line held (CRM_MAX_RECORD)

expect_code 0 crm-contact add -q --first-name Seed --email seed@example.com
expect_code 0 crm-company add -q --name Seed
db_dump "$CRM_DB" "$T/before.sql"

# hostile CODE CEILING_KIB TEXT CMD...: exit CODE, stderr has TEXT, peak RSS
# below the ceiling, database unchanged (when CODE is not 0).
hostile() {
	want=$1 ceil=$2 text=$3; shift 3
	/usr/bin/time -f %M -o "$T/rss" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	rss=$(tail -1 "$T/rss")
	if [ "$rc" -eq "$want" ]; then ok "exit $want: $*"
	else not_ok "exit $want: $* (got $rc)"; sed 's/^/#   err: /' "$T/err" | head -3; fi
	[ -z "$text" ] || err_has "$text"
	check "peak RSS ${rss} KiB < ${ceil} KiB" [ "$rss" -lt "$ceil" ]
	if [ "$want" -ne 0 ]; then
		db_dump "$CRM_DB" "$T/after.sql"
		compare "$T/before.sql" "$T/after.sql" "database unchanged"
	fi
}

# 100 MB of one byte, streamed (nothing that size is ever written to disk)
a100m() { head -c 100000000 /dev/zero | tr '\0' a; }

# a 100 MB cell, in every format
hostile 65 $SMALL "email: field longer than 16777216 bytes" \
	crm-contact import <(echo first_name,email; printf 'x,'; a100m; echo)
hostile 65 $SMALL "first_name: field longer than 16777216 bytes" \
	crm-contact import <(echo first_name,email; printf '"'; a100m; printf '",x\n')
hostile 65 $BIG ":2: line longer than 67108864 bytes" \
	crm-contact import -i tsv <(printf 'first_name\temail\nx\t'; a100m; echo)
hostile 65 $BIG ":1: line longer than 67108864 bytes" \
	crm-contact import <(printf '{"first_name":"'; a100m; echo '"}')
hostile 65 $BIG "longer than" \
	crm-contact import <(printf '[{"first_name":"'; a100m; echo '"}]')

# an enormous line without end: unquoted, quoted (never closed), NDJSON
hostile 65 $SMALL "first_name: field longer than 16777216 bytes" \
	crm-contact import <(echo first_name; a100m)
hostile 65 $SMALL "field longer than 16777216 bytes" \
	crm-contact import <(echo first_name; printf '"'; a100m)
hostile 65 $BIG "line longer than 67108864 bytes" \
	crm-contact import <(printf '{"first_name":"'; a100m)

# a million columns: in the header, in a row, in a JSON object
awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print "" }' >"$T/wide-head.csv"
hostile 65 $SMALL "wide-head.csv:1:10001: more than 10000 fields" crm-contact import "$T/wide-head.csv"
awk 'BEGIN { print "first_name"; for (i = 1; i <= 1000000; i++) printf "%s1", (i > 1 ? "," : ""); print "" }' >"$T/wide-row.csv"
hostile 65 $SMALL "wide-row.csv:2:10001: more than 10000 fields" crm-contact import "$T/wide-row.csv"
awk 'BEGIN { printf "{"; for (i = 1; i <= 1000000; i++) printf "%s\"c%d\":1", (i > 1 ? "," : ""), i; print "}" }' >"$T/wide.ndjson"
hostile 65 $SMALL "wide.ndjson:1" crm-contact import "$T/wide.ndjson"
err_has "more than 10000 fields"
sed -e 's/^/[/' -e 's/$/]/' "$T/wide.ndjson" >"$T/wide.json"
hostile 65 $SMALL "wide.json:1:98896: more than 10000 fields" crm-contact import "$T/wide.json"
# the limit itself: 10000 fields are a record, 10001 are not
for n in 10000 10001; do
	awk -v n=$n 'BEGIN { printf "{\"first_name\":\"w\""; for (i = 2; i <= n; i++) printf ",\"c%d\":1", i; print "}" }' >"$T/w$n.ndjson"
done
expect_code 0 crm-contact import -n -q "$T/w10000.ndjson"
hostile 65 $SMALL "w10001.ndjson:1:98905: more than 10000 fields" crm-contact import "$T/w10001.ndjson"

# JSON nested 100,000 deep: arrays, objects, inside a record
python3 -c "print('[' * 100000 + ']' * 100000)" >"$T/deep.json"
hostile 65 $SMALL "deep.json:1:" crm-contact import "$T/deep.json"
python3 -c "print('{\"a\":' * 100000 + '1' + '}' * 100000)" >"$T/deep.ndjson"
hostile 65 $SMALL "deep.ndjson:1:321: nesting deeper than 64 levels" crm-contact import "$T/deep.ndjson"
python3 -c "print('[{\"first_name\":' + '[' * 100000 + ']' * 100000 + '}]')" >"$T/deep2.json"
hostile 65 $SMALL "nesting deeper than 64 levels" crm-contact import "$T/deep2.json"

# NUL bytes: raw in CSV, TSV and NDJSON, escaped in JSON
printf 'first_name,email\nAnn,a@x.com\nB\0b,b@x.com\n' >"$T/nul.csv"
hostile 65 $SMALL "nul.csv:3:1: first_name: NUL byte in value" crm-contact import "$T/nul.csv"
printf 'first_name\temail\nB\0b\tb@x.com\n' >"$T/nul.tsv"
hostile 65 $SMALL "nul.tsv:2:1: first_name: NUL byte in value" crm-contact import -i tsv "$T/nul.tsv"
printf '{"first_name":"B\0b"}\n' >"$T/nul.ndjson"
hostile 65 $SMALL "nul.ndjson:1:" crm-contact import "$T/nul.ndjson"
printf '{"first_name":"ok"}\n{"first_name":"B\\u0000b"}\n' >"$T/nul2.ndjson"
hostile 65 $SMALL 'nul2.ndjson:2:24: NUL character (\u0000) in a string' crm-contact import "$T/nul2.ndjson"

# invalid UTF-8: a stray byte, an overlong form, a surrogate, in a name
printf 'first_name,email\nAnn,a@x.com\nB\xffb,b@x.com\n' >"$T/bad1.csv"
hostile 65 $SMALL "bad1.csv:3:1: first_name: invalid UTF-8" crm-contact import "$T/bad1.csv"
printf 'first_name,email\nAnn,\xc0\xaf@x.com\n' >"$T/bad2.csv"
hostile 65 $SMALL "bad2.csv:2:2: email: invalid UTF-8" crm-contact import "$T/bad2.csv"
printf '{"first_name":"\xed\xa0\x80"}\n' >"$T/bad3.ndjson"
hostile 65 $SMALL "bad3.ndjson:1:" crm-contact import "$T/bad3.ndjson"
err_has "first_name: invalid UTF-8"
printf 'first_\xffname\nAnn\n' >"$T/bad4.csv"
hostile 65 $SMALL "bad4.csv:1:1: invalid UTF-8 in column name" crm-contact import "$T/bad4.csv"

# a BOM mid-file (two files joined with cat) is an error; at the start it
# is skipped; inside a quoted cell it is data
printf '\xef\xbb\xbffirst_name,email\nAnn,a@x.com\n\xef\xbb\xbffirst_name,email\nBob,b@x.com\n' >"$T/bom.csv"
hostile 65 $SMALL "bom.csv:3:1: byte order mark inside the input (files joined together?)" crm-contact import "$T/bom.csv"
printf 'first_name\temail\nAnn\ta@x.com\n\xef\xbb\xbfBob\tb@x.com\n' >"$T/bom.tsv"
hostile 65 $SMALL "bom.tsv:3:1: byte order mark inside the input" crm-contact import -i tsv "$T/bom.tsv"
printf '\xef\xbb\xbfexternal_id,first_name\r\nq1,"\xef\xbb\xbfQ"\r\n' >"$T/bomq.csv"
expect_code 0 crm-contact import -q "$T/bomq.csv"
expect_code 0 crm-contact export -f csv --fields external_id,first_name -w external_id=q1
printf 'external_id,first_name\nq1,"\xef\xbb\xbfQ"\n' >"$T/want"
compare "$T/want" "$T/out" "a BOM at the start is skipped; a quoted one in a cell is data (and is quoted again on output)"
expect_code 0 crm-contact delete -q -w external_id=q1

# a last line without a newline is a record like the others
printf 'external_id,first_name\nn1,One\nn2,Two' >"$T/nonl.csv"
printf 'external_id\tfirst_name\nn3\tThree' >"$T/nonl.tsv"
printf '{"external_id":"n4","first_name":"Four"}' >"$T/nonl.ndjson"
printf 'external_id,first_name\r\nn5,"Fi\r\nve"' >"$T/nonl2.csv"
for f in nonl.csv nonl.tsv nonl.ndjson nonl2.csv; do
	hostile 0 $SMALL "" crm-contact import -q "$T/$f"
done
expect_code 0 crm-contact export -f ndjson --fields external_id,first_name -w 'external_id~n' --sort external_id
expect_out "last lines without newline all imported, CRLF inside quotes kept" <<'X'
{"external_id":"n1","first_name":"One"}
{"external_id":"n2","first_name":"Two"}
{"external_id":"n3","first_name":"Three"}
{"external_id":"n4","first_name":"Four"}
{"external_id":"n5","first_name":"Fi\r\nve"}
X
expect_code 0 crm-contact delete -q -w 'external_id~n'
db_dump "$CRM_DB" "$T/before.sql"

# numbers out of range
printf 'name,employees\nBig,99999999999999999999\n' >"$T/n1.csv"
hostile 65 $SMALL "n1.csv:2: employees: expected an integer, got '99999999999999999999'" crm-company import "$T/n1.csv"
printf 'name,employees\nBig,-9223372036854775809\n' >"$T/n2.csv"
hostile 65 $SMALL "n2.csv:2: employees: expected an integer" crm-company import "$T/n2.csv"
printf 'name,annual_revenue,currency\nBig,92233720368547758.08,EUR\n' >"$T/n3.csv"
hostile 65 $SMALL "n3.csv:2: annual_revenue: amount '92233720368547758.08' is out of range" crm-company import "$T/n3.csv"
printf 'name,annual_revenue,currency\nBig,1e30,EUR\n' >"$T/n4.csv"
hostile 65 $SMALL "n4.csv:2: annual_revenue: invalid amount '1e30'" crm-company import "$T/n4.csv"
printf '{"name":"Big","employees":1e400}\n' >"$T/n5.ndjson"
hostile 65 $SMALL "n5.ndjson:1:" crm-company import "$T/n5.ndjson"
printf '{"name":"Big","employees":123456789012345678901234567890}\n' >"$T/n6.ndjson"
hostile 65 $SMALL "n6.ndjson:1:" crm-company import "$T/n6.ndjson"
printf 'id,first_name\n9223372036854775808,X\n' >"$T/n7.csv"
hostile 65 $SMALL "n7.csv:2: id: expected an integer, got '9223372036854775808'" crm-contact import --key id "$T/n7.csv"
hostile 64 $SMALL "--limit: expected a count" crm-contact list --limit 99999999999999999999
hostile 66 $SMALL "no contact '9223372036854775808'" crm-contact show 9223372036854775808

# impossible dates
printf 'type,contact_id,occurred_at\ncall,1,2026-02-30\n' >"$T/d1.csv"
hostile 65 $SMALL "d1.csv:2: occurred_at: invalid date '2026-02-30'" crm-activity import "$T/d1.csv"
printf 'type,contact_id,occurred_at\ncall,1,2025-02-29T10:00:00Z\n' >"$T/d2.csv"
hostile 65 $SMALL "d2.csv:2: occurred_at: invalid date '2025-02-29'" crm-activity import "$T/d2.csv"
printf 'type,contact_id,occurred_at\ncall,1,2026-11-22T24:00:01Z\n' >"$T/d3.csv"
hostile 65 $SMALL "d3.csv:2: occurred_at:" crm-activity import "$T/d3.csv"
printf 'type,contact_id,occurred_at\ncall,1,99999-01-01\n' >"$T/d4.csv"
hostile 65 $SMALL "d4.csv:2: occurred_at:" crm-activity import "$T/d4.csv"
printf 'external_id,created_at\nx1,2026-02-30T00:00:00Z\n' >"$T/d5.csv"
hostile 65 $SMALL "d5.csv:2: created_at: invalid date '2026-02-30'" crm-contact import "$T/d5.csv"
hostile 65 $SMALL "invalid date '2026-02-30'" crm-activity log --type call --contact 1 --at 2026-02-30
hostile 64 $SMALL "--where 'created_at>2026-02-30': invalid date '2026-02-30'" crm-contact list -w 'created_at>2026-02-30'
CRM_NOW=2026-02-30 hostile 78 $SMALL "CRM_NOW" crm-contact list
printf 'type,contact_id,occurred_at\ncall,1,2024-02-29T23:59:59+01:00\n' >"$T/d6.csv"
hostile 0 $SMALL "" crm-activity import -q "$T/d6.csv"
expect_code 0 crm-activity export -f csv --fields occurred_at
printf 'occurred_at\n2024-02-29T22:59:59Z\n' >"$T/want"
compare "$T/want" "$T/out" "a leap day with an offset is a correct result, in UTC"
done_testing
