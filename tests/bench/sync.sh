#!/bin/sh
# sync.sh [CONTACTS [REP_CONTACTS [ACTIVITIES_EACH [CHANGES]]]]: a server
# of CONTACTS contacts (default 1,000,000), REP_CONTACTS of them (default
# 10,000) one rep's with ACTIVITIES_EACH activities each (default 10:
# 100,000), row-level security on; times `crm sync pull --mine` of the
# rep's records, then `crm sync push` of CHANGES (default 1,000) contact
# updates made in the copy, and for reference psql as the rep: \copy of
# the same contacts and activities, and the same updates in one
# transaction. Prints times, ratios and crm's peak RSS. The server is a
# throwaway one (tests/pgserver.sh) unless $CRM_TEST_PG names one.
set -eu
n=${1:-1000000} rep=${2:-10000} each=${3:-10} changes=${4:-1000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CRM_TEST_PG:-}" ] && [ -z "${CRM_PGSERVER_DONE:-}" ]; then
	CRM_PGSERVER_DONE=1 exec sh "$top/tests/pgserver.sh" sh "$0" "$@"
fi
CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
db="crm_bench_sync_$$"
url() {
	case $CRM_TEST_PG in
	*://*\?*) echo "$CRM_TEST_PG&dbname=$db${1:+&user=$1}" ;;
	*://*) echo "$CRM_TEST_PG?dbname=$db${1:+&user=$1}" ;;
	*) echo "$CRM_TEST_PG dbname=$db${1:+ user=$1}" ;;
	esac
}
admin() { psql "$CRM_TEST_PG" -X -q -c "$1" >/dev/null; }
trap 'admin "DROP DATABASE IF EXISTS $db"; rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z CRM_USER=bench
admin "CREATE DATABASE $db"
"$bin/crm" init --db "$(url)" 2>/dev/null
"$bin/crm-user" add -q rep --db "$(url)" >/dev/null
"$bin/crm-user" add -q other --db "$(url)" >/dev/null
step=$((n / rep))
# the fixture by SQL (what is measured is the sync, not the load): every
# step-th contact is the rep's, the rest another rep's
psql "$(url)" -X -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO contacts (first_name, last_name, email, email_key, city, owner,
  created_at, updated_at)
SELECT 'F' || i, 'L' || i, 'c' || i || '@example.com', 'c' || i || '@example.com',
  'City' || (i % 100), CASE WHEN i % $step = 0 THEN 'rep' ELSE 'other' END,
  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series(1, $n) i;
INSERT INTO activities (type, subject, occurred_at, owner, contact_id,
  created_at, updated_at)
SELECT 'call', 'call ' || k, '2026-02-01T00:00:00Z', 'rep', c.id,
  '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'
FROM contacts c, generate_series(1, $each) k WHERE c.owner = 'rep';
ANALYZE;
SQL
"$bin/crm-user" setup-rls --db "$(url)" 2>/dev/null
echo "data: $n contacts on the server, the rep's $rep with $((rep * each)) activities; PostgreSQL $(psql "$CRM_TEST_PG" -X -A -t -c 'SHOW server_version'); $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

timed /dev/null /usr/bin/time -f %M -o "$dir/rss.pull" \
	"$bin/crm" sync pull -q --mine --db "$(url rep)" --to "$dir/laptop.db"
t_ours=$t
timed /dev/null sh -c "psql '$(url rep)' -X -q -c \"\\copy (SELECT * FROM contacts WHERE owner = 'rep' ORDER BY id) TO '$dir/c.csv' WITH (FORMAT csv)\" &&
	psql '$(url rep)' -X -q -c \"\\copy (SELECT * FROM activities WHERE owner = 'rep' OR contact_id IN (SELECT id FROM contacts WHERE owner = 'rep') ORDER BY id) TO '$dir/a.csv' WITH (FORMAT csv)\""
t_ref=$t
printf 'pull: crm sync pull --mine %ss, psql copy as the rep %ss, ratio %s, crm peak RSS %s\n' "$t_ours" "$t_ref" "$(ratio "$t_ours" "$t_ref")" "$(rss "$dir/rss.pull")"
echo "copy: $(sqlite3 "$dir/laptop.db" 'SELECT count(*) FROM contacts') contacts, $(sqlite3 "$dir/laptop.db" 'SELECT count(*) FROM activities') activities"

# CHANGES contacts of the rep get a title in the copy
last=$(sqlite3 "$dir/laptop.db" "SELECT id FROM contacts ORDER BY id LIMIT 1 OFFSET $((changes - 1))")
"$bin/crm-contact" update -q --db "$dir/laptop.db" --where "id<=$last" --set title=Synced
timed "$dir/push.out" /usr/bin/time -f %M -o "$dir/rss.push" \
	"$bin/crm" sync push -q --from "$dir/laptop.db"
t_ours=$t
sqlite3 "$dir/laptop.db" "SELECT 'UPDATE contacts SET title = ''Psql'', updated_at = ''2026-11-22T09:30:00Z'' WHERE id = ' || id || ';' FROM contacts WHERE id <= $last" >"$dir/ref.sql"
timed /dev/null sh -c "{ echo 'BEGIN;'; cat '$dir/ref.sql'; echo 'COMMIT;'; } | psql '$(url rep)' -X -q -v ON_ERROR_STOP=1"
t_ref=$t
echo "push: crm sync push of $(grep -c '^updated,' "$dir/push.out") changes ${t_ours}s, psql $changes UPDATEs in one transaction ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm peak RSS $(rss "$dir/rss.push")"
echo "server: $(psql "$(url)" -X -A -t -c "SELECT count(*) FROM contacts WHERE title = 'Psql'") contacts updated, $(psql "$(url)" -X -A -t -c "SELECT count(*) FROM crm_sync_applied") changes recorded applied"
