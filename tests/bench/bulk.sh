# bulk.sh - load a benchmark's set-up rows with set-based SQL (sourced).
#
# The set-up of a benchmark is not what it measures, and at full size
# crm's own importers are most of the run (1.25M activities through
# crm-activity import took 778 s, 2.5M order lines through crm-pipeline
# import 37 min, both on the loaded shared machine). These functions
# write the rows crm's importers would write for the same CSV, straight
# into crm's schema after `crm init`: the CSV is read into a temporary
# table (sqlite3 .import, psql \copy) and moved with INSERT ... SELECT in
# one transaction. tests/bench/bulk-check.sh loads the same files both
# ways and compares the tables and the measured verbs' output.
#
# bulk_sql ENGINE DB: run the SQL on stdin against DB (sqlite file or
# PostgreSQL connection string), stopping at the first error.
bulk_sql() {
	if [ "$1" = pg ]; then
		psql "$2" -X -q -v ON_ERROR_STOP=1 >/dev/null
	else
		sqlite3 -bail "$2" >/dev/null
	fi
}
# bulk_in ENGINE CSV COLUMN...: the statements reading CSV into the
# temporary table bulk_in, whose columns (all text) are the CSV's header
# line, then the view bulk_v: a column n numbering the lines and each
# COLUMN, from the CSV or NULL when the CSV lacks it.
bulk_in() {
	bulk_e=$1 bulk_f=$2
	shift 2
	bulk_h=$(head -n 1 "$bulk_f" | tr -d '\r')
	if [ "$bulk_e" = pg ]; then
		echo "CREATE TEMP TABLE bulk_in (n bigserial, $(echo "$bulk_h" | sed 's/,/ text,/g; s/$/ text/'));"
		printf '\\copy bulk_in (%s) FROM %s WITH (FORMAT csv, HEADER true)\n' "$bulk_h" "'$bulk_f'"
		bulk_v="n"
	else
		echo "CREATE TEMP TABLE bulk_in ($bulk_h);"
		echo ".import --csv --skip 1 '$bulk_f' bulk_in"
		bulk_v="rowid AS n"
	fi
	for c; do
		case ",$bulk_h," in
		*",$c,"*) bulk_v="$bulk_v, $c" ;;
		*) bulk_v="$bulk_v, NULL AS $c" ;;
		esac
	done
	echo "CREATE TEMP VIEW bulk_v AS SELECT $bulk_v FROM bulk_in;"
}
# bulk_activities ENGINE DB CSV NOW: the activities of CSV (header
# columns of "type,subject,contact_id,occurred_at" in any order, a
# missing one empty; occurred_at already in crm's form
# YYYY-MM-DDTHH:MM:SSZ) as `crm-activity import` run at NOW writes them:
# the row with created_at and updated_at NOW, and each linked contact's
# last_activity_at brought up to the latest (activity.c's batch_sql).
# crm-activity import writes no history or audit rows.
bulk_activities() {
	{
		bulk_in "$1" "$3" type subject contact_id occurred_at
		cat <<SQL
BEGIN;
CREATE TEMP TABLE bulk_from AS SELECT coalesce(max(id), 0) + 1 AS id FROM activities;
INSERT INTO activities (type, subject, occurred_at, contact_id, created_at, updated_at)
  SELECT type, nullif(subject, ''), occurred_at,
    CAST(nullif(contact_id, '') AS INTEGER), '$4', '$4' FROM bulk_v ORDER BY n;
UPDATE contacts SET last_activity_at = x.m FROM (SELECT contact_id AS rid,
  max(occurred_at) AS m FROM activities WHERE id >= (SELECT id FROM bulk_from)
  AND contact_id IS NOT NULL GROUP BY contact_id) AS x WHERE contacts.id =
  x.rid AND (contacts.last_activity_at IS NULL OR contacts.last_activity_at < x.m);
COMMIT;
SQL
	} | bulk_sql "$1" "$2"
}
# bulk_deals ENGINE DB CSV NOW USER: the deals of CSV (header columns
# of "name,company_id,stage,amount,currency,owner,source,closed_at" in
# any order, a missing one empty; amount in whole euros, closed_at in
# crm's form) in the default pipeline, as `crm-pipeline import` run at
# NOW by USER writes them: the deal (amount in cents, the stage's status,
# probability and forecast category, stage_changed_at, created_at and
# updated_at NOW) and its one deal_history row (the stage entered).
# Only the two stages the benchmarks use are known here (proposal: open,
# 60, best_case; closed_won: won, 100, closed); another leaves status
# empty and the INSERT fails on its NOT NULL.
bulk_deals() {
	{
		bulk_in "$1" "$3" name company_id stage amount currency owner source closed_at
		cat <<SQL
BEGIN;
CREATE TEMP TABLE bulk_from AS SELECT coalesce(max(id), 0) + 1 AS id FROM deals;
INSERT INTO deals (name, company_id, pipeline, stage, status, amount, currency,
  probability, forecast_category, owner, source, closed_at, stage_changed_at,
  created_at, updated_at)
  SELECT name, CAST(nullif(company_id, '') AS INTEGER), 'default', stage,
    CASE stage WHEN 'proposal' THEN 'open' WHEN 'closed_won' THEN 'won' END,
    CAST(amount AS INTEGER) * 100, currency,
    CASE stage WHEN 'proposal' THEN 60.0 ELSE 100.0 END,
    CASE stage WHEN 'proposal' THEN 'best_case' ELSE 'closed' END,
    nullif(owner, ''), nullif(source, ''), nullif(closed_at, ''), '$4', '$4',
    '$4' FROM bulk_v ORDER BY n;
INSERT INTO deal_history (deal_id, field, from_value, to_value, at, actor,
  pipeline, from_status, to_status, seconds_in_stage, amount, currency)
  SELECT id, 'stage', NULL, stage, '$4', '$5', pipeline, NULL, status, NULL,
    amount, currency FROM deals WHERE id >= (SELECT id FROM bulk_from) ORDER BY id;
COMMIT;
SQL
	} | bulk_sql "$1" "$2"
}
