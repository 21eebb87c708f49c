#!/bin/bash
# share/crm/examples: generate.sh gives the committed sample files byte for
# byte; nightly.sh over the sample company: what it does, its exit status
# (0, 1 attention, 75 locked, the first failing step's code), its lock,
# and a second run the same night changing nothing.
. "$(dirname "$0")/../lib.sh"
ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z

mkdir "$T/gen"
run sh "$ex/generate.sh" "$T/gen"
check "generate.sh runs" [ $rc -eq 0 ]
for f in companies.csv contacts.csv leads.csv deals.csv tickets.csv activities.ndjson; do
	check "generate.sh makes the committed $f" cmp -s "$ex/$f" "$T/gen/$f"
done

for f in companies:company contacts:contact leads:lead deals:pipeline tickets:ticket; do
	expect_code 0 crm-${f#*:} import -q "$ex/${f%%:*}.csv"
done
expect_code 0 crm-activity import -q "$ex/activities.ndjson"
sql "SELECT count(*) FROM leads"
check "the sample is loaded (1200 leads)" [ "$(cat "$T/sql")" = 1200 ]

# what the night should do, counted by sqlite3 before it runs: open leads
# with an owner, assigned and last worked by their owner over 7 days ago
sql "SELECT count(*) FROM leads l WHERE owner IS NOT NULL AND status IN
	('new','working','nurturing','qualified') AND max(assigned_at,
	coalesce((SELECT max(occurred_at) FROM activities a WHERE a.lead_id = l.id
	AND (a.owner IS NULL OR a.owner = l.owner)), '')) <= '2026-11-16T02:00:00Z'"
idle=$(cat "$T/sql")
check "some leads are idle ($idle)" [ "$idle" -gt 0 ]

cd "$T" || exit 1
unset CRM_USER
expect_code 1 sh "$ex/nightly.sh" reports
r=reports/2026-11-23
for f in summary log leads-reclaimed.csv leads-assigned.csv deals-stale.csv \
	tickets-sla.csv tasks-overdue.csv forecast.csv; do
	check "the report has $f" [ -f "$r/$f" ]
done
compare "$r/summary" "$T/out" "stdout is the summary"
check "the summary says why it exits 1" grep -q '^exit status 1: see the steps marked attention' "$r/summary"
check "reclaimed the $idle idle leads" grep -q "^leads reclaimed  *$idle  ok " "$r/summary"
sql "SELECT count(*) FROM leads WHERE previous_owner IS NOT NULL"
check "the reclaimed leads keep their previous owner" [ "$(cat "$T/sql")" -ge "$idle" ]
sql "SELECT count(*) FROM activities WHERE type = 'task' AND deal_id IS NOT NULL AND channel = 'crm-pipeline stale'"
tasks=$(cat "$T/sql")
check "follow-up tasks for stale deals ($tasks)" grep -q "^stale deals (tasks made)  *$tasks  attention " "$r/summary"
sql "SELECT count(*) FROM crm_flow_firings WHERE status = 'done' AND flow <> 'crm-pipeline-stale'"
fired=$(cat "$T/sql")
check "the flows that were due fired ($fired)" grep -q "^flows fired  *$fired  ok " "$r/summary"
sql "SELECT count(*) FROM companies WHERE tier IS NOT NULL"
check "the accounts got their tiers" grep -q "^account tiers  *$(cat "$T/sql")  ok " "$r/summary"
sql "SELECT count(*) FROM crm_changes WHERE actor = 'nightly'"
check "changes are made as CRM_USER=nightly" [ "$(cat "$T/sql")" -gt 0 ]

# the same night again: nothing more to reclaim, assign or task
db_dump "" "$T/before"
expect_code 1 sh "$ex/nightly.sh" reports
check "a second run reclaims nothing" grep -q "^leads reclaimed  *0  ok " "$r/summary"
check "a second run fires no flow again" grep -q "^flows fired  *0  ok " "$r/summary"
check "a second run makes no new tasks" grep -q "^stale deals (tasks made)  *$tasks  attention " "$r/summary"
sql "SELECT count(*) FROM activities WHERE type = 'task' AND deal_id IS NOT NULL AND channel = 'crm-pipeline stale'"
check "no task twice" [ "$(cat "$T/sql")" = "$tasks" ]

# another run holds the lock: 75 at once, nothing done
exec 9>>"$CRM_DB.nightly.lock"
flock 9
expect_code 75 sh "$ex/nightly.sh" reports
err_has "nightly: another run holds $CRM_DB.nightly.lock"
exec 9>&-

# a broken policy file: its step fails with 78, the others still run
mkdir -p "$T/share"
cp -R "$TOP/share/crm/." "$T/share/"
echo '{"policies": [{"name": "x", "targets": {"first_reply": "soon"}}]}' >"$T/share/sla.json"
CRM_SHARE="$T/share" expect_code 78 sh "$ex/nightly.sh" reports
check "the failed step is marked" grep -q "^SLA breaches and risks .*failed (78)" "$r/summary"
check "the log names the file" grep -q "sla.json" "$r/log"
check "the steps after it ran" grep -q "^forecast by quarter .* ok " "$r/summary"
done_testing
