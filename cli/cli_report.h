/* cli_report.h - crm-report's verbs: every report runs through one verb
 * function, named by the verb. */
#ifndef CRM_CLI_REPORT_H
#define CRM_CLI_REPORT_H

#include "cli.h"

/* The options of a report verb (cli->opts). */
struct crm_report_cli {
	const char *from, *to, *by, *period, *compare;
	const char *currency, *costs;
	int64_t idle; /* seconds; 0: not given */
};

extern const struct argp_option crm_report_options[];
error_t crm_report_parse(int key, char *arg, struct argp_state *state);
/* Run the report named by the verb; unattended exits 1 when it finds
 * something. */
int crm_verb_report(struct crm_cli *cli);
/* crm-report dashboard: the key figures (a page with -f html, a screen
 * with -f table, else records). */
int crm_verb_dashboard(struct crm_cli *cli);

#endif
