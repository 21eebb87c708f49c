/* crm-kb - the knowledge base: articles (add, import also of Markdown
 * files with front matter, list, show, update, delete, export, tag, undo:
 * the entity engine's), search ranked by relevance, suggestions for a
 * ticket, links to tickets, publish and archive, versions, and the
 * deflection and usage figures. */
#include "cli.h"
#include "cli_kb.h"
#include "kb.h"

static const struct crm_verb verbs[] = {
    {"add", NULL, "Add one article from options", crm_add_options,
     crm_kb_opts_parse, crm_verb_add, CRM_VERB_WRITE},
    {"import", "[FILE|DIR...]",
     "Insert or update articles from CSV, TSV, JSON or NDJSON, or from "
     "Markdown files with front matter (FILE.md, or every *.md of DIR)",
     crm_import_options, crm_kb_opts_parse, crm_verb_kb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("articles")},
    {"show", "ID|EXTERNAL_ID", "Show one article (--version N: an old one)",
     crm_kb_show_options, crm_kb_opts_parse, crm_verb_kb_show, 0},
    {"update", "[ID...]",
     "Change fields of the given articles, or of those --where selects "
     "(a new title or body keeps the old one as a version)",
     crm_update_options, crm_kb_opts_parse, crm_verb_update, CRM_VERB_WRITE},
    {CRM_VERB_DELETE("articles", crm_kb_opts_parse)},
    {CRM_VERB_EXPORT("article")},
    {CRM_VERB_TAG},
    {CRM_VERB_HISTORY("article")},
    {CRM_VERB_UNDO("Revert a change (an update, tag or delete; an undo "
		   "redoes)")},
    {"search", "QUERY...",
     "Published articles ranked by relevance (BM25), with snippets",
     crm_kb_search_options, crm_kb_opts_parse, crm_verb_kb_search, 0},
    {"suggest", "TICKET",
     "Published articles ranked for a ticket's subject and description",
     crm_kb_suggest_options, crm_kb_opts_parse, crm_verb_kb_suggest, 0},
    {"link", "ARTICLE TICKET", "Record that an article served a ticket",
     crm_kb_link_options, crm_kb_opts_parse, crm_verb_kb_link, CRM_VERB_WRITE},
    {"publish", "[ID...]", "Set articles published", NULL, crm_kb_opts_parse,
     crm_verb_kb_publish, CRM_VERB_WRITE},
    {"archive", "[ID...]", "Set articles archived", NULL, crm_kb_opts_parse,
     crm_verb_kb_archive, CRM_VERB_WRITE},
    {"versions", "ARTICLE", "Every version of an article, the current last",
     NULL, NULL, crm_verb_kb_versions, 0},
    {"deflection", NULL,
     "Solved tickets, and how many of them had an article linked",
     crm_kb_deflection_options, crm_kb_opts_parse, crm_verb_kb_deflection, 0},
    {"usage", NULL, "Articles by use: links and solved tickets, most first",
     NULL, NULL, crm_verb_kb_usage, 0},
    {"reindex", NULL, "Rebuild the search index of every article (a repair)",
     NULL, NULL, crm_verb_kb_reindex, CRM_VERB_WRITE},
};

static const struct crm_command command = {
    "crm-kb",
    "Knowledge base: articles, search, suggestions for tickets.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_kb_entity,
};

int main(int argc, char **argv)
{
	struct crm_kb_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	return status;
}
