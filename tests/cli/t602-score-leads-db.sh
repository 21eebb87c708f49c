#!/bin/bash
# crm-score leads over the leads table: fit from the lead's fields,
# engagement from its activities (and, once converted, its contact's, each
# activity once), written with the previous score, trend and history; the
# same score alone or in the batch; --changed, --ids into crm-lead assign,
# --explain ID; every error path. Scores worked out by hand below.
. "$(dirname "$0")/../lib.sh"

cat >"$T/rules.json" <<'X'
{
  "fit": {
    "rules": [
      {"name": "vp", "field": "title", "op": "matches", "value": "(^|[^a-z])vp([^a-z]|$)", "points": 30},
      {"name": "software", "field": "industry", "op": "=", "value": "software", "points": 20},
      {"name": "free mail", "field": "email", "op": "domain_in", "value": ["gmail.com"], "points": -10}
    ]
  },
  "engagement": {
    "window_days": 30, "half_life_days": 10,
    "types": {
      "web_visit": {"points": 4, "daily_cap": 8},
      "form_submit": {"points": 20},
      "unsubscribe": {"points": -30}
    }
  },
  "grades": {
    "fit": [{"grade": "A", "min": 40}, {"grade": "B", "min": 20}, {"grade": "C"}],
    "engagement": [{"grade": "1", "min": 15}, {"grade": "2", "min": 5}, {"grade": "3"}]
  },
  "trend_band": 5
}
X
R=(--rules "$T/rules.json")
cat >"$T/leads.csv" <<'X'
first_name,email,title,industry
Ann,ann@acme.com,VP Sales,software
Bob,bob@gmail.com,Engineer,retail
Cy,cy@cy.org,,
Dee,dee@x.org,VP,software
X
expect_code 0 crm-lead import -q "$T/leads.csv"
expect_code 0 crm-lead convert -q 2 # Bob becomes contact 1
now=2026-11-22T09:30:00Z
for i in 1 2 3; do expect_code 0 crm-activity log -q --type web_visit --lead 1 --at $now; done
expect_code 0 crm-activity log -q --type form_submit --lead 1 --at 2026-11-12T09:30:00Z
expect_code 0 crm-activity log -q --type web_visit --lead 1 --at 2026-10-01T09:30:00Z
expect_code 0 crm-activity log -q --type form_submit --contact 1 --at 2026-11-02T09:30:00Z
expect_code 0 crm-activity log -q --type web_visit --contact 1 --lead 2 --at $now
# Ann: fit vp 30 + software 20 = 50 (A); web visits today 4 + 4, the third
#   over the daily cap 8; form 10 days old = one half-life: 20/2 = 10; the
#   visit of 2026-10-01 is 52 days old, out of the 30-day window:
#   engagement 18 (1); combined (50 + 18) / 2 = 34, A1
# Bob: free mail -10, held at the fit minimum 0 (C); his contact's form 20
#   days old: 20/4 = 5; the visit linked to lead and contact counts once: 4;
#   engagement 9 (2); (0 + 9) / 2 = 4.5, rounded 5: C2
# Cy: nothing: 0, C3.  Dee: 50 (A), 0 (3): 25, A3
db_save before.db
expect_code 0 crm-score leads -n "${R[@]}"
check "--dry-run writes nothing" db_same before.db
expect_code 0 crm-score leads "${R[@]}"
expect_out "first run: scores, grades, no previous, top reasons" <<'X'
id,score,previous_score,grade,previous_grade,trend,reasons
1,34,,A1,,,vp +30; software +20; form_submit +10
2,5,,C2,,,free mail -10; fit total cap +10; form_submit +5
3,0,,C3,,,
4,25,,A3,,,vp +30; software +20
X
err_has "crm-score: scored 4 leads, 4 grades changed"
sql "SELECT id, score, grade, previous_score, trend, scored_at FROM leads ORDER BY id"
cat >"$T/want" <<'X'
1|34|A1|||2026-11-22T09:30:00Z
2|5|C2|||2026-11-22T09:30:00Z
3|0|C3|||2026-11-22T09:30:00Z
4|25|A3|||2026-11-22T09:30:00Z
X
compare "$T/want" "$T/sql" "written to the leads"
sql "SELECT lead_id, at, score, grade, printf('%.1f', fit_score), printf('%.1f', engagement_score), previous_score, previous_grade, trend, actor FROM lead_scores ORDER BY id"
cat >"$T/want" <<'X'
1|2026-11-22T09:30:00Z|34|A1|50.0|18.0||||tester
2|2026-11-22T09:30:00Z|5|C2|0.0|9.0||||tester
3|2026-11-22T09:30:00Z|0|C3|0.0|0.0||||tester
4|2026-11-22T09:30:00Z|25|A3|50.0|0.0||||tester
X
compare "$T/want" "$T/sql" "the history has a row per lead"
sql "SELECT updated_at FROM leads WHERE id = 1"
check "updated_at is left alone (derived fields)" [ "$(cat "$T/sql")" = 2026-11-22T09:30:00Z ]

