#!/bin/sh
# mail.sh [N]: deliver N email messages (default 10,000) with crm-ticket
# mail, one process per message as an MTA's pipe delivery runs it: 70%
# new messages (multipart/alternative, UTF-8 QP; every tenth GBK base64),
# 20% replies threaded by In-Reply-To, 5% auto-replies (ignored), 5% with
# a 200 KB attachment. Prints the rate (messages a second), and the peak
# RSS of the largest delivery and the mean over all.
set -eu
n=${1:-10000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-01T09:00:00Z CRM_SHARE=$top/share/crm \
	CRM_DB=$dir/mail.db CRM_MAIL_FROM=support@example.com
mkdir -p "$dir/in"
head -c 204800 /dev/urandom | base64 >"$dir/att.b64"
gbk=$(printf '%s' '您好，打印机坏了，请帮忙。' | iconv -f UTF-8 -t GB18030 | base64)
awk -v n="$n" -v d="$dir/in" -v att="$dir/att.b64" -v gbk="$gbk" 'BEGIN { srand(11)
	while ((getline l < att) > 0) a = a l "\n"
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/%06d.eml", d, i); r = rand()
		from = sprintf("user%d@cust%d.example", int(rand() * 2000), int(rand() * 300))
		printf "From: User <%s>\nTo: support@example.com\nMessage-ID: <m%d@bench.example>\nDate: Tue, 01 Dec 2026 09:00:00 +0000\nMIME-Version: 1.0\n", from, i > f
		if (r < 0.20 && i > 10) {
			printf "Subject: Re: Problem %d\nIn-Reply-To: <m%d@bench.example>\nContent-Type: text/plain; charset=utf-8\n\nStill broken, see below.\n\nOn Tue, 1 Dec 2026 Support wrote:\n> Did you restart it?\n", i, 1 + int(rand() * (i - 1)) > f
		} else if (r < 0.25) {
			printf "Subject: Out of office\nAuto-Submitted: auto-replied\nContent-Type: text/plain\n\nAway until Monday.\n" > f
		} else if (r < 0.30) {
			printf "Subject: Logs %d\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nLogs attached.\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"log%d.bin\"\nContent-Transfer-Encoding: base64\n\n%s--b--\n", i, i, a > f
		} else if (i % 10 == 0) {
			printf "Subject: =?GB2312?B?5omT5Y2w5py6?=\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: base64\n\n%s\n", gbk > f
		} else {
			printf "Subject: Problem %d\nContent-Type: multipart/alternative; boundary=\"a\"\n\n--a\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nThe printer =E2=80=94 model %d =E2=80=94 is broken.\n--a\nContent-Type: text/html; charset=utf-8\n\n<p>The printer is broken.</p>\n--a--\n", i, i > f
		}
		close(f)
	}
}'
echo "data: $n messages, $(du -sm "$dir/in" | cut -f1) MiB"
"$bin/crm" init -q --db "$CRM_DB" 2>/dev/null || "$bin/crm" init --db "$CRM_DB" >/dev/null 2>&1
s=$(date +%s.%N)
for f in "$dir"/in/*.eml; do
	/usr/bin/time -a -f %M -o "$dir/rss" "$bin/crm-ticket" mail -q -f csv \
		--loop-limit 1000000 <"$f" >>"$dir/out.csv"
done
e=$(date +%s.%N)
t=$(echo "$s $e" | awk '{printf "%.3f", $2 - $1}')
echo "delivered: $(grep -c ',opened,' "$dir/out.csv") opened, $(grep -c ',replied,' "$dir/out.csv") replied, $(grep -c ',ignored,' "$dir/out.csv") ignored"
echo "time ${t}s, $(echo "$n $t" | awk '{printf "%.1f", $1 / $2}') messages/s"
awk '{ if ($1 > m) m = $1; s += $1; k++ } END { printf "peak RSS per message: max %.1f MiB, mean %.1f MiB\n", m / 1024, s / k / 1024 }' "$dir/rss"
