/* scoring.c - rules files, fit and engagement scores, caps, grades. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "scoring.h"
#include "share.h"

enum op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_BETWEEN,
	OP_IN,
	OP_NOT_IN,
	OP_CONTAINS,
	OP_MATCHES,
	OP_EXISTS,
	OP_MISSING,
	OP_DOMAIN_IN,
};

static const char *const op_names[] = {
    "=",       "!=",	  "<",	     "<=",	  ">",
    ">=",      "between", "in",	     "not_in",	  "contains",
    "matches", "exists",  "missing", "domain_in", NULL,
};

struct group {
	char *name, *label;
	double min, max;
	bool has_min, has_max;
};

struct section {
	struct group *groups;
	size_t ngroups;
	double min, max;
	char *cap_label;
	struct band {
		char *grade;
		double min;
		bool has_min;
	} * bands;
	size_t nbands;
};

struct fit_rule {
	char *name, *field;
	enum op op;
	double num, num2;     /* comparisons, between */
	struct crm_strv strs; /* =, !=, in, not_in, contains, domain_in */
	regex_t re;
	bool has_re;
	double points;
	long group; /* -1: none */
};

struct eng_type {
	char *name;
	double points, daily_cap; /* daily_cap 0: none */
	long group;
};

struct crm_scoring {
	struct section fit, eng;
	struct fit_rule *rules;
	size_t nrules;
	struct eng_type *types;
	size_t ntypes;
	double window_days, half_life_days;
	double fit_weight, eng_weight, trend_band;
};

/* ---- loading ---- */

struct loader {
	const char *path;
	struct crm_err *err;
};

/* How many positions pattern p (POSIX ERE) expands to, each counted
 * repetition multiplying its atom, as regcomp builds it; and no
 * backreferences (they need backtracking). Bounds regcomp's memory and the
 * matcher's work per byte of a value. Returns 0, or -1 with msg. */
static int pattern_check(const char *p, char *msg, size_t n)
{
	uint64_t total[CRM_RULE_PATTERN_DEPTH + 1] = {0}, last = 0, size;
	size_t depth = 0, len = strlen(p);

	if (len > CRM_RULE_PATTERN_MAX) {
		snprintf(msg, n, "longer than %d bytes", CRM_RULE_PATTERN_MAX);
		return -1;
	}
	for (; *p; p++) {
		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				snprintf(msg, n,
					 "backreferences (\\%c) are "
					 "not supported",
					 p[1]);
				return -1;
			}
			if (p[1])
				p++;
			last = 1;
			break;
		case '[': /* a bracket expression: one position */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			for (; *p && *p != ']'; p++)
				if (*p == '[' && (p[1] == ':' || p[1] == '.' ||
						  p[1] == '=')) {
					char c = p[1];
					const char *e = p + 2;

					while (*e &&
					       !(e[0] == c && e[1] == ']'))
						e++;
					p = *e ? e + 1 : e - 1;
				}
			if (!*p)
				p--;
			last = 1;
			break;
		case '(':
			if (depth == CRM_RULE_PATTERN_DEPTH) {
				snprintf(msg, n, "groups nested deeper than %d",
					 CRM_RULE_PATTERN_DEPTH);
				return -1;
			}
			total[++depth] = 0;
			last = 0;
			continue;
		case ')':
			if (!depth) {
				last = 1;
				break;
			}
			last = total[depth--] + 1;
			break;
		case '|':
			last = 0;
			total[depth]++;
			continue;
		case '*':
		case '?':
			continue;
		case '+': /* regcomp copies the atom: a+ is aa* */
			size = last;
			total[depth] += size;
			last += size;
			if (total[depth] > CRM_RULE_PATTERN_NODES)
				goto big;
			continue;
		case '{': {
			char *e;
			unsigned long lo = strtoul(p + 1, &e, 10), hi = lo;
			const char *end = e;

			if (p[1] == ',') /* {,N} is {0,N} */
				end = p + 1;
			else if (end == p + 1)
				end = NULL;
			if (!end || (*end != ',' && *end != '}')) {
				last = 1; /* a literal brace */
				break;
			}
			if (*end == ',')
				hi = end[1] == '}' ? lo + 1
						   : strtoul(end + 1, &e, 10);
			if (lo > CRM_RULE_PATTERN_NODES ||
			    hi > CRM_RULE_PATTERN_NODES)
				hi = CRM_RULE_PATTERN_NODES + 1;
			/* the atom was counted once already */
			size = last * (hi ? hi : 1);
			total[depth] += size - last;
			last = size;
			while (*p && *p != '}')
				p++;
			if (!*p)
				p--;
			if (total[depth] > CRM_RULE_PATTERN_NODES)
				goto big;
			continue;
		}
		default:
			last = 1;
		}
		total[depth] += last;
		if (total[depth] > CRM_RULE_PATTERN_NODES)
			goto big;
	}
	for (size_t d = depth; d > 0; d--)
		total[d - 1] += total[d];
	if (total[0] <= CRM_RULE_PATTERN_NODES)
		return 0;
