/* sla.c - the SLA policy file: parsing and checking it, choosing a
 * policy for a ticket, and due times in calendar or business time. */
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "normalize.h"
#include "pipeline.h"
#include "sla.h"

const char *const crm_sla_kind_names[CRM_SLA_NKINDS + 1] = {
    "first_reply", "next_reply", "resolution", NULL};
const char *const crm_sla_action_names[] = {"notify", "raise_priority",
					    "reassign", NULL};

static const char *const priorities[] = {"low", "normal", "high", "urgent",
					 NULL};
static const char *const channels[] = {"email", "phone",  "web",
				       "chat",	"social", NULL};
static const char *const statuses[] = {"new",	 "open",   "pending", "on_hold",
				       "solved", "closed", NULL};

/* Where in the file an error is: "policies[2] 'vip': targets". */
struct ctx {
	const char *path;
	char where[256];
	struct crm_err *err;
};

static int bad(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int bad(struct ctx *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	crm_err_clear(c->err);
	snprintf(c->err->file, sizeof(c->err->file), "%s", c->path);
	return crm_err_set(c->err, CRM_EX_CONFIG, "%s%s%s", c->where,
			   c->where[0] ? ": " : "", msg);
}

/* The first of the n elements (each size bytes) at v whose name is name,
 * or NULL: policies, teams and escalations, each named by its first
 * member. */
static const void *by_name(const void *v, size_t n, size_t size,
			   const char *name)
{
	_Static_assert(offsetof(struct crm_sla_policy, name) == 0 &&
			   offsetof(struct crm_sla_team, name) == 0 &&
			   offsetof(struct crm_sla_escalation, name) == 0,
		       "a name first");

	for (size_t i = 0; name && i < n; i++) {
		const char *x = (const char *)v + i * size;

		if (!strcmp(*(char *const *)x, name))
			return x;
	}
	return NULL;
}

static int in_list(const char *const *list, const char *v)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], v))
			return i;
	return -1;
}

/* Only the keys in allowed (crm_json_unknown_key). */
static int check_keys(struct ctx *c, json_t *o, const char *const *allowed)
{
	const char *k = crm_json_unknown_key(o, allowed);

	return k ? bad(c, "unknown key '%s'", k) : 0;
}

/* A string or an array of strings into sv; checked against values when
 * given. */
static int strings(struct ctx *c, json_t *j, const char *what,
		   const char *const *values, struct crm_strv *sv)
{
	size_t i;
	json_t *x;

	if (json_is_string(j)) {
		crm_strv_push(sv, json_string_value(j));
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, x)
		{
			if (!json_is_string(x))
				return bad(c, "%s: expected strings", what);
			crm_strv_push(sv, json_string_value(x));
		}
	} else {
		return bad(c, "%s: expected a string or an array of strings",
			   what);
	}
	for (i = 0; values && i < sv->n; i++)
		if (in_list(values, sv->v[i]) < 0)
			return bad(c, "%s: unknown value '%s'", what, sv->v[i]);
	return 0;
}

static int duration(struct ctx *c, json_t *j, const char *what, int64_t *out)
{
	if (!json_is_string(j) ||
	    crm_parse_duration(json_string_value(j), out) < 0 || *out < 0)
		return bad(c,
			   "%s: bad duration %s%s%s (expected 30m, 4h, 2d ...)",
			   what, json_is_string(j) ? "'" : "",
			   json_is_string(j) ? json_string_value(j) : "",
			   json_is_string(j) ? "'" : "");
	return 0;
}

/* The section j of the file (absent, or an object of named objects):
 * each entry an object of keys only, loaded by fn (the i-th of n) with
 * c->where naming it. */
static int load_named(struct ctx *c, struct crm_sla *s, json_t *j,
		      const char *section, const char *const *keys,
		      int (*fn)(struct ctx *c, struct crm_sla *s, size_t i,
				size_t n, const char *name, json_t *o))
{
	const char *name;
	json_t *o;
	size_t i = 0;

	if (!j)
		return 0;
	if (!json_is_object(j))
		return bad(c, "%s: expected an object", section);
	json_object_foreach(j, name, o)
	{
		snprintf(c->where, sizeof(c->where), "%s '%s'", section, name);
		if (!json_is_object(o))
			return bad(c, "expected an object");
		if (check_keys(c, o, keys) < 0 ||
		    fn(c, s, i++, json_object_size(j), name, o) < 0)
			return -1;
	}
	c->where[0] = '\0';
	return 0;
}

