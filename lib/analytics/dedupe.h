/* dedupe.h - duplicate detection over a set of records: normalization per
 * field type, blocking, a Fellegi-Sunter model estimated by EM without
 * labels (u from random pairs, m and the match rate by EM on the candidate
 * pairs, term-frequency adjusted for exact agreement), probabilities per
 * pair, clustering that resists chains of weak links, and deterministic
 * AND/OR rules as an alternative to the model.
 *
 * Use: crm_dedupe_new with the compared fields, crm_dedupe_add per record,
 * crm_dedupe_run, then read clusters or pairs. Memory is about 150 bytes a
 * record plus 16 bytes a candidate pair. */
#ifndef CRM_DEDUPE_H
#define CRM_DEDUPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* How a field is normalized, blocked on and compared. */
enum crm_dd_type {
	CRM_DD_IGNORE = 0,
	CRM_DD_FIRST_NAME, /* nicknames, phonetic code, initials */
	CRM_DD_LAST_NAME,  /* phonetic code; swapped with first name */
	CRM_DD_NAME,	   /* a full name: words in any order */
	CRM_DD_EMAIL,	   /* provider rules (gmail dots, +tags) */
	CRM_DD_PHONE,	   /* last 9 digits */
	CRM_DD_DATE,	   /* forgives day/month swaps and one-digit typos */
	CRM_DD_POSTCODE,
	CRM_DD_ADDRESS, /* street abbreviations, word sets */
	CRM_DD_COMPANY, /* legal forms dropped, word sets */
	CRM_DD_TEXT,	/* city, state, country ...: exact or close */
	CRM_DD_NUMBER,	/* within 5% */
	CRM_DD_DOMAIN,	/* web domain: scheme, www. and path dropped */
	CRM_DD_NTYPES
};

/* "first_name" -> CRM_DD_FIRST_NAME ... ("ignore" too); -1 if unknown. */
int crm_dd_type_parse(const char *s);
const char *crm_dd_type_name(int type);
/* The type a column's name suggests (given_name, surname, dob, zip, ...),
 * CRM_DD_IGNORE when none. */
int crm_dd_type_guess(const char *column);

#define CRM_DD_MAXFIELDS 10

struct crm_dedupe;

/* A dedupe over fields names[i] of types[i] (CRM_DD_IGNORE fields are
 * dropped; at most CRM_DD_MAXFIELDS others, at least one: else NULL with
 * err, CRM_EX_USAGE). Names are copied. Free with crm_dedupe_free. */
struct crm_dedupe *crm_dedupe_new(const char *const *names, const int *types,
				  size_t n, struct crm_err *err);
void crm_dedupe_free(struct crm_dedupe *dd);

/* Add a record: id (copied; any text) and one value per field given to
 * crm_dedupe_new (ignored ones included), in that order, NULL for
 * missing. Returns its index, or -1 with err (CRM_EX_DATAERR): a value
 * that is not UTF-8 (err->field names the field), an id given before
 * (err->field is "id"), or more than 2^28 records. */
long crm_dedupe_add(struct crm_dedupe *dd, const char *id,
		    const char *const *vals, struct crm_err *err);

/* Adding records on another thread while the caller reads the next ones
 * (reading and normalizing take about as long): the same records in the
 * same order as crm_dedupe_add would add them. Nothing else may use dd
 * until crm_dedupe_feed_end. threads as in crm_dedupe_opts: with 1, each
 * record is added at once. Free with crm_dedupe_feed_end. */
struct crm_dedupe_feed;
struct crm_dedupe_feed *crm_dedupe_feed_new(struct crm_dedupe *dd,
					    unsigned threads);
/* Queue a record (id and vals are copied) with a tag of the caller's (an
 * input line) for errors. Returns 0, or -1 once a record has failed. */
int crm_dedupe_feed_add(struct crm_dedupe_feed *fd, const char *id,
			const char *const *vals, long tag);
/* Add what is queued, then free fd. Returns 0, or -1 with err as
 * crm_dedupe_add failed for the first record that did, and its tag. */
int crm_dedupe_feed_end(struct crm_dedupe_feed *fd, struct crm_err *err,
			long *tag);

