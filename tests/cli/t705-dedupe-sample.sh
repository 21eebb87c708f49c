#!/bin/bash
# crm-dedupe contacts with default settings and no labels on the sample
# company, where colleagues share a company, its email domain, city,
# region, country and phone prefix, and namesakes abound: it must find the
# duplicates generate.sh planted without calling colleagues duplicates
# (pairwise F1 at least 0.95; tests/bench/dedupe-sample.sh prints it).
. "$(dirname "$0")/../lib.sh"

ex=$TOP/share/crm/examples
expect_code 0 crm-company import -q "$ex/companies.csv"
expect_code 0 crm-contact import -q "$ex/contacts.csv"
expect_code 0 crm-contact export -f csv --fields id,external_id,phone
sh "$TOP/tests/bench/sample-truth.sh" "$T/out" >"$T/truth.csv"
check "the 60 planted duplicates are labelled" \
	[ "$(grep -vc '^\([0-9]*\),\1$' "$T/truth.csv")" -eq 61 ]
cp "$T/out" "$T/ids.csv"
expect_code 1 crm-dedupe contacts --check -q -f csv
awk -F, 'NR == FNR { if (FNR > 1) c[$2] = $1; next }
	FNR == 1 { print "id,cluster"; next }
	{ print $1 "," ($1 in c ? c[$1] : $1) }' "$T/out" "$T/ids.csv" \
	>"$T/res.csv"
sh "$TOP/tests/bench/f1.sh" "$T/truth.csv" "$T/res.csv" >"$T/f1"
f1=$(sed 's/.* F1 //' "$T/f1")
check "F1 on the sample company is at least 0.95 ($(cat "$T/f1"))" \
	awk -v f="$f1" 'BEGIN { exit !(f >= 0.95) }'
# colleagues who share a first name, company, city and country: Anna
# Hoffmann and Anna Meyer at Donautal Handel AG are two people
check "colleagues with one first name are no duplicates" \
	awk -F, '{ c[$1] = $2 } END { exit c[4] == c[7] }' "$T/res.csv"
done_testing
