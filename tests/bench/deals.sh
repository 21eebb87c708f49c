#!/bin/sh
# deals.sh [N...]: crm-score deals over N open deals (default 10000
# 100000; 1000000 where it fits) against hand-written SQL doing the same
# work, in the same run, on SQLite and PostgreSQL (BENCH_ENGINE=sqlite|pg|
# both, default both when PostgreSQL is installed; pg runs on a throwaway
# server tests/pgserver.sh starts, or the one $CRM_TEST_PG names).
#
# Data (loaded with crm's own importers, not measured): 2,000 closed deals
# (the training book) and N open ones over 40 owners and 500 accounts,
# moved through the default pipeline's stages (a quarter moved back once,
# a regression), three activities per deal (calls, emails, meetings, in
# and out) in the 120 days before now. A first crm-score deals trains the
# model and scores every open deal (not measured).
#
# Measured, the second scoring run:
# - crm: crm-score deals -q: reads every open deal with its stage history,
#   activities, owner's and account's record and last score, computes
#   the sixteen features, applies the logistic model, writes one
#   deal_scores row per deal (probability, previous, trend, factors).
# - reference: one SQL statement (psql or the sqlite3 shell) computing the
#   same features with aggregates (stage regressions from deal_history
#   joined to the stage order, activity counts in 30/90-day windows, the
#   last inbound, owner and account win records, the last score by a
#   correlated subquery on deal_scores' index), a logistic of a fixed
#   linear combination of them, and the factors text, inserted into a
#   table of the same shape and index as deal_scores.
# Prints, per engine and size, `row score-deals ENGINE N CRM_S REF_S RSS`.
set -eu
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
sizes=${*:-10000 100000}
if [ -z "${BENCH_ENGINE:-}" ]; then
	BENCH_ENGINE=sqlite
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && BENCH_ENGINE=both
fi
if [ "$BENCH_ENGINE" != sqlite ] && [ -z "${CRM_TEST_PG:-}" ] &&
	[ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 BENCH_ENGINE=$BENCH_ENGINE exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
dir=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
pgdb=crm_bench_deals_$$
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
cleanup() {
	[ "$BENCH_ENGINE" = sqlite ] || admin "DROP DATABASE IF EXISTS $pgdb"
	[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
export CRM_SHARE="$top/share/crm" CRM_USER=bench LC_ALL=C
now=2026-07-05T00:00:00Z

gen() { # gen N: the CSV files for N open deals
	awk -v n="$1" -v d="$dir" 'BEGIN {
		srand(5)
		split("qualification needs_analysis proposal negotiation", st, " ")
		split("call email meeting note", ty, " ")
		print "name" >d "/co.csv"
		for (c = 1; c <= 500; c++) print "Account " c >d "/co.csv"
		print "external_id,name,stage,amount,currency,owner,source,company_id" >d "/open.csv"
		print "external_id,stage" >d "/stage.csv"
		print "external_id,stage" >d "/back.csv"
		print "external_id,stage,close_reason,closed_at" >d "/close.csv"
		print "deal_id,type,direction,occurred_at" >d "/acts.csv"
		for (i = 1; i <= n + 2000; i++) {
			s = 1 + int(rand() * 4)
			printf "D%d,Deal %d,prospecting,%d,EUR,rep%d,%s,%d\n", i, i,
			    100 * int(10 ^ (2.5 + 3 * rand())), i % 40,
			    i % 3 ? "web" : "referral", 1 + i % 500 >d "/open.csv"
			printf "D%d,%s\n", i, st[s] >d "/stage.csv"
			if (s > 1 && rand() < 0.25)
				printf "D%d,%s\n", i, st[s - 1] >d "/back.csv"
			for (k = 0; k < 3; k++) {
				t = 1772841600 + int(rand() * 120 * 86400)
				printf "%d,%s,%s,%s\n", i, ty[1 + int(rand() * 4)],
				    rand() < 0.3 ? "in" : "out",
				    strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) >d "/acts.csv"
			}
			if (i <= 2000)
				printf "D%d,%s,%s,2026-%02d-%02dT12:00:00Z\n", i,
				    rand() < 0.4 + 0.1 * s ? "closed_won" : "closed_lost",
				    "", 3 + i % 4, 1 + i % 28 >d "/close.csv"
		}
	}'
	# a closed deal's reason only when lost
	sed -i 's/,closed_lost,,/,closed_lost,price,/' "$dir/close.csv"
}

load() { # load DB: the generated data through crm's importers
	CRM_NOW=2026-01-01T00:00:00Z "$bin/crm-company" import -q --db "$1" "$dir/co.csv"
	CRM_NOW=2026-01-01T00:00:00Z "$bin/crm-pipeline" import -q --db "$1" "$dir/open.csv"
	CRM_NOW=2026-02-01T00:00:00Z "$bin/crm-pipeline" import -q --db "$1" "$dir/stage.csv"
	CRM_NOW=2026-03-01T00:00:00Z "$bin/crm-pipeline" import -q --force --db "$1" "$dir/back.csv"
	CRM_NOW=2026-03-01T00:00:00Z "$bin/crm-activity" import -q --db "$1" "$dir/acts.csv"
	CRM_NOW=2026-07-01T00:00:00Z "$bin/crm-pipeline" import -q --db "$1" "$dir/close.csv"
	CRM_NOW=2026-07-02T00:00:00Z "$bin/crm-score" deals -q --db "$1" >/dev/null 2>&1
}

# ref ENGINE: the reference statement; days(X) as each engine spells it
ref() {
	if [ "$1" = sqlite ]; then
		days() { echo "floor(julianday('$now') - julianday($1))"; }
	else
		days() { echo "floor(extract(epoch FROM (timestamptz '$now' - CAST($1 AS timestamptz))) / 86400)"; }
	fi
	cat <<SQL
CREATE TABLE ref_scores (id INTEGER PRIMARY KEY, deal_id INTEGER NOT NULL,
  at TEXT NOT NULL, probability REAL, stage_probability REAL, previous REAL,
  trend TEXT, factors TEXT);
CREATE INDEX ref_scores_deal ON ref_scores(deal_id, at);
BEGIN;
WITH st(name, ord, p) AS (VALUES ('prospecting', 0, 10),
  ('qualification', 1, 20), ('needs_analysis', 2, 40), ('proposal', 3, 60),
  ('negotiation', 4, 80)),
h AS (SELECT h.deal_id, sum(CASE WHEN t.ord < f.ord THEN 1 ELSE 0 END) AS regress
  FROM deal_history h JOIN st f ON f.name = h.from_value
  JOIN st t ON t.name = h.to_value
  WHERE h.field = 'stage' AND h.at <= '$now' GROUP BY h.deal_id),
a AS (SELECT deal_id,
  sum(CASE WHEN occurred_at >= '2026-06-05T00:00:00Z' AND type = 'call' THEN 1 ELSE 0 END) AS calls,
  sum(CASE WHEN occurred_at >= '2026-06-05T00:00:00Z' AND type = 'email' THEN 1 ELSE 0 END) AS emails,
  sum(CASE WHEN occurred_at >= '2026-06-05T00:00:00Z' AND type = 'meeting' THEN 1 ELSE 0 END) AS meetings,
  sum(CASE WHEN occurred_at >= '2026-06-05T00:00:00Z' AND type NOT IN ('call', 'email', 'meeting') THEN 1 ELSE 0 END) AS other,
  sum(CASE WHEN occurred_at >= '2026-04-06T00:00:00Z' THEN 1 ELSE 0 END) AS n90,
  max(CASE WHEN direction = 'in' THEN occurred_at END) AS last_in
  FROM activities WHERE deal_id IS NOT NULL AND occurred_at < '$now'
  GROUP BY deal_id),
o AS (SELECT owner, count(*) AS n, sum(CASE WHEN status = 'won' THEN 1 ELSE 0 END) AS w
  FROM deals WHERE status IN ('won', 'lost') AND closed_at < '$now' GROUP BY owner),
c AS (SELECT company_id, count(*) AS n, sum(CASE WHEN status = 'won' THEN 1 ELSE 0 END) AS w
  FROM deals WHERE status IN ('won', 'lost') AND closed_at < '$now' GROUP BY company_id),
f AS (SELECT d.id, d.pipeline, d.stage, d.source, st.ord, st.p,
  CASE WHEN d.amount < 100000 THEN '<1k' WHEN d.amount < 1000000 THEN '1k-10k'
    WHEN d.amount < 10000000 THEN '10k-100k' ELSE '100k+' END AS band,
  $(days 'coalesce(d.stage_changed_at, d.created_at)') AS in_stage,
  $(days d.created_at) AS age, coalesce(h.regress, 0) AS regress,
  coalesce(a.calls, 0) AS calls, coalesce(a.emails, 0) AS emails,
  coalesce(a.meetings, 0) AS meetings, coalesce(a.other, 0) AS other,
  coalesce(a.n90, 0) AS n90, $(days a.last_in) AS since_in,
  round(1000.0 * (coalesce(o.w, 0) + 1) / (coalesce(o.n, 0) + 2)) / 10 AS owr,
  coalesce(c.w, 0) AS acc_won, coalesce(c.n, 0) - coalesce(c.w, 0) AS acc_lost,
  (SELECT s.probability FROM deal_scores s WHERE s.deal_id = d.id
    ORDER BY s.at DESC, s.id DESC LIMIT 1) AS prev
  FROM deals d LEFT JOIN st ON st.name = d.stage
  LEFT JOIN h ON h.deal_id = d.id LEFT JOIN a ON a.deal_id = d.id
  LEFT JOIN o ON o.owner = d.owner LEFT JOIN c ON c.company_id = d.company_id
  WHERE d.status = 'open'),
z AS (SELECT f.*, round(CAST(100 / (1 + exp(-(-1.2 + 0.35 * ord
  + 0.55 * meetings - 0.15 * emails + 0.1 * calls - 0.2 * regress
  + 0.02 * owr - 0.001 * in_stage + 0.01 * acc_won))) AS NUMERIC), 2) AS prob
  FROM f)
INSERT INTO ref_scores (deal_id, at, probability, stage_probability,
  previous, trend, factors)
SELECT id, '$now', prob, p, prev,
  CASE WHEN prev IS NULL THEN NULL WHEN prob - prev >= 5 THEN 'improving'
    WHEN prev - prob >= 5 THEN 'declining' ELSE 'steady' END,
  'stage=' || stage || ' (' || round(CAST(0.35 * ord AS NUMERIC), 3)
  || '); meetings_30d=' || meetings || ' (' || round(CAST(0.55 * meetings AS NUMERIC), 3)
  || '); owner_win_rate=' || owr || ' (' || round(CAST(0.02 * owr AS NUMERIC), 3)
  || '); ' || pipeline || ',' || coalesce(source, '') || ',' || band || ','
  || age || ',' || n90 || ',' || coalesce(since_in, -1) || ',' || acc_lost
  || ',' || other
FROM z;
COMMIT;
SQL
}

run() { # run ENGINE N DB SQLCMD...
	eng=$1 n=$2 db=$3
	shift 3
	timed /dev/null /usr/bin/time -f %M -o "$dir/rss" \
		env CRM_NOW=$now "$bin/crm-score" deals -q --db "$db"
	t_crm=$t
	ref "$eng" >"$dir/ref.sql"
	timed /dev/null "$@" <"$dir/ref.sql"
	t_ref=$t
	echo "score-deals $eng $n: crm-score deals ${t_crm}s, reference SQL ${t_ref}s, ratio $(ratio "$t_crm" "$t_ref"), crm peak RSS $(rss "$dir/rss")"
	row score-deals "$eng" "$n" "$t_crm" "$t_ref" "$dir/rss"
}

for n in $sizes; do
	gen "$n"
	if [ "$BENCH_ENGINE" != pg ]; then
		rm -f "$dir/crm.db"
		"$bin/crm" init --db "$dir/crm.db" 2>/dev/null
		load "$dir/crm.db"
		sqlite3 "$dir/crm.db" "ANALYZE"
		run sqlite "$n" "$dir/crm.db" sqlite3 -bail "$dir/crm.db"
		rm -f "$dir/crm.db"
	fi
	if [ "$BENCH_ENGINE" != sqlite ]; then
		case $CRM_TEST_PG in
		*://*\?*) url="$CRM_TEST_PG&dbname=$pgdb" ;;
		*://*) url="$CRM_TEST_PG?dbname=$pgdb" ;;
		*) url="$CRM_TEST_PG dbname=$pgdb" ;;
		esac
		admin "DROP DATABASE IF EXISTS $pgdb"
		admin "CREATE DATABASE $pgdb"
		"$bin/crm" init --db "$url" 2>/dev/null
		load "$url"
		psql "$url" -X -q -c "VACUUM ANALYZE" >/dev/null
		run pg "$n" "$url" psql "$url" -X -q -v ON_ERROR_STOP=1
		admin "DROP DATABASE $pgdb"
	fi
done
