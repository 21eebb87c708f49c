#!/bin/bash
# A write command writes its records to stdout before it commits: when
# stdout fails (a full disk) it rolls back and exits 74, so a cron retry
# cannot create a second ticket, task or escalation; the write error is
# said once. And sla --escalate at the same time twice applies nothing the
# second time, even when a level moved the ticket to another policy.
. "$(dirname "$0")/../lib.sh"

ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z
crm-company import -q "$ex/companies.csv" || not_ok "set-up: companies"
crm-contact import -q "$ex/contacts.csv" || not_ok "set-up: contacts"
crm-lead import -q "$ex/leads.csv" || not_ok "set-up: leads"
crm-pipeline import -q "$ex/deals.csv" || not_ok "set-up: deals"
crm-ticket import -q "$ex/tickets.csv" || not_ok "set-up: tickets"
crm-activity import -q "$ex/activities.ndjson" || not_ok "set-up: activities"
printf 'first_name,email\nZoe,zoe@new.example\n' >"$T/new.csv"

COMMANDS=(
	"crm-contact add --first-name Ann --email ann@x.example"
	"crm-company add --name Newco"
	"crm-ticket open --subject Broken --contact ssato@ginga-shoji.jp"
	"crm-activity log --type task --subject call --due 2026-11-24"
	"crm-lead add --first-name Lee --email lee@leads.example"
	"crm-lead assign"
	"crm-lead reclaim --idle 7d"
	"crm-lead convert web-2"
	"crm-ticket sla --escalate"
	"crm-pipeline stale --create-tasks"
	"crm-contact import --emit $T/new.csv"
	"crm-score leads"
)
if [ -w /dev/full ]; then
	for c in "${COMMANDS[@]}"; do
		read -ra cmd <<<"$c"
		db_dump "$CRM_DB" "$T/before"
		"${cmd[@]}" >/dev/full 2>"$T/err"
		rc=$?
		check "$c > /dev/full: exit 74 (got $rc)" [ "$rc" -eq 74 ]
		db_dump "$CRM_DB" "$T/after"
		compare "$T/before" "$T/after" "$c > /dev/full: nothing written"
		n=$(grep -c 'write error' "$T/err")
		check "$c > /dev/full: the write error said once (said $n times)" [ "$n" -eq 1 ]
	done
	# and the same commands succeed when stdout works (so the test above
	# fails for the right reason)
	expect_code 0 crm-contact add --first-name Ann --email ann@x.example
	expect_code 0 crm-ticket open --subject Broken --contact ssato@ginga-shoji.jp
	expect_code 1 crm-pipeline stale --create-tasks
else
	not_ok "/dev/full is not writable here"
fi

# sla --escalate twice at the same time: the second run applies nothing,
# also when a level raised the priority into another policy.
cat >"$T/sla.json" <<'X'
{
  "policies": [
    {"name": "fast", "when": {"priority": "urgent"},
     "targets": {"first_reply": "1h"},
     "escalations": [{"name": "page", "action": "notify", "to": "oncall"}]},
    {"name": "normal",
     "targets": {"first_reply": "2h"},
     "escalations": [{"name": "raise", "action": "raise_priority"}]}
  ]
}
X
P=(--policies "$T/sla.json")
export CRM_DB="$T/sla.db"
export CRM_NOW=2026-11-23T09:00:00Z
expect_code 0 crm-ticket open -q "${P[@]}" --subject one --priority high
export CRM_NOW=2026-11-23T12:00:00Z
expect_code 1 crm-ticket sla "${P[@]}" --escalate --ids
err_has "2 escalations applied"
expect_code 1 crm-ticket sla "${P[@]}" --escalate --ids
err_has "0 escalations applied"
sql "SELECT ticket_id, policy, level, target, action FROM ticket_escalations ORDER BY applied_at, policy"
cat >"$T/want" <<'X'
1|fast|page|first_reply|notify
1|normal|raise|first_reply|raise_priority
X
compare "$T/want" "$T/sql" "raise moved the ticket to 'fast', whose level applied in the same run"
expect_code 0 crm-ticket list -f csv --fields id,priority,sla_policy
expect_out "the ticket is urgent under 'fast'" <<'X'
id,priority,sla_policy
1,urgent,fast
X
done_testing
