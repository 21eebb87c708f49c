#!/bin/bash
# crm-ticket sla --escalate over many tickets in one run (more than one
# chunk of 256): which tickets get which levels, the agent each tier2
# reassignment picks (fewest open, counted through the run), the undo
# log's rows, a raised priority moving a ticket to the urgent policy in
# the same run, and a second run at the same time applying nothing.
. "$(dirname "$0")/../lib.sh"
cat >"$T/sla.json" <<'X'
{
  "teams": {
    "support": {"lead": "lead", "agents": ["sue"]},
    "tier2": {"lead": "boss", "agents": ["ann", "bob", "cid"],
              "strategy": "fewest_open"}
  },
  "policies": [
    {"name": "urgent", "when": {"priority": "urgent"},
     "targets": {"first_reply": "1h", "resolution": "4h"},
     "escalations": [
       {"name": "page", "after": "0m", "action": "notify", "to": "lead"},
       {"name": "up", "target": "resolution", "after": "1h",
        "action": "reassign", "team": "tier2"}]},
    {"name": "standard",
     "targets": {"first_reply": "2h", "resolution": "8h"},
     "escalations": [
       {"name": "notify", "after": "0m", "action": "notify", "to": "lead"},
       {"name": "raise", "target": "first_reply", "after": "2h",
        "action": "raise_priority"},
       {"name": "tier2", "target": "resolution", "after": "0m",
        "action": "reassign", "team": "tier2"}]}
  ]
}
X
P=(--policies "$T/sla.json")
# 300 tickets at 08:00; every 10th solved, every 7th high, every 11th
# urgent; ann already holds two open tickets, bob one
{
	echo "external_id,subject,priority,status,team,assignee,created_at"
	for i in $(seq 1 300); do
		p=normal s=new a=
		[ $((i % 7)) = 0 ] && p=high
		[ $((i % 11)) = 0 ] && p=urgent
		[ $((i % 10)) = 0 ] && s=solved
		case $i in 1 | 2) a=ann ;; 3) a=bob ;; esac
		echo "x$i,t$i,$p,$s,support,$a,2026-11-23T08:00:00Z"
	done
} >"$T/t.csv"
CRM_NOW=2026-11-23T08:00:00Z
export CRM_NOW
expect_code 0 crm-ticket import -q "${P[@]}" "$T/t.csv"
# the history rows of the import (on PostgreSQL written 128 to a
# statement), one of each a ticket, in ticket order
sql "SELECT count(*), count(DISTINCT ticket_id), max(ticket_id) FROM
  ticket_status_history UNION ALL SELECT count(*), count(DISTINCT
  ticket_id), max(ticket_id) FROM ticket_assignee_history UNION ALL
  SELECT count(*), 0, 0 FROM ticket_status_history a JOIN
  ticket_status_history b ON a.id < b.id AND a.ticket_id > b.ticket_id"
cat >"$T/want" <<'X'
300|300|300
300|300|300
0|0|0
X
compare "$T/want" "$T/sql" "import: a status and an assignee history row a ticket"
sql "SELECT ticket_id, coalesce(from_status, '-'), to_status, at FROM
  ticket_status_history WHERE ticket_id IN (1, 10, 128, 129, 300) ORDER BY id"
cat >"$T/want" <<'X'
1|-|new|2026-11-23T08:00:00Z
10|-|solved|2026-11-23T08:00:00Z
128|-|new|2026-11-23T08:00:00Z
129|-|new|2026-11-23T08:00:00Z
300|-|solved|2026-11-23T08:00:00Z
X
compare "$T/want" "$T/sql" "import: status history rows"

