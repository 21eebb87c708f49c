#!/bin/bash
# crm-ticket: open, add, import (linking contacts and companies), list,
# show with its thread and history, update, reply, note, pending, hold,
# solve, close, reopen, assign (explicit, round robin, fewest open, caps),
# delete, undo, export round trip; tickets in the company and contact views.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-20T16:30:00Z # a Friday
P=(--policies "$DATA/sla-test.json")

expect_code 0 crm-company add -q --name 'ACME Inc.' --domain acme.example
printf 'external_id,first_name,email\nc1,Ann,ann@acme.example\nc2,Bob,bob@other.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 0 crm-ticket open "${P[@]}" --subject 'Printer on fire' --contact ann@acme.example --channel email --ids
expect_out "open prints the id" <<<'1'
expect_code 0 crm-ticket add "${P[@]}" --subject 'Login fails' --set contact=c2 --priority high --team support -f csv --fields id,contact_id,company_id,priority,status,sla_policy
expect_out "add: contact by external id, no company; standard policy" <<'X'
id,contact_id,company_id,priority,status,sla_policy
2,2,,high,new,standard
X
expect_code 0 crm-ticket list -f csv --fields id,contact_id,company_id,priority,status,sla_policy,first_reply_due,resolution_due
expect_out "company from the contact; the company's policy: 1 business hour, 1 calendar day" <<'X'
id,contact_id,company_id,priority,status,sla_policy,first_reply_due,resolution_due
1,1,1,normal,new,acme,2026-11-23T09:30:00Z,2026-11-21T16:30:00Z
2,2,,high,new,standard,2026-11-23T10:30:00Z,2026-11-24T16:30:00Z
X

cat >"$T/t.ndjson" <<'X'
{"external_id":"z-1","subject":"Refund","email":"bob@other.example","channel":"web","priority":"urgent","plan":"gold"}
{"external_id":"z-2","subject":"Invoice","company":"acme.example","tags":"billing"}
X
expect_code 0 crm-ticket import "${P[@]}" "$T/t.ndjson"
err_has "2 inserted, 0 updated, 0 unchanged, 0 rejected"
expect_code 0 crm-ticket export -f csv --fields id,external_id,contact_id,company_id,channel,priority,sla_policy,first_reply_due,plan --where 'external_id~z-'
expect_out "import links by email and company; custom fields kept" <<'X'
id,external_id,contact_id,company_id,channel,priority,sla_policy,first_reply_due,plan
3,z-1,2,,web,urgent,urgent,2026-11-20T17:30:00Z,gold
4,z-2,,1,,normal,acme,2026-11-23T09:30:00Z,
X
expect_code 0 crm-ticket import "${P[@]}" "$T/t.ndjson"
err_has "0 inserted, 0 updated, 2 unchanged, 0 rejected"

# replies and notes are activities; the first agent reply is the first response
CRM_NOW=2026-11-23T09:15:00Z expect_code 0 crm-ticket reply "${P[@]}" 1 --body 'On it' --author ana
err_has "replied to 1 ticket (change"
CRM_NOW=2026-11-23T09:20:00Z expect_code 0 crm-ticket note "${P[@]}" 1 --body 'toner?'
CRM_NOW=2026-11-23T09:40:00Z expect_code 0 crm-ticket reply "${P[@]}" 1 --customer --body 'Thanks'
expect_code 0 crm-ticket show 1 -f csv --fields id,status,first_response_at,awaiting_since,last_activity_at,first_reply_breached
expect_out "reply opens the ticket, sets first_response_at; a customer message waits" <<'X'
id,status,first_response_at,awaiting_since,last_activity_at,first_reply_breached
1,open,2026-11-23T09:15:00Z,2026-11-23T09:40:00Z,2026-11-23T09:40:00Z,false
X
expect_code 0 crm-ticket show 1 -f json
jq -c '[.ticket.id, [.thread[] | [.type, .direction, .owner, .body]], [.history[] | [.from, .to, .at]]]' "$T/out" >"$T/j"
cat >"$T/want" <<'X'
[1,[["reply","out","ana","On it"],["note",null,"tester","toner?"],["reply","in",null,"Thanks"]],[[null,"new","2026-11-20T16:30:00Z"],["new","open","2026-11-23T09:15:00Z"]]]
X
compare "$T/want" "$T/j" "show -f json: the thread oldest first and the status history"
expect_code 0 crm-ticket show 1 -f table
out_has "thread:"
out_has "  2026-11-23T09:20:00Z note tester toner?"
expect_code 0 crm-activity timeline ticket 1 --ids
expect_out "the thread is in crm-activity's timeline" <<'X'
3
2
1
X
expect_code 0 crm-contact list -f csv --fields id,last_activity_at --where id=1
expect_out "a reply is an activity of the contact too" <<'X'
id,last_activity_at
1,2026-11-23T09:40:00Z
X

