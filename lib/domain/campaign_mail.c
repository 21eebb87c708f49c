/* campaign_mail.c - campaign email: the flow action "campaign_email" with
 * consent and frequency checks; messages composed by crm_mail_build and
 * queued for crm-campaign run (campaign_send.c). */
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_mail.h"
#include "campaign_send.h"
#include "datetime.h"
#include "dbq.h"
#include "mime.h"

/* -- the flow action ---------------------------------------------------- */

static int spec_str(const struct crm_flow *f, json_t *spec, const char *key,
		    bool need, struct crm_err *err)
{
	json_t *v = json_object_get(spec, key);

	snprintf(err->field, sizeof(err->field), "%s", key);
	if (!v) {
		if (need)
			return crm_err_set(err, CRM_EX_CONFIG, "missing");
		err->field[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return crm_err_set(err, CRM_EX_CONFIG, "expected a text");
	if (crm_flow_tmpl_check(f->e, json_string_value(v), err) < 0)
		return -1;
	err->field[0] = '\0';
	return 0;
}

int crm_campaign_email_validate(const struct crm_flow *f, json_t *spec,
				void **data, struct crm_err *err)
{
	/* the keys; tmpl: a template text, 2 when it is required */
	static const struct {
		const char *key;
		int tmpl;
	} keys[] = {{"type", 0}, {"campaign", 0}, {"from", 1}, {"subject", 2},
		    {"text", 1}, {"html", 1},	  {"cap", 0},  {NULL, 0}};
	json_t *cap = json_object_get(spec, "cap"), *v;
	const char *k;

	(void)data;
	json_object_foreach(spec, k, v)
	{
		size_t i = 0;
		while (keys[i].key && strcmp(keys[i].key, k))
			i++;
		if (!keys[i].key) {
			snprintf(err->field, sizeof(err->field), "%s", k);
			return crm_err_set(err, CRM_EX_CONFIG, "unknown key");
		}
	}
	if (strcmp(f->e->name, "contact") && strcmp(f->e->name, "lead"))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "campaign_email sends to contacts or "
				   "leads, not %s",
				   f->e->plural);
	snprintf(err->field, sizeof(err->field), "campaign");
	if (!json_is_string(json_object_get(spec, "campaign")))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "the campaign's name or id");
	err->field[0] = '\0';
	for (size_t i = 0; keys[i].key; i++)
		if (keys[i].tmpl &&
		    spec_str(f, spec, keys[i].key, keys[i].tmpl == 2, err) < 0)
			return -1;
	if (!json_object_get(spec, "text") && !json_object_get(spec, "html"))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "needs \"text\" or \"html\" (or both)");
	if (cap) {
		json_t *mx = json_object_get(cap, "max"),
		       *d = json_object_get(cap, "days");

		snprintf(err->field, sizeof(err->field), "cap");
		if (!json_is_object(cap) || !json_is_integer(mx) ||
		    !json_is_integer(d) || json_integer_value(mx) < 1 ||
		    json_integer_value(d) < 1)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "expected {\"max\": N, \"days\": "
					   "D}, both at least 1");
		err->field[0] = '\0';
	}
	return 0;
}

static int expand(struct crm_flow_ctx *ctx, json_t *spec, const char *key,
		  enum crm_tmpl_ctx how, struct crm_buf *out,
		  struct crm_err *err)
{
	json_t *v = json_object_get(spec, key);

	if (!v)
		return 0;
	if (crm_flow_tmpl(ctx, json_string_value(v), how, out, err) < 0) {
		snprintf(err->field, sizeof(err->field), "%s", key);
		return -1;
	}
	return 0;
}

/* Messages sent to the record since since (ISO 8601), any campaign. */
static int64_t sent_since(struct crm_flow_ctx *ctx, const char *since,
			  struct crm_err *err)
{
	return crm_dbq_int(
	    ctx->db, err,
	    "SELECT count(*) FROM campaign_member_history h JOIN "
	    "campaign_members m ON m.id = h.member_id WHERE m.entity = ? AND "
	    "m.record_id = ? AND h.status = 'sent' AND h.at > ?",
	    "sis", ctx->e->name, (int64_t)ctx->record_id, since);
}

struct member_ref {
	int64_t *id;
	char *token; /* 33 bytes */
};

/* the member row (one: a record is a campaign's member once) */
static int member_row(struct crm_stmt *st, void *arg)
{
	struct member_ref *r = arg;

	*r->id = crm_stmt_int(st, 0);
	snprintf(r->token, 33, "%s", crm_stmt_text(st, 1));
	return 0;
}

/* The member row of the record in campaign (added when missing): its id
 * and token (token: 33 bytes). */
static int member(struct crm_flow_ctx *ctx, int64_t campaign, const char *at,
		  int64_t *id, char *token, struct crm_err *err)
{
	uint64_t added;
	struct member_ref r = {id, token};

	if (crm_campaign_members_add(ctx->db, campaign, ctx->e->name,
				     &ctx->record_id, 1, "targeted", at, &added,
				     err) < 0)
		return -1;
	*id = 0;
	if (crm_dbq_each(ctx->db, err, member_row, &r,
			 "SELECT id, token FROM campaign_members WHERE "
			 "campaign_id = ? AND entity = ? AND record_id = ?",
			 "isi", campaign, ctx->e->name,
			 (int64_t)ctx->record_id) < 0)
		return -1;
	return *id ? 0 : crm_err_set(err, CRM_EX_SOFTWARE, "no member row");
}

