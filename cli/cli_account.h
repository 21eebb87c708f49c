/* cli_account.h - crm-company tier and plan: customer tiers and account
 * plans on key accounts. */
#ifndef CRM_CLI_ACCOUNT_H
#define CRM_CLI_ACCOUNT_H

#include "cli.h"

extern const struct argp_option crm_tier_options[];
extern const struct argp_option crm_plan_options[];
error_t crm_account_opts_parse(int key, char *arg, struct argp_state *state);

/* tier [COMPANY...]: compute and store the tiers (--dry-run, --explain). */
int crm_verb_company_tier(struct crm_cli *cli);
/* plan COMPANY [set|goal|strategy|action|review ...]: the account plan,
 * edited, or shown against actuals. */
int crm_verb_company_plan(struct crm_cli *cli);

#endif
