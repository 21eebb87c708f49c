/* ticket.h - support tickets: the entity, its SLA clock (policies from
 * sla.json, business time, pauses, breaches), replies and notes (kept as
 * activities), status changes, assignment and escalation. */
#ifndef CRM_TICKET_H
#define CRM_TICKET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "entity.h"
#include "sla.h"

extern const struct crm_entity crm_ticket_entity;

/* Use the policy file path (NULL: crm_share_path("sla.json")) from now
 * on; it is loaded on first use. path is borrowed until release. */
void crm_ticket_use_policies(const char *path);
/* The policies in use, loaded once. NULL with err (CRM_EX_CONFIG, naming
 * the file and the rule) when the file is bad. */
const struct crm_sla *crm_ticket_policies(struct crm_err *err);
/* Free the loaded policies. */
void crm_ticket_policies_release(void);

/* 0 when ticket id exists; else -1 with err filled (none:
 * CRM_EX_NOINPUT, "no ticket ID"). */
int crm_ticket_exists(struct crm_db *db, int64_t id, struct crm_err *err);

enum crm_ticket_op {
	CRM_TICKET_REPLY,  /* a public reply (or the customer's message) */
	CRM_TICKET_NOTE,   /* an internal note */
	CRM_TICKET_STATUS, /* pending, on_hold, solved, closed, open */
	CRM_TICKET_ASSIGN, /* to an agent, or --auto within a team */
};

/* What to do to each ticket. Strings borrowed; NULL: not given. */
struct crm_ticket_action {
	enum crm_ticket_op op;
	const char *body;     /* reply, note */
	const char *author;   /* reply, note: NULL is db->actor */
	bool customer;	      /* reply: the customer wrote (direction in) */
	const char *status;   /* STATUS: the new status; "open" reopens */
	const char *assignee; /* ASSIGN: the agent ("" unassigns) */
	const char *team;     /* ASSIGN: the team to set or pick from */
	bool autoassign;      /* ASSIGN: pick the agent by the team's rule */
	const struct crm_rec *set; /* REPLY: more fields to set (a macro) */
	int64_t *logged;	   /* REPLY, NOTE: gets the activity's id */
	/* crm_ticket_act: called after the action, before the commit (a
	 * reply sent by mail: a failure rolls it back). May be NULL. */
	int (*then)(struct crm_db *db, void *arg, struct crm_err *err);
	void *then_arg;
	/* ASSIGN: route by content first (crm-ticket assign --model): given
	 * each ticket's row, adds the fields it routes to (team, priority, a
	 * category) to set; the agent is then picked in the team it gave,
	 * and a team without rules is set without one. May be NULL. */
	int (*route)(const struct crm_row *row, struct crm_rec *set, void *arg,
		     struct crm_err *err);
	void *route_arg;
};

/* Apply a to each ticket of ids in one transaction (rolled back for a
 * dry run). *changed counts the tickets acted on, *left (may be NULL) the
 * ones --auto could not assign (every agent at the cap). A ticket that
 * does not exist is CRM_EX_NOINPUT; an action its status does not allow
 * CRM_EX_DATAERR. Returns 0 or -1. */
int crm_ticket_act(struct crm_db *db, const int64_t *ids, size_t n,
		   const struct crm_ticket_action *a, bool dry_run,
		   uint64_t *changed, uint64_t *left, struct crm_err *err);

/* crm_ticket_act inside the caller's open transaction. */
int crm_ticket_act_in(struct crm_db *db, const int64_t *ids, size_t n,
		      const struct crm_ticket_action *a, uint64_t *changed,
		      uint64_t *left, struct crm_err *err);

/* One target of one ticket found by crm_ticket_sla. */
struct crm_sla_hit {
	const struct crm_row *row;
	int kind; /* enum crm_sla_kind */
	crm_time due;
	bool breached;
	int64_t delta; /* seconds past the due time, or left before it */
};

/* The unmet targets of the tickets q selects (not solved or closed) that
 * are breached at at, or due within warn seconds of it, in ticket order;
 * fn is called for each (returns 0 or -1). With escalate, then applies
 * each breached ticket's escalation levels that are due and were never
 * applied, logging each as an activity, and records its breach flags, in
 * one transaction. *breached, *escalated count them. Returns 0 or -1. */
int crm_ticket_sla(struct crm_db *db, const struct crm_query *q, crm_time at,
		   int64_t warn, bool escalate, bool dry_run,
		   int (*fn)(const struct crm_sla_hit *h, void *arg), void *arg,
		   uint64_t *breached, uint64_t *escalated,
		   struct crm_err *err);

/* The thread of ticket id: its activities (replies, notes, escalations),
 * oldest first, as a JSON array (caller owns), or NULL with err. */
json_t *crm_ticket_thread(struct crm_db *db, int64_t id, struct crm_err *err);
/* Its status history (from, to, at, actor), oldest first. */
json_t *crm_ticket_history(struct crm_db *db, int64_t id, struct crm_err *err);

#endif
