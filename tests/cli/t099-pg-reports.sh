#!/bin/bash
# PostgreSQL: crm-report on the sample company gives the same output as on
# SQLite, byte for byte: every report, with --by, --where, --from/--to,
# --compare and --period (every kind), and a report with no rows. Runs when $CRM_TEST_PG names a server (make check-pg,
# tests/pg.sh, sets it); under plain make check it is skipped.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi
if ! command -v psql >/dev/null; then
	not_ok "psql not found (apt-get install postgresql-client)"
	done_testing
	exit 0
fi

name="crm_t099r_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"

LITE="$T/lite.db"
EX="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T10:00:00Z

# the sample company on each engine
load() {
	db=$1
	expect_code 0 crm init --db "$db"
	expect_code_in 0 "$EX/companies.csv" crm-company import --db "$db"
	expect_code_in 0 "$EX/contacts.csv" crm-contact import --db "$db"
	expect_code 0 crm-lead import --db "$db" "$EX/leads.csv"
	expect_code 0 crm-pipeline import --db "$db" "$EX/deals.csv"
	expect_code 0 crm-activity import --db "$db" "$EX/activities.ndjson"
	expect_code 0 crm-ticket import --db "$db" "$EX/tickets.csv"
}
# costs for the sources report (hand-made: one per source/campaign)
cat >"$T/costs.csv" <<'X'
source,campaign,cost,currency
event,google-ads,400,EUR
web,newsletter,250.50,EUR
web,newsletter,100,USD
cold_call,,50,USD
X
load "$LITE"
load "$PGDB"

