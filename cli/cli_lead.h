/* cli_lead.h - crm-lead's own verbs and options. */
#ifndef CRM_CLI_LEAD_H
#define CRM_CLI_LEAD_H

#include "cli.h"
#include "deal.h"
#include "lead.h"

/* crm-lead's option values: the generic verbs' first (their parser takes
 * cli->opts as a struct crm_entity_opts). */
struct crm_lead_opts {
	struct crm_entity_opts base;
	bool explain, reassign, seed_set;
	const char *rules, *reason, *idle, *warn;
	struct crm_deal_new deal; /* convert: the deal to open, if any */
	bool open_deal;
	int64_t seed;
};

extern const struct argp_option crm_lead_assign_options[];
extern const struct argp_option crm_lead_reclaim_options[];
extern const struct argp_option crm_lead_status_options[];
extern const struct argp_option crm_lead_convert_options[];
error_t crm_lead_opts_parse(int key, char *arg, struct argp_state *state);

/* add and import, checking for duplicates as crm_lead_dupcheck says
 * (add: exact matches, flagged; import: see crm_import_dedupe) */
int crm_verb_lead_add(struct crm_cli *cli);
int crm_verb_lead_import(struct crm_cli *cli);
int crm_verb_lead_assign(struct crm_cli *cli);
int crm_verb_lead_reclaim(struct crm_cli *cli);
int crm_verb_lead_qualify(struct crm_cli *cli);
int crm_verb_lead_disqualify(struct crm_cli *cli);
int crm_verb_lead_convert(struct crm_cli *cli);
int crm_verb_lead_history(struct crm_cli *cli);

#endif