# the same lead alone (by id, by email, by --where): the same numbers
expect_code 0 crm-score leads "${R[@]}" 2 -f csv --fields id,score,previous_score,grade,trend
expect_out "lead 2 alone: as in the batch, steady" <<'X'
id,score,previous_score,grade,trend
2,5,5,C2,steady
X
expect_code 0 crm-score leads "${R[@]}" ann@acme.com -w 'first_name=Ann' --fields id,score,grade
expect_out "lead 1 alone by email" <<'X'
id,score,grade
1,34,A1
X
expect_code 0 crm-score leads "${R[@]}" -w 'email~x.org' --fields id,score,grade
expect_out "--where selects" <<'X'
id,score,grade
4,25,A3
X
sql "SELECT COUNT(DISTINCT printf('%d %.9f %.9f', score, fit_score, engagement_score)) FROM lead_scores GROUP BY lead_id"
check "every run gave each lead the same fit and engagement" [ "$(sort -u "$T/sql")" = 1 ]
expect_code 0 crm-lead show 1 -f csv --fields score,grade,previous_score,trend,scored_at
expect_out "crm-lead shows the fields" <<'X'
score,grade,previous_score,trend,scored_at
34,A1,34,steady,2026-11-22T09:30:00Z
X
expect_code 64 crm-lead update -q 1 --set score=99 --set trend=up --set previous_score=1
err_has "score is read-only"
sql "SELECT score, trend, previous_score FROM leads WHERE id = 1"
check "read-only: crm-lead update leaves them alone" [ "$(cat "$T/sql")" = "34|steady|34" ]

# ten days later; Ann unsubscribed yesterday, Cy sent a form today
export CRM_NOW=2026-12-02T09:30:00Z
expect_code 0 crm-activity log -q --type unsubscribe --lead 1 --at 2026-12-01T09:30:00Z
expect_code 0 crm-activity log -q --type form_submit --lead 3 --at 2026-12-02T09:30:00Z
# Ann: visits 10 days old 8/2 = 4, form 20 days 20/4 = 5, unsubscribe a day
#   old -30 * 0.5^0.1 = -27.99; sum -18.99, held at 0 (3): 25, A3;
#   34 -> 25 is more than trend_band 5 down: declining
# Bob: form 30 days old leaves the window; visit 4/2 = 2 (3): 1, C3;
#   5 -> 1 steady.  Cy: form 20 (1): 10, C1, 0 -> 10 improving
# Dee: A3 again, steady: not a change
expect_code 0 crm-score leads "${R[@]}" --changed --top 4
expect_out "--changed: only the leads whose grade changed" <<'X'
id,score,previous_score,grade,previous_grade,trend,reasons
1,25,34,A3,A1,declining,vp +30; unsubscribe -28; software +20; engagement total cap +19
2,1,5,C3,C2,steady,free mail -10; fit total cap +10; web_visit +2
3,10,0,C1,C3,improving,form_submit +20
X
err_has "crm-score: scored 4 leads, 3 grades changed"
expect_code 0 crm-score leads "${R[@]}" --changed --ids
check "nothing changed since: --changed --ids prints nothing" [ ! -s "$T/out" ]

