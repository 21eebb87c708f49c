#!/bin/bash
# A report's range has at most 10000 periods: a deal won in the year 0300
# makes --period day span 630,000 days, refused at once (exit 64, with
# what to do); by year the same range is 1728 periods and correct.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-pipeline add -q --name old --amount 10 --currency EUR --owner kim
expect_code 0 crm-pipeline won -q 1
expect_code 0 crm-pipeline add -q --name new --amount 20 --currency EUR --owner kim
expect_code 0 crm-pipeline won -q 2
sql "UPDATE deals SET closed_at = '0300-01-05T00:00:00Z', created_at = '0300-01-01T00:00:00Z' WHERE id = 1"

start=$SECONDS
expect_code 64 timeout -k 2 20 crm-report winrate --period day -f csv
err_has "crm-report: more than 10000 periods: use a longer --period or a shorter --from/--to range"
check "refused within 10 seconds" test $((SECONDS - start)) -le 10
check "nothing on stdout" test ! -s "$T/out"
expect_code 64 timeout -k 2 20 crm-report winrate --period week -f csv
expect_code 64 timeout -k 2 20 crm-report dealsize --period day --from 0001-01-01 -f csv
err_has "more than 10000 periods"

expect_code 0 timeout -k 2 20 crm-report winrate --period year -f csv
check "by year: 1727 periods and a header" test "$(wc -l <"$T/out")" -eq 1728
head -2 "$T/out" >"$T/got"
printf 'period,owner,closed,won,lost,win_rate\n0300,kim,1,1,0,100.0\n' >"$T/want"
compare "$T/want" "$T/got" "the year 0300 is the first period"
grep '^2026,' "$T/out" >"$T/got"
echo "2026,kim,1,1,0,100.0" >"$T/want"
compare "$T/want" "$T/got" "and 2026 the last"
# a short range by day is fine
expect_code 0 crm-report winrate --period day --from 0300-01-04 --to 0300-01-06 -f csv
expect_out "three days of the year 0300" <<'X'
period,owner,closed,won,lost,win_rate
0300-01-04,kim,0,0,0,
0300-01-05,kim,1,1,0,100.0
0300-01-06,kim,0,0,0,
X
done_testing
