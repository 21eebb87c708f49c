/* store_impl.h - what a storage backend implements (lib/store/store_sqlite.c,
 * lib/store/store_pg.c): one table of functions, as git's ref backends and
 * SQLite's VFS do. Only lib/store*.c include this. */
#ifndef CRM_STORE_IMPL_H
#define CRM_STORE_IMPL_H

#include "store.h"

struct crm_store_ops {
	enum crm_store_engine engine;
	struct crm_store *(*open)(const char *target, unsigned flags,
				  int64_t busy_ms, struct crm_err *err);
	void (*close)(struct crm_store *s);
	void (*interrupt)(struct crm_store *s); /* async-signal-safe */
	int (*exec)(struct crm_store *s, const char *sql, struct crm_err *err);
	struct crm_stmt *(*prepare)(struct crm_store *s, const char *sql,
				    struct crm_err *err);
	void (*bind_int)(struct crm_stmt *st, int i, int64_t v);
	void (*bind_double)(struct crm_stmt *st, int i, double v);
	void (*bind_textn)(struct crm_stmt *st, int i, const char *v, size_t n);
	/* not copied (NULL: bind_textn): crm_stmt_bind_text_borrowed */
	void (*bind_borrowed)(struct crm_stmt *st, int i, const char *v,
			      size_t n);
	void (*bind_null)(struct crm_stmt *st, int i);
	int (*step)(struct crm_stmt *st, struct crm_err *err);
	int (*ncols)(const struct crm_stmt *st);
	int (*nparams)(const struct crm_stmt *st);
	const char *(*name)(const struct crm_stmt *st, int col);
	const char *(*text)(struct crm_stmt *st, int col);
	enum crm_col_type (*type)(struct crm_stmt *st, int col);
	int64_t (*integer)(struct crm_stmt *st, int col);
	double (*real)(struct crm_stmt *st, int col);
	void (*reset)(struct crm_stmt *st);
	void (*clear)(struct crm_stmt *st);
	void (*finalize)(struct crm_stmt *st);
	void (*bulk)(struct crm_stmt *st); /* optional (crm_stmt_bulk) */
	int64_t (*last_id)(struct crm_store *s, struct crm_err *err);
	/* optional: crm_store_changes (rows written since the connection
	 * opened on SQLite; statements that may write and failures on
	 * PostgreSQL) */
	int64_t (*changes)(struct crm_store *s);
	/* bulk load; SQLite's is prepared inserts */
	struct crm_copy *(*copy_begin)(struct crm_store *s, const char *table,
				       const char *const *cols, size_t ncols,
				       struct crm_err *err);
	int (*copy_row)(struct crm_copy *c, const char *const *values,
			struct crm_err *err);
	int (*copy_end)(struct crm_copy *c, struct crm_err *err);
	void (*copy_abort)(struct crm_copy *c);
	int (*define)(struct crm_store *s, const struct crm_sql_fn *fn,
		      struct crm_err *err);
	/* Optional (PostgreSQL, whose sequences do not roll back): note
	 * the sequences' values after BEGIN (name NULL) and after SAVEPOINT
	 * name; put them back as noted after ROLLBACK TO name, and before
	 * ROLLBACK (NULL: it also rolls the transaction back); forget the
	 * notes from name on after RELEASE (NULL: after COMMIT). */
	int (*mark)(struct crm_store *s, const char *name, struct crm_err *err);
	void (*undo)(struct crm_store *s, const char *name);
	void (*unmark)(struct crm_store *s, const char *name);
	/* optional (SQLite): crm_store_indexes_defer, and _restore (make
	 * false: forget them, a rollback having put them back) */
	int (*indexes_defer)(struct crm_store *s, const char *table,
			     const struct crm_strv *keep, struct crm_err *err);
	int (*indexes_restore)(struct crm_store *s, bool make,
			       struct crm_err *err);
	/* the statement that begins a write transaction */
	const char *begin_sql;
	const char *const *frags; /* CRM_SQL_NFRAGS formats; NULL: store.c's */
};

/* The head of every backend's connection, statement and bulk load. */
struct crm_store {
	const struct crm_store_ops *ops;
	bool in_tx;
	int64_t tag, failed_tag; /* crm_store_tag */
	uint64_t settled;	 /* crm_store_settled */
};

struct crm_stmt {
	const struct crm_store_ops *ops;
	struct crm_store *s;
};

struct crm_copy {
	const struct crm_store_ops *ops;
	struct crm_store *s;
};

/* "verb table (col, ...)" appended to b: the head of a bulk load's SQL
 * (SQLite's INSERT, PostgreSQL's COPY). */
void crm_store_cols_sql(struct crm_buf *b, const char *verb, const char *table,
			const char *const *cols, size_t ncols);

extern const struct crm_store_ops crm_store_sqlite_ops;
extern const struct crm_store_ops crm_store_pg_ops;

#endif
