/* t_store: the storage interface behaves the same on SQLite and, when
 * $CRM_TEST_PG names a server (make check-pg sets it), on PostgreSQL:
 * placeholders, typed binds and columns, NULL, transactions and
 * savepoints, a statement streaming while another runs, bulk load with
 * hostile text, error codes, and the dialect fragments. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "store.h"
#include "test.h"

static int count_rows(struct crm_store *s, const char *sql)
{
	struct crm_err err;
	struct crm_stmt *st = crm_stmt_prepare(s, sql, &err);
	int n = -1;

	if (st && crm_stmt_step(st, &err) == 1)
		n = (int)crm_stmt_int(st, 0);
	crm_stmt_finalize(st);
	return n;
}

static void suite(struct crm_store *s, const char *engine)
{
	struct crm_err err;
	struct crm_stmt *ins, *sel, *upd;
	char what[160];
	const char *const cols[] = {"name", "note", "n"};
	struct crm_copy *c;
	int rc;

#define W(x) (snprintf(what, sizeof(what), "%s: %s", engine, (x)), what)
	{
		struct crm_buf q = {0};

		crm_buf_adds(&q, "DROP TABLE IF EXISTS t_store;"
				 "CREATE TABLE t_store (id ");
		crm_store_frag(s, &q, CRM_SQL_ID_TYPE, NULL, NULL);
		crm_buf_adds(&q, ", name TEXT NOT NULL UNIQUE, note TEXT,"
				 " n BIGINT, x DOUBLE PRECISION, custom ");
		crm_store_frag(s, &q, CRM_SQL_JSON_TYPE, NULL, NULL);
		crm_buf_adds(&q, ")");
		CHECK(crm_store_exec(s, crm_buf_str(&q), &err) == 0,
		      W("create a table"));
		crm_buf_release(&q);
	}

	CHECK(crm_store_begin(s, &err) == 0, W("begin"));
	CHECK(crm_store_in_tx(s), W("in a transaction"));
	ins = crm_stmt_prepare(s,
			       "INSERT INTO t_store (name, note, n, x, custom)"
			       " VALUES (?, ?, ?, ?, ?)",
			       &err);
	CHECK(ins != NULL, W("prepare an insert"));
	crm_stmt_bind_text(ins, 1, "Müller 'quoted' ?");
	crm_stmt_bind_text(ins, 2, NULL);
	crm_stmt_bind_int(ins, 3, INT64_C(9007199254740993));
	crm_stmt_bind_double(ins, 4, 0.1);
	crm_stmt_bind_text(ins, 5, "{\"Contact Phone\": \"+351 21\"}");
	CHECK_INT(crm_stmt_step(ins, &err), 0, W("insert: done, no row"));
	CHECK_INT(crm_store_last_id(s, &err), 1, W("the id of the insert"));
	crm_stmt_reset(ins);
	crm_stmt_bind_text(ins, 1, "长城集团");
	crm_stmt_bind_text(ins, 2, "");
	crm_stmt_bind_int(ins, 3, -5);
	crm_stmt_bind_double(ins, 4, 2.5);
	crm_stmt_bind_text(ins, 5, NULL);
	CHECK_INT(crm_stmt_step(ins, &err), 0, W("a second insert"));
	crm_stmt_reset(ins);
	/* a unique violation is bad data: 65 */
	crm_stmt_bind_text(ins, 1, "长城集团");
	CHECK(crm_store_savepoint(s, "dup", &err) == 0, W("savepoint"));
	CHECK_INT(crm_stmt_step(ins, &err), -1, W("a duplicate fails"));
	CHECK_INT(err.code, CRM_EX_DATAERR, W("a constraint is exit 65"));
	CHECK(crm_store_rollback_to(s, "dup", &err) == 0,
	      W("rollback to the savepoint"));
	CHECK(crm_store_release(s, "dup", &err) == 0, W("release"));
	crm_stmt_reset(ins);
	CHECK(crm_store_savepoint(s, "bad name", &err) < 0,
	      W("a savepoint name is an identifier"));
	CHECK(crm_store_commit(s, &err) == 0, W("commit"));
	CHECK(!crm_store_in_tx(s), W("no transaction after commit"));

	/* numbered and bare placeholders, quotes with ? inside */
	sel = crm_stmt_prepare(s,
			       "SELECT id, name, note, n, x, '?' AS q FROM "
			       "t_store WHERE n > ?1 OR name = ?2 ORDER BY id",
			       &err);
	CHECK(sel != NULL, W("prepare a select"));
	crm_stmt_bind_int(sel, 1, -100);
	crm_stmt_bind_text(sel, 2, "nobody");
	CHECK_INT(crm_stmt_step(sel, &err), 1, W("a first row"));
	CHECK_INT(crm_stmt_ncols(sel), 6, W("six columns"));
	CHECK_STR(crm_stmt_name(sel, 1), "name", W("a column's name"));
	CHECK_STR(crm_stmt_text(sel, 1), "Müller 'quoted' ?",
		  W("text comes back byte for byte"));
	CHECK(crm_stmt_is_null(sel, 2), W("NULL reads as NULL"));
	CHECK_INT(crm_stmt_int(sel, 3), INT64_C(9007199254740993),
		  W("64-bit integers are exact"));
	CHECK_NEAR(crm_stmt_double(sel, 4), 0.1, 1e-15, W("a double"));
	{ /* PostgreSQL's numeric 33.3333333333333333, SQLite's double */
		struct crm_stmt *q =
		    crm_stmt_prepare(s, "SELECT 100.0 / 3", &err);

		CHECK_INT(q ? crm_stmt_step(q, &err) : -1, 1, W("a quotient"));
		CHECK(q && crm_stmt_double(q, 0) == 100.0 / 3,
		      W("a real reads to its last bit"));
		if (q)
			crm_stmt_finalize(q);
	}
	CHECK_STR(crm_stmt_text(sel, 5), "?", W("a ? in quotes is text"));
	/* another statement runs while sel streams */
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store"), 2,
		  W("a second statement while the first streams"));
	CHECK_INT(crm_stmt_step(sel, &err), 1, W("the first goes on"));
	CHECK_STR(crm_stmt_text(sel, 1), "长城集团", W("CJK text"));
	CHECK_STR(crm_stmt_text(sel, 2), "", W("the empty string is not NULL"));
	CHECK_INT(crm_stmt_int(sel, 3), -5, W("a negative integer"));
	CHECK_INT(crm_stmt_step(sel, &err), 0, W("then the end"));
	crm_stmt_reset(sel);
	CHECK_INT(crm_stmt_step(sel, &err), 1,
		  W("a reset statement runs again"));
	crm_stmt_reset(sel);

	/* rollback undoes */
	CHECK(crm_store_begin(s, &err) == 0, W("begin again"));
	upd = crm_stmt_prepare(s, "UPDATE t_store SET n = n + 1", &err);
	CHECK_INT(crm_stmt_step(upd, &err), 0, W("an update"));
	crm_store_rollback(s);
	CHECK_INT(count_rows(s, "SELECT sum(n) FROM t_store WHERE n < 0"), -5,
		  W("a rollback undoes the update"));
	crm_stmt_finalize(upd);

	/* bulk load: tabs, newlines, backslashes, NULL */
	CHECK(crm_store_begin(s, &err) == 0, W("begin a bulk load"));
	c = crm_copy_begin(s, "t_store", cols, 3, &err);
	CHECK(c != NULL, W("copy begins"));
	for (int i = 0; c && i < 1000; i++) {
		char name[32], n[16];
		const char *v[3] = {name, i % 2 ? "a\tb\nc\\d\re" : NULL, n};

		snprintf(name, sizeof(name), "bulk %d", i);
		snprintf(n, sizeof(n), "%d", i);
		/* another statement between rows sees the rows so far (on
		 * PostgreSQL it ends the COPY; the next row starts it again) */
		if (i == 500)
			CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store "
						"WHERE name LIKE 'bulk %'"),
				  500,
				  W("a query during a load sees its rows"));
		if (crm_copy_row(c, v, &err) < 0)
			break;
	}
	CHECK(c && crm_copy_end(c, &err) == 0, W("copy ends"));
	CHECK(crm_store_commit(s, &err) == 0, W("commit the load"));
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store"), 1002,
		  W("1000 rows loaded"));
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store WHERE note = "
				"'a\tb\nc\\d\re'"),
		  500, W("hostile text loaded as it was"));
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store WHERE note IS "
				"NULL"),
		  501, W("NULL loaded as NULL"));

	/* a bulk read (COPY on PostgreSQL) reads every column as the
	 * same statement read row by row does */
	CHECK(crm_store_begin(s, &err) == 0, W("begin"));
	{
		const char *hostile[] = {
		    "\\N", "\\",	 "a\\tb\\\\c\\x41\\101",
		    "\t",  "\n\r\b\f\v", "\"quoted\" 'x'"};

		for (size_t i = 0;
		     ins && i < sizeof(hostile) / sizeof(*hostile); i++) {
			char name[32];

			snprintf(name, sizeof(name), "hostile %zu", i);
			crm_stmt_reset(ins);
			crm_stmt_bind_text(ins, 1, name);
			crm_stmt_bind_text(ins, 2, hostile[i]);
			crm_stmt_bind_int(ins, 3, -1);
			crm_stmt_bind_double(ins, 4, 1e20 / (double)(i + 3));
			crm_stmt_bind_text(
			    ins, 5, i % 2 ? "{\"k\": \"v\\\\\\t\\n\"}" : NULL);
			crm_stmt_step(ins, &err);
		}
		crm_stmt_reset(ins);
	}
	CHECK(crm_store_commit(s, &err) == 0, W("commit hostile text"));
	{
		const char *q =
		    "SELECT id, name, note, n, x, custom, n > 500 AS "
		    "big, n * 0.5 AS half, '' AS e FROM t_store "
		    "ORDER BY id";
		struct crm_stmt *b = crm_stmt_prepare(s, q, &err);
		struct crm_stmt *r = crm_stmt_prepare(s, q, &err);
		int rows = 0, same = 1, rb = 0, rr = 0;

		CHECK(b && r, W("prepare a bulk read and a row-by-row one"));
		for (int run = 0; b && r && run < 2; run++) {
			crm_stmt_bulk(b);
			rows = 0;
			while ((rb = crm_stmt_step(b, &err)) == 1 &&
			       (rr = crm_stmt_step(r, &err)) == 1) {
				rows++;
				same &= crm_stmt_ncols(b) == crm_stmt_ncols(r);
				for (int k = 0; same && k < crm_stmt_ncols(r);
				     k++) {
					const char *x = crm_stmt_text(b, k),
						   *y = crm_stmt_text(r, k);

					same &= crm_stmt_type(b, k) ==
						crm_stmt_type(r, k);
					same &= !strcmp(crm_stmt_name(b, k),
							crm_stmt_name(r, k));
					same &= (!x && !y) ||
						(x && y && !strcmp(x, y));
					same &= crm_stmt_int(b, k) ==
						crm_stmt_int(r, k);
					same &= crm_stmt_double(b, k) ==
						crm_stmt_double(r, k);
				}
			}
			if (rb == 0)
				rr = crm_stmt_step(r, &err);
			crm_stmt_reset(b);
			crm_stmt_reset(r);
		}
		CHECK_INT(rows, 1008, W("a bulk read has every row, twice"));
		CHECK(rb == 0 && rr == 0, W("both end together"));
		CHECK(same, W("each column the same text, type and number"));

		/* abandoned part way: the connection is free after */
		for (int i = 0; b && i < 10; i++)
			crm_stmt_step(b, &err);
		crm_stmt_reset(b);
		CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store"), 1008,
			  W("a bulk read reset part way frees the connection"));
		crm_stmt_finalize(b);
		crm_stmt_finalize(r);
	}
	if (crm_store_engine(s) == CRM_STORE_PG) {
		/* a statement COPY refuses (no rows to copy) fails at its
		 * start, and the connection works after */
		struct crm_stmt *u =
		    crm_stmt_prepare(s, "UPDATE t_store SET n = n", &err);

		if (u)
			crm_stmt_bulk(u);
		CHECK(u && crm_stmt_step(u, &err) == -1,
		      W("a bulk statement COPY refuses fails"));
		CHECK(strstr(err.msg, "COPY") != NULL, W("saying why"));
		crm_stmt_finalize(u);
		CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store"), 1008,
			  W("the connection works after"));
	}
	if (crm_store_engine(s) == CRM_STORE_PG) {
		/* the server fails part way through the rows */
		struct crm_stmt *b = crm_stmt_prepare(
		    s, "SELECT 1 / (n - 500) FROM t_store ORDER BY id", &err);
		int n = 0;

		if (b)
			crm_stmt_bulk(b);
		while (b && (rc = crm_stmt_step(b, &err)) == 1)
			n++;
		CHECK(b && rc == -1, W("a bulk read that fails part way"));
		CHECK_INT(err.code, CRM_EX_DATAERR,
			  W("fails with the server's error (65)"));
		CHECK(strstr(err.msg, "division by zero") != NULL,
		      W("and its message"));
		crm_stmt_finalize(b);
		CHECK_INT(count_rows(s, "SELECT count(*) FROM t_store"), 1008,
			  W("the connection works after"));
	}

	/* no rows: the columns are known after the last step */
	{
		struct crm_stmt *q = crm_stmt_prepare(
		    s, "SELECT id AS a, name AS b FROM t_store WHERE id < 0",
		    &err);

		CHECK_INT(q ? crm_stmt_step(q, &err) : -1, 0, W("no rows"));
		CHECK_INT(q ? crm_stmt_ncols(q) : -1, 2,
			  W("the columns of no rows"));
		CHECK_STR(q ? crm_stmt_name(q, 1) : NULL, "b",
			  W("their names"));
		crm_stmt_finalize(q);
	}

	/* the dialect */
	{
		struct crm_buf q = {0};
		struct crm_stmt *j;

		crm_buf_adds(&q, "SELECT ");
		crm_store_frag(s, &q, CRM_SQL_JSON_FIELD, "custom", "?");
		crm_buf_adds(&q, " FROM t_store WHERE id = 1");
		j = crm_stmt_prepare(s, crm_buf_str(&q), &err);
		if (j)
			crm_stmt_bind_text(j, 1, "Contact Phone");
		rc = j ? crm_stmt_step(j, &err) : -1;
		CHECK_INT(rc, 1, W("a custom field by name"));
		CHECK_STR(rc == 1 ? crm_stmt_text(j, 0) : NULL, "+351 21",
			  W("its value"));
		crm_stmt_finalize(j);
		crm_buf_reset(&q);
		crm_buf_adds(&q, "SELECT count(*) FROM t_store WHERE ");
		crm_store_frag(s, &q, CRM_SQL_CONTAINS_CI, "name", "?");
		j = crm_stmt_prepare(s, crm_buf_str(&q), &err);
		if (j)
			crm_stmt_bind_text(j, 1, "BULK 99");
		rc = j ? crm_stmt_step(j, &err) : -1;
		CHECK_INT(rc == 1 ? crm_stmt_int(j, 0) : -1, 11,
			  W("contains, ignoring case"));
		crm_stmt_finalize(j);
		crm_buf_reset(&q);
		crm_buf_adds(&q, "SELECT ");
		crm_store_frag(s, &q, CRM_SQL_DAYS_BETWEEN,
			       "'2026-11-01T00:00:00Z'",
			       "'2026-11-22T12:00:00Z'");
		crm_buf_adds(&q, ", ");
		crm_store_frag(s, &q, CRM_SQL_MONTH_OF,
			       "'2026-11-22T12:00:00Z'", NULL);
		j = crm_stmt_prepare(s, crm_buf_str(&q), &err);
		rc = j ? crm_stmt_step(j, &err) : -1;
		CHECK_NEAR(rc == 1 ? crm_stmt_double(j, 0) : -1, 21.5, 1e-9,
			   W("days between two times"));
		CHECK_STR(rc == 1 ? crm_stmt_text(j, 1) : NULL, "2026-11",
			  W("the month of a time"));
		crm_stmt_finalize(j);
		crm_buf_release(&q);
	}

	/* errors */
	{
		struct crm_stmt *bad =
		    crm_stmt_prepare(s, "SELECT nonsense FROM nowhere", &err);
		CHECK(!bad || crm_stmt_step(bad, &err) < 0,
		      W("a bad statement fails"));
		CHECK(err.msg[0] != '\0', W("with a message"));
		crm_stmt_finalize(bad);
	}
	CHECK(crm_store_exec(s, "DROP TABLE t_store", &err) == 0,
	      W("drop the table"));
	crm_stmt_finalize(ins);
	crm_stmt_finalize(sel);
