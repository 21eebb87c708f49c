#!/bin/bash
# An import that updates records writes only the fields each record
# changes (lib/entity/entity_write.c: an UPDATE for each set of changed
# fields, up to 32 sets, then the UPDATE of every column). 64 contacts
# each change another set of six fields and a custom one: the first 32
# sets get their own UPDATE, the rest the whole row's; every value must
# land, and the fields a record keeps must stay as they were.
. "$(dirname "$0")/../lib.sh"

fields="first_name last_name title city country source"
{
	echo "external_id,email,first_name,last_name,title,city,country,source,hobby"
	for i in $(seq 1 64); do
		echo "x$i,e$i@x.example,F$i,L$i,T$i,C$i,DE,S$i,h$i"
	done
} >"$T/a.csv"
expect_code 0 crm-contact import -q "$T/a.csv"

# row i: field k (0-5) and the custom hobby (6) changed when bit k of i is
# set; the expected table, in id order
awk -F, -v OFS=, 'NR == 1 { print; next }
{
	i = substr($1, 2) + 0
	for (k = 0; k < 7; k++)
		if (int(i / 2 ^ k) % 2)
			$(k + 3) = "N" k "-" i
	print
}' "$T/a.csv" >"$T/b.csv"
run crm-contact import "$T/b.csv"
check "import exits 0" [ "$rc" -eq 0 ]
err_has "64 updated"
tail -n +2 "$T/b.csv" | tr , '|' >"$T/want"
sql "SELECT external_id, email, first_name, last_name, title, city, country, source, json_extract(custom, '$.hobby') FROM contacts ORDER BY id"
compare "$T/want" "$T/sql" "every changed value written, every other kept (64 sets of changed fields)"
done_testing
