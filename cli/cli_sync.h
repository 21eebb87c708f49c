/* cli_sync.h - crm sync's verbs: pull (a user's records from a server
 * into a local SQLite copy) and push (the copy's changes back). */
#ifndef CRM_CLI_SYNC_H
#define CRM_CLI_SYNC_H

#include "cli.h"
#include "sync.h"

struct crm_sync_cli_opts {
	const char *to, *from;
	bool mine;
	const char *conflict;
};

extern const struct argp_option crm_sync_pull_options[];
extern const struct argp_option crm_sync_push_options[];
error_t crm_sync_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_sync_pull(struct crm_cli *cli);
int crm_verb_sync_push(struct crm_cli *cli);

#endif
