/* flow.c - flow files: read, check, describe. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "filter.h"
#include "flow.h"
#include "pipeline.h"
#include "share.h"

const char *const crm_flow_trigger_names[] = {
    "created", "updated", "tag_added", "time", "schedule", "event", NULL};

char *crm_flows_default_dir(void)
{
	const char *env = getenv("CRM_FLOWS");

	if (env && *env)
		return crm_xstrdup(env);
	return crm_share_path("flows");
}

/* A bad flow: CRM_EX_CONFIG at the file, naming the flow and the field. */
static int bad(struct crm_err *err, const char *path, const char *flow,
	       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int bad(struct crm_err *err, const char *path, const char *flow,
	       const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(err, CRM_EX_CONFIG, path, 0, field, fmt, ap);
	va_end(ap);
	return crm_err_prefix(err, "flow '%s': ", flow ? flow : "?");
}

static const char *str(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	return json_is_string(j) ? json_string_value(j) : NULL;
}

/* A string that must be there and not be empty: NULL when it is not. */
static const char *nonempty(json_t *o, const char *key)
{
	const char *s = str(o, key);

	return s && *s ? s : NULL;
}

static int field_known(const struct crm_entity *e, const char *name)
{
	return crm_entity_field(e, name) >= 0;
}

/* An inline calendar {"timezone", "hours": {"mon-fri": "09:00-17:00"},
 * "holidays": [...]} into c. */
static int calendar_parse(json_t *o, struct crm_bizcal *c, struct crm_err *err)
{
	const char *k;
	json_t *v;
	size_t i;
	const char *tz = str(o, "timezone");

	if (!json_is_object(o))
		return crm_err_set(err, CRM_EX_CONFIG, "must be an object");
	if (tz && crm_bizcal_zone(c, tz, err) < 0)
		return -1;
	if (!json_is_object(json_object_get(o, "hours")))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "calendar needs \"hours\" (an object)");
	json_object_foreach(json_object_get(o, "hours"), k, v)
	{
		if (!json_is_string(v))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "hours: '%s' must be a string", k);
		if (crm_bizcal_hours(c, k, json_string_value(v), err) < 0)
			return -1;
	}
	json_array_foreach(json_object_get(o, "holidays"), i, v)
	{
		if (!json_is_string(v) ||
		    crm_bizcal_holiday(c, json_string_value(v), err) < 0)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "holidays: bad date");
	}
	if (!crm_bizcal_open_ever(c))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "calendar has no opening hours");
	return 0;
}

/* "calendar": a name in the SLA policy file's calendars, or an object. */
static int load_calendar(json_t *j, struct crm_flow_trigger *t,
			 struct crm_err *err)
{
	json_t *root = NULL, *cal = j;
	int rc = -1;

	t->cal = crm_xcalloc(1, sizeof(*t->cal));
	if (json_is_string(j)) {
		char *path = getenv("CRM_SLA") && *getenv("CRM_SLA")
				 ? crm_xstrdup(getenv("CRM_SLA"))
				 : crm_share_path("sla.json");
		struct crm_err e2;

		t->calendar = crm_xstrdup(json_string_value(j));
		if (crm_config_load(path, "SLA policy ", NULL, "", &root, &e2) <
		    0) {
			crm_err_set(err, CRM_EX_CONFIG, "calendar '%s': %s",
				    t->calendar, e2.msg);
			free(path);
			return -1;
		}
		free(path);
		cal = json_object_get(json_object_get(root, "calendars"),
				      t->calendar);
		if (!cal) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "no calendar '%s' in the SLA policies",
				    t->calendar);
			goto out;
		}
	} else {
		t->calendar = crm_xstrdup("(inline)");
	}
	rc = calendar_parse(cal, t->cal, err);
out:
	json_decref(root);
	return rc;
}

static const char *const day_names[] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun"};

/* "day", "weekday", "weekend", or "mon,wed,fri" into a bit mask. */
static int parse_days(const char *s, unsigned *days)
{
	struct crm_strv v = {0};
	int rc = 0;

	*days = 0;
	if (!strcmp(s, "day")) {
		*days = 0x7f;
		return 0;
	}
	if (!strcmp(s, "weekday")) {
		*days = 0x1f;
		return 0;
	}
	if (!strcmp(s, "weekend")) {
		*days = 0x60;
		return 0;
	}
	crm_strv_split(&v, s, ',');
	for (size_t i = 0; i < v.n && !rc; i++) {
		size_t d;

		for (d = 0; d < 7 && strcmp(v.v[i], day_names[d]); d++)
			;
		if (d == 7)
			rc = -1;
		else
			*days |= 1u << d;
	}
	crm_strv_release(&v);
	return *days ? rc : -1;
}

