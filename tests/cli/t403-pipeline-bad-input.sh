#!/bin/bash
# crm-pipeline: bad deals exit 65 naming the field (and input and line),
# usage errors 64, a bad pipelines file 78 naming the file and the rule;
# none of them changes the database.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --name Acme
expect_code 0 crm-pipeline add -q --name First
db_dump "$CRM_DB" "$T/before"

bad_add() { # expected message, then add's arguments
	msg=$1; shift
	expect_code 65 crm-pipeline add "$@"
	err_has "$msg"
}
bad_add "crm-pipeline: name: missing required field" --owner kim
bad_add "crm-pipeline: currency: needed with an amount" --name X --amount 10
bad_add "crm-pipeline: currency: expected an ISO 4217 code like EUR, got 'euro'" --name X --currency euro
bad_add "crm-pipeline: amount: " --name X --amount 10.123 --currency EUR
bad_add "crm-pipeline: stage: unknown stage 'won' in pipeline 'default' (expected one of: prospecting, qualification, needs_analysis, proposal, negotiation, closed_won, closed_lost)" --name X --stage won
bad_add "crm-pipeline: pipeline: unknown pipeline 'sales' (expected one of: default, renewals)" --name X --pipeline sales
bad_add "crm-pipeline: status: 'won' does not go with stage 'proposal' (open)" --name X --stage proposal --status won
bad_add "crm-pipeline: status: unknown value 'maybe'" --name X --status maybe
bad_add "crm-pipeline: contact: no contact 'zed@acme.example'" --name X --set contact=zed@acme.example
bad_add "crm-pipeline: contact_id: no contact 7" --name X --contact-id 7
bad_add "crm-pipeline: company_id: no company 9" --name X --company-id 9
bad_add "crm-pipeline: company: no company 42" --name X --set company=42
bad_add "crm-pipeline: probability: expected a percentage from 0 to 100, got '120'" --name X --probability 120
bad_add "crm-pipeline: forecast_category: unknown value 'maybe'" --name X --forecast-category maybe
bad_add "crm-pipeline: expected_close: " --name X --expected-close 2026-02-30
bad_add "crm-pipeline: reopen: expected true or false, got 'perhaps'" --name X --set reopen=perhaps
bad_add "already exists as deal 1" --name X --set external_id=x1 --key name --set name=First

printf 'name,stage\nGood,proposal\nBad,nowhere\n' >"$T/in.csv"
expect_code 65 crm-pipeline import "$T/in.csv"
err_has "crm-pipeline:$T/in.csv:3: stage: unknown stage 'nowhere' in pipeline 'default'"
printf '{"name":"Good","amount":"5","currency":"EUR"}\n{"name":"Bad","amount":"5"}\n' >"$T/in.ndjson"
expect_code 65 crm-pipeline import "$T/in.ndjson"
err_has "crm-pipeline:$T/in.ndjson:2: currency: needed with an amount"

expect_code 64 crm-pipeline move
err_has "expected: move STAGE [DEAL...]"
expect_code 64 crm-pipeline move proposal
err_has "no deal given"
expect_code 66 crm-pipeline move proposal 99
err_has "no deal '99'"
expect_code 65 crm-pipeline move proposal 1 --probability 101
err_has "crm-pipeline: probability: deal 1: expected a percentage from 0 to 100, got '101'"
expect_code 65 crm-pipeline move proposal 1 --amount 5
err_has "crm-pipeline: currency: deal 1: needed with an amount"
expect_code 65 crm-pipeline move proposal 1 --close-date soon
err_has "expected_close: "
expect_code 64 crm-pipeline won
expect_code 64 crm-pipeline lost 1
expect_code 64 crm-pipeline lost 1 --reason ''
expect_code 64 crm-pipeline board 1
expect_code 64 crm-pipeline board --sort stage
expect_code 64 crm-pipeline board -w 'nofield=1'
expect_code 64 crm-pipeline stale --sort id
expect_code 64 crm-pipeline history --limit 3
expect_code 66 crm-pipeline history 99
expect_code 64 crm-pipeline frobnicate
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused commands changed nothing"

