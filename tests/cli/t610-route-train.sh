#!/bin/bash
# crm-score train --text: a text classifier on records whose answer is
# known (tests/data/route: three teams with words of their own, English
# and Chinese). The held-out rows are the last 25% (10 rows: 4 billing,
# 3 network, 3 account); the training rows' majority class is billing
# (14 of 30), so the baseline is right on 4 of 10 (40.0%) with a
# macro-F1 of (2x4/(2x4+6+0) + 0 + 0)/3 = 19.0%; the words decide every
# held-out row. predict with the model: the right team for new texts,
# Chinese without spaces included, and the words that decided.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-score train --text subject,description --target team \
	--holdout 25 --model "$T/m.json" "$DATA/route/tickets.csv"
sed "s|\$T|$T|" >"$T/want.err" <<'X'
crm-score: trained on 40 rows, 3 classes of team, 30 words; model in '$T/m.json'
crm-score: held out 10 of 40 rows: accuracy 100.0%, macro-F1 100.0%; majority class 'billing': accuracy 40.0%, macro-F1 19.0%
X
compare "$T/want.err" "$T/err" "the training output: held-out accuracy and macro-F1 next to the majority class"
# 21 words of the teams and 9 fillers, each in two rows or more
check "the model file: kind, target, text fields, classes, 30 words" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m["kind"] == "crm-text-classifier"
assert m["target"] == "team" and m["text"] == "subject,description"
assert m["classes"] == ["network", "billing", "account"], m["classes"]
assert len(m["vocabulary"]) == 30 and "网络" in m["vocabulary"]
assert len(m["coefficients"]) == 3 and len(m["coefficients"][0]) == 31
assert m["training"]["test"] == 10 and m["training"]["accuracy"] == 1.0
' "$T/m.json"

expect_code 0 crm-score predict --model "$T/m.json" -f csv --fields want,prediction "$DATA/route/new.csv"
expect_out "new texts get the team whose words they hold" <<'X'
want,prediction
billing,billing
network,network
account,account
network,network
billing,billing
account,account
X
expect_code 0 crm-score predict --model "$T/m.json" --explain --top 2 -f json --fields subject,prediction,words "$DATA/route/new.csv"
check "Chinese without spaces: its bigrams decided" grep -q '"subject":"我的网络断线了","prediction":"network","words":"[^"]*\(网络\|断线\) ([+]' "$T/out"
check "the words that decided: the team's own" grep -q '"subject":"router offline","prediction":"network","words":"\(router\|offline\|wifi\|disconnects\) (+[0-9.]*); \(router\|offline\|wifi\|disconnects\) (+' "$T/out"
expect_code 0 crm-score predict --model "$T/m.json" -f csv --fields confidence "$DATA/route/new.csv"
check "confidence is a percentage above a third" awk -F, 'NR > 1 && !($1 > 33.4 && $1 <= 100) { bad = 1 } END { exit bad }' "$T/out"

# without a held-out share, one line; with --seed a random share
expect_code 0 crm-score train --text subject,description --target team --holdout 0 --model "$T/m0.json" "$DATA/route/tickets.csv"
check "--holdout 0: no measure" sh -c '[ "$(wc -l <"$1")" -eq 1 ]' _ "$T/err"
expect_code 0 crm-score train --text subject,description --target team --seed 7 --model "$T/m7.json" "$DATA/route/tickets.csv"
err_has "held out 8 of 40 rows"

# errors
expect_code 73 crm-score train --text subject --target team --model "$T/m.json" "$DATA/route/tickets.csv"
err_has "exists; --force replaces it"
expect_code 64 crm-score train --text subject --model "$T/x.json" "$DATA/route/tickets.csv"
err_has "--target is required"
expect_code 64 crm-score train --text subject --target team "$DATA/route/tickets.csv"
err_has "--model is required"
expect_code 65 crm-score train --text subject --target nosuch --model "$T/x.json" "$DATA/route/tickets.csv"
err_has "no column 'nosuch' (the --target)"
printf 'subject,team
router down,network
wifi off,network
' >"$T/one.csv"
expect_code 65 crm-score train --text subject --target team --model "$T/x.json" "$T/one.csv"
err_has "2 rows with 1 class: at least two classes are needed"
check "no model file after a failure" [ ! -e "$T/x.json" ]
echo '{"kind":"crm-text-classifier"}' >"$T/bad.json"
expect_code 78 crm-score predict --model "$T/bad.json" "$DATA/route/new.csv"
err_has "a model needs target, text, classes, vocabulary, idf and coefficients"
expect_code 64 crm-score train --text subject --target team --holdout 95 --model "$T/x.json" "$DATA/route/tickets.csv"

done_testing
