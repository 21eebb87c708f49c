#!/bin/sh
# campaign.sh [SCALE]: crm-campaign segment over 1,000,000 x SCALE contacts
# and 5,000,000 x SCALE activities (SCALE defaults to 0.01: the full
# figures need a machine of one's own), then 100,000 x SCALE messages
# rendered, queued and handed to a null sendmail. BENCH_ENGINE=sqlite|pg|
# both (default both when PostgreSQL is installed; pg runs under
# tests/pgserver.sh). What each side does:
#
# segment  crm: `crm-campaign segment show --ids` of "visited a page
#          containing /pricing 3 or more times in the last 14 days, and
#          tagged vip" (the segment file read, the filter and activity
#          rule turned into SQL, ids written).
#          reference: the same question as one hand-written SQL query in
#          the sqlite3 shell or psql. Both must name the same records.
# render   crm: one crm-flow run whose campaign_email action renders the
#          templates per contact, composes the MIME message (GMime:
#          multipart/alternative, RFC 2047, Message-ID, List-Unsubscribe,
#          token) and queues it, with a firing and a member per contact.
#          No hand-written reference: only the rate and RSS (#20).
# send     crm: `crm-campaign run` checks consent, caps and quiet hours
#          per message, claims a batch in one transaction, hands each
#          message to $CRM_SENDMAIL, then marks sends and members sent
#          (with the member history) in a second one.
#          reference: one query exports the queued messages as CSV, a
#          python3 loop hands each to the same null sendmail, one
#          transaction of set-based UPDATE/INSERT marks the same rows
#          (no consent, caps or quiet hours).
# Set-up, not measured: the contacts through `crm-contact import`; the
# activities with set-based SQL into crm's schema as crm-activity import
# would write them (tests/bench/bulk.sh: a temporary table from the CSV,
# INSERT ... SELECT, last_activity_at upkeep), since importing 5M through
# crm-activity took longer than the rest of the run; BENCH_LOAD=crm
# imports them with crm-activity instead (tests/bench/bulk-check.sh
# compares the two). BENCH_DIR names a directory to work in and keep.
# The null sendmail is `dd of=/dev/null status=none` (reads the whole
# message): crm runs such a plain command without a shell.
# Prints the figures and `row` lines (tests/bench/lib.sh).
set -eu
scale=${1:-0.01}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
. "$top/tests/bench/bulk.sh"
bench_dispatch "$@"
PATH=$top/$BUILD/bin:$PATH
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_USER=bench CRM_NOW=2026-06-15T12:00:00Z
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	name="crm_bench_campaign_$$"
	case $CRM_TEST_PG in
	*://*\?*) CRM_DB="$CRM_TEST_PG&dbname=$name" ;;
	*://*) CRM_DB="$CRM_TEST_PG?dbname=$name" ;;
	*) CRM_DB="$CRM_TEST_PG dbname=$name" ;;
	esac
	trap 'admin "DROP DATABASE IF EXISTS $name"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $name"
	sql() { psql "$CRM_DB" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
	csv() { psql "$CRM_DB" -X -q -c "\\copy ($1) TO STDOUT WITH (FORMAT csv)"; }
	sql_file() { psql "$CRM_DB" -X -q -v ON_ERROR_STOP=1 -f "$1"; }
else
	CRM_DB=$dir/crm.db
	trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	sql() { sqlite3 "$CRM_DB" "$1"; }
	csv() { sqlite3 -csv "$CRM_DB" "$1"; }
	sql_file() { sqlite3 "$CRM_DB" <"$1"; }
fi
export CRM_DB
crm init >/dev/null 2>&1
nc=$(echo "$scale" | awk '{printf "%d", 1000000 * $1}')
na=$(echo "$scale" | awk '{printf "%d", 5000000 * $1}')
echo "engine $engine, scale $scale"

# contacts: every 10th a vip; activities: web visits over 30 days, a
# fifth of them on /pricing, spread over the contacts
awk -v n="$nc" 'BEGIN {
	print "first_name,email,tags"
	for (i = 1; i <= n; i++)
		printf "P%d,p%d@example.com,%s\n", i, i, (i % 10 == 0 ? "vip" : "")
}' >"$dir/c.csv"
awk -v n="$na" -v nc="$nc" 'BEGIN {
	srand(7)
	print "type,subject,contact_id,occurred_at"
	for (i = 1; i <= n; i++) {
		c = int(rand() * nc) + 1
		d = int(rand() * 30) + 1
		h = int(rand() * 24)
		s = rand() < 0.2 ? "/pricing" : "/blog"
		printf "web_visit,%s,%d,2026-%02d-%02dT%02d:00:00Z\n", s, c, d <= 14 ? 6 : 5, d <= 14 ? d : d, h
	}
}' >"$dir/a.csv"
timed "$dir/out" crm-contact import -q "$dir/c.csv"
echo "import $nc contacts: ${t}s"
if [ "${BENCH_LOAD:-sql}" = crm ]; then
	timed "$dir/out" crm-activity import -q "$dir/a.csv"
else
	timed "$dir/out" bulk_activities "$engine" "$CRM_DB" "$dir/a.csv" "$CRM_NOW"
fi
echo "load $na activities (${BENCH_LOAD:-sql}): ${t}s"
mkdir -p "$dir/seg"
cat >"$dir/seg/pricing.json" <<'X'
{"entity": "contact", "where": ["tags=vip"],
 "activities": [{"type": "web_visit", "subject": "/pricing", "min": 3, "days": 14}]}
X
timed "$dir/crm.ids" /usr/bin/time -f %M -o "$dir/rss" \
	crm-campaign segment show pricing --segments "$dir/seg" --ids
