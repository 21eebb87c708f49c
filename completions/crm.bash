# bash completion for crm and every crm-NOUN command.
# Verbs, options and field names come from the binaries themselves
# (--list-verbs, VERB --list-options, --list-fields), so the completions
# never drift from the code.

_crm_words() { "$@" 2>/dev/null; }

# The values of options that take one of a few words (the same list in
# _crm and crm.fish).
_crm_values() {
	case $1 in
	-f | --format) echo csv tsv json ndjson table ;;
	-i | --input-format) echo csv tsv json ndjson ;;
	--period) echo month quarter ;;
	--by) echo owner ;;
	--on-duplicate) echo update skip flag allow ;;
	--direction) echo in out ;;
	-t | --type) echo call email meeting note sms task web_visit ;;
	--priority) echo urgent high normal low ;;
	--channel) echo email phone web chat social ;;
	--lifecycle-stage) echo subscriber lead marketing_qualified_lead \
		sales_qualified_lead opportunity customer evangelist ;;
	--date-format) echo us eu ymd mon excel excel1904 ;;
	--encoding) echo UTF-8 UTF-16 GB18030 GBK BIG5 SHIFT_JIS CP1252 ;;
	esac
}

_crm_noun() { # the crm-NOUN command at words[1..]
	local cmd=$1 cur=$2 verb=$3 prev=$4
	if [[ -z $verb ]]; then
		COMPREPLY=($(compgen -W "$(_crm_words "$cmd" --list-verbs) --help --version" -- "$cur"))
		return
	fi
	# --opt=value arrives as three words: --opt, =, value
	[[ $prev == = && $COMP_CWORD -ge 2 ]] && prev=${COMP_WORDS[COMP_CWORD - 2]}
	[[ $cur == = ]] && cur=
	local vals
	vals=$(_crm_values "$prev")
	if [[ -n $vals ]]; then
		COMPREPLY=($(compgen -W "$vals" -- "$cur")); return
	fi
	case $prev in
	-d | --db | --reject | --model | --rules | --policies | --rates | -o | --output)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-w | --where | --fields | --sort)
		local pre=${cur%"${cur##*[,-]}"}
		COMPREPLY=($(compgen -P "$pre" -W "$(_crm_words "$cmd" --list-fields)" -- "${cur##*[,-]}"))
		compopt -o nospace 2>/dev/null
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_crm_words "$cmd" "$verb" --list-options)" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

_crm_complete() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[0]} i=1 verb=
	if [[ ${cmd##*/} == crm ]]; then
		if ((COMP_CWORD == 1)); then
			local nouns
			nouns=$(compgen -c crm- | sed 's/^crm-//' | sort -u)
			COMPREPLY=($(compgen -W "help init search version $nouns" -- "$cur"))
			return
		fi
		# crm search is a verb of crm itself: crm search --list-options
		if [[ ${COMP_WORDS[1]} == search ]]; then
			i=1
		else
			cmd=crm-${COMP_WORDS[1]}
			i=2
		fi
	fi
	((COMP_CWORD > i)) && verb=${COMP_WORDS[i]}
	_crm_noun "$cmd" "$cur" "$verb" "$prev"
}

complete -F _crm_complete crm crm-contact crm-company crm-activity crm-lead \
	crm-score crm-dedupe crm-pipeline crm-ticket crm-report crm-kb crm-flow crm-asset crm-product crm-quote crm-contract crm-user crm-campaign crm-sync crm-social
