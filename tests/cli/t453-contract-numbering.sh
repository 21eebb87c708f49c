#!/bin/bash
# Invoice numbers come from a gap-free sequence per series, also when
# several processes invoice at once and some of them fail or only dry-run
# (their numbers are not lost): 1..N, each once, per series.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-company add -q --set name="Acme GmbH"
expect_code 0 crm-contract add -q --set name=C --set company_id=1 --set start_date=2026-01-01 --set currency=EUR

worker() { # worker N: 12 invoices in INV, 3 in series B, a dry run and a failure between
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		crm-contract invoice 1 -q --line "W$1-$i;1;10" >/dev/null 2>>"$T/werr.$1"
		echo "$? 0 W$1-$i" >>"$T/st.$1"
		case $i in
		3)
			crm-contract invoice 1 -q -n --line "dry;1;1" >/dev/null 2>>"$T/werr.$1"
			echo "$? 0 dry$1" >>"$T/st.$1"
			;;
		6)
			crm-contract invoice 1 -q --line "bad;1;-1" >/dev/null 2>&1
			echo "$? 65 bad$1" >>"$T/st.$1"
			;;
		9)
			crm-contract invoice 1 -q --series B --line "B$1;1;5" >/dev/null 2>>"$T/werr.$1"
			echo "$? 0 B$1" >>"$T/st.$1"
			;;
		esac
	done
}
pids=()
for w in 1 2 3 4 5; do
	worker $w &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
cat "$T"/st.* | awk '$1 != $2' >"$T/fails"
check "every concurrent invoice succeeded, every bad one failed" [ ! -s "$T/fails" ]
sql "SELECT series, count(*), count(DISTINCT seq), min(seq), max(seq) FROM invoices GROUP BY series ORDER BY series"
cat >"$T/want" <<'EOF'
B|5|5|1|5
INV|60|60|1|60
EOF
compare "$T/want" "$T/sql" "60 INV and 5 B invoices numbered 1..N without a gap"
sql "SELECT series, last FROM invoice_series ORDER BY series"
cat >"$T/want" <<'EOF'
B|5
INV|60
EOF
compare "$T/want" "$T/sql" "the counters stand at the last number given"
sql "SELECT count(*) FROM invoices WHERE number <> series || '-' || substr('000000' || seq, length('000000' || seq) - 5)"
check "every number is its series and sequence" grep -qx 0 "$T/sql"
expect_code 0 crm-contract invoice 1 --line "next;1;1" --fields number
expect_out "the next one follows on" <<'EOF'
number
INV-000061
EOF
expect_code 64 crm-contract invoice 1 --series "bad series" --line "x;1;1"
expect_code 0 crm-contract invoice 1 --series RE-2026 --line "x;1;1" --fields number
expect_out "a new series starts at 1" <<'EOF'
number
RE-2026-000001
EOF
done_testing
