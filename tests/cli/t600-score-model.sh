#!/bin/bash
# crm-score train, predict, explain: a tiny data set whose optimum was
# computed independently (see tests/unit/t_logit.c: NumPy Newton steps to a
# 2e-16 gradient, confirmed by SciPy BFGS), every error path.
. "$(dirname "$0")/../lib.sh"
D=$DATA/score-eight.csv

expect_code_in 0 "$D" crm-score train --stdin --target 'Won?' --min-count 3 --folds 0 --model "$T/m.json"
err_has "crm-score: trained on 8 rows (4 positive), 6 columns"
check "the model file is 0600" [ "$(stat -c %a "$T/m.json")" = 600 ]
expect_code 0 crm-score explain --model "$T/m.json" -f csv
expect_out "explain: the reference coefficients, odds ratios exp(coef)" <<'X'
term,coefficient,odds_ratio
(intercept),0.091767,1.09611
Deal Size ($),1.177515,3.2463
Deal Size ($) (missing),-0.445875,0.640264
Industry=retail,0.136754,1.14655
Industry=tech,-0.245677,0.782175
Industry (other),0.108923,1.11508
X
expect_code 0 crm-score predict --model "$T/m.json" "$D"
expect_out "predict appends the reference probabilities and scores" <<'X'
Deal Size ($),Industry,Won?,probability,score
10,tech,no,0.191669,19
20,tech,no,0.341447,34
,retail,no,0.445875,45
40,tech,yes,0.712561,71
50,retail,yes,0.888215,89
5,gov,no,0.186065,19
25,retail,yes,0.529156,53
35,gov,yes,0.705012,71
X
printf '%s\n' '{"Industry":"mining","Deal Size ($)":35,"id":7}' '{"Industry":"tech","id":8}' >"$T/in.ndjson"
expect_code_in 0 "$T/in.ndjson" crm-score predict --stdin --model "$T/m.json" --explain --top 2 -f ndjson
expect_out "JSON in, numbers stay numbers; unseen value -> (other); strongest factors first" <<'X'
{"Industry":"mining","Deal Size ($)":35,"id":7,"probability":0.705012,"score":71,"factors":"Deal Size ($)=35 (+0.671); Industry (other) (+0.109)"}
{"Industry":"tech","Deal Size ($)":null,"id":8,"probability":0.354393,"score":35,"factors":"Deal Size ($) (missing) (-0.446); Industry=tech (-0.246)"}
X
# 0.354393 = sigmoid(0.0917671309 - 0.4458745805 - 0.2456769628); columns
# are the first record's

# never written over without --force; the old model stays
cp "$T/m.json" "$T/m.before"
expect_code_in 73 "$D" crm-score train --stdin --target 'Won?' --model "$T/m.json" --l2 5 --folds 0
err_has "crm-score: '$T/m.json' exists; --force replaces it"
compare "$T/m.before" "$T/m.json" "the existing model is untouched"
expect_code_in 0 "$D" crm-score train --stdin --target 'Won?' --model "$T/m.json" --l2 5 --folds 0 --min-count 3 --force
cmp -s "$T/m.before" "$T/m.json"
check "--force replaced it" [ $? -ne 0 ]

# --positive, --features, --categorical
sed 's/,no$/,lost/; s/,yes$/,won/' "$D" >"$T/stage.csv"
expect_code_in 0 "$T/stage.csv" crm-score train --stdin --target 'Won?' --positive won --min-count 3 --folds 0 --model "$T/p.json"
expect_code 0 crm-score explain --model "$T/p.json" -f csv --fields coefficient
cp "$T/out" "$T/p.coef"
expect_code 0 crm-score explain --model "$T/m.before" -f csv --fields coefficient
compare "$T/out" "$T/p.coef" "--positive won learns what yes/no did"
expect_code_in 0 "$D" crm-score train --stdin --target 'Won?' --features Industry --min-count 1 --folds 0 --model "$T/f.json"
expect_code 0 crm-score explain --model "$T/f.json" -f csv --fields term
expect_out "--features: only Industry, every level kept with --min-count 1" <<'X'
term
(intercept)
Industry=gov
Industry=retail
Industry=tech
X
expect_code 0 crm-score explain --model "$T/f.json" -f csv --fields coefficient,term
expect_out "--fields orders the columns; -0 prints as 0" <<'X'
coefficient,term
0.000000,(intercept)
0.000000,Industry=gov
0.286548,Industry=retail
-0.286548,Industry=tech
X
# by symmetry (gov 1 of 2 won, retail 2 of 3, tech 1 of 3 with opposite
# signs) intercept and gov are 0, retail = -tech, and retail solves
# 3 sigmoid(r) - 2 + r = 0 (the gradient of its level): r = 0.286548
expect_code_in 0 "$D" crm-score train --stdin --target 'Won?' --categorical 'Deal Size ($)' --min-count 2 --folds 0 --model "$T/c.json"
expect_code 0 crm-score explain --model "$T/c.json" -f csv --fields term
expect_out "--categorical: numbers one-hot; all seen once -> pooled with the missing one" <<'X'
term
(intercept)
Deal Size ($) (other)
Industry=gov
Industry=retail
Industry=tech
X

