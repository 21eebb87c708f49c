#!/bin/sh
# leads.sh [N [CONTACTS]]: the lead verbs on N web-form leads (default
# 200,000; one in ten repeats an earlier lead's email in another case, one
# in twenty is already a contact of CONTACTS, default 100,000), against
# hand-written SQL doing the same work in the same schema (made by crm
# init), on SQLite (sqlite3 shell) and PostgreSQL (psql, on a throwaway
# server from tests/pgserver.sh): BENCH_ENGINE=sqlite|pg|both (default
# both when PostgreSQL is installed). Prints times, ratios, crm's peak RSS
# and one "row" line per work (tests/bench/lib.sh); on SQLite also both
# sides' CPU time. LEADS_IMPORT_ONLY=1 stops after the import.
#
# What each side does:
# - import. crm-lead import (duplicate control, mode update): reads the
#   CSV, checks each lead's email and phone against the leads and the
#   contacts, drops a lead that is a contact, inserts a new one with its
#   "create" history row, and updates the first lead with a repeat's values,
#   writing for each such update an undo row (crm_audit: the lead's whole
#   before-image as JSON and the changed fields); one change set.
#   Reference: loads the CSV into a staging table, inserts the first lead
#   of each email key that is no contact, its history rows, for each
#   repeat an undo row with the lead's before-image and the changed fields,
#   then sets each repeated lead to its last repeat's values; one change
#   set. Both leave the same leads (checked: "same leads").
# - assign. crm-lead assign by one round-robin rule over seven reps: reads
#   the rules and rotation, then per lead its row, the rule match, the
#   pick, the update, an undo row (before-image and changes) and an
#   "owner" history row; stores the rotation. Reference: the undo rows
#   (before-images) of the unowned leads, the owners set round-robin by
#   id, the history rows, one change set.
# - reclaim. 40 days later, crm-lead reclaim --idle 30d on the assigned
#   leads, a third of which had an activity of their owner 10 days ago:
#   per owned open lead the latest activity of its owner (the activities
#   index), and for each idle one the owner's team pool (crm_users), the
#   update (owner to the pool, previous owner kept), an undo row and an
#   "owner" history row. Reference: the same selection in one query, then
#   the undo rows, the update and the history rows, one change set; both
#   start from a copy of the same database and leave the same leads
#   (checked).
set -eu
n=${1:-200000}
nc=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
if [ -z "${BENCH_ENGINE:-}" ]; then
	BENCH_ENGINE=sqlite
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && BENCH_ENGINE=both
fi
case $BENCH_ENGINE in
sqlite | pg | both) ;;
*)
	echo "leads.sh: BENCH_ENGINE is sqlite, pg or both" >&2
	exit 64
	;;
esac
if [ "$BENCH_ENGINE" = both ]; then
	BENCH_ENGINE=sqlite sh "$0" "$@"
	exec env BENCH_ENGINE=pg sh "$0" "$@"
