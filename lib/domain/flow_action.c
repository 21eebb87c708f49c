/* flow_action.c - the action registry: one entry per action kind
 * {name, external, validate, apply, release}. A new kind is one entry in
 * crm_flow_action_kinds. Writes go through the entity engine (the change
 * log, undo); external kinds (email, command) are queued in the outbox
 * and run after the commit (lib/domain/flow_run.c). */
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "approval.h"
#include "assign.h"
#include "campaign_mail.h"
#include "dbq.h"
#include "flow.h"
#include "lead.h"
#include "mime.h"
#include "reach.h"
#include "share.h"
#include "tier.h"

void crm_flow_did(struct crm_flow_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->did.len)
		crm_buf_adds(&ctx->did, "; ");
	va_start(ap, fmt);
	crm_buf_vaddf(&ctx->did, fmt, ap);
	va_end(ap);
}

static const char *str(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	return json_is_string(j) ? json_string_value(j) : NULL;
}

/* Key k of o, when present, must be a string and a valid template. */
static int tmpl_key(const struct crm_flow *f, json_t *o, const char *k,
		    bool required, struct crm_err *err)
{
	json_t *j = json_object_get(o, k);

	if (!j && !required)
		return 0;
	snprintf(err->field, sizeof(err->field), "%s", k);
	if (!json_is_string(j))
		return crm_err_set(err, CRM_EX_CONFIG,
				   required ? "required (a string)"
					    : "must be a string");
	if (crm_flow_tmpl_check(f->e, json_string_value(j), err) < 0)
		return -1;
	err->field[0] = '\0';
	return 0;
}

/* Expand key k of spec (NULL when absent) into out; 1 when present. */
static int expand(struct crm_flow_ctx *ctx, json_t *spec, const char *k,
		  enum crm_tmpl_ctx how, struct crm_buf *out,
		  struct crm_err *err)
{
	const char *t = str(spec, k);

	crm_buf_reset(out);
	if (!t)
		return 0;
	if (crm_flow_tmpl(ctx, t, how, out, err) < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		crm_err_set(err, err->code, "%s: %s", k, why);
		return -1;
	}
	return 1;
}

/* Write rec (with "id") onto the record through the entity engine, and
 * note what was done (fmt), " (unchanged)" after it when nothing changed. */
static int write_fields(struct crm_flow_ctx *ctx, struct crm_rec *rec,
			struct crm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int write_fields(struct crm_flow_ctx *ctx, struct crm_rec *rec,
			struct crm_err *err, const char *fmt, ...)
{
	struct crm_importer *im = crm_flow_importer(ctx, ctx->e, false, err);
	enum crm_import_action a;
	va_list ap;
	char id[CRM_INT_LEN];

	if (!im)
		return -1;
	crm_rec_set(rec, "id", crm_fmt_int(id, ctx->record_id), CRM_STR);
	/* ctx->row is the record as read for this action, in this
	 * transaction (apply_actions): the importer need not read it again */
	crm_importer_known(im, ctx->row);
	if (crm_importer_apply(im, rec, NULL, &a, err) < 0)
		return -1;
	/* appended as crm_flow_did does, without formatting it twice */
	if (ctx->did.len)
		crm_buf_adds(&ctx->did, "; ");
	va_start(ap, fmt);
	crm_buf_vaddf(&ctx->did, fmt, ap);
	va_end(ap);
	if (a != CRM_UPDATED)
		crm_buf_adds(&ctx->did, " (unchanged)");
	return 0;
}

/* -- set ---------------------------------------------------------------- */

static const char *const set_keys[] = {"type", "fields", NULL};

static int set_validate(const struct crm_flow *f, json_t *spec, void **data,
			struct crm_err *err)
{
	json_t *fields = json_object_get(spec, "fields"), *v;
	const char *k;

	(void)data;
	if (!json_is_object(fields) || !json_object_size(fields)) {
		snprintf(err->field, sizeof(err->field), "fields");
		return crm_err_set(err, CRM_EX_CONFIG,
				   "an object of field: value");
	}
	json_object_foreach(fields, k, v)
	{
		long fi = crm_entity_field(f->e, k);

		snprintf(err->field, sizeof(err->field), "fields.%s", k);
		if (fi < 0)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "%s has no field", f->e->name);
		if (f->e->fields[fi].flags &
		    (CRM_FF_SYSTEM | CRM_FF_READONLY | CRM_FF_HIDDEN))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "read-only field");
		if (!json_is_string(v) && !json_is_null(v))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "a string (a template) or null");
		if (json_is_string(v) &&
		    crm_flow_tmpl_check(f->e, json_string_value(v), err) < 0)
			return -1;
	}
	err->field[0] = '\0';
	return 0;
}

