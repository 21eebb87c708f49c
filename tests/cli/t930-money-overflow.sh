#!/bin/bash
# Sums of amounts past int64 minor units (92233720368547758.07 EUR) are bad
# data: every report, the forecast, the board and RFM stop with exit 65 and
# "a sum of amounts is out of range", never a wrapped or clamped number,
# and write nothing.
. "$(dirname "$0")/../lib.sh"

for n in A B; do
	expect_code 0 crm-pipeline add -q --name $n --amount 90000000000000000.00 --currency EUR --owner kim --probability 50
done
MSG="a sum of amounts is out of range"
expect_code 65 crm-report pipeline -f csv
err_has "crm-report: report: $MSG"
check "report pipeline: no records on stdout" test ! -s "$T/out"
expect_code 65 crm-pipeline forecast -f csv
err_has "crm-pipeline: forecast: $MSG"
expect_code 65 crm-pipeline board -f csv
err_has "$MSG"
expect_code 0 crm-pipeline won -q 1 2
db_dump "" "$T/before"
expect_code 65 crm-report dealsize -f csv
err_has "crm-report: report: $MSG"
expect_code 65 crm-report leaderboard -f csv
err_has "$MSG"
expect_code 65 crm-pipeline forecast -f csv
err_has "$MSG"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing written"

# a weighted sum (floating point in SQL) past the range is refused too,
# not clamped by CAST: two open deals of 60000000000000000.00 at 100%
expect_code 0 crm-pipeline add -q --name C --amount 60000000000000000.00 --currency USD --owner lou --probability 100
expect_code 0 crm-pipeline add -q --name D --amount 60000000000000000.00 --currency USD --owner lou --probability 100
expect_code 65 crm-report pipeline -f csv --where currency=USD
err_has "$MSG"

# the largest amounts that do fit still print exactly
expect_code 0 crm-pipeline add -q --name E --amount 46116860184273879.03 --currency GBP --owner kim
expect_code 0 crm-pipeline add -q --name F --amount 46116860184273879.04 --currency GBP --owner kim
expect_code 0 crm-report pipeline -f csv --by '' --where currency=GBP --fields currency,amount
expect_out "a sum of exactly 2^63-1 minor units" <<'X'
currency,amount
GBP,92233720368547758.07
X
done_testing
