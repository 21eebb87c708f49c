/* assign.c - lead assignment rules: loading and checking the file,
 * matching a lead, and choosing a team member. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assign.h"
#include "config.h"
#include "pipeline.h"

const char *crm_assign_strategy_name(enum crm_assign_strategy s)
{
	static const char *const names[] = {"round_robin", "least_busy",
					    "weighted"};
	return names[s];
}

void crm_assign_release(struct crm_assign_rules *r)
{
	for (size_t i = 0; i < r->nrules; i++) {
		struct crm_assign_rule *ru = &r->rules[i];
		for (size_t k = 0; k < ru->nc; k++) {
			free(ru->c[k].field);
			crm_strv_release(&ru->c[k].values);
		}
		free(ru->c);
		free(ru->name);
		free(ru->owner);
	}
	for (size_t i = 0; i < r->nteams; i++) {
		for (size_t k = 0; k < r->teams[i].n; k++)
			free(r->teams[i].m[k].name);
		free(r->teams[i].m);
		free(r->teams[i].name);
		free(r->teams[i].users_of);
	}
	free(r->rules);
	free(r->teams);
	free(r->default_owner);
	memset(r, 0, sizeof(*r));
}

/* A config error about the file: "FILE: what: msg". */
static int bad(struct crm_err *err, const char *path, const char *what,
	       const char *msg)
{
	snprintf(err->file, sizeof(err->file), "%s", path);
	return crm_err_set(err, CRM_EX_CONFIG, "%s: %s", what, msg);
}

/* A non-negative integer member of o, or dflt when absent. */
static int get_count(json_t *o, const char *key, int64_t dflt, int64_t *out,
		     char *msg, size_t n)
{
	json_t *j = json_object_get(o, key);

	*out = dflt;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_integer(j) || json_integer_value(j) < 0) {
		snprintf(msg, n, "%s: expected a whole number 0 or more", key);
		return -1;
	}
	*out = json_integer_value(j);
	return 0;
}

static int load_member(json_t *j, const struct crm_assign_team *t,
		       int64_t max_open, int64_t max_recent,
		       struct crm_assign_member *m, char *msg, size_t n)
{
	static const char *const known[] = {"name", "weight", "max_open",
					    "max_per_30d", NULL};
	const char *k;

	m->weight = 1;
	m->max_open = max_open;
	m->max_recent = max_recent;
	if (json_is_string(j) && *json_string_value(j)) {
		m->name = crm_xstrdup(json_string_value(j));
		return 0;
	}
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "name")) ||
	    !*json_string_value(json_object_get(j, "name"))) {
		snprintf(msg, n, "a member is a name or an object with a name");
		return -1;
	}
	m->name = crm_xstrdup(json_string_value(json_object_get(j, "name")));
	if ((k = crm_json_unknown_key(j, known))) {
		snprintf(msg, n, "member '%s': unknown key '%s'", m->name, k);
		return -1;
	}
	if (get_count(j, "weight", 1, &m->weight, msg, n) < 0 ||
	    get_count(j, "max_open", max_open, &m->max_open, msg, n) < 0 ||
	    get_count(j, "max_per_30d", max_recent, &m->max_recent, msg, n) < 0)
		return -1;
	if (m->weight < 1 && t->strategy == CRM_ASSIGN_WEIGHTED) {
		snprintf(msg, n, "member '%s': weight must be 1 or more",
			 m->name);
		return -1;
	}
	/* credits move by a team's total weight per lead: bounded weights
	 * keep every sum far from int64 */
	if (m->weight > CRM_ASSIGN_WEIGHT_MAX) {
		snprintf(msg, n,
			 "member '%s': weight %lld is above the limit %d",
			 m->name, (long long)m->weight, CRM_ASSIGN_WEIGHT_MAX);
		return -1;
	}
	return 0;
}

