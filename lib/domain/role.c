/* role.c - contact roles on deals and accounts (an entity: every change
 * is in the change log, undo reverts it), the roles file, the power map. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datetime.h"
#include "dbq.h"
#include "pipeline.h"
#include "role.h"
#include "share.h"

static const char *const attitudes[] = {"supporter", "neutral", "opponent",
					NULL};
static const char *const influences[] = {"low", "medium", "high", NULL};

static const struct crm_field role_fields[] = {
    {"id", CRM_T_INT, CRM_FF_SYSTEM | CRM_FF_KEY | CRM_FF_BRIEF},
    {"deal_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "deal"},
    {"company_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "company"},
    {"contact_id", CRM_T_REF, CRM_FF_REQUIRED | CRM_FF_BRIEF, NULL, "contact"},
    {"role", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"attitude", CRM_T_ENUM, CRM_FF_BRIEF, attitudes},
    {"influence", CRM_T_ENUM, CRM_FF_BRIEF, influences},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF},
    {"strategy", CRM_T_TEXT, 0},
    {"created_at", CRM_T_TIME, CRM_FF_SYSTEM},
    {"updated_at", CRM_T_TIME, CRM_FF_SYSTEM},
};

static int exists(struct crm_db *db, const char *sql, const char *id,
		  struct crm_err *err)
{
	return crm_dbq_step(db, err, NULL, sql, "i",
			    (int64_t)(strtoll(id, NULL, 10)));
}

static int role_check(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_row *row, struct crm_err *err)
{
	const char *deal = crm_row_get(row, "deal_id"),
		   *co = crm_row_get(row, "company_id"),
		   *ct = crm_row_get(row, "contact_id"),
		   *role = crm_row_get(row, "role");
	const struct crm_roles *r = crm_roles_get(err);
	int rc;

	(void)e;
	if (!r)
		return -1;
	if (!deal == !co)
		return crm_err_field(err, "deal_id", CRM_EX_DATAERR,
				     "a role is on a deal or on a company "
				     "(one of deal_id and company_id)");
	if (role && crm_roles_find(r, role) < 0)
		return crm_err_field(err, "role", CRM_EX_DATAERR,
				     "unknown role '%s' (%s lists the roles)",
				     role, r->path);
	snprintf(err->field, sizeof(err->field), "contact_id");
	rc =
	    ct ? exists(db, "SELECT 1 FROM contacts WHERE id = ?", ct, err) : 1;
	if (rc == 0)
		return crm_err_set(err, CRM_EX_DATAERR, "no contact %s", ct);
	snprintf(err->field, sizeof(err->field),
		 deal ? "deal_id" : "company_id");
	if (rc > 0)
		rc = deal ? exists(db, "SELECT 1 FROM deals WHERE id = ?", deal,
				   err)
			  : exists(db, "SELECT 1 FROM companies WHERE id = ?",
				   co, err);
	if (rc == 0)
		return crm_err_set(err, CRM_EX_DATAERR, "no %s %s",
				   deal ? "deal" : "company", deal ? deal : co);
	if (rc < 0)
		return -1;
	err->field[0] = '\0';
	return 0;
}

static int role_prepare(struct crm_db *db, const struct crm_entity *e,
			struct crm_row *row, const struct crm_row *old,
			void *arg, struct crm_err *err)
{
	(void)arg;
	if (!crm_row_get(row, "attitude"))
		crm_row_set(row, "attitude", "neutral");
	if (!crm_row_get(row, "influence"))
		crm_row_set(row, "influence", "medium");
	if (!old && !crm_row_get(row, "owner")) {
		/* the relationship's owner: the contact's, by default */
		const char *ct = crm_row_get(row, "contact_id");
		char *owner = NULL;

		if (ct &&
		    crm_dbq_text(db, err, &owner,
				 "SELECT owner FROM contacts WHERE id = ?", "i",
				 (int64_t)strtoll(ct, NULL, 10)) < 0)
			return -1;
		if (owner)
			crm_row_set(row, "owner", owner);
		free(owner);
	}
	return role_check(db, e, row, err);
}

