/* crm-contact - people: add, import, list, show, update, delete, export,
 * tag, undo (the shared entity engine's), and tree (the org chart). */
#include "cli.h"
#include "cli_contact.h"
#include "cli_dedupe.h"
#include "cli_view.h"
#include "contact.h"

static const struct crm_verb verbs[] = {
	{CRM_VERB_ADD("contact")},
	{"import", "[FILE...]",
	 "Insert or update contacts from CSV, TSV, JSON or NDJSON (stdin "
	 "without FILE)",
	 crm_import_dedupe_options, crm_import_dedupe_parse,
	 crm_verb_import_dedupe, CRM_VERB_WRITE | CRM_VERB_IMPORT},
	{CRM_VERB_LIST("contacts")},
	{"show", "ID|EXTERNAL_ID|EMAIL|PHONE|NAME",
	 "Show one contact: its company, recent activities and open tasks",
	 NULL, NULL, crm_verb_view, 0},
	{CRM_VERB_UPDATE("contacts")},
	{CRM_VERB_DELETE("contacts", crm_entity_opts_parse)},
	{CRM_VERB_EXPORT("contact")},
	{CRM_VERB_TAG},
	{CRM_VERB_HISTORY("contact")},
	{"tree", "COMPANY...",
	 "The org chart of the people at a company (who reports to whom)",
	 NULL, NULL, crm_verb_contact_tree, 0},
	{CRM_VERB_UNDO(
	    "Revert a change (an update, tag or delete; an undo redoes)")},
};

static const struct crm_command command = {
	"crm-contact", "People: the contacts of a CRM.", verbs,
	sizeof(verbs) / sizeof(verbs[0]), &crm_contact_entity,
};

int main(int argc, char **argv)
{
	return crm_entity_cli_main(&command, argc, argv);
}
