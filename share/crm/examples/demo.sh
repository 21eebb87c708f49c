#!/bin/sh
# demo.sh - what "make demo" runs: a fresh database in the build folder,
# the sample company (see generate.sh) imported in the order its links
# need, then one night of nightly.sh with the clock pinned at
# 2026-11-23T02:00:00Z, and what it did. BUILD names the build folder.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-build}
PATH="$top/$BUILD/bin:$PATH"
ex="$top/share/crm/examples"
export CRM_DB="$top/$BUILD/demo.db" CRM_SHARE="$top/share/crm" \
	CRM_NOW=2026-11-23T02:00:00Z CRM_USER=demo TZ=UTC
rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"

echo "== a fresh database: $CRM_DB"
crm init
# companies first (parents before subsidiaries), then the people at
# them, the leads, deals (linked to companies and contacts), tickets
# (linked to contacts) and last the activities, which name the contacts,
# leads and deals they belong to
for f in companies:company contacts:contact leads:lead deals:pipeline \
	tickets:ticket activities:activity; do
	file=${f%%:*} cmd=crm-${f#*:}
	[ "$file" = activities ] && file=$file.ndjson || file=$file.csv
	echo "== $cmd import $file"
	# crm-lead names each duplicate it skips or updates: count them instead
	"$cmd" import "$ex/$file" 2>&1 | grep -v '^crm-lead: duplicate:' || true
done
echo "== one group: crm-company tree 长城集团"
crm-company tree -f table 长城集团
echo "== duplicate contacts (the default match model, no labels, no rules)"
crm-dedupe contacts --threshold 95 -f csv >"$top/$BUILD/demo-duplicates.csv"
cut -d, -f1-7 "$top/$BUILD/demo-duplicates.csv" | head -7
echo "== the night of $CRM_NOW: nightly.sh"
rc=0
sh "$ex/nightly.sh" "$top/$BUILD/demo-reports" || rc=$?
echo "== nightly.sh exited $rc (1: something needs attention)"
echo "== the tiers it gave (share/crm/tiers.json; JPY and USD deals need --rates)"
crm-company list -f csv --fields tier --where 'tier!=' | sed 1d | sort | uniq -c
echo "== an account plan for the key account: crm-company plan fuji-group.jp"
crm-company plan fuji-group.jp set --from 2026-04-01 --to 2027-03-31 \
	--target 30000000 --currency JPY -q
crm-company plan fuji-group.jp goal 'Close the onboarding deal and open one subsidiary' -q
crm-company plan fuji-group.jp action 'Find a champion in IT' --due 2026-12-15 --owner dev -q
crm-company plan fuji-group.jp -f table
echo "== the SLA breaches it found"
crm-ticket sla --breached -f csv >"$top/$BUILD/demo-breaches.csv" || true
cut -d, -f1,2,4,5,8,9,11 "$top/$BUILD/demo-breaches.csv" | head -6
echo "== the morning dashboard (nightly.sh step 7)"
dash="$top/$BUILD/demo-reports/2026-11-23/dashboard.html"
echo "page: $dash"
# a screenshot for the README's tour, in the build folder (not committed)
if command -v chromium >/dev/null; then
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--no-first-run --user-data-dir="$top/$BUILD/.demo-chrome" \
		--screenshot="$top/$BUILD/demo-dashboard.png" \
		--window-size=1280,2400 "$dash" >/dev/null 2>&1 &&
		echo "screenshot: $top/$BUILD/demo-dashboard.png"
	rm -rf "$top/$BUILD/.demo-chrome"
fi
echo
echo "Reports: $top/$BUILD/demo-reports/2026-11-23/"
echo "Try: CRM_DB=$CRM_DB CRM_NOW=$CRM_NOW $BUILD/bin/crm-company show co-0001"
