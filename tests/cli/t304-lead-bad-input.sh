#!/bin/bash
# crm-lead bad input: data errors exit 65 naming input, line and field,
# usage errors 64, a bad rules file 78 naming the file and the rule; the
# database is unchanged every time.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-lead import -q <<'X'
external_id,first_name,email,owner
a1,Ann,ann@example.com,kim
X
expect_code 0 crm-lead convert -q 1
expect_code 0 crm-lead add -q --first-name Bob
db_dump "$CRM_DB" "$T/before"
unchanged() {
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "$1: database unchanged"
}
bad() { # description, code, message, input (printf format)
	printf "$4" >"$T/in"
	expect_code "$2" crm-lead import "$T/in"
	err_has "$3"
	unchanged "$1"
}
bad "bad email" 65 "crm-lead:$T/in:3: email: invalid address 'bo@'" 'first_name,email\nAl,al@example.com\nBo,bo@\n'
bad "bad phone" 65 "crm-lead:$T/in:2: phone: " 'first_name,phone\nAl,call me\n'
bad "bad status" 65 "crm-lead:$T/in:2: status: unknown value 'hot'" 'first_name,status\nAl,hot\n'
bad "bad score" 65 "crm-lead:$T/in:2: score: expected an integer" 'first_name,score\nAl,high\n'
bad "nothing to know the lead by" 65 "crm-lead:$T/in:2: a lead needs a name, an email, a phone or a company" 'title,source\nCEO,web\n'
bad "converted by import" 65 "crm-lead:$T/in:2: status: a lead becomes converted only by 'crm-lead convert'" 'id,status\n2,converted\n'
bad "a converted lead's status" 65 "crm-lead:$T/in:2: status: lead 1 is converted: its status cannot change" 'id,status\n1,working\n'
bad "ragged CSV" 65 "crm-lead:$T/in:2: expected 2 fields, found 3" 'first_name,email\nAl,a@example.com,x\n'
expect_code 66 crm-lead import "$T/nope.csv"
err_has "cannot open '$T/nope.csv'"
expect_code 64 crm-lead import --on-duplicate=merge "$T/in"
err_has "--on-duplicate: expected skip, update, flag or allow, got 'merge'"
expect_code 64 crm-lead import --on-duplicate=skip --duplicate-threshold 1e9 "$T/in"
err_has "--duplicate-threshold: expected a percentage 0-100, got '1e9'"
expect_code 65 crm-lead update 1 --set status=new
err_has "lead 1 is converted: its status cannot change"
expect_code 65 crm-lead qualify 1
err_has "lead 1 is converted: its status cannot change"
expect_code 64 crm-lead disqualify 2
err_has "disqualify needs --reason TEXT"
expect_code 64 crm-lead disqualify --reason= 2
expect_code 64 crm-lead qualify
err_has "no lead given (an id, --where or --stdin)"
expect_code 66 crm-lead qualify 99
expect_code 64 crm-lead list --where 'stage=won'
err_has "unknown lead field 'stage'"
expect_code 64 crm-lead reclaim
err_has "reclaim needs --idle DURATION"
expect_code 64 crm-lead reclaim --idle soon
err_has "--idle: expected a duration like 7d or 48h, got 'soon'"
expect_code 64 crm-lead reclaim --idle 2d --warn 3d
err_has "--warn must be shorter than --idle"
expect_code 64 crm-lead reclaim --idle 2d 5
expect_code 64 crm-lead assign --seed x
expect_code 66 crm-lead convert 7
expect_code 64 crm-lead convert
unchanged "usage and state errors"

# rules files: 78, naming the file and the rule or team
rules() { # description, message, JSON
	printf '%s\n' "$3" >"$T/r.json"
	expect_code 78 crm-lead assign --rules "$T/r.json"
	err_has "$2"
	unchanged "$1"
}
rules "JSON syntax" "crm-lead:$T/r.json:2: " '{"rules": [
 {"owner": }]}'
rules "unknown team" "crm-lead:$T/r.json: rule 2 'eu': unknown team 'europe'" '{"rules": [{"owner": "a"}, {"name": "eu", "team": "europe"}]}'
rules "unknown field" "rule 1: unknown lead field 'regoin'" '{"rules": [{"match": {"regoin": "EU"}, "owner": "a"}]}'
rules "team and owner" "rule 1 'x': give either a team or an owner" '{"rules": [{"name": "x", "owner": "a", "team": "t"}], "teams": [{"name": "t", "members": ["a"]}]}'
rules "bad strategy" "team 1 't': unknown strategy 'lottery'" '{"rules": [], "teams": [{"name": "t", "strategy": "lottery", "members": ["a"]}]}'
rules "no members" "team 1 't': members: expected a list of one or more" '{"rules": [], "teams": [{"name": "t", "members": []}]}'
rules "bad capacity" "team 1 't': member 'a': unknown key 'max_opn'" '{"rules": [], "teams": [{"name": "t", "members": [{"name": "a", "max_opn": 3}]}]}'
rules "negative capacity" "team 1 't': max_open: expected a whole number 0 or more" '{"rules": [], "teams": [{"name": "t", "max_open": -1, "members": ["a"]}]}'
rules "bad range" "rule 1: score: expected a string, a list of strings" '{"rules": [{"match": {"score": 80}, "owner": "a"}]}'
rules "no rules list" "top level: unknown key 'rule'" '{"rule": []}'
rules "team key" "team 1 't': unknown key 'membres'" '{"rules": [], "teams": [{"name": "t", "members": ["a"], "membres": []}]}'
rules "rule key" "rule 1 'x': unknown key 'ownr'" '{"rules": [{"name": "x", "owner": "a", "ownr": "b"}]}'
expect_code 66 crm-lead assign --rules "$T/none.json"
err_has "cannot open '$T/none.json'"
CRM_SHARE="$T" expect_code 66 crm-lead assign
err_has "cannot open '$T/assignment.json'"
unchanged "missing rules files"
done_testing
