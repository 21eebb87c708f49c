#!/bin/bash
# crm-lead assign and reclaim with users and teams: a rules team whose
# members are "@TEAM" rotates over that crm-user team's active users; a
# disabled user is never picked; a rule may route to a team's pool
# (owner "@TEAM"), and leads in a pool go to the rules team of that name
# (or of those users); reclaim hands an idle lead back to its owner's
# team's pool. Expectations computed by hand.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user team add east
expect_code 0 crm-user team add west
expect_code 0 crm-user add max --team east --role manager
expect_code 0 crm-user add rita --team east
expect_code 0 crm-user add rosa --team east
expect_code 0 crm-user add ron --team west
expect_code 0 crm-user add wes --team west
expect_code 0 crm-user disable wes
cat >"$T/rules.json" <<'X'
{"teams": [{"name": "east-rr", "members": "@east"},
           {"name": "west", "members": ["wes", "ron"]}],
 "rules": [{"name": "germany", "match": {"country": "DE"}, "owner": "@west"}]}
X
# leads 1-6 in east's pool, 7 in Germany, 8 in France with no owner
{
	echo external_id,first_name,country,owner
	for i in 1 2 3 4 5 6; do echo "e$i,E$i,FR,@east"; done
	echo "g,G,DE,"
	echo "f,F,FR,"
} >"$T/leads.csv"
expect_code 0 crm-lead import -q "$T/leads.csv"
expect_code 0 crm-lead assign --rules "$T/rules.json" -f csv
cut -d, -f3 "$T/out" >"$T/rules"
printf '%s\n' rule pool pool pool pool pool pool germany >"$T/want"
compare "$T/want" "$T/rules" "pool leads go by the pool rule, the German lead by its rule, the French one nowhere"
sql "SELECT owner, count(*) FROM leads WHERE id <= 6 GROUP BY owner ORDER BY owner"
printf 'max|2\nrita|2\nrosa|2\n' >"$T/want"
compare "$T/want" "$T/sql" "six pool leads over east's three users: two each"
sql "SELECT id, coalesce(owner, '-') FROM leads WHERE id IN (7, 8) ORDER BY id"
printf '7|@west\n8|-\n' >"$T/want"
compare "$T/want" "$T/sql" "a rule's team target puts the lead in west's pool"
# the next run takes lead 7 from west's pool: wes is disabled, ron gets it
expect_code 0 crm-lead assign --rules "$T/rules.json" -f csv --fields id,owner,rule
expect_out "from the pool to the one active member" <<'X'
id,owner,rule
7,ron,pool
X
# rosa disabled: four more pool leads go to max and rita, two each
expect_code 0 crm-user disable rosa
{
	echo external_id,first_name,country,owner
	for i in 7 8 9 10; do echo "e$i,E$i,FR,@east"; done
} >"$T/more.csv"
expect_code 0 crm-lead import -q "$T/more.csv"
expect_code 0 crm-lead assign --rules "$T/rules.json" -q
sql "SELECT owner, count(*) FROM leads WHERE id BETWEEN 9 AND 12 GROUP BY owner ORDER BY owner"
printf 'max|2\nrita|2\n' >"$T/want"
compare "$T/want" "$T/sql" "a disabled user gets nothing: max and rita two each"
# a rules file's "@" alone is no team
printf '{"teams": [{"name": "x", "members": "@"}], "rules": []}\n' >"$T/bad.json"
expect_code 78 crm-lead assign --rules "$T/bad.json"
err_has "members: expected a list of one or more, or \"@TEAM\""
# reclaim: idle leads go back to their owner's team's pool
expect_code 0 env CRM_NOW=2026-12-30T00:00:00Z crm-lead reclaim --idle 7d -q
sql "SELECT coalesce(owner, '-'), count(*) FROM leads GROUP BY owner ORDER BY 1"
printf '%s\n' '-|1' '@east|10' '@west|1' >"$T/want"
compare "$T/want" "$T/sql" "reclaimed leads land in east's and west's pools"
sql "SELECT previous_owner FROM leads WHERE id = 7"
compare <(echo ron) "$T/sql" "the previous owner is kept"
done_testing
