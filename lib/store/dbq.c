/* dbq.c: statements with their values bound from a format (see dbq.h). */
#include "dbq.h"

#include <string.h>

#include "util.h"

/* borrowed: the text values outlive the statement's use (one step) */
static void bindf(struct crm_stmt *st, const char *fmt, va_list ap,
		  bool borrowed)
{
	for (int i = 0; fmt[i]; i++) {
		int64_t v;

		switch (fmt[i]) {
		case 'i':
			crm_stmt_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'I':
			v = va_arg(ap, int64_t);
			if (v)
				crm_stmt_bind_int(st, i + 1, v);
			else
				crm_stmt_bind_null(st, i + 1);
			break;
		case 'd':
			crm_stmt_bind_double(st, i + 1, va_arg(ap, double));
			break;
		default:
			(borrowed ? crm_stmt_bind_text_borrowed
				  : crm_stmt_bind_text)(
			    st, i + 1, va_arg(ap, const char *));
		}
	}
}

void crm_stmt_vbindf(struct crm_stmt *st, const char *fmt, va_list ap)
{
	bindf(st, fmt, ap, false);
}

void crm_stmt_bindf(struct crm_stmt *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_stmt_vbindf(st, fmt, ap);
	va_end(ap);
}

char *crm_stmt_dup(struct crm_stmt *st, int col)
{
	const char *s = crm_stmt_text(st, col);

	return s ? crm_xstrdup(s) : NULL;
}

static struct crm_stmt *vprepare(struct crm_db *db, struct crm_err *err,
				 const char *sql, const char *fmt, va_list ap,
				 bool borrowed)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, sql, err);

	if (st)
		bindf(st, fmt, ap, borrowed);
	return st;
}

struct crm_stmt *crm_dbq(struct crm_db *db, struct crm_err *err,
			 const char *sql, const char *fmt, ...)
{
	struct crm_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepare(db, err, sql, fmt, ap, false);
	va_end(ap);
	return st;
}

/* One step: 1 a row (*v its column 0 as an integer, *s a copy of it as
 * text, when given), 0 none, -1 error. */
static int vstep(struct crm_db *db, struct crm_err *err, int64_t *v, char **s,
		 const char *sql, const char *fmt, va_list ap)
{
	/* stepped and reset here, while the caller's values live; the
	 * next use of the cached statement clears its bindings first */
	struct crm_stmt *st = vprepare(db, err, sql, fmt, ap, true);
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc > 0 && v)
		*v = crm_stmt_int(st, 0);
	if (rc > 0 && s)
		*s = crm_stmt_dup(st, 0);
	crm_stmt_reset(st);
	return rc;
}

int crm_dbq_step(struct crm_db *db, struct crm_err *err, int64_t *v,
		 const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vstep(db, err, v, NULL, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int64_t crm_dbq_int(struct crm_db *db, struct crm_err *err, const char *sql,
		    const char *fmt, ...)
{
	va_list ap;
	int64_t v = 0;
	int rc;

	va_start(ap, fmt);
	rc = vstep(db, err, &v, NULL, sql, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : v;
}

int crm_dbq_text(struct crm_db *db, struct crm_err *err, char **out,
		 const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, fmt);
	rc = vstep(db, err, NULL, out, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int crm_dbq_run(struct crm_db *db, struct crm_err *err, const char *sql,
		const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vstep(db, err, NULL, NULL, sql, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : 0;
}

int crm_dbq_each(struct crm_db *db, struct crm_err *err,
		 int (*fn)(struct crm_stmt *, void *), void *arg,
		 const char *sql, const char *fmt, ...)
{
	struct crm_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepare(db, err, sql, fmt, ap, false);
	va_end(ap);
	if (!st)
		return -1;
	return crm_stmt_each(st, fn, arg, err) < 0 ? -1 : 0;
}

int crm_stmt_rows(struct crm_stmt *st, struct crm_err *err, void *v, size_t *n,
		  size_t size, void (*fill)(struct crm_stmt *, void *elem))
{
	char **arr = v;
	size_t cap = *n;
	int rc;

	while ((rc = crm_stmt_step(st, err)) > 0) {
		char *elem;

		*arr = crm_xgrow(*arr, &cap, *n + 1, size);
		elem = *arr + *n * size;
		memset(elem, 0, size);
		++*n;
		fill(st, elem);
	}
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

int crm_dbq_rows(struct crm_db *db, struct crm_err *err, void *v, size_t *n,
		 size_t size, void (*fill)(struct crm_stmt *, void *elem),
		 const char *sql, const char *fmt, ...)
{
	struct crm_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepare(db, err, sql, fmt, ap, false);
	va_end(ap);
	if (!st)
		return -1;
	return crm_stmt_rows(st, err, v, n, size, fill);
}

int crm_dbq_row(struct crm_db *db, struct crm_err *err,
		int (*fn)(struct crm_stmt *, void *), void *arg,
		const char *sql, const char *fmt, ...)
{
	va_list ap;
	struct crm_stmt *st;
	int rc = -1;

	va_start(ap, fmt);
	st = vprepare(db, err, sql, fmt, ap, false);
	va_end(ap);
	if (st) {
		rc = crm_stmt_step(st, err);
		if (rc > 0 && fn(st, arg) < 0)
			rc = -1;
		crm_stmt_reset(st);
	}
	return rc;
}

void crm_stmt_getf(struct crm_stmt *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (int c = 0; fmt[c]; c++) {
		switch (fmt[c]) {
		case 'i':
			*va_arg(ap, int64_t *) = crm_stmt_int(st, c);
			break;
		case 's':
			*va_arg(ap, char **) = crm_stmt_dup(st, c);
			break;
		case 'b':
			*va_arg(ap, bool *) = crm_stmt_int(st, c) != 0;
			break;
		}
	}
	va_end(ap);
}

int crm_stmt_run_as(struct crm_stmt *st, const char *what, struct crm_err *err)
{
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step_as(st, what, err);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}
