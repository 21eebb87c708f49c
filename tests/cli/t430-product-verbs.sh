#!/bin/bash
# crm-product through the entity engine: import, list, show, update,
# export and back, tag, delete and undo; units, attributes and bundles
# checked on every write (exit 65, database unchanged).
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-product list --fields sku,family,unit,active -w family=hardware --sort sku
expect_out "list: imported, active by default, units kept" <<'X'
sku,family,unit,active
CABLE,hardware,each,true
DISK,hardware,each,true
GPU,hardware,each,true
PSU,hardware,each,true
RAM,hardware,each,true
SERVER,hardware,each,true
STORAGE,hardware,TB,true
X
expect_code 0 crm-product show CABLE --fields sku,units,cost,currency,tax_category
expect_out "show by SKU: cost in minor units comes back as a decimal" <<'X'
sku,units,cost,currency,tax_category
CABLE,box=12,2.50,EUR,reduced
X
expect_code 0 crm-product update CABLE --set cost=2.75 -q
expect_code 0 crm-product show CABLE --fields cost
expect_out "update: cost" <<'X'
cost
2.75
X
expect_code 0 crm-product tag add promo SEAT -q
expect_code 0 crm-product list -w tags=promo --fields sku
expect_out "tag" <<'X'
sku
SEAT
X

# export imports back unchanged
expect_code 0 crm-product export -f csv
cp "$T/out" "$T/export.csv"
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-product import -q "$T/export.csv"
expect_code 0 crm-product export -f csv
compare "$T/export.csv" "$T/out" "export -> import -> export is the identity"

# bad input: nothing written
bad() { # description, message, CSV row
	printf 'sku,name,units,attributes,bundle,cost,currency\n%s\n' "$3" >"$T/in.csv"
	db_dump "$CRM_DB" "$T/before"
	expect_code 65 crm-product import "$T/in.csv"
	err_has "$2"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "$1: database unchanged"
}
bad "a unit of no whole count" "units: 'box=half'" 'X1,Thing,box=half,,,,'
bad "attributes without values" "attributes: NAME=VALUE|VALUE" 'X2,Thing,,size=,,,'
bad "a bundle that is no JSON" "bundle: not a JSON object" 'X3,Thing,,,{oops,,'
bad "a bundle option of no kind" "option 1: kind is required, optional or group" 'X4,Thing,,,"{""options"":[{""sku"":""A"",""kind"":""maybe""}]}",,'
bad "a rule with neither requires nor excludes" "rule 1:" 'X5,Thing,,,"{""options"":[],""rules"":[{""sku"":""A""}]}",,'
bad "a cost without its currency" "currency: a cost needs its currency" 'X6,Thing,,,,1.00,'
bad "a cost with too many decimals" "cost" 'X7,Thing,,,,1.005,EUR'
expect_code 65 crm-product add --sku X8
err_has "name"

# delete and undo
expect_code 0 crm-product delete WARRANTY
expect_code 0 crm-product list -w sku=WARRANTY --ids
check "deleted: no WARRANTY" [ ! -s "$T/out" ]
sql "SELECT max(id) FROM crm_changes"
change=$(cat "$T/sql")
expect_code 0 crm-product undo "$change" -q
expect_code 0 crm-product show WARRANTY --fields sku,name
expect_out "undo restores the deleted product" <<'X'
sku,name
WARRANTY,Warranty
X
done_testing
