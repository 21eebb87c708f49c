/* import_map.h - which field each input column of an import becomes:
 * --map, the field's exact name, an export profile (--from), a custom
 * field already in use, the name compared loosely (case, spaces,
 * punctuation) and the other names (aliases: a field's in its row,
 * crm_field.names, then the entity's alias table); else a custom field
 * under the column's own name. */
#ifndef CRM_IMPORT_MAP_H
#define CRM_IMPORT_MAP_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"
#include "entity.h"
#include "record.h"
#include "util.h"

/* How a column found its field, best first: when two columns would fill
 * one field, the better way wins and the other column stays custom. */
enum crm_map_how {
	CRM_MAP_MAP,	    /* --map SOURCE=FIELD */
	CRM_MAP_EXACT,	    /* the field's name as it is */
	CRM_MAP_PROFILE,    /* the export profile's header */
	CRM_MAP_NORMALIZED, /* the field's name, loosely */
	CRM_MAP_ALIAS,	    /* one of the other names, loosely */
	CRM_MAP_CUSTOM,	    /* a custom field */
	CRM_MAP_IGNORED,    /* a reject file's error_line and error */
};
/* "map", "exact", "profile", "normalized", "alias", "custom", "ignored" */
const char *crm_map_how_name(enum crm_map_how h);

/* The loose form of a column name, in out (reset first): NFKC case folded,
 * without spaces, punctuation, underscores or control characters, so
 * "First Name", "first_name" and "FirstName" are all "firstname". */
void crm_header_norm(const char *s, struct crm_buf *out);

/* An export profile (share/crm/profiles/NAME.json, or a file): per entity
 * (by plural) an object of header -> field. Owned by the caller. */
struct crm_profile {
	char *name;	   /* as given to --from */
	char *path;	   /* the file read */
	json_t *root;	   /* the whole file */
	char *date_format; /* "date_format", or NULL: passed on as is */
};

/* Load profile name: a path when it has a '/' or ends in ".json", else
 * profiles/NAME.json under share/crm (crm_share_path). A missing profile
 * is CRM_EX_NOINPUT; a bad one CRM_EX_CONFIG naming the file and the
 * reason. Returns 0 or -1; p is released either way on failure. */
int crm_profile_load(const char *name, struct crm_profile *p,
		     struct crm_err *err);
/* Parse text as the profile file path (for crm_profile_load and tests). */
int crm_profile_parse(const char *text, const char *path, struct crm_profile *p,
		      struct crm_err *err);
void crm_profile_release(struct crm_profile *p);

/* What an import maps by. */
struct crm_colmap_opts {
	const struct crm_strv *map;	   /* "SOURCE=FIELD" each, or NULL */
	const struct crm_profile *profile; /* or NULL */
	bool match; /* loose names, aliases and known custom fields */
};

/* One column resolved. */
struct crm_colmap_col {
	long field;	  /* the field's index, or -1 */
	const char *name; /* field -1: the custom field (or input-only
			     column, e.g. a deal's company) it becomes;
			     NULL when the column is ignored */
	enum crm_map_how how;
	bool custom; /* name is a custom field's */
};

struct crm_colmap;

/* A mapping for imports of e. Checks the --map list: each SOURCE=FIELD
 * well formed, FIELD a field, an input-only column or custom:NAME, no
 * source or field twice (CRM_EX_USAGE); with o->match, reads the names
 * of the custom fields in use from db. NULL with err on failure. */
struct crm_colmap *crm_colmap_new(struct crm_db *db, const struct crm_entity *e,
				  const struct crm_colmap_opts *o,
				  struct crm_err *err);
void crm_colmap_free(struct crm_colmap *m);
/* Name the input for messages; fixed: every record has the same columns
 * (CSV, TSV), so the first record's are checked against --map at once. */
void crm_colmap_input(struct crm_colmap *m, const char *name, bool fixed);
/* The columns of in, resolved (in->n of them, valid until the next call;
 * cached while the columns stay the same). NULL with err (CRM_EX_USAGE)
 * when --map names a column the input lacks or clashes with one. */
const struct crm_colmap_col *crm_colmap_record(struct crm_colmap *m,
					       const struct crm_rec *in,
					       struct crm_err *err);
/* The same for a list of column names (--explain-mapping). */
const struct crm_colmap_col *crm_colmap_columns(struct crm_colmap *m,
						const struct crm_strv *names,
						struct crm_err *err);
/* At the end of an input: every --map source must have been a column
 * (header: the input's columns when known, else every column seen). */
int crm_colmap_finish(struct crm_colmap *m, const char *const *header,
		      size_t nheader, struct crm_err *err);
/* The columns that became custom fields so far, each once, in order. */
const struct crm_strv *crm_colmap_custom(const struct crm_colmap *m);

/* Every column of r: the header of CSV and TSV (reading at most one
 * record), every key of JSON records in order of first appearance
 * (reading them all). Returns 0 or -1 with err. */
int crm_input_columns(struct crm_reader *r, struct crm_strv *cols,
		      struct crm_err *err);

/* A contact's or lead's "name" input column, a whole name ("Ann Lee",
 * "Lee, Ann", "张伟"): split into first_name and last_name (Chinese
 * names: the surname first) unless the input gave either; in any case
 * removed from the custom fields. */
void crm_row_take_full_name(struct crm_row *row);

#endif