static int parse_trigger(struct crm_flow *f, json_t *j, struct crm_err *err)
{
	static const char *const keys[] = {
	    "type",	"field",  "from",	"to",	 "tag",
	    "after",	"before", "calendar",	"every", "at",
	    "timezone", "event",  "days_field", NULL};
	struct crm_flow_trigger *t = &f->trigger;
	const char *type = str(j, "type"), *k;
	size_t i;

	if (!json_is_object(j))
		return bad(err, f->path, f->name, "trigger",
			   "must be an object with a \"type\"");
	if ((k = crm_json_unknown_key(j, keys)))
		return bad(err, f->path, f->name, "trigger", "unknown key '%s'",
			   k);
	for (i = 0; type && crm_flow_trigger_names[i] &&
		    strcmp(type, crm_flow_trigger_names[i]);
	     i++)
		;
	if (!type || !crm_flow_trigger_names[i])
		return bad(err, f->path, f->name, "trigger.type",
			   "must be one of created, updated, tag_added, "
			   "time, schedule, event");
	t->kind = (enum crm_flow_trigger_kind)i;
	t->field = str(j, "field");
	t->from = str(j, "from");
	t->to = str(j, "to");
	/* an update trigger may name a custom field (a deal's discount) */
	if (t->field && !field_known(f->e, t->field) &&
	    t->kind != CRM_FLOW_ON_UPDATE)
		return bad(err, f->path, f->name, "trigger.field",
			   "%s has no field '%s'", f->e->name, t->field);
	switch (t->kind) {
	case CRM_FLOW_ON_CREATE:
		break;
	case CRM_FLOW_ON_UPDATE:
		if ((t->from || t->to) && !t->field)
			return bad(err, f->path, f->name, "trigger.field",
				   "from and to need a field");
		break;
	case CRM_FLOW_ON_TAG:
		if (!(t->tag = nonempty(j, "tag")))
			return bad(err, f->path, f->name, "trigger.tag",
				   "tag_added needs a tag");
		if (!field_known(f->e, "tags"))
			return bad(err, f->path, f->name, "trigger.tag",
				   "%s has no tags", f->e->name);
		break;
	case CRM_FLOW_ON_TIME: {
		const char *after = str(j, "after"), *before = str(j, "before");
		int64_t d;
		long fi;

		if (!t->field)
			return bad(err, f->path, f->name, "trigger.field",
				   "a time trigger needs a field");
		fi = crm_entity_field(f->e, t->field);
		if (f->e->fields[fi].type != CRM_T_TIME &&
		    f->e->fields[fi].type != CRM_T_DATE)
			return bad(err, f->path, f->name, "trigger.field",
				   "'%s' is not a time or date", t->field);
		if (!!after == !!before)
			return bad(err, f->path, f->name, "trigger.after",
				   "give one of after and before");
		if (crm_parse_duration(after ? after : before, &d) < 0 || d < 0)
			return bad(err, f->path, f->name,
				   after ? "trigger.after" : "trigger.before",
				   "bad duration '%s'", after ? after : before);
		t->offset = after ? d : -d;
		t->days_field = str(j, "days_field");
		if (t->days_field) {
			long di = crm_entity_field(f->e, t->days_field);

			if (di < 0 || f->e->fields[di].type != CRM_T_INT)
				return bad(err, f->path, f->name,
					   "trigger.days_field",
					   "%s has no integer field '%s'",
					   f->e->name, t->days_field);
			if (json_object_get(j, "calendar"))
				return bad(err, f->path, f->name,
					   "trigger.days_field",
					   "days are calendar days: not with "
					   "a calendar");
		}
		if (json_object_get(j, "calendar") &&
		    load_calendar(json_object_get(j, "calendar"), t, err) < 0) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			return bad(err, f->path, f->name, "trigger.calendar",
				   "%s", why);
		}
		break;
	}
	case CRM_FLOW_ON_SCHEDULE: {
		const char *every = str(j, "every"), *at = str(j, "at");
		int hh, mm, n = 0;

		t->tz = str(j, "timezone");
		if (t->tz) {
			t->zone = crm_tz_load(t->tz, err);
			if (!t->zone) {
				char why[sizeof(err->msg)];

				snprintf(why, sizeof(why), "%s", err->msg);
				return bad(err, f->path, f->name,
					   "trigger.timezone", "%s", why);
			}
		}
		if (!every)
			return bad(err, f->path, f->name, "trigger.every",
				   "a schedule needs \"every\"");
		if (parse_days(every, &t->days) < 0) {
			if (crm_parse_duration(every, &t->every) < 0 ||
			    t->every < 60 || at)
				return bad(err, f->path, f->name,
					   "trigger.every",
					   "'%s' is not day, weekday, weekend, "
					   "a list of days (mon,tue ...) or a "
					   "duration of a minute or more "
					   "(without \"at\")",
					   every);
			break;
		}
		if (!at || sscanf(at, "%2d:%2d%n", &hh, &mm, &n) != 2 ||
		    at[n] || hh > 23 || mm > 59 || hh < 0 || mm < 0)
			return bad(err, f->path, f->name, "trigger.at",
				   "needs a time of day HH:MM");
		t->at = hh * 3600 + mm * 60;
		break;
	}
	case CRM_FLOW_ON_EVENT:
		if (!(t->event = nonempty(j, "event")))
			return bad(err, f->path, f->name, "trigger.event",
				   "an event trigger needs an event name");
		break;
	}
	return 0;
}

