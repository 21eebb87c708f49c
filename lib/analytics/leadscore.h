/* leadscore.h - rule-based scores of the leads in the database: the fit
 * from each lead's fields, the engagement from its activities (those
 * linked to the lead and, once it is converted, those of its contact,
 * each activity once), written to the lead with the previous score and a
 * trend, and kept in the lead_scores history. The arithmetic is
 * lib/analytics/scoring.c's; this module only reads and writes. */
#ifndef CRM_LEADSCORE_H
#define CRM_LEADSCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "entity.h"
#include "logit.h"
#include "model.h"
#include "scoring.h"

/* One lead's new score, for the caller's callback. Pointers are valid
 * during the call only. */
struct crm_leadscore {
	int64_t id;
	long score;		    /* combined, rounded, 0-100 */
	const char *grade;	    /* "A1" */
	bool has_previous;	    /* the lead had a score before this run */
	long previous_score;	    /* when has_previous */
	const char *previous_grade; /* NULL when none */
	const char *trend;  /* improving, steady, declining; NULL: first */
	bool grade_changed; /* grade differs from previous_grade (or was
			       none) */
	double combined;    /* unrounded */
	const struct crm_score_result *fit, *engagement;
};

/* Score the leads q selects (NULL: every lead) at db->now with rules s,
 * in one transaction (rolled back for a dry run): set score, grade,
 * previous_score, trend and scored_at of each (updated_at is left alone:
 * these are derived fields, like last_activity_at) and add a lead_scores
 * row. Every lead is walked in id order with the activities read by one
 * ordered index scan in step (constant memory); a selection reads each
 * lead's activities by an indexed query, with the same result. fn (may be
 * NULL) is called per lead after it is written; it returns 0 or -1. *n
 * gets the number of leads scored. Returns 0 or -1. */
int crm_leadscore_run(struct crm_db *db, const struct crm_scoring *s,
		      const struct crm_query *q, bool dry_run,
		      int (*fn)(const struct crm_leadscore *r, void *arg),
		      void *arg, uint64_t *n, struct crm_err *err);

/* Score lead id as crm_leadscore_run would, writing nothing. Returns 1
 * (fn called), 0 when there is no such lead, -1 on error. */
int crm_leadscore_explain(struct crm_db *db, const struct crm_scoring *s,
			  int64_t id,
			  int (*fn)(const struct crm_leadscore *r, void *arg),
			  void *arg, struct crm_err *err);

/* -- the predictive model on the leads table --------------------------- */

/* Training rows from the leads: features (NULL or empty: source,
 * campaign, industry, region, country, title and every custom field in
 * use) and a 0/1 label. target NULL: status, converted 1, unqualified 0,
 * other leads left out; else that field, 1 for positive (or, positive
 * NULL, 1/true/yes/y/t; 0/false/no/n/f is 0, anything else
 * CRM_EX_DATAERR naming the lead), null left out. An unknown field is
 * CRM_EX_USAGE. Returns the data (caller frees) or NULL with err set. */
struct crm_logit_data *crm_leadscore_data(struct crm_db *db, const char *target,
					  const char *positive,
					  const struct crm_strv *features,
					  struct crm_err *err);

/* One lead's prediction, for the callback (valid during the call). */
struct crm_leadpredict {
	int64_t id;
	double probability; /* 0-1 */
	const struct crm_logit_factor *factors;
	size_t nfactors;
	const struct crm_rec *rec; /* the model's features */
};

/* Predict the leads q selects (NULL: every lead) with model m in one
 * transaction (rolled back for a dry run), storing conversion_probability
 * (percent, two decimals) and predicted_at; up to nfactors strongest
 * factors go to fn (may be NULL). A model feature that is no lead field
 * is CRM_EX_CONFIG. *n gets the count. Returns 0 or -1. */
int crm_leadscore_predict(struct crm_db *db, const struct crm_logit_model *m,
			  const struct crm_query *q, size_t nfactors,
			  bool dry_run,
			  int (*fn)(const struct crm_leadpredict *p, void *arg),
			  void *arg, uint64_t *n, struct crm_err *err);

/* Store model m, trained on the leads' status (converted or
 * unqualified), as the active "lead" model (crm_models: training date,
 * the data window of those leads' last changes, cross-validated AUC and
 * log loss); the one before stays for a rollback. Needs an open
 * transaction. Returns 0 or -1. */
int crm_leadscore_store(struct crm_db *db, const struct crm_logit_model *m,
			const struct crm_logit_report *rep,
			struct crm_err *err);

/* The active lead model against the leads resolved (converted or
 * unqualified) since its data window: their count and the model's AUC on
 * them (NAN with fewer than one of each). Returns 1 (release mo->info),
 * 0 when there is no lead model, -1 on error. */
struct crm_lead_monitor {
	struct crm_model_info info;
	long outcomes;
	double auc;
};
int crm_leadscore_monitor(struct crm_db *db, struct crm_lead_monitor *mo,
			  struct crm_err *err);

#endif
