/* flow_tmpl.c - flow templates: {{field}}, {{contact.field}}, {{now}},
 * {{today}}, {{flow}}, {{field|fallback}} (the fallback, literal text,
 * when the value is empty), escaped for their context (text, HTML, a mail
 * header). Shell arguments are never built from text: a command action
 * takes argv, each element one template. */
#include <stdlib.h>
#include <string.h>

#include "flow.h"

/* The entity a "REL.field" name refers through: REL_id must be a
 * reference field of e. */
static const struct crm_entity *
rel_entity(const struct crm_entity *e, const char *rel, size_t n, long *field)
{
	char name[64];
	long fi;

	if (n + 4 > sizeof(name))
		return NULL;
	memcpy(name, rel, n);
	memcpy(name + n, "_id", 4);
	fi = crm_entity_field(e, name);
	if (fi < 0 || e->fields[fi].type != CRM_T_REF)
		return NULL;
	*field = fi;
	return crm_entity_by_name(e->fields[fi].ref);
}

static bool builtin(const char *name)
{
	return !strcmp(name, "now") || !strcmp(name, "today") ||
	       !strcmp(name, "flow") || !strcmp(name, "entity");
}

/* Each {{name}} of tmpl: fn(name, arg); returns -1 on bad syntax. */
static int each_name(const char *tmpl, int (*fn)(const char *name, void *arg),
		     void *arg, struct crm_buf *lit, struct crm_err *err)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strstr(p, "{{"), *close;
		char name[128];
		size_t n, a, b;

		if (!open) {
			if (lit)
				crm_buf_adds(lit, p);
			break;
		}
		if (lit)
			crm_buf_add(lit, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (!close)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "template: '{{' without '}}'");
		a = 2;
		b = (size_t)(close - open);
		while (a < b && open[a] == ' ')
			a++;
		while (b > a && open[b - 1] == ' ')
			b--;
		n = b - a;
		if (!n || n >= sizeof(name))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "template: empty or long name");
		memcpy(name, open + a, n);
		name[n] = '\0';
		if (fn(name, arg) < 0)
			return -1;
		p = close + 2;
	}
	return 0;
}

struct check_ctx {
	const struct crm_entity *e;
	struct crm_err *err;
};

/* name without its "|fallback" in buf (128 bytes); the fallback or NULL */
static const char *split_fallback(const char *name, char *buf)
{
	const char *bar = strchr(name, '|');
	size_t n = bar ? (size_t)(bar - name) : strlen(name);

	while (n && name[n - 1] == ' ')
		n--;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return bar ? bar + 1 : NULL;
}

static int check_one(const char *full, void *arg)
{
	struct check_ctx *c = arg;
	char name[128];
	const char *dot;
	const struct crm_entity *re;
	long fi;

	split_fallback(full, name);
	dot = strchr(name, '.');
	if (!*name)
		return crm_err_set(c->err, CRM_EX_CONFIG,
				   "template: '{{%s}}' names no field", full);

	if (builtin(name))
		return 0;
	if (!dot)
		return crm_entity_field(c->e, name) >= 0
			   ? 0
			   : crm_err_set(c->err, CRM_EX_CONFIG,
					 "template: %s has no field '%s'",
					 c->e->name, name);
	re = rel_entity(c->e, name, (size_t)(dot - name), &fi);
	if (!re)
		return crm_err_set(c->err, CRM_EX_CONFIG,
				   "template: %s has no related '%.*s'",
				   c->e->name, (int)(dot - name), name);
	if (crm_entity_field(re, dot + 1) < 0)
		return crm_err_set(c->err, CRM_EX_CONFIG,
				   "template: %s has no field '%s'", re->name,
				   dot + 1);
	return 0;
}

int crm_flow_tmpl_check(const struct crm_entity *e, const char *tmpl,
			struct crm_err *err)
{
	struct check_ctx c = {e, err};

	return each_name(tmpl, check_one, &c, NULL, err);
}

struct fill_ctx {
	struct crm_flow_ctx *ctx;
	enum crm_tmpl_ctx how;
	struct crm_buf *out;
	struct crm_err *err;
};

static void add_escaped(struct fill_ctx *f, const char *v)
{
	if (f->how != CRM_TMPL_HTML) {
		crm_buf_adds(f->out, v);
		return;
	}
	crm_buf_add_html(f->out, v);
}

/* The output form of field name of row (money as a decimal ...). */
static void field_value(const struct crm_row *row, const char *name,
			struct crm_buf *v)
{
	struct crm_strv cols = {0};
	struct crm_rec rec;
	const char *s;

	crm_strv_push(&cols, name);
	crm_rec_init(&rec);
	crm_row_to_rec(row, &cols, NULL, &rec);
	s = crm_rec_get(&rec, name);
	crm_buf_adds(v, s ? s : "");
	crm_rec_release(&rec);
	crm_strv_release(&cols);
}

static int fill_one(const char *full, void *arg)
{
	struct fill_ctx *f = arg;
	struct crm_flow_ctx *ctx = f->ctx;
	struct crm_buf v = {0};
	char name[128];
	const char *fb = split_fallback(full, name), *dot = strchr(name, '.');
	char t[CRM_TIME_LEN];

	if (!strcmp(name, "now"))
		crm_buf_adds(&v, crm_datetime_format(ctx->db->now, t));
	else if (!strcmp(name, "today"))
		crm_buf_adds(&v, crm_datetime_format_date(ctx->db->now, t));
	else if (!strcmp(name, "flow"))
		crm_buf_adds(&v, ctx->flow->name);
	else if (!strcmp(name, "entity"))
		crm_buf_adds(&v, ctx->e->name);
	else if (!dot)
		field_value(ctx->row, name, &v);
	else {
		long fi;
		const struct crm_entity *re =
		    rel_entity(ctx->e, name, (size_t)(dot - name), &fi);
		const char *id = re ? ctx->row->v[fi] : NULL;

		if (id) {
			struct crm_row r;
			int64_t n = strtoll(id, NULL, 10);
			int rc;

			crm_row_init(&r, re);
			rc = crm_entity_get(ctx->db, re, n, &r, f->err);
			if (rc > 0)
				field_value(&r, dot + 1, &v);
			crm_row_release(&r);
			if (rc < 0) {
				crm_buf_release(&v);
				return -1;
			}
		}
	}
	if (fb && !v.len)
		crm_buf_adds(&v, fb);
	if (f->how == CRM_TMPL_HEADER && strpbrk(crm_buf_str(&v), "\r\n")) {
		crm_err_set(f->err, CRM_EX_DATAERR,
			    "{{%s}} holds a line break, refused in a mail "
			    "header",
			    name);
		crm_buf_release(&v);
		return -1;
	}
	add_escaped(f, crm_buf_str(&v));
	crm_buf_release(&v);
	return 0;
}

/* Literal text between names: as written (the template is trusted). */
int crm_flow_tmpl(struct crm_flow_ctx *ctx, const char *tmpl,
		  enum crm_tmpl_ctx how, struct crm_buf *out,
		  struct crm_err *err)
{
	struct fill_ctx f = {ctx, how, out, err};

	if (each_name(tmpl, fill_one, &f, out, err) < 0)
		return -1;
	if (how == CRM_TMPL_HEADER && strpbrk(crm_buf_str(out), "\r\n"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a line break in a mail header is refused");
	return 0;
}