/* The "fields" of spec (field: template, or null) expanded into rec: an
 * empty value is set when clear (it clears, as in update --set), else left
 * out; note, when given, gets "field=value" for each. */
static int expand_fields(struct crm_flow_ctx *ctx, json_t *spec, bool clear,
			 struct crm_rec *rec, struct crm_buf *note,
			 struct crm_err *err)
{
	struct crm_buf b = {0};
	const char *k;
	json_t *v;
	int rc = 0;

	json_object_foreach(json_object_get(spec, "fields"), k, v)
	{
		crm_buf_reset(&b);
		if (json_is_string(v) &&
		    crm_flow_tmpl(ctx, json_string_value(v), CRM_TMPL_TEXT, &b,
				  err) < 0) {
			rc = -1;
			break;
		}
		if (clear || b.len)
			crm_rec_set(rec, k, crm_buf_str(&b), CRM_STR);
		if (note)
			crm_buf_addf(note, "%s%s=%s", note->len ? "," : "", k,
				     crm_buf_str(&b));
	}
	crm_buf_release(&b);
	return rc;
}

static int set_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		     struct crm_err *err)
{
	struct crm_buf note = {0};
	struct crm_rec rec;
	int rc = -1;

	(void)data;
	crm_rec_init(&rec);
	if (expand_fields(ctx, spec, true, &rec, &note, err) < 0 ||
	    write_fields(ctx, &rec, err, "set %s", crm_buf_str(&note)) < 0)
		goto out;
	rc = 0;
out:
	crm_rec_release(&rec);
	crm_buf_release(&note);
	return rc;
}

/* -- tag ---------------------------------------------------------------- */

static const char *const tag_keys[] = {"type", "add", "remove", NULL};

static int tag_validate(const struct crm_flow *f, json_t *spec, void **data,
			struct crm_err *err)
{
	(void)data;
	if (crm_entity_field(f->e, "tags") < 0)
		return crm_err_set(err, CRM_EX_CONFIG, "%s has no tags",
				   f->e->name);
	if (!str(spec, "add") && !str(spec, "remove"))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "needs \"add\" or \"remove\" (tags, "
				   "comma-separated)");
	return 0;
}

static int tag_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		     struct crm_err *err)
{
	struct crm_strv add = {0}, rm = {0};
	struct crm_buf nt = {0};
	struct crm_rec rec;
	int rc;

	(void)data;
	crm_strv_split(&add, str(spec, "add"), ',');
	crm_strv_split(&rm, str(spec, "remove"), ',');
	crm_tags_edit(crm_row_get(ctx->row, "tags"), &add, &rm, &nt);
	crm_rec_init(&rec);
	crm_rec_set(&rec, "tags", crm_buf_str(&nt), CRM_STR);
	ctx->tag = true;
	rc = write_fields(ctx, &rec, err, "tags%s%s%s%s", add.n ? " +" : "",
			  add.n ? str(spec, "add") : "", rm.n ? " -" : "",
			  rm.n ? str(spec, "remove") : "");
	ctx->tag = false;
	crm_rec_release(&rec);
	crm_buf_release(&nt);
	crm_strv_release(&add);
	crm_strv_release(&rm);
	return rc;
}

/* -- task and log: an activity linked to the record --------------------- */

static const char *const activity_keys[] = {
    "type",	 "subject", "body",    "owner",	      "due",  "activity",
    "direction", "at",	    "channel", "external_id", "when", NULL};

