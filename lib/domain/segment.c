/* segment.c - segments: named queries over contacts or leads (files), the
 * where language plus activity predicates, and their diff. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "contact.h"
#include "datetime.h"
#include "dbq.h"
#include "filter.h"
#include "flow.h"
#include "lead.h"
#include "segment.h"
#include "share.h"

char *crm_segments_default_dir(void)
{
	const char *env = getenv("CRM_SEGMENTS");

	if (env && *env)
		return crm_xstrdup(env);
	return crm_share_path("segments");
}

void crm_segment_release(struct crm_segment *s)
{
	free(s->name);
	crm_strv_release(&s->where);
	for (size_t i = 0; i < s->nacts; i++) {
		free(s->acts[i].type);
		free(s->acts[i].subject);
	}
	free(s->acts);
	memset(s, 0, sizeof(*s));
}

static bool name_ok(const char *n)
{
	return crm_str_of(n,
			  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789-_");
}

static int bad(struct crm_err *err, const char *path, const char *field,
	       const char *why)
{
	return crm_err_at(err, CRM_EX_CONFIG, path, 0, field, "%s", why);
}

/* A non-negative integer member of o, or def when absent. */
static int int_of(json_t *o, const char *key, int64_t def, int64_t *out,
		  const char *path, const char *field, struct crm_err *err)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(err, path, field, "expected an integer >= 0");
	*out = json_integer_value(v);
	return 0;
}

static int parse(json_t *root, const char *path, struct crm_segment *s,
		 struct crm_err *err)
{
	static const char *const keys[] = {"entity", "where", "activities",
					   "description", NULL};
	json_t *ent = json_object_get(root, "entity"),
	       *wh = json_object_get(root, "where"),
	       *ac = json_object_get(root, "activities"), *v;
	const char *k;
	size_t i;

	json_object_foreach(root, k, v)
	{
		size_t j = 0;
		while (keys[j] && strcmp(keys[j], k))
			j++;
		if (!keys[j])
			return bad(err, path, k, "unknown key");
	}
	if (!ent || !json_is_string(ent))
		return bad(err, path, "entity",
			   "expected \"contact\" or \"lead\"");
	if (!strcmp(json_string_value(ent), "contact"))
		s->e = &crm_contact_entity;
	else if (!strcmp(json_string_value(ent), "lead"))
		s->e = &crm_lead_entity;
	else
		return bad(err, path, "entity",
			   "expected \"contact\" or \"lead\"");
	if (wh && json_is_string(wh))
		crm_strv_push(&s->where, json_string_value(wh));
	else if (wh && json_is_array(wh)) {
		json_array_foreach(wh, i, v)
		{
			if (!json_is_string(v))
				return bad(err, path, "where",
					   "expected where expressions");
			crm_strv_push(&s->where, json_string_value(v));
		}
	} else if (wh)
		return bad(err, path, "where", "expected where expressions");
	/* the expressions must compile against the entity's fields */
	{
		struct crm_buf sql = {0};
		struct crm_binds b = {0};
		struct crm_err e2 = {0};
		int rc = crm_filter_where(NULL, s->e, &s->where, &sql, &b, &e2);

		crm_buf_release(&sql);
		crm_binds_release(&b);
		if (rc < 0)
			return bad(err, path, "where", e2.msg);
	}
	if (ac && !json_is_array(ac))
		return bad(err, path, "activities", "expected an array");
	s->acts = crm_xcalloc(json_array_size(ac) + 1, sizeof(*s->acts));
	json_array_foreach(ac, i, v)
	{
		struct crm_segment_act *a = &s->acts[s->nacts];
		json_t *t = json_object_get(v, "type"),
		       *sub = json_object_get(v, "subject");
		const char *ak;
		json_t *av;

		if (!json_is_object(v))
			return bad(err, path, "activities", "expected objects");
		json_object_foreach(v, ak, av)
		{
			if (strcmp(ak, "type") && strcmp(ak, "subject") &&
			    strcmp(ak, "min") && strcmp(ak, "max") &&
			    strcmp(ak, "days"))
				return bad(err, path, ak, "unknown key");
		}
		if (!json_is_string(t) || !*json_string_value(t))
			return bad(err, path, "type",
				   "expected an activity type");
		if (sub && !json_is_string(sub))
			return bad(err, path, "subject", "expected a text");
		a->type = crm_xstrdup(json_string_value(t));
		a->subject = sub ? crm_xstrdup(json_string_value(sub)) : NULL;
		s->nacts++;
		if (int_of(v, "min", 1, &a->min, path, "min", err) < 0 ||
		    int_of(v, "max", -1, &a->max, path, "max", err) < 0 ||
		    int_of(v, "days", 0, &a->days, path, "days", err) < 0)
			return -1;
		if (json_object_get(v, "max") && !json_object_get(v, "min"))
			a->min = 0;
		if (a->days <= 0)
			return bad(err, path, "days",
				   "expected the window in days (> 0)");
		if (a->max >= 0 && a->max < a->min)
			return bad(err, path, "max", "below min");
	}
	return 0;
}

