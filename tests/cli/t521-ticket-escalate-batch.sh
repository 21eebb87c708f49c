#!/bin/bash
# crm-ticket sla --escalate writing a run's rows in batches (on
# PostgreSQL the escalation activities and the undo rows 128 to a
# statement, the tickets' UPDATEs merged a ticket and 128 tickets' to a
# statement, their last_activity_at one statement a chunk of 256):
# 300 tickets, a third of them escalating four levels in one run, so the
# batches and chunks end mid-ticket. The activities' ids follow the
# levels' order, the undo rows each ticket's updates in order (each
# before image what the level before left), last_activity_at moves only
# forward, a dry run and a second run write nothing.
. "$(dirname "$0")/../lib.sh"
P=(--policies "$DATA/sla-escalate.json")
# every third ticket high (1, 4, ...): raised to urgent, it then takes
# the urgent policy's two levels (four in all), the last one assigning
# it to ann by name, before the first pick of a tier2 agent (ticket 2)
# counts her tickets; the others three
{
	echo "external_id,subject,priority,team,created_at"
	for i in $(seq 1 300); do
		p=normal
		[ $((i % 3)) = 1 ] && p=high
		echo "x$i,t$i,$p,support,2026-11-23T08:00:00Z"
	done
} >"$T/t.csv"
CRM_NOW=2026-11-23T08:00:00Z
export CRM_NOW
expect_code 0 crm-ticket import -q "${P[@]}" "$T/t.csv"
# ticket 150 had an activity after the run's time: it keeps that one
sql "UPDATE tickets SET last_activity_at = '2026-11-24T09:00:00Z' WHERE id = 150" ||
	not_ok "set last_activity_at"

CRM_NOW=2026-11-23T17:00:00Z
db_save before
expect_code 1 crm-ticket sla "${P[@]}" --escalate --dry-run
check "a dry run writes nothing" db_same before
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "1000 escalations applied"
db_save once
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "0 escalations applied"
check "a second run at the same time writes nothing" db_same once

# the activities: ids 1..1000 without a gap, in the order of the tickets
# and of each ticket's levels
for i in $(seq 1 300); do
	echo "$i|notify first_reply was due 2026-11-23T10:00:00Z"
	echo "$i|raise first_reply was due 2026-11-23T10:00:00Z"
	if [ $((i % 3)) = 1 ]; then
		echo "$i|page first_reply was due 2026-11-23T09:00:00Z"
		echo "$i|up resolution was due 2026-11-23T12:00:00Z"
	else
		echo "$i|tier2 resolution was due 2026-11-23T16:00:00Z"
	fi
done | awk '{ print NR "|" $0 }' >"$T/want"
sql "SELECT id, ticket_id, body FROM activities ORDER BY id"
compare "$T/want" "$T/sql" "activities: ids in the levels' order"
sql "SELECT id, ticket_id, subject, owner FROM activities WHERE id BETWEEN
  127 AND 130 ORDER BY id"
cat >"$T/want" <<'X'
127|38|SLA resolution breached: reassigned to bob in team tier2|bob
128|39|SLA first_reply breached: notify lead|lead
129|39|SLA first_reply breached: priority normal -> high|
130|39|SLA resolution breached: reassigned to ann in team tier2|ann
X
compare "$T/want" "$T/sql" "activities either side of a batch"

# the undo rows: two a ticket (raise, then the reassignment), in ticket
# order, the second's before image the first's result
sql "SELECT count(*), count(DISTINCT record_id), min(id), max(id) FROM
  crm_audit UNION ALL SELECT count(*), 0, 0, 0 FROM crm_audit a JOIN
  crm_audit b ON b.id = a.id + 1 WHERE b.record_id < a.record_id"
