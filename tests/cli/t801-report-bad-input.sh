#!/bin/bash
# crm-report: every usage error is exit 64 with a message; a missing
# database, a full disk and a closed pipe behave as for every command.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add -q --first-name Ann --email ann@a.example --source web

expect_code 64 crm-report activities --period fortnight
err_has "--period: expected day, week, month, quarter or year, got 'fortnight'"
expect_code 64 crm-report activities --compare lastyear
err_has "--compare: expected previous or year, got 'lastyear'"
expect_code 64 crm-report activities --compare previous
err_has "crm-report: --compare needs --from (the span to compare)"
expect_code 64 crm-report activities --from 2026-11-10 --to 2026-11-01
err_has "crm-report: --from must be before --to"
expect_code 64 crm-report activities --from 2026-13-01
err_has "crm-report: --from: "
expect_code 64 crm-report activities --to yesterday
err_has "crm-report: --to: "
expect_code 64 crm-report activities --by colour
err_has "crm-report: --by: unknown activity field 'colour'"
expect_code 64 crm-report contacts --by 'a"b'
err_has "crm-report: --by: cannot group by 'a\"b'"
expect_code 64 crm-report contacts --by email_key
err_has "crm-report: --by: unknown contact field 'email_key'"
expect_code 64 crm-report contacts -w 'colour=red'
err_has "unknown contact field 'colour'"
expect_code 64 crm-report contacts -w 'nonsense'
err_has "expected FIELD OP VALUE"
expect_code 64 crm-report contacts --fields source,nope
err_has "crm-report: --fields: no column 'nope' in this report"
expect_code 64 crm-report contacts --fields ,
err_has "crm-report: --fields: no field given"
expect_code 64 crm-report contacts --sort=-nope
err_has "crm-report: --sort: no column 'nope' in this report"
expect_code 64 crm-report contacts extra
err_has "crm-report: contacts takes options, not 'extra'"
expect_code 64 crm-report contacts -f pdf
err_has "unknown format 'pdf'"
expect_code 64 crm-report contacts -i html
err_has "unknown input format 'html'"
expect_code 64 crm-contact list -f html
err_has "unknown format 'html'"
expect_code 64 crm-report funnelcake
err_has "crm-report: unknown verb 'funnelcake'"
expect_code 64 crm-report
err_has "crm-report: no verb given"
expect_code 64 crm-report contacts --limit=-1

expect_code 0 crm-report --list-verbs
expect_out "the verbs" <<'X'
activities
assets
cohort
contacts
cycle
dashboard
dealsize
funnel
leaderboard
pipeline
replytime
service
sla
sources
stages
tickets
unattended
velocity
winrate
X
expect_code 0 crm-report --help
out_has "unattended"

CRM_DB="$T/none.db" expect_code 66 crm-report contacts
check "a report never creates the database" [ ! -e "$T/none.db" ]

if [ -e /dev/full ]; then
	crm-report contacts -f csv >/dev/full 2>"$T/err"; rc=$?
	check "a full disk is exit 74" [ "$rc" -eq 74 ]
	err_has "write error"
	crm-report contacts -f html >/dev/full 2>"$T/err"; rc=$?
	check "a full disk is exit 74 for html too" [ "$rc" -eq 74 ]
fi
done_testing
