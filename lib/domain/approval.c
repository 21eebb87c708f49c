/* approval.c - approval processes: steps, approvers, decisions, timeouts
 * and escalation, and the lock on a pending approval's guarded fields. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "approval.h"
#include "config.h"
#include "dbq.h"
#include "filter.h"
#include "receivable.h"
#include "share.h"

/* -- approvers ------------------------------------------------------------ */

struct crm_approvers {
	struct approver_user {
		char *name, *manager;
		struct crm_strv roles;
	} * u;
	size_t n;
};

static struct {
	char *path;
	bool set;
	struct crm_approvers *a;
} approvers_file;

void crm_approvers_use(const char *path)
{
	free(approvers_file.path);
	approvers_file.path = path ? crm_xstrdup(path) : NULL;
	approvers_file.set = true;
	crm_approvers_free(approvers_file.a);
	approvers_file.a = NULL;
}

void crm_approvers_free(struct crm_approvers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->u[i].name);
		free(a->u[i].manager);
		crm_strv_release(&a->u[i].roles);
	}
	free(a->u);
	free(a);
}

static long user_index(const struct crm_approvers *a, const char *name)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (!strcmp(a->u[i].name, name))
			return (long)i;
	return -1;
}

struct crm_approvers *crm_approvers_parse(json_t *root, const char *name,
					  struct crm_err *err)
{
	struct crm_approvers *a = crm_xcalloc(1, sizeof(*a));
	json_t *users = json_object_get(root, "users"), *u, *v;
	const char *k, *key;
	char field[128];

	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "users")) {
			crm_err_at(err, CRM_EX_CONFIG, name, 0, key,
				   "unknown key");
			goto bad;
		}
	}
	if (!json_is_object(users)) {
		crm_err_at(err, CRM_EX_CONFIG, name, 0, "users",
			   "expected an object of users by name");
		goto bad;
	}
	a->u = crm_xcalloc(json_object_size(users) + 1, sizeof(*a->u));
	json_object_foreach(users, k, u)
	{
		struct approver_user *au = &a->u[a->n++];
		json_t *roles = json_object_get(u, "roles"), *r;
		json_t *mgr = json_object_get(u, "manager");
		size_t i;

		au->name = crm_xstrdup(k);
		if (!*k) {
			crm_err_at(err, CRM_EX_CONFIG, name, 0, "users",
				   "empty user name");
			goto bad;
		}
		if (!json_is_object(u)) {
			snprintf(field, sizeof(field), "users.%s", k);
			crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
				   "expected an object with roles and manager");
			goto bad;
		}
		json_object_foreach(u, key, v)
		{
			if (strcmp(key, "roles") && strcmp(key, "manager")) {
				snprintf(field, sizeof(field), "users.%s.%s", k,
					 key);
				crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
					   "unknown key");
				goto bad;
			}
		}
		snprintf(field, sizeof(field), "users.%s.roles", k);
		if (roles && !json_is_array(roles)) {
			crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
				   "expected an array of role names");
			goto bad;
		}
		json_array_foreach(roles, i, r)
		{
			if (!json_is_string(r) || !*json_string_value(r)) {
				crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
					   "expected an array of role names");
				goto bad;
			}
			crm_strv_push(&au->roles, json_string_value(r));
		}
		snprintf(field, sizeof(field), "users.%s.manager", k);
		if (mgr && !json_is_null(mgr) && !json_is_string(mgr)) {
			crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
				   "expected a user name");
			goto bad;
		}
		if (json_is_string(mgr))
			au->manager = crm_xstrdup(json_string_value(mgr));
	}
	/* managers are users, and no one manages themselves in a circle */
	for (size_t i = 0; i < a->n; i++) {
		const char *m = a->u[i].manager;
		size_t hops = 0;

		if (!m)
			continue;
		snprintf(field, sizeof(field), "users.%s.manager",
			 a->u[i].name);
		if (user_index(a, m) < 0) {
			crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
				   "unknown user '%s'", m);
			goto bad;
		}
		for (long j = (long)i; j >= 0 && a->u[j].manager;
		     j = user_index(a, a->u[j].manager))
			if (++hops > a->n) {
				crm_err_at(err, CRM_EX_CONFIG, name, 0, field,
					   "managers form a cycle");
				goto bad;
			}
	}
	return a;
bad:
	crm_approvers_free(a);
	return NULL;
}

const struct crm_approvers *crm_approvers_get(struct crm_err *err)
{
	char *path;
	json_t *root = NULL;

	if (approvers_file.a)
		return approvers_file.a;
	if (approvers_file.set && approvers_file.path)
		path = crm_xstrdup(approvers_file.path);
	else if (getenv("CRM_APPROVERS") && *getenv("CRM_APPROVERS"))
		path = crm_xstrdup(getenv("CRM_APPROVERS"));
	else
		path = crm_share_path("approvers.json");
	if (crm_config_load(path, "approvers ", NULL, "expected an object",
			    &root, err) == 0)
		approvers_file.a = crm_approvers_parse(root, path, err);
	json_decref(root);
	free(path);
	return approvers_file.a;
}

const char *crm_approvers_manager(const struct crm_approvers *a,
				  const char *user)
{
	long i = user ? user_index(a, user) : -1;

	return i < 0 ? NULL : a->u[i].manager;
}

size_t crm_approvers_with_role(const struct crm_approvers *a, const char *role,
			       struct crm_strv *out)
{
	struct crm_strv found = {0};
	size_t n;

	for (size_t i = 0; a && i < a->n; i++)
		if (crm_strv_find(&a->u[i].roles, role) >= 0)
			crm_strv_push(&found, a->u[i].name);
	if (found.n)
		qsort(found.v, found.n, sizeof(*found.v), crm_str_cmp);
	for (size_t i = 0; i < found.n; i++)
		crm_strv_push(out, found.v[i]);
	n = found.n;
	crm_strv_release(&found);
	return n;
}

/* -- the spec ------------------------------------------------------------- */

static bool approver_ok(const char *s)
{
	if (!strcmp(s, "manager"))
		return true;
	if (!strncmp(s, "user:", 5) || !strncmp(s, "role:", 5))
		return s[5] != '\0';
	if (!strncmp(s, "manager:", 8))
		return s[8] != '\0';
	return false;
}

