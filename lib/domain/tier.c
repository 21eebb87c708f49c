/* tier.c - customer tiers: the tiers file, the figures of an account
 * (won revenue in the window and the one before, growth, open pipeline,
 * RFM segment, industry), the first rule that holds, and the stored tier
 * with its change log entry and flow event. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "company.h"
#include "config.h"
#include "datetime.h"
#include "dbq.h"
#include "flow.h"
#include "money.h"
#include "normalize.h"
#include "pipeline.h"
#include "tier.h"

/* -- the file ------------------------------------------------------------ */

static int bad(struct crm_err *err, const char *path, const char *field,
	       const char *why)
{
	return crm_err_at(err, CRM_EX_CONFIG, path, 0, field, "%s", why);
}

static void rule_release(struct crm_tier_rule *r)
{
	free(r->tier);
	free(r->name);
	crm_strv_release(&r->rfm);
	crm_strv_release(&r->industry);
}

void crm_tiers_release(struct crm_tiers *t)
{
	free(t->path);
	crm_strv_release(&t->tiers);
	for (size_t i = 0; i < t->nrules; i++)
		rule_release(&t->rules[i]);
	free(t->rules);
	memset(t, 0, sizeof(*t));
}

/* A money bound: a whole number or a decimal string, in the currency. */
static int money_bound(const struct crm_tiers *t, json_t *v, int64_t *out,
		       const char *field, struct crm_err *err)
{
	char num[32];
	const char *s = crm_json_int_text(v, num);
	struct crm_err e2 = {0};

	if (!s)
		return bad(err, t->path, field,
			   "expected a whole number or a decimal string "
			   "(\"1500.50\")");
	if (crm_money_parse(s, t->currency, out, &e2) < 0)
		return bad(err, t->path, field, e2.msg);
	return 0;
}

static int range(const struct crm_tiers *t, json_t *v, bool money,
		 struct crm_tier_range *r, const char *field,
		 struct crm_err *err)
{
	static const char *const keys[] = {"min", "max", NULL};
	char f[160];
	const char *k;
	json_t *x;

	if (!json_is_object(v))
		return bad(err, t->path, field,
			   "expected an object with min and/or max");
	if ((k = crm_json_unknown_key(v, keys))) {
		snprintf(f, sizeof(f), "%s.%s", field, k);
		return bad(err, t->path, f, "unknown key");
	}
	r->on = true;
	for (int m = 0; m < 2; m++) {
		x = json_object_get(v, keys[m]);
		if (!x)
			continue;
		snprintf(f, sizeof(f), "%s.%s", field, keys[m]);
		if (money) {
			if (money_bound(t, x, m ? &r->max : &r->min, f, err) <
			    0)
				return -1;
		} else if (!json_is_number(x)) {
			return bad(err, t->path, f, "expected a number");
		} else if (m) {
			r->fmax = json_number_value(x);
		} else {
			r->fmin = json_number_value(x);
		}
		*(m ? &r->has_max : &r->has_min) = true;
	}
	if (!r->has_min && !r->has_max)
		return bad(err, t->path, field, "expected min and/or max");
	if (r->has_min && r->has_max &&
	    (money ? r->min > r->max : r->fmin > r->fmax))
		return bad(err, t->path, field, "min is above max");
	return 0;
}

static int strings(const struct crm_tiers *t, json_t *v, struct crm_strv *sv,
		   const char *field, struct crm_err *err)
{
	size_t i;
	json_t *x;

	if (json_is_string(v)) {
		crm_strv_push(sv, json_string_value(v));
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v))
		return bad(err, t->path, field,
			   "expected a string or an array of strings");
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x) || !*json_string_value(x))
			return bad(err, t->path, field,
				   "expected a string or an array of "
				   "strings");
		crm_strv_push(sv, json_string_value(x));
	}
	return 0;
}

static int load_rule(struct crm_tiers *t, size_t i, json_t *j,
		     struct crm_err *err)
{
	static const char *const keys[] = {"tier", "name", "when", NULL};
	static const char *const when_keys[] = {
	    "revenue", "growth", "pipeline", "rfm", "industry", NULL};
	struct crm_tier_rule *r = &t->rules[i];
	char f[160];
	const char *k;
	json_t *v, *when;

