/* t_dbq.c - statements bound from a format (lib/store/dbq.c): each
 * letter binds its value, rows land in an array, text is copied, and a
 * failing statement leaves -1 and the error. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbq.h"
#include "test.h"

struct row {
	int64_t id;
	char *name;
	double x;
};

static void fill(struct crm_stmt *st, void *elem)
{
	struct row *r = elem;

	r->id = crm_stmt_int(st, 0);
	r->name = crm_stmt_dup(st, 1);
	r->x = crm_stmt_double(st, 2);
}

static int sum(struct crm_stmt *st, void *arg)
{
	*(int64_t *)arg += crm_stmt_int(st, 0);
	return 0;
}

/* crm_dbq_row's reader: the row into a struct row; a NULL name fails */
static int pick(struct crm_stmt *st, void *arg)
{
	fill(st, arg);
	return ((struct row *)arg)->name ? 0 : -1;
}

/* crm_dbq_row on t_dbq's row id */
static int row_by(struct crm_db *db, struct crm_err *err, struct row *r,
		  int64_t id)
{
	return crm_dbq_row(db, err, pick, r,
			   "SELECT id, name, x FROM t_dbq WHERE id = ?", "i",
			   id);
}

int main(void)
{
	char path[] = "/tmp/t_dbq.XXXXXX";
	int fd = mkstemp(path);
	struct crm_err err;
	struct crm_db *db;
	struct row *v = NULL;
	size_t n = 0;
	int64_t id = 0, total = 0;
	char *s = NULL;

	close(fd);
	unlink(path);
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "open a database");
	if (!db)
		return done_testing();
	CHECK_INT(crm_db_exec(db,
			      "CREATE TABLE t_dbq (id INTEGER PRIMARY KEY,"
			      " name TEXT, x REAL, ref INTEGER)",
			      &err),
		  0, "create a table");
	CHECK_INT(crm_dbq_run(db, &err,
			      "INSERT INTO t_dbq (id, name, x, ref)"
			      " VALUES (?, ?, ?, ?)",
			      "isdI", (int64_t)7, "Zoë", 1.5, (int64_t)0),
		  0, "insert with i, s, d and I");
	CHECK_INT(crm_dbq_run(db, &err,
			      "INSERT INTO t_dbq (id, name, x, ref)"
			      " VALUES (?, ?, ?, ?)",
			      "isdI", (int64_t)9, (const char *)NULL, -2.0,
			      (int64_t)7),
		  0, "insert a NULL text");
	CHECK_INT(crm_dbq_int(db, &err,
			      "SELECT count(*) FROM t_dbq WHERE ref IS NULL",
			      ""),
		  1, "I binds NULL for 0");
	CHECK_INT(crm_dbq_int(db, &err, "SELECT ref FROM t_dbq WHERE id = ?",
			      "i", (int64_t)9),
		  7, "I binds the id otherwise");
	CHECK_INT(crm_dbq_step(db, &err, &id,
			       "SELECT id FROM t_dbq WHERE name = ?", "s",
			       "Zoë"),
		  1, "a row came");
	CHECK_INT(id, 7, "its column 0");
	CHECK_INT(crm_dbq_step(db, &err, &id,
			       "SELECT id FROM t_dbq WHERE name = ?", "s",
			       "nobody"),
		  0, "no row");
	CHECK_INT(crm_dbq_text(db, &err, &s,
			       "SELECT name FROM t_dbq WHERE id = ?", "i",
			       (int64_t)7),
		  1, "text: a row");
	CHECK_STR(s, "Zoë", "text: a copy of column 0");
	free(s);
	CHECK_INT(crm_dbq_text(db, &err, &s,
			       "SELECT name FROM t_dbq WHERE id = ?", "i",
			       (int64_t)9),
		  1, "text: a row with NULL");
	CHECK(s == NULL, "text: NULL stays NULL");
	CHECK_INT(crm_dbq_rows(db, &err, &v, &n, sizeof(*v), fill,
			       "SELECT id, name, x FROM t_dbq WHERE x < ?"
			       " ORDER BY id",
			       "d", 10.0),
		  0, "rows");
	CHECK_INT((int64_t)n, 2, "two rows");
	if (n == 2) {
		CHECK_INT(v[0].id, 7, "row 1 id");
		CHECK_STR(v[0].name, "Zoë", "row 1 name");
		CHECK(v[0].x == 1.5, "row 1 double");
		CHECK_INT(v[1].id, 9, "row 2 id");
		CHECK(v[1].name == NULL, "row 2 NULL name");
		CHECK(v[1].x == -2.0, "row 2 double");
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	CHECK_INT(crm_dbq_each(db, &err, sum, &total,
			       "SELECT id FROM t_dbq WHERE id >= ?", "i",
			       (int64_t)0),
		  0, "each");
	CHECK_INT(total, 16, "each saw every row");
	CHECK_INT(crm_dbq_run(db, &err, "INSERT INTO t_dbq (id) VALUES (?)",
			      "i", (int64_t)7),
		  -1, "a constraint fails");
	CHECK_INT(err.code, CRM_EX_DATAERR, "as bad data");
	CHECK_INT(crm_dbq_int(db, &err, "SELECT nope FROM t_dbq", ""), -1,
		  "a bad statement is -1");
	{
		struct row r = {0};

		CHECK_INT(row_by(db, &err, &r, 7), 1, "row: one came");
		CHECK_INT(r.id, 7, "row: read by fn");
		CHECK_STR(r.name, "Zoë", "row: its text");
		free(r.name);
		r.name = NULL;
		r.id = 0;
		CHECK_INT(row_by(db, &err, &r, 8), 0, "row: none");
		CHECK_INT(r.id, 0, "row: fn not called for none");
		CHECK_INT(row_by(db, &err, &r, 9), -1, "row: fn failing is -1");
		CHECK_INT(crm_dbq_row(db, &err, pick, &r,
				      "SELECT nope FROM t_dbq", ""),
			  -1, "row: a bad statement is -1");
	}
	{
		struct crm_stmt *st = crm_dbq(db, &err,
					      "SELECT id, name, x, ref, id"
					      " FROM t_dbq WHERE id = ?",
					      "i", (int64_t)9);
		int64_t a = 0, ref = 1;
		char *name = (char *)"set";
		bool b = false;

		CHECK_INT(crm_stmt_step(st, &err), 1, "getf: a row");
		crm_stmt_getf(st, "is-ib", &a, &name, &ref, &b);
		crm_stmt_reset(st);
		CHECK_INT(a, 9, "getf: i");
		CHECK(name == NULL, "getf: s, NULL stays NULL");
		CHECK_INT(ref, 7, "getf: i after a skipped column");
		CHECK(b, "getf: b");
	}
	CHECK_INT(crm_stmt_run_as(crm_dbq(db, &err,
					  "INSERT INTO t_dbq (id) VALUES (?)",
					  "i", (int64_t)7),
				  "cannot add", &err),
		  -1, "run_as: a constraint fails");
	CHECK(!strncmp(err.msg, "cannot add: ", 12),
	      "run_as: says what failed");
	CHECK_INT(crm_stmt_run_as(crm_dbq(db, &err,
					  "INSERT INTO t_dbq (id) VALUES (?)",
					  "i", (int64_t)11),
				  "cannot add", &err),
		  0, "run_as: a row added");
	CHECK_INT(crm_dbq_int(db, &err,
			      "SELECT count(*) FROM t_dbq WHERE id = ?", "i",
			      (int64_t)11),
		  1, "run_as: it is there");
	CHECK_INT(crm_stmt_run_as(NULL, "cannot add", &err), -1,
		  "run_as: no statement is -1");
	crm_db_close(db);
	unlink(path);
	return done_testing();
}
