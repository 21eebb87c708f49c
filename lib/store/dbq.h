#ifndef CRM_DBQ_H
#define CRM_DBQ_H
/* Statements with their values bound from a format, one letter a value:
 * 'i' an int64_t, 'I' an int64_t bound NULL when 0 (an optional id),
 * 's' a const char * (NULL binds NULL), 'd' a double. Values go to ?1,
 * ?2, ... in order. The statements are cached (crm_db_stmt_cached: sql
 * is a string literal or text that lives as long as db) and reset after,
 * so the repeated prepare / bind / step / reset / check block of a query
 * is one call. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Bind the values of fmt to st from ?1 on. */
void crm_stmt_bindf(struct crm_stmt *st, const char *fmt, ...);
void crm_stmt_vbindf(struct crm_stmt *st, const char *fmt, va_list ap);

/* A copy of column col of the current row (the caller frees it), NULL
 * when the column is NULL. */
char *crm_stmt_dup(struct crm_stmt *st, int col);

/* The cached statement for sql with its values bound, for a caller that
 * steps it itself (and resets it, or leaves it to the next use); NULL with
 * err filled. */
struct crm_stmt *crm_dbq(struct crm_db *db, struct crm_err *err,
			 const char *sql, const char *fmt, ...);

/* Column 0 of the first row as an integer (0 when there is no row), or -1
 * with err filled. */
int64_t crm_dbq_int(struct crm_db *db, struct crm_err *err, const char *sql,
		    const char *fmt, ...);

/* Runs the statement once: 1 a row came (*v its column 0 as an integer,
 * when v is given), 0 none, -1 error with err filled. */
int crm_dbq_step(struct crm_db *db, struct crm_err *err, int64_t *v,
		 const char *sql, const char *fmt, ...);

/* Runs the statement once: 1 a row came (*out a copy of its column 0, NULL
 * when that is NULL; the caller frees it), 0 none (*out NULL), -1 error. */
int crm_dbq_text(struct crm_db *db, struct crm_err *err, char **out,
		 const char *sql, const char *fmt, ...);

/* Runs the statement once (an INSERT, UPDATE or DELETE): 0 or -1. */
int crm_dbq_run(struct crm_db *db, struct crm_err *err, const char *sql,
		const char *fmt, ...);

/* Calls fn for each row (fn returns 0, or -1 to stop with err filled):
 * 0 or -1. */
int crm_dbq_each(struct crm_db *db, struct crm_err *err,
		 int (*fn)(struct crm_stmt *, void *), void *arg,
		 const char *sql, const char *fmt, ...);

/* An array of rows: *v (a T **, NULL at first) grows by one zeroed element
 * of size bytes a row, which fill sets from the row (a fill that can fail
 * wants crm_dbq_each); *n counts them. Returns 0, or -1 with err filled:
 * then the rows read so far stay in *v and *n for the caller to free as it
 * would the whole. */
int crm_dbq_rows(struct crm_db *db, struct crm_err *err, void *v, size_t *n,
		 size_t size, void (*fill)(struct crm_stmt *, void *elem),
		 const char *sql, const char *fmt, ...);
/* crm_dbq_rows on a statement the caller prepared and bound; the
 * statement is reset after. */
int crm_stmt_rows(struct crm_stmt *st, struct crm_err *err, void *v, size_t *n,
		  size_t size, void (*fill)(struct crm_stmt *, void *elem));

/* Runs the statement once: 1 a row came and fn read it (fn returns 0, or
 * -1 to fail with err filled), 0 none (fn is not called), -1 error. For a
 * lookup of one row's columns. */
int crm_dbq_row(struct crm_db *db, struct crm_err *err,
		int (*fn)(struct crm_stmt *, void *), void *arg,
		const char *sql, const char *fmt, ...);

/* Reads the current row's columns, from column 0 on, into the pointers
 * after fmt, one letter a column: 'i' an int64_t *, 's' a char ** (a copy
 * as crm_stmt_dup makes: NULL stays NULL, the caller frees it), 'b' a
 * bool * (the integer is not 0), '-' none (the column is skipped). */
void crm_stmt_getf(struct crm_stmt *st, const char *fmt, ...);

/* Steps st (from crm_dbq: NULL when that failed, -1) once, an INSERT,
 * UPDATE or DELETE, and resets it; a failing step puts what before the
 * error ("what: ...", as crm_stmt_step_as). Returns 0 or -1. */
int crm_stmt_run_as(struct crm_stmt *st, const char *what, struct crm_err *err);

#endif
