#!/bin/sh
# score.sh [LEADS [RULES [ACTIVITIES]]]: import LEADS generated web-form
# leads (default 1,000,000) with crm-lead import, load ACTIVITIES
# (default 5,000,000) events of eight types over the last 120 days onto
# random leads (with the sqlite3 shell: not what is measured), then score
# every lead with crm-score leads and a rules file of RULES fit rules
# (default 20) and the default engagement types, in one run. Prints both
# times, the ratio (scoring / import: the target is below 1) and the peak
# RSS of each.
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
sqlite3 "$dir/crm.db" "SELECT 'scored ' || COUNT(*) || ' leads, history ' || (SELECT COUNT(*) FROM lead_scores) || ' rows; grades: ' || (SELECT group_concat(g, ' ') FROM (SELECT grade || '=' || COUNT(*) AS g FROM leads GROUP BY grade ORDER BY COUNT(*) DESC LIMIT 5)) FROM leads WHERE scored_at IS NOT NULL"
