#!/bin/bash
# crm-kb deflection and usage against figures counted by hand: solved and
# closed tickets, how many had an article linked (a ticket with two
# articles counts once), the --since/--until span on solved_at; articles
# by links and solved tickets.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-kb add -q --title 'Article A' --status published
expect_code 0 crm-kb add -q --title 'Article B' --status published
expect_code 0 crm-kb add -q --title 'Article C' --status published
for i in 1 2 3 4 5 6; do
	expect_code 0 crm-ticket open -q --subject "ticket $i"
done
# 1 solved (A and B), 2 closed (B), 3 solved, 4 open (A), 5 new, 6 solved
# later; solved on 11-22 except 6 (11-30)
CRM_NOW=2026-11-22T10:00:00Z expect_code 0 crm-kb link 1 1
CRM_NOW=2026-11-22T11:00:00Z expect_code 0 crm-kb link 2 1
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-kb link 2 2
CRM_NOW=2026-11-24T10:00:00Z expect_code 0 crm-kb link 1 4
CRM_NOW=2026-11-22T12:00:00Z expect_code 0 crm-ticket solve -q 1 3
CRM_NOW=2026-11-22T12:00:00Z expect_code 0 crm-ticket solve -q 2
CRM_NOW=2026-11-23T12:00:00Z expect_code 0 crm-ticket close -q 2
CRM_NOW=2026-11-30T12:00:00Z expect_code 0 crm-ticket solve -q 6
expect_code 0 crm-ticket reply -q 4 --body 'looking'

# solved or closed: 1, 2, 3, 6; with an article: 1, 2 -> 2 of 4, 50.0%
expect_code 0 crm-kb deflection -f csv
expect_out "deflection: 2 of 4 solved tickets had an article" <<'X'
solved,with_article,without_article,deflection
4,2,2,50.0
X
# solved before 11-25: 1, 2, 3 (2 with an article): 66.7%
expect_code 0 crm-kb deflection -f csv --until 2026-11-25
expect_out "--until" <<'X'
solved,with_article,without_article,deflection
3,2,1,66.7
X
# from 11-25: only 6, without an article
expect_code 0 crm-kb deflection -f json --since 2026-11-25T00:00:00Z
expect_out "--since" <<'X'
[
{"solved":1,"with_article":0,"without_article":1,"deflection":0.0}
]
X
expect_code 0 crm-kb deflection -f csv --since 2027-01-01
expect_out "no solved tickets: 0" <<'X'
solved,with_article,without_article,deflection
0,0,0,0.0
X
expect_code 64 crm-kb deflection --since yesterday
err_has "--since:"

# usage: A links 1 and 4 (1 solved), B links 1 and 2 (both solved), C none
expect_code 0 crm-kb usage -f csv
expect_out "articles by use" <<'X'
id,title,status,links,solved_tickets,last_linked_at
1,Article A,published,2,1,2026-11-24T10:00:00Z
2,Article B,published,2,2,2026-11-23T10:00:00Z
3,Article C,published,0,0,
X
expect_code 0 crm-kb usage -f csv --fields title,links
expect_out "usage --fields" <<'X'
title,links
Article A,2
Article B,2
Article C,0
X

done_testing
