/* hier.c: a hierarchy of records, loaded, ordered, summed and walked (see
 * hier.h). */
#include "hier.h"

#include "company.h"
#include "dbq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hier_load {
	struct crm_hier *h;
	char *(*add)(struct crm_stmt *st, void *arg);
	void *arg;
};

static int load_row(struct crm_stmt *st, void *arg)
{
	struct hier_load *l = arg;
	struct crm_hier *h = l->h;
	char *key;

	h->n = crm_xgrow(h->n, &h->cap, h->len + 1, sizeof(*h->n));
	key = l->add(st, l->arg);
	h->n[h->len] = (struct crm_hier_node){
	    .id = crm_stmt_int(st, 0),
	    .parent = crm_stmt_int(st, 1),
	    .key = key ? key : crm_xstrdup(""),
	    .row = h->len,
	};
	h->len++;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	const struct crm_hier_node *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_key(const void *a, const void *b)
{
	const struct crm_hier_node *x = *(const struct crm_hier_node *const *)a;
	const struct crm_hier_node *y = *(const struct crm_hier_node *const *)b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

long crm_hier_find(const struct crm_hier *h, int64_t id)
{
	size_t lo = 0, hi = h->len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (h->n[mid].id < id)
			lo = mid + 1;
		else if (h->n[mid].id > id)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

int crm_hier_load(struct crm_hier *h, struct crm_stmt *st,
		  char *(*add)(struct crm_stmt *st, void *arg), void *arg,
		  struct crm_err *err)
{
	struct hier_load l = {h, add, arg};
	struct crm_hier_node **by_key;
	size_t *pos;

	if (crm_stmt_each(st, load_row, &l, err) < 0)
		return -1;
	if (h->len)
		qsort(h->n, h->len, sizeof(*h->n), cmp_id);
	/* children: count, then place them in sibling order */
	for (size_t i = 0; i < h->len; i++) {
		long p = h->n[i].parent ? crm_hier_find(h, h->n[i].parent) : -1;
		if (p >= 0)
			h->n[p].nchild++;
		else
			h->n[i].parent = 0; /* a missing parent makes a root */
	}
	by_key = crm_xcalloc(h->len + 1, sizeof(*by_key));
	for (size_t i = 0; i < h->len; i++)
		by_key[i] = &h->n[i];
	if (h->len)
		qsort(by_key, h->len, sizeof(*by_key), cmp_key);
	h->rank = crm_xcalloc(h->len + 1, sizeof(*h->rank));
	for (size_t i = 0; i < h->len; i++)
		h->rank[i] = (size_t)(by_key[i] - h->n);
	free(by_key);
	pos = crm_xcalloc(h->len + 1, sizeof(*pos));
	for (size_t i = 0, at = 0; i < h->len; i++) {
		h->n[i].first_child = pos[i] = at;
		at += h->n[i].nchild;
	}
	h->kids = crm_xcalloc(h->len + 1, sizeof(*h->kids));
	for (size_t r = 0; r < h->len; r++) {
		size_t i = h->rank[r];
		if (h->n[i].parent) {
			long p = crm_hier_find(h, h->n[i].parent);
			h->kids[pos[p]++] = i;
		}
	}
	free(pos);
	return 0;
}

size_t *crm_hier_down(const struct crm_hier *h, size_t *n)
{
	size_t *order = crm_xcalloc(h->len + 1, sizeof(*order));

	*n = 0;
	for (size_t i = 0; i < h->len; i++)
		if (!h->n[i].parent)
			order[(*n)++] = i;
	for (size_t q = 0; q < *n; q++) {
		const struct crm_hier_node *x = &h->n[order[q]];
		for (size_t c = 0; c < x->nchild; c++)
			order[(*n)++] = h->kids[x->first_child + c];
	}
	return order;
}

struct frame {
	size_t node, next;
	size_t pathlen;
};

static int walk(struct crm_hier *h, size_t root, crm_hier_fn fn, void *arg)
{
	struct frame *stack = NULL;
	size_t depth = 0, cap = 0;
	struct crm_buf path = {0};
	int rc = 0;

	stack = crm_xgrow(stack, &cap, 1, sizeof(*stack));
	stack[0] = (struct frame){root, 0, 0};
	for (;;) {
		struct frame *f = &stack[depth];
		struct crm_hier_node *x = &h->n[f->node];

		if (f->next == 0 && !x->seen) {
			x->seen = true;
			path.len = f->pathlen;
			crm_buf_addf(&path, "%s%lld", f->pathlen ? "/" : "",
				     (long long)x->id);
			if (fn(x, depth ? x->parent : 0, (int)depth,
			       crm_buf_str(&path), arg) < 0) {
				rc = -1;
				break;
			}
			f->pathlen = path.len; /* children extend this path */
		}
		if (f->next < x->nchild) {
			size_t c = h->kids[x->first_child + f->next++];
			size_t pl = f->pathlen;

			if (h->n[c].seen)
				continue;
			stack =
			    crm_xgrow(stack, &cap, depth + 2, sizeof(*stack));
			stack[++depth] = (struct frame){c, 0, pl};
			continue;
		}
		if (depth == 0)
			break;
		depth--;
	}
	free(stack);
	crm_buf_release(&path);
	return rc;
}

int crm_hier_walk(struct crm_hier *h, const int64_t *roots, size_t nroots,
		  bool unreached, const char *noun, crm_hier_fn fn, void *arg,
		  struct crm_err *err)
{
	size_t *top = crm_xcalloc(h->len + 1, sizeof(*top)), ntop = 0;
	int rc = -1;

	for (size_t i = 0; i < nroots; i++) {
		long x = crm_hier_find(h, roots[i]);
		size_t steps = 0;

		if (x < 0) {
			crm_err_set(err, CRM_EX_NOINPUT, "no %s %lld", noun,
				    (long long)roots[i]);
			goto out;
		}
		while (h->n[x].parent && steps++ < h->len)
			x = crm_hier_find(h, h->n[x].parent);
		top[ntop++] = (size_t)x;
	}
	if (!nroots)
		for (size_t r = 0; r < h->len; r++)
			if (!h->n[h->rank[r]].parent)
				top[ntop++] = h->rank[r];
	for (size_t i = 0; i < ntop; i++)
		if (!h->n[top[i]].seen && walk(h, top[i], fn, arg) < 0)
			goto out;
	/* what a cycle keeps from every root: by parent, then in sibling
	 * order */
	for (size_t p = 0; !nroots && unreached && p < h->len; p++)
		for (size_t c = 0; c < h->n[p].nchild; c++) {
			size_t k = h->kids[h->n[p].first_child + c];
			if (!h->n[k].seen && walk(h, k, fn, arg) < 0)
				goto out;
		}
	rc = 0;
out:
	free(top);
	return rc;
}

void crm_hier_release(struct crm_hier *h)
{
	for (size_t i = 0; i < h->len; i++)
		free(h->n[i].key);
	free(h->n);
	free(h->kids);
	free(h->rank);
	*h = (struct crm_hier){0};
}

int64_t crm_hier_parent_of(int64_t id, void *arg)
{
	struct crm_hier_up *up = arg;

	return crm_dbq_int(up->db, up->err, up->sql, "i", id);
}

int crm_hier_parent_ok(struct crm_db *db, const char *noun,
		       const char *exists_sql, const char *parent_sql,
		       int64_t self, int64_t parent, struct crm_err *err)
{
	struct crm_hier_up up = {db, parent_sql, err};
	int rc;

	snprintf(err->field, sizeof(err->field), "parent_id");
	rc = crm_dbq_step(db, err, NULL, exists_sql, "i", parent);
	if (rc < 0)
		return -1;
	if (!rc)
		return crm_err_set(err, CRM_EX_DATAERR, "no %s %lld", noun,
				   (long long)parent);
	rc = crm_company_cycle(self, parent, crm_hier_parent_of, &up, 100000);
	if (rc < 0)
		return -1;
	if (rc && parent == self)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a %s cannot be its own parent", noun);
	if (rc)
		return crm_err_set(
		    err, CRM_EX_DATAERR,
		    "%s %lld is below %s %lld: that would make a "
		    "cycle",
		    noun, (long long)parent, noun, (long long)self);
	err->field[0] = '\0';
	return 0;
}
