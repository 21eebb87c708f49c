/* product.c - the product entity: the catalogue crm-product keeps. Units,
 * attributes and bundles are checked when a product is written and when
 * a quote uses it. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "product.h"

static const struct crm_field product_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"sku", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_BRIEF,
     .names = "Product Code|Item Code|Part Number|产品编码|物料编码"},
    {"name", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Product Name|Product|产品名称"},
    {"family", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Product Family|Category|产品分类"},
    {"description", CRM_T_TEXT, 0},
    {"active", CRM_T_BOOL, CRM_FF_BRIEF},
    {"unit", CRM_T_TEXT, CRM_FF_BRIEF},
    {"units", CRM_T_TEXT, 0},
    {"cost", CRM_T_MONEY, 0, NULL, "currency"},
    {"currency", CRM_T_TEXT, 0},
    {"tax_category", CRM_T_TEXT, 0},
    {"attributes", CRM_T_TEXT, 0},
    {"bundle", CRM_T_TEXT, 0},
    {"billing_period", CRM_T_ENUM, 0,
     (const char *const[]){"one_time", "monthly", "quarterly", "annual", NULL}},
    {"term_months", CRM_T_INT, 0},
    {"tags", CRM_T_TAGS, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

enum {
	F_ID,
	F_EXTERNAL_ID,
	F_SKU,
	F_NAME,
	F_FAMILY,
	F_DESCRIPTION,
	F_ACTIVE,
	F_UNIT,
	F_UNITS,
	F_COST,
	F_CURRENCY,
	F_TAX_CATEGORY,
	F_ATTRIBUTES,
	F_BUNDLE,
	F_BILLING_PERIOD,
	F_TERM_MONTHS,
};

/* Walk "name=value<sep>name=value": fn gets each name and value (trimmed,
 * copies). */
static int each_pair(const char *s, char sep,
		     int (*fn)(const char *name, const char *value, void *arg),
		     void *arg)
{
	struct crm_strv parts = {0};
	int rc = 0;

	crm_strv_split(&parts, s, sep);
	for (size_t i = 0; i < parts.n && !rc; i++) {
		char *p = parts.v[i], *eq, *e;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			rc = -1;
			break;
		}
		*eq = '\0';
		for (e = eq; e > p && isspace((unsigned char)e[-1]); e--)
			e[-1] = '\0';
		eq++;
		while (isspace((unsigned char)*eq))
			eq++;
		for (e = eq + strlen(eq);
		     e > eq && isspace((unsigned char)e[-1]); e--)
			e[-1] = '\0';
		if (!*p || !*eq) {
			rc = -1;
			break;
		}
		rc = fn(p, eq, arg);
	}
	crm_strv_release(&parts);
	return rc;
}

struct unit_find {
	const char *unit;
	int64_t factor;
	struct crm_err *err;
};

static int unit_pair(const char *name, const char *value, void *arg)
{
	struct unit_find *u = arg;
	int64_t n;

	if (crm_parse_int(value, &n) < 0 || n < 1)
		return crm_err_field(
		    u->err, "units", CRM_EX_DATAERR,
		    "'%s=%s': a unit holds a whole number of base "
		    "units (box=12)",
		    name, value);
	if (u->unit && !strcmp(name, u->unit))
		u->factor = n;
	return 0;
}

int crm_product_unit_factor(const struct crm_row *p, const char *unit,
			    int64_t *factor, struct crm_err *err)
{
	struct unit_find u = {unit, 0, err};
	const char *own = p->v[F_UNIT] ? p->v[F_UNIT] : "each";

	*factor = 1;
	if (!unit || !*unit || !strcmp(unit, own))
		return 0;
	if (p->v[F_UNITS] && each_pair(p->v[F_UNITS], ',', unit_pair, &u) < 0) {
		if (!err->code)
			crm_err_field(err, "units", CRM_EX_DATAERR,
				      "units: NAME=COUNT,... (box=12)");
		return -1;
	}
	if (!u.factor)
		return crm_err_field(err, "unit", CRM_EX_DATAERR,
				     "%s has no conversion from %s to %s",
				     p->v[F_SKU], unit, own);
	*factor = u.factor;
	return 0;
}

