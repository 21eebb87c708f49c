/* filter.c - --where and --sort compiled to SQL with bound parameters. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "dbq.h"
#include "filter.h"
#include "money.h"
#include "normalize.h"

static const struct {
	const char *text;
	enum crm_op op;
	const char *sql;
} ops[] = {
    /* two-character operators first so "<=" is not read as "<" */
    {"!=", CRM_OP_NE, "<>"}, {"<=", CRM_OP_LE, "<="}, {">=", CRM_OP_GE, ">="},
    {"=", CRM_OP_EQ, "="},   {"<", CRM_OP_LT, "<"},   {">", CRM_OP_GT, ">"},
    {"~", CRM_OP_HAS, NULL},
};

static char *trimmed(const char *a, const char *z)
{
	while (a < z && isspace((unsigned char)*a))
		a++;
	while (z > a && isspace((unsigned char)z[-1]))
		z--;
	return crm_xstrndup(a, (size_t)(z - a));
}

int crm_filter_parse(const char *expr, struct crm_cond *c, struct crm_err *err)
{
	const char *p;

	memset(c, 0, sizeof(*c));
	for (p = expr; *p; p++) {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			size_t n = strlen(ops[i].text);

			if (strncmp(p, ops[i].text, n) != 0)
				continue;
			c->field = trimmed(expr, p);
			c->value = trimmed(p + n, p + strlen(p));
			c->op = ops[i].op;
			if (!*c->field) {
				crm_cond_release(c);
				return crm_err_set(err, CRM_EX_USAGE,
						   "--where '%s': no field "
						   "before the operator",
						   expr);
			}
			return 0;
		}
	}
	return crm_err_set(err, CRM_EX_USAGE,
			   "--where '%s': expected FIELD OP VALUE with OP one "
			   "of = != < <= > >= ~",
			   expr);
}

void crm_cond_release(struct crm_cond *c)
{
	free(c->field);
	free(c->value);
	c->field = c->value = NULL;
}

void crm_binds_push(struct crm_binds *b, const char *s, char type)
{
	b->v = crm_xgrow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
	b->v[b->n].s = crm_xstrdup(s);
	b->v[b->n++].type = type;
}

void crm_binds_release(struct crm_binds *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].s);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

void crm_binds_bind(const struct crm_binds *b, struct crm_stmt *st, int first)
{
	for (size_t i = 0; i < b->n; i++) {
		int k = first + (int)i;

		switch (b->v[i].type) {
		case 'i':
			crm_stmt_bind_int(st, k, strtoll(b->v[i].s, NULL, 10));
			break;
		case 'r':
			crm_stmt_bind_double(st, k, strtod(b->v[i].s, NULL));
			break;
		default:
			crm_stmt_bind_text(st, k, b->v[i].s);
		}
	}
}

int crm_custom_known(struct crm_db *db, const struct crm_entity *e,
		     const char *name, struct crm_err *err)
{
	return crm_dbq_step(
	    db, err, NULL,
	    "SELECT 1 FROM crm_custom_fields WHERE entity = ? AND name = ?",
	    "ss", e->name, name);
}

/* The SQL expression for a field: its column, or the custom JSON value
 * whose path is pushed as a parameter. */
static int field_expr(struct crm_db *db, const struct crm_entity *e,
		      const char *name, const char *what, struct crm_buf *sql,
		      struct crm_binds *b, const struct crm_field **fp,
		      struct crm_err *err)
{
	long i = crm_entity_field(e, name);
	int known;

	*fp = NULL;
	if (i >= 0 && !(e->fields[i].flags & CRM_FF_HIDDEN)) {
		*fp = &e->fields[i];
		crm_buf_adds(sql, e->fields[i].name);
		return 0;
	}
	if (strchr(name, '"') || strchr(name, '\\'))
		return crm_err_set(err, CRM_EX_USAGE,
				   "%s: cannot use field '%s'", what, name);
	known = db ? crm_custom_known(db, e, name, err) : 1;
	if (known < 0)
		return -1;
	if (!known)
		return crm_err_set(err, CRM_EX_USAGE,
				   "%s: unknown %s field '%s'", what, e->name,
				   name);
	if (db) {
		/* the engine's JSON field expression, the name bound */
		crm_store_frag(db->store, sql, CRM_SQL_JSON_FIELD, "custom",
			       "?");
		crm_binds_push(b, name, 't');
	} else {
		char *path = crm_xasprintf("$.\"%s\"", name);

		crm_buf_adds(sql, "json_extract(custom, ?)");
		crm_binds_push(b, path, 't');
		free(path);
	}
	return 0;
}

