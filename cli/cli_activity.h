/* cli_activity.h - crm-activity's own verbs. */
#ifndef CRM_CLI_ACTIVITY_H
#define CRM_CLI_ACTIVITY_H

#include "cli.h"

/* log: one activity from flags (an add with activity-shaped options). */
extern const struct argp_option crm_activity_log_options[];
error_t crm_activity_log_parse(int key, char *arg, struct argp_state *state);
/* timeline [contact|company|lead|deal|ticket] KEY: newest first. */
int crm_verb_activity_timeline(struct crm_cli *cli);
/* due: open tasks past due, by owner; exit 1 when there are any. */
int crm_verb_activity_due(struct crm_cli *cli);
/* done ID...: mark tasks done (done_at = now, or --at). */
extern const struct argp_option crm_activity_done_options[];
int crm_verb_activity_done(struct crm_cli *cli);

#endif
