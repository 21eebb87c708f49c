#!/bin/bash
# The README tried as a new user would: every sh block of the tour runs,
# in order, in a fresh directory with a fresh database (the tour sets
# CRM_DB and pins CRM_NOW), with the share folder of this tree; each block
# prints what the README shows after it. Besides, every crm-NOUN VERB and
# --option in any README example exists.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/readme.sh"

for tool in jq mlr sqlite3 flock python3; do
	check "$tool is installed (make deps)" sh -c "command -v $tool >/dev/null"
done
unset CRM_DB
readme_tour "$TOP/README.md"

# Every crm-NOUN VERB --option in the README's examples (tour, indented
# blocks, cron lines) exists: the examples that are not run cannot drift
# either.
python3 - "$TOP/README.md" >"$T/uses" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
code, fenced = [], False
for line in text.split('\n'):
    if line.startswith('```'):
        fenced = not fenced
        continue
    if fenced or line.startswith('    '):
        code.append(line.split(' #')[0] if not fenced else line)
for line in code:
    for seg in re.split(r'\|\||&&|[|;]|\$\(', line):
        m = re.search(r'(?:^|\s)(crm-[a-z]+)\s+([a-z][a-z-]*)((?:\s+\S+)*)', seg)
        if not m:
            continue
        opts = sorted(set(re.findall(r'(?:^|\s)(--[a-z][a-z-]*)', m.group(3))))
        print(m.group(1), m.group(2), *opts)
PY
sort -u "$T/uses" >"$T/uses.u"
bad=
while read -r bin verb opts; do
	if ! command -v "$bin" >/dev/null 2>&1; then
		bad="$bad $bin(no such binary)"; continue
	fi
	"$bin" --list-verbs | grep -qx -- "$verb" || { bad="$bad $bin:$verb"; continue; }
	have=$("$bin" "$verb" --list-options | sed 's/=$//')
	for o in $opts; do
		printf '%s\n' "$have" | grep -qx -- "$o" || bad="$bad $bin:$verb:$o"
	done
done <"$T/uses.u"
check "every command in the README's examples exists (checked $(wc -l <"$T/uses.u")${bad:+; unknown:$bad})" [ -z "$bad" ]
done_testing