static int load_calendar(struct ctx *c, struct crm_sla *s, size_t i, size_t n,
			 const char *name, json_t *cal)
{
	struct crm_bizcal *bc;
	json_t *tz = json_object_get(cal, "timezone");
	json_t *hours = json_object_get(cal, "hours");
	json_t *hol = json_object_get(cal, "holidays"), *v;
	const char *days;
	size_t k;

	if (!i)
		s->cal = crm_xcalloc(n + 1, sizeof(*s->cal));
	bc = &s->cal[s->cal_names.n];
	crm_strv_push(&s->cal_names, name);
	if (tz && !json_is_string(tz))
		return bad(c, "timezone: expected an IANA name");
	if (tz && crm_bizcal_zone(bc, json_string_value(tz), c->err) < 0)
		return bad(c, "%s", c->err->msg);
	if (!json_is_object(hours))
		return bad(c, "hours: expected an object such as "
			      "{\"mon-fri\": \"09:00-17:00\"}");
	json_object_foreach(hours, days, v)
	{
		if (!json_is_string(v))
			return bad(c, "hours: %s: expected a string", days);
		if (crm_bizcal_hours(bc, days, json_string_value(v), c->err) <
		    0)
			return bad(c, "hours: %s", c->err->msg);
	}
	if (!crm_bizcal_open_ever(bc))
		return bad(c, "hours: never open");
	if (hol && !json_is_array(hol))
		return bad(c, "holidays: expected an array of dates");
	json_array_foreach(hol, k, v)
	{
		if (!json_is_string(v) ||
		    crm_bizcal_holiday(bc, json_string_value(v), c->err) < 0)
			return bad(
			    c, "holidays[%zu]: expected a date YYYY-MM-DD", k);
	}
	return 0;
}

static int load_calendars(struct ctx *c, struct crm_sla *s, json_t *j)
{
	static const char *const keys[] = {"timezone", "hours", "holidays",
					   NULL};

	return load_named(c, s, j, "calendars", keys, load_calendar);
}

static int load_team(struct ctx *c, struct crm_sla *s, size_t i, size_t n,
		     const char *name, json_t *t)
{
	struct crm_sla_team *tm;
	json_t *lead = json_object_get(t, "lead");
	json_t *st = json_object_get(t, "strategy");
	json_t *cap = json_object_get(t, "cap");

	if (!i)
		s->team = crm_xcalloc(n + 1, sizeof(*s->team));
	tm = &s->team[s->nteam++];
	tm->name = crm_xstrdup(name);
	if (lead && !json_is_string(lead))
		return bad(c, "lead: expected a name");
	tm->lead = lead ? crm_xstrdup(json_string_value(lead)) : NULL;
	if (strings(c, json_object_get(t, "agents"), "agents", NULL,
		    &tm->agents) < 0)
		return -1;
	if (!tm->agents.n)
		return bad(c, "agents: none");
	if (st && (!json_is_string(st) ||
		   (strcmp(json_string_value(st), "round_robin") &&
		    strcmp(json_string_value(st), "fewest_open"))))
		return bad(c, "strategy: expected round_robin or "
			      "fewest_open");
	tm->strategy = st && !strcmp(json_string_value(st), "fewest_open")
			   ? CRM_TEAM_FEWEST_OPEN
			   : CRM_TEAM_ROUND_ROBIN;
	if (cap && (!json_is_integer(cap) || json_integer_value(cap) < 0))
		return bad(c, "cap: expected a count (0: none)");
	tm->cap = cap ? json_integer_value(cap) : 0;
	return 0;
}

static int load_teams(struct ctx *c, struct crm_sla *s, json_t *j)
{
	static const char *const keys[] = {"lead", "agents", "strategy", "cap",
					   NULL};

	return load_named(c, s, j, "teams", keys, load_team);
}

