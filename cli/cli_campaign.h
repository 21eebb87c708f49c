/* cli_campaign.h - crm-campaign's own verbs: tree and members. */
#ifndef CRM_CLI_CAMPAIGN_H
#define CRM_CLI_CAMPAIGN_H

#include "cli.h"

struct crm_campaign_opts {
	struct crm_entity_opts e;   /* first: the generic verbs use it */
	bool lead;		    /* members are leads, not contacts */
	bool deal;		    /* touches: the ids are deals */
	const char *status;	    /* --status */
	const char *segments;	    /* --segments DIR */
	const char *model;	    /* roi --model */
	const char *rates;	    /* roi --rates FILE */
	bool rollup;		    /* roi --rollup */
	const char *by;		    /* roi --by campaign|source */
	const char *maildir, *mbox; /* run --dry-run --maildir/--mbox */
};

extern const struct argp_option crm_campaign_members_options[];
error_t crm_campaign_opts_parse(int key, char *arg, struct argp_state *state);
int crm_verb_campaign_tree(struct crm_cli *cli);
int crm_verb_campaign_members(struct crm_cli *cli);
extern const struct argp_option crm_campaign_segment_options[];
int crm_verb_campaign_segment(struct crm_cli *cli);
extern const struct argp_option crm_campaign_touches_options[];
int crm_verb_campaign_touches(struct crm_cli *cli);
int crm_verb_campaign_events(struct crm_cli *cli);
int crm_verb_campaign_enroll(struct crm_cli *cli);
extern const struct argp_option crm_campaign_roi_options[];
error_t crm_campaign_roi_parse(int key, char *arg, struct argp_state *state);
int crm_verb_campaign_roi(struct crm_cli *cli);
extern const struct argp_option crm_campaign_run_options[];
error_t crm_campaign_run_parse(int key, char *arg, struct argp_state *state);
int crm_verb_campaign_run(struct crm_cli *cli);

#endif