struct crm_dedupe_opts {
	double threshold;   /* 0-1: a pair at or above it matches (0.5) */
	const char *rule;   /* "email | first_name & last_name~": use this
			       rule instead of the model; NULL for none */
	unsigned max_block; /* blocks bigger than this are windowed (16) */
	unsigned window;    /* neighbours compared in a big block (4) */
	unsigned threads;   /* threads to compare pairs on (0: one per CPU,
			       at most 8); results do not depend on it */
};

/* Block, estimate the model, score and cluster. Returns 0, or -1 with err
 * (a bad rule: CRM_EX_USAGE). */
int crm_dedupe_run(struct crm_dedupe *dd, const struct crm_dedupe_opts *o,
		   struct crm_err *err);

/* Results, after crm_dedupe_run. */
size_t crm_dedupe_count(const struct crm_dedupe *dd);
const char *crm_dedupe_id(const struct crm_dedupe *dd, size_t i);
/* The index of record i's cluster: that of its first member (itself for a
 * record with no duplicate). */
size_t crm_dedupe_cluster(const struct crm_dedupe *dd, size_t i);
/* Members of i's cluster, i's included. */
size_t crm_dedupe_cluster_size(const struct crm_dedupe *dd, size_t i);
/* Match probability (0-1) of record i with its cluster's center, the
 * center's being its best link; -1 for a record with no duplicate. */
double crm_dedupe_prob(const struct crm_dedupe *dd, size_t i);
/* Counts of candidate pairs compared and of those at the threshold. */
void crm_dedupe_stats(const struct crm_dedupe *dd, uint64_t *pairs,
		      uint64_t *matches);

/* Compared fields (those not ignored), their names and level names. */
size_t crm_dedupe_nfields(const struct crm_dedupe *dd);
const char *crm_dedupe_field(const struct crm_dedupe *dd, size_t f);
/* "exact", "similar", "weak", "differ", or NULL for a missing value
 * (level -1). */
const char *crm_dedupe_level_name(const struct crm_dedupe *dd, size_t f,
				  int level);

/* Call fn for each candidate pair a < b (input order) whose probability is
 * at least threshold, with the level of agreement of each compared field.
 * fn returns 0 to go on, -1 to stop with an error. Returns 0 or -1. */
int crm_dedupe_each_pair(struct crm_dedupe *dd, double threshold,
			 int (*fn)(size_t a, size_t b, double p,
				   const int *levels, void *arg),
			 void *arg);

/* Candidates for one more record (an import checking for duplicates):
 * after crm_dedupe_run, calls fn with every record sharing a block with
 * vals whose match probability is at least threshold. The record is not
 * kept. Returns the number found, or -1 with err. */
long crm_dedupe_candidates(struct crm_dedupe *dd, const char *const *vals,
			   double threshold,
			   int (*fn)(size_t i, double p, void *arg), void *arg,
			   struct crm_err *err);

/* Parse "NAME[:TYPE],..." into names and types (*types allocated, caller
 * frees); a NAME without TYPE takes crm_dd_type_guess's, and one it cannot
 * guess is an error (CRM_EX_USAGE), as is an unknown TYPE. */
int crm_dedupe_parse_fields(const char *spec, struct crm_strv *names,
			    int **types, struct crm_err *err);

struct crm_db;
struct crm_entity;
struct crm_strv;
/* A dedupe over the records of entity e that the filters where select
 * (NULL: all), by record id. spec as for crm_dedupe_parse_fields, or NULL
 * for the entity's own: emails, phones, and every field whose name
 * crm_dd_type_guess knows (a field "name" of a company is a company name),
 * then custom fields in use whose names it knows, up to CRM_DD_MAXFIELDS.
 * ids[i] is the id of record i (allocated, caller frees). threads as in
 * crm_dedupe_opts (records are added while the next are read). */
struct crm_dedupe *crm_dedupe_load(struct crm_db *db,
				   const struct crm_entity *e,
				   const struct crm_strv *where,
				   const char *spec, unsigned threads,
				   int64_t **ids, struct crm_err *err);

#endif