int crm_segment_load(const char *dir, const char *name, struct crm_segment *s,
		     struct crm_err *err)
{
	char *path;
	json_t *root = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!name_ok(name))
		return crm_err_set(err, CRM_EX_USAGE,
				   "bad segment name '%s' (letters, digits, - "
				   "and _)",
				   name);
	path = crm_xasprintf("%s/%s.json", dir, name);
	rc = crm_config_load(path, "segment ", NULL,
			     "a segment file must hold one JSON object", &root,
			     err);
	if (rc == 0) {
		s->name = crm_xstrdup(name);
		rc = parse(root, path, s, err);
	} else if (err->code == CRM_EX_NOINPUT) {
		crm_err_set(err, CRM_EX_NOINPUT, "no segment '%s' in %s", name,
			    dir);
	}
	json_decref(root);
	free(path);
	if (rc < 0)
		crm_segment_release(s);
	return rc;
}

/* scandir: a segment file (NAME.json, not hidden) */
static int json_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && de->d_name[0] != '.' &&
	       !strcmp(de->d_name + n - 5, ".json");
}

int crm_segment_names(const char *dir, struct crm_strv *names,
		      struct crm_err *err)
{
	struct dirent **v;
	int n = scandir(dir, &v, json_file, NULL);

	if (n < 0)
		return crm_err_at(
		    err, errno == ENOENT ? CRM_EX_NOINPUT : CRM_EX_CONFIG, dir,
		    0, NULL, "cannot open segments: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		v[i]->d_name[strlen(v[i]->d_name) - 5] = '\0';
		crm_strv_push(names, v[i]->d_name);
		free(v[i]);
	}
	free(v);
	if (names->n)
		qsort(names->v, names->n, sizeof(*names->v), crm_str_cmp);
	return 0;
}

/* -- evaluation -------------------------------------------------------- */

void crm_idv_push(struct crm_idv *x, int64_t id)
{
	x->v = crm_xgrow(x->v, &x->cap, x->n + 1, sizeof(*x->v));
	x->v[x->n++] = id;
}

int crm_idv_collect(const struct crm_row *row, void *arg)
{
	crm_idv_push(arg, crm_row_id(row));
	return 0;
}

/* crm_dbq_each: column 0 into the crm_idv arg */
static int push_id(struct crm_stmt *st, void *arg)
{
	crm_idv_push(arg, crm_stmt_int(st, 0));
	return 0;
}

/* "%text%" for LIKE, lower-cased ASCII, with %, _ and \ escaped. */
static char *like_pattern(const char *s)
{
	struct crm_buf b = {0};

	crm_buf_addc(&b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			crm_buf_addc(&b, '\\');
		crm_buf_addc(&b, (char)tolower((unsigned char)*s));
	}
	crm_buf_addc(&b, '%');
	return crm_buf_detach(&b);
}

/* Activities of a type in a window (and subject) of the records of the
 * link column col, one row each: counted in C against the candidates (no
 * GROUP BY, whose sort SQLite keeps in memory). SQLite reads the table
 * whole (NOT INDEXED): along its index on (col, occurred_at), which
 * nothing here leads, it would fetch each row in the window from the
 * table out of order, a page each (1M contacts, 5M activities: 12.1 s ->
 * 2.1 s, where the cost per contact had risen 1.6x from 10,000; #25).
 * PostgreSQL's planner sees the window's bounds and chooses itself. */
#define ACT_ROWS_SQL(col, activities)                                          \
	"SELECT " col " FROM " activities " WHERE " col " IS NOT NULL AND "    \
	"type = ? AND occurred_at >= ? AND occurred_at <= ? AND (CAST(? AS "   \
	"TEXT) IS NULL OR lower(subject) LIKE ? ESCAPE '\\')"

/* The candidates (ascending ids) and their counts so far. */
struct act_counts {
	const struct crm_idv *ids;
	int64_t *n;
};

static int count_act(struct crm_stmt *st, void *arg)
{
	struct act_counts *c = arg;
	int64_t id = crm_stmt_int(st, 0);
	const int64_t *at =
	    bsearch(&id, c->ids->v, c->ids->n, sizeof(*c->ids->v), crm_i64_cmp);

	if (at)
		c->n[at - c->ids->v]++;
	return 0;
}