static int activity_validate(const struct crm_flow *f, json_t *spec,
			     void **data, struct crm_err *err)
{
	const char *due = str(spec, "due"), *dir = str(spec, "direction");
	const char *when = str(spec, "when");
	int64_t d;

	(void)data;
	if (tmpl_key(f, spec, "subject", true, err) < 0 ||
	    tmpl_key(f, spec, "body", false, err) < 0 ||
	    tmpl_key(f, spec, "owner", false, err) < 0 ||
	    tmpl_key(f, spec, "at", false, err) < 0 ||
	    tmpl_key(f, spec, "channel", false, err) < 0 ||
	    tmpl_key(f, spec, "external_id", false, err) < 0)
		return -1;
	if (due && (crm_parse_duration(due, &d) < 0 || d < 0)) {
		snprintf(err->field, sizeof(err->field), "due");
		return crm_err_set(err, CRM_EX_CONFIG,
				   "a duration from now (1d, 4h)");
	}
	if (dir && strcmp(dir, "in") && strcmp(dir, "out")) {
		snprintf(err->field, sizeof(err->field), "direction");
		return crm_err_set(err, CRM_EX_CONFIG, "in or out");
	}
	if (when && (strcmp(when, "best_window") || !str(spec, "type") ||
		     strcmp(str(spec, "type"), "task"))) {
		snprintf(err->field, sizeof(err->field), "when");
		return crm_err_set(err, CRM_EX_CONFIG,
				   "best_window (tasks only): the contact's "
				   "best time to reach, crm-score reach");
	}
	if (strcmp(f->e->name, "activity") == 0)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "activities cannot have activities");
	return 0;
}

static int64_t ref_of(const struct crm_row *row, const char *field)
{
	const char *v = crm_row_get(row, field);

	return v ? strtoll(v, NULL, 10) : 0;
}

/* What a's link to ctx's own record needs of crm_activity_log (#25): no
 * look-up (ctx->row was read in this transaction), and no touch when its
 * last_activity_at is at or past the activity's (a task dated at it): the
 * touch's own test, decided here on two values in the form it writes, so
 * that byte order is the database's order (a PostgreSQL collation too). */
static void own_link(struct crm_flow_ctx *ctx, struct crm_activity *a)
{
	const char *last = crm_row_get(ctx->row, "last_activity_at");
	char form[CRM_TIME_LEN], at[CRM_TIME_LEN];
	struct crm_err e;
	crm_time t;
	long k;

	for (k = 1; k < (long)crm_activity_nlinks &&
		    strcmp(crm_activity_links[k].entity, ctx->e->name);
	     k++)
		;
	if (k == (long)crm_activity_nlinks)
		return; /* a contact's (its company comes with the look-up) */
	a->known |= 1u << k;
	if (!last || !a->occurred_at || crm_datetime_parse(last, &t, &e) < 0 ||
	    strcmp(crm_datetime_format(t, form), last) ||
	    crm_datetime_parse(a->occurred_at, &t, &e) < 0 ||
	    strcmp(crm_datetime_format(t, at), last) > 0)
		return;
	a->untouched |= 1u << k;
}

/* Log an activity for ctx's record: a task when task is set. */
static int activity_apply(struct crm_flow_ctx *ctx, json_t *spec, bool task,
			  struct crm_err *err)
{
	struct crm_buf subject = {0}, body = {0}, owner = {0}, at = {0},
		       channel = {0}, xid = {0};
	struct crm_activity a = {0};
	char due[CRM_TIME_LEN], window[48] = "";
	const char *e = ctx->e->name;
	int64_t id = 0, d = 86400;
	int rc = -1;

