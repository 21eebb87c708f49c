#!/bin/bash
# A sample for tests/lint.py --self-test: checks outside the counting
# helpers. Every line marked "# expect:" must be reported, nothing else.
. "$(dirname "$0")/../lib.sh"

ok "always passes" # expect: bare-ok
[ -s "$T/out" ] && ok "output written" # expect: bare-ok
grep -q x "$T/out" || ok "no x" # expect: bare-ok
if [ -s "$T/out" ]; then ok "written"; fi # expect: bare-ok
run mandoc -Tlint x.1
check "lint is clean" [ $rc -eq 0 ] && [ ! -s "$T/out" ] # expect: outside
check "no error" [ $rc -eq 0 ] || echo "it failed" # expect: outside echoed
[ "$rc" -eq 0 ] # expect: outside
test -s "$T/out" # expect: outside
cmp -s a b || echo "FAIL: a and b differ" # expect: echoed
if ! cmp -s a b; then echo "a and b differ: test failed"; fi # expect: echoed
expect_code 0 crm-contact list >"$T/list" # expect: redirected
check "quiet" [ ! -s "$T/err" ] >/dev/null # expect: redirected
{ ok "in a block"; not_ok "x"; } >"$T/tap" # expect: redirected bare-ok
done_testing
