#!/bin/bash
# crm-kb suggest: the published articles ranked for a ticket's subject and
# description (the judged set of tests/data/kb: the right article in the
# top 3, Chinese and Japanese tickets too); crm-kb link records which
# article served a ticket, once; --remove; missing articles and tickets.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-kb import -q "$DATA/kb"
# ticket|subject|description|the article that answers it
n=0
while IFS='|' read -r subj desc ans; do
	n=$((n + 1))
	expect_code 0 crm-ticket open -q --subject "$subj" --description "$desc" </dev/null
	expect_code 0 crm-kb suggest --ids "$n" </dev/null
	check "ticket $n '$subj': article $ans in the top 3" sh -c 'head -3 "$1" | grep -qx "$2"' _ "$T/out" "$ans"
done <<'X'
I forgot my password|I cannot sign in anymore, please send a reset link|9
Where is my invoice?|I need the PDF of last month's invoice for my accountant|3
Money back|I want a refund of the payment from yesterday|8
Printer offline again|the printer says offline since we changed the router|7
打印机连不上网络|我的打印机无法连接无线网络|13
需要开发票|付款以后怎么申请发票？|11
パスワードを忘れました|ログインできません|5
VPNに接続できません|アプリを再起動しても接続できない|6
X

# at most 5 unless --limit; the draft is never suggested
expect_code 0 crm-kb suggest --ids 1
check "at most 5 suggestions" [ "$(wc -l <"$T/out")" -le 5 ]
check "the draft (2) is not suggested" sh -c '! grep -qx 2 "$1"' _ "$T/out"
expect_code 0 crm-kb suggest --ids --limit 1 5
expect_out "--limit 1" <<'X'
13
X
expect_code 0 crm-kb suggest -f csv --fields rank,id,title 6
check "records with rank, id, title" sh -c 'head -2 "$1" | cmp -s - "$2"' _ "$T/out" /dev/stdin <<'X'
rank,id,title
1,11,如何开具发票
X
expect_code 66 crm-kb suggest 99
err_has "no ticket '99'"
expect_code 64 crm-kb suggest
expect_code 64 crm-kb suggest 1 2

# link: recorded once, by whom and when
expect_code 0 crm-kb link 9 1
err_has "linked article 9 to ticket 1"
CRM_NOW=2026-11-23T08:00:00Z expect_code 0 crm-kb link reset-password 1
err_has "already linked: article 9 to ticket 1"
sql "SELECT article_id, ticket_id, at, actor FROM kb_links"
expect_out_sql() { cat >"$T/want"; compare "$T/want" "$T/sql" "$1"; }
expect_out_sql "one link, with its time and actor" <<'X'
9|1|2026-11-22T09:30:00Z|tester
X
expect_code 0 crm-kb link -n 3 2
err_has "dry run: would have linked article 3 to ticket 2"
sql "SELECT count(*) FROM kb_links"
expect_out_sql "a dry run writes nothing" <<'X'
1
X
expect_code 0 crm-kb link --remove 9 1
err_has "unlinked article 9 from ticket 1"
expect_code 0 crm-kb link --remove 9 1
err_has "was not linked: article 9 from ticket 1"
sql "SELECT count(*) FROM kb_links"
expect_out_sql "removed" <<'X'
0
X
expect_code 66 crm-kb link 99 1
err_has "no article '99'"
expect_code 66 crm-kb link 9 99
err_has "no ticket '99'"
expect_code 64 crm-kb link 9

done_testing
