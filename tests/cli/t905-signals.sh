#!/bin/bash
# SIGINT and SIGTERM during long writes (imports of every entity, bulk
# update, delete, tag, undo, crm-contract import and reconcile --apply) roll back, say so and exit 130; the database is
# as before. (t104 covers contact import; t103 a closed pipe.) Each command
# runs once to the end to time it, then is interrupted a third of the way.
. "$(dirname "$0")/../lib.sh"

# "name|command" (split at spaces; inputs in $T); add every writer
COMMANDS=(
	"contact import (updates)|crm-contact import -q $T/upd.csv"
	"contact bulk update|crm-contact update -q -w id>0 --set owner=zed"
	"contact bulk delete|crm-contact delete -q -w id>0"
	"contact bulk tag|crm-contact tag add -q vip2 -w id>0"
	"contact undo|crm-contact undo -q 1"
	"company import|crm-company import -q $T/co.csv"
	"activity import|crm-activity import -q $T/ev.ndjson"
	"lead import|crm-lead import -q $T/leads.csv"
	"lead import (model)|crm-lead import -q --on-duplicate=flag $T/leads.csv"
	"deal import|crm-pipeline import -q $T/deals.csv"
	"ticket import|crm-ticket import -q $T/tickets.csv"
	"dedupe merge|crm-dedupe merge -q --rule first_name&last_name&city"
	"kb import|crm-kb import -q $T/kb.csv"
	"flow run|crm-flow run -q --flows $T/flows"
	"contract import|crm-contract import -q $T/contracts.csv"
	"contract reconcile --apply|crm-contract reconcile --apply -q $T/stmt.csv"
)
# a flow that tags every contact (crm-flow run: one transaction)
mkdir -p "$T/flows"
printf '%s\n' '{"name": "tagall", "entity": "contact", "trigger": {"type": "created"},' \
	'"actions": [{"type": "tag", "add": "flowed"}]}' >"$T/flows/tagall.json"
# a command whose binary is not built is skipped
have() { [ -x "$TOP/$BUILD/bin/$1" ]; }
N=${N:-10000}
sh "$TOP/tests/bench/gen-contacts.sh" "$N" >"$T/base.csv"
sed -e '2,$s/,Lisbon,/,Porto,/' -e '2,$s/,CEO,/,Chief,/' -e '2,$s/,web,/,webinar,/' "$T/base.csv" >"$T/upd.csv"
awk -v n="$N" 'BEGIN { print "name,domain,industry"
	for (i = 1; i <= n; i++) printf "Co %d,co%d.example,ind%d\n", i, i, i % 7 }' >"$T/co.csv"
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
	printf "{\"external_id\":\"ev%d\",\"contact_external_id\":\"crm-%d\",\"type\":\"call\",\"occurred_at\":\"2026-11-%02dT08:00:00Z\"}\n", i, i, 1 + i % 20 }' >"$T/ev.ndjson"
awk -v n="$N" 'BEGIN { print "external_id,first_name,last_name,email,company,source"
	for (i = 1; i <= n; i++) printf "lead-%d,L%d,Lee,lead.%d@leadco%d.example,LeadCo %d,web\n", i, i, i, i % 50, i % 50 }' >"$T/leads.csv"
awk -v n="$N" 'BEGIN { print "external_id,name,amount,currency,stage"
	for (i = 1; i <= n; i++) printf "deal-%d,Deal %d,%d.50,EUR,qualification\n", i, i, i }' >"$T/deals.csv"
awk -v n="$N" 'BEGIN { print "external_id,subject,contact_email,priority"
	for (i = 1; i <= n; i++) printf "tk-%d,Broken %d,user.%d@example%d.com,high\n", i, i, i, i % 97 }' >"$T/tickets.csv"
awk -v n="$N" 'BEGIN { print "external_id,title,body,status"
	for (i = 1; i <= n; i++) printf "kb-%d,Article %d,printer %d network 打印机网络 reset %d,published\n", i, i, i, i % 13 }' >"$T/kb.csv"