	snprintf(f, sizeof(f), "rules[%zu]", i);
	if (!json_is_object(j))
		return bad(err, t->path, f, "expected an object");
	if ((k = crm_json_unknown_key(j, keys))) {
		snprintf(f, sizeof(f), "rules[%zu].%s", i, k);
		return bad(err, t->path, f, "unknown key");
	}
	v = json_object_get(j, "tier");
	if (!json_is_string(v) ||
	    crm_strv_find(&t->tiers, json_string_value(v)) < 0) {
		snprintf(f, sizeof(f), "rules[%zu].tier", i);
		return bad(err, t->path, f, "expected one of the tiers");
	}
	r->tier = crm_xstrdup(json_string_value(v));
	v = json_object_get(j, "name");
	if (v && (!json_is_string(v) || !*json_string_value(v))) {
		snprintf(f, sizeof(f), "rules[%zu].name", i);
		return bad(err, t->path, f, "expected a string");
	}
	r->name = v ? crm_xstrdup(json_string_value(v))
		    : crm_xasprintf("rules[%zu]", i);
	when = json_object_get(j, "when");
	if (!when)
		return 0;
	snprintf(f, sizeof(f), "rules[%zu].when", i);
	if (!json_is_object(when))
		return bad(err, t->path, f, "expected an object");
	json_object_foreach(when, k, v)
	{
		size_t n;
		for (n = 0; when_keys[n] && strcmp(when_keys[n], k); n++)
			;
		snprintf(f, sizeof(f), "rules[%zu].when.%s", i, k);
		if (!when_keys[n])
			return bad(err, t->path, f, "unknown condition");
		if (n != 1 && n < 3 && !*t->currency)
			return bad(err, t->path, f,
				   "a money condition needs the file's "
				   "currency");
		if ((n == 0 && range(t, v, true, &r->revenue, f, err) < 0) ||
		    (n == 1 && range(t, v, false, &r->growth, f, err) < 0) ||
		    (n == 2 && range(t, v, true, &r->pipeline, f, err) < 0) ||
		    (n == 3 && strings(t, v, &r->rfm, f, err) < 0) ||
		    (n == 4 && strings(t, v, &r->industry, f, err) < 0))
			return -1;
	}
	return 0;
}

/* crm_config_read: the tiers file's root into t (arg). */
static int parse_tiers(const char *path, json_t *root, void *arg,
		       struct crm_err *err)
{
	static const char *const keys[] = {"currency", "window_days", "tiers",
					   "rules", NULL};
	struct crm_tiers *t = arg;
	json_t *v;
	const char *k;
	size_t i;

	if ((k = crm_json_unknown_key(root, keys)))
		return bad(err, path, k, "unknown key");
	v = json_object_get(root, "currency");
	if (v && (!json_is_string(v) ||
		  crm_money_exponent(json_string_value(v)) < 0))
		return bad(err, path, "currency",
			   "expected a currency code (EUR)");
	if (v)
		snprintf(t->currency, sizeof(t->currency), "%s",
			 json_string_value(v));
	v = json_object_get(root, "window_days");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		  json_integer_value(v) > 36500))
		return bad(err, path, "window_days",
			   "expected a whole number of days, 1 to 36500");
	if (v)
		t->window_days = (long)json_integer_value(v);
	v = json_object_get(root, "tiers");
	if (!json_is_array(v) || !json_array_size(v))
		return bad(err, path, "tiers",
			   "expected an array of tier names");
	json_array_foreach(json_object_get(root, "tiers"), i, v)
	{
		const char *s = json_string_value(v);

		if (!s || !*s || strlen(s) > 32 || strchr(s, ','))
			return bad(err, path, "tiers",
				   "each tier is a name of 1 to 32 "
				   "characters, no comma");
		if (crm_strv_find(&t->tiers, s) >= 0)
			return bad(err, path, "tiers", "a tier is named twice");
		crm_strv_push(&t->tiers, s);
	}
	v = json_object_get(root, "rules");
	if (!json_is_array(v) || !json_array_size(v))
		return bad(err, path, "rules", "expected an array of rules");
	t->rules = crm_xcalloc(json_array_size(v), sizeof(*t->rules));
	json_array_foreach(json_object_get(root, "rules"), i, v)
	{
		t->nrules = i + 1;
		if (load_rule(t, i, v, err) < 0)
			return -1;
	}
	return 0;
}