	if (expand(ctx, spec, "subject", CRM_TMPL_TEXT, &subject, err) < 0 ||
	    expand(ctx, spec, "body", CRM_TMPL_TEXT, &body, err) < 0 ||
	    expand(ctx, spec, "owner", CRM_TMPL_TEXT, &owner, err) < 0 ||
	    expand(ctx, spec, "at", CRM_TMPL_TEXT, &at, err) < 0 ||
	    expand(ctx, spec, "channel", CRM_TMPL_TEXT, &channel, err) < 0 ||
	    expand(ctx, spec, "external_id", CRM_TMPL_TEXT, &xid, err) < 0)
		goto out;
	a.type = task
		     ? "task"
		     : (str(spec, "activity") ? str(spec, "activity") : "note");
	a.direction = str(spec, "direction");
	a.subject = crm_buf_str(&subject);
	a.body = body.len ? body.s : NULL;
	a.owner = owner.len ? owner.s
			    : (crm_row_get(ctx->row, "owner")
				   ? crm_row_get(ctx->row, "owner")
				   : crm_row_get(ctx->row, "assignee"));
	a.channel = channel.len ? channel.s : "crm-flow";
	if (!task && at.len)
		a.occurred_at = at.s;
	if (task) {
		/* a task is a to-do, not an interaction: dated at the record's
		 * last activity (else its creation), so that it does not end
		 * a quiet spell (crm-pipeline stale does the same) */
		a.occurred_at = crm_row_get(ctx->row, "last_activity_at")
				    ? crm_row_get(ctx->row, "last_activity_at")
				    : crm_row_get(ctx->row, "created_at");
		if (str(spec, "due"))
			crm_parse_duration(str(spec, "due"), &d);
		if (at.len)
			a.occurred_at = at.s;
		a.due_at = crm_datetime_format(ctx->db->now + d, due);
	}
	a.contact_id = !strcmp(e, "contact") ? ctx->record_id
					     : ref_of(ctx->row, "contact_id");
	if (task && str(spec, "when")) {
		/* into the contact's best window, not before now + due */
		struct crm_reach r = {0};
		crm_time t = -1;

		if (a.contact_id &&
		    crm_reach_contact(ctx->db, a.contact_id, &r, err) < 0)
			goto out;
		if (a.contact_id)
			t = crm_reach_next(&r, ctx->db->now + d);
		if (t >= 0) {
			crm_reach_label(&r.top[0], window);
			a.due_at = crm_datetime_format(t, due);
		} else
			snprintf(window, sizeof(window), "no best window");
	}
	a.company_id = !strcmp(e, "company") ? ctx->record_id
					     : ref_of(ctx->row, "company_id");
	a.lead_id = !strcmp(e, "lead") ? ctx->record_id : 0;
	a.deal_id = !strcmp(e, "deal") ? ctx->record_id : 0;
	a.ticket_id = !strcmp(e, "ticket") ? ctx->record_id : 0;
	own_link(ctx, &a);
	/* held for the batch's INSERT but with a key to write to it */
	if (crm_flow_activity(ctx, &a, !xid.len, &id, err) < 0)
		goto out;
	/* the caller's key: what makes it findable, and once */
	if (xid.len &&
	    crm_stmt_run_as(
		crm_dbq(ctx->db, err,
			"UPDATE activities SET external_id = ?2 WHERE id = ?1",
			"is", id, xid.s),
		"cannot name the activity", err) < 0)
		goto out;
	if (crm_flow_made(ctx, "activity", id, err) < 0)
		goto out;
	crm_flow_did(ctx, "%s %lld '%s'%s%s%s%s%s%s%s", task ? "task" : a.type,
		     (long long)id, a.subject, a.owner ? " for " : "",
		     a.owner ? a.owner : "", *window ? " due " : "",
		     *window ? a.due_at : "", *window ? " (" : "", window,
		     *window ? ")" : "");
	rc = 0;
out:
	crm_buf_release(&subject);
	crm_buf_release(&body);
	crm_buf_release(&owner);
	crm_buf_release(&at);
	crm_buf_release(&channel);
	crm_buf_release(&xid);
	return rc;
}

static int task_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		      struct crm_err *err)
{
	(void)data;
	return activity_apply(ctx, spec, true, err);
}

static int log_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		     struct crm_err *err)
{
	(void)data;
	return activity_apply(ctx, spec, false, err);
}

/* -- assign ------------------------------------------------------------- */

struct assign_data {
	struct crm_assign_rules rules;
	bool have_rules;
};

