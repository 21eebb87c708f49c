/* campaign_send.c - the campaign send queue and its run (see
 * campaign_send.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bizcal.h"
#include "campaign.h"
#include "campaign_send.h"
#include "datetime.h"
#include "dbq.h"
#include "mime.h"

static bool truthy(json_t *v)
{
	const char *s;

	if (json_is_true(v))
		return true;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	return !strcasecmp(s, "true") || !strcasecmp(s, "yes") ||
	       !strcmp(s, "1");
}

int crm_campaign_consent(struct crm_db *db, const struct crm_row *row,
			 const char **why, struct crm_err *err)
{
	char *status;

	*why = NULL;
	if (truthy(json_object_get(row->custom, "do_not_email"))) {
		*why = "do_not_email";
		return 0;
	}
	if (truthy(json_object_get(row->custom, "email_invalid"))) {
		*why = "email invalid";
		return 0;
	}
	if (crm_dbq_text(db, err, &status,
			 "SELECT status FROM campaign_members WHERE entity = ? "
			 "AND record_id = ? AND status IN ('unsubscribed', "
			 "'bounced') ORDER BY id LIMIT 1",
			 "si", row->e->name, crm_row_id(row)) < 0)
		return -1;
	if (status)
		*why = !strcmp(status, "bounced") ? "bounced" : "unsubscribed";
	free(status);
	return 0;
}

int crm_campaign_send_queue(struct crm_db *db, int64_t campaign, int64_t member,
			    const char *addr, const char *message_id,
			    const char *message, struct crm_err *err)
{
	char at[CRM_TIME_LEN];

	crm_datetime_format(db->now, at);
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO campaign_sends (campaign_id, member_id, recipient, "
	    "message_id, message, not_before, status, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, 'queued', ?)",
	    "iisssss", campaign, member, addr, message_id, message, at, at);
}

int64_t crm_campaign_send_pending(struct crm_db *db, const char *entity,
				  int64_t id, struct crm_err *err)
{
	return crm_dbq_int(
	    db, err,
	    "SELECT count(*) FROM campaign_sends s JOIN campaign_members m ON "
	    "m.id = s.member_id WHERE m.entity = ? AND m.record_id = ? AND "
	    "s.status IN ('queued', 'sending')",
	    "si", entity, id);
}

static int hhmm(const char *s, size_t n, int *min)
{
	int h, m;

	if (n != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 ||
	    strspn(s + 3, "0123456789") < 2)
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int crm_campaign_parse_quiet(const char *s, int *start, int *end,
			     struct crm_err *err)
{
	const char *dash = strchr(s, '-');

	if (!dash || hhmm(s, (size_t)(dash - s), start) < 0 ||
	    hhmm(dash + 1, strlen(dash + 1), end) < 0 || *start == *end)
		return crm_err_field(err, "quiet_hours", CRM_EX_DATAERR,
				     "expected HH:MM-HH:MM (local time, start "
				     "and end differ), got '%s'",
				     s);
	return 0;
}

int crm_campaign_parse_rate(const char *s, int64_t *n, int64_t *window,
			    struct crm_err *err)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	*window = 0;
	if (v >= 1 && *end == '/') {
		if (!strcmp(end + 1, "hour") || !strcmp(end + 1, "h"))
			*window = 3600;
		else if (!strcmp(end + 1, "minute") || !strcmp(end + 1, "min"))
			*window = 60;
		else if (!strcmp(end + 1, "day") || !strcmp(end + 1, "d"))
			*window = 86400;
	}
	if (!*window)
		return crm_err_field(err, "send_rate", CRM_EX_DATAERR,
				     "expected N/minute, N/hour or N/day (N at "
				     "least 1), got '%s'",
				     s);
	*n = v;
	return 0;
}

/* -- the run ----------------------------------------------------------- */

struct camp {
	int64_t id;
	char *name;
	bool quiet;
	int qstart, qend;
	int64_t rate, window, sent_now; /* sent_now: in this run */
};

