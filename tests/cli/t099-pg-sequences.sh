#!/bin/bash
# PostgreSQL: a rolled-back write uses no ids up, as on SQLite. A sequence
# does not roll back on PostgreSQL, so the storage layer's rollback puts
# the sequences back (lib/store/store_pg.c): a failed import (COPY and
# row by row with --reject), a dry-run import, add and lead conversion, a
# dry-run flow run and a flow whose firing fails and rolls back to its
# savepoint, then successful writes: every id and change number is the
# same as on SQLite. Runs when $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi
name="crm_t099s_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"
LITE="$T/lite.db"

printf 'first_name,last_name,email\nAnn,Lee,ann@example.com\nBo,Ng,bo@example.com\n' >"$T/good.csv"
# the third row is bad: the first two went in before the import fails
printf 'first_name,last_name,email\nCy,Oh,cy@example.com\nDi,Po,di@example.com\nEd,Qu,not-an-email\n' >"$T/bad.csv"
mkdir "$T/flows"
# a task, then a set that fails: the firing rolls back to its savepoint
cat >"$T/flows/fail.json" <<'X'
{"name": "fail", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ fail"],
 "actions": [{"type": "task", "subject": "call {{name}}", "due": "1d"},
             {"type": "set", "fields": {"probability": "{{owner}}"}}]}
X
cat >"$T/flows/task.json" <<'X'
{"name": "task", "entity": "deal",
 "trigger": {"type": "created"},
 "conditions": ["name ~ task"],
 "actions": [{"type": "task", "subject": "call {{name}}", "due": "1d"}]}
X
export CRM_NOW=2026-12-01T10:00:00Z
F=(--flows "$T/flows")

# ids taken by the last writes, per table (the change log's too)
maxids() {
	sql "SELECT 'contacts', max(id) FROM contacts UNION ALL
SELECT 'companies', max(id) FROM companies UNION ALL
SELECT 'deals', max(id) FROM deals UNION ALL
SELECT 'leads', max(id) FROM leads UNION ALL
SELECT 'activities', max(id) FROM activities UNION ALL
SELECT 'flow firings', max(id) FROM crm_flow_firings UNION ALL
SELECT 'changes', max(id) FROM crm_changes"
	cp "$T/sql" "$T/$engine.ids.$1"
}
run_all() {
	engine=$1 CRM_DB=$2
	export CRM_DB
	expect_code 0 crm init
	expect_code_in 0 "$T/good.csv" crm-contact import -q
	# a failed import: COPY on PostgreSQL, then row by row
	expect_code_in 65 "$T/bad.csv" crm-contact import -q
	expect_code_in 3 "$T/bad.csv" crm-contact import -q --dry-run --reject "$T/$engine.rej"
	expect_code_in 0 "$T/good.csv" crm-contact import -q --dry-run
	# rows rejected with --reject are checked before they are written
	expect_code_in 3 "$T/bad.csv" crm-contact import -q --reject "$T/$engine.rej2"
	expect_code 0 crm-contact add -q --dry-run --first-name Fay
	expect_code 65 crm-contact add -q --first-name Gus --email bad
	expect_code 0 crm-contact add --ids --first-name Hal
	cp "$T/out" "$T/$engine.hal"
	maxids 1
	expect_code 0 crm-lead add -q --first-name Ivy --last-name Ma --company 'Ivy Co' --email ivy@example.com
	expect_code 0 crm-lead convert 1 -q --dry-run --deal 'Ivy deal'
	expect_code 0 crm-lead convert 1 -q --deal 'Ivy deal'
	maxids 2
	# flows: a dry run's task and a failed firing's task use no id up
	expect_code 0 crm-pipeline add -q --name 'task one' --owner kim
	expect_code 0 crm-flow run "${F[@]}" -q --dry-run
	expect_code 0 crm-pipeline add -q --name 'fail one' --owner x
	expect_code 1 crm-flow run "${F[@]}" -q
	expect_code 0 crm-flow run "${F[@]}" -q
	expect_code 0 crm-activity log -q --type call --deal 1 --at 2026-12-01T09:00:00Z
	maxids 3
	expect_code 0 crm-activity list -f csv --fields id,type,subject,deal_id
	cp "$T/out" "$T/$engine.act"
}
run_all sqlite "$LITE"
run_all pg "$PGDB"
compare "$T/sqlite.hal" "$T/pg.hal" "after failed and dry-run imports and adds: the same new id on SQLite and PostgreSQL"
compare "$T/sqlite.ids.1" "$T/pg.ids.1" "the same last ids after failed and dry-run imports and adds on SQLite and PostgreSQL"
compare "$T/sqlite.ids.2" "$T/pg.ids.2" "the same last ids after a dry-run lead conversion on SQLite and PostgreSQL"
compare "$T/sqlite.ids.3" "$T/pg.ids.3" "the same last ids after a dry-run flow run and a failed firing on SQLite and PostgreSQL"
compare "$T/sqlite.act" "$T/pg.act" "the same activities and ids on SQLite and PostgreSQL"
# and by hand: two contacts, two more with --reject, then Hal as 5
echo 5 >"$T/want"
compare "$T/want" "$T/pg.hal" "Hal is contact 5 on PostgreSQL"
done_testing
