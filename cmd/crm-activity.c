/* crm-activity - interactions and tasks: log, import, list, show,
 * timeline, due, done, update, delete, export, undo. */
#include "activity.h"
#include "cli.h"
#include "cli_activity.h"

static const struct crm_verb verbs[] = {
    {"log", NULL, "Log one activity or task from options",
     crm_activity_log_options, crm_activity_log_parse, crm_verb_add,
     CRM_VERB_WRITE},
    {"import", "[FILE...]",
     "Insert or update activities from CSV, TSV, JSON or NDJSON event "
     "streams, linked to contacts by id, email or external id",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {"list", "[ID...]", "List activities", NULL, NULL, crm_verb_list, 0},
    {"show", "ID|EXTERNAL_ID", "Show one activity", NULL, NULL, crm_verb_show,
     0},
    {"timeline", "[contact|company|lead|deal|ticket] KEY",
     "The history of one record, newest first", NULL, NULL,
     crm_verb_activity_timeline, 0},
    {"due", NULL, "Open tasks past due, by owner; exit 1 when there are any",
     NULL, NULL, crm_verb_activity_due, 0},
    {"done", "[ID...]", "Mark tasks done", crm_activity_done_options,
     crm_activity_log_parse, crm_verb_activity_done, CRM_VERB_WRITE},
    {CRM_VERB_UPDATE("activities")},
    {CRM_VERB_DELETE("activities", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("activity")},
    {CRM_VERB_UNDO("Revert a change (an update, done or delete)")},
    {CRM_VERB_HISTORY("activity")},
};

static const struct crm_command command = {
    "crm-activity",
    "Interactions and tasks: the history of a CRM.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_activity_entity,
};

int main(int argc, char **argv)
{
	return crm_entity_cli_main(&command, argc, argv);
}
