/* readahead.h - records read, and made ready, on a second thread while the
 * caller works on the ones before: a bulk import parses and normalizes on
 * one core and writes to SQLite on the other. Records come out in input
 * order, each with what the reading thread's prepare function made of it,
 * so the caller sees exactly what a plain loop over crm_reader_next would.
 *
 * Only for a reader over a regular file: the reading thread must never
 * block on input, so that stopping early (an error, a signal) only waits
 * for the records in flight. The prepare function must touch nothing the
 * caller uses at the same time. */
#ifndef CRM_READAHEAD_H
#define CRM_READAHEAD_H

#include "record.h"

struct crm_readahead;

struct crm_readahead_ops {
	void *(*init)(void *arg);		/* a slot's own data */
	void (*release)(void *arg, void *data); /* frees it */
	/* On the reading thread, for each record read: fill data from rec.
	 * Its result and err come back with the record. */
	int (*prepare)(void *arg, const struct crm_rec *rec, void *data,
		       struct crm_err *err);
	void *arg;
};

/* Start reading r ahead. NULL when no thread could be started (then read
 * r directly). */
struct crm_readahead *crm_readahead_new(struct crm_reader *r,
					const struct crm_readahead_ops *ops);

/* The next record, as crm_reader_next returns it (1, 0 at the end, -1 with
 * err), with *rec, *data and *prepared (prepare's result, its error in
 * err) set when 1. They stay valid until the next call. */
int crm_readahead_next(struct crm_readahead *ra, const struct crm_rec **rec,
		       void **data, int *prepared, struct crm_err *err);

/* Stop the reading thread (it finishes the records in flight) and free. */
void crm_readahead_free(struct crm_readahead *ra);

#endif
