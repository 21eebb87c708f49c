#!/bin/bash
# crm-flow check, list and the errors: a bad flow file is exit 78 naming
# the file, the field and the flow with the reason, for every verb, and
# nothing is written; usage errors are 64; a missing directory 66.
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
good='{"name": "ok", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "tag", "add": "x"}]}'
printf '%s\n' "$good" >"$T/flows/ok.json"
expect_code 0 crm-flow check --flows "$T/flows"
err_has "1 flow ok in $T/flows"
expect_code 0 crm-flow list --flows "$T/flows"
expect_out "list" <<X
name,entity,trigger,conditions,actions,enabled,file
ok,deal,deal created,0,tag,true,$T/flows/ok.json
X

bad() { # description, expected message, flow JSON
	printf '%s\n' "$3" >"$T/flows/bad.json"
	expect_code 78 crm-flow check --flows "$T/flows"
	expect_err "$1" <<<"crm-flow:$T/flows/bad.json: $2"
}
bad "unknown entity" "entity: flow 'b': no entity 'dael' (contact, company, activity, lead, deal, ticket ...)" \
	'{"name": "b", "entity": "dael", "trigger": {"type": "created"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "unknown trigger" "trigger.type: flow 'b': must be one of created, updated, tag_added, time, schedule, event" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "sometimes"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a time trigger on a text field" "trigger.field: flow 'b': 'name' is not a time or date" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "time", "field": "name", "after": "1d"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a bad duration" "trigger.after: flow 'b': bad duration '2 days'" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "time", "field": "created_at", "after": "2 days"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "an unknown calendar" "trigger.calendar: flow 'b': no calendar 'night' in the SLA policies" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "time", "field": "created_at", "after": "2h", "calendar": "night"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a bad schedule" "trigger.every: flow 'b': 'sometimes' is not day, weekday, weekend, a list of days (mon,tue ...) or a duration of a minute or more (without \"at\")" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "schedule", "every": "sometimes", "at": "08:00"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a bad time zone" "trigger.timezone: flow 'b': unknown time zone 'Mars/Base' (/usr/share/zoneinfo/Mars/Base: No such file or directory)" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "schedule", "every": "day", "at": "08:00", "timezone": "Mars/Base"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a condition on an unknown field" "conditions[0]: flow 'b': deal has no field 'stge'" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "conditions": ["stge = quote"], "actions": [{"type": "tag", "add": "x"}]}'
bad "an unknown action" "actions[0]: flow 'b': unknown action type 'fax' (approval, assign, campaign_email, command, create, email, log, set, tag, task)" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "fax"}]}'
bad "a template naming an unknown field" "actions[0].subject: flow 'b': template: deal has no field 'nmae'" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "task", "subject": "call {{nmae}}"}]}'
bad "a shell string instead of argv" "actions[0].argv: flow 'b': a list: the program and its arguments, each one template (no shell)" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "command", "argv": "curl -d @- {{name}}"}]}'
bad "a read-only field" "actions[0].fields.created_at: flow 'b': read-only field" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "set", "fields": {"created_at": "x"}}]}'
bad "no name" "name: flow '?': a flow needs a name" \
	'{"name": "", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "a tag trigger without a tag" "trigger.tag: flow 'b': tag_added needs a tag" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "tag_added", "tag": ""}, "actions": [{"type": "tag", "add": "x"}]}'
bad "an event trigger without an event" "trigger.event: flow 'b': an event trigger needs an event name" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "event"}, "actions": [{"type": "tag", "add": "x"}]}'
bad "an action's unknown key" "actions[0].ad: flow 'b': unknown key" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "tag", "ad": "x"}]}'
bad "an unknown key before the action's own checks" "actions[1].bcc: flow 'b': unknown key" \
	'{"name": "b", "entity": "deal", "trigger": {"type": "created"}, "actions": [{"type": "log", "subject": "s"}, {"type": "email", "to": "{{nmae}}", "bcc": "x"}]}'
printf '%s\n' "$good" >"$T/flows/bad.json"
expect_code 78 crm-flow check --flows "$T/flows"
expect_err "two flows with one name (the later file named)" <<X
crm-flow:$T/flows/ok.json: name: flow 'ok': also the name of $T/flows/bad.json
X
printf '{"name": "b",\n "entity": }\n' >"$T/flows/bad.json"
expect_code 78 crm-flow list --flows "$T/flows"
err_has "crm-flow:$T/flows/bad.json:2:"
expect_code 0 crm-pipeline add -q --name Deal
db_dump "" "$T/before"
expect_code 78 crm-flow run --flows "$T/flows"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a bad flow file: run writes nothing"
rm "$T/flows/bad.json"

# usage
expect_code 64 crm-flow run --flows "$T/flows" --flow nope
err_has "no flow 'nope' in $T/flows"
expect_code 64 crm-flow test ok --flows "$T/flows"
err_has "test needs --record ID"
expect_code 64 crm-flow test nope --record 1 --flows "$T/flows"
expect_code 64 crm-flow test ok --record 1 --at yesterday --flows "$T/flows"
expect_code 66 crm-flow test ok --record 99 --flows "$T/flows"
expect_code 64 crm-flow log --record x
expect_code 64 crm-flow log extra
expect_code 66 crm-flow check --flows "$T/none"
expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 64 crm-flow log --fields id,nope
done_testing
