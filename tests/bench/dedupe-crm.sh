#!/bin/sh
# dedupe-crm.sh [N...]: crm-dedupe contacts on generated CRM contacts with
# known duplicates (gen-crm-contacts.sh), at each N (default 10000 100000
# 1000000): imported with crm-contact import, then deduplicated with
# default settings and no labels. Prints pairwise precision, recall and F1,
# wall time and peak RSS of crm-dedupe contacts, and the same for a
# reference in the same run: the sqlite3 shell clustering by exact
# (normalized) email, what a CRM's plain duplicate rule finds.
set -eu
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
[ $# -gt 0 ] || set -- 10000 100000 1000000
export CRM_DB="$dir/crm.db"
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }
# id,cluster for every contact from cluster,id lines (with a header): the
# cluster found, else the id itself
clusters() {
	awk -F, 'NR == FNR { if (FNR > 1) c[$2] = $1; next }
		FNR == 1 { print "id,cluster"; next }
		{ print $1 "," ($1 in c ? c[$1] : $1) }' "$1" "$dir/ids.csv"
}
for n in "$@"; do
	rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"
	sh "$top/tests/bench/gen-crm-contacts.sh" "$n" >"$dir/c.csv"
	s=$(now)
	"$bin/crm-contact" import -q --key external_id "$dir/c.csv"
	ti=$(secs "$s" "$(now)")
	"$bin/crm-contact" export -f csv --fields id,external_id >"$dir/ids.csv"
	# the truth: id, person (external_id P<person>-<copy>)
	awk -F, 'NR == 1 { print "id,true_id"; next }
		{ split($2, p, "-"); print $1 "," p[1] }' "$dir/ids.csv" >"$dir/truth.csv"

	s=$(now)
	/usr/bin/time -f %M -o "$dir/rss" "$bin/crm-dedupe" contacts -q \
		-f csv \
		>"$dir/r.csv"
	t=$(secs "$s" "$(now)")
	clusters "$dir/r.csv" >"$dir/res.csv"
	printf '%8d contacts (import %ss): crm-dedupe %6ss, peak RSS %s MiB; ' \
		"$n" "$ti" "$t" "$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss")"
	sh "$top/tests/bench/f1.sh" "$dir/truth.csv" "$dir/res.csv"

	s=$(now)
	/usr/bin/time -f %M -o "$dir/rss" sqlite3 -csv "$CRM_DB" \
		"SELECT min(id) OVER (PARTITION BY email_key), id FROM contacts
		 WHERE email_key IN (SELECT email_key FROM contacts
		 WHERE email_key IS NOT NULL GROUP BY 1 HAVING count(*) > 1)" \
		>"$dir/ref.csv"
	tr=$(secs "$s" "$(now)")
	(echo x,y; cat "$dir/ref.csv") >"$dir/ref2.csv"
	clusters "$dir/ref2.csv" >"$dir/res.csv"
	printf '%8s reference (sqlite3, exact email) %6ss, peak RSS %s MiB, crm-dedupe/sqlite3 %sx; ' \
		"" "$tr" "$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss")" \
		"$(echo "$t $tr" | awk '{printf "%.1f", ($2 > 0 ? $1 / $2 : 0)}')"
	sh "$top/tests/bench/f1.sh" "$dir/truth.csv" "$dir/res.csv"
done
