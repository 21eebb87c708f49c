#!/bin/bash
# crm-score monitor: the deal model of t620's history (meetings win) is
# watched while new deals close. Twenty deals scored while open then
# closing as predicted keep the AUC at 1 (exit 0); twenty more closing
# against the prediction (the meetings lost, the emails won) bring the
# AUC of the forty to 0.5, a drop of 0.5 past the 0.1 allowed: exit 1;
# --retrain then trains model 2 and keeps model 1. Thresholds come from a
# config file; a bad one is exit 78.
. "$(dirname "$0")/../lib.sh"

sh "$DATA/predict/deals.sh" "$T"
CRM_NOW=2026-01-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/open.csv"
CRM_NOW=2026-02-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/stage.csv"
CRM_NOW=2026-02-01T00:00:00Z expect_code 0 crm-activity import -q "$T/acts.csv"
CRM_NOW=2026-03-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/close.csv"

expect_code 66 crm-score monitor
err_has "no active deal model: run crm-score deals first"
expect_code 0 crm-score deals -q --min-history 40 -f csv

# a batch of deals FIRST..LAST opened and worked in November: even numbers
# have three meetings, odd ones two emails. won=even: the meetings win (as
# the model predicts); won=odd: they lose.
batch() { # first last won
	{
		echo external_id,name,stage,amount,currency,owner,source
		for i in $(seq "$1" "$2"); do echo "D$i,Deal $i,proposal,100,EUR,kim,web"; done
	} >"$T/b-open.csv"
	{
		echo deal_id,type,direction,occurred_at
		for i in $(seq "$1" "$2"); do
			if [ $((i % 2)) -eq 0 ]; then
				for d in 10 15 20; do echo "$i,meeting,out,2026-11-${d}T10:00:00Z"; done
			else
				for d in 10 15; do echo "$i,email,out,2026-11-${d}T10:00:00Z"; done
			fi
		done
	} >"$T/b-acts.csv"
	{
		echo external_id,stage,close_reason
		for i in $(seq "$1" "$2"); do
			if { [ "$3" = even ] && [ $((i % 2)) -eq 0 ]; } ||
				{ [ "$3" = odd ] && [ $((i % 2)) -eq 1 ]; }; then
				echo "D$i,closed_won,"
			else
				echo "D$i,closed_lost,price"
			fi
		done
	} >"$T/b-close.csv"
}

# deals 63-82 scored on 2026-11-21, closed as predicted on 2026-11-22
batch 63 82 even
CRM_NOW=2026-11-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/b-open.csv"
expect_code 0 crm-activity import -q "$T/b-acts.csv"
CRM_NOW=2026-11-21T00:00:00Z expect_code 0 crm-score deals -q -f csv
CRM_NOW=2026-11-22T00:00:00Z expect_code 0 crm-pipeline import -q "$T/b-close.csv"

expect_code 0 crm-score monitor -f csv
cp "$T/out" "$T/m1"
cp "$T/err" "$T/e1"
expect_code 64 crm-score monitor -f csv -w x=1
err_has "monitor takes no ids, --where or --stdin"
cp "$T/e1" "$T/err"
awk -F, 'NR > 1 { print $1 "," $4 }' "$T/m1" >"$T/got"
printf 'auc,false\ncalibration_gap,false\n' >"$T/want"
compare "$T/want" "$T/got" "20 outcomes as predicted: no drift"
check "AUC 1 against a limit of 0.9 (1 - 0.1)" grep -qx 'auc,1.000,0.900,false' "$T/m1"
# half won, predicted about 98% and 2%: the mean predicted is near 50
check "calibration gap under 1 point" awk -F, '$1 == "calibration_gap" && $2 < 1 && $3 == "15.000" { f = 1 } END { exit !f }' "$T/m1"
err_has "deal model 1 (trained 2026-11-22T09:30:00Z): 20 outcomes since its data window (20 needed), 2 open deals; no drift"

# deals 83-102: the meetings lose, the emails win
batch 83 102 odd
CRM_NOW=2026-11-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/b-open.csv"
expect_code 0 crm-activity import -q "$T/b-acts.csv"
CRM_NOW=2026-11-21T00:00:00Z expect_code 0 crm-score deals -q -f csv
CRM_NOW=2026-11-22T00:00:00Z expect_code 0 crm-pipeline import -q "$T/b-close.csv"
db_dump "" "$T/before"
expect_code 1 crm-score monitor -f csv --fields metric,value,drift
check "drift injected: the AUC of the forty falls to 0.5" grep -qx 'auc,0.500,true' "$T/out"
check "calibration still within its limit" grep -q '^calibration_gap,0\.[0-9]*,false$' "$T/out"
err_has "40 outcomes since its data window (20 needed), 2 open deals; drift"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "monitor alone writes nothing"

# thresholds from a file: a drop of 0.6 allowed is no drift
printf '{"deal": {"max_auc_drop": 0.6}}\n' >"$T/lax.json"
expect_code 0 crm-score monitor --config "$T/lax.json" -f csv --fields metric,drift
printf '{"deal": {"max_auc": 1}}\n' >"$T/bad.json"
expect_code 78 crm-score monitor --config "$T/bad.json"
err_has "max_auc: unknown threshold"
printf '{"deal": {"max_psi": "high"}}\n' >"$T/bad.json"
expect_code 78 crm-score monitor --config "$T/bad.json"
err_has "max_psi: expected a number >= 0"

# the inputs' stability (PSI), counted once there is one open deal, against
# the open deals when the model was trained (61 and 62, 325 days old):
# 40 days later both are still in proposal (PSI 0) but older than any
# edge: all of the share moves from the first bin to the last, 2 x
# 0.9999 x ln(0.9999 / 0.0001) = 18.419
printf '{"deal": {"min_open": 1}}\n' >"$T/psi.json"
expect_code 1 crm-score monitor --config "$T/psi.json" -f csv
check "no drift on the day of training" grep -qx 'psi:age_days,0.000,0.250,false' "$T/out"
CRM_NOW=2027-01-01T00:00:00Z expect_code 1 crm-score monitor --config "$T/psi.json" -f csv
check "psi of the stage 0" grep -qx 'psi:stage,0.000,0.250,false' "$T/out"
check "psi of the age 18.419: drift" grep -qx 'psi:age_days,18.419,0.250,true' "$T/out"

# --retrain: model 2 from the 100 closed deals, model 1 kept
expect_code 1 crm-score monitor --retrain --min-history 40 -f csv
err_has "trained deal model 2"
err_has "model 1 is kept ('crm-score rollback deal')"
expect_code 0 crm-score models -f csv --fields id,rows,positives,active
expect_out "model 2 active on 100 deals, model 1 kept" <<'X'
id,rows,positives,active
2,100,50,true
1,60,30,false
X

done_testing
