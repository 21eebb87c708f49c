/* assign.h - lead assignment rules (share/crm/assignment.json): ordered
 * rules, first match wins, each routing to an owner or to a team with a
 * strategy (round-robin, least-busy, weighted) and per-member capacities.
 * The file format is in crm-lead(1), FILES. Nothing here reads the
 * database: callers load the members' state, pick, and store it back. */
#ifndef CRM_ASSIGN_H
#define CRM_ASSIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"
#include "util.h"

enum crm_assign_strategy {
	CRM_ASSIGN_ROUND_ROBIN,
	CRM_ASSIGN_LEAST_BUSY,
	CRM_ASSIGN_WEIGHTED,
};
const char *crm_assign_strategy_name(enum crm_assign_strategy s);

/* The largest weight a member may have (crm-lead(1), FILES). */
#define CRM_ASSIGN_WEIGHT_MAX 1000000

struct crm_assign_member {
	char *name;
	int64_t weight;		      /* weighted: share of leads (>= 1) */
	int64_t max_open, max_recent; /* capacities; -1: none */
	/* state, loaded by the caller and kept current by crm_assign_pick */
	int64_t open;	/* open leads owned now */
	int64_t recent; /* leads given in the last 30 days */
	int64_t seq; /* team sequence number of the last assignment, 0 never */
	int64_t credit; /* weighted: smooth round-robin credit */
	bool dirty;	/* seq or credit changed: store it back */
	bool disabled;	/* a disabled crm user: never picked */
};

struct crm_assign_team {
	char *name;
	enum crm_assign_strategy strategy;
	struct crm_assign_member *m;
	size_t n;
	int64_t seq; /* the highest member seq */
	/* "members": "@TEAM": the active users of crm-user team TEAM, read
	 * from the database by the caller (crm_assign_set_members); NULL
	 * when the file lists the members */
	char *users_of;
	int64_t max_open, max_recent; /* the team's capacities, for those */
};

/* One condition: field equals one of values (case-insensitive), or its
 * number lies within [min, max]. */
struct crm_assign_cond {
	char *field;
	struct crm_strv values;
	bool range, has_min, has_max;
	double min, max;
};

struct crm_assign_rule {
	char *name;
	struct crm_assign_cond *c;
	size_t nc;
	long team;   /* index into teams, or -1 */
	char *owner; /* a fixed owner instead of a team, or NULL */
};

struct crm_assign_rules {
	struct crm_assign_rule *rules;
	size_t nrules;
	struct crm_assign_team *teams;
	size_t nteams;
	char *default_owner; /* NULL: unmatched leads stay unassigned */
	uint64_t seed;	     /* for tie breaks */
	bool avoid_previous; /* never hand a reclaimed lead straight back */
};

/* Load and check a rules file; condition fields are checked against e's
 * fields. Returns 0, or -1 with err: CRM_EX_NOINPUT when path cannot be
 * read, CRM_EX_CONFIG naming the file and the rule or team for a bad one.
 * Release r with crm_assign_release (also after a failure). */
int crm_assign_load(const char *path, const struct crm_entity *e,
		    struct crm_assign_rules *r, struct crm_err *err);
void crm_assign_release(struct crm_assign_rules *r);

/* Whether a rule has a condition on field ("tier": the account's tier,
 * which the caller looks up, crm_tier_for_row). */
bool crm_assign_uses(const struct crm_assign_rules *r, const char *field);

/* The index of the first rule whose conditions all hold, -1 for none.
 * get returns a lead's value of a field (NULL when empty). */
long crm_assign_match(const struct crm_assign_rules *r,
		      const char *(*get)(const char *field, void *arg),
		      void *arg);

/* Choose a member of team t for a lead (lead_id seeds the tie break): the
 * strategy's choice among members under capacity, avoiding avoid (a
 * previous owner; NULL: none) unless nobody else can take it. Updates the
 * state of the chosen member (and of the same person in other teams);
 * why (may be NULL) gets an explanation. Returns the member index, or -1
 * when every member is at capacity. */
long crm_assign_pick(struct crm_assign_rules *r, struct crm_assign_team *t,
		     const char *avoid, int64_t lead_id, struct crm_buf *why);

/* Replace team t's members by names (n of them), each with the team's
 * capacities and weight 1 (a team whose members are a crm-user team). */
void crm_assign_set_members(struct crm_assign_team *t,
			    const struct crm_strv *names);

#endif