static int check_approvers(const json_t *list, const char *file,
			   const char *field, bool required,
			   struct crm_err *err)
{
	size_t i;
	json_t *v;

	if (!list && !required)
		return 0;
	if (!json_is_array(list) || !json_array_size(list))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0, field,
				  "expected an array of approvers "
				  "(\"user:NAME\", \"role:NAME\", "
				  "\"manager:FIELD\")");
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v) || !approver_ok(json_string_value(v)))
			return crm_err_at(
			    err, CRM_EX_CONFIG, file, 0, field,
			    "approver %zu: expected \"user:NAME\", "
			    "\"role:NAME\", \"manager\" or \"manager:FIELD\"",
			    i + 1);
	}
	return 0;
}

static int check_when(const json_t *w, const char *file, const char *field,
		      struct crm_err *err)
{
	struct crm_cond c;
	struct crm_err e2 = {0};
	size_t i;
	json_t *v;

	if (!w)
		return 0;
	if (json_is_string(w)) {
		if (crm_filter_parse(json_string_value(w), &c, &e2) < 0)
			return crm_err_at(err, CRM_EX_CONFIG, file, 0, field,
					  "%s", e2.msg);
		crm_cond_release(&c);
		return 0;
	}
	if (!json_is_array(w))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0, field,
				  "expected \"field OP value\" or an array of "
				  "them");
	json_array_foreach(w, i, v)
	{
		if (!json_is_string(v))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0, field,
					  "expected \"field OP value\" or an "
					  "array of them");
		if (crm_filter_parse(json_string_value(v), &c, &e2) < 0)
			return crm_err_at(err, CRM_EX_CONFIG, file, 0, field,
					  "%s", e2.msg);
		crm_cond_release(&c);
	}
	return 0;
}

static bool one_of(const char *k, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

/* A step's timeout: a duration above 0 ("48h", "2d"). */
static bool is_timeout(const json_t *j)
{
	int64_t d;

	return json_is_string(j) &&
	       crm_parse_duration(json_string_value(j), &d) == 0 && d > 0;
}

int crm_approval_spec_check(const json_t *spec, const char *file,
			    const char *where, struct crm_err *err)
{
	static const char *const top[] = {"name", "lock", "steps", NULL};
	static const char *const stepk[] = {
	    "name",    "when",	   "approvers",	       "rule",
	    "timeout", "escalate", "escalate_timeout", NULL};
	const json_t *steps, *lock, *v, *st;
	const char *k;
	char f[160];
	size_t i;

#define FIELD(...) (snprintf(f, sizeof(f), __VA_ARGS__), f)
	if (!json_is_object(spec))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0, where,
				  "expected an approval process object");
	json_object_foreach((json_t *)spec, k, v)
	{
		if (!one_of(k, top))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0,
					  FIELD("%s.%s", where, k),
					  "unknown key");
	}
	v = json_object_get(spec, "name");
	if (!json_is_string(v) || !*json_string_value(v))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0,
				  FIELD("%s.name", where),
				  "expected the process's name");
	lock = json_object_get(spec, "lock");
	if (lock && !json_is_array(lock))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0,
				  FIELD("%s.lock", where),
				  "expected an array of field names");
	json_array_foreach(lock, i, v)
	{
		if (!json_is_string(v) || !*json_string_value(v) ||
		    strchr(json_string_value(v), ','))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0,
					  FIELD("%s.lock", where),
					  "expected an array of field names");
	}
	steps = json_object_get(spec, "steps");
	if (!json_is_array(steps) || !json_array_size(steps))
		return crm_err_at(err, CRM_EX_CONFIG, file, 0,
				  FIELD("%s.steps", where),
				  "expected an array of steps");
	json_array_foreach(steps, i, st)
	{
		const json_t *r = json_object_get(st, "rule");
		const json_t *t = json_object_get(st, "timeout");
		const json_t *et = json_object_get(st, "escalate_timeout");

		if (!json_is_object(st))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0,
					  FIELD("%s.steps[%zu]", where, i),
					  "expected a step object");
		json_object_foreach((json_t *)st, k, v)
		{
			if (!one_of(k, stepk))
				return crm_err_at(
				    err, CRM_EX_CONFIG, file, 0,
				    FIELD("%s.steps[%zu].%s", where, i, k),
				    "unknown key");
		}
		v = json_object_get(st, "name");
		if (v && !json_is_string(v))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0,
					  FIELD("%s.steps[%zu].name", where, i),
					  "expected a string");
		if (check_when(json_object_get(st, "when"), file,
			       FIELD("%s.steps[%zu].when", where, i),
			       err) < 0 ||
		    check_approvers(json_object_get(st, "approvers"), file,
				    FIELD("%s.steps[%zu].approvers", where, i),
				    true, err) < 0 ||
		    check_approvers(json_object_get(st, "escalate"), file,
				    FIELD("%s.steps[%zu].escalate", where, i),
				    false, err) < 0)
			return -1;
		if (r && (!json_is_string(r) ||
			  (strcmp(json_string_value(r), "one") &&
			   strcmp(json_string_value(r), "all"))))
			return crm_err_at(err, CRM_EX_CONFIG, file, 0,
					  FIELD("%s.steps[%zu].rule", where, i),
					  "expected \"one\" or \"all\"");
		if (t && !is_timeout(t))
			return crm_err_at(
			    err, CRM_EX_CONFIG, file, 0,
			    FIELD("%s.steps[%zu].timeout", where, i),
			    "expected a duration such as 48h or 2d");
		if (et && !is_timeout(et))
			return crm_err_at(
			    err, CRM_EX_CONFIG, file, 0,
			    FIELD("%s.steps[%zu].escalate_timeout", where, i),
			    "expected a duration such as 48h or 2d");
		if (json_object_get(st, "escalate") && !t)
			return crm_err_at(
			    err, CRM_EX_CONFIG, file, 0,
			    FIELD("%s.steps[%zu].escalate", where, i),
			    "escalation needs a timeout");
	}
#undef FIELD
	return 0;
}

/* -- values of a record -------------------------------------------------- */

/* The value of field name of row as text in buf ("" and false when null). */
static bool row_value(const struct crm_row *row, const char *name,
		      struct crm_buf *buf)
{
	long i = crm_entity_field(row->e, name);
	json_t *j;

