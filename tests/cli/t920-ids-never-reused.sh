#!/bin/sh
# Ids are never reused: a record created after the highest-id record of
# its table was deleted gets a new id and none of the deleted record's
# thread, history, scores or activities; undo of the delete brings the
# record back under its old id, with them.
. "$(dirname "$0")/../lib.sh"

# last_delete: the change number of the latest delete, in $chg
last_delete() {
	sql "SELECT max(id) FROM crm_changes WHERE command = 'delete'"
	chg=$(cat "$T/sql")
}
# count QUERY WANT description
count() {
	sql "$1"
	check "$3" test "$(cat "$T/sql")" = "$2"
}

# -- tickets: thread, status history, first response ---------------------
expect_code 0 crm-ticket open --subject one
expect_code 0 crm-ticket open --subject two
expect_code 0 crm-ticket reply 2 --body 'the old reply'
expect_code 0 crm-ticket assign 2 --to ann
expect_code 0 crm-ticket delete 2
last_delete
expect_code 0 crm-ticket open --subject three --fields id
printf 'id\n3\n' | expect_out "a ticket opened after #2 was deleted is #3"
expect_code 0 crm-ticket show 3 -f json
check "ticket 3 has no reply of the deleted ticket" \
	sh -c "! grep -q 'the old reply' '$T/out'"
count "SELECT count(*) FROM activities WHERE ticket_id = 3" 0 \
	"ticket 3 has no activities"
count "SELECT count(*) FROM ticket_assignee_history WHERE ticket_id = 3" 0 \
	"ticket 3 has no assignee history"
count "SELECT count(*) FROM ticket_status_history WHERE ticket_id = 3" 1 \
	"ticket 3 has only its own status history"
count "SELECT CASE WHEN first_response_at IS NULL THEN 1 ELSE 0 END FROM tickets WHERE id = 3" 1 \
	"ticket 3 has no first response"
expect_code 0 crm-ticket undo "$chg"
expect_code 0 crm-ticket show 2 -f json
check "undo restores ticket 2 with its thread" \
	grep -q 'the old reply' "$T/out"
expect_code 0 crm-ticket open --subject four --fields id
printf 'id\n4\n' | expect_out "the next ticket is #4"

# -- leads: history and scores ------------------------------------------
expect_code 0 crm-lead add --set first_name=A --set email=a@x.org
expect_code 0 crm-lead add --set first_name=B --set email=b@x.org
expect_code 0 crm-lead qualify 2 --reason 'old lead'
expect_code 0 crm-score leads
expect_code 0 crm-lead delete 2
last_delete
expect_code 0 crm-lead add --set first_name=C --set email=c@x.org --fields id
printf 'id\n3\n' | expect_out "a lead added after #2 was deleted is #3"
count "SELECT count(*) FROM lead_history WHERE lead_id = 3 AND reason IS NOT NULL" \
	0 "lead 3 has no history of the deleted lead"
count "SELECT count(*) FROM lead_scores WHERE lead_id = 3" 0 \
	"lead 3 has no scores"
expect_code 0 crm-lead undo "$chg"
count "SELECT id || ':' || status FROM leads WHERE email = 'b@x.org'" \
	2:qualified "undo restores lead 2"

# -- deals: stage history and activities --------------------------------
expect_code 0 crm-pipeline add --name one
expect_code 0 crm-pipeline add --name two
expect_code 0 crm-pipeline move qualification 2
expect_code 0 crm-activity log -t call --deal 2 --subject 'old call'
expect_code 0 crm-pipeline delete 2
last_delete
expect_code 0 crm-pipeline add --name three --fields id
printf 'id\n3\n' | expect_out "a deal added after #2 was deleted is #3"
count "SELECT count(*) FROM deal_history WHERE deal_id = 3" 1 \
	"deal 3 has only its own history"
count "SELECT count(*) FROM activities WHERE deal_id = 3" 0 \
	"deal 3 has no activities"
expect_code 0 crm-pipeline undo "$chg"
count "SELECT id || ':' || stage FROM deals WHERE name = 'two'" \
	2:qualification "undo restores deal 2"

# -- contacts and companies: activities and scores ----------------------
expect_code 0 crm-company add --name Acme
expect_code 0 crm-company add --name Beta
expect_code 0 crm-contact add --set email=p@x.org
expect_code 0 crm-contact add --set email=q@x.org
expect_code 0 crm-activity log -t call --contact 2 --company 2
expect_code 0 crm-contact delete 2
last_delete
expect_code 0 crm-contact add --set email=r@x.org --fields id
printf 'id\n3\n' | expect_out "a contact added after #2 was deleted is #3"
expect_code 0 crm-contact undo "$chg"
count "SELECT id FROM contacts WHERE email = 'q@x.org'" 2 \
	"undo restores contact 2"
count "SELECT contact_id FROM activities WHERE type = 'call' AND company_id = 2" \
	2 "with its activity"
expect_code 0 crm-company delete 2
last_delete
expect_code 0 crm-company add --name Gamma --fields id
printf 'id\n3\n' | expect_out "a company added after #2 was deleted is #3"
count "SELECT count(*) FROM activities WHERE company_id = 3" 0 \
	"company 3 has no activities"
expect_code 0 crm-company undo "$chg"
count "SELECT id FROM companies WHERE name = 'Beta'" 2 \
	"undo restores company 2"

# -- an id of a deleted record is not taken from import either ----------
printf 'id,email\n3,s@x.org\n' >"$T/in.csv"
expect_code 0 crm-contact delete 3
expect_code 0 crm-contact import --key id,email "$T/in.csv"
count "SELECT id FROM contacts WHERE email = 's@x.org'" 4 \
	"import --key id gives a deleted record's id to no one"
printf 'id,email\n9,t@x.org\n' >"$T/in.csv"
expect_code 0 crm-contact import --key id,email "$T/in.csv"
count "SELECT id FROM contacts WHERE email = 't@x.org'" 9 \
	"an id never given is kept"

done_testing
