#!/bin/bash
# crm-ticket sla --escalate holding a chunk's activities, undo rows and
# last_activity_at touches for a few statements (both engines): a run
# whose levels only notify on tickets already flagged breached changes
# no field but last_activity_at, which only the chunk's touch writes;
# the touch never moves a later time back; in a database without
# activities the run's first activity is inserted before its first
# change (SQLite: the order of sqlite_sequence's rows, as one at a time);
# each kind of level's subject and body.
. "$(dirname "$0")/../lib.sh"
cat >"$T/sla.json" <<'X'
{
  "teams": {"support": {"lead": "lead", "agents": ["sue"]}},
  "policies": [
    {"name": "top", "when": {"priority": "urgent"},
     "targets": {"first_reply": "1h", "resolution": "2h"},
     "escalations": [
       {"name": "up", "after": "0m", "action": "raise_priority"},
       {"name": "away", "target": "resolution", "after": "0m",
        "action": "reassign", "team": "support"}]},
    {"name": "standard",
     "targets": {"first_reply": "2h", "resolution": "8h"},
     "escalations": [
       {"name": "early", "target": "first_reply", "after": "0m",
        "action": "notify", "to": "lead"},
       {"name": "late", "target": "first_reply", "after": "3h",
        "action": "notify", "to": "lead"}]}
  ]
}
X
P=(--policies "$T/sla.json")
# 300 tickets: the chunk of 256 ends inside the run
{
	echo "external_id,subject,priority,team,created_at"
	for i in $(seq 1 300); do
		echo "x$i,t$i,normal,support,2026-11-23T08:00:00Z"
	done
} >"$T/t.csv"
CRM_NOW=2026-11-23T08:00:00Z
export CRM_NOW
expect_code 0 crm-ticket import -q "${P[@]}" "$T/t.csv"

# first run, 11:00: "early" on each ticket, which also sets the breach
# flags (an UPDATE a ticket)
CRM_NOW=2026-11-23T11:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "300 escalations applied"
if [ "${CRM_TEST_ENGINE:-sqlite}" = sqlite ]; then
	sql "SELECT name FROM sqlite_sequence ORDER BY rowid"
	printf 'tickets\nactivities\ncrm_changes\n' >"$T/want"
	compare "$T/want" "$T/sql" "the first activity before the first change"
else
	# no sqlite_sequence: the run's 300 activities and its one change set
	sql "SELECT (SELECT count(*) FROM activities) || ' ' || (SELECT count(*) FROM crm_changes)"
	check "300 activities, one change set" test "$(cat "$T/sql")" = "300 1"
fi
# ticket 7 had an activity after the second run's time
sql "UPDATE tickets SET last_activity_at = '2026-11-24T09:00:00Z' WHERE id = 7" ||
	not_ok "set last_activity_at"
sql "SELECT count(*) FROM crm_audit"
echo 300 >"$T/want"
compare "$T/want" "$T/sql" "one undo row a ticket"

# second run, 13:30: "late" notifies, no field changes but the touch
CRM_NOW=2026-11-23T13:30:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "300 escalations applied"
sql "SELECT last_activity_at, count(*), min(id), max(id) FROM tickets
  GROUP BY 1 ORDER BY 1"
cat >"$T/want" <<'X'
2026-11-23T13:30:00Z|299|1|300
2026-11-24T09:00:00Z|1|7|7
X
compare "$T/want" "$T/sql" "last_activity_at: the second run's, never back"
sql "SELECT count(*), min(id), max(id), count(DISTINCT ticket_id) FROM
  activities WHERE body LIKE 'late %'"
echo "300|301|600|300" >"$T/want"
compare "$T/want" "$T/sql" "the second run's activities"
sql "SELECT count(*) FROM crm_audit"
echo 300 >"$T/want"
compare "$T/want" "$T/sql" "no undo row where nothing but the touch changed"

# an urgent ticket: raised no further, then reassigned in its team
CRM_NOW=2026-11-23T14:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject hot --priority urgent
CRM_NOW=2026-11-23T17:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "2 escalations applied"
sql "SELECT id, ticket_id, subject, body, coalesce(owner, '-') FROM activities
  WHERE id > 600 OR id IN (1, 301) ORDER BY id"
cat >"$T/want" <<'X'
1|1|SLA first_reply breached: notify lead|early first_reply was due 2026-11-23T10:00:00Z|lead
301|1|SLA first_reply breached: notify lead|late first_reply was due 2026-11-23T10:00:00Z|lead
601|301|SLA first_reply breached: priority already urgent|up first_reply was due 2026-11-23T15:00:00Z|-
602|301|SLA resolution breached: reassigned to sue in team support|away resolution was due 2026-11-23T16:00:00Z|sue
X
compare "$T/want" "$T/sql" "each kind of level's subject and body"
done_testing
