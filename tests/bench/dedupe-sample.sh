#!/bin/sh
# dedupe-sample.sh [crm-dedupe OPTION...]: crm-dedupe contacts on the sample
# company (share/crm/examples, see generate.sh) with default settings and no
# labels, or with the options given. Prints pairwise precision, recall and
# F1 against the duplicates generate.sh planted, and the wall time.
#
# The labels: generate.sh writes 60 contacts "fair-N" at the end of
# contacts.csv, each a copy of one earlier contact "crm-K" typed again
# (nickname or typo, another email or none, the phone written another
# way). Every contact's phone number is distinct (a rising sequence) and a
# copy keeps all of its source's digits ("+49 30 001 0028" becomes
# "0049300020028" or "+49300020028"), so the source of fair-N is the one
# crm-K whose phone has the same digits (an international prefix 00
# dropped). Distinct people at one company share its name, email domain,
# city, region, country and phone prefix, and sometimes a first or a last
# name: the labels say they are not duplicates.
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
# the truth: id, true_id (the id of the source for a copy, else its own)
awk -F, 'NR == 1 { next }
	{ d = $3; gsub(/[^0-9]/, "", d); sub(/^00/, "", d) }
	$2 ~ /^fair-/ { copy[$1] = d; next }
	{ own[$1] = $1; if (d != "") src[d] = $1 }
	END {
		print "id,true_id"
		for (i in own) print i "," i
		for (i in copy) {
			if (!(copy[i] in src)) {
				print "dedupe-sample.sh: no source for " i >"/dev/stderr"
				exit 1
			}
			print i "," src[copy[i]]
		}
	}' "$dir/ids.csv" >"$dir/truth.csv"
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
