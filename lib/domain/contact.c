/* contact.c - the contact entity: people. */
#include <stdlib.h>
#include <string.h>

#include "company.h"
#include "contact.h"
#include "dbq.h"
#include "hier.h"
#include "import_map.h"

static const char *const lifecycle_stages[] = {
    "subscriber",	    "lead",	   "marketing_qualified_lead",
    "sales_qualified_lead", "opportunity", "customer",
    "evangelist",	    NULL,
};

static const struct crm_field contact_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Record ID|Contact ID"),
    {"first_name", CRM_T_TEXT, CRM_FF_BRIEF, .names = CRM_ALIASES_FIRST_NAME},
    {"last_name", CRM_T_TEXT, CRM_FF_BRIEF, .names = CRM_ALIASES_LAST_NAME},
    {"email", CRM_T_EMAIL, CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF,
     .names = CRM_ALIASES_EMAIL},
    {"email_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"phone", CRM_T_PHONE, CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF,
     .names = CRM_ALIASES_PHONE},
    {"phone_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"company", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Company Name|Account Name|Account|Organization|"
	      "Organisation|Organization Name|公司|公司名称|客户名称|"
	      "单位|企业名称"},
    {"company_id", CRM_T_REF, 0, NULL, "company"},
    {"title", CRM_T_TEXT, 0, .names = CRM_ALIASES_TITLE},
    {"reports_to_id", CRM_T_REF, 0, NULL, "contact"},
    {"city", CRM_T_TEXT, 0, .names = "Mailing City|Town|城市|市"},
    {"region", CRM_T_TEXT, 0, .names = CRM_ALIASES_MAILING_REGION},
    {"country", CRM_T_TEXT, 0, .names = CRM_ALIASES_MAILING_COUNTRY},
    {"source", CRM_T_TEXT, 0,
     .names = "Lead Source|Original Source|Contact Source|来源|线索来源"},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Contact Owner|Owner Name|Assigned To|负责人|所有人|"
	      "跟进人"},
    {"tags", CRM_T_TAGS, 0},
    {"lifecycle_stage", CRM_T_ENUM, CRM_FF_FORWARD | CRM_FF_BRIEF,
     lifecycle_stages},
    CRM_FIELD_LAST_ACTIVITY_AT,
    CRM_FIELDS_CREATED_UPDATED,
};