big:
	snprintf(msg, n,
		 "too complex: its repetitions expand to more than %d "
		 "positions",
		 CRM_RULE_PATTERN_NODES);
	return -1;
}

static int bad(struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int bad(struct loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(l->err, CRM_EX_CONFIG, l->path, 0, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* Only the keys in allowed (NULL-terminated) may appear in o. */
static int check_keys(struct loader *l, json_t *o, const char *const *allowed,
		      const char *where)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], k))
			i++;
		if (!allowed[i])
			return bad(l, "%s: unknown key '%s'", where, k);
	}
	return 0;
}

/* An optional number: 1 found, 0 absent, -1 bad. */
static int opt_num(struct loader *l, json_t *o, const char *key, double *out,
		   const char *where)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_number(v))
		return bad(l, "%s: '%s' must be a number", where, key);
	*out = json_number_value(v);
	return 1;
}

static long find_group(const struct section *s, const char *name)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (!strcmp(s->groups[i].name, name))
			return (long)i;
	return -1;
}

static int load_section(struct loader *l, json_t *o, const char *sname,
			struct section *s)
{
	static const char *const gkeys[] = {"min", "max", NULL};
	json_t *g = json_object_get(o, "groups"), *v;
	const char *k;
	char where[256];
	int rc;

	s->min = 0;
	s->max = 100;
	snprintf(where, sizeof(where), "%s", sname);
	if (opt_num(l, o, "min", &s->min, where) < 0 ||
	    opt_num(l, o, "max", &s->max, where) < 0)
		return -1;
	if (s->min > s->max)
		return bad(l, "%s: min %g is above max %g", sname, s->min,
			   s->max);
	s->cap_label = crm_xasprintf("%s total cap", sname);
	if (g && !json_is_object(g))
		return bad(l, "%s: 'groups' must be an object", sname);
	s->groups = crm_xcalloc(json_object_size(g) + 1, sizeof(*s->groups));
	json_object_foreach(g, k, v)
	{
		struct group *gr = &s->groups[s->ngroups++];

		gr->name = crm_xstrdup(k);
		gr->label = crm_xasprintf("group %s cap", k);
		snprintf(where, sizeof(where), "%s group '%s'", sname, k);
		if (!json_is_object(v))
			return bad(l, "%s: must be an object", where);
		if (check_keys(l, v, gkeys, where) < 0)
			return -1;
		if ((rc = opt_num(l, v, "min", &gr->min, where)) < 0)
			return -1;
		gr->has_min = rc;
		if ((rc = opt_num(l, v, "max", &gr->max, where)) < 0)
			return -1;
		gr->has_max = rc;
		if (gr->has_min && gr->has_max && gr->min > gr->max)
			return bad(l, "%s: min is above max", where);
	}
	return 0;
}

static int load_bands(struct loader *l, json_t *a, const char *sname,
		      struct section *s)
{
	static const char *const bkeys[] = {"grade", "min", NULL};
	char where[128];

