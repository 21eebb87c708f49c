#!/bin/sh
# campaign.sh [SCALE]: crm-campaign segment over 1,000,000 x SCALE contacts
# and 5,000,000 x SCALE activities (SCALE defaults to 0.01: the full
# figures need a machine of one's own). The segment is "visited a page
# containing /pricing 3 or more times in the last 14 days, and tagged
# vip"; its time and peak RSS next to the same question as one
# hand-written SQL query in the sqlite3 shell, and both must name the same
# records. Then 100,000 x SCALE messages: rendered by the campaign_email
# flow action (templates, GMime, queued) in one crm-flow run, and handed
# one by one to a null sendmail (cat >/dev/null) by crm-campaign run: the rates
# and peak RSS of both.
set -eu
scale=${1:-0.01}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
PATH=$top/$BUILD/bin:$PATH
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_DB=$dir/crm.db CRM_USER=bench CRM_NOW=2026-06-15T12:00:00Z
nc=$(echo "$scale" | awk '{printf "%d", 1000000 * $1}')
na=$(echo "$scale" | awk '{printf "%d", 5000000 * $1}')

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
timed "$dir/out" crm-activity import -q "$dir/a.csv"
echo "import $na activities: ${t}s"
mkdir -p "$dir/seg"
cat >"$dir/seg/pricing.json" <<'X'
{"entity": "contact", "where": ["tags=vip"],
 "activities": [{"type": "web_visit", "subject": "/pricing", "min": 3, "days": 14}]}
X
/usr/bin/time -f %M -o "$dir/rss" sh -c \
	'crm-campaign segment show pricing --segments "$1/seg" --ids >"$1/crm.ids"' _ "$dir"
s=$(date +%s.%N)
crm-campaign segment show pricing --segments "$dir/seg" --ids >"$dir/crm.ids"
e=$(date +%s.%N)
tc=$(echo "$s $e" | awk '{printf "%.3f", $2 - $1}')
s=$(date +%s.%N)
sqlite3 "$CRM_DB" "SELECT c.id FROM contacts c JOIN activities a ON
  a.contact_id = c.id WHERE (',' || c.tags || ',') LIKE '%,vip,%' AND
  a.type = 'web_visit' AND lower(a.subject) LIKE '%/pricing%' AND
  a.occurred_at >= '2026-06-01T12:00:00Z' AND a.occurred_at <=
  '2026-06-15T12:00:00Z' GROUP BY c.id HAVING count(*) >= 3 ORDER BY
  c.id" >"$dir/sql.ids"
e=$(date +%s.%N)
ts=$(echo "$s $e" | awk '{printf "%.3f", $2 - $1}')
if cmp -s "$dir/crm.ids" "$dir/sql.ids"; then same=yes; else same=NO; fi
echo "segment: $(wc -l <"$dir/crm.ids") contacts in ${tc}s (peak $(rss "$dir/rss")); hand SQL ${ts}s (crm/SQL $(ratio "$tc" "$ts")); same records: $same"
[ "$same" = yes ]

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
export CRM_MAIL_FROM='Bench <news@example.com>' CRM_SENDMAIL='cat >/dev/null'
crm-campaign add -q --set name=News --set type=email >/dev/null
seq 1 "$nm" | crm-contact tag -q add news --stdin
/usr/bin/time -f '%e %M' -o "$dir/t1" sh -c 'crm-flow run -q --flows "$1/flows" >/dev/null' _ "$dir"
queued=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM campaign_sends WHERE status = 'queued'")
/usr/bin/time -f '%e %M' -o "$dir/t2" sh -c 'crm-campaign run -q >/dev/null'
sent=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM campaign_sends WHERE status = 'sent'")
bytes=$(sqlite3 "$CRM_DB" "SELECT sum(length(message)) FROM campaign_sends")
tail -n 1 "$dir/t1" | awk -v n="$queued" -v b="$bytes" '{printf "render and queue %d messages (%.0f bytes each): %.2fs, %.0f/s, peak %.1f MiB\n", n, b / n, $1, n / $1, $2 / 1024}'
tail -n 1 "$dir/t2" | awk -v n="$sent" '{printf "hand %d messages to a null sendmail: %.2fs, %.0f/s, peak %.1f MiB\n", n, $1, n / $1, $2 / 1024}'
[ "$queued" = "$nm" ] && [ "$sent" = "$nm" ]