int crm_tiers_load(const char *path, struct crm_tiers *t, struct crm_err *err)
{
	memset(t, 0, sizeof(*t));
	t->window_days = 365;
	t->path = crm_xstrdup(path);
	if (crm_config_read(path, "tiers ", "a JSON object", parse_tiers, t,
			    err) < 0) {
		crm_tiers_release(t);
		return -1;
	}
	return 0;
}

/* -- the figures ---------------------------------------------------------- */

/* Add minor units of cur to *sum in the file's currency; a currency with
 * no rate marks the figure unknown and is noted. */
static int add_money(const struct crm_tier_opts *o, const char *cur,
		     int64_t minor, int64_t *sum, bool *known,
		     struct crm_tier_figures *fig, struct crm_err *err)
{
	long double v;

	if (!cur || !strcmp(cur, o->t->currency)) {
		if (__builtin_add_overflow(*sum, minor, sum))
			return crm_money_overflow(err, "tiers");
		return 0;
	}
	if (o->rates && crm_rates_convert(o->rates, cur, minor, &v, err) == 0) {
		v += *sum;
		if (!crm_money_fits(v))
			return crm_money_overflow(err, "tiers");
		*sum = (int64_t)llroundl(v);
		return 0;
	}
	if (o->rates && err->code != CRM_EX_CONFIG)
		return -1;
	*known = false;
	if (!fig->unconverted || !strstr(fig->unconverted, cur)) {
		char *u = crm_xasprintf(
		    "%s%s%s", fig->unconverted ? fig->unconverted : "",
		    fig->unconverted ? "," : "", cur);
		free(fig->unconverted);
		fig->unconverted = u;
	}
	memset(err, 0, sizeof(*err));
	return 0;
}

static void figures_release(struct crm_tier_figures *f)
{
	free(f->rfm);
	free(f->industry);
	free(f->unconverted);
	memset(f, 0, sizeof(*f));
}

struct figs {
	const struct crm_tier_opts *o;
	struct crm_tier_figures *fig;
	struct crm_err *err;
};

/* won deals of a currency in the window (column 1 is 1) or the one
 * before */
static int won_row(struct crm_stmt *st, void *arg)
{
	struct figs *g = arg;
	struct crm_tier_figures *fig = g->fig;
	bool cur = crm_stmt_int(st, 1) == 1;

	*(cur ? &fig->won : &fig->won_previous) += crm_stmt_int(st, 3);
	return add_money(g->o, crm_stmt_text(st, 0), crm_stmt_int(st, 2),
			 cur ? &fig->revenue : &fig->previous,
			 cur ? &fig->revenue_known : &fig->previous_known, fig,
			 g->err);
}

/* open deals of a currency */
static int open_row(struct crm_stmt *st, void *arg)
{
	struct figs *g = arg;

	g->fig->open += crm_stmt_int(st, 2);
	return add_money(g->o, crm_stmt_text(st, 0), crm_stmt_int(st, 1),
			 &g->fig->pipeline, &g->fig->pipeline_known, g->fig,
			 g->err);
}

static int figures(struct crm_db *db, const struct crm_tier_opts *o, int64_t id,
		   struct crm_tier_figures *fig, struct crm_err *err)
{
	char from[CRM_TIME_LEN], mid[CRM_TIME_LEN], to[CRM_TIME_LEN];
	int64_t w = (int64_t)o->t->window_days * 86400;
	struct figs g = {o, fig, err};

