#!/bin/bash
# Completions: completions/crm.bash, _crm and crm.fish load in bash, zsh
# and fish and complete, for every binary, its verbs, the options of a
# verb and the field names after --where, --fields and --sort (all asked
# from the binaries), plus the values of options that take a few words.
. "$(dirname "$0")/../lib.sh"
C="$TOP/completions"

# bash: bcomp WORD... (the last word is the one being completed)
bcomp() {
	bash -c '. "$1"/crm.bash; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_crm_complete; printf "%s\n" "${COMPREPLY[@]}"' _ "$C" "$@" 2>&1 | sort
}
# fish: fcomp 'COMMAND LINE'
fcomp() { fish -c "source $C/crm.fish; complete -C '$1'" 2>&1 | sed 's/\t.*//' | sort; }
# zsh: zcomp WORD...: _crm with compadd, _describe, _files and compset
# stubbed to print the candidates
zcomp() {
	zsh -c '
		compadd() { local a; while [[ $1 == -* ]]; do
			case $1 in -a) shift; for a in ${(P)1}; print -r -- $a; shift; continue ;; -S|-P) shift ;; esac
			shift; done; print -rl -- "$@"; }
		_describe() { print -rl -- ${(P)${@[-1]}}; }
		_files() { print -r -- "(files)"; }
		compset() { [[ $1 == -P ]] && PREFIX=${PREFIX##$~2}; return 0; }
		source "$1"/_crm >/dev/null 2>&1; shift
		words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
		_crm' _ "$C" "$@" 2>&1 | grep -v '^$' | { [ -n "${ZPREFIX:-}" ] && grep "^$ZPREFIX" || cat; } | sort
}

have_fish=0 have_zsh=0
command -v fish >/dev/null && have_fish=1
command -v zsh >/dev/null && have_zsh=1
check "fish is installed (make deps)" [ $have_fish = 1 ]
check "zsh is installed (make deps)" [ $have_zsh = 1 ]

for bin in "$TOP/$BUILD"/bin/crm-*; do
	b=$(basename "$bin")
	verbs=$("$b" --list-verbs | sort)
	verb=$("$b" --list-verbs | head -1)
	opts=$("$b" "$verb" --list-options | sort)
	field=$("$b" --list-fields | sed -n 2p)

	printf '%s\n' $verbs --help --version | sort >"$T/want"
	bcomp "$b" "" >"$T/out"
	compare "$T/want" "$T/out" "bash: $b completes its verbs"
	printf '%s\n' "$opts" >"$T/want"
	bcomp "$b" "$verb" -- >"$T/out"
	compare "$T/want" "$T/out" "bash: $b $verb -- completes its options"
	if [ -n "$field" ]; then
		bcomp "$b" list --where "${field%?}" >"$T/out"
		check "bash: $b list --where ${field%?} completes the field $field" grep -qx "$field" "$T/out"
		bcomp "$b" list --fields "id,${field%?}" >"$T/out"
		check "bash: $b list --fields id,${field%?} completes id,$field" grep -qx "id,$field" "$T/out"
	fi
	if [ $have_fish = 1 ]; then
		printf '%s\n' "$verbs" >"$T/want"
		fcomp "$b " >"$T/out"
		compare "$T/want" "$T/out" "fish: $b completes its verbs"
		printf '%s\n' "$opts" | sed 's/=$//' | sort -u >"$T/want"
		fcomp "$b $verb --" | sort -u >"$T/out"
		check "fish: $b $verb -- completes its options" sh -c "[ -z \"\$(comm -23 '$T/want' '$T/out')\" ]"
	fi
	if [ $have_zsh = 1 ]; then
		printf '%s\n' "$verbs" >"$T/want"
		zcomp "$b" "" >"$T/out"
		compare "$T/want" "$T/out" "zsh: $b completes its verbs"
		printf '%s\n' "$opts" >"$T/want"
		zcomp "$b" "$verb" -- >"$T/out"
		compare "$T/want" "$T/out" "zsh: $b $verb -- completes its options"
		if [ -n "$field" ]; then
			ZPREFIX=$field zcomp "$b" list --sort "" >"$T/out"
			check "zsh: $b list --sort completes the field $field" grep -qx "$field" "$T/out"
		fi
	fi
done

# option values, written out by hand
bcomp crm-pipeline forecast --period "" >"$T/out"
printf '%s\n' month quarter >"$T/want"; compare "$T/want" "$T/out" "bash: --period values"
bcomp crm-lead import --on-duplicate = "" >"$T/out"
printf '%s\n' allow flag skip update >"$T/want"; compare "$T/want" "$T/out" "bash: --on-duplicate=VALUE values"
bcomp crm-contact list -f j >"$T/out"
printf '%s\n' json >"$T/want"; compare "$T/want" "$T/out" "bash: -f j completes json"
bcomp crm-ticket open --priority u >"$T/out"
printf '%s\n' urgent >"$T/want"; compare "$T/want" "$T/out" "bash: --priority u completes urgent"
bcomp crm tick >"$T/out"
printf '%s\n' ticket >"$T/want"; compare "$T/want" "$T/out" "bash: crm tick completes the noun ticket"
bcomp crm pipeline forecast --per >"$T/out"
printf '%s\n' --period= >"$T/want"; compare "$T/want" "$T/out" "bash: crm pipeline forecast --per completes through the dispatcher"
if [ $have_fish = 1 ]; then
	fcomp 'crm-pipeline forecast --period ' >"$T/out"
	printf '%s\n' month quarter >"$T/want"; compare "$T/want" "$T/out" "fish: --period values"
	fcomp 'crm-lead import --on-duplicate=' >"$T/out"
	printf '%s\n' --on-duplicate=allow --on-duplicate=flag --on-duplicate=skip --on-duplicate=update >"$T/want"
	compare "$T/want" "$T/out" "fish: --on-duplicate= values"
	fcomp 'crm ticket so' >"$T/out"
	printf '%s\n' solve >"$T/want"; compare "$T/want" "$T/out" "fish: crm ticket so completes solve"
fi
if [ $have_zsh = 1 ]; then
	zcomp crm-pipeline forecast --period "" >"$T/out"
	printf '%s\n' month quarter >"$T/want"; compare "$T/want" "$T/out" "zsh: --period values"
	zcomp crm-lead import --on-duplicate= >"$T/out"
	printf '%s\n' allow flag skip update >"$T/want"; compare "$T/want" "$T/out" "zsh: --on-duplicate= values"
	expect_code 0 crm-ticket --list-verbs; sort "$T/out" >"$T/want"
	zcomp crm ticket "" >"$T/out"; compare "$T/want" "$T/out" "zsh: crm ticket completes the ticket verbs"
fi
done_testing