	if (!json_is_array(a) || !json_array_size(a))
		return bad(l, "grades: '%s' must be a list of bands", sname);
	s->nbands = json_array_size(a);
	s->bands = crm_xcalloc(s->nbands, sizeof(*s->bands));
	for (size_t i = 0; i < s->nbands; i++) {
		json_t *b = json_array_get(a, i), *g;
		struct band *bd = &s->bands[i];
		int rc;

		snprintf(where, sizeof(where), "grades: %s band %zu", sname,
			 i + 1);
		if (!json_is_object(b))
			return bad(l, "%s: must be an object", where);
		if (check_keys(l, b, bkeys, where) < 0)
			return -1;
		g = json_object_get(b, "grade");
		if (!json_is_string(g) || !*json_string_value(g) ||
		    strlen(json_string_value(g)) > 7)
			return bad(l, "%s: 'grade' must be a short string",
				   where);
		bd->grade = crm_xstrdup(json_string_value(g));
		if ((rc = opt_num(l, b, "min", &bd->min, where)) < 0)
			return -1;
		bd->has_min = rc;
		if (i + 1 < s->nbands && !bd->has_min)
			return bad(l, "%s: only the last band may omit 'min'",
				   where);
		if (i + 1 == s->nbands && bd->has_min)
			return bad(l,
				   "%s: the last band must have no 'min' (it "
				   "takes every lower score)",
				   where);
		if (i && bd->has_min && bd->min >= s->bands[i - 1].min)
			return bad(l, "%s: 'min' must fall from band to band",
				   where);
	}
	return 0;
}

/* A rule's value as a list of strings (a string or an array of them). */
static int str_list(struct loader *l, json_t *v, struct crm_strv *sv,
		    const char *where)
{
	if (json_is_string(v)) {
		crm_strv_push(sv, json_string_value(v));
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v))
		return bad(l, "%s: 'value' must be a string or a list of them",
			   where);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);

		if (json_is_string(e))
			crm_strv_push(sv, json_string_value(e));
		else if (json_is_number(e)) {
			char *s = crm_xasprintf("%.17g", json_number_value(e));

			crm_strv_push(sv, s);
			free(s);
		} else
			return bad(l, "%s: 'value' must list strings", where);
	}
	return 0;
}

