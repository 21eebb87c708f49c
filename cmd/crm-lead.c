/* crm-lead - leads: add, import (with duplicate control), list, show,
 * update, delete, export, undo, and assign, reclaim, qualify, disqualify,
 * convert, history. */
#include "cli.h"
#include "cli_dedupe.h"
#include "cli_lead.h"
#include "cli_social.h"
#include "lead.h"

static const struct crm_verb verbs[] = {
    {"add", NULL,
     "Add one lead from options (flagged when its email or phone is a "
     "lead's or contact's)",
     crm_add_options, crm_entity_opts_parse, crm_verb_lead_add, CRM_VERB_WRITE},
    {"import", "[FILE...]",
     "Insert or update leads from CSV, TSV, JSON or NDJSON, checking each "
     "against the leads and contacts there by email and phone (and "
     "--on-duplicate: by the dedupe model)",
     crm_import_dedupe_options, crm_import_dedupe_parse, crm_verb_lead_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("leads")},
    {"show", "ID|EXTERNAL_ID|EMAIL|PHONE|NAME", "Show one lead", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("leads")},
    {CRM_VERB_DELETE("leads", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("lead")},
    {"assign", "[ID...]",
     "Give unassigned leads (or the selected ones) owners by the "
     "assignment rules",
     crm_lead_assign_options, crm_lead_opts_parse, crm_verb_lead_assign,
     CRM_VERB_WRITE},
    {"reclaim", NULL,
     "Return leads idle in their owner's hands to the pool; --warn lists "
     "those soon due (exit 1)",
     crm_lead_reclaim_options, crm_lead_opts_parse, crm_verb_lead_reclaim,
     CRM_VERB_WRITE},
    {"qualify", "[ID...]", "Mark leads qualified", crm_lead_status_options,
     crm_lead_opts_parse, crm_verb_lead_qualify, CRM_VERB_WRITE},
    {"disqualify", "[ID...]", "Mark leads unqualified, with a --reason",
     crm_lead_status_options, crm_lead_opts_parse, crm_verb_lead_disqualify,
     CRM_VERB_WRITE},
    {"convert", "[ID...]",
     "Turn leads into a contact and a company (new or matched), and with "
     "--deal-name or --amount a deal, in one transaction",
     crm_lead_convert_options, crm_lead_opts_parse, crm_verb_lead_convert,
     CRM_VERB_WRITE},
    {"capture", "FILE|DIR...",
     "Web form submissions (JSON or urlencoded body files, or folders of "
     "them) to leads through the duplicate check, with their UTM "
     "parameters, as members of the campaign utm_campaign names",
     crm_lead_capture_options, crm_lead_capture_parse, crm_verb_lead_capture,
     CRM_VERB_WRITE},
    {"history", "[ID...]",
     "Status and owner changes of the given leads (or all), oldest first", NULL,
     NULL, crm_verb_lead_history, 0},
    {CRM_VERB_UNDO(
	"Revert a change (an update, delete, assign, reclaim, qualify, "
	"disqualify or convert)")},
};

static const struct crm_command command = {
    "crm-lead",
    "Leads: capture, assignment, the lead pool, qualification and "
    "conversion.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_lead_entity,
};

int main(int argc, char **argv)
{
	struct crm_lead_opts opts = {0};
	int status;

	status = crm_cli_main(&command, &opts, argc, argv);
	crm_entity_opts_release(&opts.base);
	return status;
}