#undef W
}

static struct crm_store *to_interrupt;

static void on_alarm(int sig)
{
	(void)sig;
	crm_interrupted = 1;
	crm_store_interrupt(to_interrupt);
}

/* crm_store_interrupt from a signal handler stops a long statement: it
 * fails as interrupted, and the connection works after. */
static void interrupt(struct crm_store *s, const char *engine, bool bulk)
{
	struct crm_err err;
	struct sigaction sa = {0};
	struct itimerval it = {.it_value = {.tv_usec = 200000}};
	struct crm_stmt *st = crm_stmt_prepare(
	    s,
	    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
	    "WHERE x < 2000000000) SELECT count(*) FROM c",
	    &err);
	char what[160];
	int rc;

	snprintf(what, sizeof(what), "%s: prepare a long statement%s", engine,
		 bulk ? " (bulk)" : "");
	CHECK(st != NULL, what);
	if (!st)
		return;
	if (bulk) /* PostgreSQL: stopped inside COPY */
		crm_stmt_bulk(st);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	to_interrupt = s;
	setitimer(ITIMER_REAL, &it, NULL);
	rc = crm_stmt_step(st, &err);
	to_interrupt = NULL;
	snprintf(what, sizeof(what), "%s: an interrupted statement fails",
		 engine);
	CHECK_INT(rc, -1, what);
	snprintf(what, sizeof(what), "%s: as interrupted (exit 130)", engine);
	CHECK_INT(err.code, CRM_EX_INTERRUPTED, what);
	crm_interrupted = 0;
	crm_stmt_finalize(st);
	crm_store_interrupt(NULL);
	snprintf(what, sizeof(what), "%s: the connection works after", engine);
	CHECK_INT(count_rows(s, "SELECT 42"), 42, what);
}