const struct crm_entity crm_role_entity = {
    .name = "role",
    .plural = "roles",
    .table = "contact_roles",
    .fields = role_fields,
    .nfields = sizeof(role_fields) / sizeof(role_fields[0]),
    .keys = "id",
    .prepare = role_prepare,
    .check = role_check,
};

/* -- the roles file ------------------------------------------------------ */

void crm_roles_release(struct crm_roles *r)
{
	crm_strs_free(r->names, r->n);
	crm_strs_free(r->labels, r->n);
	crm_strs_free(r->required, r->nrequired);
	free(r->key);
	free(r->after_stage);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

long crm_roles_find(const struct crm_roles *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return (long)i;
	return -1;
}

static int bad(struct crm_err *err, const char *path, const char *field,
	       const char *why)
{
	return crm_err_at(err, CRM_EX_CONFIG, path, 0, field, "%s", why);
}

static int parse_roles(const char *path, json_t *root, void *arg,
		       struct crm_err *err)
{
	struct crm_roles *r = arg;
	json_t *roles, *req, *v;
	size_t i;

	r->path = crm_xstrdup(path);
	roles = json_object_get(root, "roles");
	if (!json_is_array(roles) || !json_array_size(roles)) {
		bad(err, path, "roles", "expected an array of roles");
		goto fail;
	}
	r->n = json_array_size(roles);
	r->names = crm_xcalloc(r->n, sizeof(*r->names));
	r->labels = crm_xcalloc(r->n, sizeof(*r->labels));
	r->key = crm_xcalloc(r->n, sizeof(*r->key));
	json_array_foreach(roles, i, v)
	{
		const char *name =
		    json_string_value(json_object_get(v, "name"));
		const char *label =
		    json_string_value(json_object_get(v, "label"));

		if (!name ||
		    !crm_str_of(name,
				"abcdefghijklmnopqrstuvwxyz_0123456789")) {
			bad(err, path, "roles.name",
			    "each role needs a name of a-z, 0-9 and _");
			goto fail;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(r->names[k], name)) {
				bad(err, path, "roles.name",
				    "a role is named twice");
				goto fail;
			}
		r->names[i] = crm_xstrdup(name);
		r->labels[i] = crm_xstrdup(label ? label : name);
		r->key[i] = json_is_true(json_object_get(v, "key"));
	}
	req = json_object_get(root, "required");
	if (req && !json_is_array(req)) {
		bad(err, path, "required", "expected an array of role names");
		goto fail;
	}
	r->required = crm_xcalloc(json_array_size(req) + 1, sizeof(char *));
	json_array_foreach(req, i, v)
	{
		if (!json_is_string(v) ||
		    crm_roles_find(r, json_string_value(v)) < 0) {
			bad(err, path, "required", "names a role not in roles");
			goto fail;
		}
		r->required[r->nrequired++] = crm_xstrdup(json_string_value(v));
	}
	v = json_object_get(root, "after_stage");
	if (v && !json_is_string(v)) {
		bad(err, path, "after_stage", "expected a stage name");
		goto fail;
	}
	r->after_stage =
	    crm_xstrdup(v ? json_string_value(v) : "qualification");
	v = json_object_get(root, "stale_days");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1)) {
		bad(err, path, "stale_days", "expected a whole number of days");
		goto fail;
	}
	r->stale_days = v ? (long)json_integer_value(v) : 30;
	return 0;
fail:
	crm_roles_release(r);
	return -1;
}

int crm_roles_load(const char *path, struct crm_roles *r, struct crm_err *err)
{
	memset(r, 0, sizeof(*r));
	return crm_config_read(path, "roles ", "a JSON object", parse_roles, r,
			       err);
}

const struct crm_roles *crm_roles_get(struct crm_err *err)
{
	static struct crm_roles cached;
	static bool loaded;
	const char *env = getenv("CRM_ROLES");
	char *path;

	if (loaded)
		return &cached;
	path = env && *env ? crm_xstrdup(env) : crm_share_path("roles.json");
	if (crm_roles_load(path, &cached, err) == 0)
		loaded = true;
	free(path);
	return loaded ? &cached : NULL;
}

