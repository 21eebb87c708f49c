#!/bin/bash
# The lead model is a stored model too: crm-score train on the leads keeps
# it with its training date, data window and cross-validated AUC
# (crm-score models), and crm-score monitor --kind lead compares the
# AUC on the leads resolved since its window with it: web leads convert
# (16 of 20), fair leads do not (4 of 20); 30 later leads that behave the
# same give AUC 1; 30 more that behave the other way round (every web
# lead lost, every fair lead converted) bring the 60 to 0.5 (each
# converted web lead outranks each lost fair lead, the rest tie or lose:
# (225 + 225/2 + 225/2) / 900): drift, exit 1.
. "$(dirname "$0")/../lib.sh"

leads() { # n source status
	for i in $(seq "$1"); do echo "$2$i-$RANDOM,$2,$3"; done
}
{
	echo first_name,source,status
	leads 16 web converted
	leads 4 web unqualified
	leads 4 fair converted
	leads 16 fair unqualified
} >"$T/train.csv"
CRM_NOW=2026-05-01T00:00:00Z expect_code 0 crm-lead import -q "$T/train.csv"

# no model yet
CRM_NOW=2026-05-02T00:00:00Z expect_code 66 crm-score monitor --kind lead
err_has "no active lead model: run crm-score train on the leads first"
CRM_NOW=2026-05-02T00:00:00Z expect_code 0 crm-score train --model "$T/m.json" --features source --min-count 1 --folds 5
expect_code 0 crm-score models -f csv --fields id,kind,trained_at,data_from,data_to,rows,positives,active
expect_out "the lead model, stored with its date and window" <<'X'
id,kind,trained_at,data_from,data_to,rows,positives,active
1,lead,2026-05-02T00:00:00Z,2026-05-01T00:00:00Z,2026-05-01T00:00:00Z,40,20,true
X
expect_code 0 crm-score models -f csv --fields cv_auc
cv=$(sed -n 2p "$T/out")
check "a cross-validated AUC is kept ($cv)" awk -v a="$cv" 'BEGIN { exit !(a > 0.6 && a <= 0.8) }'

# nothing resolved since: no drift
CRM_NOW=2026-05-10T00:00:00Z expect_code 0 crm-score monitor --kind lead -f csv
awk -F, -v cv="$cv" 'NR == 3 { d = $3 - (cv - 0.1); printf "%s,%s,%s,%s\n", $1, $2, (d < 0.0006 && d > -0.0006) ? "cv-0.10" : $3, $4; next } { print }' "$T/out" >"$T/got"
cat >"$T/want" <<'X'
metric,value,limit,drift
outcomes,0,20,false
auc,,cv-0.10,false
X
compare "$T/want" "$T/got" "no outcomes yet; the AUC floor is the cross-validated AUC less 0.10"
err_has "0 leads resolved since its data window (20 needed); no drift"

# 30 leads as before: AUC 1
{
	echo first_name,source,status
	leads 15 web converted
	leads 15 fair unqualified
} >"$T/same.csv"
CRM_NOW=2026-05-15T00:00:00Z expect_code 0 crm-lead import -q "$T/same.csv"
CRM_NOW=2026-05-20T00:00:00Z expect_code 0 crm-score monitor --kind lead -f csv --fields metric,value,drift
expect_out "the same behaviour: AUC 1" <<'X'
metric,value,drift
outcomes,30,false
auc,1.000,false
X

# 30 the other way round: 60 outcomes, AUC 0.5, below cv - 0.10
{
	echo first_name,source,status
	leads 15 web unqualified
	leads 15 fair converted
} >"$T/flip.csv"
CRM_NOW=2026-06-01T00:00:00Z expect_code 0 crm-lead import -q "$T/flip.csv"
CRM_NOW=2026-06-02T00:00:00Z expect_code 1 crm-score monitor --kind lead -f csv --fields metric,value,drift
expect_out "drift injected: AUC 0.5" <<'X'
metric,value,drift
outcomes,60,false
auc,0.500,true
X
err_has "drift: retrain with crm-score train --force"
expect_code 64 crm-score monitor --kind lead --retrain
err_has "--retrain is for the deal model"
expect_code 64 crm-score monitor --kind ticket

# retrained, the old model kept for a rollback
CRM_NOW=2026-06-03T00:00:00Z expect_code 0 crm-score train --model "$T/m.json" --force --features source --min-count 1 --folds 5
expect_code 0 crm-score models -f csv --fields id,kind,rows,active
expect_out "two lead models, the new one active" <<'X'
id,kind,rows,active
2,lead,100,true
1,lead,40,false
X
CRM_NOW=2026-06-03T00:00:00Z expect_code 0 crm-score monitor --kind lead -f csv --fields metric,value
expect_out "the new model's window ends with the flipped leads: nothing since" <<'X'
metric,value
outcomes,0
auc,
X
expect_code 0 crm-score rollback lead
expect_code 0 crm-score models -f csv --fields id,active
expect_out "rolled back to model 1" <<'X'
id,active
2,false
1,true
X
done_testing