/* Writes that return nothing (on PostgreSQL sent in a pipeline and not
 * waited for, lib/store/store_pg.c): a read sees them; a failed one fails
 * the next call that waits, with its own reason, and the commit; inside a
 * savepoint it fails at its own step, and the savepoint undoes it. */
static void deferred_writes(struct crm_store *s, const char *engine)
{
	struct crm_err err;
	struct crm_stmt *ins;
	char what[160];
	int rc = 0;

#define W(x) (snprintf(what, sizeof(what), "%s: %s", engine, (x)), what)
	CHECK(crm_store_exec(s,
			     "DROP TABLE IF EXISTS t_pipe; CREATE TABLE t_pipe "
			     "(k BIGINT PRIMARY KEY, v TEXT)",
			     &err) == 0,
	      W("pipeline: create a table"));
	ins = crm_stmt_prepare(s, "INSERT INTO t_pipe (k, v) VALUES (?, ?)",
			       &err);
	CHECK(crm_store_begin(s, &err) == 0, W("pipeline: begin"));
	for (int k = 1; k <= 1100; k++) { /* past PIPE_MAX twice */
		crm_stmt_bind_int(ins, 1, k);
		crm_stmt_bind_text(ins, 2, "v");
		rc |= crm_stmt_step(ins, &err);
		crm_stmt_reset(ins);
	}
	CHECK_INT(rc, 0, W("pipeline: 1,100 inserts step to done"));
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_pipe"), 1100,
		  W("pipeline: a read sees every write before it"));
	crm_stmt_bind_int(ins, 1, 7); /* taken */
	rc = crm_stmt_step(ins, &err);
	crm_stmt_reset(ins);
	if (rc == 0) { /* not waited for: the next read fails */
		struct crm_stmt *st =
		    crm_stmt_prepare(s, "SELECT count(*) FROM t_pipe", &err);

		rc = crm_stmt_step(st, &err);
		crm_stmt_finalize(st);
	}
	CHECK_INT(rc, -1, W("pipeline: a duplicate key fails"));
	CHECK_INT(err.code, CRM_EX_DATAERR, W("pipeline: as bad data (65)"));
	CHECK(strstr(err.msg, "UNIQUE") || strstr(err.msg, "unique") ||
		  strstr(err.msg, "duplicate"),
	      W("pipeline: with the database's reason"));
	/* PostgreSQL's transaction is aborted: its commit fails with the
	 * first failure's reason (SQLite's goes on; it is rolled back) */
	if (crm_store_engine(s) == CRM_STORE_PG) {
		struct crm_err e2;

		CHECK(crm_store_commit(s, &e2) < 0,
		      W("pipeline: the commit after it fails"));
		CHECK(strstr(e2.msg, "unique") || strstr(e2.msg, "duplicate"),
		      W("pipeline: with the first failure's reason"));
	}
	crm_store_rollback(s);
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_pipe"), 0,
		  W("pipeline: nothing written"));

	CHECK(crm_store_begin(s, &err) == 0, W("pipeline: begin again"));
	crm_stmt_bind_int(ins, 1, 1);
	CHECK_INT(crm_stmt_step(ins, &err), 0, W("pipeline: an insert"));
	crm_stmt_reset(ins);
	CHECK(crm_store_savepoint(s, "sp", &err) == 0,
	      W("pipeline: savepoint"));
	rc = crm_stmt_step(ins, &err); /* key 1 again */
	crm_stmt_reset(ins);
	CHECK_INT(rc, -1, W("pipeline: in a savepoint, fails at its step"));
	CHECK(crm_store_rollback_to(s, "sp", &err) == 0 &&
		  crm_store_release(s, "sp", &err) == 0,
	      W("pipeline: the savepoint undoes it"));
	crm_stmt_bind_int(ins, 1, 2);
	CHECK_INT(crm_stmt_step(ins, &err), 0, W("pipeline: the next insert"));
	crm_stmt_reset(ins);
	CHECK(crm_store_commit(s, &err) == 0, W("pipeline: commit"));
	CHECK_INT(count_rows(s, "SELECT count(*) FROM t_pipe"), 2,
		  W("pipeline: both inserts committed"));
	/* a statement prepared in the pipeline, its prepare the result that
	 * fills it (PIPE_MAX): at one of three offsets, each a statement
	 * prepared, run and finalized (three results) */
	for (int off = 0; off < 3; off++) {
		crm_store_exec(s, "DELETE FROM t_pipe", &err);
		CHECK(crm_store_begin(s, &err) == 0, W("pipeline: begin"));
		rc = 0;
		for (int k = 1; k <= off; k++) {
			crm_stmt_bind_int(ins, 1, -k);
			crm_stmt_bind_text(ins, 2, "v");
			rc |= crm_stmt_step(ins, &err);
			crm_stmt_reset(ins);
		}
		for (int k = 1; rc == 0 && k <= 400; k++) {
			char sql[80];
			struct crm_stmt *one;

			snprintf(sql, sizeof(sql),
				 "INSERT INTO t_pipe (k, v) VALUES (?, 'v%d')",
				 k);
			one = crm_stmt_prepare(s, sql, &err);
			if (!one) {
				rc = -1;
				break;
			}
			crm_stmt_bind_int(one, 1, k);
			rc |= crm_stmt_step(one, &err);
			crm_stmt_finalize(one);
		}
		CHECK_INT(rc, 0, W("pipeline: 400 statements prepared"));
		CHECK_INT(count_rows(s, "SELECT count(*) FROM t_pipe"),
			  400 + off, W("pipeline: each wrote its row"));
		CHECK(crm_store_commit(s, &err) == 0, W("pipeline: commit"));
	}
	crm_stmt_finalize(ins);
	crm_store_exec(s, "DROP TABLE t_pipe", &err);
