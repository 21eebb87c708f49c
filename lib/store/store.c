/* store.c - the storage interface's front: which backend serves a target,
 * and the calls every backend shares (transactions, savepoints, stepping
 * through rows). */
#include <stdio.h>
#include <string.h>

#include "bloom.h"
#include "store_impl.h"

bool crm_store_is_server(const char *target)
{
	static const char *const keys[] = {
	    "service=", "host=", "hostaddr=", "dbname=",
	    "port=",	"user=", NULL};

	if (!target)
		return false;
	if (!strncmp(target, "postgresql://", 13) ||
	    !strncmp(target, "postgres://", 11))
		return true;
	/* a libpq key=value string: a path never starts with these */
	for (size_t i = 0; keys[i]; i++)
		if (!strncmp(target, keys[i], strlen(keys[i])))
			return true;
	return false;
}

struct crm_store *crm_store_open(const char *target, unsigned flags,
				 int64_t busy_ms, struct crm_err *err)
{
	const struct crm_store_ops *ops = crm_store_is_server(target)
					      ? &crm_store_pg_ops
					      : &crm_store_sqlite_ops;

	return ops->open(target, flags, busy_ms, err);
}

void crm_store_close(struct crm_store *s)
{
	if (!s)
		return;
	crm_store_rollback(s);
	s->ops->close(s);
}

void crm_store_interrupt(struct crm_store *s)
{
	if (s)
		s->ops->interrupt(s);
}

enum crm_store_engine crm_store_engine(const struct crm_store *s)
{
	return s->ops->engine;
}

enum crm_store_engine crm_stmt_engine(const struct crm_stmt *st)
{
	return st->ops->engine;
}

int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *err)
{
	return s->ops->exec(s, sql, err);
}

int crm_store_begin(struct crm_store *s, struct crm_err *err)
{
	if (s->ops->exec(s, s->ops->begin_sql, err) < 0) {
		/* PostgreSQL: a failed lock wait leaves an aborted
		 * transaction behind */
		s->in_tx = true;
		crm_store_rollback(s);
		return -1;
	}
	s->in_tx = true;
	if (s->ops->mark && s->ops->mark(s, NULL, err) < 0) {
		crm_store_rollback(s);
		return -1;
	}
	return 0;
}

int crm_store_commit(struct crm_store *s, struct crm_err *err)
{
	if ((s->ops->indexes_restore &&
	     s->ops->indexes_restore(s, true, err) < 0) ||
	    s->ops->exec(s, "COMMIT", err) < 0) {
		crm_store_rollback(s);
		return -1;
	}
	if (s->ops->unmark)
		s->ops->unmark(s, NULL);
	s->in_tx = false;
	return 0;
}

void crm_store_rollback(struct crm_store *s)
{
	struct crm_err ignored;

	if (s->in_tx) {
		if (s->ops->undo)
			s->ops->undo(s, NULL); /* rolls back */
		else
			s->ops->exec(s, "ROLLBACK", &ignored);
	}
	if (s->ops->indexes_restore) /* the rollback put them back */
		s->ops->indexes_restore(s, false, &ignored);
	if (s->ops->unmark)
		s->ops->unmark(s, NULL);
	s->in_tx = false;
}

bool crm_store_in_tx(const struct crm_store *s)
{
	return s->in_tx;
}

void crm_store_tag(struct crm_store *s, int64_t tag)
{
	s->tag = tag;
}

int64_t crm_store_failed_tag(const struct crm_store *s)
{
	return s->failed_tag;
}

uint64_t crm_store_settled(const struct crm_store *s)
{
	return s->settled;
}

/* SAVEPOINT, RELEASE and ROLLBACK TO with a fixed identifier. */
static int savepoint_sql(struct crm_store *s, const char *verb,
			 const char *name, struct crm_err *err)
{
	char sql[128];

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' ||
		      (*p >= '0' && *p <= '9')))
			return crm_err_set(err, CRM_EX_SOFTWARE,
					   "bad savepoint name '%s'", name);
	if ((size_t)snprintf(sql, sizeof(sql), "%s %s", verb, name) >=
	    sizeof(sql))
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "savepoint name too long");
	return s->ops->exec(s, sql, err);
}

