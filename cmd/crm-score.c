/* crm-score - scoring: a logistic regression trained on any records or
 * the leads (train, predict, explain), rule-based lead scores (leads),
 * RFM segments (rfm) and churn risk (churn). The verbs live in
 * cli/cli_score.c and cli/cli_score_db.c. */
#include "cli.h"
#include "cli_score.h"

static const struct crm_verb verbs[] = {
    {"train", "[FILE]",
     "Fit a logistic regression to records (FILE or --stdin), or to the "
     "converted and unqualified leads, and write the model file",
     crm_score_train_options, crm_score_opts_parse, crm_score_train,
     CRM_VERB_NODB | CRM_VERB_READS},
    {"predict", "[FILE]",
     "Append probability (0-1) and score (0-100) to each record (FILE or "
     "--stdin), or store them on the leads, from a model",
     crm_score_predict_options, crm_score_opts_parse, crm_score_predict,
     CRM_VERB_NODB | CRM_VERB_READS},
    {"explain", NULL, "List a model's terms and coefficients",
     crm_score_explain_options, crm_score_opts_parse, crm_score_explain,
     CRM_VERB_NODB},
    {"leads", "[ID...]",
     "Score the leads (fit and engagement), store score, grade and trend; "
     "with --stdin, score records read from stdin",
     crm_score_leads_options, crm_score_opts_parse, crm_score_leads,
     CRM_VERB_NODB | CRM_VERB_READS},
    {"rfm", NULL,
     "Recency, frequency and monetary scores and segments of customers "
     "from won deals",
     crm_score_rfm_options, crm_score_opts_parse, crm_score_rfm,
     CRM_VERB_WRITE},
    {"churn", NULL, "Churn risk of customers from their activities and tickets",
     crm_score_churn_options, crm_score_opts_parse, crm_score_churn,
     CRM_VERB_WRITE},
    {"deals", NULL,
     "Win probability of the open deals from a model trained on the closed "
     "ones; stored with history and trend",
     crm_score_deals_options, crm_score_opts_parse, crm_score_deals,
     CRM_VERB_WRITE},
    {"forecast", NULL,
     "Forecast won revenue per month (week, quarter) with Holt-Winters "
     "exponential smoothing, intervals and a backtest against the "
     "seasonal naive",
     crm_score_forecast_options, crm_score_opts_parse, crm_score_forecast, 0},
    {"cycle", NULL,
     "Purchase cycles: customers expected to buy again within the lead "
     "time (default 60 days), from their intervals or buying season",
     crm_score_cycle_options, crm_score_opts_parse, crm_score_cycle, 0},
    {"reach", "[CONTACT_ID...]",
     "Best times to reach contacts: the weekday and hours they answer in, "
     "in their time zone, shrunk toward their company's pattern",
     NULL, NULL, crm_score_reach, 0},
    {"monitor", NULL,
     "Compare a stored model (deal, lead, route) with what happened since: "
     "AUC, calibration, input stability, routing accuracy; exit 1 on "
     "drift (--retrain retrains)",
     crm_score_monitor_options, crm_score_opts_parse, crm_score_monitor,
     CRM_VERB_WRITE},
    {"models", NULL,
     "List the stored models: training date, data window, validation", NULL,
     NULL, crm_score_models, 0},
    {"rollback", "KIND",
     "Retire the active model of KIND (deal, lead, route) and make the one "
     "before it "
     "active again",
     NULL, NULL, crm_score_rollback, CRM_VERB_WRITE},
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
