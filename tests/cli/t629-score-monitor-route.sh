#!/bin/bash
# The ticket routing model is a stored model too: crm-score train --text
# on the solved tickets without --model keeps it in the database (kind
# route) with its training date, data window (when its tickets were
# solved) and held-out accuracy and macro-F1 next to the majority
# baseline; crm-score monitor --kind route measures it on the tickets
# solved since that window.
#
# The fixture: words decide the team (invoice, refund, charge, payment:
# billing; password, login, error, crash: tech). 20 training tickets, 10
# of each; the last 20% held out (4 rows) are 1 billing and 3 tech, so
# the model is right on all 4 (100%) while the majority class of the 16
# training rows (9 billing, 7 tech) is right on 1: accuracy 25.0%,
# macro-F1 (2x1/(2x1+3+0) + 0)/2 = 20.0%.
# Recent tickets: 10 labelled as their words say: accuracy 1, no drift.
# 10 more where 2 billing-worded ones are labelled tech and 2 tech-worded
# ones billing (injected drift): over the 20, 16 right: accuracy 0.8;
# billing: tp 8, fp 2, fn 2, F1 16/20 = 0.8, tech the same: macro-F1 0.8,
# under the floor 1 - 0.1: drift, exit 1.
. "$(dirname "$0")/../lib.sh"

B=(invoice refund charge payment)
K=(password login error crash)
q() { # the answer of one SQL query
	sql "$1"
	cat "$T/sql"
}
ticket() { # n kind(b/k) team solved_at
	local w
	if [ "$2" = b ]; then w=("${B[@]}"); else w=("${K[@]}"); fi
	echo "${w[$(($1 % 4))]} ${w[$((($1 + 1) % 4))]},$3,solved,$4"
}
{
	echo subject,team,status,solved_at
	n=0
	for k in b k b k b k b k b k b k b k b b b k k k; do
		n=$((n + 1))
		if [ $k = b ]; then t=billing; else t=tech; fi
		ticket $n $k $t "2026-03-$(printf %02d $n)T10:00:00Z"
	done
} >"$T/train.csv"
CRM_NOW=2026-03-25T00:00:00Z expect_code 0 crm-ticket import -q "$T/train.csv"
cat >"$T/monitor.json" <<'X'
{"route": {"min_outcomes": 10, "max_accuracy_drop": 0.1, "max_macro_f1_drop": 0.1}}
X
M=(--config "$T/monitor.json")

# no model yet
expect_code 66 crm-score monitor --kind route "${M[@]}"
err_has "no route model: run crm-score train --text on the solved tickets first"
expect_code 66 crm-ticket assign --auto --stored-model 1
err_has "no route model stored: run crm-score train --text on the solved tickets first"

# a dry run stores nothing
CRM_NOW=2026-04-01T00:00:00Z expect_code 0 crm-score train -n --text subject --target team
err_has "would store route model"
expect_code 0 crm-score models -f csv --fields id,kind
expect_out "nothing stored by the dry run" <<'X'
id,kind
X

CRM_NOW=2026-04-01T00:00:00Z expect_code 0 crm-score train --text subject --target team
expect_out "nothing on stdout" </dev/null
cat >"$T/want.err" <<'X'
crm-score: trained on 20 rows, 2 classes of team, 8 words; stored as route model 1
crm-score: held out 4 of 20 rows: accuracy 100.0%, macro-F1 100.0%; majority class 'billing': accuracy 25.0%, macro-F1 20.0%
X
compare "$T/want.err" "$T/err" "the held-out figures next to the majority baseline"
expect_code 0 crm-score models -f csv --fields id,kind,trained_at,data_from,data_to,rows,active
expect_out "the route model, stored with its date and window" <<'X'
id,kind,trained_at,data_from,data_to,rows,active
1,route,2026-04-01T00:00:00Z,2026-03-01T10:00:00Z,2026-03-20T10:00:00Z,20,true
X
check "its details: held-out accuracy, macro-F1 and the baseline" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["target"] == "team" and d["text"] == "subject", d
assert d["test"] == 4 and d["accuracy"] == 1.0 and d["macro_f1"] == 1.0, d
assert d["majority"] == "billing" and d["baseline_accuracy"] == 0.25, d
assert abs(d["baseline_macro_f1"] - 0.2) < 1e-9, d
' "$(q "SELECT details FROM crm_models WHERE id = 1")"

# too few tickets solved since the window: a refusal, not a verdict
CRM_NOW=2026-04-02T00:00:00Z expect_code 65 crm-score monitor --kind route "${M[@]}"
err_has "too few tickets to judge route model 1: 0 solved since its data window (2026-03-20T10:00:00Z), 10 needed (min_outcomes)"

# 10 recent tickets labelled as their words say
{
	echo subject,team,status,solved_at
	for n in 1 2 3 4 5; do
		ticket $n b billing "2026-04-0${n}T12:00:00Z"
		ticket $n k tech "2026-04-0${n}T13:00:00Z"
	done
} >"$T/recent1.csv"
CRM_NOW=2026-04-06T00:00:00Z expect_code 0 crm-ticket import -q "$T/recent1.csv"
# the default thresholds (the shared monitor.json): 20 tickets needed
CRM_NOW=2026-04-07T00:00:00Z expect_code 65 crm-score monitor --kind route
err_has "10 solved since its data window (2026-03-20T10:00:00Z), 20 needed"
CRM_NOW=2026-04-07T00:00:00Z expect_code 0 crm-score monitor --kind route "${M[@]}" -f csv
expect_out "no drift: every recent ticket routed right" <<'X'
metric,value,limit,drift
outcomes,10,10,false
accuracy,1.000,0.900,false
macro_f1,1.000,0.900,false
X
err_has "route model 1 of team (trained 2026-04-01T00:00:00Z, held-out accuracy 1.000, macro-F1 1.000): 10 tickets solved since its data window; no drift"

