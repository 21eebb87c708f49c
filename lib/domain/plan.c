/* plan.c - account plans: the plan row, its items, the tasks of its
 * actions (activities), and the plan against actuals. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "datetime.h"
#include "dbq.h"
#include "money.h"
#include "plan.h"

__attribute__((format(printf, 3, 4))) static int
bad(struct crm_err *err, const char *field, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	crm_err_set(err, CRM_EX_DATAERR, "%s", m);
	snprintf(err->field, sizeof(err->field), "%s", field);
	return -1;
}

/* The id of company's plan, made when missing (create), 0 when none. */
static int64_t plan_id(struct crm_db *db, int64_t company, bool create,
		       struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t id;
	int rc;

	id = crm_dbq_int(db, err,
			 "SELECT id FROM account_plans WHERE company_id = ?",
			 "i", company);
	if (id || !create)
		return id;
	rc = crm_dbq_step(db, err, &id,
			  "INSERT INTO account_plans (company_id, created_at, "
			  "updated_at) VALUES (?1, ?2, ?2) RETURNING id",
			  "is", company, crm_datetime_format(db->now, now));
	if (rc <= 0)
		id = -1;
	if (rc == 0)
		crm_err_set(err, CRM_EX_SOFTWARE, "cannot create the plan");
	return id;
}

static int date_arg(const char *s, const char *field, char out[CRM_TIME_LEN],
		    struct crm_err *err)
{
	crm_time t;
	struct crm_err e2 = {0};

	if (strlen(s) != 10 || crm_datetime_parse(s, &t, &e2) < 0)
		return bad(err, field, "expected a date (YYYY-MM-DD), got '%s'",
			   s);
	crm_datetime_format_date(t, out);
	return 0;
}

int crm_plan_set(struct crm_db *db, int64_t company, const char *from,
		 const char *to, const char *target, const char *currency,
		 struct crm_err *err)
{
	char f[CRM_TIME_LEN] = "", t[CRM_TIME_LEN] = "", now[CRM_TIME_LEN];
	struct crm_err e2 = {0};
	int64_t id, minor = 0;
	char *cur = NULL;
	int rc;

	if ((from && date_arg(from, "from", f, err) < 0) ||
	    (to && date_arg(to, "to", t, err) < 0))
		return -1;
	if (currency && crm_money_exponent(currency) < 0)
		return bad(err, "currency",
			   "expected a currency code (EUR), got '%s'",
			   currency);
	id = plan_id(db, company, true, err);
	if (id < 0)
		return -1;
	if (currency)
		cur = crm_xstrdup(currency);
	else if (crm_dbq_text(db, err, &cur,
			      "SELECT currency FROM account_plans WHERE id = ?",
			      "i", id) < 0)
		return -1;
	if (target && !cur)
		return bad(err, "target", "%s: needs --currency", target);
	if (target && crm_money_parse(target, cur, &minor, &e2) < 0) {
		free(cur);
		return bad(err, "target", "%s", e2.msg);
	}
	rc = crm_dbq_run(
	    db, err,
	    "UPDATE account_plans SET period_from = coalesce(?2, period_from), "
	    "period_to = coalesce(?3, period_to), target = CASE WHEN ?4 = 1 "
	    "THEN ?5 ELSE target END, currency = ?6, updated_at = ?7 WHERE "
	    "id = ?1",
	    "issiiss", id, *f ? f : NULL, *t ? t : NULL,
	    (int64_t)(target ? 1 : 0), minor, cur,
	    crm_datetime_format(db->now, now));
	free(cur);
	if (rc < 0)
		return crm_err_what(err, "cannot store the plan");
	/* the period must stay in order */
	rc = crm_dbq_step(db, err, NULL,
			  "SELECT 1 FROM account_plans WHERE id = ? AND "
			  "period_from > period_to",
			  "i", id);
	if (rc > 0)
		return bad(err, "to", "the period ends before it starts%s", "");
	return rc < 0 ? -1 : 0;
}

int crm_plan_add(struct crm_db *db, int64_t company, const char *kind,
		 int64_t contact, const char *text, const char *owner,
		 const char *due, int64_t *id, struct crm_err *err)
{
	char now[CRM_TIME_LEN], d[CRM_TIME_LEN];
	int64_t pid, act = 0;

	if (!text || !*text)
		return bad(err, kind, "%s: expected a text", kind);
	if (!strcmp(kind, "strategy") && !contact)
		return bad(err, "contact", "a strategy is for a contact%s", "");
	if (!strcmp(kind, "action")) {
		struct crm_activity a = {.type = "task",
					 .subject = text,
					 .owner = owner,
					 .channel = "plan",
					 .company_id = company,
					 .contact_id = contact};

		if (!due)
			return bad(err, "due", "an action needs --due%s", "");
		if (date_arg(due, "due", d, err) < 0)
			return -1;
		a.due_at = due;
		if (crm_activity_log(db, &a, &act, err) < 0)
			return -1;
	}
	pid = plan_id(db, company, true, err);
	if (pid < 0)
		return -1;
	*id = 0;
	return crm_dbq_step(
		   db, err, id,
		   "INSERT INTO account_plan_items (plan_id, kind, contact_id, "
		   "activity_id, text, author, at) VALUES (?1, ?2, ?3, ?4, ?5, "
		   "?6, ?7) RETURNING id",
		   "isIIsss", pid, kind, contact, act, text, db->actor,
		   crm_datetime_format(db->now, now)) > 0
		   ? 0
		   : -1;
}

