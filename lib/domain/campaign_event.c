/* campaign_event.c - provider events and replies applied to campaign
 * members (see campaign_event.h). */
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "campaign.h"
#include "campaign_event.h"
#include "datetime.h"
#include "dbq.h"

static const struct crm_synonym kinds[] = {
    {"delivered", "delivered"},
    {"delivery", "delivered"},
    {"open", "opened"},
    {"opened", "opened"},
    {"click", "clicked"},
    {"clicked", "clicked"},
    {"hard_bounce", "bounced"},
    {"soft_bounce", "soft_bounced"},
    {"complained", "complained"},
    {"complaint", "complained"},
    {"spamreport", "complained"},
    {"unsubscribed", "unsubscribed"},
    {"unsubscribe", "unsubscribed"},
    {"replied", "replied"},
};

const char *crm_campaign_event_kind(const char *event, const char *bounce)
{
	if (!event)
		return NULL;
	if (!strcasecmp(event, "bounce") || !strcasecmp(event, "bounced")) {
		if (!bounce || !*bounce || !strcasecmp(bounce, "hard") ||
		    !strcasecmp(bounce, "permanent"))
			return "bounced";
		if (!strcasecmp(bounce, "soft") ||
		    !strcasecmp(bounce, "temporary"))
			return "soft_bounced";
		return NULL;
	}
	return crm_synonym_of(kinds, sizeof(kinds) / sizeof(*kinds), event);
}

/* ev's time as ISO 8601 in out; -1 with err when bad. */
static int event_time(struct crm_db *db, const char *at, char *out,
		      struct crm_err *err)
{
	crm_time t;
	size_t n = at ? strlen(at) : 0;

	if (!n) {
		crm_datetime_format(db ? db->now : 0, out);
		return 0;
	}
	if (strspn(at, "0123456789") == n && n <= 12) {
		t = (crm_time)strtoll(at, NULL, 10);
	} else if (crm_datetime_parse(at, &t, err) < 0) {
		snprintf(err->field, sizeof(err->field), "time");
		return -1;
	}
	crm_datetime_format(t, out);
	return 0;
}

int crm_campaign_event_check(const struct crm_campaign_event *ev,
			     struct crm_err *err)
{
	char at[CRM_TIME_LEN];

	if (!ev->event || !*ev->event)
		return crm_err_field(err, "event", CRM_EX_DATAERR, "missing");
	if (!crm_campaign_event_kind(ev->event, ev->bounce)) {
		bool b = !strcasecmp(ev->event, "bounce") ||
			 !strcasecmp(ev->event, "bounced");

		snprintf(err->field, sizeof(err->field), "%s",
			 b ? "bounce" : "event");
		return crm_err_set(err, CRM_EX_DATAERR, "unknown %s '%s'",
				   b ? "bounce type (hard or soft)" : "event",
				   b ? ev->bounce : ev->event);
	}
	if ((!ev->token || !*ev->token) &&
	    (!ev->message_id || !*ev->message_id))
		return crm_err_field(err, "token", CRM_EX_DATAERR,
				     "needs a token or a message_id");
	if (ev->at && *ev->at && event_time(NULL, ev->at, at, err) < 0)
		return -1;
	return 0;
}

/* The token of a campaign Message-ID ("<TOKEN.N@host>"): into tok (64). */
static void token_of(const char *mid, char *tok, size_t n)
{
	size_t k;

	mid += strspn(mid, " <");
	k = strcspn(mid, ".@> ");
	if (k >= n)
		k = 0;
	memcpy(tok, mid, k);
	tok[k] = '\0';
}

struct member {
	int64_t id, record;
	char entity[16], status[32], campaign[256];
};

