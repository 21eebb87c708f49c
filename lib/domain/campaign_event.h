/* campaign_event.h - events from an email provider (delivered, opened,
 * clicked, bounced hard or soft, complained, unsubscribed) and replies,
 * applied to campaign members: matched by the member's token or the
 * Message-ID of a campaign message (whose local part begins with the
 * token), each updates the member status (with history), logs an
 * activity (email_opened ...) on the contact or lead, and sets consent
 * fields: a hard bounce email_invalid, an unsubscribe or a complaint
 * do_not_email. An event is applied once: its activity's external_id is
 * its key (the provider's event id, else token, event, time, bounce type
 * and URL), so importing the same events twice changes nothing. */
#ifndef CRM_CAMPAIGN_EVENT_H
#define CRM_CAMPAIGN_EVENT_H

#include "db.h"
#include "entity.h"

/* One event; strings borrowed, NULL when absent. */
struct crm_campaign_event {
	const char *event; /* a name crm_campaign_event_kind knows */
	const char *token, *message_id;
	const char *at;	    /* any form crm_datetime_parse takes, or Unix
			       seconds; NULL: now */
	const char *bounce; /* hard, soft (also permanent, temporary) */
	const char *id;	    /* the provider's event id */
	const char *url;    /* a click's link */
};

/* What applying an event did. */
enum crm_campaign_event_result {
	CRM_EVENT_APPLIED,
	CRM_EVENT_DUPLICATE, /* applied before: nothing done */
	CRM_EVENT_UNMATCHED, /* no member has that token or Message-ID */
};

/* The canonical event name of a provider's name (delivered, opened,
 * clicked, bounced, soft_bounced, complained, unsubscribed; bounce: the
 * bounce type, may be NULL), or NULL when unknown. */
const char *crm_campaign_event_kind(const char *event, const char *bounce);

/* Check ev (event name, bounce type, time), with err->field naming the
 * bad one (CRM_EX_DATAERR). Writes nothing. */
int crm_campaign_event_check(const struct crm_campaign_event *ev,
			     struct crm_err *err);

/* Apply ev inside the caller's open transaction. */
int crm_campaign_event_apply(struct crm_db *db,
			     const struct crm_campaign_event *ev,
			     enum crm_campaign_event_result *res,
			     struct crm_err *err);

/* An inbound mail answering message_id (In-Reply-To, without <>): when it
 * is a campaign message, mark its member replied and log an email_replied
 * activity, inside the caller's open transaction. *matched set when it
 * was. */
int crm_campaign_reply(struct crm_db *db, const char *message_id,
		       const char *at, bool *matched, struct crm_err *err);

#endif