static int load_target(struct ctx *c, const struct crm_sla *s, json_t *j,
		       int kind, int cal, struct crm_sla_target *t)
{
	static const char *const keys[] = {"within", "time", NULL};
	const char *what = crm_sla_kind_names[kind];
	json_t *w = j, *tm = NULL;

	(void)s;
	if (json_is_object(j)) {
		if (check_keys(c, j, keys) < 0)
			return -1;
		w = json_object_get(j, "within");
		tm = json_object_get(j, "time");
	}
	if (duration(c, w, what, &t->secs) < 0)
		return -1;
	t->cal = cal;
	if (tm) {
		const char *v = json_is_string(tm) ? json_string_value(tm) : "";
		if (!strcmp(v, "calendar"))
			t->cal = -1;
		else if (strcmp(v, "business"))
			return bad(c, "%s: time: expected business or calendar",
				   what);
		else if (cal < 0)
			return bad(c,
				   "%s: business time needs the policy's "
				   "calendar",
				   what);
	}
	return 0;
}

static int load_escalation(struct ctx *c, json_t *j, size_t i,
			   struct crm_sla_escalation *e)
{
	static const char *const keys[] = {"name", "target", "after", "action",
					   "to",   "team",   NULL};
	json_t *name = json_object_get(j, "name"), *tg, *act, *to, *team;
	char what[64];

	snprintf(what, sizeof(what), "escalations[%zu]", i);
	if (!json_is_object(j))
		return bad(c, "%s: expected an object", what);
	if (check_keys(c, j, keys) < 0)
		return -1;
	if (name && !json_is_string(name))
		return bad(c, "%s: name: expected a string", what);
	e->name = name ? crm_xstrdup(json_string_value(name))
		       : crm_xasprintf("level %zu", i + 1);
	tg = json_object_get(j, "target");
	e->kind = -1;
	if (tg) {
		const char *v = json_is_string(tg) ? json_string_value(tg) : "";
		if (strcmp(v, "any") &&
		    (e->kind = in_list(crm_sla_kind_names, v)) < 0)
			return bad(c,
				   "%s: target: expected first_reply, "
				   "next_reply, resolution or any",
				   what);
	}
	e->after = 0;
	if (json_object_get(j, "after") &&
	    duration(c, json_object_get(j, "after"), what, &e->after) < 0)
		return -1;
	act = json_object_get(j, "action");
	if (!json_is_string(act) ||
	    in_list(crm_sla_action_names, json_string_value(act)) < 0)
		return bad(c,
			   "%s: action: expected notify, raise_priority or "
			   "reassign",
			   what);
	e->action = (enum crm_sla_action)in_list(crm_sla_action_names,
						 json_string_value(act));
	to = json_object_get(j, "to");
	team = json_object_get(j, "team");
	if ((to && !json_is_string(to)) || (team && !json_is_string(team)))
		return bad(c, "%s: to and team are names", what);
	e->to = to ? crm_xstrdup(json_string_value(to)) : NULL;
	e->team = team ? crm_xstrdup(json_string_value(team)) : NULL;
	if (e->action == CRM_ESC_NOTIFY && !e->to)
		return bad(c, "%s: notify needs \"to\" (a name or \"lead\")",
			   what);
	if (e->action == CRM_ESC_REASSIGN && !e->to && !e->team)
		return bad(c, "%s: reassign needs \"to\" or \"team\"", what);
	return 0;
}

/* A policy's conditions: their keys under "when", and the list of the
 * k-th (tier: the account's, crm-company tier). */
static const char *const when_keys[] = {"priority", "channel", "company",
					"tag",	    "tier",    NULL};

static struct crm_strv *cond_list(struct crm_sla_policy *p, size_t k)
{
	struct crm_strv *lists[] = {&p->priority, &p->channel, &p->company,
				    &p->tag, &p->tier};

	return lists[k];
}

static int load_policy(struct ctx *c, struct crm_sla *s, json_t *j, size_t i,
		       struct crm_sla_policy *p)
{
	static const char *const keys[] = {"name",    "when",	     "calendar",
					   "targets", "escalations", NULL};
	/* each condition's values, when it has them */
	const char *const *values[] = {priorities, channels, NULL, NULL, NULL};
	json_t *name = json_object_get(j, "name"), *when, *cal, *tg, *esc, *v;
	int ci = -1;
	size_t k;