	crm_buf_reset(buf);
	if (i >= 0) {
		if (!row->v[i])
			return false;
		crm_buf_adds(buf, row->v[i]);
		return true;
	}
	j = json_object_get(row->custom, name);
	if (!j || json_is_null(j))
		return false;
	if (json_is_string(j))
		crm_buf_adds(buf, json_string_value(j));
	else if (json_is_integer(j))
		crm_buf_addf(buf, "%lld", (long long)json_integer_value(j));
	else if (json_is_real(j))
		crm_buf_addf(buf, "%.17g", json_real_value(j));
	else if (json_is_boolean(j))
		crm_buf_adds(buf, json_is_true(j) ? "true" : "false");
	else {
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		crm_buf_adds(buf, s ? s : "");
		free(s);
	}
	return true;
}

static bool as_number(const char *s, double *d)
{
	char *end;

	if (!*s)
		return false;
	*d = strtod(s, &end);
	return !*end;
}

/* a and b compared as numbers when both are, else as text */
static int compare(const char *a, const char *b)
{
	double x, y;

	if (as_number(a, &x) && as_number(b, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

/* Whether op holds for a comparison's result cmp. */
static int op_holds(enum crm_op op, int cmp)
{
	switch (op) {
	case CRM_OP_EQ:
		return cmp == 0;
	case CRM_OP_NE:
		return cmp != 0;
	case CRM_OP_LT:
		return cmp < 0;
	case CRM_OP_LE:
		return cmp <= 0;
	case CRM_OP_GT:
		return cmp > 0;
	case CRM_OP_GE:
		return cmp >= 0;
	default:
		return 0;
	}
}

/* Whether "field OP value" holds for row: numbers compare as numbers (a
 * money field's value is read in the record's currency), the rest as
 * text; a null value holds only for != . */
static int cond_holds(const struct crm_row *row, const char *expr,
		      struct crm_err *err)
{
	struct crm_cond c;
	struct crm_buf have = {0}, want = {0};
	long fi;
	int rc;

	if (crm_filter_parse(expr, &c, err) < 0)
		return -1;
	fi = crm_entity_field(row->e, c.field);
	crm_buf_adds(&want, c.value);
	if (fi >= 0 && *c.value && c.op != CRM_OP_HAS) {
		const struct crm_field *f = &row->e->fields[fi];
		const char *cur = f->type == CRM_T_MONEY && f->ref
				      ? crm_row_get(row, f->ref)
				      : NULL;
		struct crm_err e2 = {0};

		if (crm_field_parse(f, c.value, cur, &want, &e2) < 0) {
			crm_buf_reset(&want);
			crm_buf_adds(&want, c.value);
		}
	}
	if (!row_value(row, c.field, &have))
		rc = c.op == CRM_OP_NE;
	else if (c.op == CRM_OP_HAS)
		rc = strcasestr(crm_buf_str(&have), crm_buf_str(&want)) != NULL;
	else
		rc = op_holds(c.op,
			      compare(crm_buf_str(&have), crm_buf_str(&want)));
	crm_cond_release(&c);
	crm_buf_release(&have);
	crm_buf_release(&want);
	return rc;
}

/* Whether a step's "when" (none, one condition or an array: all) holds. */
static int when_holds(const struct crm_row *row, const json_t *w,
		      struct crm_err *err)
{
	size_t i;
	json_t *v;

	if (!w)
		return 1;
	if (json_is_string(w))
		return cond_holds(row, json_string_value(w), err);
	json_array_foreach(w, i, v)
	{
		int h = cond_holds(row, json_string_value(v), err);
		if (h <= 0)
			return h;
	}
	return 1;
}

/* -- the approval in the database ---------------------------------------- */

struct appr {
	int64_t id, record_id;
	char *process, *entity, *status, *locks, *flow;
	int64_t step; /* index into steps */
	bool escalated;
	json_t *spec;
	const struct crm_entity *e;
	struct crm_row row; /* the record (loaded by load_record) */
	bool row_loaded;
};

static void appr_release(struct appr *a)
{
	free(a->process);
	free(a->entity);
	free(a->status);
	free(a->locks);
	free(a->flow);
	json_decref(a->spec);
	if (a->row_loaded)
		crm_row_release(&a->row);
	memset(a, 0, sizeof(*a));
}

static int appr_row(struct crm_stmt *st, void *arg)
{
	struct appr *a = arg;

	crm_stmt_getf(st, "ssisibs-s", &a->process, &a->entity, &a->record_id,
		      &a->status, &a->step, &a->escalated, &a->locks, &a->flow);
	a->spec = json_loads(crm_stmt_text(st, 7), 0, NULL);
	return 0;
}

/* 1 loaded, 0 no such approval, -1 error. */
static int appr_load(struct crm_db *db, int64_t id, struct appr *a,
		     struct crm_err *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	rc = crm_dbq_row(db, err, appr_row, a,
			 "SELECT process, entity, record_id, status, step, "
			 "escalated, locks, spec, flow FROM crm_approvals "
			 "WHERE id = ?",
			 "i", id);
	if (rc > 0)
		a->id = id;
	if (rc > 0 && (!a->spec || !a->process || !a->entity || !a->status)) {
		appr_release(a);
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "approval %lld: damaged record",
				   (long long)id);
	}
	if (rc > 0)
		a->e = crm_entity_by_name(a->entity);
	return rc;
}

static int load_record(struct crm_db *db, struct appr *a, struct crm_err *err)
{
	int rc;

	if (a->row_loaded)
		return 0;
	if (!a->e)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "approval %lld: unknown entity '%s'",
				   (long long)a->id, a->entity);
	crm_row_init(&a->row, a->e);
	a->row_loaded = true;
	rc = crm_entity_get(db, a->e, a->record_id, &a->row, err);
	if (rc == 0 && !a->id)
		return crm_err_set(err, CRM_EX_NOINPUT, "no %s %lld", a->entity,
				   (long long)a->record_id);
	if (rc == 0)
		return crm_err_set(
		    err, CRM_EX_NOINPUT, "approval %lld: no %s %lld",
		    (long long)a->id, a->entity, (long long)a->record_id);
	return rc < 0 ? -1 : 0;
}

static const json_t *step_of(const struct appr *a, int64_t k)
{
	return json_array_get(json_object_get(a->spec, "steps"), (size_t)k);
}

static char *step_label(const struct appr *a, int64_t k)
{
	const char *n =
	    json_string_value(json_object_get(step_of(a, k), "name"));

	return n ? crm_xasprintf("%lld (%s)", (long long)k + 1, n)
		 : crm_xasprintf("%lld", (long long)k + 1);
}

static int add_event(struct crm_db *db, int64_t id, int64_t step,
		     const char *event, const char *actor, const char *comment,
		     struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	/* step is 0-based, stored 1-based; -1 (none) stores NULL */
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO crm_approval_events (approval_id, at, step, event, "
	    "actor, comment) VALUES (?, ?, ?, ?, ?, ?)",
	    "isIsss", id, crm_datetime_format(db->now, now),
	    step >= 0 ? step + 1 : (int64_t)0, event, actor, comment);
}

/* One change set in the change log for an approval's event: entity
 * "approval", the approval's id, before {"status", "step"} and after the
 * event (outcome set when it is one). The caller's change set, if any, is
 * open again afterwards. */
static int log_change(struct crm_db *db, const char *command,
		      const struct appr *a, const char *old_status,
		      int64_t old_step, json_t *after, struct crm_err *err)
{
	int64_t keep = db->change;
	json_t *before = json_pack("{s:s, s:I}", "status", old_status, "step",
				   (json_int_t)old_step + 1);
	char *bj, *aj;
	int rc = -1;

	json_object_set_new(after, "process", json_string(a->process));
	json_object_set_new(after, "entity", json_string(a->entity));
	json_object_set_new(after, "record_id", json_integer(a->record_id));
	bj = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	if (crm_db_change(db, command, "approval", err) == 0 &&
	    crm_db_audit(db, "approval", a->id,
			 strcmp(command, "approval") ? "update" : "insert",
			 strcmp(command, "approval") ? bj : NULL, aj,
			 err) == 0) {
		/* the events written since belong to this change set */
		rc = crm_dbq_run(db, err,
				 "UPDATE crm_approval_events SET change_id = ? "
				 "WHERE approval_id = ? AND change_id IS NULL",
				 "ii", db->change, a->id);
	}
	free(bj);
	free(aj);
	json_decref(before);
	json_decref(after);
	/* the caller's writes (a flow's next action) are not this change */
	db->change = keep;
	return rc;
}

/* Resolve approver specs (strings) to user names for a's record. */
static int resolve(struct crm_db *db, struct appr *a, const json_t *list,
		   struct crm_strv *users, struct crm_strv *via,
		   struct crm_err *err)
{
	const struct crm_approvers *conf = NULL;
	struct crm_buf v = {0};
	size_t i;
	json_t *j;
	int rc = -1;

	json_array_foreach(list, i, j)
	{
		const char *s = json_string_value(j);
		struct crm_strv got = {0};

		if (!strncmp(s, "user:", 5)) {
			crm_strv_push(&got, s + 5);
		} else {
			const char *field =
			    !strcmp(s, "manager") ? "owner" : s + 8;

			if (!conf && !(conf = crm_approvers_get(err)))
				goto out;
			if (!strncmp(s, "role:", 5)) {
				if (!crm_approvers_with_role(conf, s + 5,
							     &got)) {
					crm_strv_release(&got);
					crm_err_at(err, CRM_EX_CONFIG, NULL, 0,
						   NULL,
						   "approval '%s': no user has "
						   "role '%s' in the approvers "
						   "file",
						   a->process, s + 5);
					goto out;
				}
			} else {
				const char *m;

				if (load_record(db, a, err) < 0) {
					crm_strv_release(&got);
					goto out;
				}
				if (!row_value(&a->row, field, &v)) {
					crm_strv_release(&got);
					crm_err_set(err, CRM_EX_DATAERR,
						    "%s %lld has no %s, whose "
						    "manager must approve",
						    a->entity,
						    (long long)a->record_id,
						    field);
					goto out;
				}
				m = crm_approvers_manager(conf,
							  crm_buf_str(&v));
				if (!m) {
					crm_strv_release(&got);
					crm_err_set(err, CRM_EX_DATAERR,
						    "%s %lld: %s '%s' has no "
						    "manager in the approvers "
						    "file",
						    a->entity,
						    (long long)a->record_id,
						    field, crm_buf_str(&v));
					goto out;
				}
				crm_strv_push(&got, m);
			}
		}
		for (size_t k = 0; k < got.n; k++)
			if (crm_strv_find(users, got.v[k]) < 0) {
				crm_strv_push(users, got.v[k]);
				crm_strv_push(via, s);
			}
		crm_strv_release(&got);
	}
	rc = 0;
out:
	crm_buf_release(&v);
	return rc;
}

static int add_approvers(struct crm_db *db, int64_t id, int64_t step,
			 const struct crm_strv *users,
			 const struct crm_strv *via, struct crm_err *err)
{
	for (size_t i = 0; i < users->n; i++)
		if (crm_dbq_run(db, err,
				"INSERT INTO crm_approval_approvers "
				"(approval_id, step, approver, via, state) "
				"VALUES (?, ?, ?, ?, 'waiting')",
				"iiss", id, step + 1, users->v[i],
				via->v[i]) < 0)
			return -1;
	return 0;
}

static void join(const struct crm_strv *sv, struct crm_buf *out)
{
	crm_buf_reset(out);
	for (size_t i = 0; i < sv->n; i++)
		crm_buf_addf(out, "%s%s", i ? ", " : "", sv->v[i]);
}

/* The write transaction (db->tx) that last wrote crm_approvals in this
 * process (see may_lock). */
static uint64_t approvals_tx;

static int set_state(struct crm_db *db, const struct appr *a,
		     const char *status, int64_t step, const char *due,
		     bool escalated, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	approvals_tx = db->tx;
	return crm_dbq_run(
	    db, err,
	    "UPDATE crm_approvals SET status = ?, step = ?, due_at = ?, "
	    "escalated = ?, decided_at = ? WHERE id = ?",
	    "sisisi", status, step, due, (int64_t)escalated,
	    strcmp(status, "pending") ? crm_datetime_format(db->now, now)
				      : NULL,
	    a->id);
}

/* The approvers a step goes to: their names, the spec each came by, and
 * the names joined for the history. */
struct picked {
	struct crm_strv users, via;
	struct crm_buf who;
};

static void picked_release(struct picked *p)
{
	crm_strv_release(&p->users);
	crm_strv_release(&p->via);
	crm_buf_release(&p->who);
}

/* Move a to the first step from k on whose "when" holds (skipping the
 * others), or approve it when none is left. *outcome: "approved" or
 * NULL. */
static int next_step(struct crm_db *db, struct appr *a, int64_t k,
		     const char **outcome, struct crm_err *err)
{
	const json_t *steps = json_object_get(a->spec, "steps");
	struct picked p = {0};
	int rc = -1;

	*outcome = NULL;
	for (; k < (int64_t)json_array_size(steps); k++) {
		const json_t *s = step_of(a, k);
		const json_t *w = json_object_get(s, "when");
		int h;

		if (w && load_record(db, a, err) < 0)
			goto out;
		h = w ? when_holds(&a->row, w, err) : 1;
		if (h < 0)
			goto out;
		if (h)
			break;
		if (add_event(db, a->id, k, "skipped", NULL,
			      "its condition does not hold", err) < 0)
			goto out;
	}
	if (k >= (int64_t)json_array_size(steps)) {
		if (set_state(db, a, "approved", k - 1, NULL, false, err) < 0 ||
		    add_event(db, a->id, -1, "approved", NULL, NULL, err) < 0)
			goto out;
		*outcome = "approved";
		rc = 0;
		goto out;
	} else {
		const json_t *s = step_of(a, k);
		const char *t =
		    json_string_value(json_object_get(s, "timeout"));
		char due[CRM_TIME_LEN];
		int64_t secs = 0;

		if (resolve(db, a, json_object_get(s, "approvers"), &p.users,
			    &p.via, err) < 0 ||
		    add_approvers(db, a->id, k, &p.users, &p.via, err) < 0)
			goto out;
		if (t)
			crm_parse_duration(t, &secs);
		if (t)
			crm_datetime_format(db->now + secs, due);
		if (set_state(db, a, "pending", k, t ? due : NULL, false, err) <
		    0)
			goto out;
		join(&p.users, &p.who);
		if (add_event(db, a->id, k, "step", NULL, crm_buf_str(&p.who),
			      err) < 0)
			goto out;
		a->step = k;
	}
	rc = 0;
out:
	picked_release(&p);
	return rc;
}

int crm_approval_pending(struct crm_db *db, const struct crm_entity *e,
			 int64_t id, const char *process, int64_t *approval,
			 struct crm_err *err)
{
	*approval = 0;
	return crm_dbq_step(db, err, approval,
			    "SELECT id FROM crm_approvals WHERE entity = ? AND "
			    "record_id = ? AND process = ? AND status = "
			    "'pending' ORDER BY id",
			    "sis", e->name, id, process);
}

int crm_approval_start(struct crm_db *db, const struct crm_entity *e,
		       int64_t id, const json_t *spec, const char *flow,
		       int64_t *out, struct crm_err *err)
{
	const json_t *lock = json_object_get(spec, "lock"), *v;
	const char *process = json_string_value(json_object_get(spec, "name"));
	struct crm_buf locks = {0};
	char now[CRM_TIME_LEN], *sj = NULL;
	struct appr a = {0};
	const char *outcome;
	int64_t pid = 0;
	size_t i;
	int rc = -1, got;

	*out = 0;
	if (crm_approval_spec_check(spec, NULL, "process", err) < 0)
		return -1;
	a.process = crm_xstrdup(process);
	a.entity = crm_xstrdup(e->name);
	a.status = crm_xstrdup("pending");
	a.record_id = id;
	a.e = e;
	a.spec = json_deep_copy(spec);
	if (load_record(db, &a, err) < 0)
		goto out;
	got = crm_approval_pending(db, e, id, process, &pid, err);
	if (got > 0)
		crm_err_set(err, CRM_EX_DATAERR,
			    "%s %lld already waits for approval %lld (%s)",
			    e->name, (long long)id, (long long)pid, process);
	if (got != 0)
		goto out;
	json_array_foreach(lock, i, v)
	    crm_buf_addf(&locks, "%s%s", i ? "," : "", json_string_value(v));
	sj = json_dumps(spec, JSON_COMPACT);
	approvals_tx = db->tx;
	got = crm_dbq_step(
	    db, err, &a.id,
	    "INSERT INTO crm_approvals (process, entity, record_id, status, "
	    "step, locks, spec, flow, requested_by, created_at, escalated) "
	    "VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, 0) RETURNING id",
	    "ssisssss", process, e->name, id,
	    locks.len ? crm_buf_str(&locks) : NULL, sj, flow, db->actor,
	    crm_datetime_format(db->now, now));
	free(sj);
	crm_buf_release(&locks);
	if (got <= 0) {
		if (got == 0)
			crm_err_set(err, CRM_EX_SOFTWARE, "no approval id");
		goto out;
	}
	if (add_event(db, a.id, -1, "requested", db->actor, flow, err) < 0 ||
	    next_step(db, &a, 0, &outcome, err) < 0 ||
	    log_change(db, "approval", &a, "none", -1,
		       json_pack("{s:s, s:s}", "event", "requested", "status",
				 "pending"),
		       err) < 0)
		goto out;
	if (outcome &&
	    (log_change(db, "approve", &a, "pending", 0,
			json_pack("{s:s, s:s, s:s}", "event", "approved",
				  "status", "approved", "outcome", "approved"),
			err) < 0 ||
	     crm_approval_emit(db, a.id, a.process, a.entity, a.record_id,
			       outcome, err) < 0))
		goto out;
	*out = a.id;
	rc = 0;
out:
	appr_release(&a);
	return rc;
}

/* The state of user's place on step (1-based) of approval id: 1 and
 * *state (caller frees) when user is an approver of it, 0 when not. */
static int approver_state(struct crm_db *db, int64_t id, int64_t step,
			  const char *user, char **state, struct crm_err *err)
{
	return crm_dbq_text(db, err, state,
			    "SELECT state FROM crm_approval_approvers WHERE "
			    "approval_id = ? AND step = ? AND approver = ?",
			    "iis", id, step, user);
}

struct waiting {
	struct crm_buf *out;
	size_t *n;
};

static int waiting_row(struct crm_stmt *st, void *arg)
{
	struct waiting *w = arg;

	crm_buf_addf(w->out, "%s%s", (*w->n)++ ? "," : "",
		     crm_stmt_text(st, 0));
	return 0;
}

/* The users still waiting on step (1-based), comma-separated in out. */
static int waiting(struct crm_db *db, int64_t id, int64_t step,
		   struct crm_buf *out, size_t *n, struct crm_err *err)
{
	struct waiting w = {out, n};

	crm_buf_reset(out);
	*n = 0;
	return crm_dbq_each(db, err, waiting_row, &w,
			    "SELECT approver FROM crm_approval_approvers WHERE "
			    "approval_id = ? AND step = ? AND state = "
			    "'waiting' ORDER BY approver",
			    "ii", id, step);
}

static int set_approver(struct crm_db *db, int64_t id, int64_t step,
			const char *user, const char *state,
			const char *comment, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	return crm_dbq_run(
	    db, err,
	    "UPDATE crm_approval_approvers SET state = ?, decided_at = ?, "
	    "comment = ? WHERE approval_id = ? AND step = ? AND approver = ?",
	    "sssiis", state, crm_datetime_format(db->now, now), comment, id,
	    step, user);
}

int crm_approval_decide(struct crm_db *db, int64_t id, const char *user,
			bool approve, const char *comment, const char **outcome,
			struct crm_err *err)
{
	struct appr a;
	struct crm_buf w = {0};
	char *state = NULL, *label = NULL;
	const char *rule, *done = NULL;
	int64_t step, old_step;
	size_t left = 0;
	json_t *after;
	int rc = -1, got;

	if (outcome)
		*outcome = NULL;
	if (!user || !*user)
		return crm_err_set(err, CRM_EX_USAGE, "who decides? (--as)");
	if (!approve && (!comment || !*comment))
		return crm_err_set(err, CRM_EX_USAGE,
				   "a rejection needs --reason");
	got = appr_load(db, id, &a, err);
	if (got <= 0)
		return got == 0 ? crm_err_set(err, CRM_EX_NOINPUT,
					      "no approval %lld", (long long)id)
				: -1;
	step = a.step + 1;
	old_step = a.step;
	label = step_label(&a, a.step);
	if (strcmp(a.status, "pending")) {
		crm_err_set(err, CRM_EX_DATAERR, "approval %lld is %s already",
			    (long long)id, a.status);
		goto out;
	}
	got = approver_state(db, id, step, user, &state, err);
	if (got < 0)
		goto out;
	if (got == 0 || !strcmp(state, "escalated")) {
		struct crm_strv names = {0};

		if (waiting(db, id, step, &w, &left, err) < 0)
			goto out;
		crm_strv_split(&names, crm_buf_str(&w), ',');
		join(&names, &w);
		crm_strv_release(&names);
		crm_err_set(err, CRM_EX_DATAERR,
			    "%s is not an approver of step %s of approval "
			    "%lld%s (waiting for %s)",
			    user, label, (long long)id,
			    got ? " since it was escalated" : "",
			    crm_buf_str(&w));
		goto out;
	}
	if (strcmp(state, "waiting")) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "%s %s step %s of approval %lld already", user,
			    state, label, (long long)id);
		goto out;
	}
	if (set_approver(db, id, step, user, approve ? "approved" : "rejected",
			 comment, err) < 0 ||
	    add_event(db, id, old_step, approve ? "approve" : "reject", user,
		      comment, err) < 0)
		goto out;
	rule = a.escalated ? "one"
			   : json_string_value(
				 json_object_get(step_of(&a, a.step), "rule"));
	if (!rule)
		rule = "one";
	if (!approve) {
		if (set_state(db, &a, "rejected", a.step, NULL, a.escalated,
			      err) < 0 ||
		    add_event(db, id, -1, "rejected", NULL, NULL, err) < 0)
			goto out;
		done = "rejected";
	} else {
		if (waiting(db, id, step, &w, &left, err) < 0)
			goto out;
		if (!strcmp(rule, "one") || !left) {
			/* the step is approved: the others need not decide */
			if (crm_dbq_run(db, err,
					"UPDATE crm_approval_approvers SET "
					"state = 'not needed' WHERE "
					"approval_id = ? AND step = ? AND "
					"state = 'waiting'",
					"ii", id, step) < 0 ||
			    next_step(db, &a, a.step + 1, &done, err) < 0)
				goto out;
		}
	}
	after = json_pack("{s:s, s:s, s:I, s:s}", "event",
			  approve ? "approve" : "reject", "by", user, "step",
			  (json_int_t)step, "status", done ? done : "pending");
	if (comment)
		json_object_set_new(after, "comment", json_string(comment));
	if (done)
		json_object_set_new(after, "outcome", json_string(done));
	if (!done && a.step != old_step)
		json_object_set_new(after, "next_step",
				    json_integer(a.step + 1));
	if (log_change(db, approve ? "approve" : "reject", &a, "pending",
		       old_step, after, err) < 0 ||
	    (done && crm_approval_emit(db, id, a.process, a.entity, a.record_id,
				       done, err) < 0))
		goto out;
	if (outcome)
		*outcome = done;
	rc = 0;