# statuses
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-ticket pending "${P[@]}" 1
CRM_NOW=2026-11-23T11:00:00Z expect_code 0 crm-ticket hold "${P[@]}" 1
CRM_NOW=2026-11-23T12:00:00Z expect_code 0 crm-ticket solve "${P[@]}" 1
err_has "solved 1 ticket (change"
# resolve is DESIGN.md's name for solve
CRM_NOW=2026-11-23T12:00:00Z expect_code 0 crm-ticket resolve "${P[@]}" 2
err_has "solved 1 ticket (change"
CRM_NOW=2026-11-23T13:00:00Z expect_code 0 crm-ticket close "${P[@]}" 1
expect_code 0 crm-ticket list -f csv --fields id,status,solved_at,closed_at --where 'id<=2'
expect_out "solve sets solved_at, close closed_at" <<'X'
id,status,solved_at,closed_at
1,closed,2026-11-23T12:00:00Z,2026-11-23T13:00:00Z
2,solved,2026-11-23T12:00:00Z,
X
expect_code 65 crm-ticket reply "${P[@]}" 1 --body 'hello'
err_has "ticket 1 is closed"
expect_code 65 crm-ticket pending "${P[@]}" 1
err_has "ticket 1 is closed: reopen it first"
expect_code 65 crm-ticket reopen "${P[@]}" 3
err_has "ticket 3 is new, not solved or closed"
CRM_NOW=2026-11-23T14:00:00Z expect_code 0 crm-ticket reopen "${P[@]}" 1
CRM_NOW=2026-11-23T15:00:00Z expect_code 0 crm-ticket reply "${P[@]}" --customer 2 --body 'still broken'
expect_code 0 crm-ticket list -f csv --fields id,status,solved_at,closed_at --where 'id<=2'
expect_out "reopen clears solved_at and closed_at; a customer reply reopens a solved ticket" <<'X'
id,status,solved_at,closed_at
1,open,,
2,open,,
X
sql "SELECT ticket_id, coalesce(from_status, '-'), to_status, at, actor FROM ticket_status_history WHERE ticket_id = 1 ORDER BY id"
cat >"$T/want" <<'X'
1|-|new|2026-11-20T16:30:00Z|tester
1|new|open|2026-11-23T09:15:00Z|tester
1|open|pending|2026-11-23T10:00:00Z|tester
1|pending|on_hold|2026-11-23T11:00:00Z|tester
1|on_hold|solved|2026-11-23T12:00:00Z|tester
1|solved|closed|2026-11-23T13:00:00Z|tester
1|closed|open|2026-11-23T14:00:00Z|tester
X
compare "$T/want" "$T/sql" "status history: from, to, when, who"