static int load_rule(struct loader *l, struct crm_scoring *s, json_t *o,
		     size_t i, struct fit_rule *r)
{
	static const char *const rkeys[] = {"name",   "field", "op", "value",
					    "points", "group", NULL};
	json_t *v;
	char where[256];
	const char *op;
	size_t k;

	r->group = -1;
	if (!json_is_object(o))
		return bad(l, "fit rule %zu: must be an object", i + 1);
	v = json_object_get(o, "name");
	if (v && !json_is_string(v))
		return bad(l, "fit rule %zu: 'name' must be a string", i + 1);
	v = json_object_get(o, "field");
	r->field = json_is_string(v) ? crm_xstrdup(json_string_value(v)) : NULL;
	v = json_object_get(o, "name");
	r->name = v ? crm_xstrdup(json_string_value(v))
		    : crm_xstrdup(r->field ? r->field : "?");
	snprintf(where, sizeof(where), "fit rule %zu '%s'", i + 1, r->name);
	if (check_keys(l, o, rkeys, where) < 0)
		return -1;
	if (!r->field || !*r->field)
		return bad(l, "%s: 'field' must be a field name", where);
	v = json_object_get(o, "op");
	op = json_string_value(v);
	if (!op)
		return bad(l, "%s: 'op' must be an operator", where);
	for (k = 0; op_names[k] && strcmp(op_names[k], op); k++)
		;
	if (!op_names[k])
		return bad(l, "%s: unknown operator '%s'", where, op);
	r->op = (enum op)k;
	v = json_object_get(o, "points");
	if (!json_is_number(v))
		return bad(l, "%s: 'points' must be a number", where);
	r->points = json_number_value(v);
	v = json_object_get(o, "group");
	if (v) {
		if (!json_is_string(v) ||
		    (r->group = find_group(&s->fit, json_string_value(v))) < 0)
			return bad(l, "%s: unknown group '%s'", where,
				   json_is_string(v) ? json_string_value(v)
						     : "?");
	}
	v = json_object_get(o, "value");
	switch (r->op) {
	case OP_EXISTS:
	case OP_MISSING:
		if (v)
			return bad(l, "%s: '%s' takes no 'value'", where, op);
		break;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if (!json_is_number(v))
			return bad(l, "%s: '%s' needs a number 'value'", where,
				   op);
		r->num = json_number_value(v);
		break;
	case OP_BETWEEN:
		if (!json_is_array(v) || json_array_size(v) != 2 ||
		    !json_is_number(json_array_get(v, 0)) ||
		    !json_is_number(json_array_get(v, 1)))
			return bad(l, "%s: 'between' needs [low, high]", where);
		r->num = json_number_value(json_array_get(v, 0));
		r->num2 = json_number_value(json_array_get(v, 1));
		if (r->num > r->num2)
			return bad(l, "%s: 'between' low is above high", where);
		break;
	case OP_EQ:
	case OP_NE:
		if (json_is_number(v)) {
			char *t = crm_xasprintf("%.17g", json_number_value(v));

			crm_strv_push(&r->strs, t);
			free(t);
		} else if (json_is_string(v)) {
			crm_strv_push(&r->strs, json_string_value(v));
		} else {
			return bad(l,
				   "%s: '%s' needs a string or number "
				   "'value'",
				   where, op);
		}
		break;
	case OP_MATCHES: {
		char eb[256], *anch;
		int rc;

		if (!json_is_string(v))
			return bad(l, "%s: 'matches' needs a pattern", where);
		if (pattern_check(json_string_value(v), eb, sizeof(eb)) < 0)
			return bad(
			    l, "%s: pattern '%.64s%s': %s", where,
			    json_string_value(v),
			    strlen(json_string_value(v)) > 64 ? "..." : "", eb);
		/* one pass over the value: glibc retries an unanchored
		 * pattern at every start (quadratic); "^.*(P)" lets its DFA
		 * try them all at once, and means the same for any P */
		anch = crm_xasprintf("^.*(%s)", json_string_value(v));
		rc =
		    regcomp(&r->re, anch, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		free(anch);
		if (rc) {
			regerror(rc, &r->re, eb, sizeof(eb));
			return bad(l, "%s: bad pattern '%s': %s", where,
				   json_string_value(v), eb);
		}
		r->has_re = true;
		break;
	}
	default: /* in, not_in, contains, domain_in */
		if (!v)
			return bad(l, "%s: '%s' needs a 'value'", where, op);
		if (str_list(l, v, &r->strs, where) < 0)
			return -1;
	}
	return 0;
}

static int load_types(struct loader *l, struct crm_scoring *s, json_t *t)
{
	static const char *const tkeys[] = {"points", "daily_cap", "group",
					    NULL};
	const char *k;
	json_t *v;
	char where[256];

	if (t && !json_is_object(t))
		return bad(l, "engagement: 'types' must be an object");
	s->types = crm_xcalloc(json_object_size(t) + 1, sizeof(*s->types));
	json_object_foreach(t, k, v)
	{
		struct eng_type *e = &s->types[s->ntypes++];
		json_t *g;

		e->name = crm_xstrdup(k);
		e->group = -1;
		snprintf(where, sizeof(where), "engagement type '%s'", k);
		if (!json_is_object(v))
			return bad(l, "%s: must be an object", where);
		if (check_keys(l, v, tkeys, where) < 0)
			return -1;
		if (!json_is_number(json_object_get(v, "points")))
			return bad(l, "%s: 'points' must be a number", where);
		e->points = json_number_value(json_object_get(v, "points"));
		if (opt_num(l, v, "daily_cap", &e->daily_cap, where) < 0)
			return -1;
		if (e->daily_cap < 0)
			return bad(l, "%s: 'daily_cap' must not be negative",
				   where);
		g = json_object_get(v, "group");
		if (g && (!json_is_string(g) ||
			  (e->group =
			       find_group(&s->eng, json_string_value(g))) < 0))
			return bad(l, "%s: unknown group '%s'", where,
				   json_is_string(g) ? json_string_value(g)
						     : "?");
	}
	return 0;
}

static int load(struct loader *l, struct crm_scoring *s, json_t *root)
{
	static const char *const top[] = {"fit",      "engagement", "grades",
					  "combined", "trend_band", NULL};
	static const char *const fkeys[] = {"min", "max", "groups", "rules",
					    NULL};
	static const char *const ekeys[] = {
	    "min", "max", "groups", "types", "window_days", "half_life_days",
	    NULL};
	static const char *const ckeys[] = {"fit_weight", "engagement_weight",
					    NULL};
	static const char *const gkeys[] = {"fit", "engagement", NULL};
	json_t *fit, *eng, *rules, *grades, *comb;

	if (check_keys(l, root, top, "rules file") < 0)
		return -1;
	fit = json_object_get(root, "fit");
	eng = json_object_get(root, "engagement");
	grades = json_object_get(root, "grades");
	if (!json_is_object(fit))
		return bad(l, "no 'fit' object");
	if (check_keys(l, fit, fkeys, "fit") < 0 ||
	    load_section(l, fit, "fit", &s->fit) < 0)
		return -1;
	rules = json_object_get(fit, "rules");
	if (!json_is_array(rules))
		return bad(l, "fit: 'rules' must be a list");
	s->nrules = json_array_size(rules);
	s->rules = crm_xcalloc(s->nrules + 1, sizeof(*s->rules));
	for (size_t i = 0; i < s->nrules; i++)
		if (load_rule(l, s, json_array_get(rules, i), i, &s->rules[i]) <
		    0)
			return -1;
	if (eng && !json_is_object(eng))
		return bad(l, "'engagement' must be an object");
	if (!eng)
		eng = json_object(); /* borrowed below: decref'd at the end */
	else
		json_incref(eng);
	if (check_keys(l, eng, ekeys, "engagement") < 0 ||
	    load_section(l, eng, "engagement", &s->eng) < 0 ||
	    opt_num(l, eng, "window_days", &s->window_days, "engagement") < 0 ||
	    opt_num(l, eng, "half_life_days", &s->half_life_days,
		    "engagement") < 0 ||
	    load_types(l, s, json_object_get(eng, "types")) < 0) {
		json_decref(eng);
		return -1;
	}
	json_decref(eng);
	if (s->window_days < 0 || s->half_life_days < 0)
		return bad(l, "engagement: window_days and half_life_days "
			      "must not be negative");
	if (!json_is_object(grades))
		return bad(l, "no 'grades' object");
	if (check_keys(l, grades, gkeys, "grades") < 0 ||
	    load_bands(l, json_object_get(grades, "fit"), "fit", &s->fit) < 0 ||
	    load_bands(l, json_object_get(grades, "engagement"), "engagement",
		       &s->eng) < 0)
		return -1;
	s->fit_weight = s->eng_weight = 0.5;
	comb = json_object_get(root, "combined");
	if (comb &&
	    (!json_is_object(comb) ||
	     check_keys(l, comb, ckeys, "combined") < 0 ||
	     opt_num(l, comb, "fit_weight", &s->fit_weight, "combined") < 0 ||
	     opt_num(l, comb, "engagement_weight", &s->eng_weight, "combined") <
		 0))
		return l->err->code ? -1
				    : bad(l, "'combined' must be an object");
	if (s->fit_weight < 0 || s->eng_weight < 0 ||
	    !(s->fit_weight + s->eng_weight > 0))
		return bad(l, "combined: weights must be >= 0, not both 0");
	s->trend_band = 5;
	if (opt_num(l, root, "trend_band", &s->trend_band, "rules file") < 0)
		return -1;
	if (s->trend_band < 0)
		return bad(l, "'trend_band' must not be negative");
	return 0;
}

struct crm_scoring *crm_scoring_load(const char *path, struct crm_err *err)
{
	struct loader l = {path, err};
	struct crm_scoring *s;
	json_t *root;

	crm_err_clear(err);
	if (crm_config_load(path, "rules ", NULL,
			    "the rules must be a JSON object", &root, err) < 0)
		return NULL;
	s = crm_xcalloc(1, sizeof(*s));
	if (load(&l, s, root) < 0) {
		crm_scoring_free(s);
		s = NULL;
	}
	json_decref(root);
	return s;
}

static void section_release(struct section *s)
{
	for (size_t i = 0; i < s->ngroups; i++) {
		free(s->groups[i].name);
		free(s->groups[i].label);
	}
	free(s->groups);
	for (size_t i = 0; i < s->nbands; i++)
		free(s->bands[i].grade);
	free(s->bands);
	free(s->cap_label);
}

void crm_scoring_free(struct crm_scoring *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrules; i++) {
		struct fit_rule *r = &s->rules[i];

		free(r->name);
		free(r->field);
		crm_strv_release(&r->strs);
		if (r->has_re)
			regfree(&r->re);
	}
	free(s->rules);
	for (size_t i = 0; i < s->ntypes; i++)
		free(s->types[i].name);
	free(s->types);
	section_release(&s->fit);
	section_release(&s->eng);
	free(s);
}