/* A where expression checked against e (field names) now, so that a
 * typo is 78 at check time rather than a failure at run time. */
static int check_where(const struct crm_entity *e, const char *expr,
		       struct crm_err *err)
{
	struct crm_strv w = {0};
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_cond c;
	int rc;

	if (crm_filter_parse(expr, &c, err) < 0)
		return -1;
	if (crm_entity_field(e, c.field) < 0) {
		crm_err_set(err, CRM_EX_CONFIG, "%s has no field '%s'", e->name,
			    c.field);
		crm_cond_release(&c);
		return -1;
	}
	crm_cond_release(&c);
	crm_strv_push(&w, expr);
	rc = crm_filter_where(NULL, e, &w, &sql, &b, err);
	crm_strv_release(&w);
	crm_buf_release(&sql);
	crm_binds_release(&b);
	return rc;
}

static int parse_cond(struct crm_flow *f, json_t *j, size_t i,
		      struct crm_err *err)
{
	struct crm_flow_cond *c = &f->cond[i];
	char field[64];

	snprintf(field, sizeof(field), "conditions[%zu]", i);
	c->max = -1;
	if (json_is_string(j)) {
		c->kind = CRM_FLOW_COND_WHERE;
		c->text = crm_xstrdup(json_string_value(j));
		crm_strv_push(&c->where, c->text);
		if (check_where(f->e, c->text, err) < 0)
			goto bad_where;
		return 0;
	}
	if (!json_is_object(j))
		return bad(err, f->path, f->name, field,
			   "must be a string (field OP value) or an object");
	c->text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (json_object_get(j, "related")) {
		static const char *const keys[] = {"related", "via", "where",
						   NULL};
		const char *rel = str(j, "related"), *k;
		json_t *w = json_object_get(j, "where"), *v;
		size_t n;

		if ((k = crm_json_unknown_key(j, keys)))
			return bad(err, f->path, f->name, field,
				   "unknown key '%s'", k);
		c->kind = CRM_FLOW_COND_RELATED;
		c->rel = rel ? crm_entity_by_name(rel) : NULL;
		if (!c->rel)
			return bad(err, f->path, f->name, field,
				   "related: no entity '%s'", rel ? rel : "");
		c->via = str(j, "via") ? crm_xstrdup(str(j, "via"))
				       : crm_xasprintf("%s_id", c->rel->name);
		{
			long fi = crm_entity_field(f->e, c->via);
			if (fi < 0 || f->e->fields[fi].type != CRM_T_REF)
				return bad(err, f->path, f->name, field,
					   "%s has no reference '%s'",
					   f->e->name, c->via);
		}
		if (json_is_string(w))
			crm_strv_push(&c->where, json_string_value(w));
		else if (json_is_array(w))
			json_array_foreach(w, n, v)
			{
				if (!json_is_string(v))
					return bad(err, f->path, f->name, field,
						   "where: strings only");
				crm_strv_push(&c->where, json_string_value(v));
			}
		else
			return bad(err, f->path, f->name, field,
				   "related needs \"where\"");
		for (n = 0; n < c->where.n; n++)
			if (check_where(c->rel, c->where.v[n], err) < 0)
				goto bad_where;
		return 0;
	}
	if (json_object_get(j, "activities")) {
		static const char *const keys[] = {
		    "type", "direction", "since", "within", "min", "max", NULL};
		json_t *a = json_object_get(j, "activities");
		const char *k, *since, *within;
		json_t *v;

		if (!json_is_object(a) || json_object_size(j) != 1)
			return bad(err, f->path, f->name, field,
				   "activities must be the only key, an "
				   "object");
		if ((k = crm_json_unknown_key(a, keys)))
			return bad(err, f->path, f->name, field,
				   "activities: unknown key '%s'", k);
		c->kind = CRM_FLOW_COND_ACTIVITIES;
		c->type = str(a, "type");
		c->direction = str(a, "direction");
		since = str(a, "since");
		within = str(a, "within");
		if (since) {
			long fi = crm_entity_field(f->e, since);
			if (fi < 0 || (f->e->fields[fi].type != CRM_T_TIME &&
				       f->e->fields[fi].type != CRM_T_DATE))
				return bad(err, f->path, f->name, field,
					   "activities.since: %s has no time "
					   "field '%s'",
					   f->e->name, since);
			c->since_field = since;
		}
		if (within && (crm_parse_duration(within, &c->within) < 0 ||
			       c->within <= 0))
			return bad(err, f->path, f->name, field,
				   "activities.within: bad duration '%s'",
				   within);
		c->min = 0;
		if ((v = json_object_get(a, "min"))) {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				return bad(err, f->path, f->name, field,
					   "activities.min: a count");
			c->min = json_integer_value(v);
		}
		if ((v = json_object_get(a, "max"))) {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				return bad(err, f->path, f->name, field,
					   "activities.max: a count");
			c->max = json_integer_value(v);
		}
		if (!json_object_get(a, "min") && !json_object_get(a, "max"))
			c->min = 1;
		if (c->direction && strcmp(c->direction, "in") &&
		    strcmp(c->direction, "out"))
			return bad(err, f->path, f->name, field,
				   "activities.direction: in or out");
		return 0;
	}
	if (json_object_get(j, "cycle")) {
		static const char *const ckeys[] = {"within", NULL};
		json_t *a = json_object_get(j, "cycle");
		const char *k, *within;

		if (!json_is_object(a) || json_object_size(j) != 1)
			return bad(err, f->path, f->name, field,
				   "cycle must be the only key, an object");
		if ((k = crm_json_unknown_key(a, ckeys)))
			return bad(err, f->path, f->name, field,
				   "cycle: unknown key '%s'", k);
		if (strcmp(f->e->name, "company") &&
		    strcmp(f->e->name, "contact"))
			return bad(err, f->path, f->name, field,
				   "cycle: for companies and contacts, not "
				   "%s",
				   f->e->name);
		within = str(a, "within") ? str(a, "within") : "60d";
		if (crm_parse_duration(within, &c->within) < 0 || c->within < 0)
			return bad(err, f->path, f->name, field,
				   "cycle.within: bad duration '%s'", within);
		c->kind = CRM_FLOW_COND_CYCLE;
		return 0;
	}
	return bad(err, f->path, f->name, field,
		   "an object needs \"related\", \"activities\" or "
		   "\"cycle\"");
bad_where : {
	char why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err->msg);
	return bad(err, f->path, f->name, field, "%s", why);
}
}

