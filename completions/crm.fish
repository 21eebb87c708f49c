# fish completion for crm and every crm-NOUN command. Verbs, options and
# field names come from the binaries (--list-verbs, VERB --list-options,
# --list-fields), so the completions never drift from the code.

function __crm_cmd
	set -l t (commandline -opc)
	if test (basename $t[1]) = crm
		# crm search is a verb of crm itself
		if test (count $t) -ge 2; and test $t[2] = search
			echo crm
		else if test (count $t) -ge 2
			echo crm-$t[2]
		end
	else
		echo (basename $t[1])
	end
end

function __crm_verb
	set -l t (commandline -opc)
	set -l i 2
	test (basename $t[1]) = crm; and test (count $t) -ge 2; and test $t[2] != search; and set i 3
	test (count $t) -ge $i; and echo $t[$i]
end

function __crm_needs_verb
	set -l c (__crm_cmd); set -l v (__crm_verb)
	test -n "$c"; and test -z "$v"
end

function __crm_has_verb
	set -l v (__crm_verb)
	test -n "$v"
end

function __crm_verbs
	set -l c (__crm_cmd); and $c --list-verbs 2>/dev/null
end

function __crm_options
	set -l c (__crm_cmd); set -l v (__crm_verb)
	test -n "$v"; and $c $v --list-options 2>/dev/null | string replace -r '=$' ''
end

function __crm_fields
	set -l c (__crm_cmd); and $c --list-fields 2>/dev/null
end

for c in crm crm-contact crm-company crm-activity crm-lead crm-score crm-dedupe crm-pipeline crm-ticket crm-report crm-kb crm-flow crm-asset crm-product crm-quote crm-contract crm-user crm-campaign crm-sync crm-social
	complete -c $c -f
	complete -c $c -n __crm_needs_verb -a '(__crm_verbs)'
	complete -c $c -n __crm_has_verb -a '(__crm_options)'
	complete -c $c -s f -l format -x -a 'csv tsv json ndjson table'
	complete -c $c -l period -x -a 'month quarter'
	complete -c $c -l by -x -a 'owner'
	complete -c $c -l on-duplicate -x -a 'update skip flag allow'
	complete -c $c -l direction -x -a 'in out'
	complete -c $c -s t -l type -x -a 'call email meeting note sms task web_visit'
	complete -c $c -l priority -x -a 'urgent high normal low'
	complete -c $c -l channel -x -a 'email phone web chat social'
	complete -c $c -l lifecycle-stage -x -a 'subscriber lead marketing_qualified_lead sales_qualified_lead opportunity customer evangelist'
	complete -c $c -l rules -l policies -l model -l rates -l reject -r -F
	complete -c $c -s i -l input-format -x -a 'csv tsv json ndjson'
	complete -c $c -l date-format -x -a 'us eu ymd mon excel excel1904'
	complete -c $c -l encoding -x -a 'UTF-8 UTF-16 GB18030 GBK BIG5 SHIFT_JIS CP1252'
	complete -c $c -s w -l where -x -a '(__crm_fields)'
	complete -c $c -l fields -x -a '(__crm_fields)'
	complete -c $c -l sort -x -a '(__crm_fields)'
	complete -c $c -s d -l db -r -F
end
complete -c crm -n 'test (count (commandline -opc)) -eq 1' -a 'help init search version (string replace -r "^crm-" "" (complete -C crm- | string replace -r "\t.*" ""))'
