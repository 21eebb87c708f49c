#!/bin/bash
# crm-dedupe merge of leads moves what points at the merged-away lead to
# the survivor: activities and deals (lead_id, a plain integer in the
# schema, known from the entity fields) and its lead_history rows; undo
# moves each back.
. "$(dirname "$0")/../lib.sh"

printf 'external_id,first_name,last_name,email\nl1,Robert,Smith,bob@acme.io\nl2,Bob,Smith,bob@acme.io\nl3,Zed,Zulu,zz@zz.io\n' >"$T/leads.csv"
expect_code 0 crm-lead import --on-duplicate=allow "$T/leads.csv"
expect_code 0 crm-lead update 2 --set owner=ana
expect_code 0 crm-activity log --type call --subject first --lead 2 --at '2026-11-20 10:00'
expect_code 0 crm-activity log --type call --subject other --lead 3 --at '2026-11-20 11:00'
expect_code 0 crm-pipeline add --name 'Bob deal' --lead-id 2 --amount 100 --currency EUR
sql "SELECT lead_id, count(*) FROM lead_history GROUP BY lead_id ORDER BY lead_id"
cp "$T/sql" "$T/history.before"
printf 'cluster,id\n1,1\n1,2\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge leads --stdin -q
sql "SELECT id, lead_id FROM activities ORDER BY id"
printf '1|1\n2|3\n' >"$T/want"
compare "$T/want" "$T/sql" "the merged-away lead's activity points at the survivor"
sql "SELECT id, lead_id FROM deals ORDER BY id"
printf '1|1\n' >"$T/want"
compare "$T/want" "$T/sql" "its deal too"
sql "SELECT count(*) FROM lead_history WHERE lead_id = 2"
echo 0 >"$T/want"
compare "$T/want" "$T/sql" "and its history"
expect_code 0 crm-dedupe undo 1
sql "SELECT id, lead_id FROM activities ORDER BY id"
printf '1|2\n2|3\n' >"$T/want"
compare "$T/want" "$T/sql" "undo: the activity points at lead 2 again"
sql "SELECT id, lead_id FROM deals ORDER BY id"
printf '1|2\n' >"$T/want"
compare "$T/want" "$T/sql" "undo: the deal too"
sql "SELECT lead_id, count(*) FROM lead_history GROUP BY lead_id ORDER BY lead_id"
compare "$T/history.before" "$T/sql" "undo: the history rows are each lead's again"
done_testing
