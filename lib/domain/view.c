/* view.c - the 360-degree view of a contact or a company. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "company.h"
#include "reach.h"
#include "view.h"

/* Related entities listed in a view once they exist: the entity and the
 * key of its array. A module that adds one of these entities to
 * lib/domain/entities.c with contact_id / company_id fields shows up here. */
static const struct {
	const char *entity, *key, *sort;
	const char *where; /* "field OP value" they must also meet, or NULL */
} related[] = {
    {"lead", "leads", "-updated_at", NULL},
    {"deal", "deals", "-updated_at", "status=open"},
    {"ticket", "tickets", "-updated_at", NULL},
};

json_t *crm_rec_to_json(const struct crm_rec *rec)
{
	json_t *o = json_object();

	for (size_t i = 0; i < rec->n; i++) {
		const char *v = crm_rec_val(rec, i);
		json_t *j;

		switch (crm_rec_kind(rec, i)) {
		case CRM_NULL:
			j = json_null();
			break;
		case CRM_RAW:
			j = json_loads(v, JSON_DECODE_ANY, NULL);
			if (!j)
				j = json_string(v);
			break;
		default:
			j = json_stringn(v, crm_rec_vlen(rec, i));
		}
		json_object_set_new(o, crm_rec_name(rec, i),
				    j ? j : json_null());
	}
	return o;
}

static json_t *row_json(const struct crm_row *row)
{
	struct crm_rec rec;
	json_t *o;

	crm_rec_init(&rec);
	crm_row_to_rec(row, NULL, NULL, &rec);
	o = crm_rec_to_json(&rec);
	crm_rec_release(&rec);
	return o;
}

static int push_row(const struct crm_row *row, void *arg)
{
	json_array_append_new(arg, row_json(row));
	return 0;
}

/* Rows of e where each "field OP value" of where holds, as an array. */
static json_t *rows(struct crm_db *db, const struct crm_entity *e,
		    const char *const *where, const char *sort, int64_t limit,
		    struct crm_err *err)
{
	struct crm_strv w = {0};
	struct crm_query q = {.where = &w, .sort = sort, .limit = limit};
	json_t *a = json_array();

	for (size_t i = 0; where[i]; i++)
		crm_strv_push(&w, where[i]);
	if (crm_entity_each(db, e, &q, push_row, a, err) < 0) {
		json_decref(a);
		a = NULL;
	}
	crm_strv_release(&w);
	return a;
}

/* The record of e with id (as text), or JSON null. */
static json_t *one(struct crm_db *db, const struct crm_entity *e,
		   const char *id, struct crm_err *err, int *rc)
{
	struct crm_row r;
	json_t *o = json_null();

	*rc = 0;
	if (!id)
		return o;
	crm_row_init(&r, e);
	*rc = crm_entity_get(db, e, strtoll(id, NULL, 10), &r, err);
	if (*rc > 0) {
		json_decref(o);
		o = row_json(&r);
	}
	crm_row_release(&r);
	return o;
}

static int add(json_t *view, const char *key, json_t *v)
{
	if (!v)
		return -1;
	json_object_set_new(view, key, v);
	return 0;
}

/* A contact's best times to reach (lib/analytics/reach.c), when there
 * is anything to go on: "best_times", one object per window. */
static int best_times(struct crm_db *db, int64_t id, json_t *view,
		      struct crm_err *err)
{
	struct crm_reach r;
	json_t *a;

	if (crm_reach_contact(db, id, &r, err) < 0)
		return -1;
	if (!r.ntop)
		return 0;
	a = json_array();
	for (int i = 0; i < r.ntop; i++) {
		char label[32], ev[160];

		crm_reach_label(&r.top[i], label);
		snprintf(ev, sizeof(ev),
			 "%.0f%% expected; %ld of the contact's %ld answers; "
			 "prior %s (%ld answers); %s",
			 r.top[i].share, r.top[i].events, r.events, r.prior,
			 r.prior_events, r.tz);
		json_array_append_new(
		    a, json_pack("{s:s, s:f, s:I, s:I, s:s, s:I, s:s, s:s}",
				 "window", label, "share",
				 round(r.top[i].share * 10) / 10, "events",
				 (json_int_t)r.top[i].events, "answers",
				 (json_int_t)r.events, "prior", r.prior,
				 "prior_answers", (json_int_t)r.prior_events,
				 "timezone", r.tz, "evidence", ev));
	}
	json_object_set_new(view, "best_times", a);
	return 0;
}

