/* contact.c - the contact entity: people. */
#include <string.h>

#include "company.h"
#include "contact.h"
#include "import_map.h"

static const char *const lifecycle_stages[] = {
	"subscriber",  "lead",     "marketing_qualified_lead",
	"sales_qualified_lead", "opportunity", "customer",
	"evangelist",  NULL,
};

static const struct crm_field contact_fields[] = {
	{"id", CRM_T_INT, CRM_FF_SYSTEM | CRM_FF_KEY | CRM_FF_BRIEF},
	{"external_id", CRM_T_TEXT, CRM_FF_KEY},
	{"first_name", CRM_T_TEXT, CRM_FF_BRIEF},
	{"last_name", CRM_T_TEXT, CRM_FF_BRIEF},
	{"email", CRM_T_EMAIL, CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF},
	{"email_key", CRM_T_TEXT, CRM_FF_HIDDEN},
	{"phone", CRM_T_PHONE, CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF},
	{"phone_key", CRM_T_TEXT, CRM_FF_HIDDEN},
	{"company", CRM_T_TEXT, CRM_FF_BRIEF},
	{"company_id", CRM_T_REF, 0, NULL, "company"},
	{"title", CRM_T_TEXT, 0},
	{"city", CRM_T_TEXT, 0},
	{"region", CRM_T_TEXT, 0},
	{"country", CRM_T_TEXT, 0},
	{"source", CRM_T_TEXT, 0},
	{"owner", CRM_T_TEXT, CRM_FF_BRIEF},
	{"tags", CRM_T_TAGS, 0},
	{"lifecycle_stage", CRM_T_ENUM, CRM_FF_FORWARD | CRM_FF_BRIEF,
	 lifecycle_stages},
	{"last_activity_at", CRM_T_TIME, CRM_FF_READONLY},
	{"created_at", CRM_T_TIME, CRM_FF_SYSTEM},
	{"updated_at", CRM_T_TIME, CRM_FF_SYSTEM},
};

static int contact_check(struct crm_db *db, const struct crm_entity *e,
			 const struct crm_row *row, struct crm_err *err)
{
	(void)db;
	(void)e;
	if (!crm_row_get(row, "first_name") && !crm_row_get(row, "last_name") &&
	    !crm_row_get(row, "email") && !crm_row_get(row, "phone"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a contact needs a name, an email or a "
				   "phone");
	return 0;
}

static int contact_prepare(struct crm_db *db, const struct crm_entity *e,
			   struct crm_row *row, const struct crm_row *old,
			   void *arg, struct crm_err *err)
{
	/* a "Name" column: first and last name (lib/entity/import_map.h) */
	crm_row_take_full_name(row);
	if (contact_check(db, e, row, err) < 0)
		return -1;
	return crm_company_link_contact(db, row, old, arg, err);
}

static const char *const contact_counters[] = {"company created|companies created",
						   NULL};

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
static const char *const contact_inputs[] = {"name", NULL};

/* Other names of the fields on import (lib/entity/import_map.h). */
static const struct crm_alias contact_aliases[] = {
    {"external_id", "Record ID|Contact ID"},
    {"name", "Full Name|Contact Name|姓名|联系人姓名"},
    {"first_name", CRM_ALIASES_FIRST_NAME},
    {"last_name", CRM_ALIASES_LAST_NAME},
    {"email", CRM_ALIASES_EMAIL},
    {"phone", CRM_ALIASES_PHONE},
    {"company", "Company Name|Account Name|Account|Organization|"
		"Organisation|Organization Name|公司|公司名称|客户名称|"
		"单位|企业名称"},
    {"title", CRM_ALIASES_TITLE},
    {"region", CRM_ALIASES_MAILING_REGION},
    {"country", CRM_ALIASES_MAILING_COUNTRY},
    {"source", "Lead Source|Original Source|Contact Source|来源|线索来源"},
    {"owner", "Contact Owner|Owner Name|Assigned To|负责人|所有人|"
	      "跟进人"},
    {"tags", CRM_ALIASES_TAGS},
    {"created_at", CRM_ALIASES_CREATED_AT},
    {"updated_at", CRM_ALIASES_UPDATED_AT},
    {"city", "Mailing City|Town|城市|市"},
    {"last_activity_at", CRM_ALIASES_LAST_ACTIVITY_AT},
    {0},
};

const struct crm_entity crm_contact_entity = {
	.name = "contact",
	.plural = "contacts",
	.table = "contacts",
	.fields = contact_fields,
	.nfields = sizeof(contact_fields) / sizeof(contact_fields[0]),
	.keys = "id,external_id,email",
	.prepare = contact_prepare,
	.check = contact_check,
	.begin = contact_begin,
	.end = contact_end,
	.counters = contact_counters,
	.inputs = contact_inputs,
	.aliases = contact_aliases,
};