#undef W
}

/* SQLite's page cache: its default 2 MiB for reads, 32 MiB from the first
 * write transaction on (store_sqlite.c: a big cache costs a page fault per
 * page a read fills; a bulk write keeps its dirty pages). */
static int64_t cache_size(struct crm_store *s)
{
	struct crm_err err;
	struct crm_stmt *st = crm_stmt_prepare(s, "PRAGMA cache_size", &err);
	int64_t v = 0;

	if (st && crm_stmt_step(st, &err) > 0)
		v = crm_stmt_int(st, 0);
	crm_stmt_finalize(st);
	return v;
}

static void cache_sizes(const char *target)
{
	struct crm_err err;
	struct crm_store *s = crm_store_open(target, 0, 1000, &err);

	CHECK(s != NULL, "sqlite: open again");
	if (!s)
		return;
	CHECK_INT(cache_size(s), -2000, "sqlite: a read has a 2 MiB cache");
	CHECK(crm_store_begin(s, &err) == 0, "sqlite: begin");
	CHECK_INT(cache_size(s), -32768, "sqlite: a write has 32 MiB");
	crm_store_rollback(s);
	CHECK_INT(cache_size(s), -32768, "sqlite: and keeps it");
	crm_store_close(s);
}

/* Two connections: a second writer waits for the first, then fails with
 * 75 past its busy timeout. */
