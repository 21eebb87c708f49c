#!/bin/bash
# JSON output: money and counts are JSON numbers written exactly, with the
# currency's minor digits (12600.00 EUR, 5300 JPY, 1.234 BHD), so
# jq 'map(.amount) | add' works; JSON with numeric amounts imports back.
. "$(dirname "$0")/../lib.sh"

cat >"$T/deals.json" <<'X'
[
{"external_id":"d1","name":"Alpha","company":"Acme","amount":12600,"currency":"EUR"},
{"external_id":"d2","name":"Beta","company":"Acme","amount":"1234.5","currency":"EUR"},
{"external_id":"d3","name":"Gamma","company":"Acme","amount":0.05,"currency":"EUR"},
{"external_id":"d4","name":"Yen","company":"Acme","amount":5300,"currency":"JPY"},
{"external_id":"d5","name":"Dinar","company":"Acme","amount":1.234,"currency":"BHD"},
{"external_id":"d6","name":"Neg","company":"Acme","amount":-20.10,"currency":"EUR"}
]
X
expect_code 0 crm-pipeline import -q "$T/deals.json"
expect_code 0 crm-pipeline list -f json --fields external_id,amount,currency
expect_out "amounts are numbers with the currency's minor digits" <<'X'
[
{"external_id":"d1","amount":12600.00,"currency":"EUR"},
{"external_id":"d2","amount":1234.50,"currency":"EUR"},
{"external_id":"d3","amount":0.05,"currency":"EUR"},
{"external_id":"d4","amount":5300,"currency":"JPY"},
{"external_id":"d5","amount":1.234,"currency":"BHD"},
{"external_id":"d6","amount":-20.10,"currency":"EUR"}
]
X
expect_code 0 crm-pipeline list -f ndjson --fields amount -w external_id=d1
expect_out "ndjson too" <<'X'
{"amount":12600.00}
X
expect_code 0 crm-pipeline show d1 -f json --fields amount
expect_out "show -f json too" <<'X'
{"amount":12600.00}
X

if command -v jq >/dev/null; then
	expect_code 0 crm-pipeline list -f json -w currency=EUR
	# 12600.00 + 1234.50 + 0.05 - 20.10 = 13814.45, in cents
	check "jq 'map(.amount) | add' is the hand sum" \
		[ "$(jq 'map(.amount) | add * 100 | round' "$T/out")" = 1381445 ]
	check "the amounts are JSON numbers" \
		[ "$(jq -r 'map(.amount | type) | unique | join(",")' "$T/out")" = number ]
	expect_code 0 crm-report pipeline -f json
	check "report money is a number" \
		[ "$(jq -r 'map(.amount | type) | unique | join(",")' "$T/out")" = number ]
	check "report counts are numbers" \
		[ "$(jq -r 'map(.deals | type) | unique | join(",")' "$T/out")" = number ]
	jq -c '.[] | select(.currency == "EUR") | [.deals, .amount]' "$T/out" >"$T/eur"
	check "report EUR: 4 deals, 13814.45" [ "$(jq -s 'map(.[1]) | add * 100 | round' "$T/eur")" = 1381445 ]
	expect_code 0 crm-pipeline forecast -f json
	check "forecast money is a number" \
		[ "$(jq -r '[.[] | .open_amount | type] | unique | join(",")' "$T/out")" = number ]
else
	not_ok "jq missing"
fi
expect_code 0 crm-report pipeline -f json
out_has '"currency":"JPY","deals":1,"amount":5300,'
out_has '"currency":"BHD","deals":1,"amount":1.234,'

# round trip: export in every format imports back into the same database
for f in json ndjson csv tsv; do
	expect_code 0 crm-pipeline export -f $f
	cp "$T/out" "$T/export.$f"
	expect_code 0 env CRM_DB="$T/$f.db" crm-company add --set name=Acme
	expect_code 0 env CRM_DB="$T/$f.db" crm-pipeline import -q -i $f "$T/export.$f"
	expect_code 0 env CRM_DB="$T/$f.db" crm-pipeline export -f $f
	compare "$T/export.$f" "$T/out" "export -f $f | import | export -f $f is identity"
done
done_testing
