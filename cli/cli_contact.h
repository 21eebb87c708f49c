/* cli_contact.h - crm-contact's own verbs. */
#ifndef CRM_CLI_CONTACT_H
#define CRM_CLI_CONTACT_H

#include "cli.h"

/* tree COMPANY...: the org chart of the people at each company. */
int crm_verb_contact_tree(struct crm_cli *cli);

#endif