static void single_writer(const char *target, const char *engine)
{
	struct crm_err err;
	struct crm_store *a =
	    crm_store_open(target, CRM_STORE_CREATE, 200, &err);
	struct crm_store *b = crm_store_open(target, 0, 200, &err);
	char what[160];

	snprintf(what, sizeof(what), "%s: two connections", engine);
	CHECK(a && b, what);
	if (!a || !b) {
		crm_store_close(a);
		crm_store_close(b);
		return;
	}
	snprintf(what, sizeof(what), "%s: the first writer begins", engine);
	CHECK(crm_store_begin(a, &err) == 0, what);
	snprintf(what, sizeof(what), "%s: a second writer times out", engine);
	CHECK(crm_store_begin(b, &err) < 0, what);
	snprintf(what, sizeof(what), "%s: busy is exit 75", engine);
	CHECK_INT(err.code, CRM_EX_TEMPFAIL, what);
	snprintf(what, sizeof(what), "%s: no transaction is left open", engine);
	CHECK(!crm_store_in_tx(b), what);
	crm_store_commit(a, &err);
	snprintf(what, sizeof(what), "%s: then the second writer begins",
		 engine);
	CHECK(crm_store_begin(b, &err) == 0, what);
	crm_store_rollback(b);
	crm_store_close(a);
	crm_store_close(b);
}

