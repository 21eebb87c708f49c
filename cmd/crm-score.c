/* crm-score - scoring: a logistic regression trained on any records
 * (train, predict, explain) and rule-based lead scores (leads). The verbs
 * live in lib/cli_score.c. */
#include "cli.h"
#include "cli_score.h"

static const struct crm_verb verbs[] = {
    {"train", "[FILE]",
     "Fit a logistic regression to records (stdin without FILE) and "
     "write the model file",
     crm_score_train_options, crm_score_opts_parse, crm_score_train,
     CRM_VERB_NODB},
    {"predict", "[FILE]",
     "Append probability (0-1) and score (0-100) to each record, from a "
     "model",
     crm_score_predict_options, crm_score_opts_parse, crm_score_predict,
     CRM_VERB_NODB},
    {"explain", NULL, "List a model's terms and coefficients",
     crm_score_explain_options, crm_score_opts_parse, crm_score_explain,
     CRM_VERB_NODB},
    {"leads", "[FILE]",
     "Score records against the fit rules (--stdin), appending score "
     "and grade",
     crm_score_leads_options, crm_score_opts_parse, crm_score_leads,
     CRM_VERB_NODB},
};

static const struct crm_command command = {
    "crm-score", "Scoring: rules, and a model trained on history.",
    verbs,	 sizeof(verbs) / sizeof(verbs[0]),
    NULL,
};

int main(int argc, char **argv)
{
	struct crm_score_opts opts;
	int status;

	crm_score_opts_init(&opts);
	status = crm_cli_main(&command, &opts, argc, argv);
	crm_score_opts_release(&opts);
	return status;
}
