/* crm-pipeline - deals through the stages of a pipeline: add, import,
 * list, show, update, delete, export, undo (the entity engine's), move,
 * won, lost, board, forecast, stale, history, role, powermap. */
#include "cli.h"
#include "cli_pipeline.h"
#include "cli_role.h"
#include "deal.h"

static const struct crm_verb verbs[] = {
    {"add", NULL, "Add one deal from options", crm_add_options,
     crm_pipeline_opts_parse, crm_verb_deal_add, CRM_VERB_WRITE},
    {"import", "[FILE...]",
     "Insert or update deals from CSV, TSV, JSON or NDJSON (stdin without "
     "FILE)",
     crm_import_options, crm_pipeline_opts_parse, crm_verb_deal_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("deals")},
    {"show", "ID|EXTERNAL_ID|NAME", "Show one deal", NULL, NULL, crm_verb_show,
     0},
    {"update", "[ID...]",
     "Change fields of the given deals, or of those --where selects",
     crm_update_options, crm_pipeline_opts_parse, crm_verb_deal_update,
     CRM_VERB_WRITE},
    {CRM_VERB_DELETE("deals", crm_pipeline_opts_parse)},
    {CRM_VERB_EXPORT("deal")},
    {CRM_VERB_TAG},
    {CRM_VERB_UNDO("Revert a change (an update, move, tag or delete)")},
    {"move", "STAGE [DEAL...]",
     "Move deals to STAGE (recorded in their history)",
     crm_pipeline_move_options, crm_pipeline_opts_parse, crm_verb_deal_move,
     CRM_VERB_WRITE},
    {"won", "[DEAL...]", "Close deals as won", crm_pipeline_close_options,
     crm_pipeline_opts_parse, crm_verb_deal_won, CRM_VERB_WRITE},
    {"lost", "[DEAL...]", "Close deals as lost (--reason is required)",
     crm_pipeline_close_options, crm_pipeline_opts_parse, crm_verb_deal_lost,
     CRM_VERB_WRITE},
    {"board", NULL,
     "Open deals per stage: a kanban on a terminal, records otherwise",
     crm_pipeline_board_options, crm_pipeline_opts_parse, crm_verb_deal_board,
     0},
    {"forecast", NULL,
     "Open, weighted, per-category and won amounts per period and currency",
     crm_pipeline_forecast_options, crm_pipeline_opts_parse,
     crm_verb_deal_forecast, 0},
    {"stale", NULL,
     "Open deals without activity for too long; exit 1 when there are any",
     crm_pipeline_stale_options, crm_pipeline_opts_parse, crm_verb_deal_stale,
     0},
    {"history", "[DEAL...]",
     "Every recorded change of stage, amount, probability and close date", NULL,
     NULL, crm_verb_deal_history, 0},
    {"role", "add|list|rm DEAL [CONTACT]",
     "The roles of contacts on a deal (decision maker, economic buyer, "
     "champion ...) with attitude and influence",
     crm_role_options, crm_role_opts_parse, crm_verb_deal_role, CRM_VERB_WRITE},
    {"powermap", "DEAL...",
     "Who decides: the deal's people by reporting line, with the gaps "
     "(--check: exit 1 when there is one)",
     crm_powermap_options, crm_role_opts_parse, crm_verb_deal_powermap, 0},
};

static const struct crm_command command = {
    "crm-pipeline",
    "Deals: the sales pipeline of a CRM.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_deal_entity,
};

int main(int argc, char **argv)
{
	struct crm_pipeline_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	return status;
}
