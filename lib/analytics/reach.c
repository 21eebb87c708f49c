/* reach.c - the best time to reach a contact: see reach.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizcal.h"
#include "dbq.h"
#include "reach.h"

#define NCELL 56

void crm_reach_label(const struct crm_reach_window *w, char out[32])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
					   "Thu", "Fri", "Sat"};

	snprintf(out, 32, "%s %02d:00-%02d:00", days[w->wday % 7], 3 * w->block,
		 3 * w->block + 3);
}

void crm_reach_rank(const long *counts, const long *prior,
		    struct crm_reach *out)
{
	double share[NCELL], ptot = 0;
	long n = 0;
	bool used[NCELL] = {0};

	for (int k = 0; k < NCELL; k++) {
		n += counts[k];
		ptot += (double)prior[k];
	}
	out->events = n;
	out->ntop = 0;
	if (n == 0 && ptot == 0)
		return;
	for (int k = 0; k < NCELL; k++) {
		double p = ptot > 0 ? (double)prior[k] / ptot : 1.0 / NCELL;

		share[k] = 100 * ((double)counts[k] + CRM_REACH_PRIOR * p) /
			   ((double)n + CRM_REACH_PRIOR);
	}
	for (int t = 0; t < CRM_REACH_TOP; t++) {
		int best = -1;

		for (int k = 0; k < NCELL; k++)
			if (!used[k] && (best < 0 || share[k] > share[best]))
				best = k;
		used[best] = true;
		out->top[t] = (struct crm_reach_window){
		    best / 8, best % 8, share[best], counts[best]};
		out->ntop++;
	}
}

/* The zone name in a custom JSON text ("timezone"), or NULL. */
static char *tz_of(const char *custom)
{
	json_t *j, *v;
	char *r = NULL;

	if (!custom || !(j = json_loads(custom, 0, NULL)))
		return NULL;
	v = json_object_get(j, "timezone");
	if (json_is_string(v))
		r = crm_xstrdup(json_string_value(v));
	json_decref(j);
	return r;
}

/* A small cache of loaded zones. */
struct zones {
	struct zone {
		char *name;
		struct crm_tz *tz; /* NULL: UTC (or unknown) */
	} v[16];
	size_t n;
};

static const struct crm_tz *zone(struct zones *z, const char *name)
{
	struct crm_err e;
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < z->n; i++)
		if (!strcmp(z->v[i].name, name))
			return z->v[i].tz;
	if (z->n < 16) {
		i = z->n++;
	} else { /* full: the last slot is reused */
		i = 15;
		free(z->v[i].name);
		crm_tz_free(z->v[i].tz);
	}
	z->v[i].name = crm_xstrdup(name);
	z->v[i].tz = crm_tz_load(name, &e); /* unknown: UTC */
	return z->v[i].tz;
}

static void zones_release(struct zones *z)
{
	for (size_t i = 0; i < z->n; i++) {
		free(z->v[i].name);
		crm_tz_free(z->v[i].tz);
	}
}

static void add(long *cells, const char *at, const struct crm_tz *tz)
{
	crm_time t;
	struct crm_err e;
	int64_t local, days, secs;

	if (crm_datetime_parse(at, &t, &e) < 0)
		return;
	local = t + (tz ? crm_tz_offset(tz, t) : 0);
	days = (local >= 0 ? local : local - 86399) / 86400;
	secs = local - days * 86400;
	/* 1970-01-01 was a Thursday (4) */
	cells[((days % 7 + 11) % 7) * 8 + secs / 10800]++;
}

#define ANSWER                                                                 \
	"(a.direction = 'in' OR a.type IN ('email_open', 'call_answered'))"

static const char sql_contact[] =
    "SELECT c.custom, co.custom, c.company_id FROM contacts c LEFT JOIN "
    "companies co ON co.id = c.company_id WHERE c.id = ?1";
static const char sql_own[] = "SELECT a.occurred_at FROM activities a WHERE "
			      "a.contact_id = ?1 AND a.occurred_at <= ?2 "
			      "AND " ANSWER;
/* others' answers: each in its own contact's zone */
static const char sql_company[] =
    "SELECT a.occurred_at, c.custom, co.custom FROM activities a JOIN "
    "contacts c ON c.id = a.contact_id LEFT JOIN companies co ON co.id = "
    "c.company_id WHERE c.company_id = ?1 AND c.id <> ?2 AND "
    "a.occurred_at <= ?3 AND " ANSWER;
static const char sql_everyone[] =
    "SELECT a.occurred_at, c.custom, co.custom FROM activities a JOIN "
    "contacts c ON c.id = a.contact_id LEFT JOIN companies co ON co.id = "
    "c.company_id WHERE c.id <> ?2 AND a.occurred_at <= ?3 AND " ANSWER
    " AND CAST(?1 AS BIGINT) IS NULL";

/* Events counted into cells by the hour of the week, in the zone of a
 * row's own (column 1, else 2: the zone of whoever it was) or tz. */
