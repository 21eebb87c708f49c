#ifndef CRM_DBQ_H
#define CRM_DBQ_H
/* One-shot queries on a cached statement (crm_db_stmt_cached): the values
 * bound from a format, one letter each: 'i' an int64_t, 's' a const char *
 * (NULL binds NULL), 'd' a double. The statement is reset after. */

#include <stdint.h>

#include "db.h"

/* Column 0 of the first row as an integer (0 when there is no row), or -1
 * with err filled. */
int64_t crm_dbq_int(struct crm_db *db, struct crm_err *err, const char *sql,
		    const char *fmt, ...);

/* Runs the statement once: 1 a row came (*v its column 0 as an integer,
 * when v is given), 0 none, -1 error with err filled. */
int crm_dbq_step(struct crm_db *db, struct crm_err *err, int64_t *v,
		 const char *sql, const char *fmt, ...);

/* Runs the statement once (an INSERT, UPDATE or DELETE): 0 or -1. */
int crm_dbq_run(struct crm_db *db, struct crm_err *err, const char *sql,
		const char *fmt, ...);

#endif
