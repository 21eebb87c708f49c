#!/bin/bash
# A tier change raises company.tier_changed ({"from", "to", "rule"}) in
# the same transaction; a flow on that event reacts (here: an account
# moving up to A gets the key-account tag and a task for its owner to
# write an account plan); no change, no event; a dry run raises none.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-01T09:00:00Z
cat >"$T/tiers.json" <<'X'
{"currency": "EUR", "window_days": 90, "tiers": ["A", "B"],
 "rules": [{"tier": "A", "when": {"revenue": {"min": 10000}}},
           {"tier": "B", "name": "rest"}]}
X
export CRM_TIERS="$T/tiers.json"
printf 'name,owner\nAcme,maria\nBeta,tom\n' >"$T/co.csv"
expect_code 0 crm-company import -q "$T/co.csv"
printf 'name,company,stage,amount,currency,closed_at\na1,Acme,closed_won,9000,EUR,2026-05-01T00:00:00Z\n' >"$T/d.csv"
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-company tier -q
sql "SELECT name, entity, record_id, data FROM crm_flow_events ORDER BY id"
cat >"$T/want" <<'X'
company.tier_changed|company|1|{"from":null,"rule":"rest","to":"B"}
company.tier_changed|company|2|{"from":null,"rule":"rest","to":"B"}
X
compare "$T/want" "$T/sql" "first tiers: an event each, from none to B"
mkdir -p "$T/flows"
cat >"$T/flows/up.json" <<'X'
{"name": "tier-a", "entity": "company",
 "trigger": {"type": "event", "event": "company.tier_changed"},
 "conditions": ["tier = A"],
 "actions": [{"type": "tag", "add": "key-account"},
             {"type": "task", "subject": "Account plan for {{name}}", "due": "2d"}]}
X
expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-company list -f csv --fields name,tier,tags
expect_out "B is no A: nothing done" <<'X'
name,tier,tags
Acme,B,
Beta,B,
X
# a second won deal lifts Acme to 10500: B -> A
CRM_NOW=2026-06-02T09:00:00Z expect_code 0 crm-pipeline add --name a2 --company-id 1 --stage closed_won --amount 1500 --currency EUR -q
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-company tier -n -q
sql "SELECT count(*) FROM crm_flow_events"
check "the dry run raised no event" grep -qx 2 "$T/sql"
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-company tier -q
CRM_NOW=2026-06-03T09:00:00Z expect_code 0 crm-company tier -q
sql "SELECT name, record_id, data, at FROM crm_flow_events WHERE id > 2"
cat >"$T/want" <<'X'
company.tier_changed|1|{"from":"B","rule":"rules[0]","to":"A"}|2026-06-03T09:00:00Z
X
compare "$T/want" "$T/sql" "B -> A: one event (the rerun changed nothing)"
CRM_NOW=2026-06-03T09:05:00Z expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-company list -f csv --fields name,tier,tags
expect_out "the flow tagged Acme" <<'X'
name,tier,tags
Acme,A,key-account
Beta,B,
X
sql "SELECT subject, company_id, owner, due_at FROM activities WHERE type = 'task'"
cat >"$T/want" <<'X'
Account plan for Acme|1|maria|2026-06-05T09:05:00Z
X
compare "$T/want" "$T/sql" "and gave its owner a task"
done_testing
