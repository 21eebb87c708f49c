/* campaign_mail.h - campaign email: the flow action "campaign_email"
 * (one entry in crm_flow_action_kinds), which sends a templated message
 * to a contact or lead as a member of a campaign, composed by
 * crm_mail_build (lib/records/mime.c: GMime, multipart/alternative, RFC 2047
 * headers, Message-ID, List-Unsubscribe and List-Unsubscribe-Post with the
 * member's token), after the consent and frequency checks. */
#ifndef CRM_CAMPAIGN_MAIL_H
#define CRM_CAMPAIGN_MAIL_H

#include <stdint.h>

#include "flow.h"
#include "util.h"

/* The flow action kind's hooks (lib/domain/flow_action.c lists them). */
int crm_campaign_email_validate(const struct crm_flow *f, json_t *spec,
				void **data, struct crm_err *err);
int crm_campaign_email_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			     struct crm_err *err);

#endif
