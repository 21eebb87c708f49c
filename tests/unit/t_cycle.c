/* t_cycle.c - purchase-cycle estimates (an exact 90-day cycle, a buying
 * month across years, too little to go on) and the best-time ranking
 * with its shrinkage, against values worked out by hand; crm_cycle_run
 * on a database: its sort spills to files and temp_store is put back,
 * and it fails cleanly where the setting cannot change. */
#include <stdlib.h>
#include <unistd.h>

#include "cycle.h"
#include "datetime.h"
#include "db.h"
#include "reach.h"
#include "test.h"

static int64_t day(int y, int m, int d)
{
	return crm_days_from_civil(y, (unsigned)m, (unsigned)d);
}

static void cycles(void)
{
	int64_t d[4] = {day(2026, 1, 4), day(2026, 4, 4), day(2026, 7, 3),
			day(2026, 10, 1)};
	int64_t s[3] = {day(2024, 1, 14), day(2025, 1, 16), day(2025, 6, 3)};
	int64_t two[2] = {day(2026, 2, 1), day(2026, 9, 9)};
	struct crm_cycle_est e;

	crm_cycle_estimate(d, 4, day(2026, 11, 22), &e);
	CHECK_STR(e.method, "interval", "90 days exactly: interval");
	CHECK_INT(e.next, day(2026, 12, 30), "next: 2026-10-01 + 90");
	CHECK(e.median == 90 && e.cv == 0, "median 90, no spread");
	crm_cycle_estimate(s, 3, day(2026, 11, 22), &e);
	CHECK_STR(e.method, "seasonal", "irregular, January twice: seasonal");
	CHECK_INT(e.next, day(2027, 1, 15),
		  "the next January on or after today, the 15th");
	CHECK_INT(e.season_years, 2, "two years");
	crm_cycle_estimate(two, 2, day(2026, 11, 22), &e);
	CHECK(e.method == NULL, "two purchases, no repeated month: none");
}

static void reach(void)
{
	long own[56] = {0}, prior[56] = {0};
	struct crm_reach r;

	own[2 * 8 + 3] = 8; /* Tuesday 09:00-12:00 */
	crm_reach_rank(own, prior, &r);
	CHECK_INT(r.ntop, 3, "three windows");
	CHECK(r.top[0].wday == 2 && r.top[0].block == 3, "Tuesday morning");
	CHECK_NEAR(r.top[0].share, 100 * (8 + 10.0 / 56) / 18, 1e-9,
		   "(8 + 10/56) / 18 with a uniform prior");
	CHECK(r.top[1].wday == 0 && r.top[1].block == 0,
	      "then the first window (ties keep order)");
	own[2 * 8 + 3] = 0;
	own[1 * 8 + 3] = 1;    /* one answer on Monday */
	prior[4 * 8 + 5] = 25; /* the company: Thursday 15:00-18:00 */
	crm_reach_rank(own, prior, &r);
	CHECK(r.top[0].wday == 4 && r.top[0].block == 5,
	      "a thin history follows the company");
	CHECK_NEAR(r.top[0].share, 1000.0 / 11, 1e-9, "10 / 11");
	CHECK_NEAR(r.top[1].share, 100.0 / 11, 1e-9, "1 / 11");
	{
		char b[32];

		crm_reach_label(&r.top[0], b);
		CHECK_STR(b, "Thu 15:00-18:00", "the label");
	}
	memset(own, 0, sizeof(own));
	memset(prior, 0, sizeof(prior));
	crm_reach_rank(own, prior, &r);
	CHECK_INT(r.ntop, 0, "nothing to go on: no window");
}

static struct crm_db *cdb;
static long during; /* temp_store while the rows stream */

/* PRAGMA temp_store of cdb: 1 file, 2 memory. */
static long temp_store(void)
{
	struct crm_err err = {0};
	struct crm_stmt *st = crm_db_stmt(cdb, "PRAGMA temp_store", &err);
	long v = -1;

	if (st && crm_stmt_step(st, &err) > 0)
		v = (long)crm_stmt_int(st, 0);
	crm_stmt_finalize(st);
	return v;
}

static int count_cb(const struct crm_cycle *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	during = temp_store();
	return 0;
}

static void run(void)
{
	char dir[] = "/tmp/crm-t_cycle.XXXXXX", path[64];
	struct crm_err err = {0};
	struct crm_db *db;
	uint64_t n = 0;
	int listed = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	cdb = db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "database opens");
	if (!db)
		return;
	CHECK(crm_db_exec(db,
			  "INSERT INTO companies (id, name, created_at, "
			  "updated_at) VALUES (7, 'Acme', 'x', 'x');"
			  "INSERT INTO deals (name, company_id, pipeline, "
			  "stage, status, closed_at, created_at, updated_at) "
			  "VALUES ('a', 7, 'p', 'w', 'won', "
			  "'2026-01-04T10:00:00Z', 'x', 'x'), ('b', 7, 'p', "
			  "'w', 'won', '2026-04-04T10:00:00Z', 'x', 'x'), "
			  "('c', 7, 'p', 'w', 'won', '2026-07-03T10:00:00Z', "
			  "'x', 'x'), ('d', 7, 'p', 'w', 'won', "
			  "'2026-10-01T10:00:00Z', 'x', 'x')",
			  &err) == 0,
	      "fixtures");
	CHECK_INT(temp_store(), 2, "crm keeps sorts in memory");
	CHECK(crm_cycle_run(db, false, 60, true, count_cb, &listed, &n, &err) ==
		  0,
	      "cycle runs");
	CHECK(n == 1 && listed == 1, "one customer estimated and listed");
	CHECK_INT(during, 1, "its sort may spill to files (temp_store=FILE)");
	CHECK_INT(temp_store(), 2, "temp_store back to memory after");
	/* SQLite refuses the setting inside a transaction holding a
	 * temporary table: an error, nothing listed */
	CHECK(crm_db_begin(db, &err) == 0, "begin");
	CHECK(crm_db_exec(db, "CREATE TEMP TABLE t (a)", &err) == 0,
	      "a temporary table");
	listed = 0;
	CHECK(crm_cycle_run(db, false, 60, true, count_cb, &listed, &n, &err) <
		  0,
	      "cycle fails where temp_store cannot change");
	CHECK(strstr(err.msg, "temporary storage") != NULL, "and says why");
	CHECK_INT(listed, 0, "nothing listed");
	crm_db_rollback(db);
	crm_db_close(db);
	test_remove_db(path);
	rmdir(dir);
}

int main(void)
{
	cycles();
	reach();
	run();
	return done_testing();
}