fi
if [ "$BENCH_ENGINE" = pg ] && [ -z "${CRM_TEST_PG:-}" ] &&
	[ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
engine=$BENCH_ENGINE
dir=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
ours="crm_bench_leads_ours_$$" ref="crm_bench_leads_ref_$$"
now=2026-11-22T09:30:00Z
later=2027-01-01T09:30:00Z
export CRM_NOW=$now

if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	trap 'admin "DROP DATABASE IF EXISTS $ours" || :; admin "DROP DATABASE IF EXISTS $ref" || :; rm -rf "$dir"' EXIT
	db_ours=$(url "$ours") db_ref=$(url "$ref")
	# sql DB: run stdin with psql, stopping at the first error
	sql() { psql "$1" -X -q -A -t -v ON_ERROR_STOP=1; }
	admin "CREATE DATABASE $ours"
	# text of a column, a JSON object and a copy of a CSV file
	txt() { echo "$1::text"; }
	jobj=json_build_object
	jnull="'{}'::json"
	load() { printf '\\copy %s %s FROM '"'%s'"' WITH (FORMAT csv, HEADER %s)\n' "$1" "$2" "$3" "$4"; }
	serial="n bigserial,"
	instr=strpos
	idx=n
	version="PostgreSQL $(psql "$CRM_TEST_PG" -X -A -t -c 'SHOW server_version')"
else
	trap 'rm -rf "$dir"' EXIT
	db_ours=$dir/ours.db db_ref=$dir/ref.db
	sql() { sqlite3 -bail "$1"; }
	txt() { echo "CAST($1 AS TEXT)"; }
	jobj=json_object
	jnull="json('{}')"
	load() {
		if [ "$4" = true ]; then
			printf '.mode csv\n.import --skip 1 %s %s\n' "$3" "$1"
		else
			printf '.mode csv\n.import %s %s\n' "$3" "$1"
		fi
	}
	serial=
	instr=instr
	idx=rowid
	version="SQLite $(sqlite3 --version | cut -d' ' -f1)"
fi
# copy DB FROM: DB becomes a copy of database FROM
copy() {
	if [ "$engine" = pg ]; then
		admin "DROP DATABASE IF EXISTS $1" 2>/dev/null
		admin "CREATE DATABASE $1 TEMPLATE $2"
	else
		cp "$2" "$1"
		rm -f "$1-wal" "$1-shm"
	fi
}
# time_ref: time the SQL on stdin against the reference database (on
# SQLite with its CPU time: the machine is shared, wall times are noisy)
time_ref() {
	if [ "$engine" = pg ]; then
		timed /dev/null sql "$db_ref"
	else
		timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/cpu.ref" \
			sqlite3 -bail "$db_ref"
	fi
}
# cpu WORK: on SQLite, the CPU seconds (user + system) of crm and of the
# reference and their ratio (PostgreSQL's work is in the server)
cpu() {
	[ "$engine" = sqlite ] || return 0
	a=$(awk 'END { printf "%.2f", $2 + $3 }' "$dir/rss")
	b=$(awk 'END { printf "%.2f", $2 + $3 }' "$dir/cpu.ref")
	echo "$1 CPU: crm-lead ${a}s, sqlite3 ${b}s, ratio $(ratio "$a" "$b")"
}
# same A B: whether the two databases hold the same leads
leads_sql="SELECT id, first_name, last_name, email, email_key, company, source, status, owner, previous_owner, assigned_at FROM leads ORDER BY id"
same() {
	echo "$leads_sql;" | sql "$1" >"$dir/a.out"
	echo "$leads_sql;" | sql "$2" >"$dir/b.out"
	cmp -s "$dir/a.out" "$dir/b.out" && echo yes ||
		{ echo NO; diff "$dir/a.out" "$dir/b.out" | head -5 >&2; }
}

"$bin/crm" init --db "$db_ours" 2>/dev/null
awk -v n="$nc" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%d,c%d@corp%d.example\n", i, i, i % 89 }' >"$dir/c.csv"
sql "$db_ours" <<SQL
CREATE TEMP TABLE t (id TEXT, email TEXT);
$(load t "" "$dir/c.csv" false)
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
SELECT CAST(id AS INTEGER), 'C' || id, email, email, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM t;
SQL
[ "$engine" = pg ] && echo "SELECT setval(pg_get_serial_sequence('contacts', 'id'), $nc);" | sql "$db_ours" >/dev/null
if [ "$engine" = pg ]; then copy "$ref" "$ours"; else copy "$db_ref" "$db_ours"; fi
awk -v n="$n" -v nc="$nc" 'BEGIN {
	srand(11)
	print "first_name,last_name,email,company,region,country,source"
	split("web ads event referral partner", src, " ")
	for (i = 1; i <= n; i++) {
		r = rand()
		if (r < 0.05) { k = 1 + int(rand() * nc); e = "c" k "@corp" (k % 89) ".example" }
		else if (r < 0.15 && i > 1) { k = 1 + int(rand() * (i - 1)); e = "Lead" k "@Firm" (k % 997) ".example" }
		else e = "lead" i "@firm" (i % 997) ".example"
		printf "F%d,L%d,%s,Firm %d,EMEA,DE,%s\n", i, i, e, i % 997, src[1 + i % 5]
	}
}' >"$dir/leads.csv"
cat >"$dir/rules.json" <<'X'
{"teams": [{"name": "sales", "members": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]}],
 "rules": [{"name": "all", "match": {}, "team": "sales"}]}