int crm_store_savepoint(struct crm_store *s, const char *name,
			struct crm_err *err)
{
	if (savepoint_sql(s, "SAVEPOINT", name, err) < 0)
		return -1;
	return s->ops->mark ? s->ops->mark(s, name, err) : 0;
}

/* savepoint_sql, then the engine's own step for it (when it has one). */
static int savepoint_end(struct crm_store *s, const char *verb,
			 const char *name,
			 void (*then)(struct crm_store *s, const char *name),
			 struct crm_err *err)
{
	if (savepoint_sql(s, verb, name, err) < 0)
		return -1;
	if (then)
		then(s, name);
	return 0;
}

int crm_store_release(struct crm_store *s, const char *name,
		      struct crm_err *err)
{
	return savepoint_end(s, "RELEASE SAVEPOINT", name, s->ops->unmark, err);
}

int crm_store_rollback_to(struct crm_store *s, const char *name,
			  struct crm_err *err)
{
	return savepoint_end(s, "ROLLBACK TO SAVEPOINT", name, s->ops->undo,
			     err);
}

struct crm_stmt *crm_stmt_prepare(struct crm_store *s, const char *sql,
				  struct crm_err *err)
{
	return s->ops->prepare(s, sql, err);
}

void crm_stmt_bind_int(struct crm_stmt *st, int i, int64_t v)
{
	st->ops->bind_int(st, i, v);
}

void crm_stmt_bind_double(struct crm_stmt *st, int i, double v)
{
	st->ops->bind_double(st, i, v);
}

void crm_stmt_bind_text(struct crm_stmt *st, int i, const char *v)
{
	if (v)
		st->ops->bind_textn(st, i, v, strlen(v));
	else
		st->ops->bind_null(st, i);
}

void crm_stmt_bind_text_borrowed(struct crm_stmt *st, int i, const char *v)
{
	if (!v)
		st->ops->bind_null(st, i);
	else if (st->ops->bind_borrowed)
		st->ops->bind_borrowed(st, i, v, strlen(v));
	else
		st->ops->bind_textn(st, i, v, strlen(v));
}

void crm_stmt_bind_textn(struct crm_stmt *st, int i, const char *v, size_t n)
{
	if (v)
		st->ops->bind_textn(st, i, v, n);
	else
		st->ops->bind_null(st, i);
}

void crm_stmt_bind_null(struct crm_stmt *st, int i)
{
	st->ops->bind_null(st, i);
}

int crm_stmt_step(struct crm_stmt *st, struct crm_err *err)
{
	return st->ops->step(st, err);
}

int crm_stmt_nparams(const struct crm_stmt *st)
{
	return st->ops->nparams(st);
}

int crm_err_what(struct crm_err *err, const char *what)
{
	char msg[sizeof(err->msg)];
	const char *m = err->msg;

	if (err->code == CRM_EX_INTERRUPTED)
		return -1;
	if (!strncmp(m, "database: ", 10))
		m += 10;
	snprintf(msg, sizeof(msg), "%s: %s", what, m);
	return crm_err_set(err, err->code, "%s", msg);
}

int crm_stmt_step_as(struct crm_stmt *st, const char *what, struct crm_err *err)
{
	int rc = crm_stmt_step(st, err);

	return rc < 0 ? crm_err_what(err, what) : rc;
}

int crm_stmt_ncols(const struct crm_stmt *st)
{
	return st->ops->ncols(st);
}

const char *crm_stmt_name(const struct crm_stmt *st, int col)
{
	return st->ops->name(st, col);
}

bool crm_stmt_is_null(struct crm_stmt *st, int col)
{
	return st->ops->text(st, col) == NULL;
}

enum crm_col_type crm_stmt_type(struct crm_stmt *st, int col)
{
	return st->ops->type(st, col);
}

const char *crm_stmt_text(struct crm_stmt *st, int col)
{
	return st->ops->text(st, col);
}

int64_t crm_stmt_int(struct crm_stmt *st, int col)
{
	return st->ops->integer(st, col);
}

double crm_stmt_double(struct crm_stmt *st, int col)
{
	return st->ops->real(st, col);
}

void crm_stmt_bulk(struct crm_stmt *st)
{
	if (st->ops->bulk)
		st->ops->bulk(st);
}

int crm_stmt_bloom_fill(struct crm_stmt *st, struct crm_bloom *b,
			struct crm_err *err)
{
	int rc;

