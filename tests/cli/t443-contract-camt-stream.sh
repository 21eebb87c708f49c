#!/bin/bash
# reconcile reads a camt.053 statement as a stream, one Ntry at a time,
# and answers as a parse of the whole document did: only Ntry children
# of Stmt children of the first BkToCstmrStmt under the root Document
# count (by local name), a batch is a line per transaction, thousands of
# entries of every shape give the lines an awk model of them gives, and
# the errors keep their order: a malformation anywhere (also after a bad
# entry, also a truncated or empty file, in the words of the parser of
# the whole document) before a DTD, before a root that is not camt.053,
# before the first entry's own error. Nothing is written on an error.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-contract invoice -q --account "Acme GmbH" --currency EUR --line "Work;1;1000"
db_dump "" "$T/before"

F=ref,date,amount,currency,payer,text
# ntry REF AMOUNT: a credit entry on one line
ntry() {
	printf '<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>%s</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Payer %s</Nm></Dbtr></RltdPties><RmtInf><Ustrd>Invoice %s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n' "$2" "$1" "$1" "$1"
}

# where an Ntry counts: <Ntry/> anywhere else would fail the statement
# ("CdtDbtInd: expected CRDT or DBIT") if it were read
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
	echo '<Ntry/>'
	echo '<BkToCstmrStmt>'
	echo '<Ntry/>'
	echo '<GrpHdr><Stmt><Ntry/></Stmt></GrpHdr>'
	echo '<Stmt>'
	ntry A1 1.00
	echo '<X><Ntry/></X><Bal><Amt Ccy="EUR">5.00</Amt></Bal>'
	ntry A2 2.00 | sed 's|</Ntry>$|<Ntry/></Ntry>|'
	echo '<TxsSummry><Ntry/></TxsSummry>'
	echo '</Stmt>'
	echo '<Rpt><Ntry/></Rpt>'
	echo '<Stmt><!-- a second statement counts -->'
	ntry A3 3.00
	echo '</Stmt>'
	echo '</BkToCstmrStmt>'
	echo '<BkToCstmrStmt><Stmt><Ntry/></Stmt></BkToCstmrStmt>'
	echo '<Stmt><Ntry/></Stmt>'
	echo '</Document>'
} >"$T/where.xml"
expect_code 0 crm-contract reconcile -q "$T/where.xml" --fields $F
expect_out "only Ntry in Stmt in the first BkToCstmrStmt under Document count" <<'EOF'
ref,date,amount,currency,payer,text
A1,2026-11-21,1.00,EUR,Payer A1,Invoice A1
A2,2026-11-21,2.00,EUR,Payer A2,Invoice A2
A3,2026-11-21,3.00,EUR,Payer A3,Invoice A3
EOF
cp "$T/out" "$T/where.csv"
# the same with every element in a prefixed namespace: local names count
sed -e 's|<\([A-Za-z]\)|<c:\1|g' -e 's|</|</c:|g' \
	-e 's|<c:Document xmlns=|<c:Document xmlns:c=|' "$T/where.xml" >"$T/prefixed.xml"
expect_code 0 crm-contract reconcile -q "$T/prefixed.xml" --fields $F
compare "$T/where.csv" "$T/out" "prefixed names: the same three lines"

# a batch: a line per TxDtls, its reference after the entry's (a number
# for those without one), its own amount
cat >"$T/batch.xml" <<'EOF'
<Document><BkToCstmrStmt><Stmt>
<Ntry><Amt Ccy="EUR">60.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>B</AcctSvcrRef>
<NtryDtls>
<TxDtls><Refs><AcctSvcrRef>T1</AcctSvcrRef></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>One</Nm></Dbtr></RltdPties><RmtInf><Ustrd>first</Ustrd></RmtInf></TxDtls>
<TxDtls><Amt Ccy="EUR">20.00</Amt><RmtInf><Ustrd>second</Ustrd></RmtInf></TxDtls>
<TxDtls><Refs><AcctSvcrRef>T3</AcctSvcrRef></Refs><Amt Ccy="USD">30.00</Amt>
<RltdPties><UltmtDbtr><Nm>Three</Nm></UltmtDbtr></RltdPties></TxDtls>
</NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>
EOF
expect_code 0 crm-contract reconcile -q "$T/batch.xml" --fields $F
expect_out "a batch: three lines" <<'EOF'
ref,date,amount,currency,payer,text
B/T1,2026-11-21,10.00,EUR,One,first
B/1,2026-11-21,20.00,EUR,,second
B/T3,2026-11-21,30.00,USD,Three,
EOF

