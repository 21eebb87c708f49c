#ifndef CRM_HIER_H
#define CRM_HIER_H
/* A hierarchy of records (companies, campaigns, the contacts of a
 * company): rows of an id and a parent id, siblings in order by a key and
 * then the id, summed bottom up and walked depth first without recursion.
 * A record whose parent is missing is a root. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "store.h"
#include "util.h"

struct crm_hier_node {
	int64_t id, parent;	    /* parent 0: a root */
	char *key;		    /* siblings by key, then id */
	size_t row;		    /* the row's place in the load order */
	size_t first_child, nchild; /* into kids[], in sibling order */
	bool seen;		    /* the walk has been here */
};

struct crm_hier {
	struct crm_hier_node *n; /* by id */
	size_t len, cap;
	size_t *kids; /* the children of each node, contiguous per node */
	size_t *rank; /* every node, in sibling order */
};

/* Reads the rows of st (column 0 the id, 1 the parent id or NULL); add
 * reads the rest of each row (the rows number 0, 1, ... in the order
 * read) and returns the sort key, a string the hierarchy then owns.
 * Returns 0 or -1; st stays the caller's. */
int crm_hier_load(struct crm_hier *h, struct crm_stmt *st,
		  char *(*add)(struct crm_stmt *st, void *arg), void *arg,
		  struct crm_err *err);

/* The node of id, or -1. */
long crm_hier_find(const struct crm_hier *h, int64_t id);

/* The nodes under the roots, parents before children (breadth first):
 * sum them backwards for totals. Sets *n; caller frees. */
size_t *crm_hier_down(const struct crm_hier *h, size_t *n);

/* A node on the walk: parent_id is 0 at depth 0; path the ids from the
 * top, "1/4/9". fn returns 0 to go on, -1 to stop. */
typedef int (*crm_hier_fn)(const struct crm_hier_node *x, int64_t parent_id,
			   int depth, const char *path, void *arg);

/* Walks depth first: the trees of roots (each first replaced by its top
 * ancestor; an unknown one is CRM_EX_NOINPUT "no <noun> <id>"), or when
 * nroots is 0 every root in sibling order, and with unreached then also
 * the nodes that only a cycle in old data keeps from a root. Each node
 * once. Returns 0 or -1. */
int crm_hier_walk(struct crm_hier *h, const int64_t *roots, size_t nroots,
		  bool unreached, const char *noun, crm_hier_fn fn, void *arg,
		  struct crm_err *err);

void crm_hier_release(struct crm_hier *h);

/* The parent of id in the database, for crm_company_cycle: arg is a
 * struct crm_hier_up whose sql takes the id and selects the parent id. */
struct crm_hier_up {
	struct crm_db *db;
	const char *sql; /* "SELECT parent_id FROM companies WHERE id = ?" */
	struct crm_err *err;
};
int64_t crm_hier_parent_of(int64_t id, void *arg);

/* Whether parent may be the parent of self: exists_sql (taking the id)
 * finds it, and parent_sql (as in struct crm_hier_up) never leads from it
 * up to self. Else CRM_EX_DATAERR ("no <noun> 7", "a <noun> cannot be its
 * own parent", "<noun> 7 is below <noun> 3: that would make a cycle")
 * with err->field "parent_id". Returns 0 or -1. */
int crm_hier_parent_ok(struct crm_db *db, const char *noun,
		       const char *exists_sql, const char *parent_sql,
		       int64_t self, int64_t parent, struct crm_err *err);

#endif