	crm_stmt_bulk(st);
	while ((rc = crm_stmt_step(st, err)) > 0) {
		const char *k = crm_stmt_text(st, 0);

		if (k)
			crm_bloom_add(b, k, strlen(k));
	}
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

void crm_stmt_reset(struct crm_stmt *st)
{
	st->ops->reset(st);
}

void crm_stmt_clear(struct crm_stmt *st)
{
	st->ops->clear(st);
}

void crm_stmt_finalize(struct crm_stmt *st)
{
	if (st)
		st->ops->finalize(st);
}

int crm_stmt_each(struct crm_stmt *st, int (*fn)(struct crm_stmt *, void *),
		  void *arg, struct crm_err *err)
{
	int rc;

	while ((rc = crm_stmt_step(st, err)) > 0)
		if (fn(st, arg) < 0) {
			rc = -1;
			break;
		}
	crm_stmt_reset(st);
	return rc;
}

int crm_store_define(struct crm_store *s, const struct crm_sql_fn *fn,
		     struct crm_err *err)
{
	return s->ops->define(s, fn, err);
}

int64_t crm_store_last_id(struct crm_store *s, struct crm_err *err)
{
	return s->ops->last_id(s, err);
}

int crm_store_indexes_defer(struct crm_store *s, const char *table,
			    const struct crm_strv *keep, struct crm_err *err)
{
	return s->ops->indexes_defer
		   ? s->ops->indexes_defer(s, table, keep, err)
		   : 0;
}

int crm_store_indexes_restore(struct crm_store *s, struct crm_err *err)
{
	return s->ops->indexes_restore ? s->ops->indexes_restore(s, true, err)
				       : 0;
}

int64_t crm_store_changes(struct crm_store *s)
{
	return s->ops->changes ? s->ops->changes(s) : -1;
}

struct crm_copy *crm_copy_begin(struct crm_store *s, const char *table,
				const char *const *cols, size_t ncols,
				struct crm_err *err)
{
	return s->ops->copy_begin(s, table, cols, ncols, err);
}

int crm_copy_row(struct crm_copy *c, const char *const *values,
		 struct crm_err *err)
{
	return c->ops->copy_row(c, values, err);
}

int crm_copy_end(struct crm_copy *c, struct crm_err *err)
{
	return c->ops->copy_end(c, err);
}

void crm_copy_abort(struct crm_copy *c)
{
	if (c)
		c->ops->copy_abort(c);
}

void crm_store_cols_sql(struct crm_buf *b, const char *verb, const char *table,
			const char *const *cols, size_t ncols)
{
	crm_buf_addf(b, "%s %s (", verb, table);
	for (size_t i = 0; i < ncols; i++)
		crm_buf_addf(b, "%s%s", i ? ", " : "", cols[i]);
	crm_buf_adds(b, ")");
}

/* The fragments both engines write alike: an engine's own table leaves
 * them out (NULL). */
static const char *const common_frags[CRM_SQL_NFRAGS] = {
    [CRM_SQL_DAY_OF] = "substr({1}, 1, 10)",
    [CRM_SQL_MONTH_OF] = "substr({1}, 1, 7)",
    [CRM_SQL_YEAR_OF] = "substr({1}, 1, 4)",
};

void crm_store_frag(const struct crm_store *s, struct crm_buf *out,
		    enum crm_sql_frag f, const char *a, const char *b)
{
	const char *p = "";

	if (f >= 0 && f < CRM_SQL_NFRAGS)
		p = s->ops->frags[f] ? s->ops->frags[f] : common_frags[f];
	if (!p)
		p = "";

	for (; *p; p++) {
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') &&
		    p[2] == '}') {
			const char *arg = p[1] == '1' ? a : b;

			crm_buf_adds(out, arg ? arg : "NULL");
			p += 2;
		} else {
			crm_buf_addc(out, *p);
		}
	}
}

void crm_store_id_list(const struct crm_store *s, struct crm_buf *out,
		       const int64_t *ids, size_t n)
{
	bool pg = s->ops->engine == CRM_STORE_PG;

	crm_buf_addc(out, pg ? '{' : '[');
	for (size_t i = 0; i < n; i++)
		crm_buf_addf(out, "%s%lld", i ? "," : "", (long long)ids[i]);
	crm_buf_addc(out, pg ? '}' : ']');
}
