/* store_sqlite.c - the storage interface on SQLite: a file, WAL, foreign
 * keys, one writer at a time (BEGIN IMMEDIATE). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "money.h"
#include "store_impl.h"

/* The page cache: SQLite's default 2 MiB until the first write
 * transaction, 32 MiB from then on. Each page of a cache is fresh memory
 * the first time it fills, a page fault per 4 KiB: a read that touches
 * 30 MiB of pages once (a kb search at 100,000 articles) spent half its
 * CPU faulting them in, where a small cache reuses its pages and only
 * copies (perf stat: 8,640 faults and 41 ms against 917 and 23 ms). A
 * bulk write keeps its dirty pages: each page the cache spills is a WAL
 * frame (see "Ranges, page size and 10M contacts" in HACKING.md). */
#define CACHE_READ "-2000"
#define CACHE_WRITE "-32768"
/* The page cache while a bulk load makes its deferred indexes again
 * (crm_store_indexes_restore), with temp_store=FILE: SQLite's sorter then
 * keeps about as much again in memory and merges runs from temporary
 * files (with MEMORY it kept the whole sort: a 1M-contact import peaked
 * at 121 MiB). */
#define CACHE_SORT "-8192"

/* Savepoint statements kept prepared: a flow run opens and releases one
 * per firing, and parsing them each time through sqlite3_exec was 6% of
 * its instructions. */
enum { LITE_SAVEPOINTS = 8 };

struct lite {
	struct crm_store base;
	sqlite3 *h;
	struct {
		char *sql;
		sqlite3_stmt *st;
	} sp[LITE_SAVEPOINTS];
	size_t nsp;
	/* indexes dropped for a bulk load: their CREATE INDEX statements as
	 * sqlite_schema held them, in its order (crm_store_indexes_defer) */
	struct crm_strv deferred;
};

struct lite_stmt {
	struct crm_stmt base;
	sqlite3_stmt *st;
};

struct lite_copy {
	struct crm_copy base;
	struct crm_stmt *ins;
	size_t ncols;
};

/* Map SQLite's error rc to err: busy 75, constraint 65, full disk and I/O
 * 74, cannot open 73, else 70. Returns -1. */
static int lite_error(sqlite3 *h, int rc, struct crm_err *err)
{
	const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
	int code = CRM_EX_SOFTWARE;

	if (crm_interrupted || (rc & 0xff) == SQLITE_INTERRUPT)
		return crm_check_interrupt(err) < 0
			   ? -1
			   : crm_err_set(err, CRM_EX_INTERRUPTED,
					 "interrupted");
	/* sum() over integers past int64, and crm_money() given a sum it
	 * cannot print: bad data (amounts too large), not a crm bug */
	if ((rc & 0xff) == SQLITE_ERROR && !strcmp(msg, "integer overflow"))
		return crm_money_overflow(err, "database");
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return crm_err_set(err, CRM_EX_TEMPFAIL,
				   "database is busy; try again later");
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		code = CRM_EX_DATAERR;
		break;
	case SQLITE_IOERR:
	case SQLITE_FULL:
		code = CRM_EX_IOERR;
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		code = CRM_EX_CANTCREAT;
		break;
	}
	return crm_err_set(err, code, "database: %s", msg);
}