out:
	free(state);
	free(label);
	crm_buf_release(&w);
	appr_release(&a);
	return rc;
}

/* One timeout of a's current step: escalate or expire. */
static int time_out(struct crm_db *db, struct appr *a, struct crm_err *err)
{
	const json_t *s = step_of(a, a->step);
	const json_t *esc = json_object_get(s, "escalate");
	int64_t step = a->step + 1;
	struct picked p = {0};
	int rc = -1;

	if (esc && !a->escalated) {
		const char *t =
		    json_string_value(json_object_get(s, "escalate_timeout"));
		char due[CRM_TIME_LEN];
		int64_t secs = 0;

		if (!t)
			t = json_string_value(json_object_get(s, "timeout"));
		crm_parse_duration(t, &secs);
		if (resolve(db, a, esc, &p.users, &p.via, err) < 0)
			goto out;
		/* the step passes to the escalation approvers: those who
		 * have not decided may no longer */
		if (crm_dbq_run(db, err,
				"UPDATE crm_approval_approvers SET state = "
				"'escalated' WHERE approval_id = ? AND step = "
				"? AND state = 'waiting'",
				"ii", a->id, step) < 0)
			goto out;
		/* one already there (approved, or escalated) stays as is */
		for (size_t i = 0; i < p.users.n; i++) {
			char *state = NULL;
			int got = approver_state(db, a->id, step, p.users.v[i],
						 &state, err);

			/* (got stays 1: they are on the step already) */
			if (got > 0 && !strcmp(state, "escalated") &&
			    crm_dbq_run(
				db, err,
				"UPDATE crm_approval_approvers SET state = "
				"'waiting', via = 'escalation' WHERE "
				"approval_id = ? AND step = ? AND "
				"approver = ?",
				"iis", a->id, step, p.users.v[i]) < 0)
				got = -1;
			free(state);
			if (got < 0)
				goto out;
			if (!got) {
				struct crm_strv u1 = {0}, v1 = {0};
				crm_strv_push(&u1, p.users.v[i]);
				crm_strv_push(&v1, "escalation");
				got = add_approvers(db, a->id, a->step, &u1,
						    &v1, err);
				crm_strv_release(&u1);
				crm_strv_release(&v1);
				if (got < 0)
					goto out;
			}
		}
		crm_datetime_format(db->now + secs, due);
		join(&p.users, &p.who);
		if (set_state(db, a, "pending", a->step, due, true, err) < 0 ||
		    add_event(db, a->id, a->step, "escalated", NULL,
			      crm_buf_str(&p.who), err) < 0 ||
		    log_change(db, "escalate", a, "pending", a->step,
			       json_pack("{s:s, s:s, s:I, s:s, s:s}", "event",
					 "escalated", "status", "pending",
					 "step", (json_int_t)step, "to",
					 crm_buf_str(&p.who), "outcome",
					 "escalated"),
			       err) < 0 ||
		    crm_approval_emit(db, a->id, a->process, a->entity,
				      a->record_id, "escalated", err) < 0)
			goto out;
	} else {
		if (set_state(db, a, "expired", a->step, NULL, a->escalated,
			      err) < 0 ||
		    add_event(db, a->id, a->step, "expired", NULL, NULL, err) <
			0 ||
		    log_change(db, "expire", a, "pending", a->step,
			       json_pack("{s:s, s:s, s:I, s:s}", "event",
					 "expired", "status", "expired", "step",
					 (json_int_t)step, "outcome",
					 "expired"),
			       err) < 0 ||
		    crm_approval_emit(db, a->id, a->process, a->entity,
				      a->record_id, "expired", err) < 0)
			goto out;
	}
	rc = 0;
out:
	picked_release(&p);
	return rc;
}