/* Convert a --where value to the field's storage form and bind type. */
static int where_value(const struct crm_field *f, const char *expr,
		       const char *v, struct crm_buf *out, char *type,
		       struct crm_err *err)
{
	crm_time t;
	int64_t n;
	char buf[CRM_TIME_LEN];
	struct crm_err e2 = {0};

	crm_buf_reset(out);
	*type = 't';
	if (!f) {
		crm_buf_adds(out, v);
		return 0;
	}
	switch (f->type) {
	case CRM_T_INT:
	case CRM_T_REF:
		if (crm_parse_int(v, &n) < 0)
			goto bad;
		crm_buf_addf(out, "%lld", (long long)n);
		*type = 'i';
		return 0;
	case CRM_T_REAL:
	case CRM_T_PERCENT: {
		char *end;
		double d = strtod(v, &end);
		if (!*v || *end)
			goto bad;
		crm_buf_addf(out, "%.17g", d);
		*type = 'r';
		return 0;
	}
	case CRM_T_MONEY:
		if (crm_money_parse(v, "XXX", &n, &e2) < 0)
			goto bad;
		crm_buf_addf(out, "%lld", (long long)n);
		*type = 'i';
		return 0;
	case CRM_T_TIME:
		if (crm_datetime_parse(v, &t, &e2) < 0)
			goto bad;
		crm_buf_adds(out, crm_datetime_format(t, buf));
		return 0;
	case CRM_T_DATE:
		if (crm_datetime_parse(v, &t, &e2) < 0)
			goto bad;
		crm_buf_adds(out, crm_datetime_format_date(t, buf));
		return 0;
	case CRM_T_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
			crm_buf_adds(out, "1");
		else if (!strcmp(v, "false") || !strcmp(v, "0") ||
			 !strcmp(v, "no"))
			crm_buf_adds(out, "0");
		else
			goto bad;
		*type = 'i';
		return 0;
	default:
		crm_buf_adds(out, v);
		return 0;
	}
bad:
	return crm_err_set(err, CRM_EX_USAGE, "--where '%s': %s", expr,
			   e2.msg[0] ? e2.msg : "not a valid value");
}

static void like_escape(const char *v, struct crm_buf *out)
{
	crm_buf_reset(out);
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			crm_buf_addc(out, '\\');
		crm_buf_addc(out, *v);
	}
}

/* Split a --where value at commas into alternatives ("PT,ES"); "\," is a
 * comma inside one and "\\" a backslash, any other backslash is itself. */
static void split_alternatives(const char *v, struct crm_strv *alts)
{
	struct crm_buf cur = {0};

	for (;; v++) {
		if (*v == '\\' && (v[1] == ',' || v[1] == '\\')) {
			crm_buf_addc(&cur, *++v);
			continue;
		}
		if (*v == ',' || !*v) {
			char *t = trimmed(crm_buf_str(&cur),
					  crm_buf_str(&cur) + cur.len);
			crm_strv_push(alts, t);
			free(t);
			crm_buf_reset(&cur);
			if (!*v)
				break;
			continue;
		}
		crm_buf_addc(&cur, *v);
	}
	crm_buf_release(&cur);
}

/* email = v COLLATE NOCASE scans: emails that differ only in ASCII case
 * have the same key (crm_norm_email_key lowers first), so "email_key =
 * key(v) AND" before it changes no answer and lets the NAME_key index
 * find the rows (SQLite; a stored email always has its key). */
static void email_key_guard(const struct crm_field *f, const char *lhs,
			    const char *v, struct crm_buf *sql,
			    struct crm_binds *b)
{
	struct crm_buf key = {0};