char *crm_scoring_default_path(void)
{
	return crm_share_path("scoring.json");
}

size_t crm_scoring_fit_rules(const struct crm_scoring *s)
{
	return s->nrules;
}

const char *crm_scoring_rule_name(const struct crm_scoring *s, size_t i)
{
	return i < s->nrules ? s->rules[i].name : NULL;
}

const char *crm_scoring_rule_field(const struct crm_scoring *s, size_t i)
{
	return i < s->nrules ? s->rules[i].field : NULL;
}

size_t crm_scoring_types(const struct crm_scoring *s)
{
	return s->ntypes;
}

const char *crm_scoring_type_name(const struct crm_scoring *s, size_t i)
{
	return i < s->ntypes ? s->types[i].name : NULL;
}

double crm_scoring_window_days(const struct crm_scoring *s)
{
	return s->window_days;
}

/* ---- scoring ---- */

void crm_score_result_init(struct crm_score_result *r)
{
	memset(r, 0, sizeof(*r));
}

void crm_score_result_release(struct crm_score_result *r)
{
	free(r->parts);
	memset(r, 0, sizeof(*r));
}

static void add_part(struct crm_score_result *r, const char *what, double p)
{
	r->parts =
	    crm_xgrow(r->parts, &r->cap, r->nparts + 1, sizeof(*r->parts));
	r->parts[r->nparts++] = (struct crm_score_part){what, p};
}

