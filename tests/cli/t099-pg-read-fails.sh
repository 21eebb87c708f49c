#!/bin/bash
# PostgreSQL: a read that fails after rows have come fails the command:
# the deals' reads (forecast, stale, board: COPY without bound values,
# row by row with --where) over 3,000 deals whose last row raises an
# error on the server (deals made a view whose owner column calls a
# function that raises on one value) exit 70 with the server's message;
# forecast and board print nothing, stale (which streams) no more than
# the rows before. Runs when $CRM_TEST_PG names a server (make check-pg).
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
CRM_NOW=2026-11-23T09:30:00Z expect_code 1 crm-pipeline stale --idle 1h -f csv
check "a day later all 3,000 deals are stale" test "$(wc -l <"$T/out")" -eq 3001
cp "$T/out" "$T/stale.csv"

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
	check "$* prints nothing on PostgreSQL" test ! -s "$T/out"
}
fails crm-pipeline forecast -f csv
fails crm-pipeline forecast -f csv --where 'amount>0'
# a day later every deal is stale. stale streams its list as it reads
# (HACKING, "pipeline stale streams its list"): the rows before the
# failure may be out, the status and message say it failed
export CRM_NOW=2026-11-23T09:30:00Z
for w in '' 'amount>0'; do
	expect_code 70 crm-pipeline stale --idle 1h -f csv ${w:+--where "$w"}
	err_has "database: boom: a row that cannot be read"
	check "stale${w:+ --where} prints no more than the rows before on PostgreSQL" \
		sh -c 'head -n "$(wc -l <"$1")" "$2" | cmp -s - "$1" &&
			[ "$(wc -l <"$1")" -lt 3001 ]' _ "$T/out" "$T/stale.csv"
done
fails crm-pipeline board -f csv

done_testing
