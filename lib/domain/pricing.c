/* pricing.c - price books and promotions from a pricing file, and the
 * pricing engine: list price, attribute adders, discount schedules (range
 * or slab, by quantity or amount), block pricing, cost plus markup,
 * percent of total, promotions with windows, eligibility, limits and
 * stacking. Pure functions over integer minor units; see pricing.h for
 * the rounding rule. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "datetime.h"
#include "money.h"
#include "pricing.h"

int64_t crm_div_half_even(__int128 num, int64_t den)
{
	__int128 q = num / den, r = num % den;
	__int128 twice;

	if (r < 0)
		r = -r;
	twice = 2 * r;
	if (twice > den || (twice == den && (q % 2 != 0)))
		q += num < 0 ? -1 : 1;
	return (int64_t)q;
}

int64_t crm_pct_of(int64_t v, int64_t pct)
{
	return crm_div_half_even((__int128)v * pct, 10000);
}

char *crm_json_num_text(const json_t *j, char buf[64])
{
	if (json_is_integer(j))
		snprintf(buf, 64, "%lld", (long long)json_integer_value(j));
	else if (json_is_real(j))
		snprintf(buf, 64, "%.6f", json_real_value(j));
	else
		snprintf(buf, 64, "%s",
			 json_is_string(j) ? json_string_value(j) : "");
	return buf;
}

int crm_pct_parse(const char *s, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int nfrac = 0, sign = 1;
	const char *p = s;

	if (!s || !*s)
		return -1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		whole = whole * 10 + (*p++ - '0');
		if (whole > 1000000000)
			return -1;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			if (nfrac == 2) {
				if (*p != '0')
					return -1;
				p++;
				continue;
			}
			frac = frac * 10 + (*p++ - '0');
			nfrac++;
		}
	}
	if (*p)
		return -1;
	while (nfrac < 2) {
		frac *= 10;
		nfrac++;
	}
	*out = sign * (whole * 100 + frac);
	return 0;
}

char *crm_pct_format(int64_t pct, char buf[32])
{
	int64_t a = pct < 0 ? -pct : pct;

	if (a % 100 == 0)
		snprintf(buf, 32, "%s%lld", pct < 0 ? "-" : "",
			 (long long)(a / 100));
	else if (a % 10 == 0)
		snprintf(buf, 32, "%s%lld.%lld", pct < 0 ? "-" : "",
			 (long long)(a / 100), (long long)(a % 100 / 10));
	else
		snprintf(buf, 32, "%s%lld.%02lld", pct < 0 ? "-" : "",
			 (long long)(a / 100), (long long)(a % 100));
	return buf;
}

const char *crm_method_name(enum crm_method m)
{
	static const char *const names[] = {"list", "tiers", "block",
					    "cost_plus", "percent_of_total"};
	return names[m];
}

/* vsnprintf(out, size, fmt, ap) for the conversions steps use (%s, %%,
 * %lld, %zu, %d), as glibc writes them; false for any other (or a NULL
 * %s), the caller then calls vsnprintf. Every line of every quote gets
 * its steps: vsnprintf was a tenth of re-pricing (HACKING.md). */
static bool step_format(char *out, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;

	for (const char *f = fmt; *f; f++) {
		char num[24], *p = num + sizeof(num);
		const char *add;
		size_t len;
		unsigned long long u = 0;
		bool neg = false;

		if (*f != '%') {
			if (n + 1 < size)
				out[n++] = *f;
			continue;
		}
		if (f[1] == 's' || f[1] == '%') {
			add = f[1] == '%' ? "%" : va_arg(ap, const char *);
			if (!add)
				return false;
			f++;
		} else {
			if (!strncmp(f + 1, "lld", 3)) {
				long long v = va_arg(ap, long long);

				neg = v < 0;
				u = neg ? -(unsigned long long)v
					: (unsigned long long)v;
				f += 3;
			} else if (!strncmp(f + 1, "zu", 2)) {
				u = va_arg(ap, size_t);
				f += 2;
			} else if (f[1] == 'd') {
				int v = va_arg(ap, int);

				neg = v < 0;
				u = neg ? -(unsigned long long)v
					: (unsigned long long)v;
				f++;
			} else {
				return false;
			}
			*--p = '\0';
			do
				*--p = (char)('0' + u % 10);
			while (u /= 10);
			if (neg)
				*--p = '-';
			add = p;
		}
		len = strlen(add);
		if (n + len >= size)
			len = size - 1 - n;
		memcpy(out + n, add, len);
		n += len;
	}
	out[n] = '\0';
	return true;
}

void crm_price_steps_add(struct crm_price_steps *s, const char *step,
			 int64_t amount, const char *fmt, ...)
{
	va_list ap, again;
	struct crm_price_step *st;
	size_t n;

	if (!s)
		return;
	s->v = crm_xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	st = &s->v[s->n++];
	n = strnlen(step, sizeof(st->step) - 1);
	memcpy(st->step, step, n);
	st->step[n] = '\0';
	va_start(ap, fmt);
	va_copy(again, ap);
	if (!step_format(st->detail, sizeof(st->detail), fmt, ap))
		vsnprintf(st->detail, sizeof(st->detail), fmt, again);
	va_end(again);
	va_end(ap);
	st->amount = amount;
}