/* the member row (the token is unique: one row) */
static int member_row(struct crm_stmt *st, void *arg)
{
	struct member *m = arg;

	m->id = crm_stmt_int(st, 0);
	snprintf(m->entity, sizeof(m->entity), "%s", crm_stmt_text(st, 1));
	m->record = crm_stmt_int(st, 2);
	snprintf(m->status, sizeof(m->status), "%s", crm_stmt_text(st, 3));
	snprintf(m->campaign, sizeof(m->campaign), "%s",
		 crm_stmt_text(st, 4) ? crm_stmt_text(st, 4) : "");
	return 0;
}

/* 1 the member of token into m, 0 none, -1 error */
static int find_member(struct crm_db *db, const char *token, struct member *m,
		       struct crm_err *err)
{
	return crm_dbq_row(db, err, member_row, m,
			   "SELECT m.id, m.entity, m.record_id, m.status, "
			   "c.name FROM campaign_members m JOIN campaigns c ON "
			   "c.id = m.campaign_id WHERE m.token = ?",
			   "s", token);
}

/* The email statuses in the order a message goes through them. */
static int rank(const char *s)
{
	static const char *const order[] = {"targeted", "sent",	   "delivered",
					    "opened",	"clicked", "replied"};

	for (int i = 0; i < (int)(sizeof(order) / sizeof(*order)); i++)
		if (!strcmp(order[i], s))
			return i;
	return -1;
}

/* The status kind moves a member with status cur to, or NULL. */
static const char *next_status(const char *kind, const char *cur)
{
	if (!strcmp(kind, "soft_bounced"))
		return NULL;
	if (!strcmp(kind, "bounced"))
		return strcmp(cur, "bounced") && strcmp(cur, "unsubscribed") &&
			       strcmp(cur, "converted")
			   ? "bounced"
			   : NULL;
	if (!strcmp(kind, "complained") || !strcmp(kind, "unsubscribed"))
		return strcmp(cur, "unsubscribed") && strcmp(cur, "converted")
			   ? "unsubscribed"
			   : NULL;
	return rank(cur) >= 0 && rank(kind) > rank(cur) ? kind : NULL;
}

static int set_status(struct crm_db *db, struct member *m, const char *status,
		      const char *at, struct crm_err *err)
{
	if (crm_dbq_run(db, err,
			"UPDATE campaign_members SET status = ?, status_at = ? "
			"WHERE id = ?",
			"ssi", status, at, m->id) < 0 ||
	    crm_campaign_history(db, m->id, status, at, err) < 0)
		return -1;
	snprintf(m->status, sizeof(m->status), "%s", status);
	return 0;
}

/* Set the custom flag field (do_not_email, email_invalid) of the member's
 * record through the entity engine (change log, undo). */
static int set_flag(struct crm_db *db, const struct member *m,
		    const char *field, struct crm_err *err)
{
	static const struct crm_import_opts uo = {.command = "campaign events",
						  .mode = CRM_UPDATE_ONLY,
						  .keys = "id",
						  .force = true};
	const struct crm_entity *e = crm_entity_by_name(m->entity);
	struct crm_importer *im;
	enum crm_import_action a;
	struct crm_rec rec;
	char id[32];
	int rc = -1;

	if (!e)
		return crm_err_set(err, CRM_EX_SOFTWARE, "no entity %s",
				   m->entity);
	snprintf(id, sizeof(id), "%lld", (long long)m->record);
	crm_rec_init(&rec);
	crm_rec_adds(&rec, "id", id);
	crm_rec_adds(&rec, field, "true");
	if ((im = crm_importer_new(db, e, &uo, err)) &&
	    crm_importer_apply(im, &rec, NULL, &a, err) == 0)
		rc = 0;
	crm_importer_free(im);
	crm_rec_release(&rec);
	return rc;
}

