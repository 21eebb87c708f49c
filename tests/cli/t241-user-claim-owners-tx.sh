#!/bin/bash
# crm-user claim-owners rewrites every owner value that is a user's email
# to the user's name in one transaction and one change set: a failure
# half-way (here a trigger refusing the deals' update, after the
# contacts') writes nothing; the change set is undone as one.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user add carol --email carol@x.example
expect_code 0 crm-user add dan --email dan@x.example
expect_code 0 crm-contact add -q --first-name A --owner CAROL@x.example
expect_code 0 crm-contact add -q --first-name B --owner dan@X.example
expect_code 0 crm-pipeline add -q --name Big --owner carol@x.example
expect_code 0 crm-lead add -q --first-name L --owner zed

# the trigger in each engine's own dialect
refuse UPDATE deals
db_dump "$CRM_DB" "$T/before"
run crm-user claim-owners -f csv
check "a failure half-way exits non-zero" [ "$rc" -ne 0 ]
err_has "refused by a trigger"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "nothing written: the contacts' rewrite is rolled back too"
unrefuse deals

expect_code 0 crm-user claim-owners -f csv
expect_out "each owner value and the user it names" <<'X'
entity,owner,user,records
contact,CAROL@x.example,carol,1
contact,dan@X.example,dan,1
deal,carol@x.example,carol,1
lead,zed,,1
X
# (no group_concat: the query runs on both engines)
sql "SELECT 'contact', id, owner FROM contacts UNION ALL SELECT 'deal', id, owner FROM deals UNION ALL SELECT 'lead', id, owner FROM leads ORDER BY 1, 2"
printf 'contact|1|carol\ncontact|2|dan\ndeal|1|carol\nlead|1|zed\n' >"$T/want"
compare "$T/want" "$T/sql" "emails rewritten to names, the unmatched owner left"
sql "SELECT c.id, c.command, count(*) FROM crm_changes c JOIN crm_audit a ON a.change_id = c.id WHERE c.command = 'claim-owners' GROUP BY c.id, c.command"
echo '1|claim-owners|3' >"$T/want"
compare "$T/want" "$T/sql" "one change set of three records"
expect_code 0 crm-user claim-owners -q
sql "SELECT count(*) FROM crm_changes WHERE command = 'claim-owners'"
compare <(echo 1) "$T/sql" "a second run has nothing to rewrite and records no change"
expect_code 0 crm-contact undo 1
sql "SELECT 'contact', id, owner FROM contacts UNION ALL SELECT 'deal', id, owner FROM deals ORDER BY 1, 2"
printf 'contact|1|CAROL@x.example\ncontact|2|dan@X.example\ndeal|1|carol@x.example\n' >"$T/want"
compare "$T/want" "$T/sql" "undo puts every record of the change set back"
# a dry run writes nothing
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-user claim-owners -n -q
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a dry run writes nothing"
done_testing
