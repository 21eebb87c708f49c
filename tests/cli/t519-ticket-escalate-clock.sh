#!/bin/bash
# crm-ticket sla --escalate recomputes each changed ticket's clock from
# its status history (a pause moves the due times) and its replies (the
# last agent reply starts the wait for the customer's next message): the
# run reads both for a chunk of tickets at once, and again one at a time
# for a ticket whose status it changes. Calendar time, so the due times
# below are plain sums.
. "$(dirname "$0")/../lib.sh"
cat >"$T/sla.json" <<'X'
{
  "pause_statuses": ["pending"],
  "teams": {"support": {"lead": "lead", "agents": ["sue"]},
            "tier2": {"lead": "boss", "agents": ["ann"]}},
  "policies": [
    {"name": "standard",
     "targets": {"first_reply": "1h", "next_reply": "2h", "resolution": "10h"},
     "escalations": [
       {"name": "notify", "after": "0m", "action": "notify", "to": "lead"},
       {"name": "raise", "after": "0m", "action": "raise_priority"},
       {"name": "tier2", "target": "resolution", "after": "0m",
        "action": "reassign", "team": "tier2"}]}
  ]
}
X
P=(--policies "$T/sla.json")
at() { CRM_NOW=$1; export CRM_NOW; }
# 1: paused 09:00-11:00 (resolution 08:00 + 10h + 2h = 20:00); agent
# replies 08:30 and 11:30, the customer's 12:00 after the last (next
# reply due 14:00); 2: no reply, no pause (resolution 18:00); 3: a reply
# at 08:30 and the customer's at 09:30 (next reply due 11:30)
at 2026-11-23T08:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject one --team support
expect_code 0 crm-ticket open -q "${P[@]}" --subject two --team support
expect_code 0 crm-ticket open -q "${P[@]}" --subject three --team support
at 2026-11-23T08:30:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 1 3 --body first
at 2026-11-23T09:00:00Z
expect_code 0 crm-ticket pending -q "${P[@]}" 1
at 2026-11-23T09:30:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 3 --customer --body why
at 2026-11-23T11:00:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 1 --customer --body back
at 2026-11-23T11:30:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 1 --body second
at 2026-11-23T12:00:00Z
expect_code 0 crm-ticket reply -q "${P[@]}" 1 --customer --body third
at 2026-11-23T21:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "9 escalations applied"
run crm-ticket list -f csv --fields id,status,priority,team,first_response_at,awaiting_since,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
expect_out "the tickets after the run" <<'X'
id,status,priority,team,first_response_at,awaiting_since,next_reply_due,resolution_due,first_reply_breached,next_reply_breached,resolution_breached
1,open,high,tier2,2026-11-23T08:30:00Z,2026-11-23T12:00:00Z,2026-11-23T14:00:00Z,2026-11-23T20:00:00Z,false,true,true
2,open,high,tier2,,,,2026-11-23T18:00:00Z,true,false,true
3,open,high,tier2,2026-11-23T08:30:00Z,2026-11-23T09:30:00Z,2026-11-23T11:30:00Z,2026-11-23T18:00:00Z,false,true,true
X
sql "SELECT record_id, after FROM crm_audit a JOIN crm_changes c ON
  c.id = a.change_id WHERE c.command = 'sla --escalate' ORDER BY a.id"
cat >"$T/want" <<'X'
1|{"next_reply_breached":"1","priority":"high","resolution_breached":"1"}
1|{"assignee":"ann","team":"tier2"}
2|{"first_reply_breached":"1","priority":"high","resolution_breached":"1"}
2|{"assignee":"ann","status":"open","team":"tier2"}
3|{"next_reply_breached":"1","priority":"high","resolution_breached":"1"}
3|{"assignee":"ann","team":"tier2"}
X
compare "$T/want" "$T/sql" "the undo rows of the run"
# a level that changes the status (reassigned: new -> open, here a
# pausing status) and then one more level: the second reads the history
# the first wrote (the pause from 21:00 leaves no resolution due time)
cat >"$T/sla2.json" <<'X'
{
  "pause_statuses": ["pending", "open"],
  "teams": {"support": {"lead": "lead", "agents": ["sue"]},
            "tier2": {"lead": "boss", "agents": ["ann"]}},
  "policies": [
    {"name": "paused",
     "targets": {"first_reply": "1h", "resolution": "20h"},
     "escalations": [
       {"name": "tier2", "target": "first_reply", "after": "0m",
        "action": "reassign", "team": "tier2"},
       {"name": "raise", "after": "0m", "action": "raise_priority"}]}
  ]
}
X
P=(--policies "$T/sla2.json")
at 2026-11-23T08:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject four --team support
at 2026-11-23T21:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate --where id=4
err_has "2 escalations applied"
run crm-ticket list -f csv --fields id,status,priority,team,first_reply_due,resolution_due,first_reply_breached,resolution_breached --where id=4
expect_out "a status the run wrote, read by its next level" <<'X'
id,status,priority,team,first_reply_due,resolution_due,first_reply_breached,resolution_breached
4,open,high,tier2,2026-11-23T09:00:00Z,,true,false
X
done_testing
