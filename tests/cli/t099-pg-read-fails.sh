#!/bin/bash
# PostgreSQL: a read that fails after rows have come fails the command,
# and nothing is printed: the deals' reads (forecast, stale, board: COPY
# without bound values, row by row with --where) over 3,000 deals whose
# last row raises an error on the server (deals made a view whose owner
# column calls a function that raises on one value). Runs when
# $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db
export CRM_DB=$PGDB

awk 'BEGIN {
	print "external_id,name,amount,currency,owner,expected_close"
	for (i = 1; i <= 3000; i++)
		printf "d%d,Deal %d,%d,EUR,%s,2026-12-%02d\n", i, i, 100 * i,
		    i == 3000 ? "boom" : "ann", 1 + i % 28
}' >"$T/deals.csv"
expect_code 0 crm init
expect_code 0 crm-pipeline import -q "$T/deals.csv"
# the reads as they are, first
expect_code 0 crm-pipeline forecast -f csv
check "forecast reads every deal" grep -q '^2026-12,' "$T/out"

check "deals as a view whose last row fails" psql "$PGDB" -X -q \
	-v ON_ERROR_STOP=1 <<'SQL'
CREATE FUNCTION t099_boom(v text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	IF v = 'boom' THEN
		RAISE EXCEPTION 'boom: a row that cannot be read';
	END IF;
	RETURN v;
END $$;
ALTER TABLE deals RENAME TO deals_t099;
DO $$ BEGIN
	EXECUTE 'CREATE VIEW deals AS SELECT ' || (SELECT string_agg(CASE
	    WHEN column_name = 'owner' THEN 't099_boom(owner) AS owner'
	    ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position)
	    FROM information_schema.columns WHERE table_name = 'deals_t099')
	    || ' FROM deals_t099 ORDER BY id';
END $$;
SQL

# fails CMD...: CMD exits 70 with the server's message and prints nothing
fails() {
	expect_code 70 "$@"
	err_has "database: boom: a row that cannot be read"
	check "$* prints nothing" test ! -s "$T/out"
}
fails crm-pipeline forecast -f csv
fails crm-pipeline forecast -f csv --where 'amount>0'
fails crm-pipeline stale --idle 1h -f csv
fails crm-pipeline stale --idle 1h -f csv --where 'amount>0'
fails crm-pipeline board -f csv

done_testing
