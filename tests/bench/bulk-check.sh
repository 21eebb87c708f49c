#!/bin/sh
# bulk-check.sh [SCALE]: the set-up of campaign.sh and predict.sh loaded
# both ways at SCALE (default 0.01), with crm's importers
# (BENCH_LOAD=crm) and with tests/bench/bulk.sh's set-based SQL: the rows
# written (activities, contacts, deals, deal_history; the order lines'
# load times left out, they are the clock of each run) and the measured
# verbs' output (the segment's ids, crm-score deals and cycle) must be the
# same. SQLite. Exits 1 on a difference.
set -eu
scale=${1:-0.01}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for how in crm sql; do
	mkdir "$tmp/c$how" "$tmp/p$how"
	BENCH_LOAD=$how BENCH_ENGINE=sqlite BENCH_DIR=$tmp/c$how \
		sh "$top/tests/bench/campaign.sh" "$scale" >"$tmp/c$how.log"
	BENCH_LOAD=$how BENCH_DIR=$tmp/p$how \
		sh "$top/tests/bench/predict.sh" "$scale" >"$tmp/p$how.log" 2>&1
done
bad=0
same() {
	if cmp -s "$1" "$2"; then
		echo "same: $3"
	else
		echo "DIFFERENT: $3"
		bad=1
	fi
}
dump() { sqlite3 "$1" "$2" >"$3"; }
for how in crm sql; do
	# ref.db: the campaign database before the hand-over
	dump "$tmp/c$how/ref.db" "SELECT * FROM activities ORDER BY id" "$tmp/a$how"
	dump "$tmp/c$how/ref.db" "SELECT * FROM contacts ORDER BY id" "$tmp/k$how"
	n=$(sqlite3 "$tmp/p$how/crm.db" "SELECT min(id) FROM deals WHERE name = 'L0'")
	dump "$tmp/p$how/crm.db" "SELECT id, external_id, name, company_id,
	  contact_id, lead_id, pipeline, stage, status, quote(amount), currency,
	  quote(probability), forecast_category, expected_close, owner, source,
	  tags, close_reason, closed_at, last_activity_at, custom, CASE WHEN
	  id < $n THEN stage_changed_at || created_at || updated_at END,
	  stage_changed_at = created_at AND created_at = updated_at FROM deals
	  ORDER BY id" "$tmp/d$how"
	dump "$tmp/p$how/crm.db" "SELECT id, deal_id, field, from_value,
	  to_value, CASE WHEN deal_id < $n THEN at END, actor, pipeline,
	  from_status, to_status, seconds_in_stage, quote(amount), currency
	  FROM deal_history ORDER BY id" "$tmp/h$how"
done
same "$tmp/acrm" "$tmp/asql" "activities ($(wc -l <"$tmp/asql"))"
same "$tmp/kcrm" "$tmp/ksql" "contacts ($(wc -l <"$tmp/ksql"))"
same "$tmp/dcrm" "$tmp/dsql" "deals ($(wc -l <"$tmp/dsql"))"
same "$tmp/hcrm" "$tmp/hsql" "deal_history ($(wc -l <"$tmp/hsql"))"
same "$tmp/ccrm/crm.ids" "$tmp/csql/crm.ids" "segment ($(wc -l <"$tmp/csql/crm.ids") contacts)"
same "$tmp/pcrm/many.out" "$tmp/psql/many.out" "crm-score deals ($(wc -l <"$tmp/psql/many.out") lines)"
same "$tmp/pcrm/cycle.out" "$tmp/psql/cycle.out" "crm-score cycle ($(wc -l <"$tmp/psql/cycle.out") lines)"
exit $bad