void crm_price_steps_release(struct crm_price_steps *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* -- loading ------------------------------------------------------------ */

struct loader {
	const char *path, *currency;
	struct crm_err *err;
	char where[160];
};

static int bad(struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bad(struct loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(l->err, CRM_EX_CONFIG, l->path, 0, l->where, fmt, ap);
	va_end(ap);
	return -1;
}

/* A money value (a string or an integer) in l->currency. */
static int get_money(struct loader *l, json_t *j, const char *what,
		     int64_t *out)
{
	struct crm_err e = {0};
	char buf[64];

	if (!json_is_integer(j) && !json_is_string(j))
		return bad(l, "%s: an amount is a string (\"12.50\")", what);
	if (crm_money_parse(crm_json_num_text(j, buf), l->currency, out, &e) <
	    0)
		return bad(l, "%s: %s", what, e.msg);
	return 0;
}

/* A percentage (a number or a string, at most two decimals). */
static int get_pct(struct loader *l, json_t *j, const char *what, int64_t *out)
{
	char buf[64];

	if (!json_is_number(j) && !json_is_string(j))
		return bad(l, "%s: a percentage is a number", what);
	if (crm_pct_parse(crm_json_num_text(j, buf), out) < 0)
		return bad(l,
			   "%s: '%s' is no percentage with at most two "
			   "decimals",
			   what, buf);
	return 0;
}

static int get_count(struct loader *l, json_t *j, const char *what,
		     int64_t *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return bad(l, "%s: a whole number >= 0", what);
	*out = json_integer_value(j);
	return 0;
}

/* get (get_money, get_pct, get_count) of o's key when o has it. */
static int get_opt(struct loader *l, json_t *o, const char *key,
		   int (*get)(struct loader *, json_t *, const char *,
			      int64_t *),
		   int64_t *out)
{
	json_t *j = json_object_get(o, key);

	return j ? get(l, j, key, out) : 0;
}

static int get_date(struct loader *l, json_t *o, const char *key, char out[11])
{
	json_t *j = json_object_get(o, key);
	const char *s;

	out[0] = '\0';
	if (!j || json_is_null(j))
		return 0;
	s = json_string_value(j);
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[5]) ||
	    !isdigit((unsigned char)s[8]))
		return bad(l, "%s: a date YYYY-MM-DD", key);
	memcpy(out, s, 11);
	return 0;
}

static int check_keys(struct loader *l, json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		size_t i;

		(void)v;
		for (i = 0; keys[i]; i++)
			if (!strcmp(keys[i], k))
				break;
		if (!keys[i])
			return bad(l, "unknown key '%s'", k);
	}
	return 0;
}

/* Item what of an array: an object with only keys. */
static int check_item(struct loader *l, json_t *v, const char *const *keys,
		      const char *what)
{
	if (!json_is_object(v) || check_keys(l, v, keys) < 0)
		return l->err->code ? -1 : bad(l, "%s: an object", what);
	return 0;
}

/* Item i (from 0) of an array whose field must grow. */
static int not_above(struct loader *l, const char *what, size_t i,
		     const char *field)
{
	return bad(l, "%s %zu: %s must be above the one before", what, i + 1,
		   field);
}

static int load_tiers(struct loader *l, json_t *t, struct crm_price_entry *e)
{
	static const char *const keys[] = {"type", "by", "tiers", NULL};
	const char *type = json_string_value(json_object_get(t, "type"));
	const char *by = json_string_value(json_object_get(t, "by"));
	json_t *arr = json_object_get(t, "tiers"), *v;
	size_t i;

	if (!json_is_object(t))
		return bad(l, "schedule: an object");
	if (check_keys(l, t, keys) < 0)
		return -1;
	if (!type || (strcmp(type, "range") && strcmp(type, "slab")))
		return bad(l, "schedule: type is range or slab");
	e->tier_type = !strcmp(type, "slab") ? CRM_TIER_SLAB : CRM_TIER_RANGE;
	if (by && strcmp(by, "quantity") && strcmp(by, "amount"))
		return bad(l, "schedule: by is quantity or amount");
	e->tier_by =
	    by && !strcmp(by, "amount") ? CRM_TIER_AMOUNT : CRM_TIER_QTY;
	if (!json_is_array(arr) || !json_array_size(arr))
		return bad(l, "schedule: tiers is a non-empty array");
	e->tiers = crm_xcalloc(json_array_size(arr), sizeof(*e->tiers));
	json_array_foreach(arr, i, v)
	{
		static const char *const tkeys[] = {"from", "price", "discount",
						    NULL};
		struct crm_tier *t1 = &e->tiers[i];
		json_t *from = json_object_get(v, "from");
		json_t *price = json_object_get(v, "price");
		json_t *disc = json_object_get(v, "discount");

		e->ntiers = i + 1;
		if (check_item(l, v, tkeys, "tier") < 0)
			return -1;
		if (e->tier_by == CRM_TIER_QTY) {
			if (!from || get_count(l, from, "tier from", &t1->from))
				return l->err->code ? -1 : bad(l, "tier: from");
		} else if (!from ||
			   get_money(l, from, "tier from", &t1->from) < 0)
			return l->err->code ? -1 : bad(l, "tier: from");
		if (!!price == !!disc)
			return bad(l, "tier %zu: either price or discount",
				   i + 1);
		if (price) {
			if (e->tier_by == CRM_TIER_AMOUNT)
				return bad(l,
					   "tier %zu: a tier by amount "
					   "gives a discount",
					   i + 1);
			t1->has_price = true;
			if (get_money(l, price, "tier price", &t1->price) < 0)
				return -1;
		} else if (get_pct(l, disc, "tier discount", &t1->discount) < 0)
			return -1;
		if (i == 0 && t1->from > (e->tier_by == CRM_TIER_QTY ? 1 : 0))
			return bad(l, "the first tier starts at %s",
				   e->tier_by == CRM_TIER_QTY ? "1" : "0");
		if (i > 0 && t1->from <= e->tiers[i - 1].from)
			return not_above(l, "tier", i, "from");
	}
	return 0;
}

