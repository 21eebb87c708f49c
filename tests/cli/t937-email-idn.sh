#!/bin/bash
# An internationalized email domain and its punycode form are one address
# for matching (libidn2, IDNA2008): anna@müller.de and
# anna@xn--mller-kva.de share the email key, in import keys, in lookups
# and in the exact-duplicate check of crm-lead; each record keeps the
# address as it was written.
. "$(dirname "$0")/../lib.sh"

printf 'first_name,email\nAnna,anna@müller.de\n' >"$T/a.csv"
printf 'first_name,email,city\nAnna,ANNA@XN--MLLER-KVA.DE,Köln\n' >"$T/b.csv"
expect_code_in 0 "$T/a.csv" crm-contact import -q --key email
expect_code_in 0 "$T/b.csv" crm-contact import -q --key email
expect_code 0 crm-contact list -f csv --fields id,first_name,email,city
expect_out "the punycode form updates the same contact" <<'X'
id,first_name,email,city
1,Anna,ANNA@xn--mller-kva.de,Köln
X
expect_code 0 crm-contact show -f csv --fields id anna@müller.de
expect_out "found by the Unicode form" <<'X'
id
1
X
sql "SELECT email_key FROM contacts"
echo "anna@xn--mller-kva.de" >"$T/want"
compare "$T/want" "$T/sql" "the key holds the ASCII form"
# gmail rules still apply after the conversion, and ASCII stays as it is
printf 'first_name,email\nBo,b.o+x@gmail.com\nCy,cy@straße.de\n' >"$T/c.csv"
expect_code_in 0 "$T/c.csv" crm-contact import -q --key email
sql "SELECT email_key FROM contacts ORDER BY id"
printf 'anna@xn--mller-kva.de\nbo@gmail.com\ncy@xn--strae-oqa.de\n' >"$T/want"
compare "$T/want" "$T/sql" "gmail keys and IDNA2008 (ß is not ss)"
# crm-lead flags a lead whose address is a contact's, whichever form
expect_code 0 crm-lead add -q --email anna@müller.de -f csv --fields id,duplicate_of
out_has "1,contact 1"
done_testing
