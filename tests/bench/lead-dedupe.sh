#!/bin/sh
# lead-dedupe.sh [LEADS [NEW [CONTACTS]]]: the nightly lead import. Generated
# people with known duplicates (gen-crm-contacts.sh: typos, nicknames,
# swapped names, Gmail dots and +tags, phone formats, missing fields),
# shuffled: LEADS of them (default 200,000) are the leads in the database,
# the NEW after them (default 10,000) the night's file, and CONTACTS other
# people (default 100,000, another seed) the contacts. The night's file is
# imported with crm-lead import as it is (exact email and phone) and with
# --on-duplicate=skip (the dedupe model too); prints wall time, peak RSS,
# and the precision, recall and F1 of the duplicates reported against the
# truth (a night's record whose person is a lead already).
set -eu
nl=${1:-200000}
nn=${2:-10000}
nc=${3:-100000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }

sh "$top/tests/bench/gen-crm-contacts.sh" $((nl + nn)) 11 >"$dir/all.csv"
head -1 "$dir/all.csv" >"$dir/leads.csv"
cp "$dir/leads.csv" "$dir/new.csv"
tail -n +2 "$dir/all.csv" | awk 'BEGIN { srand(5) } { print rand() "\t" $0 }' |
	sort -k1,1 | cut -f2- >"$dir/shuf.csv"
head -n "$nl" "$dir/shuf.csv" >>"$dir/leads.csv"
tail -n +$((nl + 1)) "$dir/shuf.csv" >>"$dir/new.csv"
sh "$top/tests/bench/gen-crm-contacts.sh" "$nc" 23 |
	sed '2,$s/^P/C/' >"$dir/contacts.csv"
"$bin/crm" init --db "$dir/base.db" 2>/dev/null
"$bin/crm-contact" import -q --db "$dir/base.db" --key external_id \
	"$dir/contacts.csv"
"$bin/crm-lead" import -q --db "$dir/base.db" --on-duplicate=allow \
	"$dir/leads.csv"
echo "data: $nl leads, $nc contacts; importing $nn new leads"
# the truth: the night's lines whose person is a lead already
awk -F, 'NR == FNR { if (FNR > 1) { split($1, p, "-"); have[p[1]] = 1 }; next }
	FNR > 1 { split($1, p, "-"); if (p[1] in have) print FNR }' \
	"$dir/leads.csv" "$dir/new.csv" >"$dir/truth"
"$bin/crm-lead" export --db "$dir/base.db" -f csv --fields id,external_id |
	sed 's/^/lead /' >"$dir/leadids"
"$bin/crm-contact" export --db "$dir/base.db" -f csv --fields id,external_id |
	sed 's/^/contact /' >"$dir/contactids"

for how in exact model; do
	cp "$dir/base.db" "$dir/run.db"
	opt=
	[ "$how" = model ] && opt=--on-duplicate=skip
	s=$(now)
	/usr/bin/time -f %M -o "$dir/rss" "$bin/crm-lead" import --db \
		"$dir/run.db" $opt "$dir/new.csv" 2>"$dir/err"
	t=$(secs "$s" "$(now)")
	# reported: line, entity, id of the record it duplicates
	sed -n 's/^crm-lead:[^:]*:\([0-9]*\): duplicate of \([a-z]*\) \([0-9]*\) .*/\1 \2 \3/p' \
		"$dir/err" >"$dir/found"
	awk -v how="$how" -v t="$t" -v rss="$(cat "$dir/rss")" \
		-v ntrue="$(wc -l <"$dir/truth")" '
		FILENAME ~ /ids$/ { split($2, q, ","); split(q[2], p, "-")
			who[$1 " " q[1]] = p[1]; next }
		FILENAME ~ /new.csv$/ { split($1, p, "-"); line[FNR] = p[1]; next }
		{ n++; if (who[$2 " " $3] == line[$1]) tp++ }
		END { pr = n ? tp / n : 0; r = ntrue ? tp / ntrue : 0
			printf "%s: %ss, peak RSS %.1f MiB; %d reported, %d right, " \
				"%d to find: precision %.3f recall %.3f F1 %.3f\n", how, t,
				rss / 1024, n, tp, ntrue, pr, r, pr + r ? 2 * pr * r / (pr + r) : 0 }' \
		"$dir/leadids" "$dir/contactids" "$dir/new.csv" "$dir/found"
	tail -2 "$dir/err"
done
