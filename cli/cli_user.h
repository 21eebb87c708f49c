/* cli_user.h - crm-user's verbs: add (a user and, on PostgreSQL, their
 * login role), disable and enable, grant, team add/rm/list, claim-owners;
 * list, show and export are the entity engine's. */
#ifndef CRM_CLI_USER_H
#define CRM_CLI_USER_H

#include "cli.h"

/* The options of crm-user's verbs; the generic verbs see the first
 * member. */
struct crm_user_opts {
	struct crm_entity_opts e;
	const char *parent;
	const char *field, *value; /* territory add/rm */
	const char *policy;	   /* setup-rls */
};

extern const struct argp_option crm_user_team_options[];
extern const struct argp_option crm_user_territory_options[];
extern const struct argp_option crm_user_rls_options[];
error_t crm_user_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_user_add(struct crm_cli *cli);
int crm_verb_user_disable(struct crm_cli *cli);
int crm_verb_user_enable(struct crm_cli *cli);
int crm_verb_user_grant(struct crm_cli *cli);
int crm_verb_user_team(struct crm_cli *cli);
int crm_verb_user_claim_owners(struct crm_cli *cli);
int crm_verb_user_setup_rls(struct crm_cli *cli);
int crm_verb_user_territory(struct crm_cli *cli);

#endif