static bool parse_num(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && !errno && isfinite(*out) && !strchr(s, 'x') &&
	       !strchr(s, 'X') && !strchr(s, ' ');
}

static bool eq_value(const char *v, const char *want)
{
	double a, b;

	if (parse_num(v, &a) && parse_num(want, &b))
		return a == b;
	return !strcasecmp(v, want);
}

static bool rule_matches(const struct fit_rule *r, const char *v)
{
	double x;

	if (r->op == OP_MISSING)
		return !v;
	if (!v)
		return false;
	switch (r->op) {
	case OP_EXISTS:
		return true;
	case OP_EQ:
		return eq_value(v, r->strs.v[0]);
	case OP_NE:
		return !eq_value(v, r->strs.v[0]);
	case OP_LT:
		return parse_num(v, &x) && x < r->num;
	case OP_LE:
		return parse_num(v, &x) && x <= r->num;
	case OP_GT:
		return parse_num(v, &x) && x > r->num;
	case OP_GE:
		return parse_num(v, &x) && x >= r->num;
	case OP_BETWEEN:
		return parse_num(v, &x) && x >= r->num && x <= r->num2;
	case OP_IN:
	case OP_NOT_IN: {
		bool in = false;

		for (size_t i = 0; i < r->strs.n && !in; i++)
			in = eq_value(v, r->strs.v[i]);
		return r->op == OP_IN ? in : !in;
	}
	case OP_CONTAINS:
		for (size_t i = 0; i < r->strs.n; i++)
			if (strcasestr(v, r->strs.v[i]))
				return true;
		return false;
	case OP_MATCHES:
		return regexec(&r->re, v, 0, NULL, 0) == 0;
	case OP_DOMAIN_IN: {
		const char *at = strrchr(v, '@');

		if (!at)
			return false;
		for (size_t i = 0; i < r->strs.n; i++)
			if (!strcasecmp(at + 1, r->strs.v[i]))
				return true;
		return false;
	}
	default:
		return false;
	}
}

static double clamp_group(struct crm_score_result *out, const struct group *g,
			  double sum)
{
	double v = sum;

	if (g->has_max && v > g->max)
		v = g->max;
	if (g->has_min && v < g->min)
		v = g->min;
	if (v != sum)
		add_part(out, g->label, v - sum);
	return v;
}

/* Group caps, the total cap and the grade; total is the ungrouped sum,
 * gsum the groups'. */
static void finish(const struct section *s, double total, const double *gsum,
		   struct crm_score_result *out)
{
	double v;
	long r;

	for (size_t i = 0; i < s->ngroups; i++)
		total += clamp_group(out, &s->groups[i], gsum[i]);
	v = total < s->min ? s->min : total > s->max ? s->max : total;
	if (v != total)
		add_part(out, s->cap_label, v - total);
	out->score = v;
	r = lround(v);
	for (size_t i = 0; i < s->nbands; i++)
		if (!s->bands[i].has_min || (double)r >= s->bands[i].min) {
			snprintf(out->grade, sizeof(out->grade), "%s",
				 s->bands[i].grade);
			break;
		}
}