	fig->revenue_known = fig->previous_known = fig->pipeline_known = true;
	crm_datetime_format(db->now - 2 * w, from);
	crm_datetime_format(db->now - w, mid);
	crm_datetime_format(db->now, to);
	/* won deals closed in [from, now): the window and the one before */
	if (crm_dbq_each(db, err, won_row, &g,
			 "SELECT currency, CASE WHEN closed_at >= ?2 THEN 1 "
			 "ELSE 0 END, sum(amount), count(*) FROM deals WHERE "
			 "company_id = ?1 AND status = 'won' AND closed_at >= "
			 "?3 AND closed_at < ?4 AND amount IS NOT NULL GROUP "
			 "BY currency, CASE WHEN closed_at >= ?2 THEN 1 ELSE 0 "
			 "END ORDER BY 1, 2",
			 "isss", id, mid, from, to) < 0 ||
	    crm_dbq_each(db, err, open_row, &g,
			 "SELECT currency, sum(amount), count(*) FROM deals "
			 "WHERE company_id = ? AND status = 'open' AND amount "
			 "IS NOT NULL GROUP BY currency ORDER BY 1",
			 "i", id) < 0)
		return -1;
	fig->growth_known =
	    fig->revenue_known && fig->previous_known && fig->previous > 0;
	if (fig->growth_known)
		fig->growth = 100.0 * (double)(fig->revenue - fig->previous) /
			      (double)fig->previous;
	/* the latest RFM segment crm-score rfm stored */
	return crm_dbq_text(db, err, &fig->rfm,
			    "SELECT segment FROM rfm_scores WHERE entity = "
			    "'company' AND record_id = ? AND at <= ? ORDER BY "
			    "at DESC LIMIT 1",
			    "is", id, to) < 0
		   ? -1
		   : 0;
}

/* -- the rules ------------------------------------------------------------ */

static bool in_money(const struct crm_tier_range *r, int64_t v)
{
	return (!r->has_min || v >= r->min) && (!r->has_max || v <= r->max);
}

static bool in_pct(const struct crm_tier_range *r, double v)
{
	return (!r->has_min || v >= r->fmin) && (!r->has_max || v <= r->fmax);
}

static bool one_of(const struct crm_strv *sv, const char *v)
{
	for (size_t i = 0; v && i < sv->n; i++)
		if (!strcasecmp(sv->v[i], v))
			return true;
	return false;
}

static void say_range(struct crm_buf *b, const struct crm_tier_range *r,
		      const char *cur, bool money)
{
	char x[32], y[32];

	if (money) {
		crm_money_format(r->min, cur, x);
		crm_money_format(r->max, cur, y);
	} else {
		snprintf(x, sizeof(x), "%g%%", r->fmin);
		snprintf(y, sizeof(y), "%g%%", r->fmax);
	}
	if (r->has_min && r->has_max)
		crm_buf_addf(b, " in %s..%s", x, y);
	else if (r->has_min)
		crm_buf_addf(b, " >= %s", x);
	else
		crm_buf_addf(b, " <= %s", y);
}

static void say_list(struct crm_buf *b, const struct crm_strv *sv)
{
	crm_buf_adds(b, " in [");
	for (size_t i = 0; i < sv->n; i++)
		crm_buf_addf(b, "%s%s", i ? ", " : "", sv->v[i]);
	crm_buf_adds(b, "]");
}

/* A money figure (v, when known) within range r; why (may be NULL) says
 * the figure and the range. */
static bool money_holds(struct crm_buf *why, const char *name, bool known,
			int64_t v, const struct crm_tier_range *r,
			const char *cur)
{
	char x[32];

	if (why) {
		crm_buf_addf(why, " %s %s", name,
			     known ? crm_money_format(v, cur, x) : "unknown");
		say_range(why, r, cur, true);
	}
	return known && in_money(r, v);
}

