/* crm-company - accounts: add, import, list, show (the 360-degree view),
 * update, delete, export, tag, undo, and tree (the group hierarchy). */
#include "cli.h"
#include "cli_company.h"
#include "cli_view.h"
#include "company.h"

static const struct crm_verb verbs[] = {
    {"add", NULL, "Add one company from options", crm_add_options,
     crm_entity_opts_parse, crm_verb_add, CRM_VERB_WRITE},
    {"import", "[FILE...]",
     "Insert or update companies from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE)",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {"list", "[ID...]", "List companies (brief columns on a terminal)", NULL,
     NULL, crm_verb_list, 0},
    {"show", "ID|NAME|DOMAIN|EXTERNAL_ID",
     "Show one company: its parent, subsidiaries, contacts, activities "
     "and open tasks",
     NULL, NULL, crm_verb_view, 0},
    {"update", "[ID...]",
     "Change fields of the given companies, or of those --where selects",
     crm_update_options, crm_entity_opts_parse, crm_verb_update,
     CRM_VERB_WRITE},
    {"delete", "[ID...]",
     "Delete companies (kept in the change log: undo restores them)",
     crm_delete_options, crm_entity_opts_parse, crm_verb_delete,
     CRM_VERB_WRITE},
    {"export", NULL,
     "Write every company with every field, in a form import takes back", NULL,
     NULL, crm_verb_export, 0},
    {"tag", "add|rm TAG[,TAG...] [ID...]", "Add or remove tags", NULL, NULL,
     crm_verb_tag, CRM_VERB_WRITE},
    {"tree", "[ID|NAME...]",
     "The hierarchy of every group, or of the groups of the given "
     "companies, with roll-ups",
     NULL, NULL, crm_verb_company_tree, 0},
    {"undo", "CHANGE",
     "Revert a change (an update, tag or delete; an undo redoes)",
     crm_undo_options, crm_entity_opts_parse, crm_verb_undo, CRM_VERB_WRITE},
};

static const struct crm_command command = {
    "crm-company",
    "Accounts: the companies of a CRM and their groups.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_company_entity,
};

int main(int argc, char **argv)
{
	struct crm_entity_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts);
	return status;
}