/* Keep in ids (ascending) those whose count of activity a in its window
 * is within [min, max]. */
static int filter_act(struct crm_db *db, const struct crm_segment *s,
		      const struct crm_segment_act *a, const char *now,
		      struct crm_idv *ids, struct crm_err *err)
{
	/* fixed text per entity and engine: the link column is never
	 * spliced */
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	const char *sql =
	    s->e == &crm_lead_entity
		? (pg ? ACT_ROWS_SQL("lead_id", "activities")
		      : ACT_ROWS_SQL("lead_id", "activities NOT INDEXED"))
		: (pg ? ACT_ROWS_SQL("contact_id", "activities")
		      : ACT_ROWS_SQL("contact_id", "activities NOT INDEXED"));
	struct act_counts c = {ids, crm_xcalloc(ids->n, sizeof(*c.n))};
	size_t keep = 0;
	crm_time t;
	char since[CRM_TIME_LEN];
	char *pat = a->subject ? like_pattern(a->subject) : NULL;
	int rc = -1;

	if (crm_datetime_parse(now, &t, err) < 0)
		goto out;
	crm_datetime_format(t - (crm_time)a->days * 86400, since);
	if (crm_dbq_each(db, err, count_act, &c, sql, "sssss", a->type, since,
			 now, pat, pat) < 0)
		goto out;
	for (size_t i = 0; i < ids->n; i++)
		if (c.n[i] >= a->min && (a->max < 0 || c.n[i] <= a->max))
			ids->v[keep++] = ids->v[i];
	ids->n = keep;
	rc = 0;
out:
	free(pat);
	free(c.n);
	return rc;
}

long crm_segment_eval(struct crm_db *db, const struct crm_segment *s,
		      const char *now, int64_t **ids, struct crm_err *err)
{
	struct crm_query q = {.where = &s->where, .limit = -1};
	struct crm_idv x = {0};

	*ids = NULL;
	if (crm_entity_each(db, s->e, &q, crm_idv_collect, &x, err) < 0) {
		/* a field the database does not know: the file's fault */
		if (err->code == CRM_EX_USAGE) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			crm_err_set(err, CRM_EX_CONFIG,
				    "segment '%s': where: %s", s->name, msg);
		}
		goto fail;
	}
	for (size_t i = 0; i < s->nacts && x.n; i++)
		if (filter_act(db, s, &s->acts[i], now, &x, err) < 0)
			goto fail;
	*ids = x.v;
	return (long)x.n;
fail:
	free(x.v);
	return -1;
}

/* -- diff -------------------------------------------------------------- */

int crm_segment_diff(struct crm_db *db, const struct crm_segment *s,
		     const char *now,
		     int (*fn)(const char *change, int64_t id, void *arg),
		     void *arg, struct crm_err *err)
{
	struct crm_idv old = {0};
	int64_t *cur = NULL;
	long n;
	size_t i = 0, j = 0;
	char *data = NULL;
	int rc = -1;

	n = crm_segment_eval(db, s, now, &cur, err);
	if (n < 0)
		return -1;
	if (crm_dbq_each(db, err, push_id, &old,
			 "SELECT record_id FROM segment_members WHERE segment "
			 "= ? AND entity = ? ORDER BY record_id",
			 "ss", s->name, s->e->name) < 0)
		goto out;
	{
		json_t *d = json_pack("{ss}", "segment", s->name);
		data = json_dumps(d, JSON_COMPACT);
		json_decref(d);
	}
	while (i < (size_t)n || j < old.n) {
		bool enter = j == old.n || (i < (size_t)n && cur[i] < old.v[j]);
		bool leave = !enter && (i == (size_t)n || old.v[j] < cur[i]);

		if (!enter && !leave) { /* in both */
			i++, j++;
			continue;
		}
		if (crm_dbq_run(db, err,
				enter ? "INSERT INTO segment_members (segment, "
					"entity, record_id, entered_at) VALUES "
					"(?, ?, ?, ?)"
				      : "DELETE FROM segment_members WHERE "
					"segment = ? AND entity = ? AND "
					"record_id = ?",
				enter ? "ssis" : "ssi", s->name, s->e->name,
				enter ? cur[i] : old.v[j], now) < 0)
			goto out;
		if (enter && crm_flow_emit(db, "segment.entered", s->e->name,
					   cur[i], data, err) < 0)
			goto out;
		if (fn(enter ? "entered" : "left", enter ? cur[i] : old.v[j],
		       arg) < 0)
			goto out;
		if (enter)
			i++;
		else
			j++;
	}
	rc = 0;
out:
	free(data);
	free(cur);
	free(old.v);
	return rc;
}