struct due {
	int64_t id, campaign, member, record;
	char *entity, *to, *msg, *nb;
	const char *status; /* what the run did (static), NULL: nothing */
	char *detail;
};

static void custom_str(const struct crm_row *row, const char *k, char *out,
		       size_t n)
{
	const char *v = crm_row_get(row, k);
	json_t *j = json_object_get(row->custom, k);

	if (!v && json_is_string(j))
		v = json_string_value(j);
	snprintf(out, n, "%s", v ? v : "");
}

static int load_camp(struct crm_db *db, int64_t id, struct camp *c,
		     struct crm_err *err)
{
	const struct crm_entity *e = crm_entity_by_name("campaign");
	struct crm_row row;
	char q[64], r[64];
	int rc;

	memset(c, 0, sizeof(*c));
	c->id = id;
	crm_row_init(&row, e);
	rc = crm_entity_get(db, e, id, &row, err);
	if (rc <= 0) {
		crm_row_release(&row);
		if (rc == 0)
			crm_err_set(err, CRM_EX_DATAERR, "no campaign %lld",
				    (long long)id);
		return -1;
	}
	c->name = crm_xstrdup(crm_row_get(&row, "name"));
	custom_str(&row, "quiet_hours", q, sizeof(q));
	custom_str(&row, "send_rate", r, sizeof(r));
	crm_row_release(&row);
	if (*q) {
		if (crm_campaign_parse_quiet(q, &c->qstart, &c->qend, err) < 0)
			goto bad;
		c->quiet = true;
	}
	if (*r && crm_campaign_parse_rate(r, &c->rate, &c->window, err) < 0)
		goto bad;
	return 0;
bad:;
	char m[sizeof(err->msg)];
	snprintf(m, sizeof(m), "%s", err->msg);
	return crm_err_set(err, CRM_EX_DATAERR, "campaign '%s': %s", c->name,
			   m);
}

/* When quiet hours hold at now for a recipient in zone tz: the UTC
 * instant they end (> now), else 0. */
static crm_time quiet_end(const struct camp *c, const struct crm_tz *tz,
			  crm_time now)
{
	int64_t local = now + (tz ? crm_tz_offset(tz, now) : 0);
	int64_t day = local - (((local % 86400) + 86400) % 86400);
	int min = (int)((local - day) / 60);
	bool in = c->qstart < c->qend ? min >= c->qstart && min < c->qend
				      : min >= c->qstart || min < c->qend;
	int64_t end_local;

	if (!in)
		return 0;
	end_local = day + (int64_t)c->qend * 60;
	if (end_local <= local)
		end_local += 86400;
	return tz ? crm_tz_to_utc(tz, end_local) : end_local;
}

static int64_t sent_in_window(struct crm_db *db, const struct camp *c,
			      crm_time now, struct crm_err *err)
{
	char since[CRM_TIME_LEN];

	crm_datetime_format(now - c->window, since);
	return crm_dbq_int(db, err,
			   "SELECT count(*) FROM campaign_sends WHERE "
			   "campaign_id = ?1 AND status IN ('sent', "
			   "'sending') AND sent_at > ?2",
			   "is", c->id, since);
}

/* Run sql with a and id bound: 1 a row came back, 0 none, -1. */
static int exec1(struct crm_db *db, const char *sql, const char *a, int64_t id,
		 struct crm_err *err)
{
	return crm_dbq_step(db, err, NULL, sql, "si", a, id);
}

/* Send d was handed over at at, as d->msg (its Date the hand-over's);
 * the member's status becomes sent (when targeted) and a "sent" history
 * row records the send. */