/* Whether rule r holds for fig; why (may be NULL) gets one line. */
static bool holds(const struct crm_tiers *t, size_t i,
		  const struct crm_tier_figures *fig, struct crm_buf *why)
{
	const struct crm_tier_rule *r = &t->rules[i];
	const char *cur = t->currency;
	bool all = true, any = false;

	if (why)
		crm_buf_addf(why, "rule %zu '%s' (%s):", i + 1, r->name,
			     r->tier);
#define COND(on, ok, say)                                                      \
	if (on) {                                                              \
		bool ok_ = (ok);                                               \
		any = true;                                                    \
		all = all && ok_;                                              \
		if (why) {                                                     \
			say;                                                   \
			crm_buf_adds(why, ok_ ? " yes;" : " no;");             \
		}                                                              \
	}
	COND(r->revenue.on,
	     money_holds(why, "revenue", fig->revenue_known, fig->revenue,
			 &r->revenue, cur),
	     (void)0);
	COND(r->growth.on, fig->growth_known && in_pct(&r->growth, fig->growth),
	     (fig->growth_known
		  ? crm_buf_addf(why, " growth %+.1f%%", fig->growth)
		  : crm_buf_adds(why, " growth unknown"),
	      say_range(why, &r->growth, cur, false)));
	COND(r->pipeline.on,
	     money_holds(why, "pipeline", fig->pipeline_known, fig->pipeline,
			 &r->pipeline, cur),
	     (void)0);
	COND(r->rfm.n, one_of(&r->rfm, fig->rfm),
	     (crm_buf_addf(why, " rfm %s", fig->rfm ? fig->rfm : "none"),
	      say_list(why, &r->rfm)));
	COND(r->industry.n, one_of(&r->industry, fig->industry),
	     (crm_buf_addf(why, " industry %s",
			   fig->industry ? fig->industry : "none"),
	      say_list(why, &r->industry)));
#undef COND
	if (why) {
		if (!any)
			crm_buf_adds(why, " no conditions;");
		why->s[why->len - 1] = '\n';
	}
	return all;
}

/* -- storing ------------------------------------------------------------- */

static int store(struct crm_db *db, int64_t id, const char *tier,
		 const char *rule, struct crm_err *err)
{
	struct crm_row old, row;
	char now[CRM_TIME_LEN], *bj = NULL, *aj = NULL, *data;
	json_t *j;
	int rc = -1;

	crm_row_init(&old, &crm_company_entity);
	crm_row_init(&row, &crm_company_entity);
	if (crm_entity_get(db, &crm_company_entity, id, &old, err) <= 0)
		goto out;
	crm_row_copy(&row, &old);
	if (crm_row_set(&row, "tier", tier ? tier : "") < 0) {
		crm_err_set(err, CRM_EX_SOFTWARE, "companies have no tier");
		goto out;
	}
	if (!db->change &&
	    crm_db_change(db, "tier", crm_company_entity.name, err) < 0)
		goto out;
	j = crm_row_to_json(&old);
	bj = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	aj = crm_row_diff(&old, &row);
	if (crm_db_audit(db, crm_company_entity.name, id, "update", bj, aj,
			 err) < 0)
		goto out;
	rc = crm_dbq_run(
	    db, err,
	    "UPDATE companies SET tier = ?, updated_at = ? WHERE id = ?", "ssi",
	    tier, crm_datetime_format(db->now, now), id);
	if (rc < 0) {
		crm_err_what(err, "cannot store the tier");
		goto out;
	}
	j = json_pack("{s:s?,s:s?,s:s?}", "from", crm_row_get(&old, "tier"),
		      "to", tier, "rule", rule);
	data = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	rc = crm_flow_emit(db, "company.tier_changed", crm_company_entity.name,
			   id, data, err);
	free(data);
out:
	free(bj);
	free(aj);
	crm_row_release(&old);
	crm_row_release(&row);
	return rc;
}

/* The companies to run on (o's ids, or every one), by id. */
struct run {
	const struct crm_tier_opts *o;
	int64_t *ids;
	size_t n, cap;
	struct crm_strv names, was, ind;
};

static int company_row(struct crm_stmt *st, void *arg)
{
	struct run *r = arg;
	int64_t id = crm_stmt_int(st, 0);
	size_t k;

	for (k = 0; r->o->ids && k < r->o->nids && r->o->ids[k] != id; k++)
		;
	if (r->o->ids && k == r->o->nids)
		return 0;
	r->ids = crm_xgrow(r->ids, &r->cap, r->n + 1, sizeof(*r->ids));
	r->ids[r->n++] = id;
	crm_strv_push(&r->names, crm_stmt_text(st, 1));
	crm_strv_push(&r->was,
		      crm_stmt_text(st, 2) ? crm_stmt_text(st, 2) : "");
	crm_strv_push(&r->ind,
		      crm_stmt_text(st, 3) ? crm_stmt_text(st, 3) : "");
	return 0;
}

