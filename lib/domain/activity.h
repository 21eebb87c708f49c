/* activity.h - activities: interactions (calls, emails, meetings, web
 * events ...) and tasks, linked to a contact, company, lead, deal or
 * ticket. Any module may log one inside its own open transaction; logging
 * keeps last_activity_at current on every linked record. */
#ifndef CRM_ACTIVITY_H
#define CRM_ACTIVITY_H

#include <stdint.h>

#include "db.h"
#include "entity.h"

extern const struct crm_entity crm_activity_entity;

/* One activity to log. Strings are borrowed; NULL means none. A link of 0
 * means none. type is required ("call", "email", "note", "task" ...; folded
 * to lower case with '_' for spaces and '-'); direction is NULL, "in" or
 * "out"; times take any form crm_datetime_parse does. */
struct crm_activity {
	const char *type, *direction, *subject, *body;
	const char *occurred_at; /* NULL: now (db->now) */
	const char *owner, *channel;
	const char *due_at; /* a task: open until done_at is set */
	int64_t contact_id, company_id, lead_id, deal_id, ticket_id;
	/* Links the caller answers for, bit k for crm_activity_links[k]
	 * (0: none): known, the record was read in the caller's write
	 * transaction and is not looked up again (not the contact, whose
	 * company comes with its look-up); untouched, the caller keeps its
	 * last_activity_at itself (crm_activity_touch after this call). */
	unsigned known, untouched;
};

/* Insert a inside the caller's open transaction and keep last_activity_at
 * (the maximum occurred_at) current on each linked record. company_id 0
 * with a contact_id is filled from the contact's company. A link to a
 * record that does not exist is CRM_EX_DATAERR with err->field naming the
 * link. *id (may be NULL) gets the new id. Returns 0 or -1. */
int crm_activity_log(struct crm_db *db, const struct crm_activity *a,
		     int64_t *id, struct crm_err *err);

/* Activities held for multi-row INSERTs (a bulk writer on PostgreSQL,
 * where each statement is the server's work): crm_activity_hold checks
 * and links a as crm_activity_log does (last_activity_at touched at
 * once) and keeps its row; the rows are inserted in the order held,
 * CRM_ACTIVITY_ROWS to a statement as they fill, the rest by
 * crm_activity_flush (so their ids are those crm_activity_log would
 * give, while nothing else inserts activities meanwhile). A failed
 * INSERT fails the flush. Zero-initialized; _clear drops the rows held,
 * _release frees all. */
#define CRM_ACTIVITY_ROWS 128
struct crm_activity_batch {
	void *v; /* the rows held (activity.c) */
	size_t n, cap;
	bool ids; /* the rows held have ids given (_hold_id) */
};
int crm_activity_hold(struct crm_db *db, struct crm_activity_batch *b,
		      const struct crm_activity *a, struct crm_err *err);
/* ... with id given (> 0: taken from the sequence by the caller, who
 * must have a batch's rows all with ids or all without) */
int crm_activity_hold_id(struct crm_db *db, struct crm_activity_batch *b,
			 const struct crm_activity *a, int64_t id,
			 struct crm_err *err);
int crm_activity_flush(struct crm_db *db, struct crm_activity_batch *b,
		       struct crm_err *err);
void crm_activity_batch_clear(struct crm_activity_batch *b);
void crm_activity_batch_release(struct crm_activity_batch *b);

/* The link columns of activities, the table each refers to and its
 * entity name. A linked table gets its last_activity_at column kept
 * current as soon as it exists and has that column (issues that add
 * leads, deals and tickets only need the column in their table). */
struct crm_activity_link {
	const char *column; /* "deal_id" */
	const char *table;  /* "deals" */
	const char *entity; /* "deal" */
};
extern const struct crm_activity_link crm_activity_links[];
extern const size_t crm_activity_nlinks;

/* Set last_activity_at of record id in the table of link column column
 * ("contact_id" ...) to at when it is later than the value there (or
 * there is none). A table that does not exist yet, or lacks the column,
 * is skipped. Does not change updated_at. Returns 0 or -1. */
int crm_activity_touch(struct crm_db *db, const char *column, int64_t id,
		       const char *at, struct crm_err *err);

/* For an entity with contact_id and company_id fields (tickets ...):
 * resolve the input columns that name a contact (contact, email,
 * contact_email, contact_external_id) or a company (company: id, name,
 * domain or external id) into those ids, removing them from the custom
 * fields; check that a given contact_id or company_id exists; fill
 * company_id from the contact when not given. For an entity's prepare
 * hook. Returns 0 or -1 (CRM_EX_DATAERR, err->field the column). */
int crm_activity_resolve_links(struct crm_db *db, struct crm_row *row,
			       const struct crm_row *old, struct crm_err *err);

/* Whether table exists and has column (cached per process: the schema is
 * the binary's). Returns 1, 0, or -1 on error. */
int crm_table_has_column(struct crm_db *db, const char *table,
			 const char *column, struct crm_err *err);

/* The input columns crm_activity_resolve_links reads (contact,
 * contact_email, email, contact_external_id, company), NULL-terminated:
 * the .inputs of an entity whose prepare hook calls it. */
extern const char *const crm_activity_link_inputs[];

#endif
