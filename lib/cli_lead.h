/* cli_lead.h - crm-lead's own verbs and options. */
#ifndef CRM_CLI_LEAD_H
#define CRM_CLI_LEAD_H

#include "cli.h"
#include "lead.h"

/* crm-lead's option values: the generic verbs' first (their parser takes
 * cli->opts as a struct crm_entity_opts). */
struct crm_lead_opts {
	struct crm_entity_opts base;
	struct crm_lead_hook_ctx dup;
	bool dup_set, explain, reassign, seed_set;
	const char *rules, *reason, *idle, *warn;
	int64_t seed;
};

/* Set up o (hook context, duplicate reports) and the option tables that
 * extend the generic ones; call once from main(). */
void crm_lead_cli_init(struct crm_lead_opts *o);

extern struct argp_option crm_lead_import_options[];
extern const struct argp_option crm_lead_assign_options[];
extern const struct argp_option crm_lead_reclaim_options[];
extern const struct argp_option crm_lead_status_options[];
error_t crm_lead_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_lead_add(struct crm_cli *cli);
int crm_verb_lead_import(struct crm_cli *cli);
int crm_verb_lead_assign(struct crm_cli *cli);
int crm_verb_lead_reclaim(struct crm_cli *cli);
int crm_verb_lead_qualify(struct crm_cli *cli);
int crm_verb_lead_disqualify(struct crm_cli *cli);
int crm_verb_lead_convert(struct crm_cli *cli);
int crm_verb_lead_history(struct crm_cli *cli);

#endif