struct cells {
	struct zones *z;
	const struct crm_tz *tz;
	long *cells, *n;
};

static int cell_row(struct crm_stmt *st, void *arg)
{
	struct cells *c = arg;
	char *name = NULL;

	if (c->z) {
		name = tz_of(crm_stmt_text(st, 1));
		if (!name)
			name = tz_of(crm_stmt_text(st, 2));
	}
	add(c->cells, crm_stmt_text(st, 0), c->z ? zone(c->z, name) : c->tz);
	free(name);
	if (c->n)
		(*c->n)++;
	return 0;
}

static int others(struct crm_db *db, const char *sql, int64_t company,
		  int64_t id, const char *now, struct zones *z, long *cells,
		  long *n, struct crm_err *err)
{
	struct cells c = {.z = z, .cells = cells, .n = n};

	*n = 0;
	return crm_dbq_each(db, err, cell_row, &c, sql, "Iis", company, id,
			    now);
}

int crm_reach_contact(struct crm_db *db, int64_t contact_id,
		      struct crm_reach *out, struct crm_err *err)
{
	long own[NCELL] = {0}, prior[NCELL] = {0};
	struct cells own_cells = {.cells = own};
	struct zones z = {0};
	struct crm_stmt *st;
	char now[CRM_TIME_LEN], *name = NULL;
	const struct crm_tz *tz;
	int64_t company = 0;
	int s, rc = -1;

	memset(out, 0, sizeof(*out));
	out->contact_id = contact_id;
	out->prior = "none";
	crm_datetime_format(db->now, now);
	if (!(st = crm_db_stmt(db, sql_contact, err)))
		return -1;
	crm_stmt_bind_int(st, 1, contact_id);
	if ((s = crm_stmt_step(st, err)) == 1) {
		name = tz_of(crm_stmt_text(st, 0));
		if (!name)
			name = tz_of(crm_stmt_text(st, 1));
		company = crm_stmt_int(st, 2);
	}
	crm_stmt_finalize(st);
	if (s < 0)
		goto out;
	tz = zone(&z, name);
	snprintf(out->tz, sizeof(out->tz), "%s", tz && name ? name : "UTC");
	own_cells.tz = tz;
	if (crm_dbq_each(db, err, cell_row, &own_cells, sql_own, "is",
			 contact_id, now) < 0)
		goto out;
	if (company && others(db, sql_company, company, contact_id, now, &z,
			      prior, &out->prior_events, err) < 0)
		goto out;
	if (company && out->prior_events >= 20) {
		out->prior = "company";
	} else {
		memset(prior, 0, sizeof(prior));
		if (others(db, sql_everyone, 0, contact_id, now, &z, prior,
			   &out->prior_events, err) < 0)
			goto out;
		out->prior = out->prior_events >= 20 ? "everyone" : "none";
		if (out->prior_events < 20) {
			memset(prior, 0, sizeof(prior));
			out->prior_events = 0;
		}
	}
	crm_reach_rank(own, prior, out);
	rc = 0;
out:
	free(name);
	zones_release(&z);
	return rc;
}

int crm_reach_each(struct crm_db *db, int (*fn)(int64_t id, void *arg),
		   void *arg, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT DISTINCT a.contact_id FROM activities a WHERE "
	    "a.contact_id IS NOT NULL AND " ANSWER " ORDER BY a.contact_id",
	    err);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int s, rc = 0;

	if (!st)
		return -1;
	while ((s = crm_stmt_step(st, err)) == 1) {
		ids = crm_xgrow(ids, &cap, n + 1, sizeof(*ids));
		ids[n++] = crm_stmt_int(st, 0);
	}
	crm_stmt_finalize(st);
	for (size_t i = 0; s == 0 && rc == 0 && i < n; i++)
		rc = fn(ids[i], arg);
	free(ids);
	return s < 0 || rc < 0 ? -1 : 0;
}

crm_time crm_reach_next(const struct crm_reach *r, crm_time after)
{
	struct crm_err e;
	struct crm_tz *tz = NULL;
	crm_time best = -1;
	int64_t local, day;

	if (!r->ntop)
		return -1;
	if (strcmp(r->tz, "UTC"))
		tz = crm_tz_load(r->tz, &e); /* unknown: UTC, as ranked */
	local = after + (tz ? crm_tz_offset(tz, after) : 0);
	day = (local >= 0 ? local : local - 86399) / 86400;
	/* the window's days this week and next, in wall-clock time; each
	 * start and end to UTC on its own day (daylight saving) */
	for (int64_t d = day - 1; d <= day + 8 && best < 0; d++) {
		const struct crm_reach_window *w = &r->top[0];
		crm_time from, to;

		if ((d % 7 + 11) % 7 != w->wday)
			continue;
		from = d * 86400 + (int64_t)w->block * 10800;
		to = from + 10800;
		from = tz ? crm_tz_to_utc(tz, from) : from;
		to = tz ? crm_tz_to_utc(tz, to) : to;
		if (to > after)
			best = from > after ? from : after;
	}
	crm_tz_free(tz);
	return best;
}
