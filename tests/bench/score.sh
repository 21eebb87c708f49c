#!/bin/sh
# score.sh [LEADS [RULES [ACTIVITIES]]]: import LEADS generated web-form
# leads (default 1,000,000) with crm-lead import, load ACTIVITIES
# (default 5,000,000) events of eight types over the last 120 days onto
# random leads (with the sqlite3 shell: not what is measured), then score
# every lead with crm-score leads and a rules file of RULES fit rules
# (default 20) and the default engagement types, in one run. Prints both
# times, the ratio (scoring / import: the target is below 1) and the peak
# RSS of each; then the same scoring as hand-written SQL in the sqlite3
# shell (below), with a `row` line (lib.sh). SQLite only.
set -eu
n=${1:-1000000}
nr=${2:-20}
na=${3:-5000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
if [ -n "${BENCH_DIR:-}" ]; then dir=$BENCH_DIR # kept for a look
else dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; fi
export CRM_NOW=2026-11-22T09:30:00Z CRM_SHARE="$top/share/crm"

"$bin/crm" init --db "$dir/crm.db" 2>/dev/null
awk -v n="$n" 'BEGIN {
	srand(7)
	print "first_name,last_name,email,phone,company,title,industry,country,source,employees,budget"
	split("VP Sales|Head of IT|Engineer|Marketing Manager|Student|CTO|Analyst|Director of Ops", ti, "|")
	split("software saas retail fintech healthcare manufacturing gov media", ind, " ")
	split("US DE PT BR GB IN FR JP", co, " ")
	split("web ads event referral partner", src, " ")
	for (i = 1; i <= n; i++) {
		mail = (i % 7 == 0) ? "gmail.com" : "firm" (i % 997) ".example"
		ph = (i % 3 == 0) ? "" : sprintf("+44 20 %04d %04d", 7000 + int(i / 10000), i % 10000)
		cpy = (i % 11 == 0) ? "" : "Firm " (i % 997)
		printf "F%d,L%d,lead%d@%s,%s,%s,%s,%s,%s,%s,%d,%d\n", i, i, i, mail,
		    ph, cpy, ti[1 + i % 8], ind[1 + i % 8], co[1 + int(rand() * 8)],
		    src[1 + i % 5], int(rand() * 2000), int(rand() * 100000)
	}
}' >"$dir/leads.csv"
# RULES fit rules: cycling through the operators over the lead's fields
awk -v n="$nr" 'BEGIN {
	r[0] = "{\"field\": \"industry\", \"op\": \"in\", \"value\": [\"software\", \"saas\", \"fintech\"], \"points\": 15, \"group\": \"firmographics\"}"
	r[1] = "{\"field\": \"employees\", \"op\": \">=\", \"value\": 200, \"points\": 15, \"group\": \"firmographics\"}"
	r[2] = "{\"field\": \"employees\", \"op\": \"between\", \"value\": [20, 199], \"points\": 8, \"group\": \"firmographics\"}"
	r[3] = "{\"field\": \"country\", \"op\": \"in\", \"value\": [\"US\", \"GB\", \"DE\", \"FR\", \"PT\"], \"points\": 10, \"group\": \"firmographics\"}"
	r[4] = "{\"field\": \"title\", \"op\": \"matches\", \"value\": \"(^|[^a-z])(vp|director|head|chief|c[eotfm]o)([^a-z]|$)\", \"points\": 20}"
	r[5] = "{\"field\": \"title\", \"op\": \"contains\", \"value\": [\"manager\", \"lead\"], \"points\": 8}"
	r[6] = "{\"field\": \"phone\", \"op\": \"exists\", \"points\": 5}"
	r[7] = "{\"field\": \"company\", \"op\": \"missing\", \"points\": -10, \"group\": \"penalties\"}"
	r[8] = "{\"field\": \"email\", \"op\": \"domain_in\", \"value\": [\"gmail.com\", \"yahoo.com\"], \"points\": -5, \"group\": \"penalties\"}"
	r[9] = "{\"field\": \"source\", \"op\": \"=\", \"value\": \"referral\", \"points\": 10}"
	r[10] = "{\"field\": \"budget\", \"op\": \"<\", \"value\": 1000, \"points\": -5, \"group\": \"penalties\"}"
	r[11] = "{\"field\": \"budget\", \"op\": \">\", \"value\": 50000, \"points\": 10}"
	r[12] = "{\"field\": \"source\", \"op\": \"!=\", \"value\": \"ads\", \"points\": 2}"
	r[13] = "{\"field\": \"industry\", \"op\": \"not_in\", \"value\": [\"gov\"], \"points\": 3}"
	r[14] = "{\"field\": \"employees\", \"op\": \"<=\", \"value\": 10, \"points\": -3}"
	r[15] = "{\"field\": \"budget\", \"op\": \">=\", \"value\": 20000, \"points\": 4}"
	printf "{\"fit\": {\"groups\": {\"firmographics\": {\"max\": 50}, \"penalties\": {\"min\": -30}}, \"rules\": [\n"
	for (i = 0; i < n; i++) {
		s = r[i % 16]
		sub(/^\{/, "{\"name\": \"rule " i + 1 "\", ", s)
		printf "%s%s\n", s, i + 1 < n ? "," : ""
	}
	printf "]},\n"
}' >"$dir/rules.json"
sed -n '/"engagement"/,$p' "$top/share/crm/scoring.json" >>"$dir/rules.json"
# the same RULES as SQL terms: "points<TAB>group<TAB>condition" per rule
awk -v n="$nr" 'BEGIN {
	emp = "CAST(json_extract(custom, \"$.employees\") AS REAL)"
	bud = "CAST(json_extract(custom, \"$.budget\") AS REAL)"
	c[0] = "15\tf\tlower(industry) IN (\x27software\x27, \x27saas\x27, \x27fintech\x27)"
	c[1] = "15\tf\t" emp " >= 200"
	c[2] = "8\tf\t" emp " BETWEEN 20 AND 199"
	c[3] = "10\tf\tupper(country) IN (\x27US\x27, \x27GB\x27, \x27DE\x27, \x27FR\x27, \x27PT\x27)"
	c[4] = "20\t\tlower(title) REGEXP \x27(^|[^a-z])(vp|director|head|chief|c[eotfm]o)([^a-z]|$)\x27"
	c[5] = "8\t\t(instr(lower(title), \x27manager\x27) > 0 OR instr(lower(title), \x27lead\x27) > 0)"
	c[6] = "5\t\tcoalesce(phone, \x27\x27) <> \x27\x27"
	c[7] = "-10\tp\tcoalesce(company, \x27\x27) = \x27\x27"
	c[8] = "-5\tp\tlower(substr(email, instr(email, \x27@\x27) + 1)) IN (\x27gmail.com\x27, \x27yahoo.com\x27)"
	c[9] = "10\t\tsource = \x27referral\x27"
	c[10] = "-5\tp\t" bud " < 1000"
	c[11] = "10\t\t" bud " > 50000"
	c[12] = "2\t\tcoalesce(source, \x27\x27) <> \x27ads\x27"
	c[13] = "3\t\tcoalesce(lower(industry), \x27\x27) NOT IN (\x27gov\x27)"
	c[14] = "-3\t\t" emp " <= 10"
	c[15] = "4\t\t" bud " >= 20000"
	for (i = 0; i < n; i++) print c[i % 16]
}' >"$dir/rules.tsv"
echo "data: $n leads ($(($(stat -c %s "$dir/leads.csv") / 1048576)) MiB of CSV), $nr fit rules, $na activities"