	snprintf(c->where, sizeof(c->where), "policies[%zu]", i);
	if (!json_is_object(j))
		return bad(c, "expected an object");
	if (!json_is_string(name) || !*json_string_value(name))
		return bad(c, "name: expected a name");
	p->name = crm_xstrdup(json_string_value(name));
	snprintf(c->where, sizeof(c->where), "policies[%zu] '%s'", i, p->name);
	if (by_name(s->pol, i, sizeof(*s->pol), p->name))
		return bad(c, "name: used twice");
	if (check_keys(c, j, keys) < 0)
		return -1;
	when = json_object_get(j, "when");
	if (when) {
		if (!json_is_object(when))
			return bad(c, "when: expected an object");
		if (check_keys(c, when, when_keys) < 0)
			return -1;
		for (k = 0; when_keys[k]; k++) {
			char what[32];

			snprintf(what, sizeof(what), "when: %s", when_keys[k]);
			if ((v = json_object_get(when, when_keys[k])) &&
			    strings(c, v, what, values[k], cond_list(p, k)) < 0)
				return -1;
		}
		for (k = 0; k < p->company.n; k++) {
			/* names compare by their matching form */
			struct crm_buf b = {0};
			int64_t id;

			if (crm_parse_int(p->company.v[k], &id) == 0)
				continue;
			crm_norm_company(p->company.v[k],
					 strlen(p->company.v[k]), &b);
			free(p->company.v[k]);
			p->company.v[k] = crm_buf_detach(&b);
		}
	}
	cal = json_object_get(j, "calendar");
	if (cal) {
		if (!json_is_string(cal) ||
		    (ci = (int)crm_strv_find(&s->cal_names,
					     json_string_value(cal))) < 0)
			return bad(c, "calendar: no calendar '%s'",
				   json_is_string(cal) ? json_string_value(cal)
						       : "?");
	}
	tg = json_object_get(j, "targets");
	if (!json_is_object(tg))
		return bad(c, "targets: expected an object");
	if (check_keys(c, tg,
		       (const char *const[]){"first_reply", "next_reply",
					     "resolution", NULL}) < 0)
		return -1;
	for (int kind = 0; kind < CRM_SLA_NKINDS; kind++) {
		json_t *t = json_object_get(tg, crm_sla_kind_names[kind]);

		p->target[kind].secs = -1;
		p->target[kind].cal = -1;
		if (t && load_target(c, s, t, kind, ci, &p->target[kind]) < 0)
			return -1;
	}
	esc = json_object_get(j, "escalations");
	if (esc && !json_is_array(esc))
		return bad(c, "escalations: expected an array");
	p->esc = crm_xcalloc(json_array_size(esc) + 1, sizeof(*p->esc));
	json_array_foreach(esc, k, v)
	{
		if (load_escalation(c, v, k, &p->esc[p->nesc++]) < 0)
			return -1;
		if (by_name(p->esc, k, sizeof(*p->esc), p->esc[k].name))
			return bad(c, "escalations[%zu]: name '%s' used twice",
				   k, p->esc[k].name);
		if (p->esc[k].team && !crm_sla_team(s, p->esc[k].team))
			return bad(c, "escalations[%zu]: no team '%s'", k,
				   p->esc[k].team);
	}
	return 0;
}

static int parse_sla(const char *path, json_t *root, void *arg,
		     struct crm_err *err)
{
	static const char *const keys[] = {"calendars", "pause_statuses",
					   "teams", "policies", NULL};
	struct ctx c = {.path = path, .err = err};
	struct crm_sla *s = arg;
	json_t *pol, *v;
	size_t i;

	if (check_keys(&c, root, keys) < 0 ||
	    load_calendars(&c, s, json_object_get(root, "calendars")) < 0 ||
	    load_teams(&c, s, json_object_get(root, "teams")) < 0)
		return -1;
	v = json_object_get(root, "pause_statuses");
	if (v) {
		if (strings(&c, v, "pause_statuses", statuses, &s->pause) < 0)
			return -1;
		for (i = 0; i < s->pause.n; i++)
			if (!strcmp(s->pause.v[i], "solved") ||
			    !strcmp(s->pause.v[i], "closed"))
				return bad(&c,
					   "pause_statuses: '%s' ends the "
					   "clock already",
					   s->pause.v[i]);
	} else {
		crm_strv_push(&s->pause, "pending");
		crm_strv_push(&s->pause, "on_hold");
	}
	pol = json_object_get(root, "policies");
	if (!json_is_array(pol))
		return bad(&c, "policies: expected an array");
	s->pol = crm_xcalloc(json_array_size(pol) + 1, sizeof(*s->pol));
	json_array_foreach(pol, i, v)
	{
		s->npol++;
		if (load_policy(&c, s, v, i, &s->pol[i]) < 0)
			return -1;
		s->uses_tier |= s->pol[i].tier.n > 0;
		s->uses_company |= s->pol[i].company.n > 0;
	}
	return 0;
}