/* -- against actuals ------------------------------------------------------ */

void crm_plan_release(struct crm_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct crm_plan_item *x = &p->items[i];
		free(x->kind);
		free(x->text);
		free(x->contact);
		free(x->owner);
		free(x->due_at);
		free(x->done_at);
		free(x->at);
		free(x->author);
	}
	free(p->items);
	free(p->company);
	free(p->from);
	free(p->to);
	free(p->currency);
	free(p->other);
	crm_powermap_release(&p->pm);
	memset(p, 0, sizeof(*p));
}

static int plan_row(struct crm_stmt *st, void *arg)
{
	struct crm_plan *p = arg;

	crm_stmt_getf(st, "isss-s", &p->id, &p->company, &p->from, &p->to,
		      &p->currency);
	if (crm_stmt_text(st, 4))
		p->target = crm_stmt_int(st, 4);
	return 0;
}

/* won revenue: the plan's currency, the others apart */
static int revenue_row(struct crm_stmt *st, void *arg)
{
	struct crm_plan *p = arg;
	const char *cur = crm_stmt_text(st, 0);

	if (cur && p->currency && !strcmp(cur, p->currency)) {
		p->revenue = crm_stmt_int(st, 1);
		p->won = crm_stmt_int(st, 2);
	} else {
		char *o =
		    crm_xasprintf("%s%s%s", p->other ? p->other : "",
				  p->other ? "," : "", cur ? cur : "none");
		free(p->other);
		p->other = o;
	}
	return 0;
}

static void item_row(struct crm_stmt *st, void *elem)
{
	struct crm_plan_item *x = elem;

	crm_stmt_getf(st, "isiisssssss", &x->id, &x->kind, &x->contact_id,
		      &x->activity_id, &x->text, &x->contact, &x->owner,
		      &x->due_at, &x->done_at, &x->at, &x->author);
	if (x->contact && !*x->contact) {
		free(x->contact);
		x->contact = NULL;
	}
}

/* An action's status by dates: due today is due, overdue tomorrow. */
static void action_status(struct crm_plan *p, struct crm_plan_item *x,
			  const char *today)
{
	p->actions++;
	if (x->due_at && strncmp(x->due_at, today, 10) <= 0)
		p->due++;
	if (x->done_at) {
		p->done++;
		x->status = "done";
	} else if (x->due_at && strncmp(x->due_at, today, 10) < 0) {
		p->overdue++;
		x->status = "overdue";
	} else {
		x->status = "open";
	}
}

int crm_plan_load(struct crm_db *db, int64_t company, struct crm_plan *p,
		  struct crm_err *err)
{
	static const char *const kinds[] = {"goal", "strategy", "action",
					    "review", NULL};
	char today[CRM_TIME_LEN];
	int rc;

	memset(p, 0, sizeof(*p));
	p->target = -1;
	crm_datetime_format_date(db->now, today);
	rc = crm_dbq_row(db, err, plan_row, p,
			 "SELECT p.id, c.name, p.period_from, p.period_to, "
			 "p.target, p.currency FROM account_plans p JOIN "
			 "companies c ON c.id = p.company_id WHERE "
			 "p.company_id = ?",
			 "i", company);
	if (rc <= 0)
		return rc < 0 ? -1
			      : crm_err_set(err, CRM_EX_NOINPUT,
					    "company %lld has no account plan",
					    (long long)company);
	p->company_id = company;
	/* won revenue in the period (the plan's currency; others apart) */
	if (crm_dbq_each(db, err, revenue_row, p,
			 "SELECT currency, sum(amount), count(*) FROM deals "
			 "WHERE company_id = ?1 AND status = 'won' AND "
			 "closed_at >= coalesce(?2, '') AND substr(closed_at, "
			 "1, 10) <= coalesce(?3, '9999-12-31') AND amount IS "
			 "NOT NULL GROUP BY currency ORDER BY 1",
			 "iss", company, p->from, p->to) < 0)
		return -1;
	/* the items, by kind then id; actions with their task */
	for (size_t k = 0; kinds[k]; k++) {
		size_t n0 = p->n;

		if (crm_dbq_rows(
			db, err, &p->items, &p->n, sizeof(*p->items), item_row,
			"SELECT i.id, i.kind, i.contact_id, i.activity_id, "
			"coalesce(a.subject, i.text), trim(coalesce("
			"k.first_name, '') || ' ' || coalesce(k.last_name, "
			"'')), a.owner, a.due_at, a.done_at, i.at, i.author "
			"FROM account_plan_items i LEFT JOIN contacts k ON "
			"k.id = i.contact_id LEFT JOIN activities a ON a.id "
			"= i.activity_id WHERE i.plan_id = ? AND i.kind = ? "
			"ORDER BY i.id",
			"is", p->id, kinds[k]) < 0)
			return -1;
		for (size_t i = n0; !strcmp(kinds[k], "action") && i < p->n;
		     i++)
			action_status(p, &p->items[i], today);
	}
	/* the power map's gaps, by its own rules */
	{
		struct crm_pm_opts o = {NULL, -1};
		return crm_powermap_company(db, company, &o, &p->pm, err);
	}
}
