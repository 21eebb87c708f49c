#!/bin/sh
# reads.sh [N] [RUNS]: interactive reads on an N-contact SQLite database
# (default 10,000,000; RUNS each, default 20): crm-contact show by id, by
# email and by phone, crm-contact list --where on an indexed field with
# --limit 20, and crm search NAME (a name on one contact, the worst case:
# nothing stops the scan early, and a common one); prints the median and
# p90 wall time of each (process start included) and the query plan of
# the statement behind it. The database is made by crm init (crm's schema
# and indexes), then filled by the sqlite3 shell from generate_series
# (indexes dropped and made again after the load: faster than crm-contact
# import at this size, and the reads are what is measured here). No
# reference side: the target is absolute (under 50 ms), so the rows have
# reference 0.05 s and the ratio reads as "fraction of the budget".
# BENCH_DB=FILE keeps the database (made once, reused while it exists);
# SEARCH_RUNS=K runs the unique-name search (a whole scan) K times only.
# Then crm search --reindex (timed, on a copy when BENCH_DB is kept) and
# the searches and a show by name again, answered from the index.
set -eu
n=${1:-10000000}
runs=${2:-20}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
case $(bench_engines) in
*sqlite*) ;;
*) exit 0 ;; # SQLite only (the issue's target)
esac
bin=$top/$BUILD/bin
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=${BENCH_DB:-$dir/reads.db}
export CRM_NOW=2026-11-22T09:30:00Z

