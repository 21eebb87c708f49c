#!/bin/sh
# sample-truth.sh IDS.csv: the duplicates generate.sh planted in the sample
# company's contacts.csv, as id,true_id (f1.sh's TRUTH). IDS.csv is
# `crm-contact export -f csv --fields id,external_id,phone` after importing
# the sample.
#
# generate.sh writes 60 contacts "fair-N" at the end of contacts.csv, each
# a copy of one earlier contact "crm-K" typed again (nickname or typo,
# another email or none, the phone written another way). Every contact's
# phone number is distinct (a rising sequence) and a copy keeps all of its
# source's digits ("+49 30 002 0028" becomes "0049300020028" or
# "+49300020028"), so the source of fair-N is the one crm-K whose phone has
# the same digits, an international prefix 00 dropped. Every other contact
# is its own person: colleagues at one company share its name, email
# domain, city, region, country and phone prefix, and sometimes a first or
# a last name, and are not duplicates.
awk -F, 'NR == 1 { next }
	{ d = $3; gsub(/[^0-9]/, "", d); sub(/^00/, "", d) }
	$2 ~ /^fair-/ { copy[$1] = d; next }
	{ own[$1] = $1; if (d != "") src[d] = $1 }
	END {
		print "id,true_id"
		for (i in own) print i "," i
		for (i in copy) {
			if (!(copy[i] in src)) {
				print "sample-truth.sh: no source for id " i >"/dev/stderr"
				exit 1
			}
			print i "," src[copy[i]]
		}
	}' "$1"
