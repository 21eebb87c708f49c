#!/bin/bash
# crm-user territory add/rm/list on SQLite: a team's territories are
# stored and listed (the rights they give are the server's: SQLite
# enforces none, and setup-rls says so); bad input is 65, a usage error
# 64, a missing territory 66, and a failure writes nothing.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user team add sales
expect_code 0 crm-user team add east --parent sales
expect_code 0 crm-user team add west --parent sales
expect_code 0 crm-user territory add west --field country --value DE
err_has "added territory country = DE to team west"
expect_code 0 crm-user territory add west --field region --value EMEA
expect_code 0 crm-user territory add east --field industry --value Retail
expect_code 0 crm-user territory add east --field country --value FR -n
err_has "dry run: would have added"
expect_code 0 crm-user territory list -f csv
expect_out "territories by team, field and value; the dry run left nothing" <<'X'
team,field,value
east,industry,Retail
west,country,DE
west,region,EMEA
X

db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-user territory add west --field country --value de
err_has "value: team 'west' has that territory already"
expect_code 65 crm-user territory add west --field city --value Berlin
err_has "field: 'city' is no territory field: region, country or industry"
expect_code 65 crm-user territory add north --field country --value NO
err_has "team: no team 'north' (crm-user team add)"
expect_code 65 crm-user team add north --parent nowhere
err_has "parent: no team 'nowhere'"
check "parent: no hint" sh -c "! grep -q 'team add)' '$T/err'"
expect_code 65 crm-user add dave --team nowhere
err_has "team: no team 'nowhere' (crm-user team add)"
expect_code 65 crm-user territory add west --field country --value ''
err_has "value: a territory needs a value"
expect_code 64 crm-user territory add west --field country
err_has "territory takes add TEAM --field F --value V"
expect_code 64 crm-user territory add --field country --value DE
expect_code 64 crm-user territory move west --field country --value DE
expect_code 64 crm-user territory list --field country
expect_code 66 crm-user territory rm east --field country --value DE
err_has "team 'east' has no territory country = 'DE'"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused territory changes write nothing"

expect_code 0 crm-user territory rm west --field country --value de
err_has "removed territory country = de from team west"
expect_code 0 crm-user territory list -f csv
expect_out "the removed territory is gone (values compare without case)" <<'X'
team,field,value
east,industry,Retail
west,region,EMEA
X
# SQLite enforces no rights: setup-rls refuses, with or without a policy
expect_code 64 crm-user setup-rls
err_has "SQLite enforces no rights"
printf '{"sensitive": []}\n' >"$T/policy.json"
expect_code 64 crm-user setup-rls --policy "$T/policy.json"
# team names: lower-case letters, digits and _, not a digit first
expect_code 65 crm-user team add 9lives
err_has "'9lives' is no team name"
expect_code 65 crm-user team add Sales
err_has "'Sales' is no team name"
expect_code 0 crm-user team add _north_2
done_testing