# 10 more, 4 of them with the other team's label
{
	echo subject,team,status,solved_at
	for n in 1 2 3 4 5; do
		if [ $n -le 2 ]; then bt=tech kt=billing; else bt=billing kt=tech; fi
		ticket $n b $bt "2026-04-1${n}T12:00:00Z"
		ticket $n k $kt "2026-04-1${n}T13:00:00Z"
	done
} >"$T/recent2.csv"
CRM_NOW=2026-04-16T00:00:00Z expect_code 0 crm-ticket import -q "$T/recent2.csv"
CRM_NOW=2026-04-17T00:00:00Z expect_code 1 crm-score monitor --kind route "${M[@]}" -f csv
expect_out "drift injected: accuracy and macro-F1 0.8" <<'X'
metric,value,limit,drift
outcomes,20,10,false
accuracy,0.800,0.900,true
macro_f1,0.800,0.900,true
X
err_has "20 tickets solved since its data window; drift"

# --retrain: a new model from the 20 recent tickets, the old one kept
CRM_NOW=2026-04-18T00:00:00Z expect_code 1 crm-score monitor --kind route "${M[@]}" --retrain -n
err_has "would train route model 2 on the 20 tickets solved since 2026-03-20T10:00:00Z"
check "the dry run stored nothing" test "$(q "SELECT count(*) FROM crm_models")" = 1
CRM_NOW=2026-04-18T00:00:00Z expect_code 1 crm-score monitor --kind route "${M[@]}" --retrain
err_has "trained route model 2 on the 20 tickets solved since 2026-03-20T10:00:00Z"
err_has "model 1 is kept ('crm-score rollback route')"
expect_code 0 crm-score models -f csv --fields id,kind,trained_at,data_from,data_to,rows,active
expect_out "model 2 active, over the recent window; model 1 kept" <<'X'
id,kind,trained_at,data_from,data_to,rows,active
2,route,2026-04-18T00:00:00Z,2026-04-01T12:00:00Z,2026-04-15T13:00:00Z,20,true
1,route,2026-04-01T00:00:00Z,2026-03-01T10:00:00Z,2026-03-20T10:00:00Z,20,false
X
CRM_NOW=2026-04-19T00:00:00Z expect_code 65 crm-score monitor --kind route "${M[@]}"
err_has "too few tickets to judge route model 2: 0 solved since its data window (2026-04-15T13:00:00Z)"

# rollback restores model 1, which sees the drift again
expect_code 0 crm-score rollback route
err_has "retired route model 2; model 1 is active again"
check "model 1 active, model 2 retired" test "$(q "SELECT id FROM crm_models WHERE kind = 'route' AND active = 1")|$(q "SELECT count(*) FROM crm_models WHERE id = 2 AND retired_at IS NOT NULL")" = "1|1"
CRM_NOW=2026-04-20T00:00:00Z expect_code 1 crm-score monitor --kind route "${M[@]}" -f csv --fields metric,value
expect_out "model 1's figures again" <<'X'
metric,value
outcomes,20
accuracy,0.800
macro_f1,0.800
X
expect_code 66 crm-score rollback route
err_has "no earlier route model to roll back to"

# bad thresholds
echo '{"route": {"max_accuracy_drop": 0.1, "max_auc_drop": 0.1}}' >"$T/bad.json"
expect_code 78 crm-score monitor --kind route --config "$T/bad.json"
err_has "max_auc_drop: unknown threshold (known: min_outcomes, max_accuracy_drop, max_macro_f1_drop)"
echo '{"route": {"min_outcomes": -1}}' >"$T/bad.json"
expect_code 78 crm-score monitor --kind route --config "$T/bad.json"
err_has "expected a number >= 0"
expect_code 64 crm-score rollback ticket
err_has "known: deal, lead, route"
# crm-ticket assign --auto --stored-model routes with the active route
# model (model 1 again): new tickets go to the team their words say
python3 - "$TOP/share/crm/sla.json" "$T/sla.json" <<'X'
import json, sys
p = json.load(open(sys.argv[1]))
p["teams"].update({
    "billing": {"lead": "lead", "agents": ["b1"], "strategy": "round_robin", "cap": 25},
    "tech": {"lead": "lead", "agents": ["k1"], "strategy": "round_robin", "cap": 25},
})
json.dump(p, open(sys.argv[2], "w"))
X
P=(--policies "$T/sla.json")
expect_code 0 crm-ticket open -q "${P[@]}" --subject 'refund the payment'
expect_code 0 crm-ticket open -q "${P[@]}" --subject 'login error again'
expect_code 0 crm-ticket assign "${P[@]}" --auto --stored-model -f csv 41 42
cut -d, -f1-3,5 "$T/out" >"$T/routes"
cat >"$T/want" <<'X'
id,field,value,routed
41,team,billing,true
42,team,tech,true
X
compare "$T/want" "$T/routes" "the stored model routed each ticket by its words"
expect_code 0 crm-ticket list -f csv --fields id,team,assignee -w id\>40
expect_out "routed and assigned in the team" <<'X'
id,team,assignee
41,billing,b1
42,tech,k1
X
expect_code 64 crm-ticket assign "${P[@]}" --auto --stored-model --model "$T/x.json" 41
err_has "--model or --stored-model (one of them)"
expect_code 64 crm-ticket assign "${P[@]}" --to b1 --stored-model 41
err_has "--stored-model needs --auto"

# a file model keeps working (crm-ticket assign --auto --model reads it)
expect_code 0 crm-score train --text subject --target team --model "$T/m.json"
check "a file model: nothing more stored" test "$(q "SELECT count(*) FROM crm_models")" = 2
done_testing
