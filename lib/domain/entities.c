/* entities.c - the registry of every entity, for undo and merges. */
#include <string.h>

#include "activity.h"
#include "asset.h"
#include "campaign.h"
#include "company.h"
#include "contact.h"
#include "contract.h"
#include "deal.h"
#include "entity.h"
#include "kb.h"
#include "lead.h"
#include "product.h"
#include "quote.h"
#include "role.h"
#include "social.h"
#include "ticket.h"
#include "user.h"

static const struct crm_entity *const entities[] = {
    &crm_contact_entity, &crm_company_entity, &crm_activity_entity,
    &crm_deal_entity,	 &crm_ticket_entity,  &crm_lead_entity,
    &crm_asset_entity,
    &crm_kb_entity,
    /* cpq */
    &crm_product_entity,
    &crm_quote_entity,
    /* contracts */
    &crm_contract_entity,
    &crm_milestone_entity,
    &crm_user_entity,
    &crm_role_entity,
    &crm_campaign_entity,
    &crm_social_entity,
};

const struct crm_entity *crm_entity_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strcmp(entities[i]->name, name) == 0)
			return entities[i];
	return NULL;
}

int crm_entity_each_referrer(const struct crm_entity *e,
			     int (*fn)(const struct crm_entity *r, size_t field,
				       void *arg),
			     void *arg)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
		const struct crm_entity *r = entities[i];

		for (size_t f = 0; f < r->nfields; f++) {
			int rc;

			if (r->fields[f].type != CRM_T_REF ||
			    !r->fields[f].ref ||
			    strcmp(r->fields[f].ref, e->name))
				continue;
			rc = fn(r, f, arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}
