#!/bin/bash
# crm-flow run over simulated days with the shipped 48-hour quote
# follow-up: due exactly 48 hours after the deal entered the stage, not
# for a deal the customer answered, once per occurrence however often it
# runs (and again when the deal enters the stage again), in parallel
# runs too; --dry-run commits nothing; test and log explain.
. "$(dirname "$0")/../lib.sh"
F=(--flows "$TOP/share/crm/flows" --flow quote-follow-up)

printf 'external_id,first_name,email\nc1,Ann,ann@acme.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
CRM_NOW=2026-11-23T09:00:00Z expect_code 0 crm-pipeline add -q --name 'Acme quote' --stage proposal --owner kim --amount 1200 --currency EUR --set contact=c1
CRM_NOW=2026-11-23T12:00:00Z expect_code 0 crm-pipeline add -q --name 'Globex quote' --stage proposal --owner lou
CRM_NOW=2026-11-23T12:00:00Z expect_code 0 crm-pipeline add -q --name 'Early deal' --stage prospecting --owner kim
# the customer answers Globex's quote
expect_code 0 crm-activity log -q --type email --direction in --deal 2 --at 2026-11-24T10:00:00Z

# day 1: only 24 hours have passed
CRM_NOW=2026-11-24T09:00:00Z expect_code 0 crm-flow run "${F[@]}"
expect_out "after 24 hours nothing is due" </dev/null
err_has "0 fired, 0 failed, 0 sent, 0 loops stopped"

# a second before 48 hours: not yet; at 48 hours: the follow-up
CRM_NOW=2026-11-25T08:59:59Z expect_code 0 crm-flow run "${F[@]}" -q
expect_out "a second early: nothing" </dev/null
CRM_NOW=2026-11-25T09:00:00Z expect_code 0 crm-flow run "${F[@]}" -n -f csv --fields flow,record,status,did
expect_out "--dry-run says what would fire" <<'X'
flow,record,status,did
quote-follow-up,1,done,tags +决策犹豫; task 2 'Follow up on the quote for Acme quote' for kim
X
err_has "dry run: 1 fired"
expect_code 0 crm-flow log
expect_out "a dry run logs nothing" <<'X'
id,fired_at,flow,entity,record,occurrence,status,attempts,depth,why,did,error,next_try,change
X
CRM_NOW=2026-11-25T09:00:00Z expect_code 0 crm-flow run "${F[@]}" -f csv --fields record,occurrence,why
expect_out "deal 1 is due at 48 hours exactly" <<'X'
record,occurrence,why
1,2026-11-23T09:00:00Z,2d after stage_changed_at (stage_changed_at 2026-11-23T09:00:00Z): due 2026-11-25T09:00:00Z
X
CRM_NOW=2026-11-25T09:00:00Z expect_code 0 crm-flow run "${F[@]}"
expect_out "a second run at the same time does nothing" </dev/null
err_has "0 fired"
# Globex: due at 12:00, but the customer wrote
CRM_NOW=2026-11-26T12:00:00Z expect_code 0 crm-flow run "${F[@]}"
expect_out "an answered quote gets no follow-up" </dev/null
expect_code 0 crm-pipeline list -f csv --fields id,stage,tags
expect_out "only deal 1 is tagged 决策犹豫" <<'X'
id,stage,tags
1,proposal,决策犹豫
2,proposal,
3,prospecting,
X
expect_code 0 crm-activity list -f csv --where type=task --fields id,type,subject,owner,due_at,deal_id,contact_id
expect_out "one task for kim, due a day after the run" <<'X'
id,type,subject,owner,due_at,deal_id,contact_id
2,task,Follow up on the quote for Acme quote,kim,2026-11-26T09:00:00Z,1,1
X

# deal 1 leaves the stage and comes back: a new occurrence
CRM_NOW=2026-11-27T09:00:00Z expect_code 0 crm-pipeline move -q negotiation 1
CRM_NOW=2026-11-27T10:00:00Z expect_code 0 crm-pipeline move -q proposal 1
CRM_NOW=2026-11-29T09:59:59Z expect_code 0 crm-flow run "${F[@]}" -q
expect_out "47:59:59 after coming back: nothing" </dev/null
# two runs at once at 48 hours: exactly one fires
export CRM_NOW=2026-11-29T10:00:00Z
crm-flow run "${F[@]}" >"$T/o1" 2>"$T/e1" & p1=$!
crm-flow run "${F[@]}" >"$T/o2" 2>"$T/e2" & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check "concurrent runs both succeed" sh -c '[ "$1" -eq 0 ] && [ "$2" -eq 0 ]' _ "$r1" "$r2"
cat "$T/o1" "$T/o2" | grep -c '^quote-follow-up' >"$T/n"
check "concurrent runs: one of them fired it, once" grep -qx 1 "$T/n"
unset CRM_NOW
export CRM_NOW=2026-11-22T09:30:00Z
expect_code 0 crm-activity list -f csv --where type=task --fields id,subject,due_at
expect_out "a second task for the second stay, none twice" <<'X'
id,subject,due_at
2,Follow up on the quote for Acme quote,2026-11-26T09:00:00Z
3,Follow up on the quote for Acme quote,2026-11-30T10:00:00Z
X
expect_code 0 crm-flow log -f csv --fields id,flow,record,occurrence,status,attempts,depth
expect_out "log: what fired, once per occurrence" <<'X'
id,flow,record,occurrence,status,attempts,depth
1,quote-follow-up,1,2026-11-23T09:00:00Z,done,1,0
2,quote-follow-up,1,2026-11-27T10:00:00Z,done,1,0
X
expect_code 0 crm-flow log --record 2
expect_out "log --record narrows" <<'X'
id,fired_at,flow,entity,record,occurrence,status,attempts,depth,why,did,error,next_try,change
X

# test explains, condition by condition
expect_code 1 crm-flow test quote-follow-up --record 2 --at 2026-11-26T12:00:00Z --flows "$TOP/share/crm/flows" -f csv
expect_out "test: the inbound email stops it" <<'X'
step,holds,detail
trigger,yes,"2d after stage_changed_at: stage_changed_at is 2026-11-23T12:00:00Z, due 2026-11-25T12:00:00Z"
stage = proposal,yes,stage is proposal
status = open,yes,status is open
"{""activities"":{""direction"":""in"",""max"":0,""since"":""stage_changed_at""}}",no,1 inbound activity since 2026-11-23T12:00:00Z
once,yes,occurrence 2026-11-23T12:00:00Z has not fired
fires,no,it would not fire
X
expect_code 1 crm-flow test quote-follow-up --record 3 --at 2026-11-21T00:00:00Z --flows "$TOP/share/crm/flows" -f csv --fields step,holds
expect_out "test: not due, wrong stage" <<'X'
step,holds
trigger,no
stage = proposal,no
status = open,yes
"{""activities"":{""direction"":""in"",""max"":0,""since"":""stage_changed_at""}}",yes
once,yes
fires,no
X
expect_code 1 crm-flow test quote-follow-up --record 1 --at 2026-12-02T10:00:00Z --flows "$TOP/share/crm/flows" -f csv --fields step,holds
expect_out "test: this stay's occurrence has fired already" <<'X'
step,holds
trigger,yes
stage = proposal,yes
status = open,yes
"{""activities"":{""direction"":""in"",""max"":0,""since"":""stage_changed_at""}}",yes
once,no
fires,no
X
done_testing
