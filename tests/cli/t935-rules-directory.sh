#!/bin/bash
# A directory given as a rules, policy, pipelines or rates file is named as
# such (exit 78), by every loader, and nothing is written.
. "$(dirname "$0")/../lib.sh"

mkdir "$T/dir"
expect_code 0 crm-lead add -q --email a@example.com
db_dump "" "$T/before"
dir_refused() { # COMMAND...
	expect_code 78 "$@"
	err_has ":$T/dir: is a directory, not a file"
}
dir_refused crm-lead assign --rules "$T/dir" 1
dir_refused crm-score leads --rules "$T/dir"
dir_refused crm-ticket open --policies "$T/dir" --subject x
dir_refused crm-ticket sla --policies "$T/dir"
dir_refused crm-pipeline forecast --rates "$T/dir"
mkdir -p "$T/share/pipelines.json"
CRM_SHARE=$T/share expect_code 78 crm-pipeline add --name x
err_has ":$T/share/pipelines.json: is a directory, not a file"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "nothing written"
done_testing