void crm_scoring_fit(const struct crm_scoring *s, const struct crm_rec *rec,
		     struct crm_score_result *out)
{
	double total = 0;
	double *gsum = crm_xcalloc(s->fit.ngroups + 1, sizeof(*gsum));

	out->nparts = 0;
	for (size_t i = 0; i < s->nrules; i++) {
		const struct fit_rule *r = &s->rules[i];
		const char *v = crm_rec_get(rec, r->field);

		if (v && !*v)
			v = NULL;
		if (!rule_matches(r, v))
			continue;
		add_part(out, r->name, r->points);
		if (r->group >= 0)
			gsum[r->group] += r->points;
		else
			total += r->points;
	}
	finish(&s->fit, total, gsum, out);
	free(gsum);
}

struct ev_ref {
	long type;
	crm_time at;
	size_t i;
};

static int by_time(const void *a, const void *b)
{
	const struct ev_ref *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static long find_type(const struct crm_scoring *s, const char *name)
{
	for (size_t i = 0; i < s->ntypes; i++)
		if (!strcmp(s->types[i].name, name))
			return (long)i;
	return -1;
}

void crm_scoring_engagement(const struct crm_scoring *s,
			    const struct crm_scoring_event *ev, size_t n,
			    crm_time now, struct crm_score_result *out)
{
	const struct eng_type *types = s->types;
	double *tsum = crm_xcalloc(s->ntypes + 1, sizeof(*tsum));
	double *gsum = crm_xcalloc(s->eng.ngroups + 1, sizeof(*gsum));
	struct ev_ref *v = crm_xmalloc((n ? n : 1) * sizeof(*v));
	double *used = crm_xcalloc(s->ntypes + 1, sizeof(*used));
	crm_time *day = crm_xcalloc(s->ntypes + 1, sizeof(*day));
	size_t m = 0;
	double total = 0;

	out->nparts = 0;
	for (size_t i = 0; i < n; i++) {
		long t = ev[i].type ? find_type(s, ev[i].type) : -1;
		double age = (double)(now - ev[i].at) / 86400.0;

		if (t < 0 || ev[i].at > now ||
		    (s->window_days > 0 && age >= s->window_days))
			continue;
		v[m++] = (struct ev_ref){t, ev[i].at, i};
	}
	/* time order, so a day's cap takes that day's first events */
	qsort(v, m, sizeof(*v), by_time);
	for (size_t i = 0; i < s->ntypes; i++)
		day[i] = INT64_MIN;
	for (size_t i = 0; i < m; i++) {
		const struct eng_type *t = &types[v[i].type];
		crm_time d = crm_datetime_day_start(v[i].at);
		double p = t->points, age;

		if (d != day[v[i].type]) {
			day[v[i].type] = d;
			used[v[i].type] = 0;
		}
		if (t->daily_cap > 0) {
			double room = t->daily_cap - used[v[i].type];

			if (room <= 0)
				continue;
			if (fabs(p) > room)
				p = p < 0 ? -room : room;
			used[v[i].type] += fabs(p);
		}
		age = (double)(now - v[i].at) / 86400.0;
		if (s->half_life_days > 0)
			p *= pow(0.5, age / s->half_life_days);
		tsum[v[i].type] += p;
	}
	for (size_t i = 0; i < s->ntypes; i++) {
		if (tsum[i] == 0)
			continue;
		add_part(out, types[i].name, tsum[i]);
		if (types[i].group >= 0)
			gsum[types[i].group] += tsum[i];
		else
			total += tsum[i];
	}
	finish(&s->eng, total, gsum, out);
	free(tsum);
	free(gsum);
	free(v);
	free(used);
	free(day);
}

double crm_scoring_combine(const struct crm_scoring *s,
			   const struct crm_score_result *fit,
			   const struct crm_score_result *eng, char grade[32])
{
	double c = (s->fit_weight * fit->score + s->eng_weight * eng->score) /
		   (s->fit_weight + s->eng_weight);

	snprintf(grade, 32, "%s%s", fit->grade, eng->grade);
	return c < 0 ? 0 : c > 100 ? 100 : c;
}

const char *crm_scoring_trend(const struct crm_scoring *s, double previous,
			      double current)
{
	if (current > previous + s->trend_band)
		return "improving";
	if (current < previous - s->trend_band)
		return "declining";
	return "steady";
}
