/* model.c - the stored models (crm_models): see model.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "model.h"

void crm_model_info_release(struct crm_model_info *m)
{
	free(m->kind);
	free(m->trained_at);
	free(m->data_from);
	free(m->data_to);
	free(m->model);
	free(m->details);
	free(m->retired_at);
	memset(m, 0, sizeof(*m));
}

int crm_model_store(struct crm_db *db, struct crm_model_info *m,
		    struct crm_err *err)
{
	/* ?7, ?8, ?9: NULL when not finite */
	const double num[3] = {m->cv_auc, m->baseline_auc, m->cv_log_loss};
	struct crm_stmt *st;
	int s;

	if (crm_dbq_run(db, err,
			"UPDATE crm_models SET active = 0 WHERE kind = ?1 AND "
			"active = 1",
			"s", m->kind) < 0)
		return -1;
	st = crm_dbq(
	    db, err,
	    "INSERT INTO crm_models (kind, trained_at, data_from, data_to, "
	    "rows_n, positives, cv_auc, baseline_auc, cv_log_loss, model, "
	    "details, active, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, 1, ?12) RETURNING id",
	    "ssssiidddsss", m->kind, m->trained_at, m->data_from, m->data_to,
	    m->rows, m->positives, num[0], num[1], num[2], m->model, m->details,
	    db->actor);
	if (!st)
		return -1;
	for (int i = 0; i < 3; i++)
		if (!isfinite(num[i]))
			crm_stmt_bind_null(st, 7 + i);
	s = crm_stmt_step(st, err);
	if (s == 1)
		m->id = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	if (s < 0)
		return -1;
	m->active = true;
	return 0;
}

#define SQL_COLS                                                               \
	"SELECT id, kind, trained_at, data_from, data_to, rows_n, positives, " \
	"cv_auc, baseline_auc, cv_log_loss, model, details, active, "          \
	"retired_at "                                                          \
	"FROM crm_models "

static double num_col(struct crm_stmt *st, int i)
{
	return crm_stmt_is_null(st, i) ? NAN : crm_stmt_double(st, i);
}

static void from_row(struct crm_stmt *st, struct crm_model_info *m)
{
	crm_stmt_getf(st, "issssii---ssbs", &m->id, &m->kind, &m->trained_at,
		      &m->data_from, &m->data_to, &m->rows, &m->positives,
		      &m->model, &m->details, &m->active, &m->retired_at);
	m->cv_auc = num_col(st, 7);
	m->baseline_auc = num_col(st, 8);
	m->cv_log_loss = num_col(st, 9);
}

struct active {
	struct crm_model_info *m;
	int found;
};

static int active_row(struct crm_stmt *st, void *arg)
{
	struct active *a = arg;

	if (!a->found++)
		from_row(st, a->m);
	return 0;
}

int crm_model_active(struct crm_db *db, const char *kind,
		     struct crm_model_info *m, struct crm_err *err)
{
	struct active a = {.m = m};

	if (crm_dbq_each(db, err, active_row, &a,
			 SQL_COLS "WHERE kind = ?1 AND active = 1", "s",
			 kind) < 0)
		return -1;
	return a.found > 0;
}

/* The model id sql finds for kind into *id; none is CRM_EX_NOINPUT: "no
 * WHICH KIND model to roll back" and tail. */
static int model_id(struct crm_db *db, const char *sql, const char *kind,
		    const char *which, const char *tail, int64_t *id,
		    struct crm_err *err)
{
	*id = crm_db_int(db, sql, kind, NULL, err);
	if (*id < 0)
		return -1;
	if (*id == 0)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "no %s %s model to roll back%s", which, kind,
				   tail);
	return 0;
}

int crm_model_rollback(struct crm_db *db, const char *kind, int64_t *from,
		       int64_t *to, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	if (model_id(db,
		     "SELECT id FROM crm_models WHERE kind = ?1 AND active = 1",
		     kind, "active", "", from, err) < 0 ||
	    model_id(db,
		     "SELECT max(id) FROM crm_models WHERE kind = ?1 AND "
		     "active = 0 AND retired_at IS NULL AND id < (SELECT "
		     "id FROM crm_models WHERE kind = ?1 AND active = 1)",
		     kind, "earlier", " to", to, err) < 0)
		return -1;
	return crm_dbq_run(db, err,
			   "UPDATE crm_models SET active = CASE WHEN id = ?2 "
			   "THEN 1 ELSE 0 END, retired_at = CASE WHEN id = ?1 "
			   "THEN ?3 ELSE retired_at END WHERE id IN (?1, ?2)",
			   "iis", *from, *to,
			   crm_datetime_format(db->now, now));
}

struct each {
	int (*fn)(const struct crm_model_info *m, void *arg);
	void *arg;
};

static int each_row(struct crm_stmt *st, void *arg)
{
	struct each *e = arg;
	struct crm_model_info m = {0};
	int rc;

	from_row(st, &m);
	rc = e->fn(&m, e->arg);
	crm_model_info_release(&m);
	return rc < 0 ? -1 : 0;
}

int crm_model_each(struct crm_db *db, const char *kind,
		   int (*fn)(const struct crm_model_info *m, void *arg),
		   void *arg, struct crm_err *err)
{
	struct each e = {.fn = fn, .arg = arg};

	return crm_dbq_each(db, err, each_row, &e,
			    SQL_COLS
			    "WHERE CAST(?1 AS TEXT) IS NULL OR kind = ?1 "
			    "ORDER BY id DESC",
			    "s", kind);
}
