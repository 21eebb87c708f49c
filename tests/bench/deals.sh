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
. "$top/tests/bench/deals-ref.sh"
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

run() { # run ENGINE N DB SQLCMD...
	eng=$1 n=$2 db=$3
	shift 3
	timed /dev/null /usr/bin/time -f %M -o "$dir/rss" \
		env CRM_NOW=$now "$bin/crm-score" deals -q --db "$db"
	t_crm=$t
	deals_ref "$eng" "$now" >"$dir/ref.sql"
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
