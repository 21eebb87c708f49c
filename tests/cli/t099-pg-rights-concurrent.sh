#!/bin/bash
# 20 users at once on PostgreSQL, each over their own login under
# row-level security: ten managers each import 11 leads into their team's
# pool (owner @floor) and run crm-lead assign (round robin over the
# team's 20 users, "@floor"), and tag a shared pool contact; ten reps tag
# it three times each and update their own contact. A command told the
# database is busy (75) is run again, as DESIGN.md says. Afterwards
# nothing is lost (every lead assigned, every tag there, every update
# made) and the rotation is fair: 110 leads over 20 users is 5 each and
# 6 for ten of them (hand-computed: 110 = 20 * 5 + 10).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "no PostgreSQL server (make check-pg runs this)"
	done_testing
	exit 0
fi
name="crm_t099rc_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name on PostgreSQL" psql_admin "CREATE DATABASE $name"
as() { # the connection string of user $1
	case $PGDB in *\?*) echo "$PGDB&user=$1" ;; *) echo "$PGDB user=$1" ;; esac
}
q() { psql "$PGDB" -X -At -c "$1" >"$T/sql"; }

users=$(seq -f 'u%02g' 1 20)
expect_code 0 crm init --db "$PGDB"
expect_code 0 crm-user team add floor --db "$PGDB"
for u in $users; do
	case $u in u0* | u10) role=manager ;; *) role=rep ;; esac
	expect_code 0 crm-user add "$u" --team floor --role "$role" -q --db "$PGDB"
done
{
	echo first_name,owner
	echo Shared,@floor
	for u in $users; do echo "Own $u,$u"; done
} >"$T/contacts.csv"
expect_code_in 0 "$T/contacts.csv" crm-contact import -q --db "$PGDB"
expect_code 0 crm-user setup-rls --db "$PGDB"
cat >"$T/rr.json" <<'X'
{"teams": [{"name": "floor", "members": "@floor"}], "rules": []}
X
for u in $users; do
	{
		echo external_id,first_name,owner
		for k in $(seq 1 11); do echo "$u-$k,Lead $u $k,@floor"; done
	} >"$T/leads-$u.csv"
done

try() { # run a command until it is not busy (75), at most 50 times
	local n=0 r
	while :; do
		"$@" >/dev/null 2>>"$T/err-$u"
		r=$?
		if [ "$r" -ne 75 ] || [ "$n" -ge 50 ]; then
			return "$r"
		fi
		n=$((n + 1))
		sleep 0.1
	done
}
work() { # user: what they do, at once with the others
	local db own
	db=$(as "$u")
	own=$((10#${u#u} + 1))
	case $u in
	u0* | u10)
		try crm-lead import -q --db "$db" "$T/leads-$u.csv" || return 1
		try crm-lead assign --rules "$T/rr.json" -q --db "$db" || return 2
		try crm-contact tag add "$u" 1 -q --db "$db" || return 3
		try crm-contact update "$own" --set "title=done $u" -q --db "$db" || return 4
		;;
	*)
		for k in 1 2 3; do
			try crm-contact tag add "$u-$k" 1 -q --db "$db" || return 5
			try crm-contact update "$own" --set "title=$u $k" -q --db "$db" || return 6
		done
		;;
	esac
}
pids=()
for u in $users; do
	work & pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=$((failed + 1))
done
check "all 20 users' commands succeeded on PostgreSQL" [ "$failed" -eq 0 ]
cat "$T"/err-u* >"$T/errs" 2>/dev/null
check "no command failed other than busy" sh -c '! grep -v "busy" "$1" | grep -q .' _ "$T/errs"

q "SELECT count(*), count(*) FILTER (WHERE owner ~ '^u[0-9][0-9]\$') FROM leads"
echo '110|110' >"$T/want"
compare "$T/want" "$T/sql" "all 110 leads imported and assigned to users"
q "SELECT count(*), min(n), max(n), count(*) FILTER (WHERE n = 6) FROM (SELECT owner, count(*) AS n FROM leads GROUP BY owner) AS x"
echo '20|5|6|10' >"$T/want"
compare "$T/want" "$T/sql" "round robin: every user 5 or 6, ten of them 6"
q "SELECT count(*), count(DISTINCT seq), max(seq) FROM lead_rotation WHERE team = 'floor'"
echo '20|20|110' >"$T/want"
compare "$T/want" "$T/sql" "the rotation counted 110 turns over 20 users"
q "SELECT count(*) FROM lead_history WHERE field = 'owner' AND to_value ~ '^u'"
echo 110 >"$T/want"
compare "$T/want" "$T/sql" "each assignment in the lead history"
# every tag on the shared contact: u01..u10 and u11-1 .. u20-3
q "SELECT tags FROM contacts WHERE id = 1"
tr ',' '\n' <"$T/sql" | sort >"$T/tags"
{
	for u in $users; do
		case $u in u0* | u10) echo "$u" ;; *) printf '%s\n' "$u-1" "$u-2" "$u-3" ;; esac
	done
} | sort >"$T/want"
compare "$T/want" "$T/tags" "40 tags from 20 users on one contact: none lost"
q "SELECT string_agg(title, ',' ORDER BY id) FROM contacts WHERE id > 1"
want=$(for u in $users; do case $u in u0* | u10) printf '%s,' "done $u" ;; *) printf '%s,' "$u 3" ;; esac; done)
echo "${want%,}" >"$T/want"
compare "$T/want" "$T/sql" "each user's last update of their own contact"
q "SELECT count(*) FROM crm_audit WHERE entity = 'contact' AND record_id = 1"
echo 40 >"$T/want"
compare "$T/want" "$T/sql" "40 changes of the shared contact in the change log"
q "SELECT count(*) - count(DISTINCT actor) FROM crm_changes WHERE command = 'tag add'"
echo 20 >"$T/want"
compare "$T/want" "$T/sql" "the tags' changes name 20 different users (40 changes)"
done_testing
