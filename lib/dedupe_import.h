/* dedupe_import.h - duplicate checks while importing: a record that
 * matches no key is compared, with the dedupe engine (lib/dedupe.h), to
 * the records already in the table; one it duplicates above a threshold is
 * skipped, applied to that record, flagged or allowed. Any entity command
 * whose import should check (crm-contact, crm-lead) passes
 * crm_dupcheck_import as crm_import_opts.check; lib/cli_dedupe.c's
 * crm_verb_import_dedupe does that for the --on-duplicate option. */
#ifndef CRM_DEDUPE_IMPORT_H
#define CRM_DEDUPE_IMPORT_H

#include "entity.h"

enum crm_dup_policy {
	CRM_ONDUP_ALLOW,  /* insert it; report only */
	CRM_ONDUP_SKIP,	  /* leave it out */
	CRM_ONDUP_UPDATE, /* apply it to the record it duplicates */
	CRM_ONDUP_FLAG,	  /* insert it tagged possible-duplicate, with a
			     custom field duplicate_of = that record's id */
};

/* "allow", "skip", "update", "flag" -> the policy; -1 if none. */
int crm_dup_policy_parse(const char *s);
const char *crm_dup_policy_name(int policy);

/* What a check found for one input record. */
struct crm_dup_report {
	const char *input; /* input name */
	long line;	   /* input line */
	int64_t target;	   /* the record it duplicates (the likeliest) */
	double p;	   /* its match probability, 0-1 */
	int policy;	   /* what was done */
};

struct crm_dupcheck;

/* A check for imports into e: the records of e's table now are loaded
 * into the dedupe engine with its default fields and its model estimated
 * (the cost of crm-dedupe over the table). threshold is 0-1. report, when
 * not NULL, is called for each duplicate found. Returns the check (free
 * with crm_dupcheck_free) or NULL with err. */
struct crm_dupcheck *
crm_dupcheck_new(struct crm_db *db, const struct crm_entity *e, int policy,
		 double threshold,
		 void (*report)(const struct crm_dup_report *r, void *arg),
		 void *report_arg, struct crm_err *err);
void crm_dupcheck_free(struct crm_dupcheck *dc);

/* The crm_import_opts.check function; arg is the struct crm_dupcheck.
 * Records within one input are not compared with each other (crm-dedupe
 * finds those after). */
int crm_dupcheck_import(struct crm_db *db, const struct crm_entity *e,
			struct crm_import_new *nw, void *arg,
			struct crm_err *err);

/* Duplicates found so far. */
uint64_t crm_dupcheck_found(const struct crm_dupcheck *dc);

#endif