if [ ! -s "$db" ]; then
	s=$(date +%s)
	"$bin/crm" init --db "$db" 2>/dev/null
	idx=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL")
	drop=$(sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL")
	# contact i: one of 40 first and 40 last names (contact 4242 alone
	# is "Zora Quillfeather"), 50 owners, 1000 companies, a unique
	# email and UK phone number
	sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
$drop
BEGIN;
INSERT INTO contacts (id, external_id, first_name, last_name, email,
  email_key, phone, phone_key, company, title, city, country, source, owner,
  lifecycle_stage, created_at, updated_at)
SELECT value, 'crm-' || value,
  CASE WHEN value = 4242 THEN 'Zora' ELSE
  json_extract('["Ann","Bob","Chloé","Dmitri","Emma","Fatima","Goran","Hana","Ivan","José","Kenji","Lena","Marco","Nadia","Olaf","Priya","Quinn","Rosa","Sven","Tariq","Ursula","Viktor","Wei","Xenia","Yusuf","Zoe","Amir","Beatriz","Carl","Dana","Elif","Felix","Greta","Hugo","Ines","Jonas","Kira","Lars","Mia","Noah"]', '$[' || (value % 40) || ']') END,
  CASE WHEN value = 4242 THEN 'Quillfeather' ELSE
  json_extract('["Okafor","García","Rossi","Jensen","Dubois","Nguyen","Smith","Müller","Kowalski","Silva","Tanaka","Ivanova","Brown","Cohen","Larsen","Novak","Popescu","Yilmaz","Kim","Singh","Wright","Moreau","Bianchi","Olsen","Horvat","Schmidt","Costa","Sato","Petrov","Lopez","Weber","Fischer","Martin","Bernard","Romano","Hansen","Berg","Nowak","Lindqvist","Murphy"]', '$[' || (value / 40 % 40) || ']') END,
  'User.' || value || '@example' || (value % 1000) || '.com',
  'user.' || value || '@example' || (value % 1000) || '.com',
  '+44 20 ' || (10000000 + value), '+4420' || (10000000 + value),
  'Company ' || (value % 1000), 'Engineer', 'London', 'GB', 'web',
  'rep' || (value % 50), 'lead', '$CRM_NOW', '$CRM_NOW'
  FROM generate_series(1, $n);
COMMIT;
$idx
ANALYZE;
SQL
	echo "data: $n contacts made in $(($(date +%s) - s)) s, database $(($(stat -c %s "$db") / 1048576)) MiB"
fi

# read NAME CMD...: RUNS runs of CMD, output kept for a check; median and
# p90 in ms, and a row (reference: the 50 ms budget)
read_() {
	name=$1
	shift
	: >"$dir/times"
	for i in $(seq "${read_runs:-$runs}"); do
		timed "$dir/out" "$@"
		echo "$t" >>"$dir/times"
	done
	sort -n "$dir/times" | awk -v name="$name" -v lines="$(wc -l <"$dir/out")" '
		{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      p = v[int((NR * 9 + 9) / 10)]
		      printf "%-34s median %6.1f ms  p90 %6.1f ms  (%d lines out)\n", name, m * 1000, p * 1000, lines
		      print m > "'"$dir"'/median" }'
	/usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null
	row "read: $name" sqlite "$n" "$(cat "$dir/median")" 0.05 "$dir/rss"
}
plan() { echo "  plan: $(sqlite3 "$db" "EXPLAIN QUERY PLAN $1" | sed 's/^[0-9|]*//' | tr '\n' ';')"; }

id=$((n / 2 + 7))
echo "reads on $n contacts, $runs runs each ($(uptime | sed 's/.*load/load/'))"
# the floor: a process that opens nothing (start-up, tests/bench/startup.sh)
read_ "crm-contact --version (start-up)" "$bin/crm-contact" --version
read_ "show by id" "$bin/crm-contact" show --db "$db" "$id"
plan "SELECT * FROM contacts WHERE id = $id"
read_ "show by email" "$bin/crm-contact" show --db "$db" "User.$id@example$((id % 1000)).com"
plan "SELECT * FROM contacts WHERE email_key = 'x' LIMIT 2"
read_ "show by phone" "$bin/crm-contact" show --db "$db" "+44 20 $((10000000 + id))"
plan "SELECT * FROM contacts WHERE phone_key = 'x' LIMIT 2"
read_ "list --where owner= --limit 20" "$bin/crm-contact" list --db "$db" --where owner=rep7 --limit 20
plan "SELECT * FROM contacts WHERE owner = 'rep7' ORDER BY id LIMIT 21"
read_ "list --where email= --limit 20" "$bin/crm-contact" list --db "$db" --where "email=User.$id@example$((id % 1000)).com" --limit 20
plan "SELECT * FROM contacts WHERE email_key = 'x' AND email = 'x' COLLATE NOCASE OR id IN (SELECT record_id FROM crm_identities WHERE entity = 'contact' AND field = 'email' AND key = 'x') ORDER BY id LIMIT 21"
read_ "search common name" "$bin/crm" search --db "$db" Okafor
read_runs=${SEARCH_RUNS:-$runs} read_ "search unique name" "$bin/crm" search --db "$db" Quillfeather
# the search index (crm search --reindex, an FTS5 trigram table over the
# compared texts; HACKING.md "The search index"): made once, timed, then
# the same searches read the records it proposes
if [ -n "${BENCH_DB:-}" ]; then
	cp "$db" "$dir/idx.db"
	db=$dir/idx.db
fi
s=$(date +%s.%N)
/usr/bin/time -f %M -o "$dir/rss" "$bin/crm" search -q --db "$db" --reindex
e=$(date +%s.%N)
echo "search --reindex: $(echo "$e - $s" | bc) s, peak RSS $(($(cat "$dir/rss") / 1024)) MiB, database $(($(stat -c %s "$db") / 1048576)) MiB"
read_ "search common name (index)" "$bin/crm" search --db "$db" Okafor
read_ "search unique name (index)" "$bin/crm" search --db "$db" Quillfeather
read_ "show by name (index)" "$bin/crm-contact" show --db "$db" "Zora Quillfeather"
plan "SELECT * FROM (SELECT s.rowid FROM crm_search_contacts s JOIN contacts ON contacts.id = s.rowid WHERE crm_search_contacts MATCH '(\"qui\" AND \"uil\")' ORDER BY s.rowid LIMIT 21) UNION SELECT id FROM contacts WHERE id > 0 UNION SELECT id FROM contacts WHERE id IN (SELECT record_id FROM crm_audit WHERE +entity = 'contact' AND change_id > 0) ORDER BY 1 LIMIT 21"