# 3,000 entries of eight shapes (debits, NtryRef, DtTm and ValDt dates,
# batches, structured references, comments, CDATA and character
# references in texts, pretty printed ones) against an awk model
awk -v n=3000 -v xml="$T/many.xml" -v csv="$T/many.csv" '
# the start of a credit entry i in EUR, booked on d, reference Ri
function credit() {
	printf "%s", "<Ntry><Amt Ccy=\"EUR\">" amt "</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>" d "</Dt></BookgDt><AcctSvcrRef>R" i "</AcctSvcrRef>" >xml
}
BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" >xml
	print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>" >xml
	print "ref,date,amount,currency,payer,text" >csv
	for (i = 1; i <= n; i++) {
		s = i % 8; amt = sprintf("%d.%02d", i, i % 100); d = sprintf("2026-11-%02d", 1 + i % 28)
		if (s == 0) {
			credit()
			printf "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Payer %d</Nm></Dbtr></RltdPties><RmtInf><Ustrd>INV-%06d</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", i, i >xml
			printf "R%d,%s,%s,EUR,Payer %d,INV-%06d\n", i, d, amt, i, i >csv
		} else if (s == 1) {
			printf "<Ntry><Amt Ccy=\"EUR\">%s</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>%s</Dt></BookgDt><AcctSvcrRef>R%d</AcctSvcrRef></Ntry>\n", amt, d, i >xml
		} else if (s == 2) {
			printf "<Ntry><NtryRef>N%d</NtryRef><Amt Ccy=\"USD\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><DtTm>%sT10:00:00Z</DtTm></BookgDt><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Party %d</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>first %d</Ustrd><Ustrd>second</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", i, amt, d, i, i >xml
			printf "N%d,%s,%s,USD,Party %d,first %d second\n", i, d, amt, i, i >csv
		} else if (s == 3) {
			credit()
			printf "<NtryDtls>" >xml
			printf "<TxDtls><Refs><AcctSvcrRef>a</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">%d.00</Amt></TxAmt></AmtDtls><RltdPties><UltmtDbtr><Nm>Ultimate %d</Nm></UltmtDbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Ref>RF%d</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>", i, i, i >xml
			printf "<TxDtls><Amt Ccy=\"EUR\">0.%02d</Amt></TxDtls></NtryDtls></Ntry>\n", i % 100 >xml
			printf "R%d/a,%s,%d.00,EUR,Ultimate %d,RF%d\n", i, d, i, i, i >csv
			printf "R%d/1,%s,0.%02d,EUR,,\n", i, d, i % 100 >csv
		} else if (s == 4) {
			printf "<Ntry>\n  <Amt Ccy=\"USD\">\n    %s\n  </Amt>\n  <CdtDbtInd> CRDT </CdtDbtInd>\n  <ValDt><Dt>%s</Dt></ValDt>\n  <AcctSvcrRef>\n    R%d\n  </AcctSvcrRef>\n</Ntry>\n", amt, d, i >xml
			printf "R%d,%s,%s,USD,,\n", i, d, amt >csv
		} else if (s == 5) {
			credit()
			printf "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>A&amp;B <!-- x -->%d</Nm></Dbtr></RltdPties><RmtInf><Ustrd><![CDATA[<%d>]]> &#x41;&lt;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", i, i >xml
			printf "R%d,%s,%s,EUR,A&B %d,<%d> A<\n", i, d, amt, i, i >csv
		} else if (s == 6) {
			printf "<Ntry><Sts>BOOK</Sts><Amt Ccy=\"EUR\">%s</Amt><BkTxCd><Ntry/></BkTxCd><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>%s</Dt></BookgDt><NtryRef>ignored</NtryRef><AcctSvcrRef>R%d</AcctSvcrRef></Ntry>\n", amt, d, i >xml
			printf "R%d,%s,%s,EUR,,\n", i, d, amt >csv
		} else {
			printf "<Bal><Amt Ccy=\"EUR\">1.00</Amt></Bal><!-- %d -->", i >xml
			credit()
			printf "<NtryDtls><TxDtls><RmtInf><Ustrd>  padded  </Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n" >xml
			printf "R%d,%s,%s,EUR,,padded\n", i, d, amt >csv
		}
	}
	print "</Stmt></BkToCstmrStmt></Document>" >xml
}'
expect_code 0 crm-contract reconcile "$T/many.xml" --fields $F
compare "$T/many.csv" "$T/out" "3,000 entries: the lines of the awk model"

