#!/bin/bash
# PostgreSQL: a real column prints as on SQLite, byte for byte. The server
# sends a float8's shortest digits (33.333333333333336, 1e-07, 50), SQLite
# prints 15 significant digits; store_pg.c rewrites texts of at most 15
# digits digit by digit and rounds longer ones through the double
# (lib/store/real_text.c). Deals with probabilities of 1 to 17 digits,
# exponents and zero, grouped by crm-report (which prints a real column's
# text: 50.0, 1.0e-07, 33.3333333333333), listed and exported in every
# format on both engines. Runs when $CRM_TEST_PG names a server (make
# check-pg).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db

cat >"$T/deals.csv" <<'X'
external_id,name,amount,currency,probability
d01,A,100,EUR,33.333333333333336
d02,B,100,EUR,66.66666666666667
d03,C,100,EUR,14.285714285714286
d04,D,100,EUR,99.99999999999999
d05,E,100,EUR,1.0000000000000002
d06,F,100,EUR,0.30000000000000004
d07,G,100,EUR,12.5
d08,H,100,EUR,0.1
d09,I,100,EUR,1e-7
d10,J,100,EUR,0.000012345
d11,K,100,EUR,50
d12,L,100,EUR,0
d13,M,100,EUR,100
d14,N,100,EUR,12.345678901234567
d15,O,100,EUR,98.7654321098765
d16,P,100,EUR,0.0001
d17,Q,100,EUR,4.35
d18,R,100,EUR,2.675
X

# reals TYPE: the UPDATEs that give d01-d06 doubles of 16 and 17 digits
reals() {
	local d="CAST(100 AS $1)"
	echo "UPDATE deals SET probability = $d / 3 WHERE external_id = 'd01';
UPDATE deals SET probability = $d * 2 / 3 WHERE external_id = 'd02';
UPDATE deals SET probability = $d / 7 WHERE external_id = 'd03';
UPDATE deals SET probability = $d - $d / 1e16 WHERE external_id = 'd04';
UPDATE deals SET probability = 1 + $d / 1e2 * 2.220446049250313e-16
  WHERE external_id = 'd05';
UPDATE deals SET probability = CAST(0.1 AS $1) + CAST(0.2 AS $1)
  WHERE external_id = 'd06';"
}
n=0
both() {
	engine=$1 db=$2 n=0
	expect_code 0 crm init --db "$db"
	expect_code 0 crm-pipeline import --db "$db" "$T/deals.csv"
	# crm stores what it parses to 15 digits: doubles of 16 and 17
	# digits come from arithmetic, the same in both engines' doubles
	if [ "$engine" = lite ]; then
		check "17-digit doubles (SQLite)" sqlite3 "$db" "$(reals 'REAL')"
	else
		check "17-digit doubles (PostgreSQL)" psql "$db" -X -q \
			-v ON_ERROR_STOP=1 -c "$(reals 'double precision')"
	fi
	for f in csv tsv json ndjson; do
		expect_code 0 crm-pipeline list --db "$db" -f "$f" \
			--fields external_id,probability
		keep
		expect_code 0 crm-pipeline export --db "$db" -f "$f"
		keep
	done
	# a real as a report's group: the column's text itself
	for f in csv json; do
		expect_code 0 crm-report pipeline --db "$db" -f "$f" \
			--by probability
		keep
	done
	# bound values: row by row, not COPY
	expect_code 0 crm-pipeline list --db "$db" -f csv \
		--fields external_id,probability --where 'probability>0'
	keep
}
both lite "$T/lite.db"
both pg "$PGDB"
engines_same
psql "$PGDB" -X -A -t -c "SELECT probability FROM deals WHERE external_id
  IN ('d01', 'd02', 'd04', 'd05', 'd06') ORDER BY external_id" >"$T/server"
cat >"$T/want" <<'X'
33.333333333333336
66.66666666666667
99.99999999999999
1.0000000000000002
0.30000000000000004
X
compare "$T/want" "$T/server" "the server sends 16 and 17 digits"
check "17 digits print as 15" grep -qx '33.3333333333333,EUR,1,100.00,33.33' "$T/pg.9"
check "an exponent as SQLite writes it" grep -qx '1.0e-07,EUR,1,100.00,0.00' "$T/pg.9"
check "a whole number with its point" grep -qx '50.0,EUR,1,100.00,50.00' "$T/pg.9"
check "a float of 15 digits prints as itself" grep -qx '98.7654321098765,EUR,1,100.00,98.77' "$T/pg.9"

done_testing