timed /dev/null /usr/bin/time -f %M -o "$dir/rss.import" \
	"$bin/crm-lead" import -q --db "$dir/crm.db" "$dir/leads.csv"
t_import=$t
echo "crm-lead import: ${t_import}s, peak RSS $(rss "$dir/rss.import")"

awk -v n="$n" -v na="$na" 'BEGIN {
	srand(13)
	split("email_open email_click web_visit form_submit meeting call email_bounce unsubscribe", ty, " ")
	for (i = 1; i <= na; i++) {
		r = rand(); k = r < 0.4 ? 1 : r < 0.55 ? 2 : r < 0.85 ? 3 : r < 0.92 ? 4 : r < 0.96 ? 5 : r < 0.99 ? 6 : r < 0.995 ? 7 : 8
		s = 1795246200 - int(rand() * 120 * 86400)
		printf "%d,%s,%s\n", 1 + int(rand() * n), ty[k], strftime("%Y-%m-%dT%H:%M:%SZ", s, 1)
	}
}' >"$dir/act.csv"
sqlite3 "$dir/crm.db" <<SQL
.mode csv
CREATE TEMP TABLE t (lead_id INTEGER, type TEXT, at TEXT);
.import $dir/act.csv t
INSERT INTO activities (type, occurred_at, lead_id, created_at, updated_at)
SELECT type, at, lead_id, at, at FROM t;
SQL

timed /dev/null /usr/bin/time -f %M -o "$dir/rss.score" \
	"$bin/crm-score" leads -q --db "$dir/crm.db" --rules "$dir/rules.json"
t_score=$t
echo "crm-score leads: ${t_score}s, peak RSS $(rss "$dir/rss.score")"
echo "scoring / import: $(ratio "$t_score" "$t_import") (below 1: scoring is faster)"

