/* filter.h - --where, --sort: compiled to SQL text from the entity's own
 * column names plus bound parameters; a value is never spliced into SQL. */
#ifndef CRM_FILTER_H
#define CRM_FILTER_H

#include "entity.h"

enum crm_op { CRM_OP_EQ, CRM_OP_NE, CRM_OP_LT, CRM_OP_LE, CRM_OP_GT,
	      CRM_OP_GE, CRM_OP_HAS };

/* One parsed condition "field OP value"; strings owned. */
struct crm_cond {
	char *field;
	enum crm_op op;
	char *value;
};

/* Parameters collected while compiling, bound in order. */
struct crm_binds {
	struct crm_bind {
		char *s;   /* owned */
		char type; /* 't' text, 'i' integer, 'r' real */
	} *v;
	size_t n, cap;
};

/* Parse "field OP value" (OP one of = != < <= > >= ~; the first operator
 * found ends the field name, which is trimmed; so is the value). Returns 0,
 * or -1 with CRM_EX_USAGE. */
int crm_filter_parse(const char *expr, struct crm_cond *c,
		     struct crm_err *err);
void crm_cond_release(struct crm_cond *c);

/* Append " AND (...)" to sql for each expression. Field names are checked
 * against e's fields and the custom fields registered in db (db may be NULL:
 * then any custom name is accepted). Errors are CRM_EX_USAGE. */
int crm_filter_where(struct crm_db *db, const struct crm_entity *e,
		     const struct crm_strv *where, struct crm_buf *sql,
		     struct crm_binds *b, struct crm_err *err);
/* Append " ORDER BY ..." for "[-]field[,[-]field...]" (NULL or "": id),
 * always ending with the id so the order is total. */
int crm_filter_order(struct crm_db *db, const struct crm_entity *e,
		     const char *sort, struct crm_buf *sql, struct crm_binds *b,
		     struct crm_err *err);
/* Bind b's parameters to st from index first (1-based). */
void crm_binds_bind(const struct crm_binds *b, struct crm_stmt *st,
		    int first);
void crm_binds_push(struct crm_binds *b, const char *s, char type);
void crm_binds_release(struct crm_binds *b);

/* Whether name is a registered custom field of e. */
int crm_custom_known(struct crm_db *db, const struct crm_entity *e,
		     const char *name, struct crm_err *err);

#endif