static int contact_check_name(const struct crm_row *row, struct crm_err *err)
{
	if (!crm_row_get(row, "first_name") && !crm_row_get(row, "last_name") &&
	    !crm_row_get(row, "email") && !crm_row_get(row, "phone"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a contact needs a name, an email or a "
				   "phone");
	return 0;
}

/* -- reporting lines ---------------------------------------------------- */

#define MANAGER_OF "SELECT reports_to_id FROM contacts WHERE id = ?"

/* The company of contact id: 1 found (*company 0 when it has none), 0 no
 * such contact, -1 error. */
static int contact_company(struct crm_db *db, int64_t id, int64_t *company,
			   struct crm_err *err)
{
	return crm_dbq_step(db, err, company,
			    "SELECT company_id FROM contacts WHERE id = ?", "i",
			    id);
}

/* "reports_to" names the manager by id, external id, email or phone. */
static int reports_to_input(struct crm_db *db, const struct crm_entity *e,
			    struct crm_row *row, json_t *rj,
			    struct crm_err *err)
{
	struct crm_row m;
	int rc;

	snprintf(err->field, sizeof(err->field), "reports_to");
	if (!json_is_string(rj))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected a contact id or email");
	crm_row_init(&m, e);
	rc = crm_entity_find(db, e, json_string_value(rj), &m, err);
	if (rc == 0)
		crm_err_set(err, CRM_EX_DATAERR, "no contact '%s'",
			    json_string_value(rj));
	if (rc <= 0) {
		crm_row_release(&m);
		return -1;
	}
	crm_row_set(row, "reports_to_id", m.v[0]);
	row->touched[crm_entity_field(e, "reports_to_id")] = true;
	crm_row_release(&m);
	json_object_del(row->custom, "reports_to");
	err->field[0] = '\0';
	return 0;
}

/* A manager exists (strict; else a deleted one is let be), works at the same
 * company or group, and is nobody who reports (at any distance) to the contact.
 */
static int reports_to_ok(struct crm_db *db, const struct crm_row *row,
			 bool strict, struct crm_err *err)
{
	struct crm_hier_up mc = {db, MANAGER_OF, err};
	int64_t self = crm_row_id(row),
		mgr = strtoll(crm_row_get(row, "reports_to_id"), NULL, 10);
	const char *cs = crm_row_get(row, "company_id");
	int64_t company = cs ? strtoll(cs, NULL, 10) : 0, mcompany = 0;
	int rc;

	snprintf(err->field, sizeof(err->field), "reports_to_id");
	rc = contact_company(db, mgr, &mcompany, err);
	if (rc < 0)
		return -1;
	if (!rc && !strict) { /* a deleted manager: a root of the chart */
		err->field[0] = '\0';
		return 0;
	}
	if (!rc)
		return crm_err_set(err, CRM_EX_DATAERR, "no contact %lld",
				   (long long)mgr);
	if (mgr == self)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a contact cannot report to itself");
	if (!company)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a contact with no company reports to "
				   "nobody");
	if (company != mcompany) {
		int64_t a = crm_company_root(db, company, err), b;

		if (a < 0)
			return -1;
		b = mcompany ? crm_company_root(db, mcompany, err) : 0;
		if (b < 0)
			return -1;
		if (a != b)
			return crm_err_set(
			    err, CRM_EX_DATAERR,
			    "contact %lld works at another company and "
			    "group",
			    (long long)mgr);
	}
	rc = crm_company_cycle(self, mgr, crm_hier_parent_of, &mc, 100000);
	if (rc < 0)
		return -1;
	if (rc)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "contact %lld reports to contact %lld: "
				   "that would make a cycle",
				   (long long)mgr, (long long)self);
	err->field[0] = '\0';
	return 0;
}

static int contact_check(struct crm_db *db, const struct crm_entity *e,
			 const struct crm_row *row, struct crm_err *err)
{
	(void)e;
	if (contact_check_name(row, err) < 0)
		return -1;
	return crm_row_get(row, "reports_to_id")
		   ? reports_to_ok(db, row, false, err)
		   : 0;
}

static int contact_prepare(struct crm_db *db, const struct crm_entity *e,
			   struct crm_row *row, const struct crm_row *old,
			   void *arg, struct crm_err *err)
{
	/* a "Name" column: first and last name (lib/entity/import_map.h) */
	long rf = crm_entity_field(e, "reports_to_id"),
	     cf = crm_entity_field(e, "company_id");
	json_t *rj = json_object_get(row->custom, "reports_to");

	crm_row_take_full_name(row);
	if (contact_check_name(row, err) < 0)
		return -1;
	/* the manager is looked up by any key, phone_key too: an import
	 * that deferred that index makes it again first */
	if (rj && (crm_store_indexes_restore(db->store, err) < 0 ||
		   reports_to_input(db, e, row, rj, err) < 0))
		return -1;
	if (crm_company_link_contact(db, row, old, arg, err) < 0)
		return -1;
	if (!row->v[rf] || (old && crm_str_same(old->v[cf], row->v[cf]) &&
			    crm_str_same(old->v[rf], row->v[rf])))
		return 0;
	return reports_to_ok(db, row, true, err);
}

static const char *const contact_counters[] = {
    "company created|companies created", NULL};

static int contact_begin(struct crm_db *db, const struct crm_entity *e,
			 struct crm_err *err)
{
	(void)db;
	(void)e;
	(void)err;
	crm_company_link_batch(true);
	return 0;
}

static int contact_end(struct crm_db *db, const struct crm_entity *e, bool ok,
		       struct crm_err *err)
{
	(void)db;
	(void)e;
	(void)ok;
	(void)err;
	crm_company_link_batch(false);
	return 0;
}