int main(void)
{
	struct crm_err err;
	char path[] = "/tmp/t_store.XXXXXX";
	char db[64];
	int fd = mkstemp(path);
	const char *pg = getenv("CRM_TEST_PG");
	struct crm_store *s;

	CHECK(crm_store_is_server("postgresql://u@h/db"), "a URL is a server");
	CHECK(crm_store_is_server("postgres://h/db"), "postgres:// too");
	CHECK(crm_store_is_server("service=crm"), "a libpq service string");
	CHECK(!crm_store_is_server("/srv/crm/crm.db"), "a path is a file");
	CHECK(!crm_store_is_server("host.db"), "a file named host.db");
	if (fd >= 0)
		close(fd);
	snprintf(db, sizeof(db), "%s.db", path);
	s = crm_store_open(db, CRM_STORE_CREATE, 1000, &err);
	CHECK(s != NULL, "open an SQLite file");
	CHECK(s && crm_store_engine(s) == CRM_STORE_SQLITE, "it is SQLite");
	if (s)
		suite(s, "sqlite");
	if (s)
		interrupt(s, "sqlite", false);
	if (s)
		deferred_writes(s, "sqlite");
	crm_store_close(s);
	single_writer(db, "sqlite");
	cache_sizes(db);
	CHECK(crm_store_open("/nonexistent/dir/x.db", 0, 10, &err) == NULL,
	      "a missing file is not created without CRM_STORE_CREATE");
	if (pg && *pg) {
		s = crm_store_open(pg, 0, 1000, &err);
		CHECK(s != NULL, "connect to PostgreSQL");
		if (!s)
			printf("#   %s\n", err.msg);
		CHECK(s && crm_store_engine(s) == CRM_STORE_PG,
		      "it is PostgreSQL");
		if (s)
			suite(s, "postgresql");
		if (s)
			interrupt(s, "postgresql", false);
		if (s)
			interrupt(s, "postgresql", true);
		if (s)
			deferred_writes(s, "postgresql");
		crm_store_close(s);
		single_writer(pg, "postgresql");
		CHECK(crm_store_open("postgresql://nobody@127.0.0.1:1/none", 0,
				     10, &err) == NULL,
		      "a server that is not there");
		CHECK_INT(err.code, CRM_EX_NOINPUT, "is exit 66");
	} else {
		printf("# CRM_TEST_PG not set: PostgreSQL checked by make "
		       "check-pg\n");
	}
	test_remove_db(db);
	unlink(path);
	return done_testing();
}