sql "SELECT COUNT(*) FROM lead_scores"
cp "$T/sql" "$T/count"
expect_code 0 crm-score leads "${R[@]}" --explain 1
expect_out "--explain ID: every rule, type and cap, the totals" <<'X'
id,section,item,points,grade
1,fit,vp,30,
1,fit,software,20,
1,fit,free mail,0,
1,fit,total,50,A
1,engagement,web_visit,4,
1,engagement,form_submit,5,
1,engagement,unsubscribe,-27.99,
1,engagement,engagement total cap,18.99,
1,engagement,total,0,3
1,combined,score,25,A3
X
sql "SELECT COUNT(*) FROM lead_scores"
compare "$T/count" "$T/sql" "--explain writes nothing"

# the nightly pipe: changed grades to assignment (crm-lead assign --stdin)
export CRM_NOW=2026-12-20T09:30:00Z
expect_code 0 crm-activity log -q --type form_submit --lead 4 --at $CRM_NOW
# Cy: the form is 18 days old: 20 * 0.5^1.8 = 5.74 (2): C1 -> C2
# Dee: form today 20 (1): A3 -> A1.  Ann: visits 8 * 0.5^2.8 = 1.15,
#   unsubscribe -30 * 0.5^1.9 = -8.04, the form is out of the window:
#   still 0, A3.  Bob: 4 * 0.5^2.8 = 0.57: still C3
expect_code 0 crm-score leads "${R[@]}" --changed --ids -q
printf '3\n4\n' >"$T/want"
compare "$T/want" "$T/out" "--changed --ids: one id a line"
cp "$T/out" "$T/ids"
expect_code_in 0 "$T/ids" crm-lead assign --stdin -f csv
cut -d, -f1 "$T/out" >"$T/got"
printf 'id\n3\n4\n' >"$T/want"
compare "$T/want" "$T/got" "crm-lead assign --stdin takes them"

# errors
db_save before.db
expect_code 64 crm-score leads "${R[@]}" --explain
err_has "--explain shows one lead"
expect_code 64 crm-score leads "${R[@]}" --explain 1 2
expect_code 66 crm-score leads "${R[@]}" --explain 99
err_has "no lead '99'"
expect_code 66 crm-score leads "${R[@]}" 99
expect_code 64 crm-score leads "${R[@]}" -w 'nope=1'
expect_code 64 crm-score leads "${R[@]}" --fields id,nope
err_has "--fields: no field 'nope'"
sed 's/"op": "matches"/"op": "like"/' "$T/rules.json" >"$T/bad.json"
expect_code 78 crm-score leads --rules "$T/bad.json"
err_has "crm-score:$T/bad.json: fit rule 1 'vp': unknown operator 'like'"
sed 's/"daily_cap": 8/"daily_cap": -8/' "$T/rules.json" >"$T/bad.json"
expect_code 78 crm-score leads --rules "$T/bad.json"
err_has "engagement type 'web_visit': 'daily_cap' must not be negative"
crm-score leads "${R[@]}" >/dev/full 2>"$T/err"
check "a full disk is exit 74" [ $? -eq 74 ]
db_restore before.db
expect_code 0 crm-score leads --fields id,score,grade -q
expect_out "the default rules (share/crm/scoring.json) work on the leads" <<'X'
id,score,grade
1,13,C3
2,4,D3
3,7,D3
4,23,C2
X
# at 2026-12-20, window 90 days, half-life 30:
# Ann: senior title 20 + industry 15 - no company 10 = 25 (C); visits 9 *
#   0.5^(28/30) = 4.71 + 3 * 0.5^(80/30) = 0.47, form 20 * 0.5^(38/30) =
#   8.31, unsubscribe -50 * 0.5^(19/30) = -32.23: below 0, 0 (3): 12.5 -> 13
# Bob: free mail -5, no company -10: 0 (D); contact's form 20 * 0.5^1.6 =
#   6.60, visit 1.57: 8.17 (3): 4.08 -> 4
# Cy: no company: 0 (D); form 20 * 0.5^0.6 = 13.20 (3): 6.60 -> 7
# Dee: 25 (C); form today 20 (2): 22.5 -> 23
done_testing