static const char *const assign_keys[] = {"type",  "to",    "team",
					  "rules", "field", NULL};

static int assign_validate(const struct crm_flow *f, json_t *spec, void **data,
			   struct crm_err *err)
{
	const char *field = str(spec, "field"), *rules = str(spec, "rules");
	struct assign_data *ad;
	int n = !!str(spec, "to") + !!str(spec, "team") + !!rules;

	if (n != 1)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "give one of \"to\" (a user), \"team\" or "
				   "\"rules\" (an assignment rules file, "
				   "\"default\": share/crm/assignment.json)");
	if (!field)
		field =
		    crm_entity_field(f->e, "owner") >= 0 ? "owner" : "assignee";
	if (crm_entity_field(f->e, field) < 0) {
		snprintf(err->field, sizeof(err->field), "field");
		return crm_err_set(err, CRM_EX_CONFIG, "%s has no field '%s'",
				   f->e->name, field);
	}
	if (str(spec, "to") && tmpl_key(f, spec, "to", true, err) < 0)
		return -1;
	ad = crm_xcalloc(1, sizeof(*ad));
	*data = ad;
	if (rules || str(spec, "team")) {
		char *path = rules && strcmp(rules, "default")
				 ? crm_xstrdup(rules)
				 : crm_share_path("assignment.json");
		/* a team is taken from the lead assignment rules as they
		 * are; rules to match need fields of the flow's entity */
		int rc = crm_assign_load(
		    path, rules ? f->e : crm_entity_by_name("lead"), &ad->rules,
		    err);

		free(path);
		ad->have_rules = true;
		if (rc < 0) {
			snprintf(err->field, sizeof(err->field), "rules");
			err->code = CRM_EX_CONFIG;
			return -1;
		}
		if (str(spec, "team")) {
			size_t i;

			for (i = 0;
			     i < ad->rules.nteams &&
			     strcmp(ad->rules.teams[i].name, str(spec, "team"));
			     i++)
				;
			if (i == ad->rules.nteams) {
				snprintf(err->field, sizeof(err->field),
					 "team");
				return crm_err_set(err, CRM_EX_CONFIG,
						   "no team '%s' in the "
						   "assignment rules",
						   str(spec, "team"));
			}
		}
	}
	return 0;
}

static void assign_release(void *data)
{
	struct assign_data *ad = data;

	if (!ad)
		return;
	if (ad->have_rules)
		crm_assign_release(&ad->rules);
	free(ad);
}

/* A member of team t for the record: state from the database (records of
 * the entity each owns, rotation under "flow:TEAM"), stored back. */
static int pick(struct crm_flow_ctx *ctx, struct crm_assign_rules *r,
		struct crm_assign_team *t, const char *field, char **who,
		struct crm_err *err)
{
	struct crm_buf sql = {0};
	char *team = crm_xasprintf("flow:%s", t->name);
	struct crm_stmt *count = NULL;
	long m;
	int rc = -1;

	/* the table and field names come from the entity description */
	crm_buf_addf(&sql, "SELECT count(*) FROM %s WHERE %s = ?1",
		     ctx->e->table, field);
	if (t->n && !(count = crm_db_stmt(ctx->db, crm_buf_str(&sql), err)))
		goto out;
	for (size_t k = 0; k < t->n; k++) {
		int s;

		crm_stmt_bindf(count, "s", t->m[k].name);
		s = crm_stmt_step(count, err);
		t->m[k].open = s > 0 ? crm_stmt_int(count, 0) : 0;
		crm_stmt_reset(count);
		if (s < 0)
			goto out;
		t->m[k].recent = 0;
		if (crm_rotation_read(ctx->db, team, &t->m[k], err) < 0)
			goto out;
		if (t->m[k].seq > t->seq)
			t->seq = t->m[k].seq;
	}
	m = crm_assign_pick(r, t, NULL, ctx->record_id, NULL);
	if (m < 0) {
		*who = NULL;
		rc = 0;
		goto out;
	}
	*who = crm_xstrdup(t->m[m].name);
	if (crm_rotation_save(ctx->db, team, t, err) < 0)
		goto out;
	rc = 0;
out:
	crm_stmt_finalize(count);
	free(team);
	crm_buf_release(&sql);
	return rc;
}

