#!/bin/bash
# Tables fit the terminal: COLUMNS (or the tty's width) cuts the widest
# columns with an ellipsis, counting CJK as two columns. No colour when
# TERM=dumb, as with NO_COLOR.
. "$(dirname "$0")/../lib.sh"

cat >"$T/in.csv" <<'X'
first_name,last_name,email,company
王小明,张伟伟伟伟伟伟伟伟伟伟,wang@example.cn,北京网络科技有限公司北京网络科技有限公司
Ann,Lee,ann@example.com,Acme Corporation International Holdings
X
expect_code 0 crm-contact import -q "$T/in.csv"

export COLUMNS=40
expect_code 0 crm-contact list -f table --fields id,first_name,last_name,company
expect_out "COLUMNS=40: the widest columns cut with an ellipsis" <<'X'
id  first_name  last_name    company
 1  王小明      张伟伟伟伟…  北京网络科…
 2  Ann         Lee          Acme Corpo…
X
expect_code 0 crm-contact list -f table
w=$(LC_ALL=C.UTF-8 wc -L <"$T/out")
check "every line fits in 40 columns ($w)" [ "$w" -le 40 ]
grep -c '…' "$T/out" >"$T/n"
check "cut cells end in an ellipsis" [ "$(cat "$T/n")" -ge 2 ]
COLUMNS=200 expect_code 0 crm-contact list -f table --fields id,company
expect_out "a wide terminal cuts nothing" <<'X'
id  company
 1  北京网络科技有限公司北京网络科技有限公司
 2  Acme Corporation International Holdings
X
COLUMNS=40 expect_code 0 crm-contact list -f csv --fields id,company
out_has "北京网络科技有限公司北京网络科技有限公司"

# a terminal (script(1) gives one): bold headers, except for TERM=dumb
unset COLUMNS NO_COLOR
no_esc() { ! grep -q $'\033' "$1"; }
if command -v script >/dev/null; then
	TERM=xterm run script -qec "crm-contact list -f table" /dev/null
	check "TERM=xterm: the header is bold" grep -q $'\033\\[1m' "$T/out"
	TERM=dumb run script -qec "crm-contact list -f table" /dev/null
	check "TERM=dumb: the table has no escape codes" no_esc "$T/out"
	check "TERM=dumb: the table is there" grep -q 'first_name' "$T/out"
	expect_code 0 crm-pipeline add --name 'Deal A' --set company=Acme --amount 100 --currency EUR --set source=web
	TERM=xterm run script -qec "crm-report pipeline" /dev/null
	check "TERM=xterm: the report chart is coloured" grep -q $'\033' "$T/out"
	TERM=dumb run script -qec "crm-report pipeline" /dev/null
	check "TERM=dumb: the report has no escape codes" no_esc "$T/out"
	check "TERM=dumb: the report is there" grep -q "prospecting" "$T/out"
	TERM=dumb NO_COLOR= run script -qec "crm-contact list -f table" /dev/null
	check "TERM=dumb with an empty NO_COLOR: no escape codes" no_esc "$T/out"
else
	not_ok "script(1) missing (util-linux)"
fi
done_testing
