#!/bin/bash
# CSV dialects on import: a quote inside an unquoted cell is a literal
# character (as Excel, Python's csv and the sqlite3 shell read it);
# --strict refuses it; semicolon-separated files (European Excel) are
# detected, or chosen with --delimiter; quoted cells stay strict.
. "$(dirname "$0")/../lib.sh"

printf 'external_id,first_name,last_name,height,order\nq1,Ann,Lee,5'"'"'11",12" pizza\nq2,Bob,"Ray, Jr","say ""hi""",x\n' >"$T/q.csv"
expect_code 0 crm-contact import "$T/q.csv"
run crm-contact export -f csv --fields external_id,last_name,height,order
expect_out "quotes inside unquoted cells are kept as they are" <<'X'
external_id,last_name,height,order
q1,Lee,"5'11""","12"" pizza"
q2,"Ray, Jr","say ""hi""",x
X

# --strict refuses them, with file, line and column; nothing written
printf 'external_id,first_name,height\ns1,Cy,5'"'"'11"\n' >"$T/s.csv"
db_dump "" "$T/before"
expect_code 65 crm-contact import --strict "$T/s.csv"
err_has 's.csv:2:3: height: quote inside an unquoted cell (--strict)'
db_dump "" "$T/after"
compare "$T/before" "$T/after" "--strict: the database is unchanged"
printf 'external_id,first_name\ns2,12" pizza\n' >"$T/s2.csv"
expect_code 65 crm-contact import --strict "$T/s2.csv"
err_has 's2.csv:2:2: first_name: quote inside an unquoted cell'

# a quoted cell with text after its closing quote is still an error
printf 'external_id,first_name\nb1,"Bo"b\n' >"$T/b.csv"
expect_code 65 crm-contact import "$T/b.csv"
err_has 'b.csv:2:2: first_name: bad quote'
printf 'external_id,first_name\nb2,"Bob\n' >"$T/u.csv"
expect_code 65 crm-contact import "$T/u.csv"
err_has 'unterminated quote'

# semicolons, as European Excel writes them: detected from the header
printf 'external_id;first_name;last_name;city\r\ne1;Jos\xc3\xa9;"Silva; Jr";Lisboa\r\ne2;Ana;M"uller;Porto\r\n' >"$T/semi.csv"
expect_code 0 crm-contact import "$T/semi.csv"
run crm-contact export -f csv --fields external_id,first_name,last_name,city --where external_id~e
expect_out "a semicolon file is detected" <<'X'
external_id,first_name,last_name,city
e1,José,Silva; Jr,Lisboa
e2,Ana,"M""uller",Porto
X
# on stdin too
expect_code_in 0 "$T/semi.csv" crm-contact import -q
# --delimiter chooses: a header with a comma in a column name is not
# detected as semicolon-separated
printf 'external_id;first_name;"Notes, misc"\nd1;Dee;x\n' >"$T/one.csv"
expect_code 0 crm-contact import --delimiter ';' "$T/one.csv"
sql "select first_name, custom from contacts where external_id = 'd1'"
want='Dee|{"Notes, misc":"x"}'
case $CRM_DB in # jsonb there: printed with a space after the colon
postgresql:* | postgres:*) want='Dee|{"Notes, misc": "x"}' ;;
esac
check "--delimiter ';'" [ "$(cat "$T/sql")" = "$want" ]
printf 'external_id|first_name|city\np1|Pia|"Rome|Italy"\n' >"$T/pipe.csv"
expect_code 0 crm-contact import --delimiter '|' "$T/pipe.csv"
run crm-contact show p1 -f csv --fields city
expect_out "--delimiter '|'" <<'X'
city
Rome|Italy
X
# a header with commas stays comma-separated, semicolons are data
printf 'external_id,first_name,notes\nc1,Cal,a;b\n' >"$T/c.csv"
expect_code 0 crm-contact import "$T/c.csv"
run crm-contact show c1 -f csv --fields notes
expect_out "commas win over semicolons" <<'X'
notes
a;b
X
# tab as a CSV delimiter keeps CSV quoting (Excel's tab-separated text)
printf 'external_id\tfirst_name\tnotes\nt1\tTia\t"a\tb"\n' >"$T/tab.txt"
expect_code 0 crm-contact import --delimiter tab "$T/tab.txt"
run crm-contact show t1 -f json --fields notes
expect_out "--delimiter tab reads quoted cells" <<'X'
{"notes":"a\tb"}
X
expect_code 64 crm-contact import --delimiter ';;' "$T/c.csv"
err_has "--delimiter: expected one character"
expect_code 64 crm-contact import --delimiter '"' "$T/c.csv"
done_testing
