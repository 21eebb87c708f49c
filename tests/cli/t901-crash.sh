#!/bin/bash
# Crash safety: every write command in the table below is SIGKILLed at a
# random point, many times; after each kill the database passes PRAGMA
# integrity_check and holds exactly the state before the command or exactly
# the state after it ran to the end (every record of every entity, counts,
# change sets and before-images): all or nothing.
# KILLS=N kills each command N times (default: 64 kills in all).
. "$(dirname "$0")/../lib.sh"

# The commands: "name|command line" (split at spaces, no shell syntax, so
# that the command itself is the process killed; inputs in $T). A command
# whose binary is not built is skipped, so the table can name commands
# before they land. Add a line for every command that writes.
COMMANDS=(
	"contact import (inserts)|crm-contact import -q $T/new.csv"
	"contact import (updates)|crm-contact import -q $T/upd.csv"
	"contact bulk update|crm-contact update -q -w id>0 --set owner=zed"
	"contact bulk delete|crm-contact delete -q -w id>0"
	"contact bulk tag|crm-contact tag add -q vip2 -w id>0"
	"contact undo|crm-contact undo -q 1"
	"company import|crm-company import -q $T/co.csv"
	"activity import|crm-activity import -q $T/ev.ndjson"
	"lead import|crm-lead import -q $T/leads.csv"
	"lead import (model)|crm-lead import -q --on-duplicate=flag $T/leads.csv"
	"lead convert|crm-lead convert -q -w id>0"
	"deal import|crm-pipeline import -q $T/deals.csv"
	"ticket import|crm-ticket import -q $T/tickets.csv"
	"dedupe merge|crm-dedupe merge -q --rule first_name&last_name&city"
	"flow run|crm-flow run -q --flows $T/flows"
	"lead assign|crm-lead assign -q"
	"score leads|crm-score leads -q"
	"kb import|crm-kb import -q $T/kb.csv"
	"asset import|crm-asset import -q $T/assets.csv"
	"contract import|crm-contract import -q $T/contracts.csv"
	"contract invoice|crm-contract invoice -q --account Zahlwerk --currency EUR --line Work;2;450.50;19"
	"contract pay|crm-contract pay -q --account Zahlwerk --amount 500 --currency EUR --invoice INV-000002 --invoice INV-000003"
	"contract credit|crm-contract credit -q INV-000004 --amount 10 --reason refund"
	"contract unallocate|crm-contract unallocate -q 1 --reason wrong"
	"contract reconcile --apply|crm-contract reconcile --apply -q $T/stmt.csv"
	"contract journal|crm-contract journal -q --cursor erp"
)
# a flow that tags every contact (crm-flow run: one transaction)
mkdir -p "$T/flows"
printf '%s\n' '{"name": "tagall", "entity": "contact", "trigger": {"type": "created"},' \
	'"actions": [{"type": "tag", "add": "flowed"}]}' >"$T/flows/tagall.json"
# entities whose exports make up the state (those built)
NOUNS="contact company activity lead pipeline ticket kb asset contract"
have() { [ -x "$TOP/$BUILD/bin/$1" ]; }
n=0
for entry in "${COMMANDS[@]}"; do
	read -ra cmd <<<"${entry#*|}"
	have "${cmd[0]}" && n=$((n + 1))
done
# KILLS=N kills each command N times; by default 64 kills in all.
KILLS=${KILLS:-$(((64 + n - 1) / n))}

# The base: 1500 contacts, a bulk update (change 1) to undo.
sh "$TOP/tests/bench/gen-contacts.sh" 3000 >"$T/all.csv"
head -1501 "$T/all.csv" >"$T/base.csv"
{ head -1 "$T/all.csv"; tail -n 1500 "$T/all.csv"; } >"$T/new.csv"
sed -e '2,$s/,Lisbon,/,Porto,/' -e '2,$s/,CEO,/,Chief,/' "$T/base.csv" >"$T/upd.csv"
awk 'BEGIN { print "name,domain,industry"
	for (i = 1; i <= 1000; i++) printf "Co %d,co%d.example,ind%d\n", i, i, i % 7 }' >"$T/co.csv"
awk 'BEGIN { for (i = 1; i <= 1500; i++)
	printf "{\"external_id\":\"ev%d\",\"contact_external_id\":\"crm-%d\",\"type\":\"call\",\"occurred_at\":\"2026-11-%02dT08:00:00Z\"}\n", i, i, 1 + i % 20 }' >"$T/ev.ndjson"
awk 'BEGIN { print "external_id,first_name,last_name,email,company,source"
	for (i = 1; i <= 600; i++) printf "lead-%d,L%d,Lee,lead.%d@leadco%d.example,LeadCo %d,web\n", i, i, i, i % 50, i % 50 }' >"$T/leads.csv"
awk 'BEGIN { print "external_id,name,amount,currency,stage"
	for (i = 1; i <= 1000; i++) printf "deal-%d,Deal %d,%d.50,EUR,qualification\n", i, i, i }' >"$T/deals.csv"
awk 'BEGIN { print "external_id,subject,contact_email,priority"
	for (i = 1; i <= 1000; i++) printf "tk-%d,Broken %d,user.%d@example%d.com,high\n", i, i, i, i % 97 }' >"$T/tickets.csv"