static int mark_sent(struct crm_db *db, const struct due *d, const char *at,
		     struct crm_err *err)
{
	if (crm_dbq_run(db, err,
			"UPDATE campaign_sends SET status = 'sent', sent_at = "
			"?, message = ? WHERE id = ?",
			"ssi", at, d->msg, d->id) < 0 ||
	    crm_dbq_run(db, err,
			"UPDATE campaign_members SET status = 'sent', "
			"status_at = ? WHERE id = ? AND status = 'targeted'",
			"si", at, d->member) < 0)
		return -1;
	return crm_campaign_history(db, d->member, "sent", at, err);
}

static int report(const struct crm_campaign_run_opts *o, const struct due *d,
		  const struct camp *cs, size_t nc, const char *status,
		  const char *detail)
{
	const struct camp *c = cs;

	for (size_t k = 0; k < nc; k++)
		if (cs[k].id == d->campaign)
			c = &cs[k];
	struct crm_rec rec;
	char id[32], rid[32];
	int rc;

	if (!o->fn)
		return 0;
	crm_rec_init(&rec);
	snprintf(id, sizeof(id), "%lld", (long long)d->id);
	snprintf(rid, sizeof(rid), "%lld", (long long)d->record);
	crm_rec_adds(&rec, "id", id);
	crm_rec_adds(&rec, "campaign", c->name);
	crm_rec_adds(&rec, "entity", d->entity);
	crm_rec_adds(&rec, "record", rid);
	crm_rec_adds(&rec, "to", d->to);
	crm_rec_adds(&rec, "status", status);
	crm_rec_adds(&rec, "detail", detail);
	rc = o->fn(&rec, o->fn_arg);
	crm_rec_release(&rec);
	return rc;
}

/* Run sql for one send inside the batch's transaction (nothing in a dry
 * run: 1). */
static int change(struct crm_db *db, bool dry, const char *sql, const char *a,
		  int64_t id, struct crm_err *err)
{
	return dry ? 1 : exec1(db, sql, a, id, err);
}

/* What decide does with a send it does not claim: the status it reports
 * and the change on the send (with the detail; none when NULL). */
enum outcome { SUPPRESS, POSTPONE, DEFER };
static const struct {
	const char *status, *sql;
} outcomes[] = {
    [SUPPRESS] = {"suppressed",
		  "UPDATE campaign_sends SET status = 'suppressed', "
		  "error = ? WHERE status = 'queued' AND id = ?"},
    [POSTPONE] = {"postponed", "UPDATE campaign_sends SET not_before = ? "
			       "WHERE status = 'queued' AND id = ?"},
    [DEFER] = {"deferred", NULL},
};

/* d ends as outcome k with detail, counted in *count. */
static int settle(struct crm_db *db, bool dry, struct due *d, enum outcome k,
		  const char *detail, uint64_t *count, struct crm_err *err)
{
	const char *sql = outcomes[k].sql;

	if (sql && change(db, dry, sql, detail, d->id, err) < 0)
		return -1;
	(*count)++;
	d->status = outcomes[k].status;
	d->detail = crm_xstrdup(detail);
	return 0;
}

/* Decide what to do with d now: suppress, postpone, defer, or claim it
 * (status sending; d->status "claimed"), inside the batch's transaction. */
static int decide(struct crm_db *db, const struct crm_campaign_run_opts *o,
		  struct due *d, struct camp *c,
		  struct crm_campaign_run_stats *s, struct crm_err *err)
{
	const struct crm_entity *e = crm_entity_by_name(d->entity);
	struct crm_row row;
	struct crm_tz *tz = NULL;
	const char *why = NULL;
	char zone[64], at[CRM_TIME_LEN], until[CRM_TIME_LEN];
	crm_time end;
	int rc = -1, g;

