#!/bin/bash
# Hostile statements are refused safely (exit 65, nothing written, quickly,
# bounded memory): entity expansion (billion laughs, also in UTF-16 where
# a byte scan for "<!DOCTYPE" cannot see it), an external entity, a file
# over the size limit, nesting too deep, broken XML, XML that is not
# camt.053.
. "$(dirname "$0")/../lib.sh"
D="$DATA/contract"

expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-contract invoice -q --account "Acme GmbH" --currency EUR --line "Work;1;1000"
db_dump "" "$T/before"

laughs() {
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE Document ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		printf ' <!ENTITY lol%s "' $i
		for j in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $prev; done
		echo '">'
		prev=lol$i
	done
	echo ']>'
	echo '<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1.00</Amt>'
	echo '<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-21</Dt></BookgDt>'
	echo '<AcctSvcrRef>X1</AcctSvcrRef><NtryDtls><TxDtls><RmtInf>'
	echo '<Ustrd>&lol9;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>'
	echo '</BkToCstmrStmt></Document>'
}
laughs >"$T/laughs.xml"
expect_code 65 timeout 20 crm-contract reconcile --apply "$T/laughs.xml"
err_has "laughs.xml: a DOCTYPE or entity declaration is not allowed"
check "billion laughs: nothing on stdout" [ ! -s "$T/out" ]

# the same in UTF-16: the bytes hide the DOCTYPE, libxml2 must refuse
laughs | sed 's/encoding="[^"]*"//' | iconv -f UTF-8 -t UTF-16 >"$T/laughs16.xml"
expect_code 65 timeout 20 crm-contract reconcile --apply "$T/laughs16.xml"
check "UTF-16 billion laughs: refused for its entities" grep -qE 'laughs16.xml:[0-9]+: .*(entity|DTD)' "$T/err"
check "UTF-16 billion laughs: nothing on stdout" [ ! -s "$T/out" ]

cat >"$T/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1000.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-21</Dt></BookgDt>
<AcctSvcrRef>X2</AcctSvcrRef><NtryDtls><TxDtls><RmtInf>
<Ustrd>INV-000001 &xxe;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>
</BkToCstmrStmt></Document>
EOF
expect_code 65 crm-contract reconcile --apply "$T/xxe.xml"
err_has "not allowed"
check "external entity: /etc/passwd not read into any output" sh -c '! grep -q "root:" "$1" "$2"' _ "$T/out" "$T/err"

# over the size limit (the limit, given smaller, is checked before parsing)
{
	sed -n '1,/<Ntry>/p' "$D/camt053-day1.xml" | sed '$d'
	i=0
	while [ $i -lt 3000 ]; do
		printf '<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>B%s</AcctSvcrRef></Ntry>\n' $i
		i=$((i + 1))
	done
	echo '</Stmt></BkToCstmrStmt></Document>'
} >"$T/big.xml"
expect_code 65 crm-contract reconcile --max-bytes 100000 "$T/big.xml"
err_has "larger than the limit"
expect_code 0 crm-contract reconcile -q "$T/big.xml" --fields status
check "under the default limit the same file reads (3000 lines)" [ "$(grep -c unmatched "$T/out")" -eq 3000 ]

# nesting too deep for libxml2's limit
{
	echo '<Document><BkToCstmrStmt>'
	i=0
	while [ $i -lt 5000 ]; do printf '<a>'; i=$((i + 1)); done
	echo
} >"$T/deep.xml"
expect_code 65 timeout 20 crm-contract reconcile "$T/deep.xml"
err_has "deep.xml"

printf '<Document><BkToCstmrStmt><Stmt>\n<Ntry>\n</Stmt>' >"$T/broken.xml"
expect_code 65 crm-contract reconcile "$T/broken.xml"
err_has "broken.xml:3: not well-formed XML"
printf '<html><body>hello</body></html>\n' >"$T/html.xml"
expect_code 65 crm-contract reconcile "$T/html.xml"
err_has "not a camt.053 statement"
sed 's/Amt Ccy="EUR">1250.00/Amt>1250.00/' "$D/camt053-day1.xml" >"$T/noccy.xml"
expect_code 65 crm-contract reconcile "$T/noccy.xml"
err_has "noccy.xml:52: Amt: no valid Ccy attribute"
sed 's/<AcctSvcrRef>2026112100002<\/AcctSvcrRef>//; s/<NtryRef>2<\/NtryRef>//' "$D/camt053-day1.xml" >"$T/noref.xml"
expect_code 65 crm-contract reconcile --apply "$T/noref.xml"
err_has "no AcctSvcrRef or NtryRef"

db_dump "" "$T/after"
compare "$T/before" "$T/after" "no hostile statement wrote anything"
done_testing