/* -- the power map ------------------------------------------------------- */

static long level(const char *const *names, const char *s)
{
	for (long i = 0; s && names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

struct pm_build {
	struct crm_db *db;
	struct crm_powermap *pm;
	const struct crm_roles *r;
	size_t cap;
	long *best; /* influence level of the row each person took */
	bool *key;
	int64_t *mgr; /* reports_to_id of each person */
	crm_time now;
	long stale_days;
};

static void add_csv(char **list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = *list; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, item, n))
			return;
		p += k + (p[k] == ',');
	}
	if (!*list || !**list) {
		free(*list);
		*list = crm_xstrdup(item);
	} else {
		char *s = crm_xasprintf("%s,%s", *list, item);
		free(*list);
		*list = s;
	}
}

static char *dup0(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

/* one role row: into its person (cols: contact_id, role, attitude,
 * influence, owner, first, last, email, title, reports_to_id, last) */
static int pm_row(struct crm_stmt *st, void *arg)
{
	struct pm_build *b = arg;
	struct crm_powermap *pm = b->pm;
	int64_t id = crm_stmt_int(st, 0);
	const char *role = crm_stmt_text(st, 1);
	long inf = level(influences, crm_stmt_text(st, 3)), ri;
	size_t i;

	for (i = 0; i < pm->n && pm->p[i].contact_id != id; i++)
		;
	if (i == pm->n) {
		const char *fn = crm_stmt_text(st, 5),
			   *ln = crm_stmt_text(st, 6),
			   *em = crm_stmt_text(st, 7);
		struct crm_buf name = {0};
		size_t old = b->cap;

		if (fn)
			crm_buf_adds(&name, fn);
		if (ln)
			crm_buf_addf(&name, "%s%s", name.len ? " " : "", ln);
		if (!name.len && em)
			crm_buf_adds(&name, em);
		pm->p = crm_xgrow(pm->p, &b->cap, pm->n + 1, sizeof(*pm->p));
		if (b->cap != old) {
			b->best =
			    crm_xrealloc(b->best, b->cap * sizeof(*b->best));
			b->key = crm_xrealloc(b->key, b->cap * sizeof(*b->key));
			b->mgr = crm_xrealloc(b->mgr, b->cap * sizeof(*b->mgr));
		}
		pm->p[i] = (struct crm_pm_person){
		    .contact_id = id,
		    .name = crm_xstrdup(crm_buf_str(&name)),
		    .title = dup0(crm_stmt_text(st, 8)),
		    .last = dup0(crm_stmt_text(st, 10)),
		    .days = -1,
		};
		b->best[i] = -1;
		b->key[i] = false;
		b->mgr[i] = crm_stmt_int(st, 9);
		crm_buf_release(&name);
		pm->n++;
	}
	add_csv(&pm->p[i].roles, role ? role : "");
	ri = role ? crm_roles_find(b->r, role) : -1;
	if (ri >= 0 && b->r->key[ri])
		b->key[i] = true;
	if (inf >= b->best[i]) {
		b->best[i] = inf;
		free(pm->p[i].attitude);
		free(pm->p[i].influence);
		free(pm->p[i].owner);
		pm->p[i].attitude = dup0(crm_stmt_text(st, 2));
		pm->p[i].influence = dup0(crm_stmt_text(st, 3));
		pm->p[i].owner = dup0(crm_stmt_text(st, 4));
	}
	return 0;
}

static const struct crm_powermap *sort_pm;

static int cmp_pm(const void *a, const void *b)
{
	const struct crm_pm_person *x = &sort_pm->p[*(const size_t *)a],
				   *y = &sort_pm->p[*(const size_t *)b];
	int c = strcmp(x->name, y->name);

	return c ? c : (x->contact_id < y->contact_id ? -1 : 1);
}

static long pm_index(const struct crm_powermap *pm, int64_t id)
{
	for (size_t i = 0; i < pm->n; i++)
		if (pm->p[i].contact_id == id)
			return (long)i;
	return -1;
}

/* parents (the nearest manager on the map), then tree order */
static int pm_tree(struct pm_build *b, struct crm_err *err)
{
	struct crm_powermap *pm = b->pm;
	size_t n = pm->n, *byname, *out, nout = 0, *stack, top;
	long *parent = crm_xcalloc(n + 1, sizeof(*parent));
	int *depth = crm_xcalloc(n + 1, sizeof(*depth));
	bool *done = crm_xcalloc(n + 1, sizeof(*done));
	struct crm_pm_person *np;

	for (size_t i = 0; i < n; i++) {
		int64_t m = b->mgr[i];

		parent[i] = -1;
		for (int steps = 0; m && steps < 1000; steps++) {
			if ((parent[i] = pm_index(pm, m)) >= 0)
				break;
			m = crm_dbq_int(
			    b->db, err,
			    "SELECT reports_to_id FROM contacts WHERE id = ?",
			    "i", m);
			if (m < 0)
				goto fail;
		}
		if (parent[i] == (long)i)
			parent[i] = -1;
	}
	byname = crm_xcalloc(n + 1, sizeof(*byname));
	for (size_t i = 0; i < n; i++)
		byname[i] = i;
	sort_pm = pm;
	if (n)
		qsort(byname, n, sizeof(*byname), cmp_pm);
	out = crm_xcalloc(n + 1, sizeof(*out));
	stack = crm_xcalloc(n + 1, sizeof(*stack));
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < n; r++) {
			size_t root = byname[r];

			if (done[root] || (!pass && parent[root] >= 0))
				continue;
			top = 0;
			stack[top++] = root;
			depth[root] = 0;
			while (top) {
				size_t i = stack[--top];
				if (done[i])
					continue;
				done[i] = true;
				out[nout++] = i;
				for (size_t k = n; k-- > 0;) {
					size_t c = byname[k];
					if (!done[c] && parent[c] == (long)i &&
					    top < n) {
						depth[c] = depth[i] + 1;
						stack[top++] = c;
					}
				}
			}
		}
	np = crm_xcalloc(n + 1, sizeof(*np));
	for (size_t k = 0; k < nout; k++) {
		size_t i = out[k];
		np[k] = pm->p[i];
		np[k].depth = depth[i];
		np[k].parent = parent[i] >= 0 ? pm->p[parent[i]].contact_id : 0;
	}
	/* key and mgr follow the new order */
	{
		bool *nk = crm_xcalloc(n + 1, sizeof(*nk));
		for (size_t k = 0; k < nout; k++)
			nk[k] = b->key[out[k]];
		memcpy(b->key, nk, n * sizeof(*nk));
		free(nk);
	}
	free(pm->p);
	pm->p = np;
	free(byname);
	free(out);
	free(stack);
	free(parent);
	free(depth);
	free(done);
	return 0;
fail:
	free(parent);
	free(depth);
	free(done);
	return -1;
}