# 11:00: every open first reply is late (standard 10:00, urgent 09:00):
# notify all 270 open tickets; raise nobody yet; urgent "up" wants the
# resolution target (12:00), not yet due
CRM_NOW=2026-11-23T11:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "270 escalations applied"
# 17:00: standard first reply 2h past: raise (a high one becomes urgent,
# whose levels then apply); resolution 16:00 past: tier2. Urgent
# resolution 12:00 + 1h past: tier2
CRM_NOW=2026-11-23T17:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "550 escalations applied"
db_save once
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "0 escalations applied"
check "a second run at the same time writes nothing" db_same once

sql "SELECT policy, level, target, action, applied_at, count(*) FROM
  ticket_escalations GROUP BY policy, level, target, action, applied_at
  ORDER BY 1, 2, 5"
cat >"$T/want" <<'X'
standard|notify|first_reply|notify|2026-11-23T11:00:00Z|245
standard|raise|first_reply|raise_priority|2026-11-23T17:00:00Z|245
standard|tier2|resolution|reassign|2026-11-23T17:00:00Z|210
urgent|page|first_reply|notify|2026-11-23T11:00:00Z|25
urgent|page|first_reply|notify|2026-11-23T17:00:00Z|35
urgent|up|resolution|reassign|2026-11-23T17:00:00Z|60
X
compare "$T/want" "$T/sql" "levels by policy, level and time"
sql "SELECT ticket_id, policy, level, target FROM ticket_escalations
  WHERE ticket_id IN (1, 7, 10, 11, 14, 77, 255, 256, 257, 259, 294, 300)
  ORDER BY 1, applied_at, 2, 3"
cat >"$T/want" <<'X'
1|standard|notify|first_reply
1|standard|raise|first_reply
1|standard|tier2|resolution
7|standard|notify|first_reply
7|standard|raise|first_reply
7|urgent|page|first_reply
7|urgent|up|resolution
11|urgent|page|first_reply
11|urgent|up|resolution
14|standard|notify|first_reply
14|standard|raise|first_reply
14|urgent|page|first_reply
14|urgent|up|resolution
77|urgent|page|first_reply
77|urgent|up|resolution
255|standard|notify|first_reply
255|standard|raise|first_reply
255|standard|tier2|resolution
256|standard|notify|first_reply
256|standard|raise|first_reply
256|standard|tier2|resolution
257|standard|notify|first_reply
257|standard|raise|first_reply
257|standard|tier2|resolution
259|standard|notify|first_reply
259|standard|raise|first_reply
259|urgent|page|first_reply
259|urgent|up|resolution
294|standard|notify|first_reply
294|standard|raise|first_reply
294|urgent|page|first_reply
294|urgent|up|resolution
X
compare "$T/want" "$T/sql" "levels of some tickets, either side of a chunk"
sql "SELECT ifnull(assignee, '-'), team, priority, status, count(*)
  FROM tickets GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
cat >"$T/want" <<'X'
-|support|high|solved|4
-|support|normal|solved|24
-|support|urgent|solved|2
ann|tier2|high|open|70
ann|tier2|urgent|open|20
bob|tier2|high|open|70
bob|tier2|urgent|open|20
cid|tier2|high|open|70
cid|tier2|urgent|open|20
X
compare "$T/want" "$T/sql" "tier2 reassignments spread by fewest open"
sql "SELECT id, assignee FROM tickets WHERE team = 'tier2' AND id < 40
  ORDER BY id"
cat >"$T/want" <<'X'
1|cid
2|ann
3|ann
4|bob
5|bob
6|cid
7|ann
8|bob
9|cid
11|ann
12|bob
13|cid
14|ann
15|bob
16|cid
17|ann
18|bob
19|cid
21|ann
22|bob
23|cid
24|ann
25|bob
26|cid
27|ann
28|bob
29|cid
31|ann
32|bob
33|cid
34|ann
35|bob
36|cid
37|ann
38|bob
39|cid
X
compare "$T/want" "$T/sql" "the agent each reassignment picked"
sql "SELECT c.command, a.action, a.after, count(*) FROM crm_audit a
  JOIN crm_changes c ON c.id = a.change_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
