#!/bin/sh
# dedupe-sample.sh [crm-dedupe OPTION...]: crm-dedupe contacts on the sample
# company (share/crm/examples, see generate.sh) with default settings and no
# labels, or with the options given. Prints pairwise precision, recall and
# F1 against the duplicates generate.sh planted, and the wall time.
#
# The labels (see sample-truth.sh): the 60 contacts "fair-N" that
# generate.sh wrote as copies of earlier ones, found by their phone digits.
set -eu
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/bin
ex=$top/share/crm/examples
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_DB="$dir/crm.db" CRM_NOW=2026-11-23T02:00:00Z TZ=UTC
"$bin/crm" init >/dev/null 2>&1
"$bin/crm-company" import -q "$ex/companies.csv"
"$bin/crm-contact" import -q "$ex/contacts.csv"
"$bin/crm-contact" export -f csv --fields id,external_id,phone >"$dir/ids.csv"
sh "$top/tests/bench/sample-truth.sh" "$dir/ids.csv" >"$dir/truth.csv"
s=$(date +%s.%N)
"$bin/crm-dedupe" contacts -q -f csv "$@" >"$dir/r.csv"
t=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
# id,cluster for every contact: the cluster found, else the id itself
awk -F, 'NR == FNR { if (FNR > 1) c[$2] = $1; next }
	FNR == 1 { print "id,cluster"; next }
	{ print $1 "," ($1 in c ? c[$1] : $1) }' "$dir/r.csv" "$dir/ids.csv" \
	>"$dir/res.csv"
printf '%8d contacts (sample company): crm-dedupe %ss; ' \
	"$(($(wc -l <"$dir/ids.csv") - 1))" "$t"
sh "$top/tests/bench/f1.sh" "$dir/truth.csv" "$dir/res.csv"