static int load_team(json_t *j, struct crm_assign_team *t, char *msg, size_t n)
{
	static const char *const known[] = {
	    "name", "strategy", "members", "max_open", "max_per_30d", NULL};
	json_t *members = json_object_get(j, "members"), *v;
	const char *s, *k;
	int64_t max_open, max_recent;
	size_t i;

	if (!json_is_object(j)) {
		snprintf(msg, n, "expected an object");
		return -1;
	}
	if ((k = crm_json_unknown_key(j, known))) {
		snprintf(msg, n, "unknown key '%s'", k);
		return -1;
	}
	s = json_string_value(json_object_get(j, "strategy"));
	if (!s || !strcmp(s, "round_robin"))
		t->strategy = CRM_ASSIGN_ROUND_ROBIN;
	else if (!strcmp(s, "least_busy"))
		t->strategy = CRM_ASSIGN_LEAST_BUSY;
	else if (!strcmp(s, "weighted"))
		t->strategy = CRM_ASSIGN_WEIGHTED;
	else {
		snprintf(msg, n,
			 "unknown strategy '%s' (expected round_robin, "
			 "least_busy or weighted)",
			 s);
		return -1;
	}
	if (json_object_get(j, "strategy") && !s) {
		snprintf(msg, n, "strategy: expected a string");
		return -1;
	}
	if (get_count(j, "max_open", -1, &max_open, msg, n) < 0 ||
	    get_count(j, "max_per_30d", -1, &max_recent, msg, n) < 0)
		return -1;
	t->max_open = max_open;
	t->max_recent = max_recent;
	if (json_is_string(members) && json_string_value(members)[0] == '@' &&
	    json_string_value(members)[1]) {
		/* the users of a crm-user team, read at assignment time */
		t->users_of = crm_xstrdup(json_string_value(members) + 1);
		return 0;
	}
	if (!json_is_array(members) || !json_array_size(members)) {
		snprintf(msg, n,
			 "members: expected a list of one or more, or "
			 "\"@TEAM\"");
		return -1;
	}
	t->m = crm_xcalloc(json_array_size(members), sizeof(*t->m));
	json_array_foreach(members, i, v)
	{
		t->n = i + 1;
		if (load_member(v, t, max_open, max_recent, &t->m[i], msg, n) <
		    0)
			return -1;
		for (size_t p = 0; p < i; p++)
			if (!strcmp(t->m[p].name, t->m[i].name)) {
				snprintf(msg, n, "member '%s' twice",
					 t->m[i].name);
				return -1;
			}
	}
	return 0;
}

static int load_cond(const struct crm_entity *e, const char *field, json_t *v,
		     struct crm_assign_cond *c, char *msg, size_t n)
{
	long f = crm_entity_field(e, field);
	size_t i;
	json_t *x;

	c->field = crm_xstrdup(field);
	/* tier: the tier of the record's account (crm_tier_for_row) */
	if (f < 0 && !strcmp(field, "tier") &&
	    (crm_entity_field(e, "company_id") >= 0 ||
	     crm_entity_field(e, "company") >= 0))
		f = crm_entity_field(e, "company_id") >= 0
			? crm_entity_field(e, "company_id")
			: crm_entity_field(e, "company");
	if (f < 0 || e->fields[f].flags & CRM_FF_HIDDEN) {
		snprintf(msg, n, "unknown %s field '%s'", e->name, field);
		return -1;
	}
	if (json_is_string(v)) {
		crm_strv_push(&c->values, json_string_value(v));
		return 0;
	}
	if (json_is_array(v) && json_array_size(v)) {
		json_array_foreach(v, i, x)
		{
			if (!json_is_string(x)) {
				snprintf(msg, n, "%s: expected strings", field);
				return -1;
			}
			crm_strv_push(&c->values, json_string_value(x));
		}
		return 0;
	}
	if (json_is_object(v)) {
		const char *k;
		json_object_foreach(v, k, x)
		{
			double d = json_number_value(x);
			if (strcmp(k, "min") && strcmp(k, "max")) {
				snprintf(msg, n,
					 "%s: unknown key '%s' (expected min, "
					 "max)",
					 field, k);
				return -1;
			}
			if (!json_is_number(x)) {
				snprintf(msg, n, "%s: %s: expected a number",
					 field, k);
				return -1;
			}
			if (!strcmp(k, "min")) {
				c->has_min = true;
				c->min = d;
			} else {
				c->has_max = true;
				c->max = d;
			}
		}
		c->range = true;
		if (!c->has_min && !c->has_max) {
			snprintf(msg, n, "%s: a range needs min or max", field);
			return -1;
		}
		if (c->has_min && c->has_max && c->min > c->max) {
			snprintf(msg, n, "%s: min is above max", field);
			return -1;
		}
		return 0;
	}
	snprintf(msg, n,
		 "%s: expected a string, a list of strings or {\"min\": N, "
		 "\"max\": N}",
		 field);
	return -1;
}

