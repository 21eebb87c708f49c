#!/bin/bash
# crm-score leads --stdin: fit rules on any records, no database; the
# default rules and a rules file of our own, scores worked out by hand;
# malformed rules files exit 78 naming the file and the rule.
. "$(dirname "$0")/../lib.sh"

cat >"$T/rules.json" <<'X'
{
  "fit": {
    "max": 50,
    "groups": {"firmo": {"max": 20}},
    "rules": [
      {"name": "software", "field": "Industry Name", "op": "in", "value": ["software"], "points": 15, "group": "firmo"},
      {"name": "big", "field": "employees", "op": ">=", "value": 100, "points": 10, "group": "firmo"},
      {"name": "vp", "field": "title", "op": "matches", "value": "(^|[^a-z])vp([^a-z]|$)", "points": 25},
      {"name": "free mail", "field": "email", "op": "domain_in", "value": ["gmail.com"], "points": -8}
    ]
  },
  "grades": {
    "fit": [{"grade": "A", "min": 40}, {"grade": "B", "min": 25}, {"grade": "C", "min": 10}, {"grade": "D"}],
    "engagement": [{"grade": "1", "min": 50}, {"grade": "3"}]
  }
}
X
cat >"$T/leads.csv" <<'X'
name,Industry Name,employees,title,email
Ann,Software,250,VP Sales,ann@acme.com
Bob,software,20,Engineer,bob@gmail.com
Cy,,,,cy@gmail.com
Di,retail,many,SVP,di@x.org
X
# Ann: firmo 15 + 10 = 25 -> 20, vp 25: 45 A
# Bob: 15 - 8 = 7 D;  Cy: -8 -> 0 D;  Di: "many" is no number, SVP no vp: 0 D
expect_code_in 0 "$T/leads.csv" crm-score leads --stdin --rules "$T/rules.json"
expect_out "score and grade appended" <<'X'
name,Industry Name,employees,title,email,score,grade
Ann,Software,250,VP Sales,ann@acme.com,45,A
Bob,software,20,Engineer,bob@gmail.com,7,D
Cy,,,,cy@gmail.com,0,D
Di,retail,many,SVP,di@x.org,0,D
X
expect_code_in 0 "$T/leads.csv" crm-score leads --stdin --rules "$T/rules.json" --explain --top 0 -f tsv --fields name,score,reasons
expect_out "--explain: every rule's points, the caps as parts" <<'X'
name	score	reasons
Ann	45	vp +25; software +15; big +10; group firmo cap -5
Bob	7	software +15; free mail -8
Cy	0	free mail -8; fit total cap +8
Di	0	
X
expect_code_in 0 "$T/leads.csv" crm-score leads --stdin --rules "$T/rules.json" --explain -f csv --fields name,reasons --limit 2
expect_out "--limit: the first N records" <<'X'
name,reasons
Ann,vp +25; software +15; big +10
Bob,software +15; free mail -8
X
expect_code_in 0 "$T/leads.csv" crm-score leads --stdin --rules "$T/rules.json" --explain -f csv --fields name,reasons
expect_out "--top 3 by default; no reasons is null" <<'X'
name,reasons
Ann,vp +25; software +15; big +10
Bob,software +15; free mail -8
Cy,free mail -8; fit total cap +8
Di,
X
printf '[{"name": "Eve", "employees": 500, "Industry Name": "Software", "title": null}]\n' >"$T/l.json"
expect_code_in 0 "$T/l.json" crm-score leads --stdin --rules "$T/rules.json" -f json
expect_out "JSON in: numbers compare as numbers; score is a number" <<'X'
[
{"name":"Eve","employees":500,"Industry Name":"Software","title":null,"score":20,"grade":"C"}
]
X

# the default rules (share/crm/scoring.json, found through CRM_SHARE)
cat >"$T/d.csv" <<'X'
first_name,email,title,industry,employees,country,company,phone
Ann,ann@acme.com,VP Sales,Software,250,US,Acme,+1 415 555 0100
Bob,bob@gmail.com,Student,,,BR,,
X
# Ann: industry 15 + size 15 + country 10 = 40 (firmographics <= 50),
#      senior title 20, phone 5: 65, B (45..69)
# Bob: no company -10, free mail -5, student -20 = -35 -> penalties floor
#      -30 -> total floor 0: D
expect_code_in 0 "$T/d.csv" crm-score leads --stdin -f csv --fields first_name,score,grade
expect_out "default rules" <<'X'
first_name,score,grade
Ann,65,B
Bob,0,D
X
expect_code_in 0 /dev/null crm-score leads --stdin --rules "$T/rules.json" -f csv
expect_out "no input: just the header" <<<'score,grade'

# errors
# without --stdin the verb scores the leads table (empty here), not stdin
expect_code_in 0 "$T/leads.csv" crm-score leads --rules "$T/rules.json"
err_has "crm-score: scored 0 leads, 0 grades changed"
expect_code_in 66 "$T/leads.csv" crm-score leads --stdin --rules "$T/none.json"
err_has "cannot open rules '$T/none.json'"
sed 's/"op": "domain_in"/"op": "domain"/' "$T/rules.json" >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
expect_err "bad operator: the file and the rule named" <<X
crm-score:$T/bad.json: fit rule 4 'free mail': unknown operator 'domain'
X
sed 's/"group": "firmo"}/"group": "firm"}/' "$T/rules.json" >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
err_has "fit rule 1 'software': unknown group 'firm'"
sed 's/"(^|\[^a-z\])vp(\[^a-z\]|\$)"/"(vp"/' "$T/rules.json" >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
err_has "fit rule 3 'vp': bad pattern '(vp'"
sed 's/"min": 25}/"min": 45}/' "$T/rules.json" >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
err_has "grades: fit band 2: 'min' must fall from band to band"
sed 's/"points": 25}/"points": "25"}/' "$T/rules.json" >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
err_has "fit rule 3 'vp': 'points' must be a number"
printf '{"fit": {"rules": [\n' >"$T/bad.json"
expect_code_in 78 "$T/leads.csv" crm-score leads --stdin --rules "$T/bad.json"
err_has "crm-score:$T/bad.json:2:"
printf 'name,email\n"Ann,a@b.c\n' >"$T/bad.csv"
expect_code_in 65 "$T/bad.csv" crm-score leads --stdin --rules "$T/rules.json"
err_has "crm-score:<stdin>:2"
crm-score leads --stdin --rules "$T/rules.json" <"$T/leads.csv" >/dev/full 2>"$T/err"
check "a full disk is exit 74" [ $? -eq 74 ]
done_testing