cat >"$T/want" <<'X'
sla --escalate|update|{"assignee":"ann","resolution_breached":"1","status":"open","team":"tier2"}|9
sla --escalate|update|{"assignee":"ann","status":"open","team":"tier2"}|79
sla --escalate|update|{"assignee":"ann","team":"tier2"}|1
sla --escalate|update|{"assignee":"bob","resolution_breached":"1","status":"open","team":"tier2"}|8
sla --escalate|update|{"assignee":"bob","status":"open","team":"tier2"}|82
sla --escalate|update|{"assignee":"cid","resolution_breached":"1","status":"open","team":"tier2"}|8
sla --escalate|update|{"assignee":"cid","status":"open","team":"tier2"}|81
sla --escalate|update|{"assignee":"cid","team":"tier2"}|1
sla --escalate|update|{"first_reply_breached":"1","status":"open"}|3
sla --escalate|update|{"first_reply_breached":"1"}|267
sla --escalate|update|{"first_reply_due":"2026-11-23T09:00:00Z","priority":"urgent","resolution_breached":"1","resolution_due":"2026-11-23T12:00:00Z","sla_policy":"urgent"}|35
sla --escalate|update|{"priority":"high","resolution_breached":"1"}|210
sla --escalate|update|{"team":"tier2"}|1
X
compare "$T/want" "$T/sql" "undo log: one row per level that changed a ticket"
sql "SELECT count(*), count(DISTINCT ticket_id) FROM activities
  WHERE type = 'escalation' UNION ALL SELECT count(*), 0 FROM crm_changes
  WHERE command = 'sla --escalate'"
cat >"$T/want" <<'X'
820|270
2|0
X
compare "$T/want" "$T/sql" "one activity per level, one change set per run"
# last_activity_at: each level's activity brings the ticket to the run's
# time (one touch a ticket and run: the later levels' would change
# nothing), and the undo row of a level's change shows it already there
sql "SELECT ifnull(last_activity_at, '-'), count(*) FROM tickets GROUP BY 1
  ORDER BY 1"
cat >"$T/want" <<'X'
-|30
2026-11-23T17:00:00Z|270
X
compare "$T/want" "$T/sql" "last_activity_at at the last run's time"
sql "SELECT c.at, ifnull(json_extract(a.before, '$.last_activity_at'), '-'),
  count(*) FROM crm_audit a JOIN crm_changes c ON c.id = a.change_id
  WHERE c.command = 'sla --escalate' GROUP BY 1, 2 ORDER BY 1, 2"
cat >"$T/want" <<'X'
2026-11-23T11:00:00Z|2026-11-23T11:00:00Z|270
2026-11-23T17:00:00Z|2026-11-23T17:00:00Z|515
X
compare "$T/want" "$T/sql" "undo rows: the ticket as the activity's touch left it"
# the history rows of the runs' changes (on PostgreSQL held and written
# 128 to a statement), in ticket order within a run
sql "SELECT 'assignee', at, count(*), count(DISTINCT ticket_id) FROM
  ticket_assignee_history GROUP BY at UNION ALL SELECT 'status', at,
  count(*), count(DISTINCT ticket_id) FROM ticket_status_history GROUP BY
  at UNION ALL SELECT 'misordered', '-', count(*), 0 FROM
  ticket_assignee_history a JOIN ticket_assignee_history b ON a.id < b.id
  AND a.ticket_id > b.ticket_id AND a.at = b.at ORDER BY 1, 2"
cat >"$T/want" <<'X'
assignee|2026-11-23T08:00:00Z|300|300
assignee|2026-11-23T17:00:00Z|270|270
misordered|-|0|0
status|2026-11-23T08:00:00Z|300|300
status|2026-11-23T11:00:00Z|3|3
status|2026-11-23T17:00:00Z|267|267
X
compare "$T/want" "$T/sql" "history rows of the escalations"
done_testing
