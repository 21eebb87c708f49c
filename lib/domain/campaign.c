/* campaign.c - marketing campaigns: the entity and its hierarchy, members
 * with statuses and their history, and the tree with roll-ups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "campaign.h"
#include "company.h"
#include "datetime.h"
#include "dbq.h"
#include "hier.h"

static const char *const campaign_types[] = {
    "email", "event", "webinar", "trade_show", "ads", "social", "content", NULL,
};

static const char *const campaign_statuses[] = {
    "planned", "active", "paused", "completed", "aborted", NULL,
};

const char *const crm_campaign_member_statuses[] = {
    "targeted", "sent",	     "delivered",    "opened",	"clicked",
    "replied",	"bounced",   "unsubscribed", "invited", "registered",
    "attended", "converted", NULL,
};

static const char *const responded[] = {
    "opened", "clicked", "replied", "registered", "attended", "converted",
};

bool crm_campaign_status_responded(const char *status)
{
	for (size_t i = 0; i < sizeof(responded) / sizeof(responded[0]); i++)
		if (!strcmp(status, responded[i]))
			return true;
	return false;
}

static const struct crm_field campaign_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Campaign ID"),
    {"name", CRM_T_TEXT,
     CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF,
     .names = "Campaign Name|Campaign|活动名称|活动"},
    {"name_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"type", CRM_T_ENUM, CRM_FF_BRIEF, campaign_types,
     .names = "Campaign Type|Type|活动类型"},
    {"channel", CRM_T_TEXT, CRM_FF_BRIEF},
    {"parent_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "campaign"},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, campaign_statuses},
    {"start_date", CRM_T_DATE, 0, .names = "Start Date|Start|开始日期"},
    {"end_date", CRM_T_DATE, 0, .names = "End Date|End|结束日期"},
    {"budget", CRM_T_MONEY, 0, NULL, "currency",
     .names = "Budgeted Cost|Budget|预算"},
    {"actual_cost", CRM_T_MONEY, 0, NULL, "currency",
     .names = "Actual Cost|Cost|实际成本"},
    {"currency", CRM_T_TEXT, 0},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF, .names = "Campaign Owner|Owner|负责人"},
    {"tags", CRM_T_TAGS, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

/* -- hierarchy --------------------------------------------------------- */

#define PARENT_OF "SELECT parent_id FROM campaigns WHERE id = ?"

/* A parent must exist and be no descendant of self. */
static int parent_ok(struct crm_db *db, int64_t self, int64_t parent,
		     struct crm_err *err)
{
	return crm_hier_parent_ok(db, "campaign",
				  "SELECT 1 FROM campaigns WHERE id = ?",
				  PARENT_OF, self, parent, err);
}

static int check_dates(const struct crm_row *row, struct crm_err *err)
{
	const char *s = crm_row_get(row, "start_date"),
		   *e = crm_row_get(row, "end_date");

	if (s && e && strcmp(e, s) < 0)
		return crm_err_field(err, "end_date", CRM_EX_DATAERR,
				     "end_date %s is before start_date %s", e,
				     s);
	return 0;
}

static int campaign_prepare(struct crm_db *db, const struct crm_entity *e,
			    struct crm_row *row, const struct crm_row *old,
			    void *arg, struct crm_err *err)
{
	long pf = crm_entity_field(e, "parent_id");
	json_t *pj = json_object_get(row->custom, "parent");

	(void)arg;
	if (!crm_row_get(row, "status"))
		crm_row_set(row, "status", "planned");
	if (check_dates(row, err) < 0)
		return -1;
	/* "parent" names the parent by id, external id or name */
	if (pj &&
	    crm_entity_set_parent(db, e, row, pf, pj, "campaign", err) < 0)
		return -1;
	if (!row->v[pf] || (old && !row->touched[pf]))
		return 0;
	return parent_ok(db, crm_row_id(row), strtoll(row->v[pf], NULL, 10),
			 err);
}

