/* crm-social - social identities of contacts and leads (platform and
 * handle): add, import, list, show, update, delete, export, undo;
 * interactions (social exports imported as activities, unknown
 * identities becoming leads) and region (where a phone number is). */
#include "cli.h"
#include "cli_social.h"
#include "social.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("identity (--set platform=P --set handle=H --set "
		  "contact=C or lead=L)")},
    {"import", "[FILE...]",
     "Insert or update identities from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE); contact or lead by id, email or external id",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("identities")},
    {"show", "ID|PLATFORM:HANDLE|EXTERNAL_ID", "Show one identity", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("identities")},
    {CRM_VERB_DELETE("identities", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("identity")},
    {"interactions", "[FILE...]",
     "Import social interactions (messages, comments, follows: CSV, JSON "
     "or NDJSON exports) as activities of the people their identities "
     "belong to; unknown identities become leads, or identities of the "
     "lead or contact the duplicate check finds",
     crm_social_interactions_options, crm_social_opts_parse,
     crm_verb_social_interactions, CRM_VERB_WRITE | CRM_VERB_READS},
    {"region", "[PHONE...]",
     "Where phone numbers are: country, region or city (a Chinese mobile "
     "number's province and city), line type; numbers as arguments or "
     "one a line with --stdin",
     crm_social_region_options, crm_social_opts_parse, crm_verb_social_region,
     CRM_VERB_NODB},
    {CRM_VERB_UNDO("Revert a change (an update or delete; an undo "
		   "redoes)")},
};

static const struct crm_command command = {
    "crm-social",
    "Social identities of contacts and leads, social interactions, phone "
    "regions.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_social_entity,
};

int main(int argc, char **argv)
{
	struct crm_social_cli_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	return status;
}
