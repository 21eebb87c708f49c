/* cli_dedupe.h - the verbs of crm-dedupe: stream, contacts, companies,
 * merge, undo; and import with duplicate checks for entity commands.
 * Their option values live in a struct crm_dedupe_cli the command passes
 * as opts. */
#ifndef CRM_CLI_DEDUPE_H
#define CRM_CLI_DEDUPE_H

#include "cli.h"
#include "dedupe_import.h"

struct crm_dedupe_cli {
	double threshold; /* 0-1 */
	const char *rule;
	const char *id;
	unsigned threads; /* 0: crm_par_default */
	bool pairs, check, force;
};

extern const struct argp_option crm_dedupe_stream_options[];
extern const struct argp_option crm_dedupe_find_options[];
extern const struct argp_option crm_dedupe_merge_options[];
extern const struct argp_option crm_dedupe_undo_options[];
error_t crm_dedupe_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_dedupe_stream(struct crm_cli *cli);
/* contacts, companies, leads: the entity is cli->cmd->entity's namesake,
 * by the verb's name. */
int crm_verb_dedupe_find(struct crm_cli *cli);
int crm_verb_dedupe_merge(struct crm_cli *cli);
int crm_verb_dedupe_undo(struct crm_cli *cli);

/* An entity command's import with import-time duplicate checks: the
 * generic import options plus --on-duplicate=skip|update|flag|allow and
 * --duplicate-threshold (opts: struct crm_entity_opts). In a verb table:
 * {"import", "[FILE...]", "...", crm_import_dedupe_options,
 *  crm_import_dedupe_parse, crm_verb_import_dedupe, CRM_VERB_WRITE}.
 * --on-duplicate loads the dedupe model of the entity's table. */
extern const struct argp_option crm_import_dedupe_options[];
error_t crm_import_dedupe_parse(int key, char *arg, struct argp_state *state);
int crm_verb_import_dedupe(struct crm_cli *cli);
/* The same for a command whose check does more (base: exact matches,
 * other entities compared; see struct crm_dupcheck_opts): without
 * --on-duplicate, base->policy (negative: no check) with base's exact
 * matches alone; with it, that policy and the model too. Each duplicate
 * is a line on stderr, and a summary counts them. */
int crm_import_dedupe(struct crm_cli *cli,
		      const struct crm_dupcheck_opts *base);
/* crm_verb_add, a duplicate (by base's exact matches: no model, so it
 * stays cheap) flagged and reported. */
int crm_add_dedupe(struct crm_cli *cli, const struct crm_dupcheck_opts *base);

#endif
