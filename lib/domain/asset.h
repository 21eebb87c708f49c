/* asset.h - the installed base: products a customer owns (serial,
 * product, purchase date, warranty end, contract, location, owner contact
 * and company), from won deals or by import; a ticket names its asset;
 * and the customer context a ticket's view shows. */
#ifndef CRM_ASSET_H
#define CRM_ASSET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_asset_entity;

/* Make one asset of each won deal that has none (product: the deal's
 * name; purchased_on: the day it was won; its contact and company) in one
 * transaction (rolled back for a dry run). *made counts them. Returns 0
 * or -1. */
int crm_asset_from_deals(struct crm_db *db, bool dry_run, uint64_t *made,
			 struct crm_err *err);

/* Name asset (an id, serial or external id) as ticket's. A ticket names
 * at most one asset: a second link replaces the first. Unknown ticket or
 * asset: CRM_EX_NOINPUT. Returns 0 or -1. */
int crm_asset_link(struct crm_db *db, int64_t ticket, const char *asset,
		   bool dry_run, struct crm_err *err);

/* Find asset (an id, serial or external id): *id, or -1 with
 * CRM_EX_NOINPUT when there is none. */
int crm_asset_resolve(struct crm_db *db, const char *asset, int64_t *id,
		      struct crm_err *err);

/* Name asset_id (0: none) as ticket's inside the caller's transaction. */
int crm_asset_link_id(struct crm_db *db, int64_t ticket, int64_t asset_id,
		      struct crm_err *err);

/* The asset a customer's message names: the first (by id) of the assets
 * of contact or of the contact's company whose serial number (3
 * characters or more) occurs in subject or text with no letter or digit
 * either side, case ignored. *id is 0 when none is named. */
int crm_asset_named(struct crm_db *db, int64_t contact, const char *subject,
		    const char *text, int64_t *id, struct crm_err *err);

/* The customer context of ticket id as a JSON object (caller owns):
 * requester (the contact), company, purchases (won deals, newest first),
 * assets (of the contact or company, each with warranty: "active",
 * "expired" or null when unknown, at db->now), asset (the one the ticket
 * names, or null), tickets (the customer's other tickets: open ones and
 * the most recent, up to 10), attachments (of this ticket), articles
 * (the top 3 published ones crm-kb suggest finds). NULL with err. */
json_t *crm_ticket_context(struct crm_db *db, int64_t id, struct crm_err *err);

#endif
