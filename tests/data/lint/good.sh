#!/bin/bash
# A sample for tests/lint.py --self-test: ways to check a status that the
# lint accepts; it must report nothing here.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add -q --first-name Ann
expect_code 0 env CRM_NOW=2026-01-01T00:00:00Z crm-lead add -q --first-name B
expect_code_in 0 "$T/in.csv" crm-contact import -q
expect_code 0 crm-contact import -q <<'X'
first_name
crm-contact list | sort
X
run crm-contact list; check "list exits 0" [ $rc -eq 0 ]
run_in "$T/in.csv" crm contact import -q
check "show works" crm-contact show 1
crm-contact export -f csv >/dev/full 2>"$T/err"; rc=$?
crm-score predict --model m x >/dev/full 2>"$T/err"
check "a full disk is exit 74" [ $? -eq 74 ]
if crm-contact show 1 >/dev/null; then ok "shown"; else not_ok "not shown"; fi
if ! crm-contact show 99 >/dev/null 2>&1; then ok "99 missing"; else not_ok "99 shown"; fi
crm-contact list >/dev/null || not_ok "list failed"
crm-contact list >/dev/null || exit 1
crm-contact import -q "$T/a.csv" 2>"$T/err.a" & pa=$!
wait $pa; ra=$?
ids=$(crm-contact list --ids) || not_ok "list --ids failed"
while crm-contact show "$i" >/dev/null 2>&1; do i=$((i + 1)); done
add() { crm-contact add -q "$@" >/dev/null || not_ok "add $*"; }
add --first-name E
carry() { crm-contact add -q "$@"; }
carry --first-name F || not_ok "carry"
expect_code 0 carry --first-name G
tidy() { crm-contact list >/dev/null || return 1; echo tidied; }
tidy >/dev/null || not_ok "tidy"
( set -o pipefail; crm-contact export -f csv 2>"$T/err" | head -1 >"$T/out"; echo $? >"$T/rc" )
[ -f "$T/x" ] || skip "no x here"
[ -f "$T/x" ] && rm "$T/x"
grep -q x "$T/out" && ok "has x" || not_ok "has x"
case $rc in 0) ok "rc 0" ;; *) not_ok "rc $rc" ;; esac
cat "$T/out" | sed 's/a/b/' >"$T/o2"
echo 'crm-contact: 1 failed' >"$T/want"
crm-contact add -q --first-name H # lint-ok: a sample of the escape hatch
P=(--policies "$T/sla.json")
printf '%s\n' "crm-contact list" >"$T/cmds"
done_testing