static int load_blocks(struct loader *l, json_t *arr, struct crm_price_entry *e)
{
	json_t *v;
	size_t i;

	if (!json_is_array(arr) || !json_array_size(arr))
		return bad(l, "blocks: a non-empty array");
	e->blocks = crm_xcalloc(json_array_size(arr), sizeof(*e->blocks));
	json_array_foreach(arr, i, v)
	{
		static const char *const keys[] = {"upto", "price", NULL};

		e->nblocks = i + 1;
		if (check_item(l, v, keys, "block") < 0)
			return -1;
		if (get_count(l, json_object_get(v, "upto"), "block upto",
			      &e->blocks[i].upto) < 0 ||
		    get_money(l, json_object_get(v, "price"), "block price",
			      &e->blocks[i].price) < 0)
			return -1;
		if (e->blocks[i].upto < 1 ||
		    (i && e->blocks[i].upto <= e->blocks[i - 1].upto))
			return not_above(l, "block", i, "upto");
	}
	return 0;
}

static int load_adders(struct loader *l, json_t *o, struct crm_price_entry *e)
{
	const char *attr, *val;
	json_t *vals, *v;
	size_t n = 0;

	if (!json_is_object(o))
		return bad(l, "adders: an object {attribute: {value: amount}}");
	json_object_foreach(o, attr, vals)
	{
		if (!json_is_object(vals))
			return bad(l, "adders: %s: an object {value: amount}",
				   attr);
		n += json_object_size(vals);
	}
	e->adders = crm_xcalloc(n ? n : 1, sizeof(*e->adders));
	json_object_foreach(o, attr, vals)
	{
		json_object_foreach(vals, val, v)
		{
			struct crm_adder *a = &e->adders[e->nadders++];
			const char *s = json_string_value(v);

			a->attr = crm_xstrdup(attr);
			a->value = crm_xstrdup(val);
			if (s && *s && s[strlen(s) - 1] == '%') {
				char buf[64];

				snprintf(buf, sizeof(buf), "%.*s",
					 (int)strlen(s) - 1, s);
				a->percent = true;
				if (crm_pct_parse(buf, &a->amount) < 0)
					return bad(l,
						   "adder %s=%s: '%s' is no "
						   "percentage",
						   attr, val, s);
			} else if (get_money(l, v, "adder", &a->amount) < 0)
				return -1;
		}
	}
	return 0;
}

static int load_entry(struct loader *l, const char *sku, json_t *o,
		      struct crm_price_entry *e)
{
	static const char *const keys[] = {
	    "price",   "schedule", "blocks", "cost_plus",
	    "percent", "of",	   "adders", NULL,
	};
	json_t *j;
	int nm = 0;

	e->sku = crm_xstrdup(sku);
	if (!json_is_object(o))
		return bad(l, "an entry is an object");
	if (check_keys(l, o, keys) < 0)
		return -1;
	if (get_opt(l, o, "price", get_money, &e->price) < 0)
		return -1;
	e->method = CRM_PRICE_LIST;
	if ((j = json_object_get(o, "schedule"))) {
		nm++;
		e->method = CRM_PRICE_TIERS;
		if (load_tiers(l, j, e) < 0)
			return -1;
	}
	if ((j = json_object_get(o, "blocks"))) {
		nm++;
		e->method = CRM_PRICE_BLOCK;
		if (load_blocks(l, j, e) < 0)
			return -1;
	}
	if ((j = json_object_get(o, "cost_plus"))) {
		nm++;
		e->method = CRM_PRICE_COST_PLUS;
		if (get_pct(l, j, "cost_plus", &e->markup) < 0)
			return -1;
	}
	if ((j = json_object_get(o, "percent"))) {
		const char *of = json_string_value(json_object_get(o, "of"));

		nm++;
		e->method = CRM_PRICE_PERCENT;
		if (get_pct(l, j, "percent", &e->percent) < 0)
			return -1;
		if (json_object_get(o, "of") && !of)
			return bad(l, "of: a product family");
		e->of_family = of ? crm_xstrdup(of) : NULL;
	}
	if (nm > 1)
		return bad(l, "one pricing method per entry (schedule, "
			      "blocks, cost_plus or percent)");
	if ((e->method == CRM_PRICE_LIST || e->method == CRM_PRICE_TIERS) &&
	    !json_object_get(o, "price"))
		return bad(l, "price is required");
	if ((j = json_object_get(o, "adders")) && load_adders(l, j, e) < 0)
		return -1;
	return 0;
}

static int by_sku(const void *a, const void *b)
{
	return strcmp(((const struct crm_price_entry *)a)->sku,
		      ((const struct crm_price_entry *)b)->sku);
}

static int load_book(struct loader *l, json_t *o, struct crm_price_book *b)
{
	static const char *const keys[] = {"name", "currency", "from",
					   "to",   "entries",  NULL};
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *cur = json_string_value(json_object_get(o, "currency"));
	json_t *entries = json_object_get(o, "entries"), *v;
	const char *sku;

	if (!json_is_object(o))
		return bad(l, "a book is an object");
	if (check_keys(l, o, keys) < 0)
		return -1;
	if (!name || !*name)
		return bad(l, "name is required");
	b->name = crm_xstrdup(name);
	snprintf(l->where, sizeof(l->where), "books.%s", name);
	if (!cur || crm_money_exponent(cur) < 0)
		return bad(l, "currency: an ISO 4217 code (EUR)");
	b->currency = crm_xstrdup(cur);
	l->currency = b->currency;
	if (get_date(l, o, "from", b->from) < 0 ||
	    get_date(l, o, "to", b->to) < 0)
		return -1;
	if (!json_is_object(entries))
		return bad(l, "entries: an object {SKU: entry}");
	b->entries =
	    crm_xcalloc(json_object_size(entries) + 1, sizeof(*b->entries));
	json_object_foreach(entries, sku, v)
	{
		snprintf(l->where, sizeof(l->where), "books.%s.entries.%s",
			 name, sku);
		if (load_entry(l, sku, v, &b->entries[b->nentries++]) < 0)
			return -1;
	}
	/* by sku, for crm_book_entry's binary search (a quote's every
	 * line looks its entry up) */
	qsort(b->entries, b->nentries, sizeof(*b->entries), by_sku);
	return 0;
}

