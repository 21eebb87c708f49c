#!/bin/bash
# crm-flow actions and conditions not covered elsewhere: create a record
# (a renewal deal, made once: its external_id is the firing's key),
# related-record conditions (the company's industry), counts of
# activities of a type within a window, assign to a templated user, log
# an activity, set with templates of related records; a write that
# changes nothing is noted "(unchanged)".
. "$(dirname "$0")/../lib.sh"
mkdir "$T/flows"
cat >"$T/flows/renewal.json" <<'X'
{"name": "renewal", "entity": "deal",
 "trigger": {"type": "updated", "field": "stage", "to": "closed_won"},
 "conditions": [{"related": "company", "where": ["industry = software"]},
                {"activities": {"type": "call", "within": "30d", "min": 2}}],
 "actions": [
   {"type": "create", "entity": "deal",
    "fields": {"name": "Renewal: {{name}}", "pipeline": "renewals", "company_id": "{{company_id}}",
               "owner": "{{owner}}", "amount": "{{amount}}", "currency": "{{currency}}"}},
   {"type": "log", "activity": "note", "subject": "renewal opened for {{company.name}}"},
   {"type": "assign", "to": "{{company.owner}}"},
   {"type": "set", "fields": {"source": "{{company.domain}}"}}
 ]}
X
expect_code 0 crm-company add -q --name Acme --domain acme.example --set industry=software --set owner=maria
expect_code 0 crm-company add -q --name Brick --domain brick.example --set industry=construction
expect_code 0 crm-pipeline add -q --name 'Acme 2026' --set company=Acme --owner kim --amount 1200.50 --currency EUR
expect_code 0 crm-pipeline add -q --name 'Brick 2026' --set company=Brick --owner kim --amount 10 --currency EUR
expect_code 0 crm-pipeline add -q --name 'Acme quiet' --set company=Acme --owner kim --amount 10 --currency EUR
for d in 1 1 2 2 3; do
	expect_code 0 crm-activity log -q --type call --deal $d --at 2026-11-20T10:00:00Z
done
expect_code 0 crm-activity log -q --type call --deal 3 --at 2026-10-01T10:00:00Z
expect_code 0 crm-pipeline won -q 1 2 3
expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields record,status,did,error
expect_out "only Acme's deal with two calls in 30 days renews" <<'X'
record,status,did,error
1,done,created deal 4; note 7 'renewal opened for Acme' for kim; owner=maria; set source=acme.example,
X
expect_code 0 crm-flow log -f csv --fields record,status,error
expect_out "the skips and why are in the log" <<'X'
record,status,error
1,done,
2,skipped,"condition {""related"":""company"",""where"":[""industry = software""]} does not hold (company 2)"
3,skipped,"condition {""activities"":{""min"":2,""type"":""call"",""within"":""30d""}} does not hold (1 call activity since 2026-10-23T09:30:00Z)"
X
expect_code 0 crm-pipeline list -f csv --fields id,name,pipeline,stage,company_id,owner,amount,currency,external_id,source
expect_out "the renewal deal, and the won deal reassigned" <<'X'
id,name,pipeline,stage,company_id,owner,amount,currency,external_id,source
1,Acme 2026,default,closed_won,1,maria,1200.50,EUR,,acme.example
2,Brick 2026,default,closed_won,2,kim,10.00,EUR,,
3,Acme quiet,default,closed_won,1,kim,10.00,EUR,,
4,Renewal: Acme 2026,renewals,upcoming,1,kim,1200.50,EUR,renewal:1:audit:1,
X
# the records a firing made are noted under its row (written after its
# actions since #25: the notes wait for its id), its did and change set
# on that one row
sql "SELECT m.entity, m.record_id, f.flow, f.record_id, f.status, f.attempts, CASE WHEN f.change_id IS NULL THEN 0 ELSE 1 END FROM crm_flow_made m JOIN crm_flow_firings f ON f.id = m.firing_id ORDER BY m.entity"
printf 'activity|7|renewal|1|done|1|1\ndeal|4|renewal|1|done|1|1\n' >"$T/want"
compare "$T/want" "$T/sql" "the deal and the note the firing made are noted under its id"
expect_code 0 crm-flow run --flows "$T/flows"
expect_out "nothing twice" </dev/null
# the change log read again from its start (the cursor moved back by
# hand): the batch's own read finds the occurrences fired (done and
# skipped), so none fires twice
sql "UPDATE crm_flow_cursor SET pos = 0 WHERE name = 'audit'"
expect_code 0 crm-flow run --flows "$T/flows"
expect_out "the log read again: nothing twice" </dev/null
expect_code 0 crm-flow log -f csv --fields flow,record,status
expect_out "skips are logged with the reason" <<'X'
flow,record,status
renewal,1,done
renewal,2,skipped
renewal,3,skipped
X
# a write that changes nothing says so: (unchanged), for tag, set, assign
cat >"$T/flows/same.json" <<'X'
{"name": "same", "entity": "company", "trigger": {"type": "created"},
 "conditions": ["name = Same"],
 "actions": [{"type": "tag", "add": "vip"}, {"type": "set", "fields": {"industry": "retail"}},
             {"type": "assign", "to": "lee"}, {"type": "set", "fields": {"industry": "food"}}]}
X
expect_code 0 crm-company add -q --name Same --set tags=vip --set industry=retail --set owner=lee
expect_code 0 crm-flow run --flows "$T/flows" -f csv --fields flow,record,did
expect_out "unchanged writes are noted" <<'X'
flow,record,did
same,3,tags +vip (unchanged); set industry=retail (unchanged); owner=lee (unchanged); set industry=food
X
done_testing
