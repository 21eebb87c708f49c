/* cli_view.h - show as the 360-degree view (crm-contact, crm-company). */
#ifndef CRM_CLI_VIEW_H
#define CRM_CLI_VIEW_H

#include "cli.h"

/* show ID: the card on a terminal, the nested JSON object with -f json or
 * ndjson; the plain record with csv, tsv, --fields or --ids. */
int crm_verb_view(struct crm_cli *cli);

#endif
