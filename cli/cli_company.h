/* cli_company.h - crm-company's own verbs. */
#ifndef CRM_CLI_COMPANY_H
#define CRM_CLI_COMPANY_H

#include "cli.h"

/* tree [ID...]: the hierarchy with roll-ups. */
int crm_verb_company_tree(struct crm_cli *cli);

#endif