# assignment
expect_code 0 crm-ticket assign "${P[@]}" 1 --to ben
expect_code 0 crm-ticket assign "${P[@]}" 2 --to ''
sql "SELECT ticket_id, coalesce(from_assignee, '-'), coalesce(to_assignee, '-') FROM ticket_assignee_history ORDER BY id"
cat >"$T/want" <<'X'
2|-|-
1|-|ben
X
compare "$T/want" "$T/sql" "assignee history (ticket 2 got its team on add)"
expect_code 0 crm-ticket assign "${P[@]}" --auto --team support
err_has "assigned 3 tickets"
expect_code 0 crm-ticket list -f csv --fields id,assignee,team,status
expect_out "round robin after nobody: ana, ben, caro" <<'X'
id,assignee,team,status
1,ben,,open
2,ana,support,open
3,ben,support,open
4,caro,support,open
X
# ben has tickets 1 and 3 open: at the cap of 2, he is skipped
for s in five six seven; do expect_code 0 crm-ticket open -q "${P[@]}" --subject $s --team support; done
expect_code 0 crm-ticket assign "${P[@]}" --auto 5 6 7
err_has "1 ticket left unassigned: every agent of the team is at the cap"
expect_code 0 crm-ticket list -f csv --fields id,assignee --where 'id>=5'
expect_out "cap 2: after caro, ana, then caro (ben is full), then nobody" <<'X'
id,assignee
5,ana
6,caro
7,
X
expect_code 0 env CRM_NOW=2026-11-23T16:00:00Z crm-ticket pending -q "${P[@]}" 1 2
expect_code 0 crm-ticket assign "${P[@]}" --auto 7
expect_code 0 crm-ticket list -f csv --fields id,assignee --where id=7
expect_out "pending tickets do not count against the cap: ana has one running" <<'X'
id,assignee
7,ana
X
# tier2 has nobody yet; ticket 1 is pending, so it does not count for sam
expect_code 0 crm-ticket assign "${P[@]}" --auto --team tier2 1 3 4
expect_code 0 crm-ticket list -f csv --fields id,assignee,team --where team=tier2
expect_out "fewest open (ties in roster order): sam, sam, tom" <<'X'
id,assignee,team
1,sam,tier2
3,sam,tier2
4,tom,tier2
X
expect_code 65 crm-ticket assign "${P[@]}" --auto 2 --team nowhere
err_has "no team 'nowhere' in"
expect_code 0 crm-ticket update -q "${P[@]}" 5 --set team=
expect_code 65 crm-ticket assign "${P[@]}" --auto 5
err_has "ticket 5 has no team (give --team)"
expect_code 64 crm-ticket assign "${P[@]}" 5
err_has "assign needs --to AGENT or --auto"

# update, delete, undo, export round trip
expect_code 0 crm-ticket update "${P[@]}" 4 --set subject='Invoice copy'
err_has "updated 1 ticket (change"
expect_code 0 crm-ticket delete 6
err_has "deleted 1 ticket (change"
sql 'SELECT max(id) FROM crm_changes'
change=$(cat "$T/sql")
expect_code 0 crm-ticket undo "$change"
expect_code 0 crm-ticket list --ids --where id=6
expect_out "undo restores a deleted ticket" <<<'6'
expect_code 0 crm-ticket export -f ndjson
cp "$T/out" "$T/all.ndjson"
expect_code 0 crm-ticket import "${P[@]}" "$T/all.ndjson"
err_has "0 inserted, 0 updated, 7 unchanged, 0 rejected"
rm -f "$T/fresh.db"
expect_code 0 crm-company export -f ndjson; cp "$T/out" "$T/co.ndjson"
expect_code 0 crm-company import -q --db "$T/fresh.db" --key id "$T/co.ndjson"
expect_code 0 crm-contact export -f ndjson; cp "$T/out" "$T/ct.ndjson"
expect_code 0 crm-contact import -q --db "$T/fresh.db" --key id "$T/ct.ndjson"
expect_code 0 crm-ticket import "${P[@]}" --db "$T/fresh.db" --key id "$T/all.ndjson"
expect_code 0 crm-ticket export --db "$T/fresh.db" -f ndjson
compare "$T/all.ndjson" "$T/out" "export, import into an empty database, export: identical"

# the company and contact views
expect_code 0 crm-company show 'ACME' -f json
jq -c '[.rollups.open_tickets, [.tickets[].id]]' "$T/out" >"$T/j"
echo '[2,[1,4]]' >"$T/want"
compare "$T/want" "$T/j" "crm-company show: open tickets and the tickets array"
expect_code 0 crm-ticket --help
out_has "sla"
done_testing