X
echo "data: $n leads ($(($(stat -c %s "$dir/leads.csv") / 1048576)) MiB of CSV), $nc contacts, $version"

# the before-image of a lead l as JSON text, every field as text
image="$jobj("
for c in $(echo "SELECT column_name FROM information_schema.columns WHERE table_name = 'leads' AND column_name <> 'custom' ORDER BY ordinal_position;" | { [ "$engine" = pg ] && sql "$db_ours" || sqlite3 "$db_ours" "SELECT name FROM pragma_table_info('leads') WHERE name <> 'custom'"; }); do
	image="$image'$c', $(txt "l.$c"), "
done
image="$image'custom', $jnull)"
# crm keeps an email's local part and lowers its domain
norm="substr(t.email, 1, $instr(t.email, '@')) || lower(substr(t.email, $instr(t.email, '@') + 1))"
change="INSERT INTO crm_changes (id, at, actor, command, entity) SELECT coalesce(max(id), 0) + 1, '$now', 'bench', 'CMD', 'lead' FROM crm_changes;"
cid="(SELECT max(id) FROM crm_changes)"

# -- import (on PostgreSQL with the server's CPU seconds for each side, as
# tickets.sh: under others' load they swing much less than the wall)
s0=$(srv_cpu)
timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss" \
	"$bin/crm-lead" import -q --db "$db_ours" "$dir/leads.csv"
t_ours=$t
s1=$(srv_cpu)
time_ref <<SQL
$(echo "$change" | sed 's/CMD/import/')
CREATE TEMP TABLE t ($serial first_name TEXT, last_name TEXT, email TEXT, company TEXT, region TEXT, country TEXT, source TEXT);
$(load t "(first_name, last_name, email, company, region, country, source)" "$dir/leads.csv" true)
-- NOT EXISTS, not NOT IN: past work_mem PostgreSQL runs a NOT IN as a
-- scan of every contact per lead (at 3M leads still running after 8 min)
CREATE TEMP TABLE k AS SELECT $idx AS n, lower(email) AS key FROM t
  WHERE lower(email) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contacts c
  WHERE c.email_key = lower(t.email));
CREATE TEMP TABLE f AS SELECT key, min(n) AS first, max(n) AS last, count(*) AS c FROM k GROUP BY key;
BEGIN;
INSERT INTO leads (first_name, last_name, email, email_key, company, region,
  country, source, status, created_at, updated_at)
SELECT first_name, last_name, $norm, lower(email), company, region, country,
  source, 'new', '$now', '$now'
FROM t WHERE $idx IN (SELECT first FROM f) ORDER BY $idx;
INSERT INTO lead_history (lead_id, field, to_value, at, command)
SELECT id, 'status', 'new', created_at, 'create' FROM leads ORDER BY id;
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT $cid, 'lead', l.id, 'update', $image,
  $jobj('company', t.company, 'email', $norm, 'first_name', t.first_name, 'last_name', t.last_name, 'source', t.source)
FROM k JOIN f ON f.key = k.key AND k.n <> f.first JOIN t ON t.$idx = k.n JOIN leads l ON l.email_key = k.key ORDER BY k.n;
UPDATE leads SET first_name = t.first_name, last_name = t.last_name, email = $norm,
  company = t.company, source = t.source, updated_at = '$now'
FROM f JOIN t ON t.$idx = f.last WHERE f.c > 1 AND leads.email_key = f.key;
COMMIT;
SQL
t_ref=$t
s2=$(srv_cpu)
echo "import: crm-lead ${t_ours}s, $engine reference ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm peak RSS $(rss "$dir/rss"), same leads: $(same "$db_ours" "$db_ref"), load $(cut -d' ' -f1 /proc/loadavg)"
cpu import
if [ "$engine" = pg ] && [ -n "$s0" ]; then
	echo "$s0 $s1 $s2 $(awk 'END { printf "%.2f", $2 + $3 }' "$dir/rss") $cpu" | awk '{
		o = $2 - $1; r = $3 - $2
		printf "import CPU: crm %.2fs + server %.2fs, reference psql %.2fs + server %.2fs, ratio %.2f\n",
		    $4, o, $5, r, ($4 + o) / ($5 + r) }'
