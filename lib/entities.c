/* entities.c - the registry of every entity, for undo and merges. */
#include <string.h>

#include "activity.h"
#include "company.h"
#include "contact.h"
#include "entity.h"
#include "lead.h"

static const struct crm_entity *const entities[] = {
	&crm_contact_entity,
	&crm_company_entity,
	&crm_activity_entity,
	&crm_lead_entity,
};

const struct crm_entity *crm_entity_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strcmp(entities[i]->name, name) == 0)
			return entities[i];
	return NULL;
}