int crm_sla_load(const char *path, struct crm_sla *s, struct crm_err *err)
{
	memset(s, 0, sizeof(*s));
	s->path = crm_xstrdup(path);
	if (crm_config_read(path, "", "expected a JSON object", parse_sla, s,
			    err) < 0) {
		/* not opened: in jansson's words, as a policy error */
		if (err->code != CRM_EX_CONFIG) {
			int e = errno;
			crm_err_clear(err);
			crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL,
				   "unable to open %s: %s", path, strerror(e));
		}
		return -1;
	}
	return 0;
}

void crm_sla_release(struct crm_sla *s)
{
	for (size_t i = 0; i < s->cal_names.n; i++)
		crm_bizcal_release(&s->cal[i]);
	free(s->cal);
	crm_strv_release(&s->cal_names);
	crm_strv_release(&s->pause);
	for (size_t i = 0; i < s->npol; i++) {
		struct crm_sla_policy *p = &s->pol[i];

		free(p->name);
		for (size_t k = 0; when_keys[k]; k++)
			crm_strv_release(cond_list(p, k));
		for (size_t k = 0; k < p->nesc; k++) {
			free(p->esc[k].name);
			free(p->esc[k].to);
			free(p->esc[k].team);
		}
		free(p->esc);
	}
	free(s->pol);
	for (size_t i = 0; i < s->nteam; i++) {
		free(s->team[i].name);
		free(s->team[i].lead);
		crm_strv_release(&s->team[i].agents);
	}
	free(s->team);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

static bool cond(const struct crm_strv *alts, const char *v)
{
	return !alts->n || (v && crm_strv_find(alts, v) >= 0);
}

const struct crm_sla_policy *
crm_sla_match(const struct crm_sla *s, const char *priority,
	      const char *channel, const char *company_id,
	      const char *company_key, const char *tags)
{
	return crm_sla_match_tier(s, priority, channel, company_id, company_key,
				  tags, NULL);
}

const struct crm_sla_policy *
crm_sla_match_tier(const struct crm_sla *s, const char *priority,
		   const char *channel, const char *company_id,
		   const char *company_key, const char *tags, const char *tier)
{
	struct crm_strv tv = {0};
	const struct crm_sla_policy *found = NULL;

	if (tags)
		crm_strv_split(&tv, tags, ',');
	for (size_t i = 0; !found && i < s->npol; i++) {
		const struct crm_sla_policy *p = &s->pol[i];
		bool ok =
		    cond(&p->priority, priority) && cond(&p->channel, channel);

		if (ok && p->company.n)
			ok = (company_id &&
			      crm_strv_find(&p->company, company_id) >= 0) ||
			     (company_key &&
			      crm_strv_find(&p->company, company_key) >= 0);
		if (ok && p->tier.n)
			ok = tier && crm_strv_find(&p->tier, tier) >= 0;
		if (ok && p->tag.n) {
			ok = false;
			for (size_t k = 0; !ok && k < tv.n; k++)
				ok = crm_strv_find(&p->tag, tv.v[k]) >= 0;
		}
		if (ok)
			found = p;
	}
	crm_strv_release(&tv);
	return found;
}

bool crm_sla_uses_tier(const struct crm_sla *s)
{
	return s->uses_tier;
}

bool crm_sla_uses_company(const struct crm_sla *s)
{
	return s->uses_company;
}

const struct crm_sla_policy *crm_sla_policy(const struct crm_sla *s,
					    const char *name)
{
	return by_name(s->pol, s->npol, sizeof(*s->pol), name);
}

const struct crm_sla_team *crm_sla_team(const struct crm_sla *s,
					const char *name)
{
	return by_name(s->team, s->nteam, sizeof(*s->team), name);
}

bool crm_sla_pauses(const struct crm_sla *s, const char *status)
{
	return status && crm_strv_find(&s->pause, status) >= 0;
}

crm_time crm_sla_due(const struct crm_sla *s, const struct crm_sla_target *t,
		     crm_time start, const struct crm_span *pauses,
		     size_t npauses)
{
	static const struct crm_bizcal always = {.always = true};

	if (t->secs < 0)
		return CRM_BIZ_NEVER;
	return crm_bizcal_add(t->cal >= 0 ? &s->cal[t->cal] : &always, start,
			      t->secs, pauses, npauses);
}
