#!/bin/bash
# crm-company plan: an account plan (period, target revenue, goals, a
# strategy per key person, actions as tasks with owners and due dates,
# review notes) shown against actuals worked out by hand: revenue won in
# the period vs the target, actions done vs due with the overdue flagged,
# and the power map's gaps (the power map's own rules); as text, CSV and
# JSON.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-06-10T09:00:00Z
printf 'name,owner\nAcme,maria\n' >"$T/co.csv"
expect_code 0 crm-company import -q "$T/co.csv"
printf 'first_name,last_name,email,company\nAnn,Lee,ann@acme.example,Acme\nBo,Ray,bo@acme.example,Acme\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
cat >"$T/d.csv" <<'X'
name,company,stage,amount,currency,closed_at
in period,Acme,closed_won,30000,EUR,2026-02-01T10:00:00Z
last day,Acme,closed_won,5000.50,EUR,2026-12-31T23:00:00Z
before,Acme,closed_won,99000,EUR,2025-12-31T23:59:59Z
dollars,Acme,closed_won,1000,USD,2026-03-01T00:00:00Z
lost,Acme,closed_lost,7000,EUR,2026-03-01T00:00:00Z
open,Acme,proposal,20000,EUR,
X
expect_code 0 crm-pipeline import -q "$T/d.csv"

expect_code 66 crm-company plan Acme
err_has "has no account plan"
expect_code 0 crm-company plan Acme set --from 2026-01-01 --to 2026-12-31 --target 100000 --currency EUR
expect_code 0 crm-company plan Acme goal "Grow to 100k in 2026"
expect_code 0 crm-company plan Acme goal "Land the logistics division"
expect_code 0 crm-company plan Acme strategy ann@acme.example "Sponsor: monthly steering call"
expect_code 0 crm-company plan Acme action "Send the proposal" --due 2026-06-01 --owner maria --contact ann@acme.example
expect_code 0 crm-company plan Acme action "Workshop" --due 2026-06-10 --owner tom
expect_code 0 crm-company plan Acme action "QBR" --due 2026-09-01 --owner maria
expect_code 0 crm-company plan Acme action "Reference call" --due 2026-05-01 --owner tom
expect_code 0 crm-company plan Acme review "Q1: behind on logistics" --ids
expect_out "--ids prints the item's id" <<'X'
8
X
sql "SELECT id, subject FROM activities WHERE type = 'task' AND subject = 'Reference call'"
ref=$(cut -d'|' -f1 "$T/sql")
expect_code 0 crm-activity done -q "$ref"
# a role makes Ann the champion; the open proposal has no economic buyer:
# a gap by the power map's rules (required roles past qualification)
expect_code 0 crm-company role add Acme ann@acme.example --role champion -q

# by hand: won in 2026-01-01..2026-12-31 in EUR: 30000 + 5000.50 =
# 35000.50 of 100000.00 = 35.0%; USD left out; the lost and the 2025 deal
# not counted. Actions: 4; due by 2026-06-10: the proposal (06-01,
# overdue), the workshop (today: due, not overdue), the reference call
# (done); the QBR not yet due.
expect_code 0 crm-company plan Acme -f table
expect_out "the plan against actuals" <<'X'
Account plan: Acme (1), 2026-01-01 .. 2026-12-31
Revenue: 35000.50 of 100000.00 EUR won (2 deals, 35.0%)
  (won deals in USD are not counted: no rate)
Goals:
  - Grow to 100k in 2026
  - Land the logistics division
Strategies:
  Ann Lee (1): Sponsor: monthly steering call
Actions: 1 of 4 done, 3 due, 1 overdue
  [ ] Send the proposal (maria, due 2026-06-01)  OVERDUE
  [ ] Workshop (tom, due 2026-06-10)
  [ ] QBR (maria, due 2026-09-01)
  [x] Reference call (tom, due 2026-05-01, done 2026-06-10)
Reviews:
  2026-06-10 tester: Q1: behind on logistics
Power map gaps:
  gap: deal 6 (open) is past qualification with no economic_buyer
X
expect_code 1 crm-company powermap Acme --check -f csv
err_has "gap: deal 6 (open) is past qualification with no economic_buyer"
expect_code 0 crm-company plan Acme -f csv
expect_out "as records" <<'X'
company_id,kind,id,contact_id,contact,text,owner,due_at,done_at,status,at,author
1,target,1,,,35000.50 of 100000.00 EUR,,2026-12-31,,open,2026-01-01,
1,goal,1,,,Grow to 100k in 2026,,,,,2026-06-10T09:00:00Z,tester
1,goal,2,,,Land the logistics division,,,,,2026-06-10T09:00:00Z,tester
1,strategy,3,1,Ann Lee,Sponsor: monthly steering call,,,,,2026-06-10T09:00:00Z,tester
1,action,4,1,Ann Lee,Send the proposal,maria,2026-06-01T00:00:00Z,,overdue,2026-06-10T09:00:00Z,tester
1,action,5,,,Workshop,tom,2026-06-10T00:00:00Z,,open,2026-06-10T09:00:00Z,tester
1,action,6,,,QBR,maria,2026-09-01T00:00:00Z,,open,2026-06-10T09:00:00Z,tester
1,action,7,,,Reference call,tom,2026-05-01T00:00:00Z,2026-06-10T09:00:00Z,done,2026-06-10T09:00:00Z,tester
1,review,8,,,Q1: behind on logistics,,,,,2026-06-10T09:00:00Z,tester
1,gap,,,,deal 6 (open) is past qualification with no economic_buyer,,,,,,
X
expect_code 0 crm-company plan Acme -f json
python3 - "$T/out" >"$T/py" <<'X'
import json, sys
rows = json.load(open(sys.argv[1]))
print(rows[0]["kind"], rows[0]["text"], rows[4]["status"], rows[4]["contact_id"])
X
printf 'target 35000.50 of 100000.00 EUR overdue 1\n' >"$T/want"
compare "$T/want" "$T/py" "as JSON"
# the actions are tasks of the account, through the activity mechanism
expect_code 0 crm-activity list -f csv --fields subject,company_id,contact_id,owner,due_at --where type=task --sort id
expect_out "the actions are tasks" <<'X'
subject,company_id,contact_id,owner,due_at
Send the proposal,1,1,maria,2026-06-01T00:00:00Z
Workshop,1,,tom,2026-06-10T00:00:00Z
QBR,1,,maria,2026-09-01T00:00:00Z
Reference call,1,,tom,2026-05-01T00:00:00Z
X
# the target moves; the rest stays
expect_code 0 crm-company plan Acme set --target 30000
expect_code 0 crm-company plan Acme -f csv
out_has "1,target,1,,,35000.50 of 30000.00 EUR,,2026-12-31,,met,2026-01-01,"
done_testing
