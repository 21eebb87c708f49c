#!/bin/bash
# crm-contract's short write verbs (invoice, pay, credit, apply-credit,
# unallocate, allocate, reconcile --apply) under SIGTERM and SIGINT at
# points spread over their run: each run either finished (exit 0, the
# state after a full run) or stopped (130, or 143 when the signal came
# before crm set its handler) and left the database exactly as before,
# integrity_check ok. (t901 kills them with SIGKILL; t905 interrupts the
# long ones part way.)
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-22T09:00:00Z
expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-contract invoice -q --account 1 --currency EUR --line "Work;2;450.50;19"
expect_code 0 crm-contract invoice -q --account 1 --currency EUR --line "More;1;100;19"
expect_code 0 crm-contract invoice -q --account 1 --currency EUR --line "Rest;1;50"
expect_code 0 crm-contract pay -q --account 1 --amount 1500 --currency EUR --invoice INV-000001
printf 'ref,date,amount,currency,payer,text\nB1,2026-11-21,119.00,EUR,Acme GmbH,Invoice INV-000002\nB2,2026-11-21,50.00,EUR,Acme GmbH,INV-000003\n' >"$T/stmt.csv"
cp "$CRM_DB" "$T/base.db"
COMMANDS=(
	"invoice|crm-contract invoice -q --account 1 --currency EUR --line Extra;3;19.99;7"
	"pay|crm-contract pay -q --account 1 --amount 80 --currency EUR --invoice INV-000002=60"
	"credit|crm-contract credit -q INV-000002 --amount 19 --reason discount"
	"apply-credit|crm-contract apply-credit -q INV-000002"
	"allocate|crm-contract allocate -q 1 INV-000003"
	"unallocate|crm-contract unallocate -q 1 --reason wrong"
	"reconcile --apply|crm-contract reconcile --apply -q $T/stmt.csv"
)
restore() { rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"; cp "$T/base.db" "$CRM_DB"; }
state() {
	for t in invoices invoice_lines invoice_series payments allocations journal_lines crm_changes; do
		sqlite3 -batch "$CRM_DB" "SELECT * FROM $t ORDER BY 1" || return 1
	done >"$1" 2>&1
}
ms() { echo $(($(date +%s%N) / 1000000)); }
restore
state "$T/before"
for entry in "${COMMANDS[@]}"; do
	name=${entry%%|*}
	read -ra cmd <<<"${entry#*|}"
	restore
	t0=$(ms)
	"${cmd[@]}" >/dev/null 2>"$T/err"
	rc=$?
	dur=$(($(ms) - t0))
	check "$name: a full run exits 0 ($(head -c 200 "$T/err"))" [ $rc -eq 0 ]
	state "$T/after"
	check "$name: a full run changes something" test -n "$(cmp "$T/before" "$T/after" 2>&1)"
	nb=0 na=0 bad=0 sig=TERM
	for k in 0 1 2 3 4 5 6 7; do
		restore
		delay=$((dur * k / 7))
		"${cmd[@]}" >/dev/null 2>"$T/err" &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -$sig $pid 2>/dev/null
		wait $pid
		rc=$?
		state "$T/now"
		ic=$(sqlite3 -batch "$CRM_DB" "PRAGMA integrity_check" 2>&1)
		if [ "$ic" = ok ] && [ $rc -eq 0 ] && cmp -s "$T/now" "$T/after"; then
			na=$((na + 1))
		elif [ "$ic" = ok ] && { [ $rc -eq 130 ] || [ $rc -eq 143 ]; } &&
			cmp -s "$T/now" "$T/before"; then
			nb=$((nb + 1))
		else
			bad=$((bad + 1))
			echo "# $name: SIG$sig after ${delay} ms: exit $rc, integrity $ic, neither before nor after"
		fi
		sig=$([ $sig = TERM ] && echo INT || echo TERM)
	done
	echo "# $name: full run ${dur} ms; 8 signals: $nb stopped it (as before), $na came too late (as after)"
	check "$name: SIGTERM/SIGINT leave all or nothing" [ $bad -eq 0 ]
done
done_testing
