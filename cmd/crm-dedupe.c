/* crm-dedupe - duplicates: find them in the database or in any CSV or
 * JSON stream, merge them, undo merges. The verbs are cli/cli_dedupe.c's. */
#include "cli_dedupe.h"
#include "contact.h"

static const struct crm_verb verbs[] = {
    {"contacts", NULL,
     "Find duplicate contacts: clusters (or --pairs) with the match "
     "probability and the agreement of each field",
     crm_dedupe_find_options, crm_dedupe_opts_parse, crm_verb_dedupe_find, 0},
    {"companies", NULL,
     "Find duplicate companies: names without legal forms, domains, "
     "country, phones",
     crm_dedupe_find_options, crm_dedupe_opts_parse, crm_verb_dedupe_find, 0},
    {"leads", NULL,
     "Find duplicate leads: names, emails, phones, companies",
     crm_dedupe_find_options, crm_dedupe_opts_parse, crm_verb_dedupe_find, 0},
    {"merge", "[contacts|companies|leads]",
     "Merge the duplicates found above --threshold (contacts without "
     "NOUN), or the clusters read from stdin with --stdin",
     crm_dedupe_merge_options, crm_dedupe_opts_parse, crm_verb_dedupe_merge,
     CRM_VERB_WRITE},
    {"stream", "[FILE...]",
     "Dedupe CSV, TSV, JSON or NDJSON records (stdin without FILE): every "
     "id with its cluster and match probability",
     crm_dedupe_stream_options, crm_dedupe_opts_parse, crm_verb_dedupe_stream,
     CRM_VERB_NODB},
    {"undo", "MERGE", "Undo a merge: restore the records and their links",
     crm_dedupe_undo_options, crm_dedupe_opts_parse, crm_verb_dedupe_undo,
     CRM_VERB_WRITE},
};

static const struct crm_command command = {
    "crm-dedupe",
    "Duplicates: find, review, merge and undo.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_contact_entity,
};

int main(int argc, char **argv)
{
	struct crm_dedupe_cli opts = {.threshold = -1};

	return crm_cli_main(&command, &opts, argc, argv);
}
