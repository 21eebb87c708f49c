/* campaign.h - marketing campaigns (crm-campaign): the campaign entity and
 * its hierarchy (parent_id, no cycles), members (contacts or leads) with
 * a member status and its timestamped history, and the tree of campaigns
 * with roll-ups. */
#ifndef CRM_CAMPAIGN_H
#define CRM_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_campaign_entity;

/* The member statuses, in order (NULL-terminated): email (targeted ...
 * unsubscribed), event (invited, registered, attended), and converted. */
extern const char *const crm_campaign_member_statuses[];
/* Whether status is a response (opened, clicked, replied, registered,
 * attended, converted). */
bool crm_campaign_status_responded(const char *status);

/* Add the records ids (n of them) of entity ("contact" or "lead") to
 * campaign as members with status (NULL: targeted), inside the caller's
 * transaction; a record already a member is left as it is. Each id must
 * exist (CRM_EX_DATAERR). *added gets the count added. at: the time
 * (ISO 8601). The first membership of a record is its first touch, the
 * latest its last (crm_campaign_touches). */
int crm_campaign_members_add(struct crm_db *db, int64_t campaign,
			     const char *entity, const int64_t *ids, size_t n,
			     const char *status, const char *at,
			     uint64_t *added, struct crm_err *err);
/* Set the status of members (ids of entity) of campaign, recording each
 * change in campaign_member_history. A record that is no member is
 * CRM_EX_DATAERR. *changed gets the count changed. */
int crm_campaign_members_status(struct crm_db *db, int64_t campaign,
				const char *entity, const int64_t *ids,
				size_t n, const char *status, const char *at,
				uint64_t *changed, struct crm_err *err);

/* A row of campaign_member_history: member had status from at. Returns
 * 0 or -1. */
int crm_campaign_history(struct crm_db *db, int64_t member, const char *status,
			 const char *at, struct crm_err *err);

/* One campaign in a tree walk, with its roll-ups: own and with all its
 * descendants. budget and cost totals are in minor units of currency;
 * total_currency is NULL when the subtree mixes currencies (then the
 * totals are 0 and meaningless, and mixed is set). */
struct crm_campaign_node {
	int64_t id, parent_id;
	const char *name, *type, *status, *currency, *total_currency;
	int depth;
	bool mixed;
	const char *path;
	uint64_t members, responses, members_total, responses_total;
	int64_t budget, cost, budget_total, cost_total;
};

/* Walk the hierarchy depth first (children by name): the trees of roots
 * (each first replaced by its top ancestor), or all when nroots is 0. */
int crm_campaign_tree(struct crm_db *db, const int64_t *roots, size_t nroots,
		      int (*fn)(const struct crm_campaign_node *n, void *arg),
		      void *arg, struct crm_err *err);

/* The first- and last-touch campaigns of a lead (entity "lead") or a
 * deal ("deal": its lead's memberships, else its contact's): ids, 0 for
 * none. Returns 0 or -1. */
int crm_campaign_touches(struct crm_db *db, const char *entity, int64_t id,
			 int64_t *first, int64_t *last, struct crm_err *err);

#endif
