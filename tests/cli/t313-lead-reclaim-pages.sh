#!/bin/bash
# crm-lead reclaim reads the idle leads a page at a time (by id; each page
# reclaimed before the next is read) so that what it holds does not grow
# with the leads ($CRM_TEST_PAGE sets the page; 65,536 otherwise). Runs in
# pages of 1 and 7 print the same list and summary and leave the same
# database as a run in one page: a reclaim (to a team's pool or unowned),
# --warn, --dry-run, and a second run; a run refused in its last page
# writes nothing, its earlier pages' reclaims included.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user team add east
expect_code 0 crm-user add rita --team east
# 60 leads: owned by rita (east's pool), by ben (no team: unowned after),
# by nobody, or in a pool; worked by their owner at times, by others, or
# not at all; assigned at times from ten to two days before now
{
	echo "first_name,owner,status,assigned_at,created_at"
	for i in $(seq 1 60); do
		case $((i % 5)) in
		0) o=rita ;; 1) o=ben ;; 2) o= ;; 3) o=@east ;; 4) o=ben ;;
		esac
		s=new
		[ $((i % 11)) = 0 ] && s=converted
		d=$((20 + i % 9))
		echo "L$i,$o,$s,2026-11-${d}T09:00:00Z,2026-11-01T09:00:00Z"
	done
} >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
for i in 4 9 14 15 24 40; do
	expect_code 0 crm-activity log -q --type call --lead "$i" \
		--owner "$([ $((i % 5)) = 4 ] && echo ben || echo zed)" \
		--at 2026-11-29T10:00:00Z
done
export CRM_NOW=2026-12-01T00:00:00Z
db_save before

# reclaim NAME ARGS...: a run from the saved database, kept as NAME
reclaim() {
	local name=$1
	shift
	db_restore before
	run crm-lead reclaim -f csv "$@"
	kept "$name"
}

in_pages reclaim whole 7 1 -- --idle 4d
check "the run reclaimed leads" grep -q "reclaimed [1-9][0-9]* leads" "$T/whole.err"
sql "SELECT count(*) FROM leads WHERE owner = '@east' AND previous_owner = 'rita'"
check "some went to east's pool" [ "$(cat "$T/sql")" -gt 0 ]
sql "SELECT count(*) FROM leads WHERE owner IS NULL AND previous_owner = 'ben'"
check "some were left unowned" [ "$(cat "$T/sql")" -gt 0 ]
sql "SELECT count(*) FROM leads WHERE owner = 'ben'"
check "ben kept the leads he worked" [ "$(cat "$T/sql")" -gt 0 ]
in_pages reclaim warn 7 -- --idle 7d --warn 3d
check "warn lists leads" [ "$(wc -l <"$T/warn.out")" -gt 2 ]
in_pages reclaim dry 3 -- --idle 4d --dry-run
db_restore before
db_dump "$CRM_DB" "$T/orig.db"
compare "$T/orig.db" "$T/dry.3.db" "a paged dry run writes nothing"

# a second paged run finds nothing more
CRM_TEST_PAGE=7 reclaim again --idle 4d
CRM_TEST_PAGE=7 expect_code 0 crm-lead reclaim --idle 4d
err_has "reclaimed 0 leads"

# refused in the last page (lead 59): nothing written
db_restore before
refuse UPDATE leads "NEW.id = 59 AND NEW.owner IS NULL"
CRM_TEST_PAGE=7 refused_run crm-lead reclaim --idle 4d
done_testing
