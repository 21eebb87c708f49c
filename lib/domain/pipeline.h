/* pipeline.h - sales pipelines and their stages, read from
 * share/crm/pipelines.json (see crm-pipeline(1), FILES). */
#ifndef CRM_PIPELINE_H
#define CRM_PIPELINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Forecast categories, in this order everywhere. */
enum crm_fcat {
	CRM_FCAT_PIPELINE,
	CRM_FCAT_BEST_CASE,
	CRM_FCAT_COMMIT,
	CRM_FCAT_CLOSED,
	CRM_FCAT_OMITTED,
	CRM_FCAT_N
};
/* NULL-terminated names: "pipeline", "best_case", "commit", "closed",
 * "omitted". */
extern const char *const crm_fcat_names[];
/* The category named s, or -1. */
int crm_fcat_parse(const char *s);

/* A deal's status, which its stage decides. */
enum crm_deal_status { CRM_DEAL_OPEN, CRM_DEAL_WON, CRM_DEAL_LOST };
/* NULL-terminated: "open", "won", "lost". */
extern const char *const crm_deal_status_names[];

struct crm_stage {
	char *name;	    /* "proposal": what deals store */
	char *label;	    /* "Proposal/Quote": what boards show */
	double probability; /* default win probability, 0-100 */
	enum crm_fcat category;
	double max_days; /* idle days before a deal is stale; 0: no limit */
	enum crm_deal_status status;
};

struct crm_pipeline {
	char *name, *label;
	struct crm_stage *stages; /* in order */
	size_t nstages;
};

struct crm_pipelines {
	char *path; /* the file read */
	struct crm_pipeline *v;
	size_t n;
	size_t def; /* the default pipeline's index */
};

/* The first key of object o that is not in known (NULL-terminated), or
 * NULL: a misspelt key in a configuration file is an error, not ignored. */
const char *crm_json_unknown_key(json_t *o, const char *const *known);

/* Read and check a pipelines file. A missing file is CRM_EX_CONFIG too;
 * every error names the file (err->file), the pipeline and stage (by name,
 * or index when it has none) and what is wrong. Returns 0, or -1 with err
 * filled and *p left empty. */
int crm_pipelines_load(const char *path, struct crm_pipelines *p,
		       struct crm_err *err);
/* The same from JSON text (name is used in messages; text NULL: the file
 * name, which is what crm_pipelines_load does). */
int crm_pipelines_parse(const char *json, const char *name,
			struct crm_pipelines *p, struct crm_err *err);
void crm_pipelines_release(struct crm_pipelines *p);

/* The process-wide pipelines: crm_share_path("pipelines.json"), loaded on
 * first use and kept (the library owns it). Returns NULL with err filled
 * when the file is missing or bad. */
const struct crm_pipelines *crm_pipelines_get(struct crm_err *err);

/* The pipeline named name (NULL: the default), or NULL. */
const struct crm_pipeline *crm_pipeline_find(const struct crm_pipelines *p,
					     const char *name);
/* The stage of pl named name, or labelled so (case, spaces, dashes and
 * slashes do not count: "Proposal/Quote" finds proposal_quote), or NULL. */
const struct crm_stage *crm_stage_find(const struct crm_pipeline *pl,
				       const char *name);
/* The first stage of pl with status s, or NULL. */
const struct crm_stage *crm_stage_first(const struct crm_pipeline *pl,
					enum crm_deal_status s);
/* "a, b, c": the stage names of pl (caller frees). */
char *crm_pipeline_stage_list(const struct crm_pipeline *pl);

#endif