static int load_strv(struct loader *l, json_t *j, const char *what,
		     struct crm_strv *sv)
{
	json_t *v;
	size_t i;

	if (!j)
		return 0;
	if (json_is_string(j)) {
		crm_strv_push(sv, json_string_value(j));
		return 0;
	}
	if (!json_is_array(j))
		return bad(l, "%s: a string or an array of strings", what);
	json_array_foreach(j, i, v)
	{
		if (!json_is_string(v))
			return bad(l, "%s: a string or an array of strings",
				   what);
		crm_strv_push(sv, json_string_value(v));
	}
	return 0;
}

static int load_promo(struct loader *l, json_t *o, struct crm_promotion *pr)
{
	static const char *const keys[] = {
	    "name",	"from",
	    "to",	"where",
	    "books",	"percent",
	    "amount",	"max_discount",
	    "max_uses", "max_uses_per_account",
	    "stack",	"currency",
	    NULL,
	};
	const char *name = json_string_value(json_object_get(o, "name"));
	json_t *j;

	pr->max_discount = pr->max_uses = pr->max_uses_account = -1;
	if (!json_is_object(o))
		return bad(l, "a promotion is an object");
	if (!name || !*name)
		return bad(l, "name is required");
	pr->name = crm_xstrdup(name);
	snprintf(l->where, sizeof(l->where), "promotions.%s", name);
	if (check_keys(l, o, keys) < 0 ||
	    get_date(l, o, "from", pr->from) < 0 ||
	    get_date(l, o, "to", pr->to) < 0 ||
	    load_strv(l, json_object_get(o, "where"), "where", &pr->where) <
		0 ||
	    load_strv(l, json_object_get(o, "books"), "books", &pr->books) < 0)
		return -1;
	for (size_t i = 0; i < pr->where.n; i++) {
		struct crm_err e = {0};

		if (crm_expr_match(pr->where.v[i], NULL, NULL, &e) < 0)
			return bad(l, "where: %s", e.msg);
	}
	l->currency = json_string_value(json_object_get(o, "currency"));
	if (!!json_object_get(o, "percent") == !!json_object_get(o, "amount"))
		return bad(l, "either percent or amount");
	if (get_opt(l, o, "percent", get_pct, &pr->percent) < 0)
		return -1;
	if ((json_object_get(o, "amount") ||
	     json_object_get(o, "max_discount")) &&
	    (!l->currency || crm_money_exponent(l->currency) < 0))
		return bad(l, "currency: an amount needs the promotion's "
			      "currency");
	if (l->currency)
		snprintf(pr->currency, sizeof(pr->currency), "%s", l->currency);
	if (get_opt(l, o, "amount", get_money, &pr->amount) < 0 ||
	    get_opt(l, o, "max_discount", get_money, &pr->max_discount) < 0 ||
	    get_opt(l, o, "max_uses", get_count, &pr->max_uses) < 0 ||
	    get_opt(l, o, "max_uses_per_account", get_count,
		    &pr->max_uses_account) < 0)
		return -1;
	j = json_object_get(o, "stack");
	if (j && !json_is_boolean(j))
		return bad(l, "stack: true or false");
	pr->stack = json_is_true(j);
	return 0;
}

/* The array key of root in *arr and room for its items (and one more,
 * zeroed) of size bytes in *v (a T **). want: what the array must be,
 * NULL when it may be absent. */
static int items_of(struct loader *l, json_t *root, const char *key,
		    const char *want, json_t **arr, void *v, size_t size)
{
	*arr = json_object_get(root, key);
	if ((*arr || want) && !json_is_array(*arr))
		return bad(l, "%s: %s", key, want ? want : "an array");
	*(void **)v = crm_xcalloc(json_array_size(*arr) + 1, size);
	return 0;
}

/* crm_config_read: the pricing file's root into p (arg). */
static int parse_pricing(const char *path, json_t *root, void *arg,
			 struct crm_err *err)
{
	static const char *const keys[] = {"books", "promotions", NULL};
	struct crm_pricing *p = arg;
	struct loader l = {.path = path, .err = err};
	json_t *arr, *v;
	size_t i;

	if (check_keys(&l, root, keys) < 0 ||
	    items_of(&l, root, "books", "an array of price books", &arr,
		     &p->books, sizeof(*p->books)) < 0)
		return -1;
	json_array_foreach(arr, i, v)
	{
		if (load_book(&l, v, &p->books[p->nbooks++]) < 0)
			return -1;
	}
	if (items_of(&l, root, "promotions", NULL, &arr, &p->promos,
		     sizeof(*p->promos)) < 0)
		return -1;
	json_array_foreach(arr, i, v)
	{
		if (load_promo(&l, v, &p->promos[p->npromos++]) < 0)
			return -1;
		for (size_t k = 0; k + 1 < p->npromos; k++)
			if (!strcmp(p->promos[k].name, p->promos[i].name))
				return bad(&l, "a second promotion named '%s'",
					   p->promos[i].name);
	}
	return 0;
}

