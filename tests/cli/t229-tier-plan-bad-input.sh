#!/bin/bash
# Bad input to crm-company tier and plan: a bad tiers file is exit 78
# naming the file and the field; bad plan values are exit 65 naming the
# option; usage errors 64; an unknown company or contact 66; and nothing
# is written by any of them.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-01T09:00:00Z
printf 'name\nAcme\n' >"$T/co.csv"
expect_code 0 crm-company import -q "$T/co.csv"
printf 'first_name,email,company\nAnn,ann@acme.example,Acme\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-company plan Acme set --target 1000 --currency EUR -q
db_dump "" "$T/before"

tiers() { # NAME JSON FIELD: the file is refused, naming FIELD
	printf '%s' "$2" >"$T/$1.json"
	expect_code 78 crm-company tier --tiers "$T/$1.json"
	err_has "$1.json"
	err_has "$3"
}
tiers t1 '{"tiers": ["A"], "rules": [{"tier": "B"}]}' "rules[0].tier: expected one of the tiers"
tiers t2 '{"tiers": ["A"], "rules": [{"tier": "A", "when": {"revenue": {"min": 5}}}]}' "rules[0].when.revenue: a money condition needs the file's currency"
tiers t3 '{"currency": "EUR", "tiers": ["A"], "rules": [{"tier": "A", "when": {"revenue": {"min": "1.234"}}}]}' "rules[0].when.revenue.min"
tiers t4 '{"currency": "EUR", "tiers": ["A"], "rules": [{"tier": "A", "when": {"size": 3}}]}' "rules[0].when.size: unknown condition"
tiers t5 '{"tiers": ["A", "A"], "rules": [{"tier": "A"}]}' "tiers: a tier is named twice"
tiers t6 '{"tiers": ["A"], "rules": [], "x": 1}' "x: unknown key"
tiers t7 '{"tiers": ["A"], "rules": [{"tier": "A", "when": {"growth": {"min": 50, "max": 10}}}]}' "rules[0].when.growth: min is above max"
tiers t8 '{"currency": "EURO", "tiers": ["A"], "rules": [{"tier": "A"}]}' "currency: expected a currency code"
tiers t9 '{"window_days": 0, "tiers": ["A"], "rules": [{"tier": "A"}]}' "window_days"
tiers t11 '{"currency": "EUR", "tiers": ["A"], "rules": [{"tier": "A", "when": {"revenue": {"min": 1.5}}}]}' "rules[0].when.revenue.min: expected a whole number or a decimal string"
tiers t10 '{"tiers": ["A"], "rules": [{"tier": "A"}]' "t10.json"
expect_code 66 crm-company tier --tiers "$T/nosuch.json"
printf '{"base": "EUR", "rates": {"USD": "x"}}' >"$T/rates.json"
expect_code 78 crm-company tier --rates "$T/rates.json"
expect_code 64 crm-company tier --where name=Acme

# plan: values are checked before anything is written
expect_code 65 crm-company plan Acme set --target 1.234
err_has "target: amount '1.234'"
expect_code 65 crm-company plan Acme set --from 2026-02-30
err_has "from: expected a date (YYYY-MM-DD), got '2026-02-30'"
expect_code 65 crm-company plan Acme set --from 2026-12-01 --to 2026-01-01
err_has "the period ends before it starts"
expect_code 65 crm-company plan Acme set --currency euro
err_has "currency: expected a currency code (EUR), got 'euro'"
expect_code 65 crm-company plan Acme action "Call" --owner tom
err_has "an action needs --due"
expect_code 65 crm-company plan Acme action "Call" --due tomorrow
err_has "due: expected a date"
expect_code 65 crm-company plan Acme goal ""
expect_code 66 crm-company plan Acme strategy nobody@acme.example "x"
expect_code 66 crm-company plan Nosuch goal "x"
expect_code 64 crm-company plan Acme frob "x"
expect_code 64 crm-company plan Acme goal
expect_code 64 crm-company plan Acme goal a b
expect_code 64 crm-company plan
expect_code 64 crm-company plan Acme --where kind=goal
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing was written by any of them"
# a dry run writes nothing either
expect_code 0 crm-company plan Acme goal "x" -n
db_dump "" "$T/after"
compare "$T/before" "$T/after" "--dry-run wrote nothing"
done_testing