# the reference: the same scoring in SQL (sqlite3 shell) - every rule a
# CASE term with the group caps (firmographics at most 50, penalties at
# least -30), the engagement per lead from its activities in the 90-day
# window (points per type, each type's daily cap taken in time order by
# a window function, halved every 30 days, the email group at most 30,
# clamped to 0..100), grades, the combined score, then the leads updated
# and a lead_scores row each, in one transaction
sum() { # sum GROUP: the points of the rules of GROUP (f, p or none)
	awk -F '\t' -v g="$1" '$2 == g { printf " + CASE WHEN %s THEN %s ELSE 0 END", $3, $1 }' "$dir/rules.tsv"
}
now=2026-11-22T09:30:00Z from=2026-08-24T09:30:00Z
cat >"$dir/ref.sql" <<SQL
BEGIN;
CREATE TEMP TABLE s (id INTEGER PRIMARY KEY, prev, prev_grade, f, e, score,
  grade);
INSERT INTO s
WITH ev AS (SELECT lead_id, type, occurred_at,
  CASE type WHEN 'email_open' THEN 2 WHEN 'email_click' THEN 5
    WHEN 'email_bounce' THEN -20 WHEN 'unsubscribe' THEN -50
    WHEN 'web_visit' THEN 3 WHEN 'form_submit' THEN 20 WHEN 'meeting' THEN 25
    WHEN 'call' THEN 10 END AS pts,
  CASE type WHEN 'email_open' THEN 6 WHEN 'email_click' THEN 15
    WHEN 'web_visit' THEN 9 WHEN 'call' THEN 20 END AS cap,
  julianday('$now') - julianday(occurred_at) AS age
  FROM activities WHERE lead_id IS NOT NULL AND occurred_at > '$from'
  AND occurred_at <= '$now'),
cv AS (SELECT *, coalesce(sum(pts) OVER (PARTITION BY lead_id, type,
  substr(occurred_at, 1, 10) ORDER BY occurred_at ROWS BETWEEN UNBOUNDED
  PRECEDING AND 1 PRECEDING), 0) AS used FROM ev WHERE pts IS NOT NULL),
pe AS (SELECT lead_id, type, sum(CASE WHEN cap IS NULL THEN pts
  ELSE max(0, min(pts, cap - used)) END * pow(0.5, age / 30)) AS p
  FROM cv GROUP BY lead_id, type),
eng AS (SELECT lead_id, min(100, max(0,
  sum(CASE WHEN type IN ('email_open', 'email_click') THEN 0 ELSE p END)
  + min(30, sum(CASE WHEN type IN ('email_open', 'email_click') THEN p ELSE 0 END))))
  AS e FROM pe GROUP BY lead_id),
fit AS (SELECT id, score AS prev, grade AS prev_grade,
  min(100, max(0, 0 $(sum "") + min(50, 0 $(sum f)) + max(-30, 0 $(sum p))))
  AS f FROM leads)
SELECT fit.id, fit.prev, fit.prev_grade, fit.f, coalesce(eng.e, 0),
  round(0.5 * fit.f + 0.5 * coalesce(eng.e, 0)) AS score,
  CASE WHEN round(fit.f) >= 70 THEN 'A' WHEN round(fit.f) >= 45 THEN 'B'
    WHEN round(fit.f) >= 20 THEN 'C' ELSE 'D' END
  || CASE WHEN round(coalesce(eng.e, 0)) >= 50 THEN '1'
    WHEN round(coalesce(eng.e, 0)) >= 20 THEN '2' ELSE '3' END AS grade
FROM fit LEFT JOIN eng ON eng.lead_id = fit.id;
UPDATE leads SET previous_score = s.prev, score = s.score, grade = s.grade,
  trend = CASE WHEN s.prev IS NULL THEN NULL WHEN s.score - s.prev >= 5
    THEN 'rising' WHEN s.prev - s.score >= 5 THEN 'falling' ELSE 'steady' END,
  scored_at = '$now' FROM s WHERE s.id = leads.id;
INSERT INTO lead_scores (lead_id, at, score, grade, fit_score,
  engagement_score, previous_score, previous_grade, trend, actor)
SELECT id, '$now', score, grade, f, e, prev, prev_grade, NULL, 'bench' FROM s;
COMMIT;
SQL
timed /dev/null sqlite3 -bail "$dir/crm.db" <"$dir/ref.sql"
t_ref=$t
echo "the same scoring in SQL (sqlite3): ${t_ref}s; crm-score leads / SQL: $(ratio "$t_score" "$t_ref")"
row score-leads sqlite "$n" "$t_score" "$t_ref" "$dir/rss.score"
sqlite3 "$dir/crm.db" "SELECT 'scored ' || COUNT(*) || ' leads, history ' || (SELECT COUNT(*) FROM lead_scores) || ' rows; grades: ' || (SELECT group_concat(g, ' ') FROM (SELECT grade || '=' || COUNT(*) AS g FROM leads GROUP BY grade ORDER BY COUNT(*) DESC LIMIT 5)) FROM leads WHERE scored_at IS NOT NULL"