static void id_row(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

int crm_approval_timeouts(struct crm_db *db, uint64_t *n, struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc;

	*n = 0;
	rc = crm_dbq_rows(db, err, &ids, &nids, sizeof(*ids), id_row,
			  "SELECT id FROM crm_approvals WHERE status = "
			  "'pending' AND due_at IS NOT NULL AND due_at <= ? "
			  "ORDER BY due_at, id",
			  "s", crm_datetime_format(db->now, now));
	for (size_t i = 0; rc == 0 && i < nids; i++) {
		struct appr a;
		int got = appr_load(db, ids[i], &a, err);

		if (got < 0) {
			rc = -1;
			break;
		}
		if (got && time_out(db, &a, err) < 0)
			rc = -1;
		else if (got)
			(*n)++;
		appr_release(&a);
	}
	free(ids);
	return rc < 0 ? -1 : 0;
}

/* -- the lock ----------------------------------------------------------- */

static bool same_value(const struct crm_row *old, const struct crm_row *row,
		       const char *name)
{
	long i = crm_entity_field(row->e, name);

	if (i >= 0) {
		const char *a = old->v[i], *b = row->v[i];
		return (!a && !b) || (a && b && !strcmp(a, b));
	}
	return json_equal(json_object_get(old->custom, name),
			  json_object_get(row->custom, name)) ||
	       (!json_object_get(old->custom, name) &&
		!json_object_get(row->custom, name));
}

struct guard {
	const struct crm_entity *e;
	const struct crm_row *old, *row;
	struct crm_err *err;
};

static int guard_row(struct crm_stmt *st, void *arg)
{
	const struct guard *g = arg;
	struct crm_strv f = {0};
	long bad = -1;

	crm_strv_split(&f, crm_stmt_text(st, 1), ',');
	for (size_t i = 0; bad < 0 && i < f.n; i++)
		if (!same_value(g->old, g->row, f.v[i]))
			bad = (long)i;
	if (bad >= 0)
		crm_err_set(g->err, CRM_EX_DATAERR,
			    "%s %lld: %s is locked by pending approval %lld",
			    g->e->name, (long long)crm_row_id(g->old), f.v[bad],
			    (long long)crm_stmt_int(st, 0));
	crm_strv_release(&f);
	return bad >= 0 ? -1 : 0;
}

/* Whether a pending approval locks fields of some record of an entity,
 * kept for the write transaction it was asked in (db->tx): while it holds
 * the writer nobody else writes crm_approvals. A transaction that wrote
 * crm_approvals itself (approvals_tx) asks per record, as a savepoint
 * rolled back may bring a pending approval back. A few entities at a
 * time, a new one in the place of the oldest. */
static struct locking {
	const struct crm_db *db;
	const struct crm_entity *e;
	uint64_t tx;
	bool any;
} locking[4];

/* 1 when a record of e may be locked (ask per record), 0 none, -1. */
static int may_lock(struct crm_db *db, const struct crm_entity *e,
		    struct crm_err *err)
{
	const size_t n = sizeof(locking) / sizeof(locking[0]);
	struct locking *l = NULL;
	int64_t any;

	if (!db->tx || approvals_tx == db->tx)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (locking[i].db == db && locking[i].e == e)
			l = &locking[i];
	if (l && l->tx == db->tx)
		return l->any;
	any = crm_dbq_int(db, err,
			  "SELECT 1 FROM crm_approvals WHERE entity = ? AND "
			  "status = 'pending' AND locks IS NOT NULL LIMIT 1",
			  "s", e->name);
	if (any < 0)
		return -1;
	if (!l) {
		memmove(&locking[1], &locking[0], (n - 1) * sizeof(*l));
		l = &locking[0];
	}
	*l = (struct locking){db, e, db->tx, any > 0};
	return l->any;
}

/* The entity engine's write guard (lib/entity/entity.h): an update of a
 * field that a pending approval of the record locks is refused. */
int crm_entity_guard(struct crm_db *db, const struct crm_entity *e,
		     const struct crm_row *old, const struct crm_row *row,
		     struct crm_err *err)
{
	struct guard g = {e, old, row, err};
	int may = may_lock(db, e, err);

	if (may <= 0)
		return may;
	return crm_dbq_each(db, err, guard_row, &g,
			    "SELECT id, locks FROM crm_approvals WHERE entity "
			    "= ? AND record_id = ? AND status = 'pending' AND "
			    "locks IS NOT NULL ORDER BY id",
			    "si", e->name, crm_row_id(old));
}

/* -- listing ----------------------------------------------------------- */

const char *const crm_approval_columns[] = {
    "id",	    "process",	  "entity",	 "record_id", "status",
    "step",	    "step_name",  "waiting_for", "due_at",    "flow",
    "requested_by", "created_at", "decided_at",	 NULL};
const char *const crm_approval_history_columns[] = {
    "approval_id", "at", "step", "event", "actor", "comment", NULL};

static void add_int(struct crm_rec *rec, const char *name, int64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	crm_rec_add(rec, name, strlen(name), num, strlen(num), CRM_RAW);
}

struct list {
	struct crm_db *db;
	struct crm_buf w;
	struct crm_err *err;
};

static int list_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	struct list *l = ctx;
	json_t *spec = json_loads(crm_stmt_text(st, 6), 0, NULL);
	const char *status = crm_stmt_text(st, 4);
	int64_t step = crm_stmt_int(st, 5);
	const char *name = json_string_value(json_object_get(
	    json_array_get(json_object_get(spec, "steps"), step), "name"));
	bool pending = !strcmp(status, "pending");
	size_t nw = 0;

	add_int(rec, "id", crm_stmt_int(st, 0));
	crm_rec_adds(rec, "process", crm_stmt_text(st, 1));
	crm_rec_adds(rec, "entity", crm_stmt_text(st, 2));
	add_int(rec, "record_id", crm_stmt_int(st, 3));
	crm_rec_adds(rec, "status", status);
	add_int(rec, "step", step + 1);
	crm_rec_adds(rec, "step_name", name);
	crm_buf_reset(&l->w);
	if (pending && waiting(l->db, crm_stmt_int(st, 0), step + 1, &l->w, &nw,
			       l->err) < 0) {
		json_decref(spec);
		return -1;
	}
	crm_rec_adds(rec, "waiting_for", nw ? crm_buf_str(&l->w) : NULL);
	crm_rec_adds(rec, "due_at", crm_stmt_text(st, 7));
	crm_rec_adds(rec, "flow", crm_stmt_text(st, 8));
	crm_rec_adds(rec, "requested_by", crm_stmt_text(st, 9));
	crm_rec_adds(rec, "created_at", crm_stmt_text(st, 10));
	crm_rec_adds(rec, "decided_at", crm_stmt_text(st, 11));
	json_decref(spec);
	return 0;
}

