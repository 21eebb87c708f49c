/* scoring.h - rule-based lead scoring: a fit score from a record's fields
 * and an engagement score from its activities, each capped and graded,
 * combined into one score and grade (e.g. A1). The rules file format is in
 * crm-score(1). Nothing here reads the database: callers hand in a record
 * and a list of (type, time) events, so one lead scores the same alone or
 * in a nightly batch. */
#ifndef CRM_SCORING_H
#define CRM_SCORING_H

#include <stddef.h>

#include "datetime.h"
#include "record.h"
#include "util.h"

struct crm_scoring;

/* Limits on a 'matches' pattern (crm-formats(5)); past them the rules file
 * is refused (CRM_EX_CONFIG): bytes, positions after expanding counted
 * repetitions, and nested groups. */
#define CRM_RULE_PATTERN_MAX 1024
#define CRM_RULE_PATTERN_NODES 4096
#define CRM_RULE_PATTERN_DEPTH 32

/* Load and check a rules file. Returns the rules (free with
 * crm_scoring_free) or NULL with err set: CRM_EX_NOINPUT when path cannot
 * be opened, CRM_EX_CONFIG for a bad file, the message naming the file
 * and the rule ("fit rule 3 'free mail': unknown operator 'matchs'"). */
struct crm_scoring *crm_scoring_load(const char *path, struct crm_err *err);
void crm_scoring_free(struct crm_scoring *s);
/* The default rules file: crm_share_path("scoring.json") ($CRM_SHARE,
 * else the installed share/crm, else the source tree). Returns a new
 * string (caller frees). */
char *crm_scoring_default_path(void);

/* One contribution to a score: a rule, an activity type or a cap. */
struct crm_score_part {
	const char *what; /* owned by the rules */
	double points;
};

/* A score, its grade and what made it; the parts sum to the score. */
struct crm_score_result {
	double score; /* within the section's min..max */
	char grade[16];
	struct crm_score_part *parts;
	size_t nparts, cap;
};
void crm_score_result_init(struct crm_score_result *r);
void crm_score_result_release(struct crm_score_result *r);

/* Fit: every fit rule against rec's fields (by name; absent, null and
 * empty are missing), group and total caps, then the fit grade. */
void crm_scoring_fit(const struct crm_scoring *s, const struct crm_rec *rec,
		     struct crm_score_result *out);

/* An activity as engagement sees it. */
struct crm_scoring_event {
	const char *type;
	crm_time at;
};
/* Engagement at now from n events in any order: events of unknown types,
 * after now or outside the window are ignored; per type and UTC day the
 * points are capped; each event's points decay with its age by the
 * half-life; then group and total caps, and the engagement grade. */
void crm_scoring_engagement(const struct crm_scoring *s,
			    const struct crm_scoring_event *ev, size_t n,
			    crm_time now, struct crm_score_result *out);

/* The combined score (weighted mean of fit and engagement, 0-100) and
 * grade (fit grade then engagement grade, "A1"). grade holds 32 bytes. */
double crm_scoring_combine(const struct crm_scoring *s,
			   const struct crm_score_result *fit,
			   const struct crm_score_result *eng, char grade[32]);

/* "improving", "steady" or "declining": current against previous, steady
 * within the rules' trend_band points. */
const char *crm_scoring_trend(const struct crm_scoring *s, double previous,
			      double current);

/* The number of fit rules, and the name of rule i (owned by s). */
size_t crm_scoring_fit_rules(const struct crm_scoring *s);
const char *crm_scoring_rule_name(const struct crm_scoring *s, size_t i);
/* The field fit rule i reads (owned by s). */
const char *crm_scoring_rule_field(const struct crm_scoring *s, size_t i);
/* The number of engagement types, and the name of type i (owned by s). */
size_t crm_scoring_types(const struct crm_scoring *s);
const char *crm_scoring_type_name(const struct crm_scoring *s, size_t i);
/* The engagement window in days (0: none): older events never count. */
double crm_scoring_window_days(const struct crm_scoring *s);

#endif
