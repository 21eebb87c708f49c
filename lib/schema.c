/* schema.c - every table, as numbered migrations.
 *
 * Migration n brings a database from user_version n-1 to n. Once a version
 * has been released its migration never changes: a new column or table is
 * a new migration at the end of the list. Until the first release, the
 * blocks of migration 1 below belong to their modules and may still grow.
 *
 * Conventions: times are TEXT "YYYY-MM-DDTHH:MM:SSZ" (sorts as time and
 * works with julianday()); money INTEGER minor units beside a currency
 * TEXT; custom fields a JSON object in TEXT "custom"; a matching form of a
 * field NAME is NAME_key. */
#include <stddef.h>

#include "db.h"
#include "schema.h"

static const char migration1[] =
	/* -- core: change sets and before-images, for undo ------------ */
	"CREATE TABLE crm_changes ("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" command TEXT NOT NULL,"
	" entity TEXT,"
	" undone_at TEXT);"
	"CREATE TABLE crm_audit ("
	" id INTEGER PRIMARY KEY,"
	" change_id INTEGER NOT NULL REFERENCES crm_changes(id),"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" action TEXT NOT NULL,"
	" before TEXT);"
	"CREATE INDEX crm_audit_change ON crm_audit(change_id);"
	"CREATE INDEX crm_audit_record ON crm_audit(entity, record_id);"
	/* custom field names per entity: for --where, --fields and export */
	"CREATE TABLE crm_custom_fields ("
	" entity TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" PRIMARY KEY (entity, name)) WITHOUT ROWID;"

	/* -- contacts (lib/contact.c) ----------------------------------- */
	"CREATE TABLE contacts ("
	" id INTEGER PRIMARY KEY,"
	" external_id TEXT UNIQUE,"
	" first_name TEXT,"
	" last_name TEXT,"
	" email TEXT,"
	" email_key TEXT,"
	" phone TEXT,"
	" phone_key TEXT,"
	" company TEXT,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" title TEXT,"
	" city TEXT,"
	" region TEXT,"
	" country TEXT,"
	" source TEXT,"
	" owner TEXT,"
	" tags TEXT,"
	" lifecycle_stage TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX contacts_email_key ON contacts(email_key);"
	"CREATE INDEX contacts_phone_key ON contacts(phone_key);"
	"CREATE INDEX contacts_owner ON contacts(owner);"
	"CREATE INDEX contacts_company ON contacts(company_id)"
	" WHERE company_id IS NOT NULL;"

	/* -- companies (lib/company.c) ---------------------------------- */
	"CREATE TABLE companies ("
	" id INTEGER PRIMARY KEY,"
	" external_id TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" name_key TEXT,"
	" domain TEXT,"
	" industry TEXT,"
	" employees INTEGER,"
	" annual_revenue INTEGER,"
	" currency TEXT,"
	" region TEXT,"
	" country TEXT,"
	" parent_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" owner TEXT,"
	" tags TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX companies_name_key ON companies(name_key);"
	"CREATE INDEX companies_domain ON companies(domain);"
	"CREATE INDEX companies_parent ON companies(parent_id)"
	" WHERE parent_id IS NOT NULL;"

	/* -- activities (lib/activity.c) -------------------------------- */
	/* lead_id, deal_id, ticket_id are plain integers: those tables come
	 * in their own blocks below. Link indexes are partial (most links
	 * are NULL), which keeps bulk loads of event streams cheap. */
	"CREATE TABLE activities ("
	" id INTEGER PRIMARY KEY,"
	" external_id TEXT UNIQUE,"
	" type TEXT NOT NULL,"
	" direction TEXT,"
	" subject TEXT,"
	" body TEXT,"
	" occurred_at TEXT NOT NULL,"
	" owner TEXT,"
	" channel TEXT,"
	" due_at TEXT,"
	" done_at TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" lead_id INTEGER,"
	" deal_id INTEGER,"
	" ticket_id INTEGER,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX activities_contact ON activities(contact_id, occurred_at)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX activities_company ON activities(company_id, occurred_at)"
	" WHERE company_id IS NOT NULL;"
	"CREATE INDEX activities_lead ON activities(lead_id, occurred_at)"
	" WHERE lead_id IS NOT NULL;"
	"CREATE INDEX activities_deal ON activities(deal_id, occurred_at)"
	" WHERE deal_id IS NOT NULL;"
	"CREATE INDEX activities_ticket ON activities(ticket_id, occurred_at)"
	" WHERE ticket_id IS NOT NULL;"
	"CREATE INDEX activities_open_tasks ON activities(due_at)"
	" WHERE due_at IS NOT NULL AND done_at IS NULL;"

	/* -- leads (lib/lead.c) ----------------------------------------- */
	/* contact_id, company_id, deal_id: what a lead was converted into
	 * (deal_id a plain integer until the deals table exists). */
	"CREATE TABLE leads ("
	" id INTEGER PRIMARY KEY,"
	" external_id TEXT UNIQUE,"
	" first_name TEXT,"
	" last_name TEXT,"
	" email TEXT,"
	" email_key TEXT,"
	" phone TEXT,"
	" phone_key TEXT,"
	" company TEXT,"
	" title TEXT,"
	" industry TEXT,"
	" region TEXT,"
	" country TEXT,"
	" source TEXT,"
	" campaign TEXT,"
	" status TEXT NOT NULL DEFAULT 'new',"
	" status_reason TEXT,"
	" owner TEXT,"
	" previous_owner TEXT,"
	" score INTEGER,"
	" grade TEXT,"
	" duplicate_of TEXT,"
	" last_activity_at TEXT,"
	" assigned_at TEXT,"
	" converted_at TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" deal_id INTEGER,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX leads_email_key ON leads(email_key);"
	"CREATE INDEX leads_phone_key ON leads(phone_key);"
	"CREATE INDEX leads_owner ON leads(owner, status);"
	"CREATE INDEX leads_unassigned ON leads(id) WHERE owner IS NULL;"
	"CREATE INDEX leads_contact ON leads(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX leads_company ON leads(company_id)"
	" WHERE company_id IS NOT NULL;"
	/* every status and owner change: from, to, when, who, why */
	"CREATE TABLE lead_history ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL,"
	" field TEXT NOT NULL,"
	" from_value TEXT,"
	" to_value TEXT,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" command TEXT,"
	" reason TEXT);"
	"CREATE INDEX lead_history_lead ON lead_history(lead_id, id);"
	"CREATE INDEX lead_history_to ON lead_history(field, to_value, at);"
	/* assignment rotation state per team member (assign) */
	"CREATE TABLE lead_rotation ("
	" team TEXT NOT NULL,"
	" member TEXT NOT NULL,"
	" seq INTEGER NOT NULL DEFAULT 0,"
	" credit INTEGER NOT NULL DEFAULT 0,"
	" last_assigned_at TEXT,"
	" PRIMARY KEY (team, member)) WITHOUT ROWID;"

	/* -- deals and pipelines (lib/deal.c) --------------------------- */

	/* -- tickets and SLA (lib/ticket.c) ----------------------------- */

	/* -- scoring (lib/score.c) -------------------------------------- */

	/* -- dedupe and merges (lib/dedupe.c) --------------------------- */

	"";

static const char *const migrations[] = {
	migration1,
};

int crm_db_schema_version(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

const char *crm_schema_migration(int n)
{
	if (n < 1 || n > crm_db_schema_version())
		return NULL;
	return migrations[n - 1];
}
