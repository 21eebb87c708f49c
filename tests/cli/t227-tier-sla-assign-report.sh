#!/bin/bash
# The tier used elsewhere: an SLA policy with when.tier (a ticket from an
# A-tier account gets the stricter policy; others fall through), lead
# assignment rules on "tier" (the tier of the account the lead's company
# names), and reports grouped --by tier (the deal's account's tier).
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-01T09:00:00Z
cat >"$T/tiers.json" <<'X'
{"currency": "EUR", "tiers": ["A", "B"],
 "rules": [{"tier": "A", "when": {"revenue": {"min": 10000}}},
           {"tier": "B"}]}
X
export CRM_TIERS="$T/tiers.json"
printf 'name\nAcme\nBeta\nGamma\n' >"$T/co.csv"
expect_code 0 crm-company import -q "$T/co.csv"
cat >"$T/d.csv" <<'X'
name,company,stage,amount,currency,closed_at
a1,Acme,closed_won,12000,EUR,2026-05-01T00:00:00Z
a2,Acme,proposal,3000,EUR,
b1,Beta,closed_won,2000,EUR,2026-05-01T00:00:00Z
b2,Beta,proposal,500,EUR,
b3,Beta,closed_lost,700,EUR,2026-05-02T00:00:00Z
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
expect_code 0 crm-company tier -q
# by hand: Acme won 12000 (A), Beta 2000 and Gamma nothing (B)

# SLA: the A-tier policy answers in 1 hour, the standard one in 8
cat >"$T/sla.json" <<'X'
{"policies": [
  {"name": "key account", "when": {"tier": "A"},
   "targets": {"first_reply": "1h", "resolution": "1d"}},
  {"name": "standard", "targets": {"first_reply": "8h", "resolution": "5d"}}]}
X
expect_code 0 crm-ticket open -q --policies "$T/sla.json" --subject s1 --company Acme
expect_code 0 crm-ticket open -q --policies "$T/sla.json" --subject s2 --company Beta
expect_code 0 crm-ticket open -q --policies "$T/sla.json" --subject s3
expect_code 0 crm-ticket list -f csv --fields id,company_id,sla_policy,first_reply_due,resolution_due
expect_out "A-tier: the stricter policy; B and no company: standard" <<'X'
id,company_id,sla_policy,first_reply_due,resolution_due
1,1,key account,2026-06-01T10:00:00Z,2026-06-02T09:00:00Z
2,2,standard,2026-06-01T17:00:00Z,2026-06-06T09:00:00Z
3,,standard,2026-06-01T17:00:00Z,2026-06-06T09:00:00Z
X
printf '{"policies": [{"name": "x", "when": {"tier": 3}, "targets": {"first_reply": "1h"}}]}' >"$T/bad-sla.json"
expect_code 78 crm-ticket open -q --policies "$T/bad-sla.json" --subject s4
err_has "tier"
expect_code 0 crm-ticket list -f csv --fields id
check "the refused ticket was not opened" [ "$(wc -l <"$T/out")" -eq 4 ]

# assignment: leads from an A-tier account go to the key-account owner
cat >"$T/rules.json" <<'X'
{"default_owner": "desk",
 "rules": [{"name": "key accounts", "match": {"tier": "A"}, "owner": "kam"}]}
X
printf 'first_name,company\nLi,ACME\nMo,Beta\nNo,Unknown Ltd\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
expect_code 0 crm-lead assign -q --rules "$T/rules.json"
expect_code 0 crm-lead list -f csv --fields first_name,owner
expect_out "a lead from Acme (by name) to kam; the rest to the desk" <<'X'
first_name,owner
Li,kam
Mo,desk
No,desk
X
# a flow's assign action with rules on the tier: tickets of A-tier
# accounts to the key-account desk, the rest by the default owner
cat >"$T/trules.json" <<'X'
{"default_owner": "helpdesk",
 "rules": [{"name": "key accounts", "match": {"tier": ["A"]}, "owner": "kam"}]}
X
mkdir -p "$T/flows"
cat >"$T/flows/route.json" <<X
{"name": "route", "entity": "ticket", "trigger": {"type": "created"},
 "actions": [{"type": "assign", "rules": "$T/trules.json"}]}
X
CRM_NOW=2026-06-01T09:10:00Z expect_code 0 crm-flow run --flows "$T/flows" -q
expect_code 0 crm-ticket list -f csv --fields id,company_id,assignee
expect_out "the flow gave the A-tier ticket to kam" <<'X'
id,company_id,assignee
1,1,kam
2,2,helpdesk
3,,helpdesk
X

# reports by tier
expect_code 0 crm-report pipeline --by tier -f csv
expect_out "open pipeline per tier" <<'X'
tier,currency,deals,amount,weighted_amount
A,EUR,1,3000.00,1800.00
B,EUR,1,500.00,300.00
X
expect_code 0 crm-report winrate --by tier -f csv --from 2026-01-01
expect_out "win rate per tier (most closed first)" <<'X'
tier,closed,won,lost,win_rate
B,2,1,1,50.0
A,1,1,0,100.0
X
done_testing
