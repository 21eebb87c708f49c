#!/bin/bash
# crm-ticket sla --escalate over two chunks of tickets (on PostgreSQL
# each chunk's tickets read with one statement) when the database refuses one
# escalation activity half-way (on PostgreSQL the activity's INSERT is
# no longer waited for: its error comes with the next read): the run
# fails with the database's reason and writes nothing; without the
# refusal every ticket of both chunks gets its levels and its undo rows.
. "$(dirname "$0")/../lib.sh"
cat >"$T/sla.json" <<'X'
{
  "teams": {"support": {"lead": "lead", "agents": ["sue"]},
            "tier2": {"lead": "boss", "agents": ["ann", "bob"],
                      "strategy": "fewest_open"}},
  "policies": [
    {"name": "standard",
     "targets": {"first_reply": "2h", "resolution": "8h"},
     "escalations": [
       {"name": "notify", "after": "0m", "action": "notify", "to": "lead"},
       {"name": "tier2", "target": "resolution", "after": "0m",
        "action": "reassign", "team": "tier2"}]}
  ]
}
X
P=(--policies "$T/sla.json")
{
	echo "external_id,subject,description,priority,team,created_at"
	for i in $(seq 1 300); do
		echo "x$i,t$i,about $i,normal,support,2026-11-23T08:00:00Z"
	done
} >"$T/t.csv"
CRM_NOW=2026-11-23T08:00:00Z
export CRM_NOW
expect_code 0 crm-ticket import -q "${P[@]}" "$T/t.csv"

# ticket 260 (the second chunk): its escalation activity refused
refuse INSERT activities "NEW.ticket_id = 260"
CRM_NOW=2026-11-23T17:00:00Z
db_dump "$CRM_DB" "$T/before"
run crm-ticket sla "${P[@]}" --escalate
# (SQLite's RAISE(ABORT) is a constraint, 65; PL/pgSQL's RAISE EXCEPTION
# is not, 70)
check "refused: the run fails" [ "$rc" -eq 65 -o "$rc" -eq 70 ]
err_has "refused by a trigger"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused: nothing written"

unrefuse activities
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "600 escalations applied"
sql "SELECT count(*), count(DISTINCT ticket_id), min(ticket_id),
  max(ticket_id) FROM activities WHERE type = 'escalation' UNION ALL
  SELECT count(*), count(DISTINCT ticket_id), min(ticket_id),
  max(ticket_id) FROM ticket_escalations UNION ALL
  SELECT count(*), count(DISTINCT record_id), min(record_id),
  max(record_id) FROM crm_audit"
cat >"$T/want" <<'X'
600|300|1|300
600|300|1|300
300|300|1|300
X
compare "$T/want" "$T/sql" "every ticket of both chunks escalated"
# each ticket's row as read from its chunk: its own subject and
# description in the update's before image and on the ticket
sql "SELECT t.id, t.subject, t.description, t.assignee, t.team
  FROM tickets t WHERE t.id IN (1, 256, 257, 260, 300) ORDER BY t.id"
cat >"$T/want" <<'X'
1|t1|about 1|ann|tier2
256|t256|about 256|bob|tier2
257|t257|about 257|ann|tier2
260|t260|about 260|bob|tier2
300|t300|about 300|bob|tier2
X
compare "$T/want" "$T/sql" "tickets either side of a chunk"
sql "SELECT count(*) FROM crm_audit a JOIN tickets t ON t.id = a.record_id
  WHERE json_extract(a.before, '$.subject') = t.subject
  AND json_extract(a.before, '$.description') = t.description"
echo 300 >"$T/want"
compare "$T/want" "$T/sql" "each before image is its own ticket's row"
done_testing