tc=$t cc=$cpu
timed "$dir/sql.ids" sql "SELECT c.id FROM contacts c JOIN activities a ON
  a.contact_id = c.id WHERE (',' || c.tags || ',') LIKE '%,vip,%' AND
  a.type = 'web_visit' AND lower(a.subject) LIKE '%/pricing%' AND
  a.occurred_at >= '2026-06-01T12:00:00Z' AND a.occurred_at <=
  '2026-06-15T12:00:00Z' GROUP BY c.id HAVING count(*) >= 3 ORDER BY
  c.id"
ts=$t cs=$cpu
if cmp -s "$dir/crm.ids" "$dir/sql.ids"; then same=yes; else same=NO; fi
echo "segment: $(wc -l <"$dir/crm.ids") contacts in ${tc}s, CPU ${cc}s (peak $(rss "$dir/rss")); hand SQL ${ts}s, CPU ${cs}s (crm/SQL $(ratio "$tc" "$ts")); same records: $same; load $(uptime | sed 's/.*average: //')"
[ "$same" = yes ]
row "campaign segment ($na activities)" "$engine" "$nc" "$tc" "$ts" "$dir/rss"

# messages: render and queue, then hand over
nm=$(echo "$scale" | awk '{printf "%d", 100000 * $1}')
mkdir -p "$dir/flows"
cat >"$dir/flows/news.json" <<'X'
{"name": "news", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "news"},
 "actions": [{"type": "campaign_email", "campaign": "News",
   "subject": "News for {{first_name|you}}, 新闻",
   "text": "Hello {{first_name|there}},\n\nthe news of the month: https://example.com/news\n",
   "html": "<p>Hello {{first_name|there}},</p><p>the news of the month: <a href=\"https://example.com/news\">read</a></p>"}]}
X
null='dd of=/dev/null status=none'
export CRM_MAIL_FROM='Bench <news@example.com>' CRM_SENDMAIL="$null"
crm-campaign add -q --set name=News --set type=email >/dev/null
seq 1 "$nm" | crm-contact tag -q add news --stdin
/usr/bin/time -f '%e %M %U %S' -o "$dir/t1" sh -c 'crm-flow run -q --flows "$1/flows" >/dev/null' _ "$dir"
queued=$(sql "SELECT count(*) FROM campaign_sends WHERE status = 'queued'")
bytes=$(sql "SELECT sum(length(message)) FROM campaign_sends")
tail -n 1 "$dir/t1" | awk -v n="$queued" -v b="$bytes" '{printf "render and queue %d messages (%.0f bytes each): %.2fs, CPU %.2fs, %.0f/s, peak %.1f MiB\n", n, b / n, $1, $3 + $4, n / $1, $2 / 1024}'
[ "$queued" = "$nm" ]

# the reference works on a copy of the queue: the same rows, queued
if [ "$engine" = pg ]; then
	admin "CREATE DATABASE ${name}_ref TEMPLATE $name"
	trap 'admin "DROP DATABASE IF EXISTS $name"; admin "DROP DATABASE IF EXISTS ${name}_ref"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	ref_db=$(echo "$CRM_DB" | sed "s/$name/${name}_ref/")
else
	sqlite3 "$CRM_DB" "VACUUM INTO '$dir/ref.db'"
	ref_db=$dir/ref.db
fi
timed /dev/null /usr/bin/time -f %M -o "$dir/rss2" crm-campaign run -q
tc=$t cc=$cpu
sent=$(sql "SELECT count(*) FROM campaign_sends WHERE status = 'sent'")
echo "hand $sent messages to a null sendmail ($null): ${tc}s, CPU ${cc}s, $(echo "$sent $tc" | awk '{printf "%.0f", $1 / $2}')/s, peak $(rss "$dir/rss2"); load $(uptime | sed 's/.*average: //')"
[ "$sent" = "$nm" ]
at=$CRM_NOW
ref() {
	CRM_DB=$ref_db
	csv "SELECT id, message FROM campaign_sends WHERE status = 'queued'
	  AND not_before <= '$at' ORDER BY not_before, id" >"$dir/queue.csv"
	/usr/bin/time -f %M -o "$dir/rss.ref" python3 - "$dir/queue.csv" "$dir/handed" $null <<'PY'
import csv, subprocess, sys
csv.field_size_limit(1 << 30)
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    for sid, msg in csv.reader(f):
        subprocess.run(sys.argv[3:], input=msg.encode(), check=True)
        out.write(sid + "\n")
PY
	ids=$(paste -sd, "$dir/handed")
	cat >"$dir/mark.sql" <<SQL
BEGIN;
UPDATE campaign_sends SET status = 'sent', sent_at = '$at' WHERE id IN ($ids);
INSERT INTO campaign_member_history (member_id, status, at)
  SELECT member_id, 'sent', '$at' FROM campaign_sends WHERE id IN ($ids);
UPDATE campaign_members SET status = 'sent', status_at = '$at'
  WHERE status = 'targeted' AND id IN (SELECT member_id FROM
  campaign_sends WHERE id IN ($ids));
COMMIT;
SQL
	sql_file "$dir/mark.sql" >/dev/null
}
timed /dev/null ref
tr=$t cr=$cpu
rsent=$(CRM_DB=$ref_db sql "SELECT count(*) FROM campaign_sends WHERE status = 'sent'")
echo "reference (CSV export, python3 loop, set-based SQL): $rsent messages in ${tr}s, CPU ${cr}s, python3 peak $(rss "$dir/rss.ref") (crm/reference $(ratio "$tc" "$tr"))"
[ "$rsent" = "$nm" ]
row "campaign send" "$engine" "$nm" "$tc" "$tr" "$dir/rss2"