	if ((f->flags & CRM_FF_MATCH) && !strcmp(lhs, f->name) &&
	    crm_field_match_form(f, v, &key)) {
		crm_buf_addf(sql, "%s_key = ? AND ", f->name);
		crm_binds_push(b, crm_buf_str(&key), 't');
	}
	crm_buf_release(&key);
}

/* One alternative of "field OP value" (OP =, != or ~; != is the negation of
 * = around all of them). lhs is used once per call: for a custom field
 * its path parameter is pushed again after the first use. */
static int one_alternative(struct crm_db *db, const struct crm_field *f,
			   const char *expr, enum crm_op op, const char *v,
			   const char *lhs, const char *path, bool first,
			   struct crm_buf *sql, struct crm_binds *b,
			   struct crm_err *err)
{
	struct crm_buf val = {0};
	char type;
	int rc = -1;

	if (!first && path)
		crm_binds_push(b, path, 't');
	if (op == CRM_OP_HAS) {
		/* contains, Unicode case folded on both sides */
		crm_norm_fold(v, strlen(v), &val);
		crm_buf_addf(sql, "instr(crm_fold(%s), ?) > 0", lhs);
		crm_binds_push(b, crm_buf_str(&val), 't');
	} else if (!*v) {
		/* "field=" asks for no value: null or empty */
		crm_buf_addf(sql, "(%s IS NULL OR %s = '')", lhs, lhs);
		if (path) /* the path parameter is used twice */
			crm_binds_push(b, path, 't');
	} else if (f && f->type == CRM_T_TAGS) {
		/* tags=x: has the tag x */
		like_escape(v, &val);
		crm_buf_addf(sql,
			     "(',' || coalesce(%s, '') || ',') LIKE "
			     "'%%,' || ? || ',%%' ESCAPE '\\'",
			     lhs);
		crm_binds_push(b, crm_buf_str(&val), 't');
	} else {
		if (f && f->type == CRM_T_ENUM) {
			size_t i;
			for (i = 0; f->values[i]; i++)
				if (!strcmp(f->values[i], v))
					break;
			if (!f->values[i]) {
				crm_err_set(err, CRM_EX_USAGE,
					    "--where '%s': unknown %s '%s'",
					    expr, f->name, v);
				goto out;
			}
		}
		if (where_value(f, expr, v, &val, &type, err) < 0)
			goto out;
		if (op == CRM_OP_EQ && f && f->type == CRM_T_EMAIL &&
		    crm_store_engine(db->store) != CRM_STORE_PG)
			email_key_guard(f, lhs, crm_buf_str(&val), sql, b);
		/* an email ignores case: SQLite's NOCASE (ASCII); there is
		 * no such collation on PostgreSQL: lower() on both sides */
		if (f && f->type == CRM_T_EMAIL &&
		    crm_store_engine(db->store) == CRM_STORE_PG)
			crm_buf_addf(sql, "lower(%s) = lower(?)", lhs);
		else
			crm_buf_addf(sql, "%s = ?", lhs);
		if (f && f->type == CRM_T_EMAIL &&
		    crm_store_engine(db->store) != CRM_STORE_PG)
			crm_buf_adds(sql, " COLLATE NOCASE");
		crm_binds_push(b, crm_buf_str(&val), type);
	}
	rc = 0;
out:
	crm_buf_release(&val);
	return rc;
}

/* field = value also finds the survivor of a merged-away record with that
 * id, external_id, email or phone (its secondary identities). */
static void secondary(const struct crm_entity *e, const struct crm_field *f,
		      const char *v, struct crm_buf *sql, struct crm_binds *b)
{
	struct crm_buf key = {0};

	if (!f || !v)
		return;
	if (!strcmp(f->name, "id") || !strcmp(f->name, "external_id"))
		crm_buf_adds(&key, v);
	else if (!(f->flags & CRM_FF_MATCH) ||
		 (f->type != CRM_T_EMAIL && f->type != CRM_T_PHONE) ||
		 !crm_field_match_form(f, v, &key))
		goto out;
	crm_buf_adds(sql, " OR id IN (SELECT record_id FROM crm_identities "
			  "WHERE entity = ? AND field = ? AND key = ?)");
	crm_binds_push(b, e->name, 't');
	crm_binds_push(b, f->name, 't');
	crm_binds_push(b, key.s ? key.s : "", 't');
out:
	crm_buf_release(&key);
}

