/* dbq.c: one-shot queries with their values bound from a format (see
 * dbq.h). */
#include "dbq.h"

#include <stdarg.h>

static int vstep(struct crm_db *db, struct crm_err *err, int64_t *v,
		 const char *sql, const char *fmt, va_list ap)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 'i')
			crm_stmt_bind_int(st, i + 1, va_arg(ap, int64_t));
		else if (fmt[i] == 'd')
			crm_stmt_bind_double(st, i + 1, va_arg(ap, double));
		else
			crm_stmt_bind_text(st, i + 1, va_arg(ap, const char *));
	}
	rc = crm_stmt_step(st, err);
	if (rc > 0 && v)
		*v = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	return rc;
}

int crm_dbq_step(struct crm_db *db, struct crm_err *err, int64_t *v,
		 const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vstep(db, err, v, sql, fmt, ap);
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
	rc = vstep(db, err, &v, sql, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : v;
}

int crm_dbq_run(struct crm_db *db, struct crm_err *err, const char *sql,
		const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vstep(db, err, NULL, sql, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : 0;
}
