#!/bin/bash
# --where alternatives: FIELD=A,B is "any of", FIELD!=A,B "none of",
# FIELD~A,B "contains any of"; "\," is a comma inside a value. ~ folds
# case for all of Unicode (MÜLLER finds Müller, STRASSE finds Straße).
. "$(dirname "$0")/../lib.sh"

cat >"$T/in.csv" <<'X'
first_name,last_name,email,country,company,tags,city
Hans,Müller,hm@example.de,DE,"Müller, Schmidt & Co",vip,Straße
Ana,Silva,ana@example.pt,PT,Acme,"vip,new",ΣΟΦΊΑ
Juan,García,juan@example.es,ES,"Acme, Inc",new,Ærøskøbing
Li,Wei,li@example.cn,CN,北京网络科技,,ＡＢＣ
Zoe,Doe,zoe@example.com,,,,İstanbul
X
expect_code 0 crm-contact import -q "$T/in.csv"

# where EXPR IDS: the ids listed for --where EXPR, space-separated
where() {
	want=$2
	run crm-contact list --ids -w "$1"
	got=$(tr '\n' ' ' <"$T/out" | sed 's/ $//')
	if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then ok "--where '$1': $want"
	else not_ok "--where '$1': want '$want', got '$got' (exit $rc)"; sed 's/^/#   err: /' "$T/err"; fi
}
where 'country=PT,ES' '2 3'
where 'country = PT, ES' '2 3'
where 'country=PT' '2'
where 'country!=PT,ES' '1 4'
where 'country=PT,' '2 5'
where 'company=Acme\, Inc' '3'
where 'company=Acme\, Inc,Acme' '2 3'
where 'company=Acme, Inc' '2'
where 'tags=new,vip' '1 2 3'
where 'tags!=new' '1 4 5'
where 'email=HM@EXAMPLE.DE,li@example.cn' '1 4'
where 'company~schmidt\, & co' ''
where 'company~müller\, schmidt' '1'
where 'company~inc,北京' '3 4'

# ~ folds case for all of Unicode, both sides
where 'last_name~MÜLLER' '1'
where 'last_name~müller' '1'
where 'last_name~GARCÍA' '3'
where 'city~STRASSE' '1'
where 'city~straße' '1'
where 'city~σοφία' '2'
where 'city~ΣΟΦΊΑ' '2'
where 'city~ÆRØ' '3'
where 'city~ａｂｃ' '4'
where 'company~科技' '4'
where 'first_name~AN' '1 2 3'

# values stay bound parameters: quotes and SQL in a value are just text
where "company=x' OR 1=1 --,Acme" '2'
expect_code 64 crm-lead list -w 'status=new,bogus'
err_has "--where 'status=new,bogus': unknown status 'bogus'"
expect_code 0 crm-lead list -w 'status=new,working'
done_testing
