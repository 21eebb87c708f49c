/* store.h - the storage interface: one connection to SQLite or PostgreSQL
 * behind one small set of calls. Only lib/store*.c include sqlite3.h or
 * libpq-fe.h; everything else prepares portable SQL with ? placeholders
 * (?NNN numbered ones too), binds typed values, steps and reads columns,
 * and takes the few expressions that differ from crm_store_sql().
 *
 * A connection is used by one thread. Values are text, integers, doubles
 * or NULL; PostgreSQL results arrive as text and are converted on reading,
 * so a column reads the same on both engines. */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct crm_store;
struct crm_stmt;

enum crm_store_engine { CRM_STORE_SQLITE, CRM_STORE_PG };

enum {
	CRM_STORE_CREATE = 1, /* SQLite: create the file when missing */
};

/* Is target a PostgreSQL connection (postgresql:// or postgres:// URL, or
 * a libpq key=value string such as "service=crm" or "host=... dbname=...")?
 * Anything else is an SQLite file path. */
bool crm_store_is_server(const char *target);

/* Connect to target (see crm_store_is_server). busy_ms bounds waiting for
 * locks (SQLite's busy timeout, PostgreSQL's lock_timeout); past it a
 * statement fails with CRM_EX_TEMPFAIL. Returns the connection (free with
 * crm_store_close) or NULL with err filled. */
struct crm_store *crm_store_open(const char *target, unsigned flags,
				 int64_t busy_ms, struct crm_err *err);
/* Roll back an open transaction and disconnect. NULL is ignored. */
void crm_store_close(struct crm_store *s);
enum crm_store_engine crm_store_engine(const struct crm_store *s);
/* the engine of the connection st was prepared on */
enum crm_store_engine crm_stmt_engine(const struct crm_stmt *st);
/* Ask the statement running on s to stop (it then fails: see
 * crm_interrupted). Safe to call from a signal handler. NULL is ignored. */
void crm_store_interrupt(struct crm_store *s);

/* Run sql (fixed text, one or more statements, no parameters). */
int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *err);

/* Transactions. begin starts a write transaction with one writer at a
 * time (SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped
 * advisory lock that every crm writer takes), waiting up to busy_ms.
 * Savepoints nest inside it by name (a fixed identifier). */
int crm_store_begin(struct crm_store *s, struct crm_err *err);
int crm_store_commit(struct crm_store *s, struct crm_err *err);
/* Roll back if a transaction is open; never fails. */
void crm_store_rollback(struct crm_store *s);
bool crm_store_in_tx(const struct crm_store *s);
/* A caller's number (an input line) for the writes it makes from now on.
 * A write the store did not wait for (PostgreSQL's pipeline) fails at a
 * later call: crm_store_failed_tag then says which number it was made
 * under (0: none, or the failure was the call's own). */
void crm_store_tag(struct crm_store *s, int64_t tag);
int64_t crm_store_failed_tag(const struct crm_store *s);
/* How many times the store has read the results of every write sent
 * before, none failed (PostgreSQL's pipeline; 0 on SQLite, which waits
 * for each): a write sent when it read n has succeeded once it reads
 * more than n. A savepoint named crm_batch is not a caller's savepoint
 * there: the writes inside it are pipelined too, and the caller finds
 * which of them failed itself (the importer's batches). */
uint64_t crm_store_settled(const struct crm_store *s);
int crm_store_savepoint(struct crm_store *s, const char *name,
			struct crm_err *err);
int crm_store_release(struct crm_store *s, const char *name,
		      struct crm_err *err);
int crm_store_rollback_to(struct crm_store *s, const char *name,
			  struct crm_err *err);

/* Prepare sql (fixed text; values are bound, never spliced). Returns the
 * statement (free with crm_stmt_finalize) or NULL with err filled. */
struct crm_stmt *crm_stmt_prepare(struct crm_store *s, const char *sql,
				  struct crm_err *err);
/* Bind parameter i (1-based). Text is copied. NULL text binds NULL. */
void crm_stmt_bind_int(struct crm_stmt *st, int i, int64_t v);
void crm_stmt_bind_double(struct crm_stmt *st, int i, double v);
void crm_stmt_bind_text(struct crm_stmt *st, int i, const char *v);
void crm_stmt_bind_textn(struct crm_stmt *st, int i, const char *v, size_t n);
void crm_stmt_bind_null(struct crm_stmt *st, int i);
/* Bind text that the statement may use without a copy (SQLite): v must
 * stay as it is until the statement is reset and its bindings cleared,
 * as a one-shot crm_dbq_step or crm_dbq_run does within its call (the
 * copy and its free were a tenth of a flow firing's INSERT). */
void crm_stmt_bind_text_borrowed(struct crm_stmt *st, int i, const char *v);
/* The number of parameters the statement takes (the largest ?NNN). */
int crm_stmt_nparams(const struct crm_stmt *st);
/* Run the statement or fetch its next row: 1 a row is ready, 0 done,
 * -1 error (err filled, exit code mapped: busy 75, constraint 65, disk
 * full or I/O 74, else 70). */
