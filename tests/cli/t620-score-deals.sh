#!/bin/bash
# crm-score deals on a hand-built history (tests/data/predict/deals.sh): 60
# deals reach proposal and close on 2026-03-01, the 30 won after three
# meetings in the month before, the 30 lost after two emails. The stage
# probability (proposal, 60%) cannot tell them apart (AUC 0.5); the
# meetings can (cross-validated AUC 1). Too little history is refused,
# scores are stored with history and trend, models are kept and rolled
# back, and crm-pipeline forecast --method model weighs by the scores.
. "$(dirname "$0")/../lib.sh"

sh "$DATA/predict/deals.sh" "$T"
CRM_NOW=2026-01-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/open.csv"
CRM_NOW=2026-02-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/stage.csv"
CRM_NOW=2026-02-01T00:00:00Z expect_code 0 crm-activity import -q "$T/acts.csv"
CRM_NOW=2026-03-01T00:00:00Z expect_code 0 crm-pipeline import -q "$T/close.csv"

# too little history: 60 closed deals against the default 200
db_dump "" "$T/before"
expect_code 65 crm-score deals
err_has "too little history to train a deal model: 60 closed deals (30 won, 30 lost); it needs at least 200, with 10 won and 10 lost"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a refusal writes nothing"
expect_code 64 crm-score deals --min-history 1
expect_code 64 crm-score deals 5

# trained with --min-history 40: deal 61 (three recent meetings) is
# likely won, deal 62 (two emails) likely lost
expect_code 0 crm-score deals --min-history 40 -f csv
err_has "trained deal model 1 on 60 closed deals (30 won, closed 2026-03-01 to 2026-03-01): cross-validated AUC 1.000, stage probabilities 0.500"
err_has "scored 2 open deals with model 1"
cp "$T/out" "$T/scores1"
check "deal 61 above 90%" awk -F, '$1 == 61 && $5 > 90 { f = 1 } END { exit !f }' "$T/scores1"
check "deal 62 below 10%" awk -F, '$1 == 62 && $5 < 10 { f = 1 } END { exit !f }' "$T/scores1"
check "stage probability 60 and no previous score" awk -F, 'NR > 1 && ($6 != "60.00" || $7 != "" || $8 != "") { bad = 1 } END { exit bad }' "$T/scores1"
sql "SELECT count(*), min(model_id), max(model_id) FROM deal_scores"
check "two scores stored with model 1" [ "$(cat "$T/sql")" = "2|1|1" ]

expect_code 0 crm-score models -f csv --fields id,kind,data_from,data_to,rows,positives,cv_auc,baseline_auc,active
expect_out "the stored model: window and validation" <<'X'
id,kind,data_from,data_to,rows,positives,cv_auc,baseline_auc,active
1,deal,2026-03-01T00:00:00Z,2026-03-01T00:00:00Z,60,30,1.000,0.500,true
X

# --explain: the meetings are among the top factors
expect_code 0 crm-score deals -f csv --explain --fields id,factors
check "deal 61's factors name its meetings" grep -q '^61,.*meetings_30d=3 (+' "$T/out"
check "deal 62's factors name its emails" grep -q '^62,.*emails_30d=2 (-' "$T/out"

# the second run uses model 1 again; the previous score and a steady trend
expect_code 0 crm-score deals -f csv --fields id,previous,trend
expect_out "history and trend" <<X
id,previous,trend
61,$(awk -F, '$1 == 61 { print $5 }' "$T/scores1"),steady
62,$(awk -F, '$1 == 62 { print $5 }' "$T/scores1"),steady
X
check "no new model" [ "$(cat "$T/err")" = "crm-score: scored 2 open deals with model 1" ]

# calibration by decile: 6 deals each; the model's five lowest deciles
# are the lost deals, its five highest the won; the stage gives 60% to all
expect_code 0 crm-score deals -f csv --calibration --fields method,decile,deals,observed
{
	echo method,decile,deals,observed
	for d in 1 2 3 4 5; do echo "model,$d,6,0.0"; done
	for d in 6 7 8 9 10; do echo "model,$d,6,100.0"; done
	for d in 1 2 3 4 5 6 7 8 9 10; do echo "stage,$d,6,50.0"; done
} >"$T/want"
compare "$T/want" "$T/out" "observed win rate by decile"
expect_code 0 crm-score deals -f csv --calibration --fields method,decile,expected,observed
check "stage expected 60 in every decile" awk -F, 'NR > 1 && $1 == "stage" && $3 != "60.0" { bad = 1 } END { exit bad }' "$T/out"
check "model expected below 10 then above 90" awk -F, 'NR > 1 && $1 == "model" && (($2 <= 5 && $3 >= 10) || ($2 > 5 && $3 <= 90)) { bad = 1 } END { exit bad }' "$T/out"

# forecast --method model: 6100 x p61 + 6200 x p62 next to the weighted
# 7380 (60% of 12300)
expect_code 0 crm-pipeline forecast --method model -f csv -w status=open
want=$(awk -F, '$1 == 61 { a = 6100 * $5 } $1 == 62 { b = 6200 * $5 } END { printf "%.2f", (a + b) / 100 }' "$T/scores1")
expect_out "model_amount beside weighted_amount" <<X
period,currency,open_deals,open_amount,weighted_amount,model_amount,scored_deals,pipeline,best_case,commit,closed,omitted,won_deals,closed_won
,EUR,2,12300.00,7380.00,$want,2,0.00,12300.00,0.00,0.00,0.00,0,0.00
X
expect_code 64 crm-pipeline forecast --method magic
err_has "--method: expected weighted or model, got 'magic'"

# --retrain keeps model 1; rollback makes it active again; twice fails
expect_code 0 crm-score deals --retrain --min-history 40 -q -f csv
expect_code 0 crm-score models -f csv --fields id,active,retired_at
expect_out "model 2 active, model 1 kept" <<'X'
id,active,retired_at
2,true,
1,false,
X
expect_code 0 crm-score rollback deal
err_has "retired deal model 2; model 1 is active again"
expect_code 0 crm-score models -f csv --fields id,active,retired_at
expect_out "model 1 active, model 2 retired" <<'X'
id,active,retired_at
2,false,2026-11-22T09:30:00Z
1,true,
X
expect_code 66 crm-score rollback deal
err_has "no earlier deal model to roll back to"
expect_code 66 crm-score rollback lead
err_has "no active lead model to roll back"
expect_code 64 crm-score rollback churn
expect_code 0 crm-score deals -q -f csv --fields id
sql "SELECT model_id FROM deal_scores WHERE at = '2026-11-22T09:30:00Z' ORDER BY id DESC LIMIT 1"
check "scores come from the rolled-back-to model" [ "$(cat "$T/sql")" = 1 ]

# a dry run stores nothing
sql "SELECT count(*) FROM deal_scores"
n=$(cat "$T/sql")
expect_code 0 crm-score deals -n -q -f csv
sql "SELECT count(*) FROM deal_scores"
check "dry run: no scores stored" [ "$(cat "$T/sql")" = "$n" ]

done_testing
