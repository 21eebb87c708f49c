/* crm-campaign - marketing campaigns: add, import, list, show, update,
 * delete, export, tag, undo, tree (the hierarchy with roll-ups) and
 * members (contacts or leads with a member status and its history). */
#include "campaign.h"
#include "cli.h"
#include "cli_campaign.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("campaign")},
    {"import", "[FILE...]",
     "Insert or update campaigns from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE)",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("campaigns")},
    {"show", "ID|NAME|EXTERNAL_ID", "Show one campaign", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("campaigns")},
    {CRM_VERB_DELETE("campaigns", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("campaign")},
    {CRM_VERB_TAG},
    {"tree", "[ID|NAME...]",
     "The hierarchy of every campaign, or of the given ones, with "
     "roll-ups of members, responses, budget and cost",
     NULL, NULL, crm_verb_campaign_tree, 0},
    {"members", "add|status|list|history CAMPAIGN [ID...]",
     "Add members (contacts, or leads with --lead; ids, --where or "
     "--stdin), set their status, list them or their status history",
     crm_campaign_members_options, crm_campaign_opts_parse,
     crm_verb_campaign_members, CRM_VERB_WRITE},
    {"segment", "list | show NAME | diff NAME",
     "Segments (files): list them, show who is in one now, or diff: who "
     "entered and left since the last diff (entering raises the flow "
     "event segment.entered)",
     crm_campaign_segment_options, crm_campaign_opts_parse,
     crm_verb_campaign_segment, CRM_VERB_WRITE},
    {"touches", "[ID...]",
     "The first- and last-touch campaigns of leads (or deals with --deal: "
     "their lead's, else their contact's), by ids, --where or --stdin",
     crm_campaign_touches_options, crm_campaign_opts_parse,
     crm_verb_campaign_touches, 0},
    {"events", "[FILE...]",
     "Apply an email provider's events (delivered, opened, clicked, "
     "bounced, complained, unsubscribed; CSV, NDJSON, a JSON array or a "
     "saved webhook payload) to campaign members, by token or Message-ID; "
     "importing them again changes nothing",
     NULL, NULL, crm_verb_campaign_events, CRM_VERB_WRITE},
    {"enroll", "CAMPAIGN [ID...]",
     "Enroll contacts (leads with --lead) as members: members add",
     crm_campaign_members_options, crm_campaign_opts_parse,
     crm_verb_campaign_enroll, CRM_VERB_WRITE},
    {"run", "",
     "Hand the campaign messages due to $CRM_SENDMAIL: consent checked "
     "again, quiet hours (postponed), the send rate (the rest waits); "
     "--dry-run --maildir DIR or --mbox FILE writes them there instead",
     crm_campaign_run_options, crm_campaign_run_parse, crm_verb_campaign_run,
     CRM_VERB_WRITE},
    {"roi", "",
     "Per campaign (or rolled up the hierarchy with --rollup): members, "
     "responses, leads, converted leads, deals, won deals, won and "
     "attributed amounts per currency, cost per lead and per won deal, ROI; "
     "--by source: won revenue attributed to sources",
     crm_campaign_roi_options, crm_campaign_roi_parse, crm_verb_campaign_roi,
     0},
    {CRM_VERB_UNDO("Revert a change (an update, tag or delete; an undo "
		   "redoes)")},
};

static const struct crm_command command = {
    "crm-campaign",
    "Marketing campaigns: hierarchy, members, email, events and ROI.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_campaign_entity,
};

int main(int argc, char **argv)
{
	struct crm_campaign_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	return status;
}
