/* entities.c - the registry of every entity, for undo and merges. */
#include <string.h>

#include "activity.h"
#include "company.h"
#include "contact.h"
#include "deal.h"
#include "entity.h"
#include "lead.h"
#include "ticket.h"

static const struct crm_entity *const entities[] = {
	&crm_contact_entity,
	&crm_company_entity,
	&crm_activity_entity,
	&crm_deal_entity,
	&crm_ticket_entity,
	&crm_lead_entity,
};

const struct crm_entity *crm_entity_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strcmp(entities[i]->name, name) == 0)
			return entities[i];
	return NULL;
}
