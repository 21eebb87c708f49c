#!/bin/bash
# show KEY takes a name when it names one record: contacts and leads by
# "first last" or last name (leads also by company), companies and deals
# by name, tickets by subject, case- and accent-insensitively. A name
# shared by several records lists them on stderr (id, name, email ...)
# and exits 66 with nothing on stdout; no match is 66 as before.
. "$(dirname "$0")/../lib.sh"

cat >"$T/in" <<'X'
first_name,last_name,email,company
Ann,Lee,ann@lee.example,Acme
Bob,Lee,bob@lee.example,
Zoë,Müller,zoe@m.example,
X
expect_code_in 0 "$T/in" crm-contact import -q
cat >"$T/in" <<'X'
first_name,last_name,email,company
Kim,Park,kim@park.example,Parkside Ltd
X
expect_code_in 0 "$T/in" crm-lead import -q
cat >"$T/in" <<'X'
name,company,amount,currency
Acme platform,Acme,1000,EUR
X
expect_code_in 0 "$T/in" crm-pipeline import -q
cat >"$T/in" <<'X'
subject,contact
Cannot log in,ann@lee.example
X
expect_code_in 0 "$T/in" crm-ticket import -q

expect_code 0 crm-contact show 'ann lee' -f csv --fields id,email
expect_out "a contact by first and last name, any case" <<'X'
id,email
1,ann@lee.example
X
expect_code 0 crm-contact show 'Zoe Muller' -f csv --fields id,email
expect_out "accents and case do not matter" <<'X'
id,email
3,zoe@m.example
X
expect_code 0 crm-contact show müller -f csv --fields id
expect_out "a unique last name" <<'X'
id
3
X
expect_code 66 crm-contact show Lee -f csv
expect_out "a shared last name prints nothing" </dev/null
expect_err "and lists the candidates on stderr" <<'X'
crm-contact: 'Lee' names 2 contacts; show one by id:
  1  Ann Lee  ann@lee.example  Acme
  2  Bob Lee  bob@lee.example
X
expect_code 66 crm-contact show 'Nobody Here'
err_has "no contact 'Nobody Here'"
expect_code 0 crm-contact show 'Ann Lee' -f json
check "the 360-degree view takes a name too" grep -q '"email":"ann@lee.example"' "$T/out"
expect_code 0 crm-company show acme -f csv --fields id,name
expect_out "a company by name" <<'X'
id,name
1,Acme
X
expect_code 0 crm-lead show 'parkside ltd' -f csv --fields id,email
expect_out "a lead by company" <<'X'
id,email
1,kim@park.example
X
expect_code 0 crm-lead show 'Kim Park' -f csv --fields id
expect_out "a lead by name" <<'X'
id
1
X
expect_code 0 crm-pipeline show 'ACME PLATFORM' -f csv --fields id,name
expect_out "a deal by name, any case" <<'X'
id,name
1,Acme platform
X
expect_code 0 crm-ticket show 'cannot log in' -f csv --fields id,subject
expect_out "a ticket by subject" <<'X'
id,subject
1,Cannot log in
X
# ids, emails and external ids still come first
expect_code 0 crm-contact show bob@lee.example -f csv --fields id
expect_out "an email" <<'X'
id
2
X
done_testing
