#!/bin/sh
# activities.sh [N [CONTACTS]]: import N activities (default 5,000,000) as
# NDJSON, each linked by email to one of CONTACTS contacts (default
# 1,000,000), with crm-activity (per line: the email normalized and
# resolved to its contact and company, the row inserted; then every linked
# record's last_activity_at set once for the batch); and the same work
# hand-written in the same schema and indexes: the events loaded as lines
# (.import / \copy), one INSERT ... SELECT joining contacts on the
# lower-cased email key, then last_activity_at set from the activities.
# SQLite (sqlite3 shell) and PostgreSQL (psql, on a throwaway server
# tests/pgserver.sh starts, or the one $CRM_TEST_PG names):
# BENCH_ENGINE=sqlite|pg|both (default both when PostgreSQL is installed).
# Prints times, the ratio, our peak RSS and a row line (lib.sh); on SQLite
# also both sides' CPU time (user + system; wall times on a shared machine
# swing more than 2x), on PostgreSQL crm-activity's.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_NOW=2026-11-22T09:30:00Z

awk -v n="$nc" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%d,User.%d@Example%d.com,user.%d@example%d.com\n", i, i, i % 97, i, i % 97 }' >"$dir/c.csv"
# events: mixed-case emails, several types, times over a year
awk -v n="$n" -v nc="$nc" 'BEGIN {
	srand(7)
	split("email_open email_click web_visit call email form_submit", ty, " ")
	for (i = 1; i <= n; i++) {
		k = 1 + int(rand() * nc)
		printf "{\"external_id\":\"ev-%d\",\"email\":\"User.%d@EXAMPLE%d.com\",\"type\":\"%s\",\"occurred_at\":\"2026-%02d-%02dT%02d:%02d:00Z\",\"subject\":\"campaign %d\"}\n", i, k, k % 97, ty[1 + int(rand() * 6)], 1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24), int(rand() * 60), i % 50
	}
}' >"$dir/ev.ndjson"
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	ours="crm_bench_act_ours_$$" ref="crm_bench_act_ref_$$"
	trap 'admin "DROP DATABASE IF EXISTS $ours"; admin "DROP DATABASE IF EXISTS $ref"; rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $ours"
	admin "CREATE DATABASE $ref"
	odb=$(url "$ours") rdb=$(url "$ref")
	sq() { psql "$1" -X -q -v ON_ERROR_STOP=1 >/dev/null; }
	q() { psql "$1" -X -A -t -c "$2"; }
	# contacts: loaded straight into crm's schema (not what is measured)
	for db in "$odb" "$rdb"; do
		"$bin/crm" init --db "$db" 2>/dev/null
		sq "$db" <<SQL
CREATE TEMP TABLE t (id BIGINT, email TEXT, email_key TEXT);
\\copy t FROM '$dir/c.csv' WITH (FORMAT csv)
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
SELECT id, 'C' || id, email, email_key, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM t;
SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts));
ANALYZE contacts;
SQL
	done
	# lines as text: no quote or escape character occurs in the events
	ref_import="CREATE TEMP TABLE ev (line TEXT);
\\copy ev FROM '$dir/ev.ndjson' WITH (FORMAT text)
BEGIN;
INSERT INTO activities (external_id, type, subject, occurred_at, contact_id,
  company_id, custom, created_at, updated_at)
SELECT line::json->>'external_id', line::json->>'type',
  line::json->>'subject', line::json->>'occurred_at',
  c.id, c.company_id, NULL, '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z'
FROM ev JOIN contacts c ON c.email_key = lower(line::json->>'email');
UPDATE contacts SET last_activity_at = m.at FROM
  (SELECT contact_id, max(occurred_at) AS at FROM activities GROUP BY contact_id) AS m
  WHERE contacts.id = m.contact_id;
COMMIT;"
else
	trap 'rm -rf "$dir"' EXIT
	odb=$dir/ours.db rdb=$dir/ref.db
	sq() { sqlite3 "$1" >/dev/null; }
	q() { sqlite3 "$1" "$2"; }
	# contacts: loaded straight into crm's schema (not what is measured)
	"$bin/crm" init --db "$odb" 2>/dev/null
	sq "$odb" <<SQL
.mode csv
CREATE TEMP TABLE t (id, email, email_key);
.import $dir/c.csv t
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
SELECT id, 'C' || id, email, email_key, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM t;
SQL
	cp "$odb" "$rdb"
	ref_import="PRAGMA journal_mode=WAL;
PRAGMA foreign_keys=ON;
.mode ascii
.separator \"\\t\" \"\\n\"
CREATE TEMP TABLE ev (line);
.import $dir/ev.ndjson ev
BEGIN;
INSERT INTO activities (external_id, type, subject, occurred_at, contact_id,
  company_id, custom, created_at, updated_at)
SELECT json_extract(line, '\$.external_id'), json_extract(line, '\$.type'),
  json_extract(line, '\$.subject'), json_extract(line, '\$.occurred_at'),
  c.id, c.company_id, NULL, '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z'
FROM ev JOIN contacts c ON c.email_key = lower(json_extract(line, '\$.email'));
UPDATE contacts SET last_activity_at = m.at FROM
  (SELECT contact_id, max(occurred_at) AS at FROM activities GROUP BY contact_id) AS m
  WHERE contacts.id = m.contact_id;
COMMIT;"
fi
echo "data: $n activities ($(($(stat -c %s "$dir/ev.ndjson") / 1048576)) MiB of NDJSON), $nc contacts, engine $engine"

timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/rss" \
	"$bin/crm-activity" import -q --db "$odb" "$dir/ev.ndjson"
t_ours=$t
if [ "$engine" = pg ]; then
	timed /dev/null sq "$rdb" <<SQL
$ref_import
SQL
else
	timed /dev/null /usr/bin/time -f "%M %U %S" -o "$dir/cpu.ref" \
		sqlite3 "$rdb" <<SQL
$ref_import
SQL
fi
t_ref=$t
echo "import: crm-activity ${t_ours}s, reference ${t_ref}s, ratio $(ratio "$t_ours" "$t_ref"), crm peak RSS $(rss "$dir/rss")"
a=$(awk 'END { printf "%.2f", $2 + $3 }' "$dir/rss")
if [ "$engine" = sqlite ]; then
	b=$(awk 'END { printf "%.2f", $2 + $3 }' "$dir/cpu.ref")
	echo "import CPU: crm-activity ${a}s, sqlite3 ${b}s, ratio $(ratio "$a" "$b")"
else
	echo "import CPU: crm-activity ${a}s (the client's; psql's work is the server's)"
fi
row "activity import" "$engine" "$n" "$t_ours" "$t_ref" "$dir/rss"
a=$(q "$odb" "SELECT count(*), count(contact_id) FROM activities")
b=$(q "$rdb" "SELECT count(*), count(contact_id) FROM activities")
c=$(q "$odb" "SELECT count(*) FROM contacts WHERE last_activity_at IS NOT NULL")
d=$(q "$rdb" "SELECT count(*) FROM contacts WHERE last_activity_at IS NOT NULL")
echo "activities (all|linked): ours $a, reference $b; contacts with last_activity_at: ours $c, reference $d"
