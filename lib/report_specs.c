/* report_specs.c - the reports: what each counts, over which table, as
 * fixed SQL aggregates the framework (report.c) groups and buckets. Rates
 * are percentages with one decimal, null when the denominator is 0. */
#include <string.h>

#include "report.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* activities per owner (or --by type, channel ...) */
static const struct crm_measure activity_measures[] = {
    {"activities", "count(*)", CRM_M_COUNT},
    {"contacts", "count(DISTINCT contact_id)", CRM_M_COUNT},
    {"calls", "sum(type = 'call')", CRM_M_COUNT},
    {"emails", "sum(type = 'email')", CRM_M_COUNT},
    {"meetings", "sum(type = 'meeting')", CRM_M_COUNT},
    {"tasks", "sum(due_at IS NOT NULL)", CRM_M_COUNT},
    {"tasks_done", "sum(due_at IS NOT NULL AND done_at IS NOT NULL)",
     CRM_M_COUNT},
    {"tasks_done_rate",
     "round(100.0 * sum(due_at IS NOT NULL AND done_at IS NOT NULL) / "
     "nullif(sum(due_at IS NOT NULL), 0), 1)",
     CRM_M_RATE},
};

/* contacts per source and lifecycle stage */
static const struct crm_measure source_measures[] = {
    {"contacts", "count(*)", CRM_M_COUNT},
    {"subscribers", "sum(lifecycle_stage = 'subscriber')", CRM_M_COUNT},
    {"leads", "sum(lifecycle_stage = 'lead')", CRM_M_COUNT},
    {"mqls", "sum(lifecycle_stage = 'marketing_qualified_lead')", CRM_M_COUNT},
    {"sqls", "sum(lifecycle_stage = 'sales_qualified_lead')", CRM_M_COUNT},
    {"opportunities", "sum(lifecycle_stage = 'opportunity')", CRM_M_COUNT},
    {"customers", "sum(lifecycle_stage IN ('customer', 'evangelist'))",
     CRM_M_COUNT},
    {"customer_rate",
     "round(100.0 * sum(lifecycle_stage IN ('customer', 'evangelist')) / "
     "nullif(count(*), 0), 1)",
     CRM_M_RATE},
};

/* open tasks past due, per owner */
static const struct crm_measure unattended_measures[] = {
    {"overdue_tasks", "count(*)", CRM_M_COUNT},
    {"on_contacts", "sum(contact_id IS NOT NULL)", CRM_M_COUNT},
    {"on_leads", "sum(lead_id IS NOT NULL)", CRM_M_COUNT},
    {"on_deals", "sum(deal_id IS NOT NULL)", CRM_M_COUNT},
    {"on_tickets", "sum(ticket_id IS NOT NULL)", CRM_M_COUNT},
    {"oldest_due_at", "min(due_at)", CRM_M_TEXT},
    {"median_days_overdue",
     "round(crm_percentile(julianday(now_) - julianday(due_at), 50), 1)",
     CRM_M_VALUE},
    {"p90_days_overdue",
     "round(crm_percentile(julianday(now_) - julianday(due_at), 90), 1)",
     CRM_M_VALUE},
    {"max_days_overdue", "round(max(julianday(now_) - julianday(due_at)), 1)",
     CRM_M_VALUE},
};

static const struct crm_report_spec specs[] = {
    {"activities", "Activities", "activities", "activity", "occurred_at", NULL,
     "owner", NULL, activity_measures, N(activity_measures),
     "activities DESC, 1", "activities"},
    {"sources", "Contacts by source", "contacts", "contact", "created_at", NULL,
     "source", NULL, source_measures, N(source_measures), "contacts DESC, 1",
     "contacts"},
    {"unattended", "Overdue tasks", "activities", "activity", "due_at",
     "due_at < now_ AND done_at IS NULL", "owner", NULL, unattended_measures,
     N(unattended_measures), "overdue_tasks DESC, 1", "overdue_tasks"},
};

const struct crm_report_spec *crm_report_spec(const char *name)
{
	for (size_t i = 0; i < N(specs); i++)
		if (!strcmp(specs[i].name, name))
			return &specs[i];
	return NULL;
}
