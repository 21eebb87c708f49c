/* segment.h - segments (crm-campaign segment): named queries over
 * contacts or leads, one JSON file each (DIR/NAME.json): the where
 * language plus behavioural predicates (activities of a type, optionally
 * with a subject containing a text, at least or at most N times in the
 * last D days). The members of a segment at its last diff are kept, so
 * that diff tells who entered and who left, and entering raises the flow
 * event "segment.entered" (crm_flow_emit). See crm-formats(5). */
#ifndef CRM_SEGMENT_H
#define CRM_SEGMENT_H

#include <stdint.h>

#include "entity.h"

/* $CRM_SEGMENTS, else the share folder's segments/. Caller frees. */
char *crm_segments_default_dir(void);

struct crm_segment_act {
	char *type;    /* activity type */
	char *subject; /* subject contains this (case-insensitive), or NULL */
	int64_t min;   /* at least (default 1) */
	int64_t max;   /* at most, or -1 */
	int64_t days;  /* in the last days (> 0) */
};

struct crm_segment {
	char *name;
	const struct crm_entity *e; /* contact or lead */
	struct crm_strv where;
	struct crm_segment_act *acts;
	size_t nacts;
};

/* Load DIR/NAME.json. NAME: letters, digits, '-', '_'. Returns 0, or -1:
 * CRM_EX_NOINPUT for no such segment, CRM_EX_CONFIG naming the file and
 * field. */
int crm_segment_load(const char *dir, const char *name, struct crm_segment *s,
		     struct crm_err *err);
void crm_segment_release(struct crm_segment *s);
/* The names of the segments in dir, sorted. */
int crm_segment_names(const char *dir, struct crm_strv *names,
		      struct crm_err *err);

/* The ids of the records in the segment at now (ISO 8601), ascending;
 * *ids is the caller's (free). Returns the count, or -1. */
long crm_segment_eval(struct crm_db *db, const struct crm_segment *s,
		      const char *now, int64_t **ids, struct crm_err *err);

/* Compare the segment now with its members at the last diff, inside the
 * caller's transaction: fn gets each change ("entered" or "left") in id
 * order; the stored members become the new ones and each entering record
 * raises "segment.entered" (data {"segment": NAME}). Returns 0 or -1. */
/* A growing list of record ids (zeroed at first; the caller frees v). */
struct crm_idv {
	int64_t *v;
	size_t n, cap;
};
void crm_idv_push(struct crm_idv *x, int64_t id);
/* crm_entity_each: the record's id into the crm_idv arg; 0. */
int crm_idv_collect(const struct crm_row *row, void *arg);

int crm_segment_diff(struct crm_db *db, const struct crm_segment *s,
		     const char *now,
		     int (*fn)(const char *change, int64_t id, void *arg),
		     void *arg, struct crm_err *err);

#endif
