#!/bin/bash
# crm-report dashboard on a terminal (-f table, the default on a tty):
# the key figures with their change and a sparkline of the last twelve
# periods (gaps for periods without a value), Unicode blocks in a UTF-8
# locale, ASCII with LANG=C, colour only on a terminal without NO_COLOR,
# fitted to COLUMNS; and an empty database.
. "$(dirname "$0")/../lib.sh"

# an empty database: every figure empty or 0, nothing fails
expect_code 0 crm init
expect_code 0 crm-report dashboard -f table
out_has "Dashboard 2026-11-01 to 2026-11-22,"
out_has "vs 2026-10-01 to 2026-10-22"
out_has "  Open pipeline                  - money"
out_has "  New leads                      0 count           ____________"
expect_code 0 crm-report dashboard -f csv
out_has "sales,won,Won this period,,money,,,2026-10-01 to 2026-10-22"
expect_code 0 crm-report dashboard -f html
out_has '<p class="empty">No data.</p>'

at() { CRM_NOW=$1; export CRM_NOW; }
deal() { expect_code 0 crm-pipeline add -q --ids "$@"; }
# win rate: October 1 of 1 (100), November 1 of 2 (50), no deal closed
# in the ten months before: a sparkline of ten gaps, then high, then low
at 2026-10-01T00:00:00Z; deal --name A --amount 100 --currency EUR --owner kim
at 2026-10-02T00:00:00Z; deal --name B --amount 200 --currency EUR --owner kim
at 2026-10-03T00:00:00Z; deal --name C --amount 300 --currency EUR --owner kim
at 2026-10-11T00:00:00Z; expect_code 0 crm-pipeline won -q 1
at 2026-11-11T00:00:00Z; expect_code 0 crm-pipeline won -q 2
at 2026-11-12T00:00:00Z; expect_code 0 crm-pipeline lost -q 3 --reason price
at 2026-11-22T09:30:00Z

# LC_ALL=C (tests/lib.sh): ASCII; NO_COLOR=1: no escape codes
COLUMNS=100 expect_code 0 crm-report dashboard -f table
# label to 33 columns, values right-aligned to the widest ("200.00 EUR":
# 10), the change right-aligned in 8, then two blanks and the sparkline:
# won 100 in October, 200 in November (+100% on October 1-22)
grep -E '^  (Win rate|Won this period) ' "$T/out" >"$T/got"
cat >"$T/want" <<'X'
  Won this period                200.00 EUR  +100.0%            _#
  Win rate                           50.0 %   -50.0%            #_
X
compare "$T/want" "$T/got" "LANG=C: ASCII sparklines, gaps for months without a value"
check "NO_COLOR: no escape codes" sh -c "! grep -q \$'\\033' '$T/out'"
check "every line fits 100 columns" sh -c "! awk 'length > 100' '$T/out' | grep -q ."

LC_ALL=C.UTF-8 COLUMNS=100 expect_code 0 crm-report dashboard -f table
grep -E '^  Win rate ' "$T/out" >"$T/got"
printf '  Win rate                           50.0 %%   -50.0%%            \xe2\x96\x88\xe2\x96\x81\n' >"$T/want"
compare "$T/want" "$T/got" "UTF-8: sparklines in block characters"

# narrow: the label on a line of its own, the value and sparkline below
LC_ALL=C.UTF-8 COLUMNS=30 expect_code 0 crm-report dashboard -f table
grep -A2 -E '^  Win rate$' "$T/out" >"$T/got"
printf '  Win rate\n    50.0 %% -50.0%%\n              \xe2\x96\x88\xe2\x96\x81\n' >"$T/want"
compare "$T/want" "$T/got" "COLUMNS=30: one figure in three lines"
check "COLUMNS=30: every line fits" sh -c '[ "$(LC_ALL=C.UTF-8 wc -L <"$1")" -le 30 ]' _ "$T/out"
out_has "  Weighted forecast this quart"

# a terminal (script(1)): colour for the change unless NO_COLOR
unset NO_COLOR
if command -v script >/dev/null; then
	TERM=xterm run script -qec "crm-report dashboard" /dev/null
	check "on a terminal: the dashboard screen" grep -q "Win rate" "$T/out"
	check "on a terminal: the change is coloured" grep -q $'\033\\[3[12]m' "$T/out"
	TERM=xterm NO_COLOR=1 run script -qec "crm-report dashboard" /dev/null
	check "NO_COLOR on a terminal: no escape codes" sh -c "! grep -q \$'\\033' '$T/out'"
else
	not_ok "script(1) missing (util-linux)"
fi
done_testing