int crm_flow_parse(json_t *root, const char *path, struct crm_flow *f,
		   struct crm_err *err)
{
	static const char *const keys[] = {"name",    "description", "entity",
					   "trigger", "conditions",  "actions",
					   "options", NULL};
	const char *ename, *k;
	json_t *j, *v;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->root = json_incref(root);
	f->path = crm_xstrdup(path);
	f->enabled = true;
	f->retries = 5;
	f->backoff = 600;
	if (!(f->name = nonempty(root, "name")))
		return bad(err, path, NULL, "name", "a flow needs a name");
	for (const char *p = f->name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return bad(err, path, f->name, "name",
				   "use a-z, 0-9, '-', '_' and '.'");
	if ((k = crm_json_unknown_key(root, keys)))
		return bad(err, path, f->name, k, "unknown key");
	f->description = str(root, "description");
	ename = str(root, "entity");
	f->e = ename ? crm_entity_by_name(ename) : NULL;
	if (!f->e)
		return bad(err, path, f->name, "entity",
			   "no entity '%s' (contact, company, activity, lead, "
			   "deal, ticket ...)",
			   ename ? ename : "");
	if (parse_trigger(f, json_object_get(root, "trigger"), err) < 0)
		return -1;
	j = json_object_get(root, "conditions");
	if (j && !json_is_array(j))
		return bad(err, path, f->name, "conditions", "must be a list");
	f->cond = crm_xcalloc(json_array_size(j) + 1, sizeof(*f->cond));
	json_array_foreach(j, i, v)
	{
		f->ncond = i + 1;
		if (parse_cond(f, v, i, err) < 0)
			return -1;
	}
	j = json_object_get(root, "actions");
	if (!json_is_array(j) || !json_array_size(j))
		return bad(err, path, f->name, "actions",
			   "needs a list of actions");
	f->act = crm_xcalloc(json_array_size(j), sizeof(*f->act));
	json_array_foreach(j, i, v)
	{
		char field[64];
		const char *type = str(v, "type");
		const struct crm_flow_action_kind *kind;

		snprintf(field, sizeof(field), "actions[%zu]", i);
		if (!json_is_object(v))
			return bad(err, path, f->name, field,
				   "must be an object");
		kind = type ? crm_flow_action_kind(type) : NULL;
		if (!kind) {
			struct crm_buf names = {0};

			for (const struct crm_flow_action_kind *a =
				 crm_flow_action_kinds;
			     a->name; a++)
				crm_buf_addf(&names, "%s%s",
					     names.len ? ", " : "", a->name);
			bad(err, path, f->name, field,
			    "unknown action type '%s' (%s)", type ? type : "",
			    crm_buf_str(&names));
			crm_buf_release(&names);
			return -1;
		}
		f->act[i].kind = kind;
		f->act[i].spec = json_incref(v);
		f->nact = i + 1;
		crm_err_clear(err);
		/* the kind's keys are checked here, not in each validate */
		k = kind->keys ? crm_json_unknown_key(v, kind->keys) : NULL;
		if (k)
			crm_err_field(err, k, CRM_EX_CONFIG, "unknown key");
		if (k || (kind->validate &&
			  kind->validate(f, v, &f->act[i].data, err) < 0)) {
			char why[sizeof(err->msg)], fld[sizeof(err->field)];

			snprintf(why, sizeof(why), "%s", err->msg);
			snprintf(fld, sizeof(fld), "%s%s%s", field,
				 err->field[0] ? "." : "", err->field);
			return bad(err, path, f->name, fld, "%s", why);
		}
	}
	j = json_object_get(root, "options");
	if (j) {
		static const char *const okeys[] = {"enabled", "retries",
						    "backoff", NULL};
		int64_t d;

		if (!json_is_object(j))
			return bad(err, path, f->name, "options",
				   "must be an object");
		if ((k = crm_json_unknown_key(j, okeys)))
			return bad(err, path, f->name, "options",
				   "unknown key '%s'", k);
		if ((v = json_object_get(j, "enabled"))) {
			if (!json_is_boolean(v))
				return bad(err, path, f->name,
					   "options.enabled", "true or false");
			f->enabled = json_is_true(v);
		}
		if ((v = json_object_get(j, "retries"))) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > 100)
				return bad(err, path, f->name,
					   "options.retries",
					   "a count from 1 to 100");
			f->retries = (int)json_integer_value(v);
		}
		if ((v = json_object_get(j, "backoff"))) {
			if (!json_is_string(v) ||
			    crm_parse_duration(json_string_value(v), &d) < 0 ||
			    d < 1)
				return bad(err, path, f->name,
					   "options.backoff",
					   "a duration (10m, 1h)");
			f->backoff = d;
		}
	}
	return 0;
}

