#!/bin/bash
# crm search TEXT: contacts, companies, leads, deals and tickets by name,
# email, phone (written any way) and company, case- and accent-
# insensitively, CJK as written; records (noun,id,name,matched,value)
# off a terminal, a grouped view with -f table; --limit per noun; exit 1
# when nothing matches (as grep), 64 without text, 66 without a database.
. "$(dirname "$0")/../lib.sh"

cat >"$T/in" <<'X'
external_id,name,domain
co-1,Acme GmbH,acme.example
co-2,长城集团有限公司,greatwall.example
X
expect_code_in 0 "$T/in" crm-company import -q
cat >"$T/in" <<'X'
first_name,last_name,email,phone,company
Jürgen,Müller,jm@acme.example,+49 30 1234567,Acme GmbH
Ann,Lee,ann@lee.example,,
伟,王,wang@greatwall.example,,长城集团有限公司
X
expect_code_in 0 "$T/in" crm-contact import -q
cat >"$T/in" <<'X'
first_name,last_name,email,phone,company
Zoe,Park,zoe@park.example,+1 415 555 0142,Parkside Ltd
X
expect_code_in 0 "$T/in" crm-lead import -q
cat >"$T/in" <<'X'
name,company,amount,currency
Acme platform,co-1,1000,EUR
X
expect_code_in 0 "$T/in" crm-pipeline import -q
cat >"$T/in" <<'X'
subject,contact
Cannot log in,ann@lee.example
X
expect_code_in 0 "$T/in" crm-ticket import -q

expect_code 0 crm search müller
expect_out "a name, case- and accent-insensitive, and the company's deal" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Müller,name,Jürgen Müller
X
expect_code 0 crm search MULLER
expect_out "upper case without the umlaut" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Müller,name,Jürgen Müller
X
expect_code 0 crm search acme
expect_out "a company across nouns, grouped in a fixed order" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Müller,email,jm@acme.example
companies,1,Acme GmbH,name,Acme GmbH
deals,1,Acme platform,name,Acme platform
X
expect_code 0 crm search ANN@LEE.example
expect_out "an email, and the ticket of its contact" <<'X'
noun,id,name,matched,value
contacts,2,Ann Lee,email,ann@lee.example
tickets,1,Cannot log in,contact,Ann Lee ann@lee.example
X
expect_code 0 crm search '(415) 555-0142'
expect_out "a phone in another notation" <<'X'
noun,id,name,matched,value
leads,1,Zoe Park,phone,+1 415 555 0142
X
expect_code 0 crm search 0049-30-123-4567
expect_out "a phone with 00 and dashes" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Müller,phone,+49 30 1234567
X
expect_code 0 crm search 长城
expect_out "CJK: a two-character word" <<'X'
noun,id,name,matched,value
contacts,3,伟 王,company,长城集团有限公司
companies,2,长城集团有限公司,name,长城集团有限公司
X
expect_code 0 crm search parkside
expect_out "a lead by its company" <<'X'
noun,id,name,matched,value
leads,1,Zoe Park,company,Parkside Ltd
X
expect_code 0 crm search e --limit 1 -f csv --fields noun,id
expect_out "--limit is per noun; --fields picks columns" <<'X'
noun,id
contacts,1
companies,1
leads,1
deals,1
tickets,1
X
expect_code 0 crm search acme -f table
expect_out "grouped by noun with -f table" <<'X'
contacts
  1  Jürgen Müller  email: jm@acme.example

companies
  1  Acme GmbH      name: Acme GmbH

deals
  1  Acme platform  name: Acme platform
X
expect_code 0 crm search e --limit 1 -f table
out_has "... more (--limit)"
expect_code 0 crm search Lee -f json
expect_out "JSON records" <<'X'
[
{"noun":"contacts","id":2,"name":"Ann Lee","matched":"name","value":"Ann Lee"},
{"noun":"tickets","id":1,"name":"Cannot log in","matched":"contact","value":"Ann Lee ann@lee.example"}
]
X
expect_code 1 crm search nobody-here
expect_out "nothing found: exit 1 and only the header" <<'X'
noun,id,name,matched,value
X
expect_code 64 crm search
err_has "no text given"
expect_code 64 crm search x --fields nope
err_has "--fields: no field 'nope'"
expect_code 0 crm search --list-options
out_has "--limit="
# completions: search is a word after crm, its options come from crm
# search --list-options
bash -c '. "$1"/completions/crm.bash
	COMP_WORDS=(crm sea); COMP_CWORD=1; _crm_complete; echo "${COMPREPLY[*]}"
	COMP_WORDS=(crm search --lim); COMP_CWORD=2; _crm_complete; echo "${COMPREPLY[*]}"' _ "$TOP" >"$T/out" 2>&1
expect_out "bash completes search and its options" <<'X'
search
--limit=
X
if command -v fish >/dev/null; then
	fish -c "source $TOP/completions/crm.fish; complete -C 'crm sea'; complete -C 'crm search --lim'" >"$T/out" 2>&1
	expect_out "fish completes search and its options" <<'X'
search
--limit
X
fi
CRM_DB="$T/missing.db" expect_code 66 crm search x
check "search created no database" [ ! -e "$T/missing.db" ]
bash -c '. "$1"/completions/crm.bash
	COMP_WORDS=(crm search --rei); COMP_CWORD=2; _crm_complete; echo "${COMPREPLY[*]}"' _ "$TOP" >"$T/out" 2>&1
expect_out "bash completes --reindex" <<'X'
--reindex
X

# the search index (t099-sqlite-search-index): SQLite's; PostgreSQL says
# so, writes nothing, and searches as before
expect_code 0 crm search acme
cp "$T/out" "$T/scan"
db_dump "$CRM_DB" "$T/d1"
case $CRM_DB in
postgres*)
	expect_code 64 crm search --reindex acme
	err_has "crm: the search index is SQLite's (FTS5); on PostgreSQL search reads the tables"
	db_dump "$CRM_DB" "$T/d2"
	compare "$T/d1" "$T/d2" "a refused --reindex writes nothing"
	expect_code 64 crm search --refresh acme
	err_has "crm: the search index is SQLite's (FTS5); on PostgreSQL search reads the tables"
	db_dump "$CRM_DB" "$T/d2"
	compare "$T/d1" "$T/d2" "a refused --refresh writes nothing"
	expect_code 0 crm search --drop-index
	err_has "no search index to remove"
	;;
*)
	expect_code 0 crm search -q --reindex acme
	compare "$T/scan" "$T/out" "--reindex, then the same answer from the index"
	expect_code 0 crm search -q --refresh acme
	compare "$T/scan" "$T/out" "--refresh, then the same answer"
	;;
esac
done_testing