static void pm_people_gaps(struct pm_build *b)
{
	struct crm_powermap *pm = b->pm;

	for (size_t i = 0; i < pm->n; i++) {
		struct crm_pm_person *x = &pm->p[i];
		bool high = x->influence && !strcmp(x->influence, "high");
		crm_time t;
		struct crm_err e2 = {0};
		char *flags = NULL;

		if (x->last && crm_datetime_parse(x->last, &t, &e2) == 0)
			x->days = (long)((b->now - t) / 86400);
		if ((b->key[i] || high) &&
		    (x->days < 0 || x->days > b->stale_days)) {
			add_csv(&flags, "stale");
			char *g =
			    x->days < 0
				? crm_xasprintf("%s (contact %lld): key "
						"person never met",
						x->name,
						(long long)x->contact_id)
				: crm_xasprintf(
				      "%s (contact %lld): key person with "
				      "no activity in %ld days (last %ld "
				      "days ago)",
				      x->name, (long long)x->contact_id,
				      b->stale_days, x->days);
			crm_strv_push(&pm->gaps, g);
			free(g);
		}
		if (high && x->attitude && !strcmp(x->attitude, "opponent")) {
			char *g = crm_xasprintf(
			    "%s (contact %lld): opponent with high influence",
			    x->name, (long long)x->contact_id);
			add_csv(&flags, "opponent");
			crm_strv_push(&pm->gaps, g);
			free(g);
		}
		x->flags = flags ? flags : crm_xstrdup("");
	}
}