int crm_stmt_step(struct crm_stmt *st, struct crm_err *err);
/* A failed call's err ("database: X") told as what was being done
 * ("what: X", "what: database is busy; try again later"); an interruption
 * stays as it is. Returns -1. */
int crm_err_what(struct crm_err *err, const char *what);
/* crm_stmt_step, a failure told as what was being done. */
int crm_stmt_step_as(struct crm_stmt *st, const char *what,
		     struct crm_err *err);
/* The current row's columns (0-based). Text is valid until the next step,
 * reset or finalize; NULL for SQL NULL. */
int crm_stmt_ncols(const struct crm_stmt *st);
const char *crm_stmt_name(const struct crm_stmt *st, int col);
bool crm_stmt_is_null(struct crm_stmt *st, int col);
/* What a column holds in the current row: SQLite's storage class; on
 * PostgreSQL from the column's type (numbers, floats, else text). */
enum crm_col_type { CRM_COL_NULL, CRM_COL_INT, CRM_COL_REAL, CRM_COL_TEXT };
enum crm_col_type crm_stmt_type(struct crm_stmt *st, int col);
const char *crm_stmt_text(struct crm_stmt *st, int col);
int64_t crm_stmt_int(struct crm_stmt *st, int col);
double crm_stmt_double(struct crm_stmt *st, int col);
/* Ready the statement to run again; bindings are kept. */
void crm_stmt_reset(struct crm_stmt *st);
void crm_stmt_clear(struct crm_stmt *st); /* every binding to NULL */
void crm_stmt_finalize(struct crm_stmt *st);
/* The caller will step st to its end through many rows (an export, a
 * list without a limit): on PostgreSQL a statement that takes no
 * parameters then reads its rows through COPY (...) TO STDOUT, one
 * message a row parsed back into columns, instead of one result a row;
 * the columns read the same either way. Nothing changes on SQLite. */
void crm_stmt_bulk(struct crm_stmt *st);

/* Add column 0 of every row of st (its text; NULL skipped) to b, read in
 * bulk; st is finalized. 0, or -1 with err (b then holds part). */
struct crm_bloom;
int crm_stmt_bloom_fill(struct crm_stmt *st, struct crm_bloom *b,
			struct crm_err *err);

/* Step st to the end, calling fn for each row (fn returns 0, or -1 to
 * stop with err filled). The statement is reset after. Returns 0 or -1. */
int crm_stmt_each(struct crm_stmt *st, int (*fn)(struct crm_stmt *, void *),
		  void *arg, struct crm_err *err);
/* The id of the row the last INSERT made on this connection. Portable SQL
 * can also say INSERT ... RETURNING id. */
int64_t crm_store_last_id(struct crm_store *s, struct crm_err *err);
/* A count that moves whenever something may have been written: on
 * SQLite the rows every completed INSERT, UPDATE and DELETE (and the
 * triggers they ran) wrote since the connection opened, a statement that
 * failed writing nothing; on PostgreSQL the statements sent that may
 * write, and the failures (one aborts the transaction, so it counts as a
 * write to undo; a write sent in the pipeline counts before its result
 * is read). -1 where the engine cannot say. Two equal readings mean
 * nothing was written in between (crm-flow run's firings without a
 * savepoint). */
int64_t crm_store_changes(struct crm_store *s);

/* A bulk load into table without its secondary indexes (SQLite; nothing
 * elsewhere: on PostgreSQL the DDL would lock readers out): drop, inside
 * the open transaction, each index of table made by CREATE INDEX, not
 * UNIQUE, on columns only (no expression) none of which is in keep (the
 * columns the load still reads the table by), as sqlite_schema defines
 * it now. They are made again, the same, by crm_store_indexes_restore or
 * else by the commit; a rollback of the transaction keeps them as they
 * were. Not inside a savepoint that may be rolled back to. Returns how
 * many were dropped, or -1 with err. */
int crm_store_indexes_defer(struct crm_store *s, const char *table,
			    const struct crm_strv *keep, struct crm_err *err);
/* Make the deferred indexes again, in their order: 0, or -1 with err
 * (the caller rolls back). */
int crm_store_indexes_restore(struct crm_store *s, struct crm_err *err);

/* Bulk load: rows of text values (NULL for SQL NULL) into table's columns
 * cols, inside the caller's transaction: prepared inserts on SQLite, COPY
 * on PostgreSQL. table and cols are fixed identifiers, never input. Other
 * statements may run between rows: on PostgreSQL each first ends the COPY
 * (the rows so far are then in the table) and the next row starts it
 * again; a failure there fails that statement, and crm_copy_row or
 * crm_copy_end report it. One load at a time per connection. */
struct crm_copy;
struct crm_copy *crm_copy_begin(struct crm_store *s, const char *table,
				const char *const *cols, size_t ncols,
				struct crm_err *err);
int crm_copy_row(struct crm_copy *c, const char *const *values,
		 struct crm_err *err);