int crm_approval_list(struct crm_db *db, const struct crm_approval_query *q,
		      int (*fn)(const struct crm_rec *rec, void *arg),
		      void *arg, struct crm_err *err)
{
	struct list l = {db, {0}, err};
	struct crm_recs r = {list_row, &l, fn, arg};
	int rc = crm_recs_each(
	    crm_dbq(
		db, err,
		"SELECT a.id, a.process, a.entity, a.record_id, a.status, "
		"a.step, a.spec, a.due_at, a.flow, a.requested_by, "
		"a.created_at, a.decided_at FROM crm_approvals a WHERE (?1 = 0 "
		"OR a.status = 'pending') AND (?2 = '' OR (a.status = "
		"'pending' AND EXISTS (SELECT 1 FROM crm_approval_approvers p "
		"WHERE p.approval_id = a.id AND p.step = a.step + 1 AND "
		"p.approver = ?2 AND p.state = 'waiting'))) AND (?3 = '' OR "
		"a.entity = ?3) AND (?4 = 0 OR a.record_id = ?4) AND (?5 = 0 "
		"OR a.id = ?5) ORDER BY a.id",
		"issii", (int64_t)q->pending, q->user ? q->user : "",
		q->entity ? q->entity : "", q->record_id, q->id),
	    &r, err);

	crm_buf_release(&l.w);
	return rc;
}

