/* campaign_mail.h - campaign email: the flow action "campaign_email"
 * (one entry in crm_flow_action_kinds), which sends a templated message
 * to a contact or lead as a member of a campaign, composed with GMime
 * (multipart/alternative, RFC 2047 headers, Message-ID, List-Unsubscribe
 * and List-Unsubscribe-Post with the member's token), after the consent
 * and frequency checks. */
#ifndef CRM_CAMPAIGN_MAIL_H
#define CRM_CAMPAIGN_MAIL_H

#include <stdint.h>

#include "flow.h"
#include "util.h"

/* A message to compose. */
struct crm_campaign_msg {
	const char *from;    /* "Name <addr>" or an address */
	const char *to_name; /* may be NULL */
	const char *to_addr;
	const char *subject;	 /* UTF-8 */
	const char *text, *html; /* either may be NULL, not both */
	const char *message_id;	 /* without <> */
	const char *unsubscribe; /* the List-Unsubscribe value, or NULL */
	const char *token;	 /* X-CRM-Token, or NULL */
	int64_t date;		 /* seconds since the epoch */
};

/* Compose m as RFC 5322 text into out (appended). Returns 0 or -1. */
int crm_campaign_msg_compose(const struct crm_campaign_msg *m,
			     struct crm_buf *out, struct crm_err *err);

/* The flow action kind's hooks (lib/domain/flow_action.c lists them). */
int crm_campaign_email_validate(const struct crm_flow *f, json_t *spec,
				void **data, struct crm_err *err);
int crm_campaign_email_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			     struct crm_err *err);

#endif
