#!/bin/bash
# The sample company (share/crm/examples) gives every crm-report report
# rows: some leads converted, deals opened from them (lead_id), won and
# lost; deals closed by a later row of deals.csv, so the stages report
# has days in stage. Loops over crm-report --list-verbs, so a new report
# must have data in the sample too.
. "$(dirname "$0")/../lib.sh"
ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z

for f in companies:company contacts:contact leads:lead deals:pipeline tickets:ticket; do
	expect_code 0 crm-${f#*:} import -q "$ex/${f%%:*}.csv"
done
expect_code 0 crm-activity import -q "$ex/activities.ndjson"
# the installed base: an asset of each won deal (the assets report)
expect_code 0 crm-asset from-deals -q
sql "SELECT count(*) FROM deals WHERE lead_id IS NOT NULL"
check "deals opened from leads" [ "$(cat "$T/sql")" -gt 5 ]

expect_code 0 crm-report --list-verbs
cp "$T/out" "$T/reports"
for r in $(cat "$T/reports"); do
	run crm-report "$r" -f csv
	# unattended is a check verb: 1 when something is overdue
	ok_rc=0
	[ "$r" = unattended ] && [ $rc -eq 1 ] && ok_rc=1
	check "crm-report $r exits $ok_rc (got $rc)" [ $rc -eq $ok_rc ]
	check "crm-report $r has rows on the sample data" [ "$(wc -l <"$T/out")" -ge 2 ]
done

expect_code 0 crm-report funnel -f json --fields converted,deals,won
check "funnel: leads converted, deals from them, some won" \
	grep -Eq '"converted":"?[1-9][0-9]*"?,"deals":"?[1-9][0-9]*"?,"won":"?[1-9]' "$T/out"
expect_code 0 crm-report funnel -f csv --fields median_days_to_assign
expect_out "funnel: days to assign from the data's assigned_at" <<'X'
median_days_to_assign
0.6
X
sql "SELECT count(*) FROM deals WHERE lead_id IS NOT NULL AND status = 'lost'"
check "some deals from leads were lost" [ "$(cat "$T/sql")" -gt 0 ]
done_testing