fi
row "lead import ($nc contacts)" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss"
[ -z "${LEADS_IMPORT_ONLY:-}" ] || exit 0

# -- assign
timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss" \
	"$bin/crm-lead" assign -q --db "$db_ours" --rules "$dir/rules.json" --ids
t_ours=$t
time_ref <<SQL
BEGIN;
$(echo "$change" | sed 's/CMD/assign/')
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT $cid, 'lead', l.id, 'update', $image,
  $jobj('assigned_at', '$now', 'owner', 'r' || (1 + (l.id - 1) % 7))
FROM leads l WHERE l.owner IS NULL ORDER BY l.id;
UPDATE leads SET owner = 'r' || (1 + (id - 1) % 7), assigned_at = '$now', updated_at = '$now' WHERE owner IS NULL;
INSERT INTO lead_history (lead_id, field, to_value, at, command, reason)
SELECT id, 'owner', owner, assigned_at, 'assign', 'all' FROM leads ORDER BY id;
INSERT INTO lead_rotation (team, member, seq, credit, last_assigned_at)
SELECT 'sales', 'r' || i, i, 0, '$now' FROM (SELECT 1 AS i UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7) AS m;
COMMIT;
SQL
t_ref=$t
echo "assign: crm-lead ${t_ours}s, $engine reference ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm peak RSS $(rss "$dir/rss")"
cpu assign
row "lead assign" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss"
echo "assign spread (max - min leads per rep): $(echo "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM leads GROUP BY owner) AS x;" | sql "$db_ours")"

# -- reclaim: both from the same assigned leads, a third recently worked
sql "$db_ours" <<SQL
INSERT INTO activities (type, subject, occurred_at, owner, lead_id, created_at, updated_at)
SELECT 'call', 'follow-up', '2026-12-22T09:00:00Z', owner, id, '$now', '$now'
FROM leads WHERE id % 3 = 0 ORDER BY id;
SQL
if [ "$engine" = pg ]; then copy "$ref" "$ours"; else copy "$db_ref" "$db_ours"; fi
export CRM_NOW=$later
timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss" \
	"$bin/crm-lead" reclaim -q --db "$db_ours" --idle 30d --ids
t_ours=$t
time_ref <<SQL
BEGIN;
$(echo "$change" | sed "s/CMD/reclaim/; s/$now/$later/")
CREATE TEMP TABLE r AS SELECT id, owner FROM (SELECT l.id, l.owner,
  coalesce(l.assigned_at, l.created_at) AS given,
  coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.lead_id = l.id
    AND (a.owner IS NULL OR a.owner = l.owner) AND a.occurred_at <= '$later'), '') AS acted
  FROM leads l WHERE l.owner IS NOT NULL AND substr(l.owner, 1, 1) <> '@'
  AND l.status IN ('new', 'working', 'nurturing', 'qualified')) AS g
  WHERE (CASE WHEN given >= acted THEN given ELSE acted END) <= '2026-12-02T09:30:00Z';
INSERT INTO crm_audit (change_id, entity, record_id, action, before, after)
SELECT $cid, 'lead', l.id, 'update', $image,
  $jobj('assigned_at', NULL, 'owner', (SELECT '@' || team FROM crm_users u WHERE u.name = l.owner AND team <> ''), 'previous_owner', l.owner)
FROM leads l JOIN r ON r.id = l.id ORDER BY l.id;
UPDATE leads SET previous_owner = owner,
  owner = (SELECT '@' || team FROM crm_users u WHERE u.name = leads.owner AND team <> ''),
  assigned_at = NULL, updated_at = '$later' WHERE id IN (SELECT id FROM r);
INSERT INTO lead_history (lead_id, field, from_value, to_value, at, command, reason)
SELECT id, 'owner', owner, NULL, '$later', 'reclaim', 'idle 30d' FROM r ORDER BY id;
COMMIT;
SQL
t_ref=$t
echo "reclaim: crm-lead ${t_ours}s, $engine reference ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm peak RSS $(rss "$dir/rss"), same leads: $(same "$db_ours" "$db_ref")"
cpu reclaim
row "lead reclaim" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss"