void crm_flow_release(struct crm_flow *f)
{
	struct crm_flow_trigger *t = &f->trigger;

	free(f->path);
	free(t->calendar);
	if (t->cal) {
		crm_bizcal_release(t->cal);
		free(t->cal);
	}
	crm_tz_free(t->zone);
	for (size_t i = 0; i < f->ncond; i++) {
		struct crm_flow_cond *c = &f->cond[i];

		free(c->text);
		crm_strv_release(&c->where);
		free(c->via);
	}
	free(f->cond);
	for (size_t i = 0; i < f->nact; i++) {
		if (f->act[i].kind && f->act[i].kind->release)
			f->act[i].kind->release(f->act[i].data);
		json_decref(f->act[i].spec);
	}
	free(f->act);
	json_decref(f->root);
	memset(f, 0, sizeof(*f));
}

void crm_flows_release(struct crm_flows *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		crm_flow_release(&fs->v[i]);
	free(fs->v);
	free(fs->dir);
	memset(fs, 0, sizeof(*fs));
}

int crm_flows_load(const char *dir, struct crm_flows *fs, struct crm_err *err)
{
	struct crm_strv names = {0};
	int rc = -1;

	memset(fs, 0, sizeof(*fs));
	fs->dir = crm_xstrdup(dir);
	if (crm_config_dir(dir, "flows", &names, err) < 0)
		return -1;
	fs->v = crm_xcalloc(names.n + 1, sizeof(*fs->v));
	for (size_t i = 0; i < names.n; i++) {
		char *path = crm_xasprintf("%s/%s", dir, names.v[i]);
		json_t *root = NULL;
		int r;

		r = crm_config_load(path, "flow ", NULL,
				    "a flow file must hold one JSON object",
				    &root, err);
		if (r == 0) {
			r = crm_flow_parse(root, path, &fs->v[fs->n], err);
			fs->n++;
		}
		json_decref(root);
		if (r == 0)
			for (size_t k = 0; k + 1 < fs->n; k++)
				if (!strcmp(fs->v[k].name,
					    fs->v[fs->n - 1].name)) {
					r = bad(err, path,
						fs->v[fs->n - 1].name, "name",
						"also the name of %s",
						fs->v[k].path);
					break;
				}
		if (r < 0 && err->code != CRM_EX_CONFIG)
			err->code = CRM_EX_CONFIG;
		free(path);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	crm_strv_release(&names);
	return rc;
}

const struct crm_flow *crm_flows_find(const struct crm_flows *fs,
				      const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].name, name))
			return &fs->v[i];
	return NULL;
}

