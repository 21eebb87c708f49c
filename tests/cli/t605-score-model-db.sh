#!/bin/bash
# crm-score train and predict on the leads table: the leads that ended
# converted (1) or unqualified (0), features from lead fields; the data of
# t600 (tests/data/score-eight.csv) as leads gives t600's reference
# coefficients and probabilities; predictions stored on the leads.
. "$(dirname "$0")/../lib.sh"

cat >"$T/l.csv" <<'X'
first_name,Deal Size ($),sector,status,won
a,10,tech,unqualified,no
b,20,tech,unqualified,no
c,,retail,unqualified,no
d,40,tech,converted,yes
e,50,retail,converted,yes
f,5,gov,unqualified,no
g,25,retail,converted,yes
h,35,gov,converted,yes
i,35,mining,new,
X
expect_code 0 crm-lead import -q "$T/l.csv"
F=(--features 'Deal Size ($),sector' --min-count 3 --folds 0)
expect_code 0 crm-score train --model "$T/m.json" "${F[@]}"
err_has "crm-score: trained on 8 rows (4 positive), 6 columns"
expect_code 0 crm-score explain --model "$T/m.json" -f csv
expect_out "the reference coefficients of t600 (status: converted 1, unqualified 0; new left out)" <<'X'
term,coefficient,odds_ratio
(intercept),0.091767,1.09611
Deal Size ($),1.177515,3.2463
Deal Size ($) (missing),-0.445875,0.640264
sector=retail,0.136754,1.14655
sector=tech,-0.245677,0.782175
sector (other),0.108923,1.11508
X
check "the model names its target" grep -q '"target": *"status=converted"' "$T/m.json"
expect_code 0 crm-score train --model "$T/t.json" --target won "${F[@]}"
expect_code 0 crm-score explain --model "$T/t.json" -f csv
cp "$T/out" "$T/t.coef"
expect_code 0 crm-score explain --model "$T/m.json" -f csv
compare "$T/out" "$T/t.coef" "--target won (yes/no; null left out) learns the same"
expect_code 0 crm-score train --model "$T/p.json" --target won --positive yes "${F[@]}"

db_save before.db
expect_code 0 crm-score predict -n --model "$T/m.json"
check "--dry-run writes nothing" db_same before.db
expect_code 0 crm-score predict --model "$T/m.json" --explain --top 1 -w 'status=new'
expect_out "predict: an unseen value pooled, as in t600" <<'X'
id,probability,score,factors
9,0.705012,71,Deal Size ($)=35 (+0.671)
X
expect_code 0 crm-score predict --model "$T/m.json"
expect_out "every lead: t600's reference probabilities" <<'X'
id,probability,score
1,0.191669,19
2,0.341447,34
3,0.445875,45
4,0.712561,71
5,0.888215,89
6,0.186065,19
7,0.529156,53
8,0.705012,71
9,0.705012,71
X
err_has "crm-score: predicted 9 leads"
sql "SELECT id, conversion_probability, predicted_at FROM leads WHERE id IN (1, 9)"
cat >"$T/want" <<'X'
1|19.17|2026-11-22T09:30:00Z
9|70.5|2026-11-22T09:30:00Z
X
compare "$T/want" "$T/sql" "stored as a percentage, with the time"
expect_code 0 crm-lead show 9 -f csv --fields conversion_probability
expect_out "crm-lead shows it" <<'X'
conversion_probability
70.5
X

# errors
expect_code 64 crm-score train --features 'Deal Size ($)'
err_has "--model is required"
expect_code 64 crm-score train --model "$T/x.json" --features nope
err_has "nope"
expect_code 65 crm-score train --model "$T/x.json" --target sector "${F[@]/sector/first_name}"
err_has "sector: lead 1: 'tech' is not 0/1"
expect_code 65 crm-score train --model "$T/x.json" --target won --positive maybe --features sector --folds 0
err_has "one class only"
check "no model written on error" [ ! -e "$T/x.json" ]
expect_code 73 crm-score train --model "$T/m.json" "${F[@]}"
expect_code 64 crm-score predict
expect_code 66 crm-score predict --model "$T/none.json"
printf 'Industry,y\na,1\nb,0\na,1\nb,0\n' >"$T/o.csv"
expect_code_in 0 "$T/o.csv" crm-score train -q --stdin --target y --min-count 1 --folds 0 --model "$T/o.json"
expect_code 78 crm-score predict --model "$T/o.json"
err_has "Industry"
expect_code 64 crm-score predict --model "$T/m.json" -w 'nope=1'
done_testing
