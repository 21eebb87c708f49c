# tests/readme.sh - sourced after tests/lib.sh: runs the tour of a README
# the way a new user would, and prints TAP lines.
#
# The tour is every fenced block whose info string is "sh", in order, in
# one fresh directory; shell variables and exports carry from one block to
# the next. A block fails when any of its commands fails (set -e; a pipe
# counts by its last command). A block followed at once by an "output"
# block must print exactly that (stdout and stderr together, the tour
# directory written as $PWD).

# readme_blocks README DIR: writes DIR/N.sh and DIR/N.out (when the block
# shows its output) for each sh block; prints the number of blocks.
readme_blocks() {
	python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
n, i = 0, 0
while i < len(lines):
    if lines[i].strip() == '```sh':
        j = i + 1
        while lines[j].strip() != '```':
            j += 1
        n += 1
        open(f'{sys.argv[2]}/{n}.sh', 'w', encoding='utf-8').write('\n'.join(lines[i + 1:j]) + '\n')
        i = j + 1
        if i < len(lines) and lines[i].strip() == '```output':
            k = i + 1
            while lines[k].strip() != '```':
                k += 1
            open(f'{sys.argv[2]}/{n}.out', 'w', encoding='utf-8').write(
                '\n'.join(lines[i + 1:k]) + '\n' if k > i + 1 else '')
            i = k + 1
        continue
    i += 1
print(n)
PY
}

# readme_tour README: runs the tour in $T/tour; one check per block, one
# per shown output.
readme_tour() {
	local dir="$T/tour" blocks n b vars=
	rm -rf "$dir" "$T/blocks"
	mkdir -p "$dir" "$T/blocks"
	blocks=$(readme_blocks "$1" "$T/blocks")
	check "the README has a tour ($blocks sh blocks)" [ "${blocks:-0}" -gt 0 ]
	: >"$T/blocks/state"
	for n in $(seq 1 "${blocks:-0}"); do
		b="$T/blocks/$n.sh"
		# the variables a block sets, to carry into the next ones
		vars=$( (echo $vars; sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$b") | tr ' ' '\n' | sort -u | tr '\n' ' ')
		(
			cd "$dir" || exit 99
			. "$T/blocks/state"
			set -e
			. "$b"
			set +e
			{ export -p; [ -z "$vars" ] || declare -p $vars; } >"$T/blocks/state.new" 2>/dev/null
		) >"$T/blocks/$n.got" 2>&1
		rc=$?
		[ -f "$T/blocks/state.new" ] && mv "$T/blocks/state.new" "$T/blocks/state"
		if [ "$rc" -eq 0 ]; then
			ok "README tour block $n runs: $(head -1 "$b")"
		else
			not_ok "README tour block $n runs (exit $rc): $(head -1 "$b")"
			sed 's/^/#   /' "$T/blocks/$n.got" | head -10
		fi
		if [ -f "$T/blocks/$n.out" ]; then
			sed "s|$dir|\$PWD|g" "$T/blocks/$n.got" >"$T/blocks/$n.cmp"
			compare "$T/blocks/$n.out" "$T/blocks/$n.cmp" \
				"README tour block $n prints what the README shows"
		fi
	done
}