cat >"$T/want" <<'X'
600|300|1|600
0|0|0|0
X
compare "$T/want" "$T/sql" "undo rows: two a ticket, in order"
sql "SELECT a.id, a.record_id, json_extract(a.before, '$.priority'),
  json_extract(a.before, '$.sla_policy'), json_extract(a.before,
  '$.team'), json_extract(a.before, '$.last_activity_at'), a.after FROM
  crm_audit a WHERE a.id BETWEEN 127 AND 130 OR a.record_id IN (150, 256)
  ORDER BY a.id"
cat >"$T/want" <<'X'
127|64|high|standard|support|2026-11-23T17:00:00Z|{"first_reply_breached":"1","first_reply_due":"2026-11-23T09:00:00Z","priority":"urgent","resolution_breached":"1","resolution_due":"2026-11-23T12:00:00Z","sla_policy":"urgent"}
128|64|urgent|urgent|support|2026-11-23T17:00:00Z|{"assignee":"ann","status":"open"}
129|65|normal|standard|support|2026-11-23T17:00:00Z|{"first_reply_breached":"1","priority":"high","resolution_breached":"1"}
130|65|high|standard|support|2026-11-23T17:00:00Z|{"assignee":"bob","status":"open","team":"tier2"}
299|150|normal|standard|support|2026-11-24T09:00:00Z|{"first_reply_breached":"1","priority":"high","resolution_breached":"1"}
300|150|high|standard|support|2026-11-24T09:00:00Z|{"assignee":"bob","status":"open","team":"tier2"}
511|256|high|standard|support|2026-11-23T17:00:00Z|{"first_reply_breached":"1","first_reply_due":"2026-11-23T09:00:00Z","priority":"urgent","resolution_breached":"1","resolution_due":"2026-11-23T12:00:00Z","sla_policy":"urgent"}
512|256|urgent|urgent|support|2026-11-23T17:00:00Z|{"assignee":"ann","status":"open"}
X
compare "$T/want" "$T/sql" "undo rows' images either side of a batch"

# the tickets as their levels left them (on PostgreSQL a ticket's
# UPDATEs merged into one, 128 tickets' to a statement per set of fields)
sql "SELECT priority, sla_policy, status, team, assignee,
  first_reply_breached, resolution_breached, updated_at, count(*) FROM
  tickets GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5"
cat >"$T/want" <<'X'
high|standard|open|tier2|ann|1|1|2026-11-23T17:00:00Z|50
high|standard|open|tier2|bob|1|1|2026-11-23T17:00:00Z|150
urgent|urgent|open|support|ann|1|1|2026-11-23T17:00:00Z|100
X
compare "$T/want" "$T/sql" "tickets: what their levels wrote"
sql "SELECT id, priority, sla_policy, assignee, first_reply_due,
  resolution_due FROM tickets WHERE id IN (127, 128, 129, 130, 255, 256,
  257, 258) ORDER BY id"
cat >"$T/want" <<'X'
127|urgent|urgent|ann|2026-11-23T09:00:00Z|2026-11-23T12:00:00Z
128|high|standard|bob|2026-11-23T10:00:00Z|2026-11-23T16:00:00Z
129|high|standard|ann|2026-11-23T10:00:00Z|2026-11-23T16:00:00Z
130|urgent|urgent|ann|2026-11-23T09:00:00Z|2026-11-23T12:00:00Z
255|high|standard|ann|2026-11-23T10:00:00Z|2026-11-23T16:00:00Z
256|urgent|urgent|ann|2026-11-23T09:00:00Z|2026-11-23T12:00:00Z
257|high|standard|bob|2026-11-23T10:00:00Z|2026-11-23T16:00:00Z
258|high|standard|bob|2026-11-23T10:00:00Z|2026-11-23T16:00:00Z
X
compare "$T/want" "$T/sql" "tickets either side of a batch and of a chunk"

sql "SELECT last_activity_at, count(*), min(id), max(id) FROM tickets
  GROUP BY 1 ORDER BY 1"
cat >"$T/want" <<'X'
2026-11-23T17:00:00Z|299|1|300
2026-11-24T09:00:00Z|1|150|150
X
compare "$T/want" "$T/sql" "last_activity_at: the run's time, never back"
done_testing