# precedence: an entry's error, then a malformation further on (after
# more than the reader reads at once): the malformation is reported
{
	echo '<Document><BkToCstmrStmt><Stmt>'
	ntry P1 1.00 | sed 's|<AcctSvcrRef>P1</AcctSvcrRef>||'
	i=0
	while [ $i -lt 300 ]; do ntry "G$i" 1.00; i=$((i + 1)); done
	ntry P2 1.00 | sed 's|Ccy="EUR"|Ccy="EU"|'
} >"$T/head.xml"
{
	cat "$T/head.xml"
	echo '<Ntry><Amt Ccy="EUR">1.00</Amt></Ntyr>'
	echo '</Stmt></BkToCstmrStmt></Document>'
} >"$T/late.xml"
expect_code 65 crm-contract reconcile --apply "$T/late.xml"
expect_err "a malformation at line 304 wins over the entry's error at line 2" <<EOF
crm-contract:$T/late.xml:304: not well-formed XML: Opening and ending tag mismatch: Ntry line 304 and Ntyr
EOF
{
	cat "$T/head.xml"
	echo '</Stmt></BkToCstmrStmt></Document>'
} >"$T/first.xml"
expect_code 65 crm-contract reconcile --apply "$T/first.xml"
expect_err "well-formed: the first entry's error (line 2), not a later one's (303)" <<EOF
crm-contract:$T/first.xml:2: Ntry: no AcctSvcrRef or NtryRef (needed to apply an entry once)
EOF
{
	echo '<!-- a root that is not camt.053 -->'
	echo
	echo '<Doc><BkToCstmrStmt><Stmt>'
	ntry N1 1.00
	echo '</Stmt></BkToCstmrStmt></Doc>'
} >"$T/notcamt.xml"
expect_code 65 crm-contract reconcile "$T/notcamt.xml"
expect_err "not camt.053: the root's line" <<EOF
crm-contract:$T/notcamt.xml:3: not a camt.053 statement (no Document/BkToCstmrStmt)
EOF
{
	cat "$T/notcamt.xml"
	echo '<Extra/>'
} >"$T/notcamt2.xml"
expect_code 65 crm-contract reconcile "$T/notcamt2.xml"
expect_err "not camt.053, then content after the root: the malformation" <<EOF
crm-contract:$T/notcamt2.xml:6: not well-formed XML: Extra content at the end of the document
EOF

# a DTD (UTF-16 hides it from the byte scan): refused before an entry's
# error, after a malformation
printf '<?xml version="1.0"?>\n<!DOCTYPE Document>\n<Document><BkToCstmrStmt><Stmt>\n<Ntry/>\n</Stmt></BkToCstmrStmt></Document>\n' >"$T/dtd8.xml"
iconv -f UTF-8 -t UTF-16 "$T/dtd8.xml" >"$T/dtd.xml"
expect_code 65 crm-contract reconcile --statement camt053 "$T/dtd.xml"
expect_err "a DTD before the entry's error" <<EOF
crm-contract:$T/dtd.xml: a DTD is not allowed in a statement
EOF
printf '<Extra/>\n' | iconv -f UTF-8 -t UTF-16LE | cat "$T/dtd.xml" - >"$T/dtd2.xml"
expect_code 65 crm-contract reconcile --statement camt053 "$T/dtd2.xml"
expect_err "a malformation after the DTD" <<EOF
crm-contract:$T/dtd2.xml:6: not well-formed XML: Extra content at the end of the document
EOF

# truncated files and an empty one, in the words of the parse of the
# whole document (a stream's parser says "Extra content at the end of
# the document" for some)
head -n 2000 "$T/many.xml" >"$T/cut1.xml"
expect_code 65 crm-contract reconcile --apply "$T/cut1.xml"
expect_err "truncated after a line" <<EOF
crm-contract:$T/cut1.xml:2001: not well-formed XML: Premature end of data in tag Ntry line 1995
EOF
head -c 300000 "$T/many.xml" >"$T/cut2.xml"
expect_code 65 crm-contract reconcile --apply "$T/cut2.xml"
expect_err "truncated inside an entry" <<EOF
crm-contract:$T/cut2.xml:2419: not well-formed XML: attributes construct error
EOF
head -c 99 "$T/many.xml" >"$T/cut3.xml"
expect_code 65 crm-contract reconcile --apply "$T/cut3.xml"
expect_err "truncated inside the root's start tag" <<EOF
crm-contract:$T/cut3.xml:2: not well-formed XML: AttValue: ' expected
EOF
: >"$T/empty.xml"
expect_code 65 crm-contract reconcile --statement camt053 "$T/empty.xml"
expect_err "an empty statement" <<EOF
crm-contract:$T/empty.xml: not well-formed XML: parse error
EOF

db_dump "" "$T/after"
compare "$T/before" "$T/after" "no refused statement wrote anything"
done_testing
