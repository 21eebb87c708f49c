#!/bin/bash
# 'matches' patterns in a scoring rules file are bounded (crm-formats(5)):
# a catastrophic pattern over a 200,000-character title runs in linear
# time; patterns past the limits (1024 bytes, 4096 positions once counted
# repetitions are expanded, 32 nested groups, backreferences) are refused
# with exit 78 naming the file and the rule, before any lead is read.
. "$(dirname "$0")/../lib.sh"

rules() { # PATTERN: the default rules with PATTERN as the senior title rule
	jq --arg p "$1" '(.fit.rules[] | select(.name == "senior title") | .value) = $p' \
		"$CRM_SHARE/scoring.json" >"$T/rules.json"
}
{
	echo "email,title,company"
	printf 'a@example.com,%s!,Acme\n' "$(head -c 200000 /dev/zero | tr '\0' a)"
	echo "b@example.com,aaaa,Acme"
} >"$T/leads.csv"

rules '(a+)+$'
start=$SECONDS
expect_code_in 0 "$T/leads.csv" timeout -k 2 20 crm-score leads --stdin --rules "$T/rules.json" --explain -f csv --fields email,reasons
check "(a+)+\$ over 200,000 characters: within 10 seconds" test $((SECONDS - start)) -le 10
expect_out "the long title does not match, aaaa does" <<'X'
email,reasons
a@example.com,
b@example.com,senior title +20
X
# the default pattern still means what it meant
rules '(^|[^a-z])(vp|vice president|director|head|chief|c[eotfm]o)([^a-z]|$)'
printf 'email,title,company\nc@example.com,Head of IT,Acme\nd@example.com,headhunter,Acme\n' >"$T/two.csv"
expect_code_in 0 "$T/two.csv" crm-score leads --stdin --rules "$T/rules.json" --explain -f csv --fields email,reasons
expect_out "anchors and alternatives inside the pattern" <<'X'
email,reasons
c@example.com,senior title +20
d@example.com,
X

refused() { # WHY PATTERN
	why=$1
	rules "$2"
	expect_code_in 78 "$T/leads.csv" timeout -k 2 20 crm-score leads --stdin --rules "$T/rules.json" -f csv
	err_has "crm-score:$T/rules.json: fit rule 6 'senior title': pattern '"
	err_has "$why"
	check "nothing on stdout" test ! -s "$T/out"
}
refused "too complex: its repetitions expand to more than 4096 positions" '((a{1,100}){1,100}){1,100}'
refused "too complex" '(x{0,4096})'
refused "too complex" '((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+'
refused "too complex" '((a{,100}){,100})'
refused "too complex" "a$(head -c 64 /dev/zero | tr '\0' +)"
refused 'backreferences (\1) are not supported' '(a*)*\1b'
refused "longer than 1024 bytes" "$(head -c 1100 /dev/zero | tr '\0' x)"
refused "groups nested deeper than 32" "$(printf '(%.0s' $(seq 40))a$(printf ')%.0s' $(seq 40))"
# at the limits: accepted
rules '[a-z]{1,4000}'
expect_code_in 0 "$T/two.csv" crm-score leads --stdin --rules "$T/rules.json" -f csv
done_testing
