#!/bin/bash
# A sample for tests/lint.py --self-test: every line marked "# expect:"
# must be reported with that rule, and nothing else.
. "$(dirname "$0")/../lib.sh"

crm-contact add -q --first-name Ann # expect: unchecked
crm-contact import -q "$T/c.csv" >/dev/null 2>&1 # expect: unchecked
CRM_NOW=2026-01-01T00:00:00Z crm-lead add -q --first-name B # expect: unchecked
crm contact list # expect: unchecked
for i in 1 2; do crm-ticket open -q --subject "$i"; done # expect: unchecked
crm-contact export -f csv | sort >"$T/out" # expect: piped
printf 'a\n' | crm-contact import -q # expect: unchecked
crm-contact update -q 1 --set city=X || true # expect: unchecked
crm-contact delete -q 1 || echo "delete failed" # expect: echoed
crm-contact import -q "$T/big.csv" & # expect: unchecked
expect_code 0 crm-contact show "$(crm-contact list --ids)" # expect: lost
n=$(crm-contact list --ids | wc -l) # expect: piped
crm-contact add -q --first-name C && crm-contact add -q --first-name D # expect: unchecked
add() { crm-contact add -q "$@"; }
add --first-name E # expect: unchecked
at() { CRM_NOW=$1; }
at 2026-01-01T00:00:00Z; crm-pipeline won -q 1 # expect: unchecked
crm-$noun export -f ndjson >"$T/x" # expect: unchecked
( crm-contact list ) # expect: unchecked
{
	crm-contact list # expect: unchecked
	echo done
} >"$T/log"
if [ -n "$x" ]; then
	show() { crm-contact show "$@"; }
fi
show 1 # expect: unchecked
done_testing
