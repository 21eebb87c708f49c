#!/bin/bash
# crm-pipeline stale over 10,000 deals: without --create-tasks each stale
# deal goes out as it is read (nothing held); with it, every task is made
# before any deal is printed. Both list every stale deal once, in id
# order, with the same values; a --where filter holds; a task refused
# late in the run fails it, prints no deal and writes nothing.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-22T09:30:00Z

# 10,000 deals: every seventh closed (not open, so not counted in a
# chunk); of the open ones, those whose id is a multiple of 3 have sat
# in proposal (max 2 days) for 3 days, the others for 1 day. Owners
# alternate kim and lou.
awk 'BEGIN {
	print "external_id,name,stage,owner,created_at"
	for (i = 1; i <= 10000; i++) {
		st = i % 7 == 0 ? "closed_won" : "proposal"
		at = i % 3 == 0 ? "2026-11-19T09:30:00Z" : "2026-11-21T09:30:00Z"
		printf "D%d,Deal %d,%s,%s,%s\n", i, i, st, i % 2 ? "kim" : "lou", at
	}
}' >"$T/d.csv"
expect_code_in 0 "$T/d.csv" crm-pipeline import -q
# the model: ids of open deals (not a multiple of 7) that are a multiple of 3
awk 'BEGIN { for (i = 1; i <= 10000; i++) if (i % 7 && i % 3 == 0) print i }' >"$T/stale"
awk 'BEGIN { for (i = 1; i <= 10000; i++) if (i % 7 && i % 3 == 0 && i % 2) print i }' >"$T/stale-kim"
n=$(wc -l <"$T/stale")
nk=$(wc -l <"$T/stale-kim")

expect_code 1 crm-pipeline stale --ids
compare "$T/stale" "$T/out" "streamed: every stale deal once, in id order"
expect_code 1 crm-pipeline stale -f csv
awk -v OFS=, 'BEGIN { print "id,name,pipeline,stage,owner,idle_since,idle_days,limit_days,reason,task_id" }
	{ print $1, "Deal " $1, "default", "proposal", $1 % 2 ? "kim" : "lou", "2026-11-19T09:30:00Z", "3.0", 2, "stage", "" }' "$T/stale" >"$T/want"
compare "$T/want" "$T/out" "streamed: each row's values"

db_dump "$CRM_DB" "$T/before"
expect_code 1 crm-pipeline stale --create-tasks --dry-run --ids
compare "$T/stale" "$T/out" "--dry-run: the same deals"
err_has "dry run: $n stale, $n follow-up tasks created"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "--dry-run writes nothing"

# a task refused for deal 9000, late in the run: nothing written
refuse INSERT activities "NEW.deal_id = 9000"
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-pipeline stale --create-tasks --ids
err_has "refused by a trigger"
check "a failed run prints no deal" test ! -s "$T/out"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a task refused late in the run: nothing written"
unrefuse activities

expect_code 1 crm-pipeline stale --create-tasks -w owner=kim --ids
compare "$T/stale-kim" "$T/out" "--where with tasks: kim's stale deals"
err_has "$nk stale, $nk follow-up tasks created"
expect_code 1 crm-pipeline stale --create-tasks -f csv
cut -d, -f1-9 "$T/out" >"$T/got"
cut -d, -f1-9 "$T/want" >"$T/want9"
compare "$T/want9" "$T/got" "with tasks: the same deals and values"
check "with tasks: every row names a task" test "$(tail -n +2 "$T/out" | cut -d, -f10 | grep -c '^[0-9][0-9]*$')" = "$n"
err_has "$n stale, $((n - nk)) follow-up tasks created"
sql "SELECT deal_id FROM activities WHERE type = 'task' ORDER BY deal_id"
compare "$T/stale" "$T/sql" "one task for each stale deal, none for another"
expect_code 1 crm-pipeline stale --create-tasks --ids
err_has "$n stale, 0 follow-up tasks created"
done_testing