json_t *crm_view(struct crm_db *db, const struct crm_row *row,
		 struct crm_err *err)
{
	const struct crm_entity *e = row->e, *co = &crm_company_entity;
	bool is_company = e == co;
	const char *link = is_company ? "company_id" : "contact_id";
	json_t *view = json_object(), *company = NULL;
	char w1[64], w2[64];
	const char *wlink[] = {w1, NULL};
	const char *wtask[] = {w1, "due_at!=", "done_at=", NULL};
	const char *parent_id;
	int rc;

	snprintf(w1, sizeof(w1), "%s=%lld", link, (long long)crm_row_id(row));
	json_object_set_new(view, e->name, row_json(row));
	if (!is_company) {
		json_t *p;

		company = one(db, co, crm_row_get(row, "company_id"), err, &rc);
		json_object_set_new(view, "company", company);
		if (rc < 0)
			goto fail;
		/* a company's parent_id is a number in output form */
		p = json_object_get(company, "parent_id");
		snprintf(w2, sizeof(w2), "%lld",
			 (long long)(json_is_integer(p) ? json_integer_value(p)
							: 0));
		parent_id = json_is_integer(p) ? w2 : NULL;
	} else {
		parent_id = crm_row_get(row, "parent_id");
	}
	json_object_set_new(view, "parent", one(db, co, parent_id, err, &rc));
	if (rc < 0)
		goto fail;
	if (is_company) {
		const struct crm_company_rollup **r = NULL;
		long nr = crm_company_rollups(db, &r, err);
		json_t *ru = json_object();
		const char *wsub[] = {w2, NULL};

		snprintf(w2, sizeof(w2), "parent_id=%lld",
			 (long long)crm_row_id(row));
		if (add(view, "subsidiaries",
			rows(db, co, wsub, "name", -1, err)) < 0) {
			free(r);
			json_decref(ru);
			goto fail;
		}
		for (long k = 0; k < nr; k++) {
			/* own counts only: tree gives the group totals */
			int64_t c = crm_company_rollup_count(
			    db, r[k], crm_row_id(row), err);

			if (c < 0) {
				nr = -1;
				break;
			}
			json_object_set_new(ru, r[k]->name, json_integer(c));
		}
		free(r);
		json_object_set_new(view, "rollups", ru);
		if (nr < 0)
			goto fail;
		if (add(view, "contacts",
			rows(db, crm_entity_by_name("contact"), wlink, "id", -1,
			     err)) < 0)
			goto fail;
	}
	if (add(view, "recent_activities",
		rows(db, &crm_activity_entity, wlink, "-occurred_at,-id",
		     CRM_VIEW_RECENT, err)) < 0 ||
	    add(view, "open_tasks",
		rows(db, &crm_activity_entity, wtask, "due_at", -1, err)) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(related) / sizeof(related[0]); i++) {
		const struct crm_entity *re =
		    crm_entity_by_name(related[i].entity);
		const char *wrel[] = {w1, related[i].where, NULL};

		if (!re || crm_entity_field(re, link) < 0)
			continue;

		if (add(view, related[i].key,
			rows(db, re, wrel,
			     crm_entity_field(re, "updated_at") >= 0
				 ? related[i].sort
				 : "-id",
			     -1, err)) < 0)
			goto fail;
	}
	if (!is_company && best_times(db, crm_row_id(row), view, err) < 0)
		goto fail;
	return view;
fail:
	json_decref(view);
	return NULL;
}
