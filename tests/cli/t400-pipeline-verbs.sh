#!/bin/bash
# crm-pipeline: add (linking companies and contacts), move with history,
# won, lost, reopen, undo, import, export round trip, board (records and
# kanban), history, and the views of companies and contacts.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --name Acme --domain acme.example
printf 'external_id,first_name,email,company\nc1,Ann,ann@acme.example,Acme\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 0 crm-pipeline add --name 'Acme platform' --amount 12000 --currency EUR --set company=Acme --expected-close 2026-12-15 --owner kim --ids
expect_out "add prints the id" <<<'1'
expect_code 0 crm-pipeline add --name 'Ann upsell' --set contact=ann@acme.example --amount 500.5 --currency USD --stage 'Proposal/Quote' -f csv --fields id,company_id,contact_id,pipeline,stage,status,amount,probability,forecast_category,stage_changed_at
expect_out "stage by label; company from the contact; probability and category from the stage" <<'X'
id,company_id,contact_id,pipeline,stage,status,amount,probability,forecast_category,stage_changed_at
2,1,1,default,proposal,open,500.50,60,best_case,2026-11-22T09:30:00Z
X
expect_code 0 crm-pipeline add --name 'Globex pilot' --set company=Globex --pipeline renewals --amount 300000 --currency JPY -f csv --fields id,company_id,pipeline,stage,probability,amount
expect_out "a company named but missing is created; another pipeline's first stage; JPY" <<'X'
id,company_id,pipeline,stage,probability,amount
3,2,renewals,upcoming,70,300000
X
expect_code 0 crm-company list -f csv --fields id,name
expect_out "Globex was created" <<'X'
id,name
1,Acme
2,Globex
X

CRM_NOW=2026-11-24T09:30:00Z expect_code 0 crm-pipeline move negotiation 1 --amount 15000 --close-date 2026-12-20
err_has "moved 1 deal (change 1; 'crm-pipeline undo 1' reverts it)"
CRM_NOW=2026-11-24T10:00:00Z expect_code 0 crm-pipeline move negotiation 1 --probability 90
CRM_NOW=2026-11-25T09:30:00Z expect_code 0 crm-pipeline won 1 --reason 'best price'
err_has "closed as won 1 deal (change 3;"
expect_code 0 crm-pipeline history 1 -f csv
expect_out "a history row for every change of stage, amount, probability, close date" <<'X'
id,deal_id,at,actor,field,from_value,to_value,pipeline,from_status,to_status,seconds_in_stage,amount,currency
1,1,2026-11-22T09:30:00Z,tester,stage,,prospecting,default,,open,,12000.00,EUR
4,1,2026-11-24T09:30:00Z,tester,stage,prospecting,negotiation,default,open,open,172800,15000.00,EUR
5,1,2026-11-24T09:30:00Z,tester,amount,12000.00,15000.00,default,,,,15000.00,EUR
6,1,2026-11-24T09:30:00Z,tester,probability,10,80,default,,,,15000.00,EUR
7,1,2026-11-24T09:30:00Z,tester,expected_close,2026-12-15,2026-12-20,default,,,,15000.00,EUR
8,1,2026-11-24T10:00:00Z,tester,probability,80,90,default,,,,15000.00,EUR
9,1,2026-11-25T09:30:00Z,tester,stage,negotiation,closed_won,default,open,won,86400,15000.00,EUR
10,1,2026-11-25T09:30:00Z,tester,probability,90,100,default,,,,15000.00,EUR
X
expect_code 0 crm-pipeline show 1 -f csv --fields stage,status,probability,forecast_category,close_reason,closed_at,expected_close
expect_out "won: the pipeline's won stage, closed_at now, the reason kept" <<'X'
stage,status,probability,forecast_category,close_reason,closed_at,expected_close
closed_won,won,100,closed,best price,2026-11-25T09:30:00Z,2026-12-20
X

db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-pipeline move prospecting 1
err_has "crm-pipeline: stage: deal 1: closed as won (stage 'closed_won'): leaving a closed stage needs --reopen"
expect_code 65 crm-pipeline lost 1 --reason late
err_has "closed as won"
expect_code 65 crm-pipeline move nowhere 3
err_has "crm-pipeline: stage: deal 3: unknown stage 'nowhere' in pipeline 'renewals' (expected one of: upcoming, quoted, renewed, churned)"
expect_code 64 crm-pipeline lost 2
err_has "lost needs --reason"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused moves changed nothing"

CRM_NOW=2026-11-26T09:30:00Z expect_code 0 crm-pipeline move qualification 1 --reopen
CRM_NOW=2026-11-26T09:30:00Z expect_code 0 crm-pipeline lost 2 --reason budget
CRM_NOW=2026-11-26T09:30:00Z expect_code 0 crm-pipeline won 3
err_has "closed as won 1 deal (change 6;"
expect_code 0 crm-pipeline list -f csv --fields id,stage,status,probability,forecast_category,close_reason,closed_at
expect_out "reopened (reason and closed_at cleared), lost, won in its own pipeline" <<'X'
id,stage,status,probability,forecast_category,close_reason,closed_at
1,qualification,open,20,pipeline,,
2,closed_lost,lost,0,omitted,budget,2026-11-26T09:30:00Z
3,renewed,won,100,closed,,2026-11-26T09:30:00Z
X
expect_code 0 crm-pipeline undo 6
expect_code 0 crm-pipeline show 3 -f csv --fields stage,status,closed_at
expect_out "undo of won" <<'X'
stage,status,closed_at
upcoming,open,
X
expect_code 0 crm-pipeline history 1 --ids
expect_code 64 crm-pipeline history 2 3 -f csv --fields x
expect_code 64 crm-pipeline history -w stage=x