	crm_datetime_format(db->now, at);
	crm_row_init(&row, e);
	g = e ? crm_entity_get(db, e, d->record, &row, err) : 0;
	if (g < 0)
		goto out;
	if (g == 0)
		why = "record deleted";
	else if (crm_campaign_consent(db, &row, &why, err) < 0)
		goto out;
	if (why) {
		rc = settle(db, o->dry_run, d, SUPPRESS, why, &s->suppressed,
			    err);
		goto out;
	}
	if (c->quiet) {
		custom_str(&row, "timezone", zone, sizeof(zone));
		if (*zone && strcmp(zone, "UTC") &&
		    !(tz = crm_tz_load(zone, err))) {
			snprintf(err->field, sizeof(err->field), "timezone");
			goto out;
		}
		end = quiet_end(c, tz, db->now);
		if (end) {
			crm_datetime_format(end, until);
			rc = settle(db, o->dry_run, d, POSTPONE, until,
				    &s->postponed, err);
			goto out;
		}
	}
	if (c->window) {
		int64_t n = o->dry_run ? c->sent_now
				       : sent_in_window(db, c, db->now, err);
		if (n < 0)
			goto out;
		if (n >= c->rate) {
			rc = settle(db, o->dry_run, d, DEFER, "send rate",
				    &s->deferred, err);
			goto out;
		}
	}
	g = change(db, o->dry_run,
		   "UPDATE campaign_sends SET status = 'sending', sent_at = ? "
		   "WHERE status = 'queued' AND id = ? RETURNING id",
		   at, d->id, err);
	if (g < 0)
		goto out;
	if (g > 0) { /* else another run took it */
		c->sent_now++;
		d->status = "claimed";
	}
	rc = 0;
out:
	crm_tz_free(tz);
	crm_row_release(&row);
	return rc;
}

#define BATCH 256

/* Decide a batch [i, j) in one transaction (committed: the claims are
 * final before anything is handed over), hand the claimed ones over,
 * record them in a second one; report each in order. */
static int batch(struct crm_db *db, const struct crm_campaign_run_opts *o,
		 struct due *d, size_t n, struct camp *c, size_t nc,
		 struct crm_campaign_run_stats *st, struct crm_err *err)
{
	char at[CRM_TIME_LEN];
	size_t failed = n;
	struct crm_err derr = {0};
	int rc = -1;

	crm_datetime_format(db->now, at);
	if (!o->dry_run && crm_db_begin(db, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < nc && c[k].id != d[i].campaign; k++)
			;
		if (crm_check_interrupt(err) < 0 ||
		    decide(db, o, &d[i], &c[k], st, err) < 0) {
			crm_db_rollback(db);
			return -1;
		}
	}
	if (!o->dry_run && crm_db_commit(db, err) < 0)
		return -1;
	for (size_t i = 0; i < n && failed == n; i++)
		if (d[i].status && !strcmp(d[i].status, "claimed")) {
			char *m = crm_mail_redate(d[i].msg, db->now);

			if (m) {
				free(d[i].msg);
				d[i].msg = m;
			}
			if (o->deliver(d[i].msg, o->arg, &derr) < 0)
				failed = i;
			else
				d[i].status =
				    o->dry_run ? "would send" : "sent";
		}
	if (!o->dry_run) {
		if (crm_db_begin(db, err) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (!d[i].status)
				continue;
			if (!strcmp(d[i].status, "sent")) {
				if (mark_sent(db, &d[i], at, err) < 0)
					goto rollback;
			} else if (!strcmp(d[i].status, "claimed") &&
				   exec1(db,
					 "UPDATE campaign_sends SET status = "
					 "'queued', error = ? WHERE id = ?",
					 derr.msg, d[i].id, err) < 0) {
				goto rollback;
			}
		}
		if (crm_db_commit(db, err) < 0)
			goto rollback;
	}
	for (size_t i = 0; i < n; i++) {
		if (!d[i].status || !strcmp(d[i].status, "claimed"))
			continue;
		if (!strcmp(d[i].status, "sent") ||
		    !strcmp(d[i].status, "would send"))
			st->sent++;
		if (report(o, &d[i], &c[0], nc, d[i].status, d[i].detail) < 0)
			return -1;
	}
	if (failed < n) {
		*err = derr;
		return -1;
	}
	return 0;
rollback:
	crm_db_rollback(db);
	return rc;
}