int crm_tier_run(struct crm_db *db, const struct crm_tier_opts *o,
		 int (*fn)(const struct crm_tier_result *r, void *arg),
		 void *arg, uint64_t *changed, struct crm_err *err)
{
	struct run c = {.o = o};
	struct crm_buf why = {0};
	int rc = -1, s;

	*changed = 0;
	if (o->rates && *o->t->currency &&
	    strcmp(o->rates->base, o->t->currency))
		return crm_err_set(err, CRM_EX_USAGE,
				   "--rates: base %s, but the tiers file's "
				   "currency is %s",
				   o->rates->base, o->t->currency);
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (crm_dbq_each(db, err, company_row, &c,
			 "SELECT id, name, tier, industry FROM companies "
			 "ORDER BY id",
			 "") < 0)
		goto out;
	for (size_t i = 0; i < c.n; i++) {
		struct crm_tier_figures fig = {0};
		struct crm_tier_result r = {.id = c.ids[i],
					    .name = c.names.v[i],
					    .was =
						*c.was.v[i] ? c.was.v[i] : NULL,
					    .rule = -1,
					    .fig = &fig};

		if (*c.ind.v[i])
			fig.industry = crm_xstrdup(c.ind.v[i]);
		crm_buf_reset(&why);
		if (figures(db, o, c.ids[i], &fig, err) < 0) {
			figures_release(&fig);
			goto out;
		}
		for (size_t k = 0; k < o->t->nrules && r.rule < 0; k++)
			if (holds(o->t, k, &fig, o->explain ? &why : NULL))
				r.rule = (long)k;
		r.tier = r.rule >= 0 ? o->t->rules[r.rule].tier : NULL;
		r.changed = !crm_str_same(r.was, r.tier);
		r.why = o->explain ? (why.s ? why.s : "") : NULL;
		s = 0;
		if (r.changed) {
			(*changed)++;
			s = store(db, c.ids[i], r.tier,
				  r.rule >= 0 ? o->t->rules[r.rule].name : NULL,
				  err);
		}
		if (s == 0 && fn && fn(&r, arg) < 0)
			s = -1;
		figures_release(&fig);
		if (s < 0)
			goto out;
	}
	if (o->dry_run) {
		crm_db_rollback(db);
		rc = 0;
		goto done;
	}
	rc = crm_db_commit(db, err);
	goto done;
out:
	crm_db_rollback(db);
done:
	crm_buf_release(&why);
	crm_strv_release(&c.names);
	crm_strv_release(&c.was);
	crm_strv_release(&c.ind);
	free(c.ids);
	return rc;
}

/* The tier a lookup's crm_dbq_text gave (rc, *tier: freed) into out. */
static int tier_out(int rc, char *tier, char out[64])
{
	if (rc > 0 && tier)
		snprintf(out, 64, "%s", tier);
	free(tier);
	return rc < 0 ? -1 : 0;
}

int crm_tier_of(struct crm_db *db, int64_t id, char out[64],
		struct crm_err *err)
{
	char *tier;
	int rc;

	*out = 0;
	rc = crm_dbq_text(db, err, &tier,
			  "SELECT tier FROM companies WHERE id = ?", "i", id);
	return tier_out(rc, tier, out);
}

int crm_tier_for_row(struct crm_db *db, const struct crm_row *row, char out[64],
		     struct crm_err *err)
{
	const char *v;
	struct crm_buf key = {0};
	char *tier;
	int rc;

	*out = 0;
	if (row->e == &crm_company_entity) {
		v = crm_row_get(row, "tier");
		if (v)
			snprintf(out, 64, "%s", v);
		return 0;
	}
	if (crm_entity_field(row->e, "company_id") >= 0 &&
	    (v = crm_row_get(row, "company_id")))
		return crm_tier_of(db, strtoll(v, NULL, 10), out, err);
	if (crm_entity_field(row->e, "company") < 0 ||
	    !(v = crm_row_get(row, "company")))
		return 0;
	/* a lead's company by name: the account of that name */
	crm_norm_company(v, strlen(v), &key);
	if (!key.len)
		return 0;
	rc = crm_dbq_text(db, err, &tier,
			  "SELECT tier FROM companies WHERE name_key = ? "
			  "ORDER BY id LIMIT 1",
			  "s", crm_buf_str(&key));
	crm_buf_release(&key);
	return tier_out(rc, tier, out);
}
