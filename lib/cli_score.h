/* cli_score.h - the verbs of crm-score (part of the shared front end, as
 * cli_entity.c is): they parse what crm-score's options gave, call logit
 * and scoring, and write records. */
#ifndef CRM_CLI_SCORE_H
#define CRM_CLI_SCORE_H

#include "cli.h"
#include "logit.h"

/* Option values of every crm-score verb; the command passes one as opts. */
struct crm_score_opts {
	struct crm_logit_opts logit; /* train */
	const char *model;	     /* --model */
	const char *rules;	     /* --rules */
	bool force, explain;
	long top; /* --top: factors or reasons shown with --explain */
};
void crm_score_opts_init(struct crm_score_opts *o);
void crm_score_opts_release(struct crm_score_opts *o);
error_t crm_score_opts_parse(int key, char *arg, struct argp_state *state);

extern const struct argp_option crm_score_train_options[];
extern const struct argp_option crm_score_predict_options[];
extern const struct argp_option crm_score_explain_options[];
extern const struct argp_option crm_score_leads_options[];

/* The verbs: each returns the exit status. */
int crm_score_train(struct crm_cli *cli);
int crm_score_predict(struct crm_cli *cli);
int crm_score_explain(struct crm_cli *cli);
int crm_score_leads(struct crm_cli *cli);

#endif
