#!/bin/sh
# run.sh - every benchmark at the sizes the issues name (run by "make
# bench", by hand: it takes tens of minutes). BENCH="contacts pipeline"
# picks some; each script also runs alone with its own size arguments.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
status=0
for b in ${BENCH:-contacts activities pipeline dedupe dedupe-crm logit-vs-sklearn report}; do
	s=tests/bench/$b.sh
	[ -f "$s" ] || continue
	echo "== $b"
	sh "$s" || status=1
done
exit $status