/* the required roles of one open deal past the stage */
static int pm_deal_gaps(struct pm_build *b, const struct crm_pm_opts *o,
			int64_t deal, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(b->db, err,
				      "SELECT name, company_id, pipeline, "
				      "stage, status FROM deals WHERE id = ?",
				      "i", deal);
	const struct crm_pipelines *pls;
	const struct crm_pipeline *pl;
	const char *after = o->after_stage ? o->after_stage : b->r->after_stage;
	char *name = NULL, *pipe = NULL, *stage = NULL;
	int64_t company = 0;
	long at = -1, limit = -1;
	bool open = false;
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc > 0) {
		name = dup0(crm_stmt_text(st, 0));
		company = crm_stmt_int(st, 1);
		pipe = dup0(crm_stmt_text(st, 2));
		stage = dup0(crm_stmt_text(st, 3));
		open = crm_stmt_text(st, 4) &&
		       !strcmp(crm_stmt_text(st, 4), "open");
	}
	crm_stmt_reset(st);
	if (rc <= 0) {
		if (rc == 0)
			crm_err_set(err, CRM_EX_NOINPUT, "no deal %lld",
				    (long long)deal);
		goto out;
	}
	rc = -1;
	if (!(pls = crm_pipelines_get(err)))
		goto out;
	pl = crm_pipeline_find(pls, pipe);
	for (size_t i = 0; pl && i < pl->nstages; i++) {
		if (stage && !strcmp(pl->stages[i].name, stage))
			at = (long)i;
		if (!strcmp(pl->stages[i].name, after))
			limit = (long)i;
	}
	rc = 0;
	if (!open || at < 0 || limit < 0 || at <= limit)
		goto out;
	for (size_t k = 0; k < b->r->nrequired; k++) {
		const char *role = b->r->required[k];
		int64_t n = crm_dbq_int(b->db, err,
					"SELECT count(*) FROM contact_roles "
					"WHERE role = ? AND (deal_id = ? OR "
					"company_id = ?)",
					"sii", role, deal, company);

		if (n < 0) {
			rc = -1;
			goto out;
		}
		if (n == 0) {
			char *g = crm_xasprintf(
			    "deal %lld (%s) is past %s with no %s",
			    (long long)deal, name ? name : "", after, role);
			crm_strv_push(&b->pm->gaps, g);
			free(g);
		}
	}
out:
	free(name);
	free(pipe);
	free(stage);
	return rc < 0 ? -1 : 0;
}

#define PM_COLS                                                                \
	"SELECT r.contact_id, r.role, r.attitude, r.influence, r.owner, "      \
	"c.first_name, c.last_name, c.email, c.title, c.reports_to_id, "       \
	"c.last_activity_at FROM contact_roles r JOIN contacts c ON c.id = "   \
	"r.contact_id "

static int push_id(struct crm_stmt *st, void *ids)
{
	crm_strv_push(ids, crm_stmt_text(st, 0));
	return 0;
}