static int history_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	add_int(rec, "approval_id", *(const int64_t *)ctx);
	crm_rec_adds(rec, "at", crm_stmt_text(st, 0));
	if (crm_stmt_is_null(st, 1))
		crm_rec_adds(rec, "step", NULL);
	else
		add_int(rec, "step", crm_stmt_int(st, 1));
	crm_rec_adds(rec, "event", crm_stmt_text(st, 2));
	crm_rec_adds(rec, "actor", crm_stmt_text(st, 3));
	crm_rec_adds(rec, "comment", crm_stmt_text(st, 4));
	return 0;
}

int crm_approval_history(struct crm_db *db, int64_t id,
			 int (*fn)(const struct crm_rec *rec, void *arg),
			 void *arg, struct crm_err *err)
{
	struct crm_recs r = {history_row, &id, fn, arg};
	int rc = crm_dbq_step(
	    db, err, NULL, "SELECT 1 FROM crm_approvals WHERE id = ?", "i", id);

	if (rc <= 0)
		return rc == 0 ? crm_err_set(err, CRM_EX_NOINPUT,
					     "no approval %lld", (long long)id)
			       : -1;
	return crm_recs_each(crm_dbq(db, err,
				     "SELECT at, step, event, actor, comment "
				     "FROM crm_approval_events WHERE "
				     "approval_id = ? ORDER BY id",
				     "i", id),
			     &r, err);
}