struct attr_find {
	const char *name, *value;
	int found; /* 1 name known, 2 value allowed */
};

static int attr_pair(const char *name, const char *values, void *arg)
{
	struct attr_find *a = arg;
	struct crm_strv vs = {0};

	if (!a->name || strcmp(a->name, name))
		return 0;
	a->found = 1;
	crm_strv_split(&vs, values, '|');
	for (size_t i = 0; i < vs.n; i++)
		if (!strcmp(vs.v[i], a->value))
			a->found = 2;
	crm_strv_release(&vs);
	return 0;
}

int crm_product_check_attrs(const struct crm_row *p,
			    const struct crm_strv *attrs, struct crm_err *err)
{
	for (size_t i = 0; attrs && i < attrs->n; i++) {
		char *eq = strchr(attrs->v[i], '=');
		char name[128];
		struct attr_find a = {name, eq ? eq + 1 : "", 0};

		if (!eq || eq == attrs->v[i])
			return crm_err_field(err, "attributes", CRM_EX_DATAERR,
					     "'%s': an attribute is NAME=VALUE",
					     attrs->v[i]);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - attrs->v[i]),
			 attrs->v[i]);
		if (p->v[F_ATTRIBUTES])
			each_pair(p->v[F_ATTRIBUTES], ';', attr_pair, &a);
		if (a.found == 0)
			return crm_err_field(err, "attributes", CRM_EX_DATAERR,
					     "%s has no attribute '%s'",
					     p->v[F_SKU], name);
		if (a.found == 1)
			return crm_err_field(err, "attributes", CRM_EX_DATAERR,
					     "%s: '%s' is not an allowed %s",
					     p->v[F_SKU], a.value, name);
	}
	return 0;
}

static int attr_syntax(const char *name, const char *values, void *arg)
{
	(void)name;
	(void)arg;
	return strstr(values, "||") || values[0] == '|' ||
		       values[strlen(values) - 1] == '|'
		   ? -1
		   : 0;
}

/* -- bundles ------------------------------------------------------------ */

/* A bundle that fails a check is not kept: the caller gets no root. */
static int drop_root(json_t **root, int rc)
{
	json_decref(*root);
	*root = NULL;
	return rc;
}

static int bundle_parse(const char *text, json_t **root, struct crm_err *err)
{
	json_error_t je;
	json_t *opts, *rules, *o;
	size_t i;

	*root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!*root || !json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return crm_err_field(err, "bundle", CRM_EX_DATAERR,
				     "not a JSON object {\"options\": "
				     "[...], \"rules\": [...]}");
	}
	opts = json_object_get(*root, "options");
	rules = json_object_get(*root, "rules");
	if (!json_is_array(opts))
		goto bad;
	json_array_foreach(opts, i, o)
	{
		const char *kind =
		    json_string_value(json_object_get(o, "kind"));
		json_t *mn = json_object_get(o, "min"),
		       *mx = json_object_get(o, "max");
		const char *priced =
		    json_string_value(json_object_get(o, "priced"));

		if (!json_string_value(json_object_get(o, "sku")))
			return drop_root(
			    root, crm_err_field(err, "bundle", CRM_EX_DATAERR,
						"option %zu: sku is required",
						i + 1));
		if (!kind ||
		    (strcmp(kind, "required") && strcmp(kind, "optional") &&
		     strcmp(kind, "group")))
			return drop_root(
			    root, crm_err_field(
				      err, "bundle", CRM_EX_DATAERR,
				      "option %zu: kind is required, optional "
				      "or group",
				      i + 1));
		if (!strcmp(kind, "group") &&
		    !json_string_value(json_object_get(o, "group")))
			return drop_root(
			    root,
			    crm_err_field(
				err, "bundle", CRM_EX_DATAERR,
				"option %zu: a group option names its group",
				i + 1));
		if ((mn &&
		     (!json_is_integer(mn) || json_integer_value(mn) < 0)) ||
		    (mx &&
		     (!json_is_integer(mx) || json_integer_value(mx) < 1)) ||
		    (mn && mx &&
		     json_integer_value(mn) > json_integer_value(mx)))
			return drop_root(
			    root,
			    crm_err_field(err, "bundle", CRM_EX_DATAERR,
					  "option %zu: min and max are whole "
					  "numbers, min <= max",
					  i + 1));
		if (priced && strcmp(priced, "bundle") &&
		    strcmp(priced, "separate"))
			return drop_root(
			    root,
			    crm_err_field(
				err, "bundle", CRM_EX_DATAERR,
				"option %zu: priced is bundle or separate",
				i + 1));
	}
	if (rules && !json_is_array(rules))
		goto bad;
	json_array_foreach(rules, i, o)
	{
		if (!json_string_value(json_object_get(o, "sku")) ||
		    !!json_string_value(json_object_get(o, "requires")) ==
			!!json_string_value(json_object_get(o, "excludes")))
			return drop_root(
			    root,
			    crm_err_field(
				err, "bundle", CRM_EX_DATAERR,
				"rule %zu: {\"sku\": X, \"requires\": Y} or "
				"{\"sku\": X, \"excludes\": Z}",
				i + 1));
	}
	return 0;