# The reports that run on PostgreSQL: the same commands on both engines;
# $T/ENGINE.N keeps each stdout.
n=0
reports() {
	engine=$1 db=$2 n=0
	expect_code 0 crm-report activities --db "$db"
	keep
	expect_code 0 crm-report activities --db "$db" -f csv --from 2026-01-01 --by type
	keep
	expect_code 0 crm-report activities --db "$db" -f json --where 'type=call'
	keep
	expect_code 0 crm-report contacts --db "$db"
	keep
	expect_code 0 crm-report contacts --db "$db" -f csv --by lifecycle_stage
	keep
	expect_code 0 crm-report contacts --db "$db" -f json --from 2025-01-01 --to 2026-06-01
	keep
	expect_code 0 crm-report activities --db "$db" -f csv --from 2026-01-01 --compare previous
	keep
	expect_code 0 crm-report winrate --db "$db"
	keep
	expect_code 0 crm-report winrate --db "$db" -f csv --by source --from 2025-06-01
	keep
	expect_code 0 crm-report cycle --db "$db"
	keep
	expect_code 0 crm-report cycle --db "$db" -f json --by owner
	keep
	expect_code 0 crm-report cycle --db "$db" -f csv --by owner --from 2026-01-01 --compare year
	keep
	expect_code 0 crm-report tickets --db "$db"
	keep
	expect_code 0 crm-report tickets --db "$db" -f csv --by priority --where 'status=open'
	keep
	expect_code 0 crm-report sla --db "$db"
	keep
	expect_code 0 crm-report sla --db "$db" -f csv --by assignee --from 2026-01-01
	keep
	expect_code 0 crm-report dealsize --db "$db"
	keep
	expect_code 0 crm-report dealsize --db "$db" -f csv --by owner
	keep
	expect_code 0 crm-report dealsize --db "$db" -f json --from 2026-01-01
	keep
	expect_code 0 crm-report funnel --db "$db"
	keep
	expect_code 0 crm-report funnel --db "$db" -f csv --by source --to 2026-10-01
	keep
	expect_code 0 crm-report funnel --db "$db" -f json --from 2026-01-01
	keep
	# --period: buckets, labels and empty periods from the dialect
	expect_code 0 crm-report activities --db "$db" -f csv --period week
	keep
	expect_code 0 crm-report activities --db "$db" -f csv --period month --by type
	keep
	expect_code 0 crm-report contacts --db "$db" -f csv --period quarter --from 2025-02-10 --to 2026-05-17
	keep
	expect_code 0 crm-report winrate --db "$db" -f csv --period year
	keep
	expect_code 0 crm-report funnel --db "$db" -f csv --period day --from 2026-02-25 --to 2026-03-03
	keep
	expect_code 0 crm-report tickets --db "$db" -f csv --period week --by priority --from 2026-01-01
	keep
	expect_code 0 crm-report sla --db "$db" -f csv --period month --from 2026-01-01 --compare previous
	keep
	expect_code 0 crm-report cycle --db "$db" -f json --period quarter --by owner
	keep
	# the other seven
	expect_code 0 crm-report sources --db "$db" -f csv
	keep
	expect_code 0 crm-report sources --db "$db" -f csv --costs "$T/costs.csv" --currency USD
	keep
	expect_code 0 crm-report sources --db "$db" -f csv --by '' --costs "$T/costs.csv" --period quarter
	keep
	# the costs by the grouped source and campaign: with --period they are
	# grouped under other names (agg's g1_0, g2_); --by owner groups neither
	expect_code 0 crm-report sources --db "$db" -f csv --costs "$T/costs.csv" --period quarter
	keep
	expect_code 0 crm-report sources --db "$db" -f csv --costs "$T/costs.csv" --by owner
	keep
	# the values of a base row (a reply's hours, days overdue) in buckets
	expect_code 0 crm-report replytime --db "$db" -f csv --period month --by priority
	keep
	expect_code 1 crm-report unattended --db "$db" -f csv --period month
	keep
	expect_code 0 crm-report pipeline --db "$db" -f csv
	keep
	expect_code 0 crm-report pipeline --db "$db" -f json --to 2026-06-01 --by owner
	keep
	expect_code 0 crm-report stages --db "$db" -f csv
	keep
	expect_code 0 crm-report stages --db "$db" -f csv --period month --from 2026-01-01
	keep
	expect_code 0 crm-report velocity --db "$db" -f csv
	keep
	expect_code 0 crm-report velocity --db "$db" -f csv --from 2026-03-01 --by owner
	keep
	expect_code 0 crm-report leaderboard --db "$db" -f csv
	keep
	expect_code 0 crm-report leaderboard --db "$db" -f csv --currency USD --period quarter
	keep
	expect_code 0 crm-report cohort --db "$db" -f csv
	keep
	expect_code 0 crm-report cohort --db "$db" -f json --from 2026-03-01 --to 2026-09-01
	keep
	expect_code 1 crm-report unattended --db "$db" -f csv
	keep
	expect_code 1 crm-report unattended --db "$db" -f csv --idle 30d --by type
	keep
	# no rows: the header alone, as on SQLite
	expect_code 0 crm-report winrate --db "$db" -f csv --from 2030-01-01 --to 2030-02-01
	keep
	expect_code 0 crm-report activities --db "$db" --where 'type=nothing'
	keep
}
reports lite "$LITE"
reports pg "$PGDB"
engines_same "report output"
check "activities report is not empty" test -s "$T/pg.1"

# ISO weeks at a year's turn on PostgreSQL: 2026-W01 starts on Monday
# 2025-12-29
expect_code 0 crm-report activities --db "$PGDB" -f csv --by '' --period week --from 2025-12-22 --to 2026-01-12
cut -d, -f1 "$T/out" >"$T/weeks"
printf '%s\n' period 2025-W52 2026-W01 2026-W02 2026-W03 >"$T/want"
compare "$T/want" "$T/weeks" "ISO weeks 2025-12-22 to 2026-01-12 (through the 12th)"
# too many periods: 64 on both engines
expect_code 64 crm-report activities --db "$LITE" --period day --from 1990-01-01
err_has "more than 10000 periods"
expect_code 64 crm-report activities --db "$PGDB" --period day --from 1990-01-01
err_has "more than 10000 periods"

done_testing
