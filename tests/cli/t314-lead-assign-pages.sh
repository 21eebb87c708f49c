#!/bin/bash
# crm-lead assign without a selection reads the pool (unowned leads and
# the teams' pools) a page at a time, by id, each page assigned before the
# next is read, so that what it holds does not grow with the leads
# ($CRM_TEST_PAGE sets the page; 65,536 otherwise). Runs in pages of 1 and
# 7 print the same assignments and summary and leave the same database
# (owners, rotation, undo and history rows) as a run in one page: rules
# that name an owner, a round-robin team, a team's pool, owned and
# converted leads left alone, --explain, --dry-run and a second run; a
# --where run (its leads read at once, in its order) is the same whatever
# the page; a run refused in its last page writes nothing, its earlier
# pages' assignments included.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user team add east
expect_code 0 crm-user add ria --team east
expect_code 0 crm-user add sam --team east
cat >"$T/rules.json" <<'X'
{"teams": [{"name": "sales", "members": ["r1", "r2", "r3"]},
           {"name": "east", "strategy": "least_busy", "members": ["ria", "sam"]}],
 "rules": [{"name": "hot", "match": {"score": {"min": 80}}, "owner": "desk"},
           {"name": "all", "match": {}, "team": "sales"}]}
X
# 60 leads: unowned, owned by ben (stay put), in east's pool, converted;
# one in seven hot; the EMEA ones for --where
{
	echo "first_name,owner,status,score,region"
	for i in $(seq 1 60); do
		case $((i % 4)) in
		0) o= ;; 1) o=ben ;; 2) o=@east ;; 3) o= ;;
		esac
		s=new
		[ $((i % 11)) = 0 ] && s=converted
		sc=10
		[ $((i % 7)) = 0 ] && sc=90
		r=APAC
		[ $((i % 3)) = 0 ] && r=EMEA
		echo "L$i,$o,$s,$sc,$r"
	done
} >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
db_save before

# assign NAME ARGS...: a run from the saved database, kept as NAME
assign() {
	local name=$1
	shift
	db_restore before
	run crm-lead assign --rules "$T/rules.json" -f csv "$@"
	kept "$name"
}

in_pages assign whole 7 1
check "the run assigned leads" grep -q "assigned [1-9][0-9]* leads" "$T/whole.err"
sql "SELECT count(*) FROM leads WHERE owner IN ('r1', 'r2', 'r3')"
check "some went round the sales team" [ "$(cat "$T/sql")" -gt 2 ]
sql "SELECT count(*) FROM leads WHERE owner IN ('ria', 'sam')"
check "east's pool went to east" [ "$(cat "$T/sql")" -gt 1 ]
sql "SELECT count(*) FROM leads WHERE owner = 'desk'"
check "hot leads went to the desk" [ "$(cat "$T/sql")" -gt 0 ]
sql "SELECT count(*) FROM leads WHERE owner = 'ben'"
check "ben kept his leads" [ "$(cat "$T/sql")" = 15 ]
sql "SELECT count(*) FROM leads WHERE status = 'converted' AND owner IS NULL"
check "converted leads left unowned" [ "$(cat "$T/sql")" -gt 0 ]
sql "SELECT max(id) FROM leads WHERE owner IN ('r1', 'r2', 'r3', 'ria', 'sam', 'desk')"
check "leads past the first pages were assigned" [ "$(cat "$T/sql")" -ge 59 ]
in_pages assign explain 7 -- --explain
in_pages assign dry 3 -- --dry-run
db_restore before
db_dump "$CRM_DB" "$T/orig.db"
compare "$T/orig.db" "$T/dry.3.db" "a paged dry run writes nothing"
in_pages assign emea 1 -- --where "region = EMEA"
check "--where assigned its leads only" test -z "$(grep -v '^id,' "$T/emea.out" | cut -d, -f1 | awk '$1 % 3')"

# a second paged run finds nothing more
CRM_TEST_PAGE=7 assign again
CRM_TEST_PAGE=7 expect_code 0 crm-lead assign --rules "$T/rules.json"
err_has "assigned 0 leads"

# refused in the last page (lead 59): nothing written
db_restore before
refuse UPDATE leads "NEW.id = 59"
CRM_TEST_PAGE=7 refused_run crm-lead assign --rules "$T/rules.json"
done_testing