awk 'BEGIN { print "serial,product,purchased_on"
	for (i = 1; i <= 1000; i++) printf "SN-%d,Model %d,2026-01-%02d\n", i, i % 9, 1 + i % 28 }' >"$T/assets.csv"
awk 'BEGIN { print "external_id,title,body,status"
	for (i = 1; i <= 1000; i++) printf "kb-%d,Article %d,printer %d network 打印机网络 reset %d,published\n", i, i, i, i % 13 }' >"$T/kb.csv"
crm-contact import -q "$T/base.csv" || exit 1
crm-contact update -q -w country=PT --set owner=ana >/dev/null || exit 1
if have crm-lead; then # leads to convert
	head -301 "$T/leads.csv" | sed 's/^lead-/base-lead-/' >"$T/base-leads.csv"
	crm-lead import -q "$T/base-leads.csv" || exit 1
fi
if have crm-contract; then # receivables: 1500 open invoices, one paid
	awk 'BEGIN { print "external_id,name,company,start_date,end_date,value,currency"
		for (i = 1; i <= 500; i++) printf "K-%d,Support %d,Zahlwerk,2026-01-01,2026-12-31,%d,EUR\n", i, i, 1000 + i }' >"$T/contracts.csv"
	crm-company add -q --set name=Zahlwerk >/dev/null || exit 1
	crm-contract invoice -q --account Zahlwerk --currency EUR --line "seed;1;1" >/dev/null || exit 1
	# the invoices to pay, loaded straight into the tables (fixture setup)
	sqlite3 -batch "$CRM_DB" "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 1501)
		INSERT INTO invoices (number, series, seq, kind, company_id, issue_date, due_date,
		 currency, net, tax, total, created_at)
		SELECT 'INV-' || substr('000000' || i, -6), 'INV', i, 'invoice',
		 (SELECT id FROM companies WHERE name = 'Zahlwerk'), '2026-11-01',
		 '2026-12-01', 'EUR', 10000 + i, 0, 10000 + i, '2026-11-01T00:00:00Z' FROM n;
		UPDATE invoice_series SET last = 1501 WHERE series = 'INV';" || exit 1
	crm-contract pay -q --account Zahlwerk --amount 1 --currency EUR --invoice INV-000001 >/dev/null || exit 1
	awk 'BEGIN { print "ref,date,amount,currency,payer,text"
		for (i = 5; i <= 1501; i++) printf "R%d,2026-11-21,%d.%02d,EUR,Zahlwerk,Invoice INV-%06d\n", i, (10000 + i) / 100, (10000 + i) % 100, i }' >"$T/stmt.csv"
fi
cp "$CRM_DB" "$T/base.db"

restore() { rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"; cp "$T/base.db" "$CRM_DB"; }
# Everything a command may change, in a stable text form.
state() {
	{
		for noun in $NOUNS; do
			have crm-$noun || continue
			crm-$noun export -f ndjson || return 1
		done
		sqlite3 -batch "$CRM_DB" "SELECT count(*) FROM contacts;
			SELECT count(*) FROM companies; SELECT count(*) FROM activities;
			SELECT count(*) FROM crm_changes; SELECT count(*) FROM crm_audit;"
		if have crm-contract; then
			for t in invoices invoice_lines invoice_series payments allocations journal_lines journal_cursors; do
				sqlite3 -batch "$CRM_DB" "SELECT * FROM $t ORDER BY 1, 2" || return 1
			done
		fi
	} >"$1" 2>&1
}
differ() { ! cmp -s "$1" "$2"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

restore
state "$T/before" || not_ok "the state before: an export failed"
total=0
for entry in "${COMMANDS[@]}"; do
	name=${entry%%|*}
	read -ra cmd <<<"${entry#*|}"
	if ! have "${cmd[0]}"; then
		skip "$name: ${cmd[0]} is not built"
		continue
	fi
	# the state after a complete run, and how long it takes
	restore
	t0=$(ms)
	"${cmd[@]}" >/dev/null 2>"$T/err"
	rc=$?
	dur=$(($(ms) - t0))
	check "$name: a full run exits 0" [ $rc -eq 0 ]
	state "$T/after" || not_ok "$name: the state after: an export failed"
	check "$name: changes something" differ "$T/before" "$T/after"
	nb=0 na=0 bad=0
	for k in $(seq 1 "$KILLS"); do
		restore
		delay=$((RANDOM % (dur + 10)))
		"${cmd[@]}" >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		total=$((total + 1))
		ic=$(sqlite3 -batch "$CRM_DB" "PRAGMA integrity_check" 2>&1)
		state "$T/now" || not_ok "$name: the state after a kill: an export failed"
		if [ "$ic" != ok ]; then
			bad=$((bad + 1))
			echo "# $name: kill after ${delay} ms: integrity_check: $ic"
		elif cmp -s "$T/now" "$T/before"; then
			nb=$((nb + 1))
		elif cmp -s "$T/now" "$T/after"; then
			na=$((na + 1))
		else
			bad=$((bad + 1))
			echo "# $name: kill after ${delay} ms: neither before nor after"
			diff "$T/before" "$T/now" | head -5 | sed 's/^/#   /'
		fi
	done
	echo "# $name: full run ${dur} ms; $KILLS kills: $nb left it as before, $na as after"
	check "$name: $KILLS kills, each all or nothing with integrity_check ok" [ $bad -eq 0 ]
done
check "at least 50 kills in all ($total)" [ $total -ge 50 ]
done_testing
