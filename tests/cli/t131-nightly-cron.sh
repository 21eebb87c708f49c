#!/bin/bash
# Cron's environment: PATH=/usr/bin:/bin and little else. nightly.sh, run
# from an installed tree that way, finds the crm commands by itself, and
# the README's crontab sets PATH before its jobs.
. "$(dirname "$0")/../lib.sh"
ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z

# an installed tree: PREFIX/bin and PREFIX/share/crm
p="$T/prefix"
mkdir -p "$p/bin" "$p/share"
cp "$TOP/$BUILD"/bin/crm* "$p/bin/"
cp -R "$TOP/share/crm" "$p/share/crm"

for f in companies:company contacts:contact leads:lead deals:pipeline tickets:ticket; do
	expect_code 0 crm-${f#*:} import -q "$ex/${f%%:*}.csv"
done
expect_code 0 crm-activity import -q "$ex/activities.ndjson"

check "crm-lead is not on cron's PATH" \
	env -i PATH=/usr/bin:/bin sh -c '! command -v crm-lead >/dev/null'
cd "$T" || exit 1
expect_code 1 env -i PATH=/usr/bin:/bin HOME="$T/home" CRM_DB="$CRM_DB" \
	CRM_NOW="$CRM_NOW" CRM_SHARE="$p/share/crm" \
	"$p/share/crm/examples/nightly.sh" "$T/reports"
s="$T/reports/2026-11-23/summary"
check "the summary is written" [ -f "$s" ]
check "no step failed" sh -c "! grep -q 'failed' '$s'"
check "no command was missing" sh -c "! grep -q 'not found' '$T/reports/2026-11-23/log'"
check "exit status 1: attention, not a failure" grep -q '^exit status 1: see the steps marked attention' "$s"
check "leads were reclaimed" grep -Eq '^leads reclaimed +[1-9][0-9]* +ok ' "$s"

# the README's crontab example sets PATH before its first job
awk '/^    # cron.s own PATH/,/^$/' "$TOP/README.md" >"$T/crontab"
check "the README crontab sets PATH" grep -q '^    PATH=/usr/local/bin:/usr/bin:/bin$' "$T/crontab"
first_job=$(grep -n '^    [0-9*]' "$T/crontab" | head -1 | cut -d: -f1)
path_line=$(grep -n '^    PATH=' "$T/crontab" | head -1 | cut -d: -f1)
check "PATH comes before the first job" [ "${path_line:-99}" -lt "${first_job:-0}" ]
done_testing
