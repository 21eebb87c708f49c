#!/bin/bash
# crm-ticket sla --escalate reads the tickets a page at a time and applies
# each page's levels before it reads the next, so its memory stays flat
# (CRM_TEST_PAGE sets the page; 65,536 tickets otherwise). Paged
# runs (pages of 1 and 7 tickets) print the same list, apply the same
# levels and leave the same database as a run in one page: all tickets,
# --limit (the last page cut short), --where, and a second run; a run
# refused in its last page writes nothing, its earlier pages' levels
# included.
. "$(dirname "$0")/../lib.sh"
# t521's policies, tier2 capped at 20 open tickets an agent
sed 's/"strategy": "fewest_open"}}/"strategy": "fewest_open", "cap": 20}}/' \
	"$DATA/sla-escalate.json" >"$T/sla.json"
grep -q '"cap": 20' "$T/sla.json" || not_ok "the cap set"
P=(--policies "$T/sla.json")
# every third ticket high (raised to urgent, then the urgent levels in the
# same run); every fifth answered (its first reply met); every seventh
# solved (not scanned for breaches); tier2's cap leaves later tickets
# unassigned, so a page's picks count the pages' before it
{
	echo "external_id,subject,priority,team,status,first_response_at,created_at"
	for i in $(seq 1 120); do
		p=normal s=new r=
		[ $((i % 3)) = 1 ] && p=high
		[ $((i % 5)) = 0 ] && r=2026-11-23T08:30:00Z
		[ $((i % 7)) = 0 ] && s=solved
		echo "x$i,t$i,$p,support,$s,$r,2026-11-23T08:00:00Z"
	done
} >"$T/t.csv"
CRM_NOW=2026-11-23T08:00:00Z
export CRM_NOW
expect_code 0 crm-ticket import -q "${P[@]}" "$T/t.csv"
CRM_NOW=2026-11-23T17:00:00Z
db_save before

# escalate NAME [ARGS...]: a run from the saved database (exit 1: a
# ticket breached), kept as NAME
escalate() {
	local name=$1
	shift
	db_restore before
	expect_code 1 crm-ticket sla "${P[@]}" --escalate -f csv "$@"
	kept "$name"
}

in_pages escalate whole 7 1
check "the run escalated" grep -q "escalations applied" "$T/whole.err"
sql "SELECT count(*) FROM activities"
check "levels applied to the tickets" [ "$(cat "$T/sql")" -gt 100 ]
sql "SELECT count(*) FROM tickets WHERE team = 'tier2' AND assignee IS NULL"
check "tier2's cap reached: some reassigned tickets wait" [ "$(cat "$T/sql")" -gt 0 ]

# pages of 7 (the last cut to 1) and of 10 (a page that ends it)
in_pages escalate lim 7 10 -- --limit 50
sql "SELECT max(ticket_id) FROM activities"
check "--limit 50: only the first 50 tickets escalated" [ "$(cat "$T/sql")" -le 50 ]
in_pages escalate high 7 -- --where priority=high

# a second run after a paged one writes nothing more
CRM_TEST_PAGE=7 escalate again
db_save after
CRM_TEST_PAGE=7 expect_code 1 crm-ticket sla "${P[@]}" --escalate
err_has "0 escalations applied"
check "a second paged run writes nothing" db_same after

# refused in the last page (ticket 118): nothing written, the earlier
# pages' levels included
db_restore before
refuse INSERT activities "NEW.ticket_id = 118"
CRM_TEST_PAGE=7 refused_run crm-ticket sla "${P[@]}" --escalate
done_testing
