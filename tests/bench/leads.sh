#!/bin/sh
# leads.sh [N [CONTACTS]]: import N web-form leads (default 200,000; one in
# ten repeats an earlier lead's email in another case, one in twenty is
# already a contact of CONTACTS, default 100,000) with crm-lead import
# (duplicate control, default mode update), then assign them all by a
# round-robin rule; and the same work with the sqlite3 shell in the same
# schema: the CSV loaded, leads matching a contact dropped, repeats folded
# onto the first by email key, then owners set round-robin by row number.
# Prints times, ratios and our peak RSS.
set -eu
n=${1:-200000}
nc=${2:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z

"$bin/crm" init --db "$dir/ours.db" 2>/dev/null
awk -v n="$nc" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%d,c%d@corp%d.example\n", i, i, i % 89 }' >"$dir/c.csv"
sqlite3 "$dir/ours.db" <<SQL
.mode csv
CREATE TEMP TABLE t (id, email);
.import $dir/c.csv t
INSERT INTO contacts (id, first_name, email, email_key, created_at, updated_at)
SELECT id, 'C' || id, email, email, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM t;
SQL
cp "$dir/ours.db" "$dir/ref.db"
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
echo "data: $n leads ($(($(stat -c %s "$dir/leads.csv") / 1048576)) MiB of CSV), $nc contacts"

timed /dev/null /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-lead" import -q --db "$dir/ours.db" "$dir/leads.csv"
t_ours=$t
timed /dev/null sqlite3 "$dir/ref.db" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA foreign_keys=ON;
.mode csv
CREATE TEMP TABLE t (first_name, last_name, email, company, region, country, source);
.import --skip 1 $dir/leads.csv t
BEGIN;
INSERT INTO leads (first_name, last_name, email, email_key, company, region,
  country, source, status, created_at, updated_at)
SELECT first_name, last_name, email, lower(email), company, region, country,
  source, 'new', '2026-11-22T09:30:00Z', '2026-11-22T09:30:00Z'
FROM t WHERE t.rowid IN (SELECT min(rowid) FROM t GROUP BY lower(email))
  AND lower(email) NOT IN (SELECT email_key FROM contacts);
INSERT INTO lead_history (lead_id, field, to_value, at, command)
SELECT id, 'status', 'new', created_at, 'create' FROM leads;
COMMIT;
SQL
t_ref=$t
echo "import: crm-lead ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss")"
a=$(sqlite3 "$dir/ours.db" "SELECT count(*) FROM leads")
b=$(sqlite3 "$dir/ref.db" "SELECT count(*) FROM leads")
echo "leads: ours $a, reference $b"

timed /dev/null /usr/bin/time -f %M -o "$dir/rss" \
	"$bin/crm-lead" assign -q --db "$dir/ours.db" --rules "$dir/rules.json" --ids
t_ours=$t
timed /dev/null sqlite3 "$dir/ref.db" <<SQL
BEGIN;
UPDATE leads SET owner = 'r' || (1 + (id - 1) % 7), assigned_at = '2026-11-22T09:30:00Z' WHERE owner IS NULL;
INSERT INTO lead_history (lead_id, field, to_value, at, command)
SELECT id, 'owner', owner, assigned_at, 'assign' FROM leads;
COMMIT;
SQL
t_ref=$t
echo "assign: crm-lead ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss")"
a=$(sqlite3 "$dir/ours.db" "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM leads GROUP BY owner)")
echo "assign spread (max - min leads per rep): $a"