crm-contact import -q "$T/base.csv" || exit 1
crm-contact update -q -w 'id>0' --set owner=ana >/dev/null || exit 1
if have crm-contract; then # N open invoices and a statement paying them
	awk -v n="$N" 'BEGIN { print "external_id,name,company,start_date,end_date,value,currency"
		for (i = 1; i <= n; i++) printf "K-%d,Support %d,Zahlwerk,2026-01-01,2026-12-31,%d,EUR\n", i, i, 1000 + i }' >"$T/contracts.csv"
	crm-company add -q --set name=Zahlwerk >/dev/null || exit 1
	crm-contract invoice -q --account Zahlwerk --currency EUR --line "seed;1;1" >/dev/null || exit 1
	sqlite3 -batch "$CRM_DB" "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $N + 1)
		INSERT INTO invoices (number, series, seq, kind, company_id, issue_date, due_date,
		 currency, net, tax, total, created_at)
		SELECT 'INV-' || substr('000000' || i, -6), 'INV', i, 'invoice',
		 (SELECT id FROM companies WHERE name = 'Zahlwerk'), '2026-11-01',
		 '2026-12-01', 'EUR', 10000 + i, 0, 10000 + i, '2026-11-01T00:00:00Z' FROM n;
		UPDATE invoice_series SET last = $N + 1 WHERE series = 'INV';" || exit 1
	awk -v n="$N" 'BEGIN { print "ref,date,amount,currency,payer,text"
		for (i = 2; i <= n + 1; i++) printf "R%d,2026-11-21,%d.%02d,EUR,Zahlwerk,Invoice INV-%06d\n", i, (10000 + i) / 100, (10000 + i) % 100, i }' >"$T/stmt.csv"
fi
cp "$CRM_DB" "$T/base.db"

restore() { rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"; cp "$T/base.db" "$CRM_DB"; }
fingerprint() {
	sqlite3 -batch "$CRM_DB" "SELECT count(*), total(length(coalesce(owner, '')
		|| coalesce(tags, '') || coalesce(city, '') || coalesce(title, '')
		|| coalesce(source, '') || coalesce(last_activity_at, '')
		|| updated_at)) FROM contacts;
		SELECT count(*) FROM companies; SELECT count(*) FROM activities;
		SELECT count(*) FROM crm_changes; SELECT count(*) FROM crm_audit;
		$extra PRAGMA integrity_check;" >"$1" 2>&1
}
# the tables of the other entities, when built
extra=
have crm-lead && extra="$extra SELECT count(*), total(length(coalesce(status, '') || updated_at)) FROM leads;"
have crm-pipeline && extra="$extra SELECT count(*), total(amount) FROM deals;"
have crm-ticket && extra="$extra SELECT count(*), total(length(status)) FROM tickets;"
have crm-kb && extra="$extra SELECT count(*) FROM kb_articles; SELECT count(*), total(tf) FROM kb_terms;"
have crm-contract && extra="$extra SELECT count(*), total(value) FROM contracts; SELECT count(*), total(total) FROM invoices;
	SELECT count(*), total(amount) FROM payments; SELECT count(*), total(amount) FROM allocations;
	SELECT count(*) FROM journal_lines; SELECT * FROM invoice_series ORDER BY 1;"
ms() { echo $(($(date +%s%N) / 1000000)); }
differ() { ! cmp -s "$1" "$2"; }

restore
fingerprint "$T/before"
sig=INT
for entry in "${COMMANDS[@]}"; do
	name=${entry%%|*}
	read -ra cmd <<<"${entry#*|}"
	if ! have "${cmd[0]}"; then
		skip "$name: ${cmd[0]} is not built"
		continue
	fi
	t0=$(ms)
	"${cmd[@]}" >/dev/null 2>&1
	dur=$(($(ms) - t0))
	fingerprint "$T/after"
	check "$name: a full run changes the database (${dur} ms)" differ "$T/before" "$T/after"
	restore
	# A run that finished before the signal came (the machine got faster
	# than the timed run) says nothing: restore and signal sooner.
	delay=$((dur / 3 > 30 ? dur / 3 : 30))
	for try in 1 2 3 4 5 6; do
		"${cmd[@]}" >/dev/null 2>"$T/err" &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -$sig $pid 2>/dev/null
		wait $pid
		rc=$?
		[ $rc -ne 0 ] && break
		restore
		delay=$((delay / 2 > 5 ? delay / 2 : 5))
	done
	check "$name: SIG$sig after ${delay} ms exits 130 (got $rc)" [ $rc -eq 130 ]
	err_has "interrupted: rolled back, nothing was written"
	fingerprint "$T/now"
	compare "$T/before" "$T/now" "$name: the database is as before"
	sig=$([ $sig = INT ] && echo TERM || echo INT)
done
done_testing
