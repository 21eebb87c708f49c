#!/bin/bash
# Documentation: every man page passes mandoc -Tlint; every binary has a
# man page, and every option of every verb appears in it; the completions
# load in bash, zsh and fish and complete verbs, options and fields.
. "$(dirname "$0")/../lib.sh"

for page in "$TOP"/man/man*/*.[0-9]; do
	run mandoc -Tlint -W warning "$page"
	check "mandoc -Tlint: ${page#$TOP/}" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$T/out"
done
for bin in "$TOP/$BUILD"/bin/crm-*; do
	name=$(basename "$bin")
	page="$TOP/man/man1/$name.1"
	check "$name has a man page" [ -f "$page" ]
	[ -f "$page" ] || continue
	missing=
	expect_code 0 "$bin" --list-verbs
	verbs=$(cat "$T/out")
	check "$name lists its verbs" [ -n "$verbs" ]
	for verb in $verbs; do
		check "$name: verb $verb is in the man page" grep -q "Cm $verb" "$page"
		expect_code 0 "$bin" "$verb" --list-options
		for opt in $(cat "$T/out"); do
			o=${opt#--}; o=${o%=}
			case $o in help | usage | version) continue ;; esac
			grep -qF -- "\\-$o" "$page" || missing="$missing $verb:--$o"
		done
	done
	check "$name: every option is documented${missing:+ (missing:$missing)}" [ -z "$missing" ]
	check "$name has its place in the README" grep -q "$name" "$TOP/README.md"
done

# Sections every crm-NOUN(1) has; cross-references between crm pages
# point at pages that exist; crm(7) names every binary.
for page in "$TOP"/man/man1/crm*.1; do
	for sec in 'EXIT STATUS' EXAMPLES; do
		check "${page#$TOP/} has $sec" grep -qx ".Sh $sec" "$page"
	done
done
bad=
for page in "$TOP"/man/man*/*.[0-9]; do
	for ref in $(sed -n 's/^\.Xr \(crm[a-z-]*\) \([0-9]\).*/\1.\2/p' "$page"); do
		# crm-report(1) is being written in its own branch
		[ -f "$TOP/man/man${ref##*.}/$ref" ] || [ "$ref" = crm-report.1 ] ||
			bad="$bad ${page##*/}->$ref"
	done
done
check "every .Xr crm* reference has a page${bad:+ (missing:$bad)}" [ -z "$bad" ]
for bin in "$TOP/$BUILD"/bin/crm-*; do
	check "crm(7) names $(basename "$bin")" grep -q "^\.Xr $(basename "$bin") 1" "$TOP/man/man7/crm.7"
done
for f in scoring assignment pipelines sla; do
	check "crm-formats(5) documents $f.json" grep -q "^\.Ss $f.json" "$TOP/man/man5/crm-formats.5"
done

# bash
out=$(bash -c '. "$1"/completions/crm.bash
	COMP_WORDS=(crm-contact li); COMP_CWORD=1; _crm_complete; echo "${COMPREPLY[*]}"
	COMP_WORDS=(crm-contact import --cr); COMP_CWORD=2; _crm_complete; echo "${COMPREPLY[*]}"
	COMP_WORDS=(crm-contact list --where last_n); COMP_CWORD=3; _crm_complete; echo "${COMPREPLY[*]}"
	COMP_WORDS=(crm conta); COMP_CWORD=1; _crm_complete; echo "${COMPREPLY[*]}"' _ "$TOP" 2>&1)
printf '%s\n' "$out" >"$T/out"
expect_out "bash completes verbs, options, fields and nouns" <<'X'
list
--create-only
last_name
contact
X
# fish
if command -v fish >/dev/null; then
	fish -c "source $TOP/completions/crm.fish; complete -C 'crm-contact sh'; complete -C 'crm-contact import --up'" >"$T/out" 2>&1
	expect_out "fish completes verbs and options" <<'X'
show
--update-only
X
else
	not_ok "fish is not installed (make deps installs it)"
fi
# zsh: the function file parses and defines its completer
if command -v zsh >/dev/null; then
	zsh -c "autoload -Uz compinit; compinit -u -d $T/zcomp; fpath=($TOP/completions \$fpath); autoload -Uz _crm; whence -w _crm" >"$T/out" 2>&1
	expect_out "zsh loads _crm" <<<'_crm: function'
	zsh -n "$TOP/completions/_crm"
	check "zsh -n completions/_crm" [ $? -eq 0 ]
else
	not_ok "zsh is not installed (make deps installs it)"
fi
done_testing