# a bad pipelines file: exit 78 naming the file and the rule
mkdir -p "$T/share"
badfile() { # description, expected message, file content
	printf '%s\n' "$3" >"$T/share/pipelines.json"
	CRM_SHARE="$T/share" expect_code 78 crm-pipeline add --name Y
	err_has "crm-pipeline:$T/share/pipelines.json$2"
}
stage() { # name, probability, category[, more]
	printf '{"name": "%s", "probability": %s, "forecast_category": "%s"%s}' "$@"
}
ok3="$(stage a 10 pipeline ''), $(stage w 100 closed ', "status": "won"'), $(stage l 0 omitted ', "status": "lost"')"
badfile "syntax" ":2: " '{"pipelines":
 [}'
badfile "no pipelines" ": pipelines: expected a non-empty array" '{"pipelines": []}'
badfile "unknown key" ": unknown key 'pipeline'" '{"pipeline": []}'
badfile "pipeline name" ": pipeline 1: name: expected lower-case letters, digits and _" "{\"pipelines\": [{\"name\": \"Sales\", \"stages\": [$ok3]}]}"
badfile "probability" ": pipeline 'p': stage 2 ('w'): probability: expected a number from 0 to 100" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ''), $(stage w 120 closed ', "status": "won"')]}]}"
badfile "category" ": pipeline 'p': stage 1 ('a'): forecast_category: expected pipeline, best_case, commit, closed or omitted" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 maybe '')]}]}"
badfile "max_days" ": pipeline 'p': stage 1 ('a'): max_days: expected a number above 0" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ', "max_days": 0')]}]}"
badfile "stage key" ": pipeline 'p': stage 1 ('a'): unknown key 'max_day'" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ', "max_day": 3')]}]}"
badfile "status" ": pipeline 'p': stage 1 ('a'): status: expected open, won or lost" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ', "status": "done"')]}]}"
badfile "duplicate stage" ": pipeline 'p': stage 2 ('a'): name: stage 1 has it too" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ''), $(stage a 20 pipeline '')]}]}"
badfile "no lost stage" ": pipeline 'p': stages: expected at least one open, one won and one lost stage" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$(stage a 10 pipeline ''), $(stage w 100 closed ', "status": "won"')]}]}"
badfile "duplicate pipeline" ": pipeline 'p': name: pipeline 1 has it too" "{\"pipelines\": [{\"name\": \"p\", \"stages\": [$ok3]}, {\"name\": \"p\", \"stages\": [$ok3]}]}"
badfile "default" ": default: expected the name of a pipeline" "{\"default\": \"q\", \"pipelines\": [{\"name\": \"p\", \"stages\": [$ok3]}]}"
# a pipelines file larger than 1 MiB is refused, not read whole
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/share/pipelines.json"
CRM_SHARE="$T/share" expect_code 78 crm-pipeline board
err_has "crm-pipeline:$T/share/pipelines.json: larger than 1048576 bytes"
rm "$T/share/pipelines.json"
CRM_SHARE="$T/share" expect_code 78 crm-pipeline import "$T/in.csv"
err_has "crm-pipeline:$T/share/pipelines.json: cannot open: No such file or directory"
CRM_SHARE="$T/share" expect_code 78 crm-pipeline stale
CRM_SHARE="$T/share" expect_code 78 crm-pipeline board
CRM_SHARE="$T/share" expect_code 0 crm-pipeline list --ids
expect_out "list needs no pipelines file" <<<'1'
printf '{"default": "p", "pipelines": [{"name": "p", "stages": [%s]}]}\n' "$ok3" >"$T/share/pipelines.json"
CRM_SHARE="$T/share" expect_code 0 crm-pipeline add --name Z -f csv --fields pipeline,stage,probability
expect_out "a pipelines file of one's own" <<'X'
pipeline,stage,probability
p,a,10
X
done_testing
