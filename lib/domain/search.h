/* search.h - finding records across nouns: crm search TEXT (contacts,
 * companies, leads, deals, tickets by name, email, phone and company) and
 * the names show takes as a key. */
#ifndef CRM_SEARCH_H
#define CRM_SEARCH_H

#include <stdint.h>

#include "db.h"
#include "entity.h"

/* One match: the noun (plural, "contacts"), the record, a name to show
 * it by, the field that matched and that field's value. The strings live
 * until the callback returns. */
struct crm_search_hit {
	const char *noun;
	size_t index; /* the noun's place in crm_search's order (for more) */
	int64_t id;
	const char *name, *matched, *value;
};

/* Look for text in every searchable noun, in a fixed order (contacts,
 * companies, leads, deals, tickets), case- and accent-insensitively
 * (crm_norm_key forms, so CJK matches as written): names, emails and
 * companies contain it, or a phone has its digits (any notation). At most
 * limit hits per noun (< 0: no limit); more[i] (may be NULL; one per noun,
 * crm_search_nouns long) is set when noun i had more. fn returns 0 to go
 * on or -1 to stop with err filled. Returns the number of hits, or -1. */
int64_t crm_search(struct crm_db *db, const char *text, int64_t limit,
		   int (*fn)(const struct crm_search_hit *h, void *arg),
		   void *arg, bool *more, struct crm_err *err);
/* The number of nouns crm_search looks in. */
extern const size_t crm_search_nouns;
/* The plural of noun i ("contacts"), i < crm_search_nouns. */
const char *crm_search_noun_name(size_t i);

/* Records of e whose name is key, case- and accent-insensitively:
 * contacts and leads by "first last" or last name (leads also by
 * company), companies and deals by name, tickets by subject. Fills ids
 * (caller frees) with at most max ids, in id order; *n gets their number.
 * Returns 0, or -1 with err (an entity without names: none found). */
int crm_search_names(struct crm_db *db, const struct crm_entity *e,
		     const char *key, size_t max, int64_t **ids, size_t *n,
		     struct crm_err *err);

/* The search index (SQLite; lib/domain/search.c says how it serves a
 * search): made again for every indexed noun (contacts, companies,
 * leads), in one transaction (rolled back when dry_run). With refresh, a
 * noun's index only gets what it has not seen (records added, and those
 * crm changed or restored, since it was made or refreshed); a noun
 * without one gets it made. counts[i] (crm_search_nouns long) gets the
 * records indexed of noun i, -1 for a noun without an index. 0, or -1
 * with err (CRM_EX_USAGE on PostgreSQL). */
int crm_search_reindex(struct crm_db *db, bool dry_run, bool refresh,
		       int64_t *counts, struct crm_err *err);
/* Removes the index: 1, 0 when there was none, or -1 with err. */
int crm_search_index_drop(struct crm_db *db, bool dry_run, struct crm_err *err);
/* For a writer that leaves no audit rows (crm sync's pull): the index is
 * no longer used until --reindex. Needs the caller's transaction. 0 or
 * -1 with err. */
int crm_search_index_stale(struct crm_db *db, struct crm_err *err);

#endif