/* Finish the load (and free c): 0, or -1 with err filled. */
int crm_copy_end(struct crm_copy *c, struct crm_err *err);
/* Abandon the load (the caller rolls back) and free c. */
void crm_copy_abort(struct crm_copy *c);

/* SQL functions crm defines on a connection (crm_fold, crm_money ...):
 * C functions on SQLite, deterministic, reading their arguments and
 * setting their result through the crm_fn_ calls. A scalar function has
 * fn; an aggregate has step and final, and state_size bytes of state per
 * group (zeroed; crm_fn_state; final frees what the state points to).
 * On PostgreSQL the same names need SQL definitions of their own, which
 * the schema creates (lib/store/schema.c: crm_fold, crm_search_key):
 * defining one of those there does nothing; any other is refused
 * (CRM_EX_SOFTWARE). */
struct crm_fn_ctx;
struct crm_sql_fn {
	const char *name;
	int nargs;
	void (*fn)(struct crm_fn_ctx *c);
	void (*step)(struct crm_fn_ctx *c);
	void (*final)(struct crm_fn_ctx *c);
	size_t state_size;
};
int crm_store_define(struct crm_store *s, const struct crm_sql_fn *fn,
		     struct crm_err *err);
enum crm_col_type crm_fn_type(struct crm_fn_ctx *c, int i);
/* argument i as text (NULL for NULL; *len its bytes when len is given) */
const char *crm_fn_text(struct crm_fn_ctx *c, int i, size_t *len);
int64_t crm_fn_int(struct crm_fn_ctx *c, int i);
double crm_fn_double(struct crm_fn_ctx *c, int i);
/* the aggregate's state for this group, or NULL in final when the group
 * had no rows (or on out of memory in step: the call fails) */
void *crm_fn_state(struct crm_fn_ctx *c);
void crm_fn_null(struct crm_fn_ctx *c);
void crm_fn_result_int(struct crm_fn_ctx *c, int64_t v);
void crm_fn_result_double(struct crm_fn_ctx *c, double v);
void crm_fn_result_text(struct crm_fn_ctx *c, const char *s, size_t n);
/* fail the statement with msg ("integer overflow" reads as a money sum out
 * of range, exit 65) */
void crm_fn_error(struct crm_fn_ctx *c, const char *msg);

/* The SQL fragments that differ between the engines. {1} and {2} in them
 * stand for the caller's SQL expressions a and b (fixed text, or column
 * names checked against an entity; never input: values are bound). */
enum crm_sql_frag {
	/* days from {1} to {2} (ISO 8601 UTC text), a real number */
	CRM_SQL_DAYS_BETWEEN,
	/* the period of time {1} as text: YYYY-MM-DD, YYYY-MM, YYYY */
	CRM_SQL_DAY_OF,
	CRM_SQL_MONTH_OF,
	CRM_SQL_YEAR_OF,
	/* custom field {2} (usually "?", bound to its name) of the JSON
	 * object column {1}, as text */
	CRM_SQL_JSON_FIELD,
	/* {1} contains {2}, ignoring case */
	CRM_SQL_CONTAINS_CI,
	/* column types: an identity primary key; a JSON object */
	CRM_SQL_ID_TYPE,
	CRM_SQL_JSON_TYPE,
	/* report periods: the date (YYYY-MM-DD) of time {1}; the first day
	 * of its week (Monday), month, quarter, year; date {1} moved by the
	 * SQLite date modifier literal {2} ('+7 days', '+1 month', ...);
	 * time {1} moved by {2} ('-1 second') as "YYYY-MM-DD HH:MM:SS"; the
	 * ISO week "YYYY-Www" of Monday {1} */
	CRM_SQL_DATE,
	CRM_SQL_WEEK_START,
	CRM_SQL_MONTH_START,
	CRM_SQL_QUARTER_START,
	CRM_SQL_YEAR_START,
	CRM_SQL_DATE_ADD,
	CRM_SQL_TIME_ADD,
	CRM_SQL_ISO_WEEK,
	/* {1} is one of the ids of the list {2}, a placeholder bound to the
	 * text of crm_store_id_list */
	CRM_SQL_IN_IDS,
	CRM_SQL_NFRAGS
};
/* CRM_SQL_IN_IDS of each engine, for a statement written once at compile
 * time and kept prepared (the statement cache knows it by its address):
 * a macro of the statement's SQL taking one of these, made per engine. */
#define CRM_SQL_IN_IDS_LITE(col, list)                                         \
	col " IN (SELECT value FROM json_each(" list "))"
#define CRM_SQL_IN_IDS_PG(col, list) col " = ANY(CAST(" list " AS BIGINT[]))"
/* Append fragment f to out with {1} as a and {2} as b. */
void crm_store_frag(const struct crm_store *s, struct crm_buf *out,
		    enum crm_sql_frag f, const char *a, const char *b);
/* Append the n ids as the list CRM_SQL_IN_IDS reads: [1,2] (a JSON array)
 * on SQLite, {1,2} (an array literal) on PostgreSQL. */
void crm_store_id_list(const struct crm_store *s, struct crm_buf *out,
		       const int64_t *ids, size_t n);

#endif
