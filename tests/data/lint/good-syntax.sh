#!/bin/bash
# A sample for tests/lint.py --self-test: bash the lint must parse; it
# must report nothing here.
. "$(dirname "$0")/../lib.sh"
x=$'it\'s\tb'
read -r a b <<<"1 2"
[[ $x =~ ^a(b)?$ ]] && echo y
(( n = 1 + 2 ))
for ((i = 0; i < 3; i++)); do echo $i; done
y=$(case $x in a) echo A ;; *) echo B ;; esac)
z=$((n * 2))
diff <(sort a) <(sort b) >/dev/null
function f { echo f; }
g() (
	echo sub
)
cmd 2>&1 |& cat
while read -r l; do echo "$l"; done <"$T/x"
arr=(a "b c" $(echo d))
echo "${arr[@]:1}" "${x//a/b}" "${#arr[@]}"
if [ -n "$x" ]; then :; elif [ -z "$y" ]; then :; else :; fi
cat <<-EOT
	crm-contact list
	EOT
echo `date`
trap 'rm -f x' EXIT
expect_code 0 crm-contact list \
	--ids
done_testing