int crm_pricing_load(const char *path, struct crm_pricing *p,
		     struct crm_err *err)
{
	memset(p, 0, sizeof(*p));
	p->path = crm_xstrdup(path);
	if (crm_config_read(path, "pricing ", "a pricing file is a JSON object",
			    parse_pricing, p, err) < 0) {
		crm_pricing_release(p);
		return -1;
	}
	return 0;
}

void crm_pricing_release(struct crm_pricing *p)
{
	for (size_t i = 0; i < p->nbooks; i++) {
		struct crm_price_book *b = &p->books[i];

		for (size_t k = 0; k < b->nentries; k++) {
			struct crm_price_entry *e = &b->entries[k];

			free(e->sku);
			free(e->of_family);
			free(e->tiers);
			free(e->blocks);
			for (size_t a = 0; a < e->nadders; a++) {
				free(e->adders[a].attr);
				free(e->adders[a].value);
			}
			free(e->adders);
		}
		free(b->entries);
		free(b->name);
		free(b->currency);
	}
	free(p->books);
	for (size_t i = 0; i < p->npromos; i++) {
		free(p->promos[i].name);
		crm_strv_release(&p->promos[i].where);
		crm_strv_release(&p->promos[i].books);
	}
	free(p->promos);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static bool in_window(const char *from, const char *to, const char *date)
{
	return (!*from || strcmp(date, from) >= 0) &&
	       (!*to || strcmp(date, to) <= 0);
}

const struct crm_price_book *crm_pricing_book(const struct crm_pricing *p,
					      const char *name,
					      const char *date,
					      struct crm_err *err)
{
	bool named = false;

	for (size_t i = 0; i < p->nbooks; i++) {
		if (strcmp(p->books[i].name, name))
			continue;
		named = true;
		if (in_window(p->books[i].from, p->books[i].to, date))
			return &p->books[i];
	}
	if (named)
		crm_err_set(err, CRM_EX_DATAERR,
			    "price book '%s' is not in effect on %s", name,
			    date);
	else
		crm_err_set(err, CRM_EX_DATAERR, "no price book '%s' in %s",
			    name, p->path);
	snprintf(err->field, sizeof(err->field), "book");
	return NULL;
}

const struct crm_price_entry *crm_book_entry(const struct crm_price_book *b,
					     const char *sku)
{
	struct crm_price_entry key = {.sku = (char *)sku};

	return bsearch(&key, b->entries, b->nentries, sizeof(*b->entries),
		       by_sku);
}

/* -- pricing -------------------------------------------------------------- */

static int overflow(struct crm_err *err)
{
	return crm_err_set(err, CRM_EX_DATAERR,
			   "the amount is out of range (more than 2^63 minor "
			   "units)");
}

static int mul(int64_t a, int64_t b, int64_t *out, struct crm_err *err)
{
	if (__builtin_mul_overflow(a, b, out))
		return overflow(err);
	return 0;
}

static int add(int64_t a, int64_t b, int64_t *out, struct crm_err *err)
{
	if (__builtin_add_overflow(a, b, out))
		return overflow(err);
	return 0;
}

/* The value of attribute attr in attrs ("name=value"), or NULL. */
static const char *attr_value(const struct crm_strv *attrs, const char *attr,
			      size_t *len)
{
	size_t n = strlen(attr);

	for (size_t i = 0; attrs && i < attrs->n; i++)
		if (!strncmp(attrs->v[i], attr, n) && attrs->v[i][n] == '=') {
			*len = strlen(attrs->v[i] + n + 1);
			return attrs->v[i] + n + 1;
		}
	return NULL;
}

static int price_tiers(const struct crm_price_in *in, struct crm_price_out *out,
		       struct crm_price_steps *steps, struct crm_err *err)
{
	const struct crm_price_entry *e = in->entry;
	char m[32], p[32];
	int64_t unit, part, n;
	size_t k = 0;

	if (e->tier_by == CRM_TIER_QTY) {
		while (k + 1 < e->ntiers && in->qty >= e->tiers[k + 1].from)
			k++;
		if (e->tier_type == CRM_TIER_RANGE) {
			const struct crm_tier *t = &e->tiers[k];

			unit = t->has_price
				   ? t->price
				   : out->list_unit - crm_pct_of(out->list_unit,
								 t->discount);
			if (mul(unit, in->qty, &out->amount, err) < 0)
				return -1;
			crm_price_steps_add(
			    steps, "tier", out->amount,
			    "range tier %zu (from %lld): all %lld at %s%s%s",
			    k + 1, (long long)t->from, (long long)in->qty,
			    crm_money_format(unit, in->currency, m),
			    t->has_price ? "" : ", list less ",
			    t->has_price ? "" : crm_pct_format(t->discount, p));
			return 0;
		}
		out->amount = 0;
		for (size_t i = 0; i <= k; i++) {
			const struct crm_tier *t = &e->tiers[i];
			int64_t hi = i + 1 < e->ntiers
					 ? e->tiers[i + 1].from - 1
					 : in->qty;

			if (hi > in->qty)
				hi = in->qty;
			n = hi - (i ? t->from : 1) + 1;
			unit = t->has_price
				   ? t->price
				   : out->list_unit - crm_pct_of(out->list_unit,
								 t->discount);
			if (mul(unit, n, &part, err) < 0 ||
			    add(out->amount, part, &out->amount, err) < 0)
				return -1;
			crm_price_steps_add(
			    steps, "tier", out->amount,
			    "slab tier %zu (%lld-%lld): %lld at %s", i + 1,
			    (long long)(i ? t->from : 1), (long long)hi,
			    (long long)n,
			    crm_money_format(unit, in->currency, m));
		}
		return 0;
	}
	/* by amount: the list amount decides the tier; discounts only */
	while (k + 1 < e->ntiers && out->list_amount >= e->tiers[k + 1].from)
		k++;
	if (e->tier_type == CRM_TIER_RANGE) {
		int64_t d = crm_pct_of(out->list_amount, e->tiers[k].discount);

		out->amount = out->list_amount - d;
		crm_price_steps_add(
		    steps, "tier", out->amount,
		    "range tier %zu (from %s): %s%% off %s", k + 1,
		    crm_money_format(e->tiers[k].from, in->currency, m),
		    crm_pct_format(e->tiers[k].discount, p),
		    crm_money_format(out->list_amount, in->currency, m));
		return 0;
	}
	{
		__int128 off = 0;
		int64_t d;

		for (size_t i = 0; i <= k; i++) {
			int64_t lo = e->tiers[i].from;
			int64_t hi = i + 1 < e->ntiers ? e->tiers[i + 1].from
						       : out->list_amount;

			if (hi > out->list_amount)
				hi = out->list_amount;
			off += (__int128)(hi - lo) * e->tiers[i].discount;
			crm_price_steps_add(
			    steps, "tier", 0, "slab tier %zu: %s%% off %s",
			    i + 1, crm_pct_format(e->tiers[i].discount, p),
			    crm_money_format(hi - lo, in->currency, m));
		}
		d = crm_div_half_even(off, 10000);
		out->amount = out->list_amount - d;
		if (steps && steps->n)
			steps->v[steps->n - 1].amount = out->amount;
	}
	return 0;
}

int crm_price_line(const struct crm_price_in *in, struct crm_price_out *out,
		   struct crm_price_steps *steps, struct crm_err *err)
{
	const struct crm_price_entry *e = in->entry;
	char m[32], m2[32], p[32];
	int64_t base, unit;

	memset(out, 0, sizeof(*out));
	if (in->qty <= 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "quantity must be at least 1");
	if (e->method == CRM_PRICE_PERCENT) {
		out->list_unit = crm_pct_of(in->base, e->percent);
		out->list_amount = out->amount = out->list_unit;
		crm_price_steps_add(steps, "percent_of_total", out->amount,
				    "%s%% of %s%s%s",
				    crm_pct_format(e->percent, p),
				    crm_money_format(in->base, in->currency, m),
				    e->of_family ? " (family " : "",
				    e->of_family ? e->of_family : "");
		if (e->of_family && steps && steps->n)
			strcat(steps->v[steps->n - 1].detail, ")");
		if (in->qty != 1) {
			if (mul(out->amount, in->qty, &out->amount, err) < 0)
				return -1;
			out->list_amount = out->amount;
			crm_price_steps_add(steps, "quantity", out->amount,
					    "times %lld", (long long)in->qty);
		}
		return 0;
	}
	if (e->method == CRM_PRICE_COST_PLUS) {
		if (!in->has_cost)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s is priced at cost plus %s%% but "
					   "has no cost in %s",
					   e->sku, crm_pct_format(e->markup, p),
					   in->currency);
		base = in->cost + crm_pct_of(in->cost, e->markup);
		crm_price_steps_add(steps, "cost_plus", base,
				    "cost %s plus %s%%",
				    crm_money_format(in->cost, in->currency, m),
				    crm_pct_format(e->markup, p));
	} else if (e->method == CRM_PRICE_BLOCK) {
		base = 0;
	} else {
		base = e->price;
		crm_price_steps_add(steps, "list", base, "book entry %s: %s",
				    e->sku,
				    crm_money_format(base, in->currency, m));
	}
	unit = base;
	for (size_t i = 0; i < e->nadders; i++) {
		const struct crm_adder *a = &e->adders[i];
		size_t len;
		const char *v = attr_value(in->attrs, a->attr, &len);
		int64_t d;

		if (!v || strcmp(v, a->value))
			continue;
		d = a->percent ? crm_pct_of(base, a->amount) : a->amount;
		if (add(unit, d, &unit, err) < 0)
			return -1;
		if (a->percent)
			crm_price_steps_add(
			    steps, "adder", unit, "%s=%s: +%s%% of %s = %s",
			    a->attr, a->value, crm_pct_format(a->amount, p),
			    crm_money_format(base, in->currency, m),
			    crm_money_format(d, in->currency, m2));
		else
			crm_price_steps_add(
			    steps, "adder", unit, "%s=%s: +%s", a->attr,
			    a->value, crm_money_format(d, in->currency, m));
	}
	out->list_unit = unit;
	if (e->method == CRM_PRICE_BLOCK) {
		size_t k;

		for (k = 0; k < e->nblocks && in->qty > e->blocks[k].upto; k++)
			;
		if (k == e->nblocks)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s: no block for a quantity of "
					   "%lld (the last ends at %lld)",
					   e->sku, (long long)in->qty,
					   (long long)e->blocks[k - 1].upto);
		out->amount = e->blocks[k].price;
		crm_price_steps_add(
		    steps, "block", out->amount, "block %zu (%lld-%lld): %s",
		    k + 1, (long long)(k ? e->blocks[k - 1].upto + 1 : 1),
		    (long long)e->blocks[k].upto,
		    crm_money_format(e->blocks[k].price, in->currency, m));
		if (unit) {
			int64_t x;

			if (mul(unit, in->qty, &x, err) < 0 ||
			    add(out->amount, x, &out->amount, err) < 0)
				return -1;
			crm_price_steps_add(
			    steps, "adder", out->amount, "adders %s times %lld",
			    crm_money_format(unit, in->currency, m),
			    (long long)in->qty);
		}
		out->list_amount = out->amount;
		out->list_unit = crm_div_half_even(out->amount, in->qty);
		return 0;
	}
	if (mul(unit, in->qty, &out->list_amount, err) < 0)
		return -1;
	crm_price_steps_add(steps, "quantity", out->list_amount, "%lld at %s",
			    (long long)in->qty,
			    crm_money_format(unit, in->currency, m));
	out->amount = out->list_amount;
	if (e->method == CRM_PRICE_TIERS)
		return price_tiers(in, out, steps, err);
	return 0;
}