static int load_rule(const struct crm_entity *e, json_t *j,
		     struct crm_assign_rules *r, struct crm_assign_rule *ru,
		     char *msg, size_t n)
{
	static const char *const known[] = {"name", "match", "team", "owner",
					    NULL};
	json_t *match = json_object_get(j, "match"), *v;
	const char *team, *owner, *k;
	size_t i;

	if (!json_is_object(j)) {
		snprintf(msg, n, "expected an object");
		return -1;
	}
	if (json_is_string(json_object_get(j, "name")))
		ru->name =
		    crm_xstrdup(json_string_value(json_object_get(j, "name")));
	if ((k = crm_json_unknown_key(j, known))) {
		snprintf(msg, n, "unknown key '%s'", k);
		return -1;
	}
	team = json_string_value(json_object_get(j, "team"));
	owner = json_string_value(json_object_get(j, "owner"));
	ru->team = -1;
	if (!team == !owner || (team && !*team) || (owner && !*owner)) {
		snprintf(msg, n, "give either a team or an owner");
		return -1;
	}
	if (owner)
		ru->owner = crm_xstrdup(owner);
	for (i = 0; team && i < r->nteams; i++)
		if (!strcmp(r->teams[i].name, team))
			ru->team = (long)i;
	if (team && ru->team < 0) {
		snprintf(msg, n, "unknown team '%s'", team);
		return -1;
	}
	if (match && !json_is_object(match)) {
		snprintf(msg, n, "match: expected an object");
		return -1;
	}
	ru->c = crm_xcalloc(json_object_size(match) + 1, sizeof(*ru->c));
	json_object_foreach(match, k, v)
	{
		if (load_cond(e, k, v, &ru->c[ru->nc++], msg, n) < 0)
			return -1;
	}
	return 0;
}