# cross-validation is deterministic for a seed
awk 'BEGIN { print "x,grp,y"; s = 1
	for (i = 0; i < 300; i++) { s = (s * 1103515245 + 12345) % 2147483648
		x = s % 100; n = (s / 100) % 50
		print x "," (i % 3 ? "a" : "b") "," (x + n > 70 ? 1 : 0) } }' >"$T/cv.csv"
expect_code_in 0 "$T/cv.csv" crm-score train --stdin --target y --seed 7 --model "$T/s1.json"
grep cross "$T/err" >"$T/cv1"
check "5-fold cross-validation reported" grep -q "crm-score: 5-fold cross-validation: ROC AUC 0\.[0-9]*, log loss 0\.[0-9]*" "$T/cv1"
expect_code_in 0 "$T/cv.csv" crm-score train --stdin --target y --seed 7 --model "$T/s2.json"
grep cross "$T/err" >"$T/cv2"
compare "$T/cv1" "$T/cv2" "the same seed, the same CV figures"
compare "$T/s1.json" "$T/s2.json" "the same seed, the same model file byte for byte"
expect_code_in 0 "$T/cv.csv" crm-score train --stdin --target y --seed 8 --folds 3 -q --model "$T/s3.json"
check "-q: nothing on stderr" [ ! -s "$T/err" ]
check "the seed and folds are in the model's metadata" grep -q '"folds": 3' "$T/s3.json"

# errors
expect_code_in 64 "$D" crm-score train --stdin --model "$T/x.json"
err_has "crm-score: --target is required"
expect_code_in 64 "$D" crm-score train --stdin --target 'Won?'
err_has "--model is required"
expect_code_in 64 "$D" crm-score train --stdin --target 'Won?' --model "$T/x.json" --folds 1
expect_code_in 64 "$D" crm-score train --stdin --target 'Won?' --model "$T/x.json" --l2 -1
expect_code_in 64 "$D" crm-score train --stdin --target 'Won?' --model "$T/x.json" --features 'Won?'
err_has "the target 'Won?' cannot be a feature"
expect_code 64 crm-score train --target 'Won?' --model "$T/x.json" "$D" "$D"
err_has "one input at a time"
expect_code 66 crm-score train --target 'Won?' --model "$T/x.json" "$T/nope.csv"
printf 'a,Won?\n1,yes\n2,maybe\n' >"$T/bad.csv"
expect_code 65 crm-score train --target 'Won?' --model "$T/x.json" "$T/bad.csv"
err_has "crm-score:$T/bad.csv:3: Won?: expected 0 or 1, true or false, yes or no (or --positive), got 'maybe'"
printf 'a,Won?\n1,yes\n2,\n' >"$T/bad.csv"
expect_code 65 crm-score train --target 'Won?' --model "$T/x.json" "$T/bad.csv"
err_has "bad.csv:3: Won?: missing target value"
printf 'a,Won?\n1,yes\n2,yes\n' >"$T/bad.csv"
expect_code 65 crm-score train --target 'Won?' --model "$T/x.json" --folds 0 "$T/bad.csv"
err_has "has one class only"
expect_code_in 65 "$D" crm-score train --stdin --target won --model "$T/x.json"
err_has "crm-score:<stdin>:2: no target column 'won'"
expect_code_in 65 "$D" crm-score train --stdin --target 'Won?' --features Size --model "$T/x.json"
err_has "no column 'Size'"
expect_code_in 65 "$D" crm-score train --stdin --target 'Won?' --folds 20 --model "$T/x.json"
err_has "20 folds need at least 20 rows, got 8"
printf 'a,Won?\n1,yes,3\n' >"$T/bad.csv"
expect_code 65 crm-score train --target 'Won?' --model "$T/x.json" "$T/bad.csv"
check "nothing written after a failure" [ ! -e "$T/x.json" ]

expect_code 64 crm-score predict "$D"
err_has "--model is required"
expect_code 66 crm-score predict --model "$T/none.json" "$D"
err_has "cannot open '$T/none.json'"
echo '{"format": "crm-logit",' >"$T/broken.json"
expect_code 78 crm-score predict --model "$T/broken.json" "$D"
err_has "crm-score:$T/broken.json:2: not a valid model"
echo '{"format": "crm-logit", "version": 1, "intercept": 0, "features": [{"name": "a", "type": "numeric", "mean": 0, "sd": 0, "coef": 1}]}' >"$T/broken.json"
expect_code 78 crm-score predict --model "$T/broken.json" "$D"
err_has "crm-score:$T/broken.json: not a valid model: features[0] 'a': bad mean or sd"
printf 'Deal Size ($),Industry\n5,tech\nlots,tech\n' >"$T/bad.csv"
expect_code 65 crm-score predict --model "$T/m.before" "$T/bad.csv"
err_has "crm-score:$T/bad.csv:3: Deal Size (\$): not a number 'lots'"
expect_code 0 crm-score predict --model "$T/m.before" -f csv /dev/null
expect_out "no records: the header only" <<<'probability,score'
run crm-score predict --model "$T/m.before" "$D"
crm-score predict --model "$T/m.before" "$D" >/dev/full 2>"$T/err"
check "a full disk is exit 74" [ $? -eq 74 ]
err_has "write error"
expect_code 64 crm-score explain
err_has "--model is required"
expect_code 0 crm-score predict --help
out_has "--explain"
done_testing
