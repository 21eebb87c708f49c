/* campaign_send.h - the campaign send queue: the campaign_email flow
 * action queues each composed message (campaign_sends); crm-campaign run
 * hands the due ones over, honouring at that moment consent (do_not_email,
 * an invalid email, an unsubscribe or hard bounce in any campaign: the
 * send is suppressed), the campaign's quiet hours in the recipient's time
 * zone (postponed to the window's end, never dropped) and the campaign's
 * send rate (the excess stays queued for a later run). Each message is
 * handed over at most once: claimed and committed before delivery. */
#ifndef CRM_CAMPAIGN_SEND_H
#define CRM_CAMPAIGN_SEND_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "entity.h"
#include "record.h"

/* Why record row (a contact or lead) may not be mailed, a static text
 * ("do_not_email", "email invalid", "unsubscribed", "bounced"), or NULL.
 * Returns 0 or -1. */
int crm_campaign_consent(struct crm_db *db, const struct crm_row *row,
			 const char **why, struct crm_err *err);

/* Queue message (RFC 5322 text) for member to addr, due at db->now,
 * inside the caller's open transaction. */
int crm_campaign_send_queue(struct crm_db *db, int64_t campaign, int64_t member,
			    const char *addr, const char *message_id,
			    const char *message, struct crm_err *err);
/* Messages queued and not yet handed over for record id of entity. */
int64_t crm_campaign_send_pending(struct crm_db *db, const char *entity,
				  int64_t id, struct crm_err *err);

/* A campaign's quiet hours ("21:00-08:00": minutes of the day, start and
 * end) and send rate ("100/hour", "5/minute"), from its custom fields
 * quiet_hours and send_rate. -1 (CRM_EX_DATAERR, field named) when bad. */
int crm_campaign_parse_quiet(const char *s, int *start, int *end,
			     struct crm_err *err);
int crm_campaign_parse_rate(const char *s, int64_t *n, int64_t *window,
			    struct crm_err *err);

struct crm_campaign_run_opts {
	bool dry_run; /* write nothing; deliver still called (a maildir) */
	/* hand message over; 0 or -1 with err (the send stays queued) */
	int (*deliver)(const char *message, void *arg, struct crm_err *err);
	void *arg;
	/* each due send: id, campaign, entity, record, to, status (sent,
	 * postponed, deferred, suppressed), detail */
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *fn_arg;
};

struct crm_campaign_run_stats {
	uint64_t sent, postponed, deferred, suppressed;
};

/* Hand over every send due at db->now. */
int crm_campaign_send_run(struct crm_db *db,
			  const struct crm_campaign_run_opts *o,
			  struct crm_campaign_run_stats *st,
			  struct crm_err *err);

#endif