/* -- subscriptions -----------------------------------------------------------
 */

int crm_period_months(const char *period)
{
	if (!period || !strcmp(period, "one_time"))
		return 0;
	if (!strcmp(period, "monthly"))
		return 1;
	if (!strcmp(period, "quarterly"))
		return 3;
	if (!strcmp(period, "annual"))
		return 12;
	return -1;
}

static int parse_day(const char *s, int64_t *days)
{
	int y, m, d;
	char tail;

	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	*days = crm_days_from_civil(y, (unsigned)m, (unsigned)d);
	{
		int64_t yy;
		unsigned mm, dd;

		crm_civil_from_days(*days, &yy, &mm, &dd);
		if (yy != y || (int)mm != m || (int)dd != d)
			return -1;
	}
	return 0;
}

/* The day n months after day (the same day of the month, or the month's
 * last day when it has fewer). */
static int64_t add_months(int64_t day, int64_t n)
{
	int64_t y, ty, idx;
	unsigned m, d, tm, last;

	crm_civil_from_days(day, &y, &m, &d);
	idx = y * 12 + (m - 1) + n;
	ty = idx / 12;
	tm = (unsigned)(idx % 12) + 1;
	last = (unsigned)(crm_days_from_civil(tm == 12 ? ty + 1 : ty,
					      tm == 12 ? 1 : tm + 1, 1) -
			  crm_days_from_civil(ty, tm, 1));
	return crm_days_from_civil(ty, tm, d < last ? d : last);
}