static int one_where(struct crm_db *db, const struct crm_entity *e,
		     const char *expr, struct crm_buf *sql, struct crm_binds *b,
		     struct crm_err *err)
{
	struct crm_cond c;
	const struct crm_field *f;
	struct crm_buf lhs = {0}, val = {0};
	struct crm_strv alts = {0};
	char type, *path = NULL;
	int rc = -1;

	if (crm_filter_parse(expr, &c, err) < 0)
		return -1;
	if (field_expr(db, e, c.field, "--where", &lhs, b, &f, err) < 0)
		goto out;
	if (!f)
		path = crm_xstrdup(b->v[b->n - 1].s);
	crm_buf_adds(sql, " AND (");
	if (c.op == CRM_OP_EQ || c.op == CRM_OP_NE || c.op == CRM_OP_HAS) {
		/* alternatives: any of them holds (for !=, none does) */
		split_alternatives(c.value, &alts);
		if (c.op == CRM_OP_NE)
			crm_buf_adds(sql, "NOT (");
		for (size_t i = 0; i < alts.n; i++) {
			if (i)
				crm_buf_adds(sql, " OR ");
			if (one_alternative(db, f, expr, c.op, alts.v[i], lhs.s,
					    path, i == 0, sql, b, err) < 0)
				goto out;
			/* = also finds a merged-away record's survivor */
			if (c.op == CRM_OP_EQ && *alts.v[i] &&
			    !(f && f->type == CRM_T_TAGS))
				secondary(e, f, alts.v[i], sql, b);
		}
		if (c.op == CRM_OP_NE)
			crm_buf_adds(sql, ")");
	} else {
		if (where_value(f, expr, c.value, &val, &type, err) < 0)
			goto out;
		bool pg_email = f && f->type == CRM_T_EMAIL &&
				crm_store_engine(db->store) == CRM_STORE_PG;

		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (ops[i].op == c.op)
				crm_buf_addf(sql,
					     pg_email ? "lower(%s) %s lower(?)"
						      : "%s %s ?",
					     lhs.s, ops[i].sql);
		if (f && f->type == CRM_T_EMAIL && !pg_email)
			crm_buf_adds(sql, " COLLATE NOCASE");
		crm_binds_push(b, val.s, type);
	}
	crm_buf_adds(sql, ")");
	rc = 0;
out:
	free(path);
	crm_strv_release(&alts);
	crm_buf_release(&lhs);
	crm_buf_release(&val);
	crm_cond_release(&c);
	return rc;
}

int crm_filter_where(struct crm_db *db, const struct crm_entity *e,
		     const struct crm_strv *where, struct crm_buf *sql,
		     struct crm_binds *b, struct crm_err *err)
{
	for (size_t i = 0; where && i < where->n; i++)
		if (one_where(db, e, where->v[i], sql, b, err) < 0)
			return -1;
	return 0;
}

int crm_filter_order(struct crm_db *db, const struct crm_entity *e,
		     const char *sort, struct crm_buf *sql, struct crm_binds *b,
		     struct crm_err *err)
{
	struct crm_strv keys = {0};
	const struct crm_field *f;
	int rc = 0;

	crm_buf_adds(sql, " ORDER BY ");
	crm_strv_split(&keys, sort ? sort : "", ',');
	for (size_t i = 0; i < keys.n; i++) {
		const char *k = keys.v[i];
		bool desc = *k == '-';

		if (*k == '-' || *k == '+')
			k++;
		if (field_expr(db, e, k, "--sort", sql, b, &f, err) < 0) {
			rc = -1;
			break;
		}
		/* NULL sorts first, as on SQLite (PostgreSQL puts it last) */
		if (crm_store_engine(db->store) == CRM_STORE_PG)
			crm_buf_adds(sql, desc ? " DESC NULLS LAST, "
					       : " NULLS FIRST, ");
		else
			crm_buf_adds(sql, desc ? " DESC, " : ", ");
	}
	crm_buf_adds(sql, "id");
	crm_strv_release(&keys);
	return rc;
}