static int pm_run(struct crm_db *db, const struct crm_pm_opts *o,
		  struct crm_powermap *pm, const char *sql, int64_t a,
		  int64_t c, struct crm_err *err)
{
	struct pm_build b = {.db = db, .pm = pm};
	int rc = -1;

	if (!(b.r = crm_roles_get(err)) || crm_datetime_now(&b.now, err) < 0)
		return -1;
	b.stale_days = o->stale_days >= 0 ? o->stale_days : b.r->stale_days;
	if (o->after_stage) {
		const struct crm_pipelines *pls = crm_pipelines_get(err);
		bool found = false;

		if (!pls)
			return -1;
		for (size_t p = 0; p < pls->n; p++)
			for (size_t s = 0; s < pls->v[p].nstages; s++)
				found |= !strcmp(pls->v[p].stages[s].name,
						 o->after_stage);
		if (!found)
			return crm_err_set(err, CRM_EX_USAGE,
					   "--stage: no stage '%s' in any "
					   "pipeline",
					   o->after_stage);
	}
	rc = crm_dbq_each(db, err, pm_row, &b, sql, "ii", a, c);
	if (rc == 0)
		rc = pm_tree(&b, err);
	if (rc == 0)
		pm_people_gaps(&b);
	if (rc == 0 && pm->deal_id)
		rc = pm_deal_gaps(&b, o, pm->deal_id, err);
	if (rc == 0 && !pm->deal_id) {
		/* every open deal of the company */
		struct crm_strv ids = {0};

		rc = crm_dbq_each(db, err, push_id, &ids,
				  "SELECT id FROM deals WHERE company_id = ? "
				  "AND status = 'open' ORDER BY id",
				  "i", pm->company_id);
		for (size_t i = 0; rc == 0 && i < ids.n; i++)
			rc = pm_deal_gaps(&b, o, strtoll(ids.v[i], NULL, 10),
					  err);
		crm_strv_release(&ids);
	}
	free(b.best);
	free(b.key);
	free(b.mgr);
	return rc < 0 ? -1 : 0;
}

/* The map of what sql finds for id (and, on a deal, its company): the
 * title from title_sql (the company's id in its column 1 on a deal). */
static int powermap(struct crm_db *db, const struct crm_pm_opts *o,
		    struct crm_powermap *pm, const char *title_sql,
		    const char *what, int64_t id, const char *sql,
		    struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(db, err, title_sql, "i", id);
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc > 0) {
		pm->title = crm_xstrdup(
		    crm_stmt_text(st, 0) ? crm_stmt_text(st, 0) : "");
		if (pm->deal_id)
			pm->company_id = crm_stmt_int(st, 1);
	}
	crm_stmt_reset(st);
	if (rc == 0)
		crm_err_set(err, CRM_EX_NOINPUT, "no %s %lld", what,
			    (long long)id);
	if (rc <= 0)
		return -1;
	rc = pm_run(db, o, pm, sql, id, pm->deal_id ? pm->company_id : id, err);
	if (rc < 0) /* a failed call leaves the caller nothing to free */
		crm_powermap_release(pm);
	return rc;
}

int crm_powermap_deal(struct crm_db *db, int64_t deal,
		      const struct crm_pm_opts *o, struct crm_powermap *pm,
		      struct crm_err *err)
{
	memset(pm, 0, sizeof(*pm));
	pm->deal_id = deal;
	return powermap(db, o, pm,
			"SELECT name, company_id FROM deals WHERE id = ?",
			"deal", deal,
			PM_COLS "WHERE r.deal_id = ? OR (r.company_id = ? AND "
				"r.company_id IS NOT NULL) ORDER BY r.id",
			err);
}

int crm_powermap_company(struct crm_db *db, int64_t company,
			 const struct crm_pm_opts *o, struct crm_powermap *pm,
			 struct crm_err *err)
{
	memset(pm, 0, sizeof(*pm));
	pm->company_id = company;
	return powermap(db, o, pm, "SELECT name FROM companies WHERE id = ?",
			"company", company,
			PM_COLS "WHERE r.company_id = ? OR r.deal_id IN "
				"(SELECT id FROM deals WHERE company_id = ? "
				"AND status = 'open') ORDER BY r.id",
			err);
}

void crm_powermap_release(struct crm_powermap *pm)
{
	for (size_t i = 0; i < pm->n; i++) {
		struct crm_pm_person *x = &pm->p[i];
		free(x->name);
		free(x->title);
		free(x->roles);
		free(x->attitude);
		free(x->influence);
		free(x->owner);
		free(x->last);
		free(x->flags);
	}
	free(pm->p);
	free(pm->title);
	crm_strv_release(&pm->gaps);
	memset(pm, 0, sizeof(*pm));
}
