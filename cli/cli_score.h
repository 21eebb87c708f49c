/* cli_score.h - the verbs of crm-score (part of the shared front end, as
 * cli_entity.c is): they parse what crm-score's options gave, call logit
 * and scoring, and write records. */
#ifndef CRM_CLI_SCORE_H
#define CRM_CLI_SCORE_H

#include "cli.h"
#include "logit.h"
#include "textclass.h"

/* Option values of every crm-score verb; the command passes one as opts. */
struct crm_score_opts {
	struct crm_logit_opts logit; /* train */
	const char *model;	     /* --model */
	const char *rules;	     /* --rules */
	bool force, explain;
	long top;	    /* --top: factors or reasons shown with --explain */
	bool changed;	    /* leads: print only grade changes */
	const char *at;	    /* rfm: the analysis time */
	const char *by;	    /* rfm, churn: "company" or "contact" */
	const char *rates;  /* rfm: exchange rates file */
	const char *window; /* churn: the recent period */
	const char *baseline; /* churn: the period before it */
	long min_risk;	      /* churn: print only risks from this */
	/* train --text: a text classifier (lib/analytics/textclass.h) */
	struct crm_strv text;
	struct crm_textclass_opts tc;
	/* deals, monitor, rollback (cli/cli_predict.c) */
	long min_history; /* closed deals needed to train; 0: default */
	bool retrain, calibration;
	/* forecast */
	int period;	   /* enum crm_rev_period; -1: month */
	const char *group; /* --by owner|region */
	long horizon, origins, level;
	bool backtest;
	const char *lead; /* cycle */
	bool every;
	const char *config; /* monitor: thresholds file */
	const char *kind;   /* monitor: deal (default) or lead */
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
int crm_score_rfm(struct crm_cli *cli);
int crm_score_churn(struct crm_cli *cli);
extern const struct argp_option crm_score_rfm_options[];
extern const struct argp_option crm_score_churn_options[];

/* The database parts (cli/cli_score_db.c), called by the verbs above when
 * they read no records: leads and predict on the leads table. */
int crm_score_leads_db(struct crm_cli *cli);
int crm_score_predict_db(struct crm_cli *cli);
/* Open the database for a verb that needs it only sometimes (its flags
 * say CRM_VERB_NODB): cli->db, closed by crm_cli_main; created when
 * missing only if write is set. Returns 0 or -1. */
int crm_score_open_db(struct crm_cli *cli, bool write);
/* Option keys shared by cli_score.c and cli_score_db.c. */
enum {
	CRM_SCORE_OPT_TARGET = 0x200,
	CRM_SCORE_OPT_FEATURES,
	CRM_SCORE_OPT_CATEGORICAL,
	CRM_SCORE_OPT_POSITIVE,
	CRM_SCORE_OPT_MODEL,
	CRM_SCORE_OPT_FORCE,
	CRM_SCORE_OPT_L2,
	CRM_SCORE_OPT_MIN_COUNT,
	CRM_SCORE_OPT_MAX_LEVELS,
	CRM_SCORE_OPT_FOLDS,
	CRM_SCORE_OPT_SEED,
	CRM_SCORE_OPT_EXPLAIN,
	CRM_SCORE_OPT_TOP,
	CRM_SCORE_OPT_RULES,
	CRM_SCORE_OPT_CHANGED,
	CRM_SCORE_OPT_AT,
	CRM_SCORE_OPT_BY,
	CRM_SCORE_OPT_RATES,
	CRM_SCORE_OPT_WINDOW,
	CRM_SCORE_OPT_BASELINE,
	CRM_SCORE_OPT_MIN_RISK,
	CRM_SCORE_OPT_TEXT,
	CRM_SCORE_OPT_VOCAB,
	CRM_SCORE_OPT_HOLDOUT,
	CRM_SCORE_OPT_MIN_HISTORY,
	CRM_SCORE_OPT_RETRAIN,
	CRM_SCORE_OPT_CALIBRATION,
	CRM_SCORE_OPT_PERIOD,
	CRM_SCORE_OPT_GROUP,
	CRM_SCORE_OPT_HORIZON,
	CRM_SCORE_OPT_LEVEL,
	CRM_SCORE_OPT_BACKTEST,
	CRM_SCORE_OPT_ORIGINS,
	CRM_SCORE_OPT_LEAD,
	CRM_SCORE_OPT_ALL,
	CRM_SCORE_OPT_CONFIG,
	CRM_SCORE_OPT_KIND,
};

/* The predictive verbs (cli/cli_predict.c). */
extern const struct argp_option crm_score_deals_options[];
int crm_score_deals(struct crm_cli *cli);
int crm_score_models(struct crm_cli *cli);
int crm_score_rollback(struct crm_cli *cli);
extern const struct argp_option crm_score_forecast_options[];
int crm_score_forecast(struct crm_cli *cli);
extern const struct argp_option crm_score_cycle_options[];
int crm_score_cycle(struct crm_cli *cli);
int crm_score_reach(struct crm_cli *cli);
extern const struct argp_option crm_score_monitor_options[];
int crm_score_monitor(struct crm_cli *cli);

#endif
