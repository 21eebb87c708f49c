/* crm-sync - working offline: pull the records a user may see from a
 * PostgreSQL server into a local SQLite copy, push the copy's changes
 * back (per-field conflicts, exactly once). */
#include "cli.h"
#include "cli_sync.h"

static const struct crm_verb verbs[] = {
    {"pull", NULL,
     "Copy the records the user may see on the server (--db) into a local "
     "file (--to), or refresh a copy keeping its local changes",
     crm_sync_pull_options, crm_sync_opts_parse, crm_verb_sync_pull,
     CRM_VERB_NODB},
    {"push", NULL,
     "Send the copy's changes to its server, as its user; --conflict "
     "stop|server|local",
     crm_sync_push_options, crm_sync_opts_parse, crm_verb_sync_push,
     CRM_VERB_NODB},
};

static const struct crm_command command = {
    "crm-sync",
    "Work offline: a local copy of a server's records, and its changes "
    "sent back.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    NULL,
};

int main(int argc, char **argv)
{
	struct crm_sync_cli_opts opts = {0};

	return crm_cli_main(&command, &opts, argc, argv);
}