expect_code 0 crm-pipeline board -f csv
expect_out "board: every open stage in order, per currency, weighted" <<'X'
pipeline,stage,label,position,deals,currency,amount,weighted_amount
default,prospecting,Prospecting,1,0,,,
default,qualification,Qualification,2,1,EUR,15000.00,3000.00
default,needs_analysis,Needs Analysis,3,0,,,
default,proposal,Proposal/Quote,4,0,,,
default,negotiation,Negotiation,5,0,,,
renewals,upcoming,Upcoming,1,1,JPY,300000,210000
renewals,quoted,Quoted,2,0,,,
X
COLUMNS=80 expect_code 0 crm-pipeline board -f table --pipeline renewals
expect_out "board as a kanban" <<'X'
Renewals (renewals)
Upcoming                      Quoted
1 deal                        0 deals
300000 JPY
----------------------------  ----------------------------
#3 Globex pilot
  300000 JPY
X
expect_code 0 crm-pipeline board -f csv -w owner=kim --pipeline default
expect_out "board --where" <<'X'
pipeline,stage,label,position,deals,currency,amount,weighted_amount
default,prospecting,Prospecting,1,0,,,
default,qualification,Qualification,2,1,EUR,15000.00,3000.00
default,needs_analysis,Needs Analysis,3,0,,,
default,proposal,Proposal/Quote,4,0,,,
default,negotiation,Negotiation,5,0,,,
X
expect_code 64 crm-pipeline board --pipeline nope
err_has "no pipeline 'nope'"

expect_code 0 crm-activity log -q --type call --deal 1 --at '2026-11-26 12:00'
expect_code 0 crm-pipeline show 1 -f csv --fields id,last_activity_at
expect_out "an activity keeps last_activity_at current" <<'X'
id,last_activity_at
1,2026-11-26T12:00:00Z
X
expect_code 0 crm-activity timeline deal 'Acme platform' --ids
expect_out "timeline of a deal, by name" <<<'1'
expect_code 0 crm-company show Acme -f json
out_has '"rollups":{"contacts":1,"open_deals":1,"open_tickets":0}'
out_has '"deals":[{"id":1,"external_id":null,"name":"Acme platform"'
check "company view lists open deals only" [ "$(grep -c 'Ann upsell' "$T/out")" -eq 0 ]
expect_code 0 crm-pipeline move -q prospecting 2 --reopen
expect_code 0 crm-company tree -f csv
expect_out "company tree rolls up open deals" <<'X'
id,name,parent_id,depth,path,contacts,contacts_total,open_deals,open_deals_total,open_tickets,open_tickets_total
1,Acme,,0,1,1,1,2,2,0,0
2,Globex,,0,2,0,0,1,1,0,0
X
expect_code 0 crm-contact show ann@acme.example -f json
out_has '"deals":[{"id":2,"external_id":null,"name":"Ann upsell"'

cat >"$T/d.csv" <<'X'
external_id,name,company,stage,amount,currency,owner,expected_close
d10,Initech deal,Initech,negotiation,1000,EUR,lou,2027-01-10
d11,Acme extra,acme.example,Closed Won,250,EUR,kim,
X
expect_code 0 crm-pipeline import "$T/d.csv"
err_has "2 inserted, 0 updated, 0 unchanged, 0 rejected, 1 company created"
expect_code 0 crm-pipeline list -w 'external_id~d1' -f csv --fields id,company_id,stage,status,probability,closed_at
expect_out "import links companies by name and domain, stages by label" <<'X'
id,company_id,stage,status,probability,closed_at
4,3,negotiation,open,80,
5,1,closed_won,won,100,2026-11-22T09:30:00Z
X
expect_code 0 crm-pipeline import "$T/d.csv"
err_has "0 inserted, 0 updated, 2 unchanged, 0 rejected, 0 companies created"
expect_code 0 crm-pipeline export -f ndjson
cp "$T/out" "$T/all.ndjson"
expect_code 0 crm-pipeline import "$T/all.ndjson"
err_has "0 inserted, 0 updated, 5 unchanged, 0 rejected"
printf 'external_id,stage\nd11,negotiation\n' >"$T/re.csv"
expect_code 65 crm-pipeline import "$T/re.csv"
err_has "crm-pipeline:$T/re.csv:2: stage: closed as won (stage 'closed_won')"
printf 'external_id,stage,reopen\nd11,negotiation,true\n' >"$T/re.csv"
expect_code 0 crm-pipeline import "$T/re.csv"
err_has "0 inserted, 1 updated"

expect_code 0 crm-pipeline delete 4
err_has "deleted 1 deal (change"
sql 'SELECT max(id) FROM crm_changes'
expect_code 0 crm-pipeline undo "$(cat "$T/sql")"
expect_code 0 crm-pipeline show d10 --ids
expect_out "undo restores a deleted deal" <<<'4'
expect_code 0 crm-pipeline tag add hot 4
expect_code 0 crm-pipeline --help
out_has "forecast"
expect_code 0 crm-pipeline move --help
out_has "--reopen"
done_testing
