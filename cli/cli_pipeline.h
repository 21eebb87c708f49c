/* cli_pipeline.h - crm-pipeline's own verbs: move, won, lost, board,
 * forecast, stale, history; and the generic write verbs with the pipelines
 * file read first (a bad file is exit 78 before any input is read). */
#ifndef CRM_CLI_PIPELINE_H
#define CRM_CLI_PIPELINE_H

#include "cli.h"

/* The options of crm-pipeline's verbs; e comes first, since the generic
 * verbs take cli->opts as a struct crm_entity_opts. */
struct crm_pipeline_opts {
	struct crm_entity_opts e;
	const char *amount, *probability, *close_date, *reason;
	const char *pipeline, *rates;
	int64_t idle; /* seconds */
	int period;   /* enum crm_period */
	bool by_owner, reopen, create_tasks;
	bool model; /* forecast --method model */
};

extern const struct argp_option crm_pipeline_move_options[];
extern const struct argp_option crm_pipeline_close_options[];
extern const struct argp_option crm_pipeline_board_options[];
extern const struct argp_option crm_pipeline_forecast_options[];
extern const struct argp_option crm_pipeline_stale_options[];
error_t crm_pipeline_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_deal_add(struct crm_cli *cli);
int crm_verb_deal_import(struct crm_cli *cli);
int crm_verb_deal_update(struct crm_cli *cli);
/* move STAGE DEAL...: to STAGE, with --amount, --probability,
 * --close-date; --reopen to leave a closed stage. */
int crm_verb_deal_move(struct crm_cli *cli);
/* won DEAL... [--reason R]; lost DEAL... --reason R. */
int crm_verb_deal_won(struct crm_cli *cli);
int crm_verb_deal_lost(struct crm_cli *cli);
/* board: a kanban on a table, records otherwise. */
int crm_verb_deal_board(struct crm_cli *cli);
/* forecast --period month|quarter [--by owner] [--rates FILE]. */
int crm_verb_deal_forecast(struct crm_cli *cli);
/* stale [--idle N] [--create-tasks]: exit 1 when any. */
int crm_verb_deal_stale(struct crm_cli *cli);
/* history [DEAL...]: the deal_history rows. */
int crm_verb_deal_history(struct crm_cli *cli);

#endif
