/* sla.h - SLA policies (share/crm/sla.json): business calendars, the
 * statuses that pause the clock, support teams, and policies chosen by
 * conditions, with their targets and escalation levels. */
#ifndef CRM_SLA_H
#define CRM_SLA_H

#include <stdbool.h>
#include <stdint.h>

#include "bizcal.h"
#include "util.h"

enum crm_sla_kind {
	CRM_SLA_FIRST_REPLY,
	CRM_SLA_NEXT_REPLY,
	CRM_SLA_RESOLUTION,
	CRM_SLA_NKINDS,
};
/* "first_reply", "next_reply", "resolution". */
extern const char
    *const crm_sla_kind_names[CRM_SLA_NKINDS + 1]; /* NULL-terminated */

struct crm_sla_target {
	int64_t secs; /* < 0: no target */
	int cal;      /* calendar index; -1: calendar time */
};

enum crm_sla_action { CRM_ESC_NOTIFY, CRM_ESC_RAISE, CRM_ESC_REASSIGN };
extern const char *const crm_sla_action_names[]; /* "notify" ... */

struct crm_sla_escalation {
	char *name;    /* unique in its policy: "level 1" when not given */
	int kind;      /* an enum crm_sla_kind, or -1 for any target */
	int64_t after; /* seconds after the due time */
	enum crm_sla_action action;
	char *to;   /* notify: a person or "lead"; reassign: an agent */
	char *team; /* reassign: a team (its next agent) */
};

struct crm_sla_policy {
	char *name;
	/* conditions, each a list of alternatives; empty: any */
	struct crm_strv priority, channel, company, tag;
	struct crm_strv tier; /* the account's tier (crm-company tier) */
	struct crm_sla_target target[CRM_SLA_NKINDS];
	struct crm_sla_escalation *esc;
	size_t nesc;
};

enum crm_team_strategy { CRM_TEAM_ROUND_ROBIN, CRM_TEAM_FEWEST_OPEN };

struct crm_sla_team {
	char *name, *lead;
	struct crm_strv agents;
	enum crm_team_strategy strategy;
	int64_t cap; /* open tickets (clock running) per agent; 0: no cap */
};

struct crm_sla {
	char *path;
	struct crm_bizcal *cal;
	struct crm_strv cal_names;
	struct crm_strv pause; /* statuses that stop the clock */
	struct crm_sla_policy *pol;
	size_t npol;
	struct crm_sla_team *team;
	size_t nteam;
	/* whether any policy has a tier, a company condition (at load) */
	bool uses_tier, uses_company;
};

/* Load and check the policy file at path into s (zeroed first). A bad
 * file is CRM_EX_CONFIG with err->file the path and the message naming
 * the rule ("policies[2] 'vip': targets: first_reply: bad duration
 * '4x'"). Release s with crm_sla_release (also after an error). */
int crm_sla_load(const char *path, struct crm_sla *s, struct crm_err *err);
void crm_sla_release(struct crm_sla *s);

/* The first policy whose conditions hold (NULL: none). company_key is
 * the company's crm_norm_company form (NULL: none); company_id its id as
 * text (NULL: none); tags the ticket's comma-separated tags. */
const struct crm_sla_policy *
crm_sla_match(const struct crm_sla *s, const char *priority,
	      const char *channel, const char *company_id,
	      const char *company_key, const char *tags);
/* crm_sla_match with the tier of the ticket's account (NULL: none) for
 * policies with a tier condition. */
const struct crm_sla_policy *
crm_sla_match_tier(const struct crm_sla *s, const char *priority,
		   const char *channel, const char *company_id,
		   const char *company_key, const char *tags, const char *tier);
/* Whether any policy has a tier condition. */
bool crm_sla_uses_tier(const struct crm_sla *s);
/* Whether any policy has a company condition. */
bool crm_sla_uses_company(const struct crm_sla *s);
const struct crm_sla_policy *crm_sla_policy(const struct crm_sla *s,
					    const char *name);
const struct crm_sla_team *crm_sla_team(const struct crm_sla *s,
					const char *name);
/* Whether status stops the clock. */
bool crm_sla_pauses(const struct crm_sla *s, const char *status);
/* When target t of a clock started at start runs out, skipping pauses:
 * CRM_BIZ_NEVER when a pause still running stops it first, or when t
 * has no target. */
crm_time crm_sla_due(const struct crm_sla *s, const struct crm_sla_target *t,
		     crm_time start, const struct crm_span *pauses,
		     size_t npauses);

#endif
