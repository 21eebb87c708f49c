#!/bin/bash
# Weighted assignment: a member's weight is at most 1000000 (crm-lead(1)),
# so the round-robin credits (a team's total weight per lead) never
# overflow; past it the rules file is refused, exit 78, naming the file,
# the team and the member, and nothing is assigned.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-lead add -q --email a@example.com --country US
cat >"$T/rules.json" <<'X'
{"teams": [{"name": "big", "strategy": "weighted",
            "members": [{"name": "dev", "weight": 9223372036854775807},
                        {"name": "eli", "weight": 9223372036854775807}]}],
 "rules": [{"name": "all", "match": {}, "team": "big"}]}
X
db_dump "" "$T/before"
expect_code 78 crm-lead assign --rules "$T/rules.json" 1
err_has "crm-lead:$T/rules.json: team 1 'big': member 'dev': weight 9223372036854775807 is above the limit 1000000"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing assigned"

sed -i 's/9223372036854775807/1000001/' "$T/rules.json"
expect_code 78 crm-lead assign --rules "$T/rules.json" 1
err_has "weight 1000001 is above the limit 1000000"
# at the limit, weights share out as before: 1000000 to 1
jq '.teams[0].members[0].weight = 1000000 | .teams[0].members[1].weight = 1' "$T/rules.json" >"$T/ok.json"
for i in 2 3 4; do expect_code 0 crm-lead add -q --email l$i@example.com; done
expect_code 0 crm-lead assign -q --rules "$T/ok.json" -f csv 1 2 3 4
expect_out "the heavy member takes the leads" <<'X'
id,owner,rule
1,dev,all
2,dev,all
3,dev,all
4,dev,all
X
done_testing
