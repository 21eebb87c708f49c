/* kb.h - the knowledge base: articles (an entity: title, Markdown body,
 * category, tags, language, status, author, versions), their search index
 * (words and CJK bigrams, ranked by BM25, in plain tables so that both
 * storage engines rank alike), suggestions for a ticket, links between
 * articles and tickets, and the deflection and usage figures. */
#ifndef CRM_KB_H
#define CRM_KB_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_kb_entity;

/* One article found by a search. Strings owned by the hit. */
struct crm_kb_hit {
	int64_t id;
	double score; /* BM25, higher is better */
	char *title, *status, *category, *language;
	char *snippet;	  /* a window of the body, matches marked */
	char *title_mark; /* the title, matches marked */
};

struct crm_kb_search_opts {
	const char *query;
	const char *status;	  /* NULL: any status */
	const char *language;	  /* NULL: any */
	const char *category;	  /* NULL: any */
	size_t limit;		  /* 0: 10 */
	const char *open, *close; /* match markers (NULL: "**") */
	size_t width;		  /* snippet length in characters (0: 80) */
	const int64_t *exclude;	  /* articles left out (suggest: linked) */
	size_t nexclude;
};

/* Rank the articles for o->query (words, and for Chinese, Japanese and
 * Korean text overlapping character bigrams; a lone CJK character finds
 * the articles holding it) by BM25 over title (weight 3), tags (2) and
 * body; ties by id. *hits gets at most limit hits, best first (caller
 * frees with crm_kb_hits_free). A query without a word is CRM_EX_USAGE.
 * Returns 0 or -1. */
int crm_kb_search(struct crm_db *db, const struct crm_kb_search_opts *o,
		  struct crm_kb_hit **hits, size_t *n, struct crm_err *err);
/* The same for ticket id's subject and description (o->query is
 * ignored); a missing ticket is CRM_EX_NOINPUT. */
int crm_kb_suggest(struct crm_db *db, int64_t ticket,
		   const struct crm_kb_search_opts *o, struct crm_kb_hit **hits,
		   size_t *n, struct crm_err *err);
void crm_kb_hits_free(struct crm_kb_hit *hits, size_t n);

/* Rebuild the index of every article inside the caller's transaction
 * (a repair: every write, undo included, keeps it). *n gets the articles
 * indexed. */
int crm_kb_reindex(struct crm_db *db, uint64_t *n, struct crm_err *err);

/* Link article to ticket (remove: unlink) in the caller's transaction;
 * both must exist (CRM_EX_NOINPUT). Returns 1 when it changed something,
 * 0 when it was already so, -1 on error. */
int crm_kb_link(struct crm_db *db, int64_t article, int64_t ticket, bool remove,
		struct crm_err *err);

/* Tickets solved (status solved or closed) with solved_at in [since,
 * until) (either NULL: open), and how many had an article linked. */
struct crm_kb_deflection {
	uint64_t solved, with_article;
};
int crm_kb_deflection(struct crm_db *db, const char *since, const char *until,
		      struct crm_kb_deflection *d, struct crm_err *err);

/* Each article with links, most used first: fn gets id, title, status,
 * links, solved tickets among them, and the last link's time. */
int crm_kb_usage(struct crm_db *db,
		 int (*fn)(int64_t id, const char *title, const char *status,
			   int64_t links, int64_t solved, const char *last,
			   void *arg),
		 void *arg, struct crm_err *err);

/* Versions of article id, oldest first, the current one last: fn gets
 * version, title, body, author and when it was saved (replaced, for an
 * old one; updated_at for the current). */
int crm_kb_versions(struct crm_db *db, int64_t id,
		    int (*fn)(int64_t version, const char *title,
			      const char *body, const char *author,
			      const char *at, bool current, void *arg),
		    void *arg, struct crm_err *err);

/* A Markdown file with front matter as an article record. text (len
 * bytes) is the file; path names it in errors. Front matter is optional:
 * a first line "---", then "key: value" lines (a value may be quoted, and
 * tags may be a [a, b] list), then "---". Without a title key the first
 * "# " heading is the title (and leaves the body). external_id defaults
 * to stem (the file name without ".md"). rec gets the fields; lines (may
 * be NULL) gets "field=LINE" for each key, so an import error can name
 * the line. A bad front matter is CRM_EX_DATAERR with err->file and
 * err->line set. */
int crm_kb_markdown(const char *path, const char *stem, const char *text,
		    size_t len, struct crm_rec *rec, struct crm_strv *lines,
		    struct crm_err *err);

#endif
