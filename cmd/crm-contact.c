/* crm-contact - people: add, import, list, show, update, delete, export,
 * tag, undo. Every verb is the shared entity engine's. */
#include "cli.h"
#include "cli_dedupe.h"
#include "cli_view.h"
#include "contact.h"

static const struct crm_verb verbs[] = {
	{"add", NULL, "Add one contact from options", crm_add_options,
	 crm_entity_opts_parse, crm_verb_add, CRM_VERB_WRITE},
	{"import", "[FILE...]",
	 "Insert or update contacts from CSV, TSV, JSON or NDJSON (stdin "
	 "without FILE)",
	 crm_import_dedupe_options, crm_import_dedupe_parse,
	 crm_verb_import_dedupe, CRM_VERB_WRITE | CRM_VERB_IMPORT},
	{"list", "[ID...]", "List contacts (brief columns on a terminal)", NULL,
	 NULL, crm_verb_list, 0},
	{"show", "ID|EXTERNAL_ID|EMAIL|PHONE|NAME",
	 "Show one contact: its company, recent activities and open tasks",
	 NULL, NULL, crm_verb_view, 0},
	{"update", "[ID...]",
	 "Change fields of the given contacts, or of those --where selects",
	 crm_update_options, crm_entity_opts_parse, crm_verb_update,
	 CRM_VERB_WRITE},
	{"delete", "[ID...]",
	 "Delete contacts (kept in the change log: undo restores them)",
	 crm_delete_options, crm_entity_opts_parse, crm_verb_delete,
	 CRM_VERB_WRITE},
	{"export", NULL,
	 "Write every contact with every field, in a form import takes back",
	 NULL, NULL, crm_verb_export, 0},
	{"tag", "add|rm TAG[,TAG...] [ID...]", "Add or remove tags", NULL, NULL,
	 crm_verb_tag, CRM_VERB_WRITE},
	{"undo", "CHANGE",
	 "Revert a change (an update, tag or delete; an undo redoes)",
	 crm_undo_options, crm_entity_opts_parse, crm_verb_undo,
	 CRM_VERB_WRITE},
};

static const struct crm_command command = {
	"crm-contact", "People: the contacts of a CRM.", verbs,
	sizeof(verbs) / sizeof(verbs[0]), &crm_contact_entity,
};

int main(int argc, char **argv)
{
	struct crm_entity_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts);
	return status;
}