static int assign_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			struct crm_err *err)
{
	struct assign_data *ad = data;
	const char *field = str(spec, "field");
	struct crm_buf to = {0};
	struct crm_rec rec;
	char *who = NULL;
	const char *how = "";
	int rc = -1;

	if (!field)
		field = crm_entity_field(ctx->e, "owner") >= 0 ? "owner"
							       : "assignee";
	crm_rec_init(&rec);
	if (str(spec, "to")) {
		if (expand(ctx, spec, "to", CRM_TMPL_TEXT, &to, err) < 0)
			goto out;
		who = crm_buf_detach(&to);
	} else {
		struct crm_assign_team *t = NULL;

		if (str(spec, "team")) {
			for (size_t i = 0; i < ad->rules.nteams; i++)
				if (!strcmp(ad->rules.teams[i].name,
					    str(spec, "team")))
					t = &ad->rules.teams[i];
			how = " (team)";
		} else {
			long r;

			if (crm_assign_match_row(ctx->db, &ad->rules, ctx->row,
						 &r, err) < 0)
				goto out;

			if (r >= 0 && ad->rules.rules[r].owner)
				who = crm_xstrdup(ad->rules.rules[r].owner);
			else if (r >= 0)
				t = &ad->rules.teams[ad->rules.rules[r].team];
			else if (ad->rules.default_owner)
				who = crm_xstrdup(ad->rules.default_owner);
			how = " (rules)";
		}
		if (t && pick(ctx, &ad->rules, t, field, &who, err) < 0)
			goto out;
	}
	if (!who || !*who) {
		crm_flow_did(ctx, "assign: nobody to assign%s", how);
		rc = 0;
		goto out;
	}
	crm_rec_set(&rec, field, who, CRM_STR);
	if (write_fields(ctx, &rec, err, "%s=%s%s", field, who, how) < 0)
		goto out;
	rc = 0;
out:
	free(who);
	crm_buf_release(&to);
	crm_rec_release(&rec);
	return rc;
}

/* -- create: a record of any entity ------------------------------------- */

static const char *const create_keys[] = {"type", "entity", "fields", NULL};

static int create_validate(const struct crm_flow *f, json_t *spec, void **data,
			   struct crm_err *err)
{
	const struct crm_entity *e =
	    str(spec, "entity") ? crm_entity_by_name(str(spec, "entity"))
				: NULL;
	json_t *fields = json_object_get(spec, "fields"), *v;
	const char *k;

	(void)data;
	if (!e) {
		snprintf(err->field, sizeof(err->field), "entity");
		return crm_err_set(err, CRM_EX_CONFIG, "no such entity");
	}
	if (!json_is_object(fields)) {
		snprintf(err->field, sizeof(err->field), "fields");
		return crm_err_set(err, CRM_EX_CONFIG,
				   "an object of field: template");
	}
	json_object_foreach(fields, k, v)
	{
		snprintf(err->field, sizeof(err->field), "fields.%s", k);
		if (crm_entity_field(e, k) < 0)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "%s has no field", e->name);
		if (!json_is_string(v) ||
		    crm_flow_tmpl_check(f->e, json_string_value(v), err) < 0)
			return err->code ? -1
					 : crm_err_set(err, CRM_EX_CONFIG,
						       "a string (a template)");
	}
	err->field[0] = '\0';
	return 0;
}