int crm_price_term(int64_t per_period, int period_months, int64_t term_months,
		   const char *start, const char *end, int64_t *out,
		   struct crm_price_steps *steps, const char *currency,
		   struct crm_err *err)
{
	int64_t s, e, k = 0, at, next, left, plen, part, whole;
	char m1[32], m2[32];

	if (period_months <= 0)
		return crm_err_set(err, CRM_EX_DATAERR, "no billing period");
	if (parse_day(start, &s) < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "start: '%s' is no date YYYY-MM-DD",
				   start ? start : "");
	if (end) {
		if (parse_day(end, &e) < 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "end: '%s' is no date YYYY-MM-DD",
					   end);
	} else {
		if (term_months <= 0 || term_months % period_months)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "a term of %lld months is no "
					   "multiple of the %d-month billing "
					   "period",
					   (long long)term_months,
					   period_months);
		e = add_months(s, term_months);
	}
	if (e <= s)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "the end (%s) must be after the start (%s)",
				   end ? end : "", start);
	at = s;
	while ((next = add_months(s, (k + 1) * period_months)) <= e) {
		k++;
		at = next;
	}
	left = e - at;
	plen = next - at;
	if (__builtin_mul_overflow(per_period, k, &whole))
		return crm_err_set(err, CRM_EX_DATAERR, "amount out of range");
	part = left ? crm_div_half_even((__int128)per_period * left, plen) : 0;
	*out = whole + part;
	crm_price_steps_add(steps, "term", whole,
			    "%lld whole period%s of %d month%s at %s",
			    (long long)k, k == 1 ? "" : "s", period_months,
			    period_months == 1 ? "" : "s",
			    crm_money_format(per_period, currency, m1));
	if (left)
		crm_price_steps_add(steps, "proration", *out,
				    "%lld of %lld days of a period: +%s",
				    (long long)left, (long long)plen,
				    crm_money_format(part, currency, m2));
	return 0;
}

/* -- promotions ------------------------------------------------------------ */

static const char *const ops[] = {"<=", ">=", "!=", "=", "<", ">", "~"};

static bool number(const char *s, long double *v)
{
	char *end;

	if (!*s)
		return false;
	*v = strtold(s, &end);
	return !*end;
}

int crm_expr_match(const char *expr, crm_promo_get get, void *arg,
		   struct crm_err *err)
{
	const char *op = NULL, *at = NULL;
	size_t oi = 0;
	char field[128], value[256];
	const char *have;
	long double a, b;
	int cmp;

	/* every operator starts with one of "<>!=~" (promotions match
	 * expressions per line: this is the hot path of crm-quote price) */
	for (const char *s = expr; *s && !at; s++) {
		if (!strchr("<>!=~", *s))
			continue;
		for (oi = 0; oi < sizeof(ops) / sizeof(ops[0]); oi++)
			if (s[0] == ops[oi][0] &&
			    (!ops[oi][1] || s[1] == ops[oi][1])) {
				at = s;
				op = ops[oi];
				break;
			}
	}
	if (!at)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "'%s': no operator (= != < <= > >= ~)",
				   expr);
	{
		const char *s = expr, *e = at;

		while (isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e == s || (size_t)(e - s) >= sizeof(field))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "'%s': no field before %s", expr,
					   op);
		memcpy(field, s, (size_t)(e - s));
		field[e - s] = '\0';
		s = at + strlen(op);
		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if ((size_t)(e - s) >= sizeof(value))
			e = s + sizeof(value) - 1; /* as snprintf cut it */
		memcpy(value, s, (size_t)(e - s));
		value[e - s] = '\0';
	}
	if (!get)
		return 0;
	have = get(field, arg);
	if (!have)
		return 0;
	if (!strcmp(op, "~")) {
		size_t n = strlen(value);

		for (const char *s = have; *s; s++)
			if (!strncasecmp(s, value, n))
				return 1;
		return !n;
	}
	if (number(have, &a) && number(value, &b))
		cmp = a < b ? -1 : a > b;
	else
		cmp = strcasecmp(have, value);
	switch (oi) {
	case 0:
		return cmp <= 0;
	case 1:
		return cmp >= 0;
	case 2:
		return cmp != 0;
	case 3:
		return cmp == 0;
	case 4:
		return cmp < 0;
	case 5:
		return cmp > 0;
	}
	return 0;
}