static struct crm_store *lite_open(const char *target, unsigned flags,
				   int64_t busy_ms, struct crm_err *err)
{
	struct lite *l = crm_xcalloc(1, sizeof(*l));
	/* one connection per process, used by one thread: no mutexes */
	int oflags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	mode_t old;
	int rc;

	l->base.ops = &crm_store_sqlite_ops;
	if (flags & CRM_STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	/* no memory statistics: a global mutex on every allocation */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* the database and its -wal and -shm files are private: 0600 */
	old = umask(077);
	rc = sqlite3_open_v2(target, &l->h, oflags, NULL);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(
		    l->h, (int)(busy_ms > 0x7fffffff ? 0x7fffffff : busy_ms));
	/* A new database gets 16 KiB pages (set before WAL writes its first
	 * page; an existing file keeps its own). One bulk import is one
	 * transaction, and each page the cache spills is a WAL frame that
	 * every later page read looks up among all of the transaction's:
	 * with 4 KiB pages that lookup was a quarter of a 10M-contact
	 * import's time once its WAL reached 3 GB (perf), and a quarter as
	 * many frames cut a 3M import's CPU by 14%. */
	if (rc == SQLITE_OK && (flags & CRM_STORE_CREATE))
		rc = sqlite3_exec(l->h, "PRAGMA page_size=16384", NULL, NULL,
				  NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(l->h, "PRAGMA journal_mode=WAL", NULL, NULL,
				  NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		crm_err_set(
		    err, rc == SQLITE_BUSY ? CRM_EX_TEMPFAIL : CRM_EX_CANTCREAT,
		    "cannot open database '%s': %s", target,
		    l->h ? sqlite3_errmsg(l->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(l->h, 0);
	sqlite3_db_config(l->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(l->h, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL);
	rc = sqlite3_exec(l->h,
			  "PRAGMA foreign_keys=ON;"
			  "PRAGMA synchronous=NORMAL;"
			  "PRAGMA cache_size=" CACHE_READ ";"
			  "PRAGMA temp_store=MEMORY",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		lite_error(l->h, rc, err);
		goto fail;
	}
	return &l->base;
fail:
	sqlite3_close_v2(l->h);
	free(l);
	return NULL;
}

static void lite_interrupt(struct crm_store *s)
{
	sqlite3_interrupt(((struct lite *)s)->h);
}

static void lite_close(struct crm_store *s)
{
	struct lite *l = (struct lite *)s;

	for (size_t i = 0; i < l->nsp; i++) {
		sqlite3_finalize(l->sp[i].st);
		free(l->sp[i].sql);
	}
	crm_strv_release(&l->deferred);
	sqlite3_close_v2(l->h);
	free(l);
}

/* The kept statement for a savepoint's SQL (store.c's savepoint_sql: one
 * statement, a checked name), NULL for any other SQL or when the cache
 * is full or the SQL does not prepare (sqlite3_exec then says why). */
static sqlite3_stmt *lite_savepoint_stmt(struct lite *l, const char *sql)
{
	sqlite3_stmt *st;

	if (strncmp(sql, "SAVEPOINT ", 10) &&
	    strncmp(sql, "RELEASE SAVEPOINT ", 18) &&
	    strncmp(sql, "ROLLBACK TO SAVEPOINT ", 22))
		return NULL;
	for (size_t i = 0; i < l->nsp; i++)
		if (!strcmp(l->sp[i].sql, sql))
			return l->sp[i].st;
	if (l->nsp == LITE_SAVEPOINTS ||
	    sqlite3_prepare_v3(l->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	l->sp[l->nsp].sql = crm_xstrdup(sql);
	l->sp[l->nsp++].st = st;
	return st;
}

static int lite_exec(struct crm_store *s, const char *sql, struct crm_err *err)
{
	struct lite *l = (struct lite *)s;
	sqlite3_stmt *st = lite_savepoint_stmt(l, sql);
	int rc;

	if (st) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			lite_error(l->h, rc, err);
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	rc = sqlite3_exec(l->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : lite_error(l->h, rc, err);
}

/* The indexes of table a bulk load may drop (crm_store_indexes_defer):
 * name and CREATE statement in turn, into out. */
static int deferrable(struct lite *l, const char *table,
		      const struct crm_strv *keep, struct crm_strv *out,
		      struct crm_err *err)
{
	static const char list_sql[] =
	    "SELECT s.name, s.sql FROM sqlite_schema s JOIN "
	    "pragma_index_list(?1) l ON l.name = s.name WHERE s.type = "
	    "'index' AND s.tbl_name = ?1 AND s.sql IS NOT NULL AND "
	    "l.\"unique\" = 0 AND l.origin = 'c' ORDER BY s.rowid";
	sqlite3_stmt *st = NULL, *cols = NULL;
	int rc = sqlite3_prepare_v2(l->h, list_sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(l->h,
					"SELECT name FROM pragma_index_info(?)",
					-1, &cols, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		bool take = true;

		sqlite3_reset(cols);
		sqlite3_bind_text(cols, 1, name, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(cols)) == SQLITE_ROW) {
			const char *c =
			    (const char *)sqlite3_column_text(cols, 0);
			if (!c || crm_strv_find(keep, c) >= 0)
				take = false; /* an expression, or read by */
		}
		if (rc != SQLITE_DONE)
			break;
		rc = SQLITE_OK;
		if (take) {
			crm_strv_push(out, name);
			crm_strv_push(out,
				      (const char *)sqlite3_column_text(st, 1));
		}
	}
	sqlite3_finalize(cols);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : lite_error(l->h, rc, err);
}

static int lite_indexes_defer(struct crm_store *s, const char *table,
			      const struct crm_strv *keep, struct crm_err *err)
{
	struct lite *l = (struct lite *)s;
	struct crm_strv ix = {0};
	int rc = deferrable(l, table, keep, &ix, err);

	for (size_t i = 0; rc == 0 && i < ix.n; i += 2) {
		/* the name as sqlite_schema has it, quoted as an identifier */
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", ix.v[i]);
		int x = sqlite3_exec(l->h, drop, NULL, NULL, NULL);

		sqlite3_free(drop);
		if (x != SQLITE_OK)
			rc = lite_error(l->h, x, err);
		else
			crm_strv_push(&l->deferred, ix.v[i + 1]);
	}
	crm_strv_release(&ix);
	return rc < 0 ? -1 : (int)l->deferred.n;
}

static int lite_indexes_restore(struct crm_store *s, bool make,
				struct crm_err *err)
{
	struct lite *l = (struct lite *)s;
	int x = SQLITE_OK;

	if (!make || !l->deferred.n) {
		crm_strv_release(&l->deferred);
		return 0;
	}
	/* a bounded sort (CACHE_SORT); best effort: SQLite refuses
	 * temp_store inside a transaction that opened the temp database,
	 * and the indexes come out the same either way */
	sqlite3_exec(l->h,
		     "PRAGMA temp_store=FILE;"
		     "PRAGMA cache_size=" CACHE_SORT,
		     NULL, NULL, NULL);
	for (size_t i = 0; x == SQLITE_OK && i < l->deferred.n; i++)
		x = sqlite3_exec(l->h, l->deferred.v[i], NULL, NULL, NULL);
	if (x != SQLITE_OK)
		lite_error(l->h, x, err);
	sqlite3_exec(l->h,
		     "PRAGMA temp_store=MEMORY;"
		     "PRAGMA cache_size=" CACHE_WRITE,
		     NULL, NULL, NULL);
	if (x != SQLITE_OK)
		return -1; /* the caller rolls back (and forgets them) */
	crm_strv_release(&l->deferred);
	return 0;
}

static struct crm_stmt *lite_prepare(struct crm_store *s, const char *sql,
				     struct crm_err *err)
{
	struct lite *l = (struct lite *)s;
	struct lite_stmt *ls = crm_xcalloc(1, sizeof(*ls));
	int rc = sqlite3_prepare_v3(l->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &ls->st, NULL);

	if (rc != SQLITE_OK) {
		lite_error(l->h, rc, err);
		free(ls);
		return NULL;
	}
	ls->base.ops = s->ops;
	ls->base.s = s;
	return &ls->base;
}

#define ST(st) (((struct lite_stmt *)(st))->st)

static void lite_bind_int(struct crm_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

static void lite_bind_double(struct crm_stmt *st, int i, double v)
{
	sqlite3_bind_double(ST(st), i, v);
}

static void lite_bind_textn(struct crm_stmt *st, int i, const char *v, size_t n)
{
	sqlite3_bind_text64(ST(st), i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void lite_bind_borrowed(struct crm_stmt *st, int i, const char *v,
			       size_t n)
{
	sqlite3_bind_text64(ST(st), i, v, n, SQLITE_STATIC, SQLITE_UTF8);
}

static void lite_bind_null(struct crm_stmt *st, int i)
{
	sqlite3_bind_null(ST(st), i);
}

static int lite_step(struct crm_stmt *st, struct crm_err *err)
{
	int rc = sqlite3_step(ST(st));

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return lite_error(((struct lite *)st->s)->h, rc, err);
}

static int lite_ncols(const struct crm_stmt *st)
{
	return sqlite3_column_count(ST(st));
}

static int lite_nparams(const struct crm_stmt *st)
{
	return sqlite3_bind_parameter_count(ST(st));
}

static const char *lite_name(const struct crm_stmt *st, int col)
{
	return sqlite3_column_name(ST(st), col);
}

static const char *lite_text(struct crm_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(ST(st), col);
}

/* SQLite's storage class (of a column or a value) as crm's. */
static enum crm_col_type col_type(int sqlite_type)
{
	switch (sqlite_type) {
	case SQLITE_NULL:
		return CRM_COL_NULL;
	case SQLITE_INTEGER:
		return CRM_COL_INT;
	case SQLITE_FLOAT:
		return CRM_COL_REAL;
	default:
		return CRM_COL_TEXT;
	}
}

static enum crm_col_type lite_type(struct crm_stmt *st, int col)
{
	return col_type(sqlite3_column_type(ST(st), col));
}

static int64_t lite_int(struct crm_stmt *st, int col)
{
	return sqlite3_column_int64(ST(st), col);
}

static double lite_real(struct crm_stmt *st, int col)
{
	return sqlite3_column_double(ST(st), col);
}

static void lite_reset(struct crm_stmt *st)
{
	sqlite3_reset(ST(st));
}

static void lite_clear(struct crm_stmt *st)
{
	sqlite3_clear_bindings(ST(st));
}

static void lite_finalize(struct crm_stmt *st)
{
	sqlite3_finalize(ST(st));
	free(st);
}

static int64_t lite_last_id(struct crm_store *s, struct crm_err *err)
{
	(void)err;
	return sqlite3_last_insert_rowid(((struct lite *)s)->h);
}

static int64_t lite_changes(struct crm_store *s)
{
	return sqlite3_total_changes64(((struct lite *)s)->h);
}

/* INSERT INTO table (cols) VALUES (?, ...), for copy_begin. */
static char *insert_sql(const char *table, const char *const *cols,
			size_t ncols)
{
	struct crm_buf b = {0};

	crm_store_cols_sql(&b, "INSERT INTO", table, cols, ncols);
	crm_buf_adds(&b, " VALUES (");
	for (size_t i = 0; i < ncols; i++)
		crm_buf_adds(&b, i ? ", ?" : "?");
	crm_buf_adds(&b, ")");
	return crm_buf_detach(&b);
}

static struct crm_copy *lite_copy_begin(struct crm_store *s, const char *table,
					const char *const *cols, size_t ncols,
					struct crm_err *err)
{
	char *sql = insert_sql(table, cols, ncols);
	struct lite_copy *c = crm_xcalloc(1, sizeof(*c));

	c->base.ops = s->ops;
	c->base.s = s;
	c->ncols = ncols;
	c->ins = lite_prepare(s, sql, err);
	free(sql);
	if (!c->ins) {
		free(c);
		return NULL;
	}
	return &c->base;
}

static int lite_copy_row(struct crm_copy *base, const char *const *values,
			 struct crm_err *err)
{
	struct lite_copy *c = (struct lite_copy *)base;
	int rc;

	for (size_t i = 0; i < c->ncols; i++)
		crm_stmt_bind_text(c->ins, (int)i + 1, values[i]);
	rc = lite_step(c->ins, err);
	lite_reset(c->ins);
	return rc < 0 ? -1 : 0;
}

static void lite_copy_abort(struct crm_copy *base)
{
	struct lite_copy *c = (struct lite_copy *)base;

	lite_finalize(c->ins);
	free(c);
}

static int lite_copy_end(struct crm_copy *base, struct crm_err *err)
{
	(void)err;
	lite_copy_abort(base);
	return 0;
}

/* -- SQL functions: the crm_fn_ calls over SQLite's context and values */

struct crm_fn_ctx {
	sqlite3_context *ctx;
	sqlite3_value **argv;
	int argc;
	size_t state_size;
	bool final;
};

static void call_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv,
		    void (*f)(struct crm_fn_ctx *), bool final)
{
	const struct crm_sql_fn *fn = sqlite3_user_data(ctx);
	struct crm_fn_ctx c = {ctx, argv, argc, fn->state_size, final};

	f(&c);
}

static void lite_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	call_fn(ctx, argc, argv,
		((const struct crm_sql_fn *)sqlite3_user_data(ctx))->fn, false);
}

static void lite_step_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	call_fn(ctx, argc, argv,
		((const struct crm_sql_fn *)sqlite3_user_data(ctx))->step,
		false);
}

static void lite_final_fn(sqlite3_context *ctx)
{
	call_fn(ctx, 0, NULL,
		((const struct crm_sql_fn *)sqlite3_user_data(ctx))->final,
		true);
}

static int lite_define(struct crm_store *s, const struct crm_sql_fn *fn,
		       struct crm_err *err)
{
	struct lite *l = (struct lite *)s;
	int rc = sqlite3_create_function(
	    l->h, fn->name, fn->nargs,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, (void *)fn,
	    fn->fn ? lite_fn : NULL, fn->fn ? NULL : lite_step_fn,
	    fn->fn ? NULL : lite_final_fn);

	return rc == SQLITE_OK ? 0 : lite_error(l->h, rc, err);
}

enum crm_col_type crm_fn_type(struct crm_fn_ctx *c, int i)
{
	return col_type(sqlite3_value_type(c->argv[i]));
}

const char *crm_fn_text(struct crm_fn_ctx *c, int i, size_t *len)
{
	const char *s = (const char *)sqlite3_value_text(c->argv[i]);

	if (len)
		*len = s ? (size_t)sqlite3_value_bytes(c->argv[i]) : 0;
	return s;
}

int64_t crm_fn_int(struct crm_fn_ctx *c, int i)
{
	return sqlite3_value_int64(c->argv[i]);
}

double crm_fn_double(struct crm_fn_ctx *c, int i)
{
	return sqlite3_value_double(c->argv[i]);
}

void *crm_fn_state(struct crm_fn_ctx *c)
{
	void *p = sqlite3_aggregate_context(c->ctx,
					    c->final ? 0 : (int)c->state_size);

	if (!p && !c->final)
		sqlite3_result_error_nomem(c->ctx);
	return p;
}

void crm_fn_null(struct crm_fn_ctx *c)
{
	sqlite3_result_null(c->ctx);
}

void crm_fn_result_int(struct crm_fn_ctx *c, int64_t v)
{
	sqlite3_result_int64(c->ctx, v);
}

void crm_fn_result_double(struct crm_fn_ctx *c, double v)
{
	sqlite3_result_double(c->ctx, v);
}

void crm_fn_result_text(struct crm_fn_ctx *c, const char *s, size_t n)
{
	sqlite3_result_text64(c->ctx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void crm_fn_error(struct crm_fn_ctx *c, const char *msg)
{
	sqlite3_result_error(c->ctx, msg, -1);
}

static const char *const lite_frags[CRM_SQL_NFRAGS] = {
    [CRM_SQL_DAYS_BETWEEN] = "(julianday({2}) - julianday({1}))",
    [CRM_SQL_JSON_FIELD] = "json_extract({1}, '$.\"' || {2} || '\"')",
    [CRM_SQL_CONTAINS_CI] = "(instr(lower({1}), lower({2})) > 0)",
    [CRM_SQL_ID_TYPE] = "INTEGER PRIMARY KEY AUTOINCREMENT",
    [CRM_SQL_JSON_TYPE] = "TEXT",
    [CRM_SQL_DATE] = "date({1})",
    [CRM_SQL_WEEK_START] =
	"date({1}, '-' || ((strftime('%w', {1}) + 6) % 7) || ' days')",
    [CRM_SQL_MONTH_START] = "date({1}, 'start of month')",
    [CRM_SQL_QUARTER_START] = "date({1}, 'start of month', '-' || "
			      "((strftime('%m', {1}) - 1) % 3) || ' months')",
    [CRM_SQL_YEAR_START] = "date({1}, 'start of year')",
    [CRM_SQL_DATE_ADD] = "date({1}, {2})",
    [CRM_SQL_TIME_ADD] = "datetime({1}, {2})",
    [CRM_SQL_ISO_WEEK] = "strftime('%Y', date({1}, '+3 days')) || '-W' || "
			 "printf('%02d', (strftime('%j', date({1}, "
			 "'+3 days')) - 1) / 7 + 1)",
    [CRM_SQL_IN_IDS] = CRM_SQL_IN_IDS_LITE("{1}", "{2}"),
};

const struct crm_store_ops crm_store_sqlite_ops = {
    .engine = CRM_STORE_SQLITE,
    .open = lite_open,
    .close = lite_close,
    .interrupt = lite_interrupt,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .bind_int = lite_bind_int,
    .bind_double = lite_bind_double,
    .bind_textn = lite_bind_textn,
    .bind_borrowed = lite_bind_borrowed,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .ncols = lite_ncols,
    .nparams = lite_nparams,
    .name = lite_name,
    .text = lite_text,
    .type = lite_type,
    .integer = lite_int,
    .real = lite_real,
    .reset = lite_reset,
    .clear = lite_clear,
    .finalize = lite_finalize,
    .last_id = lite_last_id,
    .changes = lite_changes,
    .copy_begin = lite_copy_begin,
    .copy_row = lite_copy_row,
    .copy_end = lite_copy_end,
    .copy_abort = lite_copy_abort,
    .define = lite_define,
    .indexes_defer = lite_indexes_defer,
    .indexes_restore = lite_indexes_restore,
    .begin_sql = "PRAGMA cache_size=" CACHE_WRITE "; BEGIN IMMEDIATE",
    .frags = lite_frags,
};
