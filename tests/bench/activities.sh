#!/bin/sh
# activities.sh [N [CONTACTS]]: import N activities (default 5,000,000) as
# NDJSON, each linked by email to one of CONTACTS contacts (default
# 1,000,000), with crm-activity; and the same work with the sqlite3 shell
# (the events loaded as lines, then one INSERT ... SELECT joining contacts
# on the email key, then last_activity_at set from the activities) in the
# same schema and indexes. Prints times, the ratio and our peak RSS.
set -eu
n=${1:-5000000}
nc=${2:-1000000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z

# contacts: loaded straight into crm's schema (not what is measured)
"$bin/crm" init --db "$dir/ours.db" 2>/dev/null
awk -v n="$nc" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%d,User.%d@Example%d.com,user.%d@example%d.com\n", i, i, i % 97, i, i % 97 }' >"$dir/c.csv"
sqlite3 "$dir/ours.db" <<SQL
.mode csv
CREATE TEMP TABLE t (id, email, email_key);
.import $dir/c.csv t
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
SELECT id, 'C' || id, email, email_key, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM t;
SQL
cp "$dir/ours.db" "$dir/ref.db"
# events: mixed-case emails, several types, times over a year
awk -v n="$n" -v nc="$nc" 'BEGIN {
	srand(7)
	split("email_open email_click web_visit call email form_submit", ty, " ")
	for (i = 1; i <= n; i++) {
		k = 1 + int(rand() * nc)
		printf "{\"external_id\":\"ev-%d\",\"email\":\"User.%d@EXAMPLE%d.com\",\"type\":\"%s\",\"occurred_at\":\"2026-%02d-%02dT%02d:%02d:00Z\",\"subject\":\"campaign %d\"}\n", i, k, k % 97, ty[1 + int(rand() * 6)], 1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24), int(rand() * 60), i % 50
	}
}' >"$dir/ev.ndjson"
echo "data: $n activities ($(($(stat -c %s "$dir/ev.ndjson") / 1048576)) MiB of NDJSON), $nc contacts"

timed /dev/null /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-activity" import -q --db "$dir/ours.db" "$dir/ev.ndjson"
t_ours=$t
timed /dev/null sqlite3 "$dir/ref.db" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA foreign_keys=ON;
.mode ascii
.separator "\t" "\n"
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
COMMIT;
SQL
t_ref=$t
echo "import: crm-activity ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss")"
a=$(sqlite3 "$dir/ours.db" "SELECT count(*), count(contact_id) FROM activities")
b=$(sqlite3 "$dir/ref.db" "SELECT count(*), count(contact_id) FROM activities")
c=$(sqlite3 "$dir/ours.db" "SELECT count(*) FROM contacts WHERE last_activity_at IS NOT NULL")
d=$(sqlite3 "$dir/ref.db" "SELECT count(*) FROM contacts WHERE last_activity_at IS NOT NULL")
echo "activities (all|linked): ours $a, reference $b; contacts with last_activity_at: ours $c, reference $d"