static int campaign_check(struct crm_db *db, const struct crm_entity *e,
			  const struct crm_row *row, struct crm_err *err)
{
	const char *p = crm_row_get(row, "parent_id");

	(void)e;
	if (check_dates(row, err) < 0)
		return -1;
	return p ? parent_ok(db, crm_row_id(row), strtoll(p, NULL, 10), err)
		 : 0;
}

static const char *const campaign_inputs[] = {"parent", NULL};

static const struct crm_alias campaign_aliases[] = {
    {"parent", "Parent Campaign|父活动"},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_campaign_entity = {
    .name = "campaign",
    .plural = "campaigns",
    .table = "campaigns",
    CRM_FIELDS(campaign_fields),
    .keys = "id,external_id",
    .prepare = campaign_prepare,
    .check = campaign_check,
    .inputs = campaign_inputs,
    .aliases = campaign_aliases,
};

/* -- members ----------------------------------------------------------- */

static int status_ok(const char *status, struct crm_err *err)
{
	for (size_t i = 0; crm_campaign_member_statuses[i]; i++)
		if (!strcmp(status, crm_campaign_member_statuses[i]))
			return 0;
	return crm_err_field(err, "status", CRM_EX_DATAERR,
			     "unknown member status '%s' (targeted, sent, "
			     "delivered, opened, clicked, replied, bounced, "
			     "unsubscribed, invited, registered, attended, "
			     "converted)",
			     status);
}

int crm_campaign_history(struct crm_db *db, int64_t member, const char *status,
			 const char *at, struct crm_err *err)
{
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO campaign_member_history (member_id, status, at) "
	    "VALUES (?, ?, ?)",
	    "iss", member, status, at);
}

/* The id of record id's membership of campaign, 0 none, -1 error. */
static int64_t member_id(struct crm_db *db, int64_t campaign,
			 const char *entity, int64_t id, struct crm_err *err)
{
	return crm_dbq_int(
	    db, err,
	    "SELECT id FROM campaign_members WHERE campaign_id = ? AND "
	    "entity = ? AND record_id = ?",
	    "isi", campaign, entity, id);
}

static int record_exists(struct crm_db *db, const char *entity, int64_t id,
			 struct crm_err *err)
{
	/* fixed text per entity: never spliced */
	int64_t n =
	    crm_dbq_int(db, err,
			!strcmp(entity, "lead")
			    ? "SELECT count(*) FROM leads WHERE id = ?1"
			    : "SELECT count(*) FROM contacts WHERE id = "
			      "?1",
			"i", id);

	return n < 0 ? -1 : n > 0;
}

/* 32 hex digits from the kernel's random source. */
static int new_token(char out[33], struct crm_err *err)
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
		if (n < 0)
			return crm_err_set(err, CRM_EX_SOFTWARE,
					   "getrandom: %s", strerror(errno));
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