bad:
	json_decref(*root);
	*root = NULL;
	return crm_err_field(
	    err, "bundle", CRM_EX_DATAERR,
	    "options is an array of options, rules an array of rules");
}

static int64_t item_qty(const struct crm_bundle_item *items, size_t n,
			const char *sku)
{
	int64_t q = 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i].sku, sku))
			q += items[i].qty;
	return q;
}

int crm_bundle_check(const struct crm_row *p,
		     const struct crm_bundle_item *items, size_t n,
		     struct crm_err *err)
{
	json_t *root, *opts, *o;
	size_t i;
	int rc = -1;

	if (!p->v[F_BUNDLE]) {
		if (n)
			return crm_err_field(err, "bundle", CRM_EX_DATAERR,
					     "%s is not a bundle", p->v[F_SKU]);
		return 0;
	}
	if (bundle_parse(p->v[F_BUNDLE], &root, err) < 0)
		return -1;
	opts = json_object_get(root, "options");
	for (size_t k = 0; k < n; k++) {
		bool known = false;

		json_array_foreach(opts, i, o)
		{
			if (!strcmp(
				json_string_value(json_object_get(o, "sku")),
				items[k].sku))
				known = true;
		}
		if (!known) {
			crm_err_field(err, "bundle", CRM_EX_DATAERR,
				      "%s is no option of bundle %s",
				      items[k].sku, p->v[F_SKU]);
			goto out;
		}
	}
	json_array_foreach(opts, i, o)
	{
		const char *sku = json_string_value(json_object_get(o, "sku"));
		const char *kind =
		    json_string_value(json_object_get(o, "kind"));
		json_t *mn = json_object_get(o, "min"),
		       *mx = json_object_get(o, "max");
		int64_t q = item_qty(items, n, sku);

		if (!strcmp(kind, "required") && !q) {
			crm_err_field(err, "bundle", CRM_EX_DATAERR,
				      "bundle %s requires option %s",
				      p->v[F_SKU], sku);
			goto out;
		}
		/* the option's min, then its max */
		for (int b = 0; q && b < 2; b++) {
			json_t *lim = b ? mx : mn;
			int64_t v = json_integer_value(lim);

			if (lim && (b ? q > v : q < v)) {
				crm_err_field(err, "bundle", CRM_EX_DATAERR,
					      "bundle %s: option %s %s %lld "
					      "(has %lld)",
					      p->v[F_SKU], sku,
					      b ? "takes at most"
						: "needs at least",
					      (long long)v, (long long)q);
				goto out;
			}
		}
		if (!strcmp(kind, "group")) {
			const char *g =
			    json_string_value(json_object_get(o, "group"));
			size_t chosen = 0, j;
			json_t *o2;

			json_array_foreach(opts, j, o2)
			{
				const char *g2 = json_string_value(
				    json_object_get(o2, "group"));

				if (g2 && !strcmp(g, g2) &&
				    item_qty(items, n,
					     json_string_value(
						 json_object_get(o2, "sku"))))
					chosen++;
			}
			if (chosen != 1) {
				crm_err_field(
				    err, "bundle", CRM_EX_DATAERR,
				    "bundle %s: choose exactly one of group "
				    "%s (%zu chosen)",
				    p->v[F_SKU], g, chosen);
				goto out;
			}
		}
	}
	json_array_foreach(json_object_get(root, "rules"), i, o)
	{
		const char *sku = json_string_value(json_object_get(o, "sku"));
		const char *req =
		    json_string_value(json_object_get(o, "requires"));
		const char *exc =
		    json_string_value(json_object_get(o, "excludes"));

		if (!item_qty(items, n, sku))
			continue;
		if (req && !item_qty(items, n, req)) {
			crm_err_field(err, "bundle", CRM_EX_DATAERR,
				      "bundle %s: %s requires %s", p->v[F_SKU],
				      sku, req);
			goto out;
		}
		if (exc && item_qty(items, n, exc)) {
			crm_err_field(err, "bundle", CRM_EX_DATAERR,
				      "bundle %s: %s excludes %s", p->v[F_SKU],
				      sku, exc);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

bool crm_bundle_included(const struct crm_row *p, const char *sku)
{
	struct crm_err err = {0};
	json_t *root, *o;
	size_t i;
	bool in = false;

	if (!p->v[F_BUNDLE] || bundle_parse(p->v[F_BUNDLE], &root, &err) < 0)
		return false;
	json_array_foreach(json_object_get(root, "options"), i, o)
	{
		const char *priced =
		    json_string_value(json_object_get(o, "priced"));

		if (!strcmp(json_string_value(json_object_get(o, "sku")), sku))
			in = priced && !strcmp(priced, "bundle");
	}
	json_decref(root);
	return in;
}

/* -- the entity ----------------------------------------------------------- */

static int product_check(struct crm_db *db, const struct crm_entity *e,
			 const struct crm_row *row, struct crm_err *err)
{
	int64_t f;

	(void)db;
	(void)e;
	if (row->v[F_UNITS] &&
	    crm_product_unit_factor(row, "\x01", &f, err) < 0 &&
	    !strcmp(err->field, "units"))
		return -1;
	crm_err_clear(err);
	if (row->v[F_ATTRIBUTES] &&
	    each_pair(row->v[F_ATTRIBUTES], ';', attr_syntax, NULL) < 0)
		return crm_err_field(
		    err, "attributes", CRM_EX_DATAERR,
		    "NAME=VALUE|VALUE;... (size=S|M|L;colour=red|blue)");
	if (row->v[F_BUNDLE]) {
		json_t *root;

		if (bundle_parse(row->v[F_BUNDLE], &root, err) < 0)
			return -1;
		json_decref(root);
	}
	if (row->v[F_COST] && !row->v[F_CURRENCY])
		return crm_err_field(err, "currency", CRM_EX_DATAERR,
				     "a cost needs its currency");
	if (row->v[F_CURRENCY] && crm_money_exponent(row->v[F_CURRENCY]) < 0)
		return crm_err_field(err, "currency", CRM_EX_DATAERR,
				     "'%s' is no ISO 4217 code",
				     row->v[F_CURRENCY]);
	return 0;
}

static int product_prepare(struct crm_db *db, const struct crm_entity *e,
			   struct crm_row *row, const struct crm_row *old,
			   void *arg, struct crm_err *err)
{
	(void)arg;
	if (!old && !row->v[F_ACTIVE])
		row->v[F_ACTIVE] = crm_xstrdup("1");
	if (!old && !row->v[F_UNIT])
		row->v[F_UNIT] = crm_xstrdup("each");
	if (!old && !row->v[F_BILLING_PERIOD])
		row->v[F_BILLING_PERIOD] = crm_xstrdup("one_time");
	return product_check(db, e, row, err);
}

const struct crm_entity crm_product_entity = {
    .name = "product",
    .plural = "products",
    .table = "products",
    CRM_FIELDS(product_fields),
    .keys = "id,external_id,sku",
    .prepare = product_prepare,
    .check = product_check,
};