static int create_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			struct crm_err *err)
{
	const struct crm_entity *e = crm_entity_by_name(str(spec, "entity"));
	struct crm_importer *im;
	struct crm_rec rec;
	struct crm_row row;
	enum crm_import_action a;
	int rc = -1;

	(void)data;
	crm_rec_init(&rec);
	crm_row_init(&row, e);
	if (expand_fields(ctx, spec, false, &rec, NULL, err) < 0)
		goto out;
	/* the firing's key makes the record once, whatever happens */
	if (crm_entity_field(e, "external_id") >= 0 &&
	    !crm_rec_get(&rec, "external_id"))
		crm_rec_set(&rec, "external_id", ctx->key, CRM_STR);
	im = crm_flow_importer(ctx, e, true, err);
	if (!im || crm_importer_apply(im, &rec, &row, &a, err) < 0)
		goto out;
	if (crm_flow_made(ctx, e->name, crm_row_id(&row), err) < 0)
		goto out;
	crm_flow_did(ctx, "created %s %lld", e->name,
		     (long long)crm_row_id(&row));
	rc = 0;
out:
	crm_rec_release(&rec);
	crm_row_release(&row);
	return rc;
}

/* -- email: a MIME message for $CRM_SENDMAIL ---------------------------- */

static const char *const email_keys[] = {"type",    "to",   "cc",   "from",
					 "subject", "text", "html", NULL};

static int email_validate(const struct crm_flow *f, json_t *spec, void **data,
			  struct crm_err *err)
{
	(void)data;
	if (tmpl_key(f, spec, "to", true, err) < 0 ||
	    tmpl_key(f, spec, "cc", false, err) < 0 ||
	    tmpl_key(f, spec, "from", false, err) < 0 ||
	    tmpl_key(f, spec, "subject", true, err) < 0 ||
	    tmpl_key(f, spec, "text", false, err) < 0 ||
	    tmpl_key(f, spec, "html", false, err) < 0)
		return -1;
	if (!str(spec, "text") && !str(spec, "html"))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "needs \"text\" or \"html\" (or both)");
	return 0;
}

static int email_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		       struct crm_err *err)
{
	struct crm_buf to = {0}, cc = {0}, from = {0}, subject = {0},
		       text = {0}, html = {0}, m = {0};
	const char *dflt_from = getenv("CRM_MAIL_FROM");
	json_t *job;
	int rc = -1;

	(void)data;
	if (expand(ctx, spec, "to", CRM_TMPL_HEADER, &to, err) < 0 ||
	    expand(ctx, spec, "cc", CRM_TMPL_HEADER, &cc, err) < 0 ||
	    expand(ctx, spec, "from", CRM_TMPL_HEADER, &from, err) < 0 ||
	    expand(ctx, spec, "subject", CRM_TMPL_HEADER, &subject, err) < 0 ||
	    expand(ctx, spec, "text", CRM_TMPL_TEXT, &text, err) < 0 ||
	    expand(ctx, spec, "html", CRM_TMPL_HTML, &html, err) < 0)
		goto out;
	if (!to.len) {
		crm_err_set(err, CRM_EX_DATAERR, "to: no address");
		goto out;
	}
	{
		struct crm_buf mid = {0};
		struct crm_mail_out o = {
		    .from_list =
			from.len ? from.s
				 : (dflt_from && *dflt_from ? dflt_from : NULL),
		    .to_list = to.s,
		    .cc_list = cc.len ? cc.s : NULL,
		    .subject = crm_buf_str(&subject),
		    .body = text.len ? text.s : NULL,
		    .html = html.len ? html.s : NULL,
		    .date = ctx->db->now,
		};
		char *msg;

		/* the firing's key as a valid msg-id: its ':' are not atext */
		for (const char *k = ctx->key; *k; k++)
			crm_buf_addc(&mid, *k == ':' ? '.' : *k);
		crm_buf_adds(&mid, "@crm-flow");
		o.message_id = mid.s;
		msg = crm_mail_build(&o, err);
		crm_buf_release(&mid);
		if (!msg)
			goto out;
		crm_buf_adds(&m, msg);
		free(msg);
	}
	job = json_pack("{s:s, s:s}", "kind", "email", "stdin", m.s);
	json_array_append_new(ctx->outbox, job);
	crm_flow_did(ctx, "email to %s queued", to.s);
	rc = 0;
out:
	crm_buf_release(&to);
	crm_buf_release(&cc);
	crm_buf_release(&from);
	crm_buf_release(&subject);
	crm_buf_release(&text);
	crm_buf_release(&html);
	crm_buf_release(&m);
	return rc;
}

