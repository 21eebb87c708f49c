/* cli_role.h - contact roles and power maps, on crm-pipeline (deals) and
 * crm-company (accounts). */
#ifndef CRM_CLI_ROLE_H
#define CRM_CLI_ROLE_H

#include "cli.h"

extern const struct argp_option crm_role_options[];
extern const struct argp_option crm_powermap_options[];
extern const struct argp_option crm_coverage_options[];
error_t crm_role_opts_parse(int key, char *arg, struct argp_state *state);

/* role add|list|rm SCOPE [CONTACT]: roles on a deal or on a company. */
int crm_verb_deal_role(struct crm_cli *cli);
int crm_verb_company_role(struct crm_cli *cli);
/* powermap SCOPE...: the power map with its gaps (--check: exit 1). */
int crm_verb_deal_powermap(struct crm_cli *cli);
int crm_verb_company_powermap(struct crm_cli *cli);

/* coverage GROUP...: per company of the group, deals, revenue, contacts,
 * last activity, owner; white space flagged (--check: exit 1). */
int crm_verb_company_coverage(struct crm_cli *cli);

#endif
