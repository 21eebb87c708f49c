#!/bin/bash
# nightly.sh step 7: the dashboard page in REPORT_DIR/DATE/dashboard.html,
# a copy at $DASHBOARD_HTML, its key figures as dashboard.csv, both named
# in the summary; a copy that cannot be written fails the run (73).
. "$(dirname "$0")/../lib.sh"
ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z
expect_code 0 crm init
expect_code 0 crm-pipeline add -q --name A --amount 100 --currency EUR --owner kim

mkdir "$T/www"
cd "$T" || exit 1
DASHBOARD_HTML="$T/www/dash.html" run sh "$ex/nightly.sh" reports
check "nightly.sh runs (exit $rc)" [ "$rc" -le 1 ]
r=reports/2026-11-23
check "the page is written" grep -q '<title>Dashboard</title>' "$r/dashboard.html"
check "the copy at DASHBOARD_HTML is the page" cmp -s "$r/dashboard.html" "$T/www/dash.html"
check "no temporary file is left" [ ! -e "$T/www/dash.html.tmp" ]
check "the key figures as CSV: a header and nine figures" [ "$(wc -l <"$r/dashboard.csv")" -eq 10 ]
grep -q '^sales,open_pipeline,Open pipeline,100.00,EUR,' "$r/dashboard.csv"
check "the open pipeline: deal A" [ $? -eq 0 ]
check "the summary names the page" grep -q '^dashboard page  *-  ok  *dashboard.html$' "$r/summary"
check "the summary names the figures" grep -q '^dashboard key figures  *9  ok  *dashboard.csv$' "$r/summary"

rm -rf reports
DASHBOARD_HTML="$T/nowhere/dash.html" run sh "$ex/nightly.sh" reports
check "a copy that cannot be written: exit 73 (got $rc)" [ "$rc" -eq 73 ]
check "the summary says so" grep -q '^dashboard page  *-  failed (73)' "$r/summary"
done_testing
