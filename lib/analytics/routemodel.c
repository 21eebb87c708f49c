/* routemodel.c - the stored ticket routing model: see routemodel.h. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entity.h"
#include "routemodel.h"

void crm_route_rows_release(struct crm_route_rows *r)
{
	crm_strv_release(&r->text);
	crm_strv_release(&r->label);
	free(r->from);
	free(r->to);
	memset(r, 0, sizeof(*r));
}

struct walk {
	struct crm_route_rows *r;
	struct crm_strv fields;
	const char *target, *after;
	struct crm_buf b;
};

static int ticket_row(const struct crm_row *row, void *arg)
{
	struct walk *w = arg;
	const char *label = crm_row_get(row, w->target);
	const char *at = crm_row_get(row, "solved_at");
	json_t *j;

	if (!at)
		at = crm_row_get(row, "closed_at");
	if (!at)
		at = crm_row_get(row, "updated_at");
	if (w->after && (!at || strcmp(at, w->after) <= 0))
		return 0;
	if (!label && (j = json_object_get(row->custom, w->target)) &&
	    json_is_string(j))
		label = json_string_value(j);
	crm_buf_reset(&w->b);
	for (size_t i = 0; i < w->fields.n; i++) {
		const char *v = crm_row_get(row, w->fields.v[i]);

		if (v) {
			crm_buf_adds(&w->b, v);
			crm_buf_addc(&w->b, '\n');
		}
	}
	crm_strv_push(&w->r->text, crm_buf_str(&w->b));
	crm_strv_push(&w->r->label, label ? label : "");
	if (at && (!w->r->from || strcmp(at, w->r->from) < 0)) {
		free(w->r->from);
		w->r->from = crm_xstrdup(at);
	}
	if (at && (!w->r->to || strcmp(at, w->r->to) > 0)) {
		free(w->r->to);
		w->r->to = crm_xstrdup(at);
	}
	return 0;
}

int crm_route_rows(struct crm_db *db, const char *fields, const char *target,
		   const char *after, struct crm_route_rows *r,
		   struct crm_err *err)
{
	const struct crm_entity *e = crm_entity_by_name("ticket");
	struct crm_strv where = {0};
	struct crm_query q = {.where = &where, .limit = -1};
	struct walk w = {.r = r, .target = target, .after = after};
	int rc = -1;

	memset(r, 0, sizeof(*r));
	crm_strv_split(&w.fields, fields, ',');
	for (size_t i = 0; i < w.fields.n; i++)
		if (crm_entity_field(e, w.fields.v[i]) < 0) {
			crm_err_set(err, CRM_EX_USAGE,
				    "--text: tickets have no field '%s'",
				    w.fields.v[i]);
			goto out;
		}
	crm_strv_push(&where, "status!=new");
	crm_strv_push(&where, "status!=open");
	crm_strv_push(&where, "status!=pending");
	crm_strv_push(&where, "status!=on_hold");
	rc = crm_entity_each(db, e, &q, ticket_row, &w, err);
out:
	crm_strv_release(&where);
	crm_strv_release(&w.fields);
	crm_buf_release(&w.b);
	if (rc < 0)
		crm_route_rows_release(r);
	return rc;
}

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

int crm_route_store(struct crm_db *db, const struct crm_textclass *m,
		    const char *target, const char *fields,
		    const struct crm_textclass_report *rep,
		    const struct crm_route_rows *rows, int64_t *id,
		    struct crm_err *err)
{
	struct crm_model_info info = {0};
	char now[CRM_TIME_LEN];
	json_t *d = json_object();
	int rc;

	json_object_set_new(d, "target", json_string(target));
	json_object_set_new(d, "text", json_string(fields));
	json_object_set_new(d, "classes",
			    json_integer((json_int_t)rep->classes));
	json_object_set_new(d, "test", json_integer((json_int_t)rep->test));
	json_object_set_new(d, "accuracy", num(rep->accuracy));
	json_object_set_new(d, "macro_f1", num(rep->macro_f1));
	json_object_set_new(d, "majority", json_string(rep->majority));
	json_object_set_new(d, "baseline_accuracy", num(rep->base_accuracy));
	json_object_set_new(d, "baseline_macro_f1", num(rep->base_macro_f1));
	info.kind = crm_xstrdup("route");
	info.trained_at = crm_xstrdup(crm_datetime_format(db->now, now));
	info.data_from = rows->from ? crm_xstrdup(rows->from) : NULL;
	info.data_to = rows->to ? crm_xstrdup(rows->to) : NULL;
	info.rows = (int64_t)rep->rows;
	info.positives = 0;
	info.cv_auc = info.baseline_auc = info.cv_log_loss = NAN;
	info.model = crm_textclass_text(m, target, fields, rep);
	info.details = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
	if (!info.model || !info.details)
		rc = crm_err_set(err, CRM_EX_SOFTWARE,
				 "out of memory writing the route model");
	else
		rc = crm_model_store(db, &info, err);
	*id = info.id;
	crm_model_info_release(&info);
	return rc;
}

int crm_route_active(struct crm_db *db, struct crm_textclass **m, int64_t *id,
		     struct crm_err *err)
{
	struct crm_model_info info = {0};
	int s;

	*m = NULL;
	if ((s = crm_model_active(db, "route", &info, err)) <= 0)
		return s;
	*id = info.id;
	*m = crm_textclass_parse(info.model, "route model", err);
	crm_model_info_release(&info);
	return *m ? 1 : -1;
}

void crm_route_monitor_release(struct crm_route_monitor *mo)
{
	crm_model_info_release(&mo->info);
	crm_textclass_free(mo->model);
	memset(mo, 0, sizeof(*mo));
}

static double detail(json_t *d, const char *key)
{
	json_t *v = json_object_get(d, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

int crm_route_monitor(struct crm_db *db, struct crm_route_monitor *mo,
		      struct crm_err *err)
{
	struct crm_route_rows r = {0};
	struct crm_strv text = {0}, label = {0};
	json_t *d;
	int s;

	memset(mo, 0, sizeof(*mo));
	mo->accuracy = mo->macro_f1 = NAN;
	if ((s = crm_model_active(db, "route", &mo->info, err)) <= 0)
		return s < 0 ? -1 : 0;
	if (!(mo->model =
		  crm_textclass_parse(mo->info.model, "route model", err)))
		goto fail;
	mo->target = crm_textclass_target(mo->model);
	mo->fields = crm_textclass_fields(mo->model);
	d = json_loads(mo->info.details ? mo->info.details : "{}", 0, NULL);
	mo->held_accuracy = detail(d, "accuracy");
	mo->held_macro_f1 = detail(d, "macro_f1");
	json_decref(d);
	if (crm_route_rows(db, mo->fields, mo->target, mo->info.data_to, &r,
			   err) < 0)
		goto fail;
	/* the tickets with an answer: those without a label are left out,
	 * as in training */
	for (size_t i = 0; i < r.label.n; i++)
		if (*r.label.v[i]) {
			crm_strv_push(&text, r.text.v[i]);
			crm_strv_push(&label, r.label.v[i]);
		}
	mo->outcomes = (long)label.n;
	if (label.n)
		crm_textclass_measure(mo->model, (const char *const *)text.v,
				      (const char *const *)label.v, label.n,
				      &mo->accuracy, &mo->macro_f1);
	crm_route_rows_release(&r);
	crm_strv_release(&text);
	crm_strv_release(&label);
	return 1;
fail:
	crm_route_monitor_release(mo);
	return -1;
}