int crm_assign_load(const char *path, const struct crm_entity *e,
		    struct crm_assign_rules *r, struct crm_err *err)
{
	static const char *const known[] = {
	    "default_owner", "seed",  "avoid_previous_owner",
	    "teams",	     "rules", NULL};
	json_t *root, *teams, *rules, *v;
	char msg[512], what[300];
	const char *k;
	size_t i;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->seed = 1;
	r->avoid_previous = true;
	if (crm_config_load(path, "", NULL, "top level: expected an object",
			    &root, err) < 0) {
		/* not opened: no reason given */
		if (err->code != CRM_EX_CONFIG)
			crm_err_set(err, CRM_EX_NOINPUT, "cannot open '%s'",
				    path);
		return -1;
	}
	if ((k = crm_json_unknown_key(root, known))) {
		snprintf(msg, sizeof(msg), "unknown key '%s'", k);
		bad(err, path, "top level", msg);
		goto out;
	}
	v = json_object_get(root, "default_owner");
	if (v && !json_is_null(v) &&
	    (!json_is_string(v) || !*json_string_value(v))) {
		bad(err, path, "default_owner", "expected a name or null");
		goto out;
	}
	if (json_is_string(v))
		r->default_owner = crm_xstrdup(json_string_value(v));
	v = json_object_get(root, "seed");
	if (v && !json_is_integer(v)) {
		bad(err, path, "seed", "expected a whole number");
		goto out;
	}
	if (v)
		r->seed = (uint64_t)json_integer_value(v);
	v = json_object_get(root, "avoid_previous_owner");
	if (v && !json_is_boolean(v)) {
		bad(err, path, "avoid_previous_owner",
		    "expected true or false");
		goto out;
	}
	if (v)
		r->avoid_previous = json_is_true(v);
	teams = json_object_get(root, "teams");
	rules = json_object_get(root, "rules");
	if (teams && !json_is_array(teams)) {
		bad(err, path, "teams", "expected a list");
		goto out;
	}
	if (!json_is_array(rules)) {
		bad(err, path, "rules", "expected a list");
		goto out;
	}
	r->teams = crm_xcalloc(json_array_size(teams) + 1, sizeof(*r->teams));
	json_array_foreach(teams, i, v)
	{
		const char *name =
		    json_string_value(json_object_get(v, "name"));
		struct crm_assign_team *t = &r->teams[i];

		r->nteams = i + 1;
		snprintf(what, sizeof(what), "team %zu%s%s%s", i + 1,
			 name ? " '" : "", name ? name : "", name ? "'" : "");
		if (!name || !*name) {
			bad(err, path, what, "a team needs a name");
			goto out;
		}
		t->name = crm_xstrdup(name);
		for (size_t p = 0; p < i; p++)
			if (!strcmp(r->teams[p].name, name)) {
				bad(err, path, what,
				    "a second team of that name");
				goto out;
			}
		if (load_team(v, t, msg, sizeof(msg)) < 0) {
			bad(err, path, what, msg);
			goto out;
		}
	}
	r->rules = crm_xcalloc(json_array_size(rules) + 1, sizeof(*r->rules));
	json_array_foreach(rules, i, v)
	{
		const char *name =
		    json_string_value(json_object_get(v, "name"));

		r->nrules = i + 1;
		snprintf(what, sizeof(what), "rule %zu%s%s%s", i + 1,
			 name ? " '" : "", name ? name : "", name ? "'" : "");
		if (load_rule(e, v, r, &r->rules[i], msg, sizeof(msg)) < 0) {
			bad(err, path, what, msg);
			goto out;
		}
		if (!r->rules[i].name)
			r->rules[i].name = crm_xasprintf("rule %zu", i + 1);
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static bool cond_holds(const struct crm_assign_cond *c, const char *v)
{
	if (!v)
		return false;
	if (c->range) {
		char *end;
		double d = strtod(v, &end);

		if (end == v || *end || isnan(d))
			return false;
		return (!c->has_min || d >= c->min) &&
		       (!c->has_max || d <= c->max);
	}
	for (size_t i = 0; i < c->values.n; i++)
		if (!strcasecmp(c->values.v[i], v))
			return true;
	return false;
}

bool crm_assign_uses(const struct crm_assign_rules *r, const char *field)
{
	for (size_t i = 0; i < r->nrules; i++)
		for (size_t k = 0; k < r->rules[i].nc; k++)
			if (!strcmp(r->rules[i].c[k].field, field))
				return true;
	return false;
}

long crm_assign_match(const struct crm_assign_rules *r,
		      const char *(*get)(const char *field, void *arg),
		      void *arg)
{
	for (size_t i = 0; i < r->nrules; i++) {
		const struct crm_assign_rule *ru = &r->rules[i];
		size_t k;

		for (k = 0; k < ru->nc; k++)
			if (!cond_holds(&ru->c[k], get(ru->c[k].field, arg)))
				break;
		if (k == ru->nc)
			return (long)i;
	}
	return -1;
}

/* splitmix64: a small, good, seedable generator for tie breaks. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

static bool full(const struct crm_assign_member *m)
{
	return m->disabled || (m->max_open >= 0 && m->open >= m->max_open) ||
	       (m->max_recent >= 0 && m->recent >= m->max_recent);
}

/* Smaller is better: the strategy's ordering key of member m. */
static int64_t rank(const struct crm_assign_team *t,
		    const struct crm_assign_member *m)
{
	switch (t->strategy) {
	case CRM_ASSIGN_LEAST_BUSY:
		return m->open;
	case CRM_ASSIGN_WEIGHTED:
		return -(m->credit + m->weight);
	default:
		return m->seq;
	}
}

long crm_assign_pick(struct crm_assign_rules *r, struct crm_assign_team *t,
		     const char *avoid, int64_t lead_id, struct crm_buf *why)
{
	size_t *cand = crm_xcalloc(t->n + 1, sizeof(*cand));
	size_t *tie = crm_xcalloc(t->n + 1, sizeof(*tie));
	size_t nc = 0, nt = 0, nfull = 0;
	bool avoided = false;
	int64_t best = 0, best2 = 0, total = 0;
	struct crm_assign_member *m;
	long pick;

	/* candidates: under capacity, and not the previous owner unless
	 * nobody else can take the lead */
	for (int pass = 0; pass < 2 && !nc; pass++) {
		nfull = 0;
		for (size_t i = 0; i < t->n; i++) {
			if (full(&t->m[i])) {
				nfull++;
			} else if (pass == 0 && avoid &&
				   !strcmp(avoid, t->m[i].name)) {
				avoided = true;
			} else {
				cand[nc++] = i;
			}
		}
		if (!avoided)
			break;
	}
	if (!nc) {
		if (why)
			crm_buf_addf(why,
				     "every member of team %s is at capacity",
				     t->name);
		free(cand);
		free(tie);
		return -1;
	}
	for (size_t c = 0; c < nc; c++)
		total += t->m[cand[c]].weight;
	/* the best rank; ties: (least-busy) longest since a last
	 * assignment, then a seeded random choice, never the order in the
	 * file */
	for (size_t c = 0; c < nc; c++) {
		const struct crm_assign_member *x = &t->m[cand[c]];
		int64_t k = rank(t, x);
		int64_t k2 = t->strategy == CRM_ASSIGN_LEAST_BUSY ? x->seq : 0;

		if (!nt || k < best || (k == best && k2 < best2)) {
			best = k;
			best2 = k2;
			nt = 0;
		} else if (k != best || k2 != best2) {
			continue;
		}
		tie[nt++] = cand[c];
	}
	pick = (long)tie[nt > 1 ? mix(r->seed ^ mix((uint64_t)lead_id) ^
				      mix((uint64_t)t->seq)) %
				      nt
				: 0];
	m = &t->m[pick];
	if (why) {
		switch (t->strategy) {
		case CRM_ASSIGN_LEAST_BUSY:
			crm_buf_addf(why, "fewest open leads (%lld)",
				     (long long)m->open);
			break;
		case CRM_ASSIGN_WEIGHTED:
			crm_buf_addf(why, "weight %lld of %lld",
				     (long long)m->weight, (long long)total);
			break;
		default:
			crm_buf_adds(why, m->seq ? "longest since a last "
						   "assignment"
						 : "no assignment yet");
		}
		if (nt > 1)
			crm_buf_addf(why, ", seeded choice among %zu", nt);
		if (nfull)
			crm_buf_addf(why, ", %zu at capacity", nfull);
		if (avoided && strcmp(avoid, m->name))
			crm_buf_addf(why, ", not the previous owner %s", avoid);
	}
	if (t->strategy == CRM_ASSIGN_WEIGHTED) {
		/* smooth weighted round-robin: every candidate earns its
		 * weight, the chosen one pays the total */
		for (size_t c = 0; c < nc; c++) {
			t->m[cand[c]].credit += t->m[cand[c]].weight;
			t->m[cand[c]].dirty = true;
		}
		m->credit -= total;
	}
	m->seq = ++t->seq;
	m->dirty = true;
	/* the same person may serve in several teams */
	for (size_t i = 0; i < r->nteams; i++)
		for (size_t k = 0; k < r->teams[i].n; k++)
			if (!strcmp(r->teams[i].m[k].name, m->name)) {
				r->teams[i].m[k].open++;
				r->teams[i].m[k].recent++;
			}
	free(cand);
	free(tie);
	return pick;
}

void crm_assign_set_members(struct crm_assign_team *t,
			    const struct crm_strv *names)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->m[k].name);
	free(t->m);
	t->m = crm_xcalloc(names->n ? names->n : 1, sizeof(*t->m));
	t->n = names->n;
	for (size_t k = 0; k < names->n; k++) {
		t->m[k].name = crm_xstrdup(names->v[k]);
		t->m[k].weight = 1;
		t->m[k].max_open = t->max_open;
		t->m[k].max_recent = t->max_recent;
	}
}
