#!/bin/bash
# Memory: a sample of commands, small inputs, under valgrind's memcheck
# with full leak checking. Any invalid access, use of uninitialised memory
# or leak makes valgrind exit 99; each command must exit with its own
# status instead. Skipped in sanitizer builds (ASan and valgrind exclude
# each other) and without valgrind.
. "$(dirname "$0")/../lib.sh"

case $BUILD in *san*)
	skip "valgrind does not run sanitizer builds"; done_testing; exit 0 ;;
esac
if ! command -v valgrind >/dev/null; then
	skip "valgrind not installed (apt-get install valgrind)"; done_testing; exit 0
fi

VG=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite,indirect
	--suppressions="$TOP/tests/valgrind.supp")
# vg CODE CMD...: run CMD under valgrind, expect exit CODE; vg_in CODE FILE
# CMD... reads FILE on stdin
vg() { vg_in "$1" /dev/null "${@:2}"; }
vg_in() {
	want=$1 in=$2; shift 2
	"${VG[@]}" "$@" <"$in" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq "$want" ]; then ok "valgrind clean, exit $want: $*"
	else
		not_ok "valgrind: $* (exit $rc, want $want)"
		grep -v '^crm' "$T/err" | head -20 | sed 's/^/#   /'
	fi
}

cat >"$T/c.csv" <<'X'
external_id,first_name,last_name,email,phone,company,tags,Shoe Size
c1,Ann,Lee,ann@acme.example,+44 20 7946 0000,Acme Rockets GmbH,"vip,beta",38
c2,Zoë,O'Brien,zoe@globex.example,(212) 555-0100,Globex,,
c3,小明,王,ming@example.cn,,北京科技有限公司,new,41
X
printf 'external_id,first_name,email\nb1,Bad,bad@\nb2,Good,good@example.com\n' >"$T/bad.csv"
cat >"$T/ev.ndjson" <<'X'
{"external_id":"e1","email":"ANN@acme.example","type":"email_open","occurred_at":"2026-11-21T08:00:00Z"}
{"external_id":"e2","contact_external_id":"c2","type":"call","occurred_at":"2026-11-19T08:00:00Z"}
X

vg 0 crm-contact import "$T/c.csv"
vg 0 crm-contact add --first-name Bo --email bo@example.com --set 'Shoe Size=40'
vg 0 crm-contact list -w 'email~example' --sort=-created_at --limit 2
vg 0 crm-contact show c1 -f json
vg 0 crm-contact update -w 'tags=vip' --set owner=kim
vg 0 crm-contact delete 3
vg 0 crm-contact undo 2
vg 0 crm-contact export --safe-csv -f ndjson
cp "$T/out" "$T/exp.ndjson"
vg 0 crm-contact import --key id "$T/exp.ndjson"
vg 65 crm-contact import "$T/bad.csv"
vg 3 crm-contact import --reject "$T/rej.csv" "$T/bad.csv"
vg 64 crm-contact list -w 'nope=1'
vg 0 crm-company add --name 'Acme Group' --domain acme.example
vg 0 crm-company update 'Acme Rockets' --set 'parent=Acme Group'
vg 0 crm-company tree 'Acme Group'
vg 0 crm-activity import "$T/ev.ndjson"
vg 0 crm-activity log --type task --contact ann@acme.example --due 2026-11-25 --owner kim
vg 0 crm-activity timeline contact c1
CRM_NOW=2026-12-01T00:00:00Z vg 1 crm-activity due
vg_in 0 "$DATA/score-eight.csv" crm-score train --stdin --target 'Won?' --min-count 3 --folds 0 --model "$T/m.json"
vg_in 0 "$DATA/score-eight.csv" crm-score predict --stdin --model "$T/m.json"
vg_in 0 "$T/c.csv" crm-score leads --stdin
vg 64 crm-contact frobnicate
done_testing
