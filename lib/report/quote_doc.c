/* quote_doc.c - quote templates ({{name}}, sections) and the HTML
 * document. */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "quote_doc.h"

static long line_at(const char *start, const char *p)
{
	long n = 1;

	for (; start < p; start++)
		n += *start == '\n';
	return n;
}

static json_t *lookup(json_t *const *ctx, size_t depth, const char *name)
{
	for (size_t i = depth; i-- > 0;) {
		json_t *v = json_object_get(ctx[i], name);

		if (v)
			return v;
	}
	return NULL;
}

static bool truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return *json_string_value(v) != '\0';
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return true;
}

/* Expand [p, end) with ctx[0..depth). */
static int expand(const char *start, const char *name, const char *p,
		  const char *end, json_t **ctx, size_t depth,
		  struct crm_buf *out, struct crm_err *err)
{
	while (p < end) {
		const char *o = strstr(p, "{{"), *c;
		char key[128];
		size_t klen;

		if (!o || o >= end) {
			crm_buf_add(out, p, (size_t)(end - p));
			break;
		}
		crm_buf_add(out, p, (size_t)(o - p));
		c = strstr(o + 2, "}}");
		if (!c || c > end)
			return crm_err_at(err, CRM_EX_CONFIG, name,
					  line_at(start, o), NULL,
					  "'{{' without '}}'");
		klen = (size_t)(c - o - 2);
		if (klen == 0 || klen >= sizeof(key))
			return crm_err_at(err, CRM_EX_CONFIG, name,
					  line_at(start, o), NULL,
					  "an empty or too long {{name}}");
		memcpy(key, o + 2, klen);
		key[klen] = '\0';
		if (key[0] == '#' || key[0] == '^') {
			char close[140];
			const char *body = c + 2, *cl;
			const char *k = key + 1;
			json_t *v = lookup(ctx, depth, k);
			int nest = 0;
			const char *s = body;

			snprintf(close, sizeof(close), "{{/%s}}", k);
			/* the matching close, counting nested sections of
			 * the same name */
			for (;;) {
				const char *n1 = strstr(s, close);
				char open1[140], open2[140];
				const char *a, *b, *first;

				if (!n1 || n1 >= end)
					return crm_err_at(
					    err, CRM_EX_CONFIG, name,
					    line_at(start, o), NULL,
					    "{{%s}} without {{/%s}}", key, k);
				snprintf(open1, sizeof(open1), "{{#%s}}", k);
				snprintf(open2, sizeof(open2), "{{^%s}}", k);
				a = strstr(s, open1);
				b = strstr(s, open2);
				first = a && a < n1 ? a : NULL;
				if (b && b < n1 && (!first || b < first))
					first = b;
				if (first) {
					nest++;
					s = first + strlen(open1);
					continue;
				}
				if (nest) {
					nest--;
					s = n1 + strlen(close);
					continue;
				}
				cl = n1;
				break;
			}
			if (key[0] == '^') {
				if (!truthy(v) &&
				    expand(start, name, body, cl, ctx, depth,
					   out, err) < 0)
					return -1;
			} else if (json_is_array(v)) {
				size_t i;
				json_t *el;

				if (depth >= 8)
					return crm_err_at(
					    err, CRM_EX_CONFIG, name,
					    line_at(start, o), NULL,
					    "sections nest too "
					    "deep");
				json_array_foreach(v, i, el)
				{
					ctx[depth] = el;
					if (expand(start, name, body, cl, ctx,
						   depth + 1, out, err) < 0)
						return -1;
				}
			} else if (truthy(v) &&
				   expand(start, name, body, cl, ctx, depth,
					  out, err) < 0)
				return -1;
			p = cl + strlen(close);
			continue;
		}
		if (key[0] == '/')
			return crm_err_at(err, CRM_EX_CONFIG, name,
					  line_at(start, o), NULL,
					  "{{%s}} closes no section", key);
		{
			json_t *v = lookup(ctx, depth, key);
			char buf[32];

			if (json_is_string(v))
				crm_html_escape(out, json_string_value(v));
			else if (json_is_integer(v)) {
				snprintf(buf, sizeof(buf), "%lld",
					 (long long)json_integer_value(v));
				crm_buf_adds(out, buf);
			}
		}
		p = c + 2;
	}
	return 0;
}

int crm_template_expand(const char *tmpl, const char *name, json_t *doc,
			struct crm_buf *out, struct crm_err *err)
{
	json_t *ctx[9] = {doc};

	crm_buf_reset(out);
	crm_buf_adds(out, "");
	return expand(tmpl, name, tmpl, tmpl + strlen(tmpl), ctx, 1, out, err);
}

int crm_quote_html(json_t *doc, const char *tmpl, const char *name,
		   struct crm_buf *out, struct crm_err *err)
{
	return crm_template_expand(tmpl, name, doc, out, err);
}
