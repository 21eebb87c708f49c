/* cli_asset.h - crm-asset's own verbs: from-deals and link. */
#ifndef CRM_CLI_ASSET_H
#define CRM_CLI_ASSET_H

#include "cli.h"

int crm_verb_asset_from_deals(struct crm_cli *cli);
int crm_verb_asset_link(struct crm_cli *cli);

#endif