int crm_campaign_members_add(struct crm_db *db, int64_t campaign,
			     const char *entity, const int64_t *ids, size_t n,
			     const char *status, const char *at,
			     uint64_t *added, struct crm_err *err)
{
	*added = 0;
	if (!status)
		status = "targeted";
	if (status_ok(status, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char tok[33];
		int64_t m;
		int rc;

		rc = record_exists(db, entity, ids[i], err);
		if (rc < 0)
			return -1;
		if (!rc)
			return crm_err_set(err, CRM_EX_DATAERR, "no %s %lld",
					   entity, (long long)ids[i]);
		m = member_id(db, campaign, entity, ids[i], err);
		if (m < 0)
			return -1;
		if (m)
			continue;
		if (new_token(tok, err) < 0)
			return -1;
		rc = crm_dbq_step(
		    db, err, &m,
		    "INSERT INTO campaign_members (campaign_id, entity, "
		    "record_id, status, token, added_at, status_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    "isissss", campaign, entity, ids[i], status, tok, at, at);
		if (rc <= 0) {
			if (!rc)
				crm_err_set(err, CRM_EX_SOFTWARE,
					    "no id for a new member");
			return -1;
		}
		if (crm_campaign_history(db, m, status, at, err) < 0)
			return -1;
		(*added)++;
	}
	return 0;
}

int crm_campaign_members_status(struct crm_db *db, int64_t campaign,
				const char *entity, const int64_t *ids,
				size_t n, const char *status, const char *at,
				uint64_t *changed, struct crm_err *err)
{
	*changed = 0;
	if (status_ok(status, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t m = member_id(db, campaign, entity, ids[i], err);
		int rc;

		if (m < 0)
			return -1;
		if (!m)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s %lld is no member of campaign "
					   "%lld",
					   entity, (long long)ids[i],
					   (long long)campaign);
		rc = crm_dbq_step(
		    db, err, NULL,
		    "UPDATE campaign_members SET status = ?, status_at = ? "
		    "WHERE id = ? AND status <> ? RETURNING id",
		    "ssis", status, at, m, status);
		if (rc < 0)
			return -1;
		if (!rc) /* it had that status already */
			continue;
		if (crm_campaign_history(db, m, status, at, err) < 0)
			return -1;
		(*changed)++;
	}
	return 0;
}

/* -- touches ----------------------------------------------------------- */

/* a membership: first[0] the first campaign, first[1] the last */
static int touch(struct crm_stmt *st, void *arg)
{
	int64_t *first = arg;

	if (!first[0])
		first[0] = crm_stmt_int(st, 0);
	first[1] = crm_stmt_int(st, 0);
	return 0;
}

static int touches_of(struct crm_db *db, const char *entity, int64_t id,
		      int64_t *first, int64_t *last, struct crm_err *err)
{
	int64_t fl[2] = {*first, *last};
	int rc = crm_dbq_each(
	    db, err, touch, fl,
	    "SELECT campaign_id FROM campaign_members WHERE entity = ? AND "
	    "record_id = ? ORDER BY added_at, id",
	    "si", entity, id);

	*first = fl[0];
	*last = fl[1];
	return rc;
}

int crm_campaign_touches(struct crm_db *db, const char *entity, int64_t id,
			 int64_t *first, int64_t *last, struct crm_err *err)
{
	int64_t lead, contact;

	*first = *last = 0;
	if (strcmp(entity, "deal"))
		return touches_of(db, entity, id, first, last, err);
	lead = crm_dbq_int(db, err, "SELECT lead_id FROM deals WHERE id = ?",
			   "i", id);
	contact = lead < 0 ? -1
			   : crm_dbq_int(db, err,
					 "SELECT contact_id FROM deals WHERE "
					 "id = ?",
					 "i", id);
	if (contact < 0)
		return -1;
	if (lead && touches_of(db, "lead", lead, first, last, err) < 0)
		return -1;
	if (!*first && contact &&
	    touches_of(db, "contact", contact, first, last, err) < 0)
		return -1;
	return 0;
}

/* -- tree -------------------------------------------------------------- */

struct ctree {
	struct crm_hier h;
	/* by row: the campaign's own fields and its totals (the walk adds
	 * id, parent, depth and path) */
	struct crm_campaign_node *n;
	size_t len, cap;
};

/* crm_hier_load: one campaign into the tree; its key is name_key */
static char *ctree_add(struct crm_stmt *st, void *arg)
{
	struct ctree *t = arg;
	const char *key = crm_stmt_text(st, 3);

	t->n = crm_xgrow(t->n, &t->cap, t->len + 1, sizeof(*t->n));
	t->n[t->len] = (struct crm_campaign_node){
	    .name =
		crm_xstrdup(crm_stmt_text(st, 2) ? crm_stmt_text(st, 2) : ""),
	    .type = crm_stmt_dup(st, 4),
	    .status = crm_stmt_dup(st, 5),
	    .currency = crm_stmt_dup(st, 6),
	    .budget = crm_stmt_int(st, 7),
	    .cost = crm_stmt_int(st, 8),
	};
	t->len++;
	return crm_xstrdup(key ? key : "");
}

/* The campaign of node i. */
static struct crm_campaign_node *cnode_at(struct ctree *t, size_t i)
{
	return &t->n[t->h.n[i].row];
}

/* one campaign's members of one status */
static int count_member(struct crm_stmt *st, void *arg)
{
	struct ctree *t = arg;
	long i = crm_hier_find(&t->h, crm_stmt_int(st, 0));
	const char *s = crm_stmt_text(st, 1);
	uint64_t c = (uint64_t)crm_stmt_int(st, 2);

	if (i < 0)
		return 0;
	cnode_at(t, (size_t)i)->members += c;
	if (s && crm_campaign_status_responded(s))
		cnode_at(t, (size_t)i)->responses += c;
	return 0;
}

static int count_members(struct crm_db *db, struct ctree *t,
			 struct crm_err *err)
{
	return crm_dbq_each(
	    db, err, count_member, t,
	    "SELECT campaign_id, status, count(*) FROM campaign_members "
	    "GROUP BY campaign_id, status",
	    "");
}

/* Totals of each node from its own and its children's, children first. */
static void sum_nodes(struct ctree *t)
{
	size_t n, *order = crm_hier_down(&t->h, &n);

	while (n--) {
		const struct crm_hier_node *hx = &t->h.n[order[n]];
		struct crm_campaign_node *x = cnode_at(t, order[n]);

		x->members_total = x->members;
		x->responses_total = x->responses;
		x->budget_total = x->budget;
		x->cost_total = x->cost;
		x->total_currency = x->currency;
		x->mixed = false;
		for (size_t k = 0; k < hx->nchild; k++) {
			struct crm_campaign_node *c =
			    cnode_at(t, t->h.kids[hx->first_child + k]);
			x->members_total += c->members_total;
			x->responses_total += c->responses_total;
			if (c->mixed) {
				x->mixed = true;
				continue;
			}
			if (c->total_currency && x->total_currency &&
			    strcmp(c->total_currency, x->total_currency))
				x->mixed = true;
			else if (c->total_currency && !x->total_currency &&
				 (x->budget_total || x->cost_total))
				x->mixed = true;
			else if (!c->total_currency && x->total_currency &&
				 (c->budget_total || c->cost_total))
				x->mixed = true;
			if (!x->total_currency)
				x->total_currency = c->total_currency;
			x->budget_total += c->budget_total;
			x->cost_total += c->cost_total;
		}
	}
	free(order);
}

struct walk_ctx {
	struct ctree *t;
	int (*fn)(const struct crm_campaign_node *n, void *arg);
	void *arg;
};

static int walk_node(const struct crm_hier_node *hx, int64_t parent, int depth,
		     const char *path, void *arg)
{
	struct walk_ctx *w = arg;
	struct crm_campaign_node cn = w->t->n[hx->row];

	cn.id = hx->id;
	cn.parent_id = parent;
	cn.depth = depth;
	cn.path = path;
	if (cn.mixed) {
		cn.total_currency = NULL;
		cn.budget_total = 0;
		cn.cost_total = 0;
	}
	return w->fn(&cn, w->arg);
}

int crm_campaign_tree(struct crm_db *db, const int64_t *roots, size_t nroots,
		      int (*fn)(const struct crm_campaign_node *n, void *arg),
		      void *arg, struct crm_err *err)
{
	struct ctree t = {0};
	struct walk_ctx w = {.t = &t, .fn = fn, .arg = arg};
	struct crm_stmt *st;
	int rc = -1;

	st = crm_dbq(db, err,
		     "SELECT id, parent_id, name, name_key, type, status, "
		     "currency, budget, actual_cost FROM campaigns",
		     "");
	if (!st)
		return -1;
	rc = crm_hier_load(&t.h, st, ctree_add, &t, err);
	crm_stmt_reset(st);
	if (rc < 0 || (rc = count_members(db, &t, err)) < 0)
		goto out;
	sum_nodes(&t);
	rc = crm_hier_walk(&t.h, roots, nroots, false, "campaign", walk_node,
			   &w, err);
out:
	for (size_t i = 0; i < t.len; i++) {
		free((char *)t.n[i].name);
		free((char *)t.n[i].type);
		free((char *)t.n[i].status);
		free((char *)t.n[i].currency);
	}
	free(t.n);
	crm_hier_release(&t.h);
	return rc;
}