static void dues_free(struct due *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].detail);
		free(d[i].nb);
		free(d[i].entity);
		free(d[i].to);
		free(d[i].msg);
	}
}

struct dues {
	struct due *d;
	long n;
};

/* one due send into the page (at most BATCH: the query's LIMIT) */
static int due_row(struct crm_stmt *q, void *arg)
{
	struct dues *p = arg;

	if (p->n == BATCH)
		return 0;
	p->d[p->n++] = (struct due){
	    .id = crm_stmt_int(q, 0),
	    .campaign = crm_stmt_int(q, 1),
	    .member = crm_stmt_int(q, 2),
	    .entity = crm_xstrdup(crm_stmt_text(q, 3)),
	    .record = crm_stmt_int(q, 4),
	    .to = crm_xstrdup(crm_stmt_text(q, 5)),
	    .msg = crm_xstrdup(crm_stmt_text(q, 6)),
	    .nb = crm_xstrdup(crm_stmt_text(q, 7)),
	};
	return 0;
}

/* The next BATCH sends due at now after (last_nb, last_id), in order.
 * Returns the count or -1. */
static long next_due(struct crm_db *db, const char *now, const char *last_nb,
		     int64_t last_id, struct due *d, struct crm_err *err)
{
	struct dues p = {.d = d};

	if (crm_dbq_each(db, err, due_row, &p,
			 "SELECT s.id, s.campaign_id, s.member_id, m.entity, "
			 "m.record_id, s.recipient, s.message, s.not_before "
			 "FROM campaign_sends s JOIN campaign_members m ON "
			 "m.id = s.member_id WHERE s.status = 'queued' AND "
			 "s.not_before <= ? AND (s.not_before > ? OR "
			 "(s.not_before = ? AND s.id > ?)) ORDER BY "
			 "s.not_before, s.id LIMIT 256",
			 "sssi", now, last_nb, last_nb, last_id) < 0) {
		dues_free(d, (size_t)p.n);
		return -1;
	}
	return p.n;
}

int crm_campaign_send_run(struct crm_db *db,
			  const struct crm_campaign_run_opts *o,
			  struct crm_campaign_run_stats *st,
			  struct crm_err *err)
{
	struct due *d = crm_xcalloc(BATCH, sizeof(*d));
	struct camp *c = NULL;
	size_t nc = 0, capc = 0;
	char now[CRM_TIME_LEN], last_nb[CRM_TIME_LEN] = "";
	int64_t last_id = 0;
	long nd = 0;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	crm_datetime_format(db->now, now);
	/* in pages of BATCH (constant memory), by (not_before, id) after
	 * the last page: what a page postponed or deferred is not read
	 * again */
	while ((nd = next_due(db, now, last_nb, last_id, d, err)) > 0) {
		for (long i = 0; i < nd; i++) {
			size_t k;

			for (k = 0; k < nc && c[k].id != d[i].campaign; k++)
				;
			if (k == nc) {
				c = crm_xgrow(c, &capc, nc + 1, sizeof(*c));
				if (load_camp(db, d[i].campaign, &c[nc], err) <
				    0) {
					free(c[nc].name);
					goto out;
				}
				nc++;
			}
		}
		snprintf(last_nb, sizeof(last_nb), "%s", d[nd - 1].nb);
		last_id = d[nd - 1].id;
		if (batch(db, o, d, (size_t)nd, c, nc, st, err) < 0)
			goto out;
		dues_free(d, (size_t)nd);
		nd = 0;
		if (crm_check_interrupt(err) < 0)
			goto out;
	}
	if (nd == 0)
		rc = 0;
	nd = nd < 0 ? 0 : nd;
out:
	dues_free(d, (size_t)nd);
	for (size_t i = 0; i < nc; i++)
		free(c[i].name);
	free(d);
	free(c);
	return rc;
}
