/* merge.h - merging duplicate records into one, and undoing merges.
 *
 * Survivorship: the oldest record (created_at, then id) survives; each
 * field takes the value of the most recently updated record that has one
 * (so empty fields are filled and conflicts go to the newest value) but
 * external_id stays the survivor's when it has one; tags
 * are the union; a forward-only enum (lifecycle stage) takes the furthest
 * stage; custom fields as plain fields. Rows of every table whose foreign
 * key refers to the entity's table (found in SQLite's foreign_key_list, so
 * tables added later are covered) are re-pointed to the survivor and
 * logged; the records' before-images go to crm_audit. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include "entity.h"

/* Merge records ids[0..n) (n >= 2, distinct) of e inside a transaction the
 * caller opened. result (initialized by the caller for e) receives the
 * surviving record; *merge the merge's number, for crm_merge_undo.
 * Returns 0, or -1 with err (a missing record: CRM_EX_NOINPUT). */
int crm_merge_records(struct crm_db *db, const struct crm_entity *e,
		      const int64_t *ids, size_t n, struct crm_row *result,
		      int64_t *merge, struct crm_err *err);

/* Undo merge number merge in one transaction: the merged records come back
 * with their ids and every field as before, the survivor's fields the
 * merge wrote are reverted, and the re-pointed rows that still point to
 * the survivor point to them again (a row moved since stays). Refused
 * (CRM_EX_DATAERR) when the survivor changed or was deleted since the
 * merge unless force; a merge undone already is CRM_EX_DATAERR, an
 * unknown one CRM_EX_NOINPUT. *n gets the number of records restored,
 * *links the number of references put back. */
int crm_merge_undo(struct crm_db *db, int64_t merge, bool force, bool dry_run,
		   uint64_t *n, uint64_t *links, struct crm_err *err);

#endif
