/* crm-asset - the installed base: the products customers own (serial,
 * product, purchase date, warranty end, contract, location): add, import,
 * list, show, update, delete, export, tag, undo; from-deals (one asset per
 * won deal) and link (a ticket names its asset). */
#include "asset.h"
#include "cli.h"
#include "cli_asset.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("asset")},
    {"import", "[FILE...]",
     "Insert or update assets from CSV, TSV, JSON or NDJSON (stdin without "
     "FILE); contact and company by email, name or id",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("assets")},
    {"show", "ID|SERIAL|EXTERNAL_ID", "Show one asset", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("assets")},
    {CRM_VERB_DELETE("assets", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("asset")},
    {CRM_VERB_TAG},
    {"from-deals", NULL,
     "Make one asset of each won deal that has none (product: the deal's "
     "name)",
     NULL, NULL, crm_verb_asset_from_deals, CRM_VERB_WRITE},
    {"link", "ASSET TICKET",
     "Name ASSET (id, serial or external id) as "
     "TICKET's asset",
     NULL, NULL, crm_verb_asset_link, CRM_VERB_WRITE},
    {CRM_VERB_UNDO("Revert a change (an update, tag or delete)")},
};

static const struct crm_command command = {
    "crm-asset",
    "The installed base: products customers own, with serials and "
    "warranties.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_asset_entity,
};

int main(int argc, char **argv)
{
	return crm_entity_cli_main(&command, argc, argv);
}