/* Input columns the hooks read that are no field. */
static const char *const contact_inputs[] = {"name", "reports_to", NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias contact_aliases[] = {
    {"name", "Full Name|Contact Name|姓名|联系人姓名"},
    {"reports_to", "Reports To|Manager|Reports To Email|上级|汇报对象"},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_contact_entity = {
    .name = "contact",
    .plural = "contacts",
    .table = "contacts",
    CRM_FIELDS(contact_fields),
    .keys = "id,external_id,email",
    .prepare = contact_prepare,
    .check = contact_check,
    .begin = contact_begin,
    .end = contact_end,
    .counters = contact_counters,
    .inputs = contact_inputs,
    .aliases = contact_aliases,
    /* its hooks read contacts by id and company (companies), and by
     * phone_key only for a reports_to column, after restoring them */
    .defer_indexes = true,
};

/* -- org chart ---------------------------------------------------------- */

struct onode {
	int64_t mgr;
	char *name, *title, *email, *owner, *last;
};

struct org {
	struct crm_hier h;
	struct onode *n; /* by row */
	size_t len, cap;
	int (*fn)(const struct crm_org_node *n, void *arg);
	void *arg;
};

static char *dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

/* crm_hier_load: one contact into the chart; its key is its name */
static char *org_add(struct crm_stmt *st, void *arg)
{
	struct org *o = arg;
	const char *fn = crm_stmt_text(st, 2), *ln = crm_stmt_text(st, 3),
		   *em = crm_stmt_text(st, 5);
	struct crm_buf name = {0};

	if (fn)
		crm_buf_adds(&name, fn);
	if (ln)
		crm_buf_addf(&name, "%s%s", name.len ? " " : "", ln);
	if (!name.len)
		crm_buf_adds(&name, em ? em
				    : crm_stmt_text(st, 6)
					? crm_stmt_text(st, 6)
					: "");
	o->n = crm_xgrow(o->n, &o->cap, o->len + 1, sizeof(*o->n));
	o->n[o->len] = (struct onode){
	    .mgr = crm_stmt_int(st, 1),
	    .name = crm_xstrdup(crm_buf_str(&name)),
	    .title = dup_or_null(crm_stmt_text(st, 4)),
	    .email = dup_or_null(em),
	    .owner = dup_or_null(crm_stmt_text(st, 7)),
	    .last = dup_or_null(crm_stmt_text(st, 8)),
	};
	o->len++;
	crm_buf_release(&name);
	return crm_xstrdup(o->n[o->len - 1].name);
}

static int org_visit(const struct crm_hier_node *hx, int64_t parent_id,
		     int depth, const char *path, void *arg)
{
	struct org *o = arg;
	const struct onode *x = &o->n[hx->row];
	struct crm_org_node on = {
	    .id = hx->id,
	    .reports_to_id = x->mgr,
	    .name = x->name,
	    .title = x->title,
	    .email = x->email,
	    .owner = x->owner,
	    .last_activity_at = x->last,
	    .depth = depth,
	    .path = path,
	};

	(void)parent_id; /* a root's manager may work elsewhere */
	return o->fn(&on, o->arg);
}

int crm_contact_tree(struct crm_db *db, int64_t company,
		     int (*fn)(const struct crm_org_node *n, void *arg),
		     void *arg, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(
	    db, err,
	    "SELECT id, reports_to_id, first_name, last_name, title, email, "
	    "phone, owner, last_activity_at FROM contacts WHERE company_id = "
	    "? ORDER BY id",
	    "i", company);
	struct org o = {.fn = fn, .arg = arg};
	int rc;

	if (!st)
		return -1;
	rc = crm_hier_load(&o.h, st, org_add, &o, err);
	/* roots by name, then anyone a cycle in old data left unreached */
	if (rc == 0)
		rc = crm_hier_walk(&o.h, NULL, 0, true, "contact", org_visit,
				   &o, err);
	for (size_t i = 0; i < o.len; i++) {
		free(o.n[i].name);
		free(o.n[i].title);
		free(o.n[i].email);
		free(o.n[i].owner);
		free(o.n[i].last);
	}
	free(o.n);
	crm_hier_release(&o.h);
	return rc;
}