/* -- command: argv with the record as JSON on stdin (webhooks) ---------- */

static const char *const command_keys[] = {"type", "argv", NULL};

static int command_validate(const struct crm_flow *f, json_t *spec, void **data,
			    struct crm_err *err)
{
	json_t *argv = json_object_get(spec, "argv"), *v;
	size_t i;

	(void)data;
	snprintf(err->field, sizeof(err->field), "argv");
	if (!json_is_array(argv) || !json_array_size(argv))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "a list: the program and its arguments, "
				   "each one template (no shell)");
	json_array_foreach(argv, i, v)
	{
		if (!json_is_string(v))
			return crm_err_set(err, CRM_EX_CONFIG,
					   "argv[%zu]: a string", i);
		if (crm_flow_tmpl_check(f->e, json_string_value(v), err) < 0)
			return -1;
	}
	err->field[0] = '\0';
	return 0;
}

/* The record in output form (as crm-NOUN show -f json prints it): money
 * as decimals, numbers as numbers, custom fields as fields. */
static json_t *record_json(const struct crm_row *row)
{
	struct crm_rec rec;
	json_t *o = json_object();

	crm_rec_init(&rec);
	crm_row_to_rec(row, NULL, NULL, &rec);
	for (size_t i = 0; i < rec.n; i++) {
		const char *v = crm_rec_val(&rec, i);
		json_t *j = NULL;

		/* integers and booleans as such; a decimal (money) stays
		 * text, exact, as a double could not keep it */
		if (crm_rec_kind(&rec, i) == CRM_RAW)
			j = json_loads(v, JSON_DECODE_ANY, NULL);
		if (j && json_is_real(j)) {
			json_decref(j);
			j = NULL;
		}
		if (!j)
			j = crm_rec_kind(&rec, i) == CRM_NULL || !v
				? json_null()
				: json_string(v);
		json_object_set_new(o, crm_rec_name(&rec, i), j);
	}
	crm_rec_release(&rec);
	return o;
}

static int command_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			 struct crm_err *err)
{
	json_t *argv = json_array(), *v, *rec;
	struct crm_buf b = {0};
	char *in;
	size_t i;

	(void)data;
	json_array_foreach(json_object_get(spec, "argv"), i, v)
	{
		crm_buf_reset(&b);
		if (crm_flow_tmpl(ctx, json_string_value(v), CRM_TMPL_TEXT, &b,
				  err) < 0) {
			json_decref(argv);
			crm_buf_release(&b);
			return -1;
		}
		json_array_append_new(argv, json_string(crm_buf_str(&b)));
	}
	crm_buf_release(&b);
	rec = record_json(ctx->row);
	in = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	json_array_append_new(ctx->outbox,
			      json_pack("{s:s, s:o, s:s}", "kind", "command",
					"argv", argv, "stdin", in));
	crm_flow_did(ctx, "command %s queued",
		     json_string_value(json_array_get(argv, 0)));
	free(in);
	return 0;
}

const struct crm_flow_action_kind crm_flow_action_kinds[] = {
    {"approval", false, crm_approval_action_validate, crm_approval_action_apply,
     NULL},
    {"assign", false, assign_validate, assign_apply, assign_release,
     assign_keys},
    {"campaign_email", true, crm_campaign_email_validate,
     crm_campaign_email_apply, NULL, NULL, true},
    {"command", true, command_validate, command_apply, NULL, command_keys},
    {"create", false, create_validate, create_apply, NULL, create_keys},
    {"email", true, email_validate, email_apply, NULL, email_keys},
    {"log", false, activity_validate, log_apply, NULL, activity_keys},
    {"set", false, set_validate, set_apply, NULL, set_keys},
    {"tag", false, tag_validate, tag_apply, NULL, tag_keys},
    {"task", false, activity_validate, task_apply, NULL, activity_keys},
    {0},
};

const struct crm_flow_action_kind *crm_flow_action_kind(const char *name)
{
	for (const struct crm_flow_action_kind *k = crm_flow_action_kinds;
	     k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}
