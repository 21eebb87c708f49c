#!/bin/bash
# The input options on every reader: crm-score's record readers take
# --delimiter, --strict and --encoding; converted input read from a pipe
# (not a file) is handed on line by line; every import verb has the
# options, and verbs that read no records do not.
. "$(dirname "$0")/../lib.sh"

cat >"$T/rules.json" <<'X'
{"fit": {"max": 50, "rules": [
  {"name": "vp", "field": "title", "op": "matches", "value": "(^|[^a-z])vp([^a-z]|$)", "points": 25}]},
 "grades": {"fit": [{"grade": "A", "min": 20}, {"grade": "D"}],
            "engagement": [{"grade": "1", "min": 50}, {"grade": "3"}]}}
X
printf 'name;title;height\nJos\xe9;VP Sales;5'"'"'11"\nAnn;Engineer;6'"'"'\n' >"$T/leads.csv"
expect_code 0 crm-score leads --stdin --rules "$T/rules.json" --encoding cp1252 "$T/leads.csv"
expect_out "crm-score leads: CP1252, semicolons, a quote in a cell" <<'X'
name,title,height,score,grade
José,VP Sales,"5'11""",25,A
Ann,Engineer,6',0,D
X
expect_code 65 crm-score leads --stdin --rules "$T/rules.json" --encoding cp1252 --strict "$T/leads.csv"
err_has "leads.csv:2:3: height: quote inside an unquoted cell (--strict)"
# through a pipe: the converting reader fills line by line
expect_code 0 sh -c 'cat "$1" | crm-score leads --stdin --rules "$2" --encoding cp1252 --delimiter ";"' _ "$T/leads.csv" "$T/rules.json"
expect_out "crm-score leads from a pipe" <<'X'
name,title,height,score,grade
José,VP Sales,"5'11""",25,A
Ann,Engineer,6',0,D
X
{ printf '\377\376'; printf 'external_id,first_name\np1,Zo\xc3\xab\np2,\xe5\xbc\xa0\n' | iconv -f UTF-8 -t UTF-16LE; } >"$T/p.csv"
expect_code 0 sh -c 'cat "$1" | crm-contact import' _ "$T/p.csv"
sql "select first_name from contacts order by id"
check "UTF-16 from a pipe" [ "$(tr '\n' ' ' <"$T/sql")" = 'Zoë 张 ' ]
printf 'external_id,first_name\ng1,\xd5\xc5\ng2,\xff\n' >"$T/g.csv"
expect_code 65 sh -c 'cat "$1" | crm-contact import --encoding GB18030' _ "$T/g.csv"
err_has "<stdin>:3: invalid GB18030: byte 0xFF"

# which verbs have the options
for c in contact company activity lead pipeline ticket; do
	run crm-$c import --list-options
	check "crm-$c import has the input options" \
		grep -qx -e '--date-format=' "$T/out"
	for o in --delimiter= --strict --encoding= --tz=; do
		grep -qx -e "$o" "$T/out" || not_ok "crm-$c import $o"
	done
done
for v in train predict leads; do
	run crm-score $v --list-options
	check "crm-score $v reads with --encoding, no --date-format" \
		eval 'grep -qx -e --encoding= "$T/out" && ! grep -q -e --date-format "$T/out"'
done
run crm-contact list --list-options
check "crm-contact list has no input options" eval '! grep -q -e --encoding "$T/out"'
expect_code 64 crm-contact list --encoding GB18030
done_testing
