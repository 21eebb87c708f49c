/* cli_social.h - crm-social's own verbs (interactions, region) and
 * crm-lead capture (web forms). */
#ifndef CRM_CLI_SOCIAL_H
#define CRM_CLI_SOCIAL_H

#include "cli.h"

struct crm_social_cli_opts {
	struct crm_entity_opts e; /* first: the generic verbs use it */
	bool no_model;
	const char *threshold; /* --duplicate-threshold */
	const char *platform;  /* interactions: --platform */
	const char *country;   /* region: --country */
	const char *lang;      /* region: --lang */
};

extern const struct argp_option crm_social_interactions_options[];
extern const struct argp_option crm_social_region_options[];
error_t crm_social_opts_parse(int key, char *arg, struct argp_state *state);
int crm_verb_social_interactions(struct crm_cli *cli);
int crm_verb_social_region(struct crm_cli *cli);
/* shared by the two files: a number field; a writer on stdout for the
 * fixed columns names (NULL-terminated) */
void crm_social_add_num(struct crm_rec *r, const char *name, long long v);
struct crm_writer *crm_social_open_out(struct crm_cli *cli,
				       const char *const *names);

/* crm-lead capture: its options keep their values in cli_social.c, so
 * that crm-lead's option struct stays as it is. */
extern const struct argp_option crm_lead_capture_options[];
error_t crm_lead_capture_parse(int key, char *arg, struct argp_state *state);
int crm_verb_lead_capture(struct crm_cli *cli);

#endif