int crm_campaign_email_apply(struct crm_flow_ctx *ctx, json_t *spec, void *data,
			     struct crm_err *err)
{
	const char *addr = crm_row_get(ctx->row, "email"), *why, *dom;
	const char *dflt_from = getenv("CRM_MAIL_FROM"),
		   *url = getenv("CRM_UNSUBSCRIBE_URL");
	const char *cname =
	    json_string_value(json_object_get(spec, "campaign"));
	json_t *cap = json_object_get(spec, "cap");
	struct crm_buf from = {0}, subject = {0}, text = {0}, html = {0},
		       name = {0}, unsub = {0};
	struct crm_mail_out msg = {0};
	const char *hdrs[3] = {"X-CRM-Token", NULL, NULL};
	char *m = NULL;
	struct crm_row camp;
	char at[CRM_TIME_LEN], token[33], *mid_s = NULL;
	const char *fn = crm_row_get(ctx->row, "first_name"),
		   *ln = crm_row_get(ctx->row, "last_name");
	crm_time now;
	int64_t mid = 0;
	int rc = -1, found;

	(void)data;
	crm_row_init(&camp, crm_entity_by_name("campaign"));
	if (crm_datetime_now(&now, err) < 0)
		goto out;
	crm_datetime_format(now, at);
	if (!addr) {
		crm_flow_did(ctx, "no email: not sent");
		rc = 0;
		goto out;
	}
	if (crm_campaign_consent(ctx->db, ctx->row, &why, err) < 0)
		goto out;
	if (why) {
		crm_flow_did(ctx, "%s: not sent", why);
		rc = 0;
		goto out;
	}
	if (cap) {
		char since[CRM_TIME_LEN];
		int64_t n, pend;

		crm_datetime_format(now - (crm_time)json_integer_value(
					      json_object_get(cap, "days")) *
					      86400,
				    since);
		n = sent_since(ctx, since, err);
		if (n < 0)
			goto out;
		/* queued, not yet handed over, counts too */
		pend = crm_campaign_send_pending(ctx->db, ctx->e->name,
						 ctx->record_id, err);
		if (pend < 0)
			goto out;
		n += pend;
		if (n >= json_integer_value(json_object_get(cap, "max"))) {
			crm_flow_did(ctx, "frequency cap (%lld sent): not sent",
				     (long long)n);
			rc = 0;
			goto out;
		}
	}
	found = crm_entity_find(ctx->db, camp.e, cname, &camp, err);
	if (found == 0)
		crm_err_set(err, CRM_EX_DATAERR, "no campaign '%s'", cname);
	if (found <= 0)
		goto out;
	if (member(ctx, crm_row_id(&camp), at, &mid, token, err) < 0)
		goto out;
	if (expand(ctx, spec, "from", CRM_TMPL_HEADER, &from, err) < 0 ||
	    expand(ctx, spec, "subject", CRM_TMPL_HEADER, &subject, err) < 0 ||
	    expand(ctx, spec, "text", CRM_TMPL_TEXT, &text, err) < 0 ||
	    expand(ctx, spec, "html", CRM_TMPL_HTML, &html, err) < 0)
		goto out;
	crm_buf_addf(&name, "%s%s%s", fn ? fn : "", fn && ln ? " " : "",
		     ln ? ln : "");
	if (strpbrk(crm_buf_str(&name), "\r\n")) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "a line break in the recipient's name");
		goto out;
	}
	msg.from_list =
	    from.len ? from.s
		     : (dflt_from && *dflt_from ? dflt_from : "crm@localhost");
	dom = strchr(msg.from_list, '@');
	dom = dom ? dom + 1 : "localhost";
	mid_s = crm_xasprintf("%s.%lld@%.*s", token, (long long)ctx->firing_id,
			      (int)strcspn(dom, ">\" "), dom);
	crm_buf_addf(&unsub,
		     "<mailto:unsubscribe@%.*s?subject=unsubscribe%%20%s>",
		     (int)strcspn(dom, ">\" "), dom, token);
	if (url && *url)
		crm_buf_addf(&unsub, ", <%s%s>", url, token);
	msg.to_name = name.len ? name.s : NULL;
	msg.to_addr = addr;
	msg.subject = crm_buf_str(&subject);
	msg.body = text.len ? text.s : NULL;
	msg.html = html.len ? html.s : NULL;
	msg.message_id = mid_s;
	msg.list_unsubscribe = unsub.s;
	hdrs[1] = token;
	msg.headers = hdrs;
	msg.date = now;
	if (!(m = crm_mail_build(&msg, err)))
		goto out;
	if (crm_campaign_send_queue(ctx->db, crm_row_id(&camp), mid, addr,
				    mid_s, m, err) < 0)
		goto out;
	crm_flow_did(ctx, "campaign email '%s' to %s queued",
		     camp.v[2] ? camp.v[2] : cname, addr);
	rc = 0;
out:
	crm_row_release(&camp);
	crm_buf_release(&from);
	crm_buf_release(&subject);
	crm_buf_release(&text);
	crm_buf_release(&html);
	crm_buf_release(&name);
	free(m);
	crm_buf_release(&unsub);
	free(mid_s);
	return rc;
}