/* Log the activity of kind for m with external_id key. */
static int log_activity(struct crm_db *db, const struct member *m,
			const char *kind, const char *at, const char *url,
			const char *key, struct crm_err *err)
{
	char type[32], *subject;
	struct crm_activity a = {0};
	int64_t id;
	int rc;

	snprintf(type, sizeof(type), "email_%s", kind);
	subject = crm_xasprintf("campaign '%s': %s", m->campaign, kind);
	a.type = type;
	a.direction = "in";
	a.subject = subject;
	a.body = url && *url ? url : NULL;
	a.occurred_at = at;
	a.channel = "email";
	if (!strcmp(m->entity, "lead"))
		a.lead_id = m->record;
	else
		a.contact_id = m->record;
	rc = crm_activity_log(db, &a, &id, err);
	free(subject);
	if (rc < 0)
		return -1;
	return crm_dbq_run(db, err,
			   "UPDATE activities SET external_id = ? WHERE id = ?",
			   "si", key, id);
}

static int seen(struct crm_db *db, const char *key, struct crm_err *err)
{
	return (int)crm_dbq_int(
	    db, err, "SELECT count(*) FROM activities WHERE external_id = ?1",
	    "s", key);
}

/* Apply kind to member m at at (key: the activity's external_id). */
static int apply(struct crm_db *db, struct member *m, const char *kind,
		 const char *at, const char *url, const char *key,
		 struct crm_err *err)
{
	const char *to = next_status(kind, m->status);

	if (to && set_status(db, m, to, at, err) < 0)
		return -1;
	if (!strcmp(kind, "bounced") &&
	    set_flag(db, m, "email_invalid", err) < 0)
		return -1;
	if ((!strcmp(kind, "complained") || !strcmp(kind, "unsubscribed")) &&
	    set_flag(db, m, "do_not_email", err) < 0)
		return -1;
	return log_activity(db, m, kind, at, url, key, err);
}

int crm_campaign_event_apply(struct crm_db *db,
			     const struct crm_campaign_event *ev,
			     enum crm_campaign_event_result *res,
			     struct crm_err *err)
{
	const char *kind;
	char tok[64], at[CRM_TIME_LEN];
	struct member m = {0};
	struct crm_buf key = {0};
	int rc;

	if (crm_campaign_event_check(ev, err) < 0 ||
	    event_time(db, ev->at, at, err) < 0)
		return -1;
	kind = crm_campaign_event_kind(ev->event, ev->bounce);
	if (ev->token && *ev->token)
		snprintf(tok, sizeof(tok), "%s", ev->token);
	else
		token_of(ev->message_id, tok, sizeof(tok));
	*res = CRM_EVENT_UNMATCHED;
	rc = *tok ? find_member(db, tok, &m, err) : 0;
	if (rc <= 0)
		return rc;
	if (ev->id && *ev->id)
		crm_buf_addf(&key, "campaign-event:%s:%s", kind, ev->id);
	else
		crm_buf_addf(&key, "campaign-event:%s:%s:%s:%s", tok, kind, at,
			     ev->url ? ev->url : "");
	rc = seen(db, key.s, err);
	if (rc > 0)
		*res = CRM_EVENT_DUPLICATE;
	else if (rc == 0 &&
		 (rc = apply(db, &m, kind, at, ev->url, key.s, err)) == 0)
		*res = CRM_EVENT_APPLIED;
	crm_buf_release(&key);
	return rc < 0 ? -1 : 0;
}

int crm_campaign_reply(struct crm_db *db, const char *message_id,
		       const char *at, bool *matched, struct crm_err *err)
{
	struct crm_campaign_event ev = {.event = "replied",
					.message_id = message_id,
					.at = at,
					.id = message_id};
	enum crm_campaign_event_result res;
	char tok[64];

	*matched = false;
	token_of(message_id, tok, sizeof(tok));
	/* a campaign Message-ID is TOKEN.FIRING@host, the token 32 hex
	 * digits: anything else is no campaign's */
	if (strlen(tok) != 32 || strspn(tok, "0123456789abcdef") != 32)
		return 0;
	if (crm_campaign_event_apply(db, &ev, &res, err) < 0)
		return -1;
	*matched = res != CRM_EVENT_UNMATCHED;
	return 0;
}
