#!/bin/bash
# Character sets on import: UTF-16 (LE and BE) by its byte order mark,
# legacy sets with --encoding (through iconv), stored as UTF-8; bytes
# invalid in the set are an error naming the line, and nothing is written.
. "$(dirname "$0")/../lib.sh"

# to16 LE|BE: UTF-8 on stdin to UTF-16 with its byte order mark
to16() {
	if [ "$1" = LE ]; then printf '\377\376'; else printf '\376\377'; fi
	iconv -f UTF-8 -t "UTF-16$1"
}
stored() { # external_id: first_name|last_name|city as stored
	sql "select first_name || '|' || coalesce(last_name, '') || '|' || coalesce(city, '') from contacts where external_id = '$1'"
	cat "$T/sql"
}

printf 'external_id,first_name,last_name,city\r\nle1,Zo\xc3\xab,"M\xc3\xbcller, Jr",\xe5\x8c\x97\xe4\xba\xac\r\n' |
	to16 LE >"$T/le.csv"
expect_code 0 crm-contact import "$T/le.csv"
check "UTF-16LE with a BOM" [ "$(stored le1)" = 'Zoë|Müller, Jr|北京' ]
printf 'external_id;first_name;last_name;city\nbe1;\xc3\x89mile;Zola;\xf0\x9f\x98\x80\n' |
	to16 BE >"$T/be.csv"
expect_code 0 crm-contact import "$T/be.csv"
check "UTF-16BE with a BOM, semicolons detected" [ "$(stored be1)" = 'Émile|Zola|😀' ]
# on a pipe, and with the format detected after decoding
expect_code_in 0 "$T/le.csv" crm-contact import -q
printf '[{"external_id":"j1","first_name":"J\xc3\xb8rn"}]\n' | to16 LE >"$T/j.json"
expect_code 0 crm-contact import "$T/j.json"
check "UTF-16 JSON is detected as JSON" [ "$(stored j1)" = 'Jørn||' ]
printf 'external_id\tfirst_name\nt1\tT\xc3\xa9a\n' | to16 BE >"$T/t.tsv"
expect_code 0 crm-contact import "$T/t.tsv"
check "UTF-16 TSV is detected as TSV" [ "$(stored t1)" = 'Téa||' ]

# legacy character sets, with --encoding
legacy() { # charset id name city
	printf 'external_id,first_name,last_name,city\n%s,%s,Test,%s\n' "$2" "$3" "$4" |
		iconv -f UTF-8 -t "$1" >"$T/$2.csv"
	expect_code 0 crm-contact import --encoding "$1" "$T/$2.csv"
	check "--encoding $1: stored as UTF-8" [ "$(stored "$2")" = "$3|Test|$4" ]
}
legacy GB18030 gb1 '张伟' '北京市海淀区'
legacy GBK gbk1 '李娜' '上海'
legacy BIG5 big1 '陳大文' '臺北市'
legacy SHIFT_JIS sj1 '山田太郎' '東京都'
legacy CP1252 w1 'François' 'Zürich – “centre”'
# GB18030's four-byte forms reach every code point
printf 'external_id,first_name\ngb2,\xf0\x9f\x98\x80\xe2\x82\xac\n' | iconv -f UTF-8 -t GB18030 >"$T/gb2.csv"
expect_code 0 crm-contact import --encoding gb18030 "$T/gb2.csv"
check "GB18030 four-byte sequences" [ "$(stored gb2)" = '😀€||' ]
# on a pipe
printf 'external_id,first_name\nw2,Ren\xe9e\n' >"$T/w2.csv"
expect_code_in 0 "$T/w2.csv" crm-contact import --encoding windows-1252
check "--encoding on stdin" [ "$(stored w2)" = 'Renée||' ]

# without --encoding a legacy file is refused (never mojibake), saying so
db_dump "" "$T/before"
expect_code 65 crm-contact import "$T/gb1.csv"
err_has 'gb1.csv:2:2: first_name: invalid UTF-8 (another character set? see --encoding)'
# bytes invalid in the character set: the line, exit 65, nothing written
printf 'external_id,first_name\nx1,Ann\nx2,Bob\nx3,B\x81b\nx4,Cy\n' >"$T/bad1252.csv"
expect_code 65 crm-contact import --encoding CP1252 "$T/bad1252.csv"
err_has 'bad1252.csv:4: invalid CP1252: byte 0x81'
printf 'external_id,first_name\ny1,\xd5\xc5\ny2,\xff\xff\n' >"$T/badgb.csv"
expect_code 65 crm-contact import --encoding GB18030 "$T/badgb.csv"
err_has 'badgb.csv:3: invalid GB18030: byte 0xFF'
expect_code_in 65 "$T/badgb.csv" crm-contact import --encoding GB18030
err_has '<stdin>:3: invalid GB18030'
# a UTF-16 file cut inside a character
{ cat "$T/le.csv"; printf 'A'; } >"$T/cut.csv"
expect_code 65 crm-contact import "$T/cut.csv"
err_has 'cut.csv:3: invalid UTF-16LE: input ends inside a character'
# an unpaired surrogate
{ printf '\377\376'; printf 'external_id,first_name\n' | iconv -t UTF-16LE; printf 'z\0001\000,\000\000\330a\000\n\000'; } >"$T/sur.csv"
expect_code 65 crm-contact import "$T/sur.csv"
err_has 'sur.csv:2: invalid UTF-16LE'
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed imports changed nothing"
expect_code 64 crm-contact import --encoding NO-SUCH-SET "$T/w2.csv"
err_has "unknown character set 'NO-SUCH-SET'"
done_testing