static void dur(struct crm_buf *out, int64_t s)
{
	if (s % 86400 == 0 && s)
		crm_buf_addf(out, "%lldd", (long long)(s / 86400));
	else if (s % 3600 == 0 && s)
		crm_buf_addf(out, "%lldh", (long long)(s / 3600));
	else if (s % 60 == 0)
		crm_buf_addf(out, "%lldm", (long long)(s / 60));
	else
		crm_buf_addf(out, "%llds", (long long)s);
}

void crm_flow_trigger_describe(const struct crm_flow *f, struct crm_buf *out)
{
	const struct crm_flow_trigger *t = &f->trigger;

	switch (t->kind) {
	case CRM_FLOW_ON_CREATE:
		crm_buf_addf(out, "%s created", f->e->name);
		break;
	case CRM_FLOW_ON_UPDATE:
		if (!t->field) {
			crm_buf_addf(out, "%s updated", f->e->name);
			break;
		}
		crm_buf_addf(out, "%s changes", t->field);
		if (t->from)
			crm_buf_addf(out, " from %s", t->from);
		if (t->to)
			crm_buf_addf(out, " to %s", t->to);
		break;
	case CRM_FLOW_ON_TAG:
		crm_buf_addf(out, "tag %s added", t->tag);
		break;
	case CRM_FLOW_ON_TIME:
		dur(out, t->offset < 0 ? -t->offset : t->offset);
		if (t->cal)
			crm_buf_addf(out, " of %s business time", t->calendar);
		crm_buf_addf(out, " %s %s", t->offset < 0 ? "before" : "after",
			     t->field);
		if (t->days_field)
			crm_buf_addf(out, " (or %s days)", t->days_field);
		break;
	case CRM_FLOW_ON_SCHEDULE:
		if (t->every) {
			crm_buf_adds(out, "every ");
			dur(out, t->every);
			break;
		}
		crm_buf_adds(out, "every ");
		if (t->days == 0x7f)
			crm_buf_adds(out, "day");
		else if (t->days == 0x1f)
			crm_buf_adds(out, "weekday");
		else
			for (int d = 0, n = 0; d < 7; d++)
				if (t->days & (1u << d))
					crm_buf_addf(out, "%s%s",
						     n++ ? "," : "",
						     day_names[d]);
		crm_buf_addf(out, " at %02d:%02d %s", t->at / 3600,
			     t->at / 60 % 60, t->tz ? t->tz : "UTC");
		break;
	case CRM_FLOW_ON_EVENT:
		crm_buf_addf(out, "event %s", t->event);
		break;
	}
}