int crm_promo_apply(const struct crm_pricing *p, const char *book,
		    const char *date, int64_t amount, int64_t qty,
		    const int64_t *uses, const int64_t *uses_account,
		    crm_promo_get get, void *arg, const char *currency,
		    int64_t *discount, struct crm_strv *names,
		    struct crm_price_steps *steps, struct crm_err *err)
{
	int64_t *d = crm_xcalloc(p->npromos + 1, sizeof(*d));
	int64_t stack_sum = 0, best = 0;
	long best_i = -2; /* -1: the stacking ones */
	char m[32], m2[32];

	*discount = 0;
	for (size_t i = 0; i < p->npromos; i++) {
		const struct crm_promotion *pr = &p->promos[i];
		bool ok = true;
		size_t k;
		int rc;

		d[i] = -1;
		if (!in_window(pr->from, pr->to, date)) {
			crm_price_steps_add(steps, "promotion", amount,
					    "%s: not on %s (%s to %s)",
					    pr->name, date,
					    *pr->from ? pr->from : "open",
					    *pr->to ? pr->to : "open");
			continue;
		}
		for (k = 0; k < pr->books.n && strcmp(pr->books.v[k], book);
		     k++)
			;
		if (pr->books.n && k == pr->books.n) {
			crm_price_steps_add(steps, "promotion", amount,
					    "%s: not in book %s", pr->name,
					    book);
			continue;
		}
		if (pr->currency[0] && strcmp(pr->currency, currency)) {
			crm_price_steps_add(steps, "promotion", amount,
					    "%s: in %s, not %s", pr->name,
					    pr->currency, currency);
			continue;
		}
		for (k = 0; k < pr->where.n && ok; k++) {
			rc = crm_expr_match(pr->where.v[k], get, arg, err);
			if (rc < 0) {
				free(d);
				return -1;
			}
			if (!rc) {
				crm_price_steps_add(steps, "promotion", amount,
						    "%s: not eligible (%s)",
						    pr->name, pr->where.v[k]);
				ok = false;
			}
		}
		if (!ok)
			continue;
		if (pr->max_uses >= 0 && uses && uses[i] >= pr->max_uses) {
			crm_price_steps_add(steps, "promotion", amount,
					    "%s: used up (%lld of %lld uses)",
					    pr->name, (long long)uses[i],
					    (long long)pr->max_uses);
			continue;
		}
		if (pr->max_uses_account >= 0 && uses_account &&
		    uses_account[i] >= pr->max_uses_account) {
			crm_price_steps_add(
			    steps, "promotion", amount,
			    "%s: used up by this account (%lld of %lld)",
			    pr->name, (long long)uses_account[i],
			    (long long)pr->max_uses_account);
			continue;
		}
		if (pr->percent)
			d[i] = crm_pct_of(amount, pr->percent);
		else if (mul(pr->amount, qty, &d[i], err) < 0) {
			free(d);
			return -1;
		}
		if (pr->max_discount >= 0 && d[i] > pr->max_discount) {
			crm_price_steps_add(
			    steps, "promotion", amount, "%s: %s capped at %s",
			    pr->name, crm_money_format(d[i], currency, m),
			    crm_money_format(pr->max_discount, currency, m2));
			d[i] = pr->max_discount;
		}
		if (pr->stack)
			stack_sum += d[i];
		else if (d[i] > best || best_i == -2) {
			best = d[i];
			best_i = (long)i;
		}
	}
	if (stack_sum > 0 && (best_i == -2 || stack_sum > best)) {
		best = stack_sum;
		best_i = -1;
	}
	if (best_i == -2 || best <= 0) {
		free(d);
		return 0;
	}
	if (best > amount)
		best = amount;
	for (size_t i = 0; i < p->npromos; i++) {
		const struct crm_promotion *pr = &p->promos[i];
		bool taken =
		    best_i == -1 ? (pr->stack && d[i] >= 0) : (long)i == best_i;
		char pc[32];

		if (d[i] < 0)
			continue;
		if (!taken) {
			crm_price_steps_add(steps, "promotion", amount,
					    "%s: %s not taken (%s)", pr->name,
					    crm_money_format(d[i], currency, m),
					    pr->stack ? "a better exclusive one"
						      : "a better combination");
			continue;
		}
		if (names)
			crm_strv_push(names, pr->name);
		if (pr->percent)
			crm_price_steps_add(
			    steps, "promotion", amount - d[i],
			    "%s: %s%% off %s = -%s%s", pr->name,
			    crm_pct_format(pr->percent, pc),
			    crm_money_format(amount, currency, m),
			    crm_money_format(d[i], currency, m2),
			    pr->stack ? " (stacks)" : "");
		else
			crm_price_steps_add(steps, "promotion", amount - d[i],
					    "%s: -%s%s", pr->name,
					    crm_money_format(d[i], currency, m),
					    pr->stack ? " (stacks)" : "");
	}
	*discount = best;
	free(d);
	return 0;
}
