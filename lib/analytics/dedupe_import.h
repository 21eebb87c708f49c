/* dedupe_import.h - duplicate checks while importing: a record that
 * matches no key is compared with the records already there, by equal
 * matching forms (email, phone) and with the dedupe engine
 * (lib/analytics/dedupe.h); one it duplicates is skipped, applied to that
 * record, flagged or allowed. Any entity command whose import (or add) should
 * check passes crm_dupcheck_import as crm_import_opts.check; cli/cli_dedupe.c's
 * crm_import_dedupe does that for the --on-duplicate option. */
#ifndef CRM_DEDUPE_IMPORT_H
#define CRM_DEDUPE_IMPORT_H

#include "entity.h"

enum crm_dup_policy {
	CRM_ONDUP_ALLOW,  /* insert it; report only */
	CRM_ONDUP_SKIP,	  /* leave it out */
	CRM_ONDUP_UPDATE, /* apply it to the record it duplicates */
	CRM_ONDUP_FLAG,	  /* insert it marked: the tag possible-duplicate
			     (if the entity has tags) and duplicate_of */
	CRM_ONDUP_REJECT, /* update under --create-only: a duplicate of a
			     record it would update is an error (no name:
			     not a user's choice) */
	CRM_ONDUP_N
};

/* "allow", "skip", "update", "flag" -> the policy; -1 if none. */
int crm_dup_policy_parse(const char *s);
const char *crm_dup_policy_name(int policy);

/* What a check found for one input record. */
struct crm_dup_report {
	const char *input;		 /* input name */
	long line;			 /* input line; 0 for add */
	const struct crm_entity *entity; /* the entity of ... */
	int64_t target;			 /* ... the record it duplicates
					    (the likeliest) */
	double p;			 /* its match probability, 0-1 */
	int policy;			 /* what was done */
};

/* What a check compares and does. */
struct crm_dupcheck_opts {
	int policy;	  /* enum crm_dup_policy */
	double threshold; /* 0-1: the model's match probability from which
			     a record is a duplicate */
	/* Load each compared table into the dedupe engine with its default
	 * fields and estimate its model: fuzzy matches, at the cost of
	 * crm-dedupe over the tables. */
	bool model;
	/* An equal matching form (NAME_key) of a CRM_FF_MATCH field the
	 * compared entity shares with the imported one (email, phone) is a
	 * duplicate, probability 1, whatever the model says. Cheap (an index
	 * probe each), and it sees the records this import wrote. */
	bool exact;
	/* Other entities compared after the imported one's own records
	 * (NULL-terminated; NULL: none): a lead import checks contacts too.
	 * Their fields are matched to the imported entity's by name (else
	 * its custom fields). A duplicate of one of their records cannot be
	 * updated: under update it is skipped. */
	const struct crm_entity *const *also;
	/* On PostgreSQL, with crm_dupcheck_ahead and crm_dupcheck_wrote
	 * given to the import too: the exact probes of a chunk of records
	 * in one statement (a round trip a chunk instead of one a record).
	 * Only when nothing but the importer writes the compared tables
	 * while it runs (its hooks neither): the answers are kept current
	 * from what it says it wrote. */
	bool batch;
	/* Called for each duplicate found (not for one rejected: its error
	 * says it); may be NULL. */
	void (*report)(const struct crm_dup_report *r, void *arg);
	void *report_arg;
};

struct crm_dupcheck;

/* A check for imports into e as o says (copied). Of several records a
 * record duplicates, the likeliest wins, e's own on a tie. Returns the
 * check (free with crm_dupcheck_free, before db is closed) or NULL with
 * err. */
struct crm_dupcheck *crm_dupcheck_new(struct crm_db *db,
				      const struct crm_entity *e,
				      const struct crm_dupcheck_opts *o,
				      struct crm_err *err);
void crm_dupcheck_free(struct crm_dupcheck *dc);

/* The crm_import_opts.check function; arg is the struct crm_dupcheck.
 * The model does not compare records within one input with each other
 * (crm-dedupe finds those after); exact matches do. */
int crm_dupcheck_import(struct crm_db *db, const struct crm_entity *e,
			struct crm_import_new *nw, void *arg,
			struct crm_err *err);

/* The crm_import_opts.check_ahead and check_wrote functions; arg is the
 * struct crm_dupcheck (they do nothing unless its options' batch is set,
 * on PostgreSQL). */
void crm_dupcheck_ahead(const struct crm_row *const *in, size_t n, void *arg);
void crm_dupcheck_wrote(const struct crm_row *old, const struct crm_row *row,
			void *arg);

/* Duplicates found so far: all of them (policy < 0), or those given the
 * treatment policy (an update policy also skips some: those of another
 * entity's records). */
uint64_t crm_dupcheck_found(const struct crm_dupcheck *dc, int policy);

#endif
