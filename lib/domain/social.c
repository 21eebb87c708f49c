/* social.c - social identities of contacts and leads, social interaction
 * import, web form capture. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "activity.h"
#include "campaign.h"
#include "contact.h"
#include "dbq.h"
#include "form.h"
#include "hash.h"
#include "lead.h"
#include "social.h"

/* -- platforms and handles ------------------------------------------------ */

const char *const crm_social_platforms[] = {
    "wechat",	 "weibo",  "linkedin", "x",	      "facebook",
    "instagram", "github", "douyin",   "xiaohongshu", NULL,
};

/* Other names of each platform, compared case-insensitively. */
static const struct crm_synonym platform_names[] = {
    {"weixin", "wechat"},
    {"微信", "wechat"},
    {"微博", "weibo"},
    {"sina weibo", "weibo"},
    {"领英", "linkedin"},
    {"twitter", "x"},
    {"x.com", "x"},
    {"fb", "facebook"},
    {"ig", "instagram"},
    {"抖音", "douyin"},
    {"tiktok cn", "douyin"},
    {"小红书", "xiaohongshu"},
    {"rednote", "xiaohongshu"},
    {"red", "xiaohongshu"},
};

const char *crm_social_platform(const char *s)
{
	char low[64];
	size_t n = 0;

	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	for (; *s && n + 1 < sizeof(low); s++)
		low[n++] = (char)tolower((unsigned char)*s);
	while (n && low[n - 1] == ' ')
		n--;
	low[n] = '\0';
	for (size_t i = 0; crm_social_platforms[i]; i++)
		if (!strcmp(low, crm_social_platforms[i]))
			return crm_social_platforms[i];
	return crm_synonym_of(platform_names,
			      sizeof(platform_names) / sizeof(*platform_names),
			      low);
}

/* Whether the n bytes at s are each in set (or alphanumeric ASCII). */
static bool only(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(set, s[i]))
			return false;
	return true;
}

/* A LinkedIn profile name as stored: decoded, so its ASCII is only
 * letters, digits, '-', '_' and '.' (a '%' would decode again); other
 * characters are UTF-8 (names in other scripts). */
static bool linkedin_name(const struct crm_buf *d)
{
	for (size_t i = 0; i < d->len; i++) {
		unsigned char c = (unsigned char)d->s[i];

		if (c < 0x80 && !isalnum(c) && c != '-' && c != '_' && c != '.')
			return false;
	}
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* If s is a URL (with or without scheme) on a host ending in one of
 * hosts ("|"-separated, e.g. "linkedin.com"), the path after the host
 * without query, fragment or trailing slashes (*path, *plen) and 1; 0
 * when s is no URL on those hosts; -1 when it is a URL of another host. */
static int url_path(const char *s, const char *hosts, const char **path,
		    size_t *plen, const char **query)
{
	const char *p = s, *h, *slash;
	size_t hl;
	bool scheme = false;

	if (!strncasecmp(p, "https://", 8))
		p += 8, scheme = true;
	else if (!strncasecmp(p, "http://", 7))
		p += 7, scheme = true;
	slash = strchr(p, '/');
	h = p;
	hl = slash ? (size_t)(slash - p) : strlen(p);
	if (!scheme && (!slash || !memchr(h, '.', hl)))
		return 0; /* "jane", "@jane": no URL */
	for (const char *c = hosts; *c;) {
		const char *e = strchr(c, '|');
		size_t cl = e ? (size_t)(e - c) : strlen(c);

		if (hl >= cl && !strncasecmp(h + hl - cl, c, cl) &&
		    (hl == cl || h[hl - cl - 1] == '.')) {
			const char *q;

			p = slash ? slash + 1 : h + hl;
			q = p + strcspn(p, "?#");
			*query = *q == '?' ? q + 1 : NULL;
			*plen = (size_t)(q - p);
			while (*plen && p[*plen - 1] == '/')
				(*plen)--;
			*path = p;
			return 1;
		}
		c += cl + (e ? 1 : 0);
		if (!e)
			break;
	}
	return -1;
}

static void lower_ascii(struct crm_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		b->s[i] = (char)tolower((unsigned char)b->s[i]);
}

/* The first path segment after prefix ("in/"; "" for none). */
static bool segment(const char *path, size_t plen, const char *prefix,
		    const char **seg, size_t *sl)
{
	size_t pl = strlen(prefix);
	const char *e;

	if (plen < pl || strncasecmp(path, prefix, pl))
		return false;
	*seg = path + pl;
	e = memchr(*seg, '/', plen - pl);
	*sl = e ? (size_t)(e - *seg) : plen - pl;
	return *sl > 0;
}

static int bad(struct crm_err *err, const char *platform, const char *s,
	       const char *why)
{
	return crm_err_set(err, CRM_EX_DATAERR, "invalid %s handle '%.80s': %s",
			   platform, s, why);
}

int crm_social_handle(const char *platform, const char *in, struct crm_buf *out,
		      struct crm_err *err)
{
	const char *path = NULL, *query = NULL, *seg = "";
	size_t plen = 0, sl = 0, n;
	char *s;
	int u, rc = 0;

	crm_buf_reset(out);
	if (!in)
		return bad(err, platform, "", "empty");
	while (*in == ' ' || *in == '\t')
		in++;
	s = crm_xstrdup(in);
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	if (!n) {
		free(s);
		return bad(err, platform, "", "empty");
	}
	if (!strcmp(platform, "wechat")) {
		/* openid (per app) or unionid: 6-64 of [A-Za-z0-9_-], case
		 * kept */
		if (n < 6 || n > 64 || !only(s, n, "_-"))
			rc = bad(err, platform, s,
				 "an openid is 6-64 letters, digits, _ or -");
		else
			crm_buf_add(out, s, n);
	} else if (!strcmp(platform, "weibo")) {
		u = url_path(s, "weibo.com|weibo.cn", &path, &plen, &query);
		if (u < 0)
			rc = bad(err, platform, s, "not a weibo.com address");
		else if (u > 0) {
			if (!(segment(path, plen, "u/", &seg, &sl) ||
			      segment(path, plen, "profile/", &seg, &sl) ||
			      segment(path, plen, "", &seg, &sl)))
				seg = "", sl = 0;
		} else
			seg = s, sl = n;
		if (!rc && (!all_digits(seg, sl) || sl < 5 || sl > 12))
			rc = bad(err, platform, s,
				 "a Weibo uid is 5-12 digits (a custom "
				 "domain is no uid)");
		else if (!rc)
			crm_buf_add(out, seg, sl);
	} else if (!strcmp(platform, "linkedin")) {
		struct crm_buf d = {0};
		size_t at;

		u = url_path(s, "linkedin.com", &path, &plen, &query);
		if (u < 0)
			rc =
			    bad(err, platform, s, "not a linkedin.com address");
		else if (u > 0) {
			if (!segment(path, plen, "in/", &seg, &sl))
				rc = bad(err, platform, s,
					 "a profile address is "
					 "linkedin.com/in/NAME");
		} else
			seg = s, sl = n;
		if (!rc && crm_pct_decode(seg, sl, 0, &d, &at) < 0)
			rc = bad(err, platform, s, "bad percent-encoding");
		if (!rc &&
		    (d.len < 3 || d.len > 100 ||
		     !crm_utf8_valid(d.s, d.len, &at) || !linkedin_name(&d)))
			rc = bad(err, platform, s,
				 "a profile name is 3-100 letters, digits, "
				 "'-', '_' or '.'");
		if (!rc) {
			lower_ascii(&d);
			crm_buf_add(out, d.s, d.len);
		}
		crm_buf_release(&d);
	} else {
		/* x, facebook, instagram, github, douyin, xiaohongshu: a
		 * name, "@name" or the profile address; case ignored */
		static const struct {
			const char *platform, *hosts, *set;
			size_t min, max;
		} names[] = {
		    {"x", "x.com|twitter.com", "_", 1, 15},
		    {"facebook", "facebook.com|fb.com", ".", 5, 50},
		    {"instagram", "instagram.com", "._", 1, 30},
		    {"github", "github.com", "-", 1, 39},
		    {"douyin", "douyin.com", "._", 2, 30},
		    {"xiaohongshu", "xiaohongshu.com", "._", 2, 30},
		};
		size_t k = 0;

		while (k < sizeof(names) / sizeof(*names) &&
		       strcmp(names[k].platform, platform))
			k++;
		if (k == sizeof(names) / sizeof(*names)) {
			free(s);
			return crm_err_set(err, CRM_EX_SOFTWARE,
					   "unknown platform '%s'", platform);
		}
		u = url_path(s, names[k].hosts, &path, &plen, &query);
		if (u < 0)
			rc =
			    bad(err, platform, s, "an address of another site");
		else if (u > 0) {
			if (!strcmp(platform, "facebook") && query &&
			    plen == 11 && !strncmp(path, "profile.php", 11) &&
			    !strncmp(query, "id=", 3)) {
				seg = query + 3;
				sl = strcspn(seg, "&#");
			} else if (!(segment(path, plen, "user/profile/", &seg,
					     &sl) ||
				     segment(path, plen, "user/", &seg, &sl) ||
				     segment(path, plen, "", &seg, &sl)))
				seg = "", sl = 0;
		} else {
			seg = s, sl = n;
			if (*seg == '@')
				seg++, sl--;
		}
		if (!rc && (sl < names[k].min || sl > names[k].max ||
			    !only(seg, sl, names[k].set)))
			rc = crm_err_set(
			    err, CRM_EX_DATAERR,
			    "invalid %s handle '%.80s': %zu-%zu letters, "
			    "digits or '%s'",
			    platform, s, names[k].min, names[k].max,
			    names[k].set);
		else if (!rc) {
			crm_buf_add(out, seg, sl);
			lower_ascii(out);
		}
	}
	free(s);
	if (rc < 0)
		crm_buf_reset(out);
	return rc;
}

/* -- the identity entity -------------------------------------------------- */

static const struct crm_field social_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"uid", CRM_T_TEXT, CRM_FF_KEY | CRM_FF_READONLY | CRM_FF_BRIEF},
    {"platform", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Network|Site|Channel|平台"},
    {"handle", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Openid|Uid|User ID|Profile URL|Profile|Username|Screen "
	      "Name|账号|账户"},
    {"unionid", CRM_T_TEXT, 0},
    {"app", CRM_T_TEXT, 0},
    {"name", CRM_T_TEXT, CRM_FF_BRIEF, .names = "Nickname|Display Name|昵称"},
    {"contact_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "contact"},
    {"lead_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "lead"},
    CRM_FIELDS_CREATED_UPDATED,
};

/* A "contact" or "lead" input column (id, email, external id ...) into
 * the _id field. */
static int take_person(struct crm_db *db, struct crm_row *row,
		       const struct crm_entity *pe, const char *col,
		       const char *field, struct crm_err *err)
{
	json_t *v = json_object_get(row->custom, col);
	struct crm_row p;
	char num[32];
	int rc;

	if (!v)
		return 0;
	if (!json_is_string(v)) {
		snprintf(err->field, sizeof(err->field), "%s", col);
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected an id, email or external id");
	}
	crm_row_init(&p, pe);
	rc = crm_entity_find(db, pe, json_string_value(v), &p, err);
	if (rc == 0)
		crm_err_set(err, CRM_EX_DATAERR, "no %s '%.80s'", pe->name,
			    json_string_value(v));
	if (rc > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)crm_row_id(&p));
		crm_row_set(row, field, num);
		row->touched[crm_entity_field(row->e, field)] = true;
		json_object_del(row->custom, col);
	}
	crm_row_release(&p);
	if (rc <= 0) {
		snprintf(err->field, sizeof(err->field), "%s", col);
		return -1;
	}
	return 0;
}

static int social_prepare(struct crm_db *db, const struct crm_entity *e,
			  struct crm_row *row, const struct crm_row *old,
			  void *arg, struct crm_err *err)
{
	const char *pl = crm_social_platform(crm_row_get(row, "platform"));
	const char *c, *l, *un = crm_row_get(row, "unionid");
	struct crm_buf h = {0}, uid = {0};
	struct crm_stmt *st;
	int rc = -1;

	(void)e;
	(void)arg;
	(void)old;
	if (!pl)
		return crm_err_field(err, "platform", CRM_EX_DATAERR,
				     "unknown platform '%.60s' (one of wechat, "
				     "weibo, linkedin, x, facebook, instagram, "
				     "github, douyin, xiaohongshu)",
				     crm_row_get(row, "platform"));
	crm_row_set(row, "platform", pl);
	if (crm_social_handle(pl, crm_row_get(row, "handle"), &h, err) < 0) {
		snprintf(err->field, sizeof(err->field), "handle");
		goto out;
	}
	crm_row_set(row, "handle", crm_buf_str(&h));
	if (un) {
		struct crm_buf nu = {0};

		if (strcmp(pl, "wechat") ||
		    crm_social_handle(pl, un, &nu, err) < 0) {
			crm_buf_release(&nu);
			snprintf(err->field, sizeof(err->field), "unionid");
			if (strcmp(pl, "wechat"))
				crm_err_set(err, CRM_EX_DATAERR,
					    "only WeChat identities have a "
					    "unionid");
			goto out;
		}
		crm_buf_release(&nu);
	}
	crm_buf_addf(&uid, "%s:%s", pl, h.s);
	crm_row_set(row, "uid", uid.s);
	if (take_person(db, row, &crm_contact_entity, "contact", "contact_id",
			err) < 0 ||
	    take_person(db, row, &crm_lead_entity, "lead", "lead_id", err) < 0)
		goto out;
	c = crm_row_get(row, "contact_id");
	l = crm_row_get(row, "lead_id");
	if (!c == !l) {
		crm_err_field(
		    err, "contact_id", CRM_EX_DATAERR,
		    "an identity belongs to one contact or one lead%s",
		    c ? ", not both" : "");
		goto out;
	}
	/* one identity, one person */
	st = crm_dbq(db, err,
		     "SELECT id, contact_id, lead_id FROM social_identities "
		     "WHERE uid = ? AND id <> ?",
		     "si", uid.s, crm_row_id(row));
	if (!st)
		goto out;
	rc = crm_stmt_step(st, err);
	if (rc > 0) {
		const char *oc = crm_stmt_text(st, 1),
			   *ol = crm_stmt_text(st, 2);

		crm_err_field(err, "handle", CRM_EX_DATAERR,
			      "%s already belongs to %s %s (identity %lld)",
			      uid.s, oc ? "contact" : "lead", oc ? oc : ol,
			      (long long)crm_stmt_int(st, 0));
		rc = -1;
	}
	crm_stmt_reset(st);
out:
	crm_buf_release(&h);
	crm_buf_release(&uid);
	return rc;
}

static int social_check(struct crm_db *db, const struct crm_entity *e,
			const struct crm_row *row, struct crm_err *err)
{
	(void)db;
	(void)e;
	if (!crm_row_get(row, "contact_id") == !crm_row_get(row, "lead_id"))
		return crm_err_field(
		    err, "contact_id", CRM_EX_DATAERR,
		    "an identity belongs to one contact or one "
		    "lead");
	return 0;
}

static const char *const social_inputs[] = {"contact", "lead", NULL};

const struct crm_entity crm_social_entity = {
    .name = "identity",
    .plural = "identities",
    .table = "social_identities",
    CRM_FIELDS(social_fields),
    .keys = "id,external_id,uid",
    .prepare = social_prepare,
    .check = social_check,
    .inputs = social_inputs,
};

/* -- interactions ---------------------------------------------------------- */

/* Whether input column name is one of names ("a|b|c"), compared on
 * letters and digits only, ignoring case ("FromUserName" = "from_user_name").
 */
static bool name_is(const char *name, const char *names)
{
	for (const char *c = names; *c;) {
		const char *e = strchr(c, '|');
		size_t cl = e ? (size_t)(e - c) : strlen(c);
		const char *a = name, *b = c, *be = c + cl;

		for (;;) {
			while (*a && !isalnum((unsigned char)*a) &&
			       !((unsigned char)*a & 0x80))
				a++;
			while (b < be && !isalnum((unsigned char)*b) &&
			       !((unsigned char)*b & 0x80))
				b++;
			if (!*a || b == be)
				break;
			if (tolower((unsigned char)*a) !=
			    tolower((unsigned char)*b))
				break;
			a++, b++;
		}
		if (!*a && b == be)
			return true;
		if (!e)
			break;
		c = e + 1;
	}
	return false;
}

/* The value (non-empty) of the first column of rec named one of names,
 * and that column's name in *col. */
static const char *pick(const struct crm_rec *rec, const char *names,
			const char **col)
{
	for (size_t i = 0; i < rec->n; i++) {
		const char *v = crm_rec_val(rec, i);

		if (v && *v && name_is(crm_rec_name(rec, i), names)) {
			if (col)
				*col = crm_rec_name(rec, i);
			return v;
		}
	}
	return NULL;
}

#define COL_PLATFORM "platform|network|site"
#define COL_HANDLE                                                             \
	"handle|openid|FromUserName|uid|user_id|user|profile_url|profile|"     \
	"url|username|sender_profile_url|linkedin_profile_url"
#define COL_UNIONID "unionid"
#define COL_APP "app|appid|ToUserName|account"
#define COL_TYPE "type|MsgType|interaction|action|event"
#define COL_ID "id|MsgId|mid|message_id|comment_id|event_id"
#define COL_TIME                                                               \
	"occurred_at|CreateTime|created_at|date|time|timestamp|submitted_at"
#define COL_TEXT "text|Content|body|message|comment"
/* a person's name (split into first and last name) and a nickname (kept
 * whole as the last name of a new lead, and as the identity's name) */
#define COL_REALNAME "name|full_name|from"
#define COL_NAME "nickname|screen_name|display_name|name|full_name|from"

/* An interaction's time: ISO 8601 (crm_datetime_parse), Unix seconds
 * (WeChat's CreateTime) or milliseconds, or Weibo's "Tue May 31
 * 17:46:55 +0800 2011". */
static int parse_when(const char *s, char out[CRM_TIME_LEN],
		      struct crm_err *err)
{
	size_t n = strlen(s);
	crm_time t;

	if (all_digits(s, n) && (n == 10 || n == 13)) {
		t = strtoll(s, NULL, 10);
		if (n == 13)
			t /= 1000;
		crm_datetime_format(t, out);
		return 0;
	}
	if (n > 20 && isalpha((unsigned char)s[0])) {
		struct tm tm = {0};
		const char *e = strptime(s, "%a %b %d %H:%M:%S %z %Y", &tm);

		if (e && !*e) {
			long off = tm.tm_gmtoff;

			t = (crm_time)timegm(&tm) - off;
			crm_datetime_format(t, out);
			return 0;
		}
	}
	if (n > 4 && !strcmp(s + n - 4, " UTC")) {
		/* LinkedIn's "2026-11-28 09:15:42 UTC" */
		char *z = crm_xstrndup(s, n - 4);
		int rc = crm_datetime_parse(z, &t, err);

		free(z);
		if (rc < 0)
			return -1;
	} else if (crm_datetime_parse(s, &t, err) < 0)
		return -1;
	crm_datetime_format(t, out);
	return 0;
}

/* An interaction type: lower case, WeChat's and Weibo's words mapped. */
static void type_of(const char *s, struct crm_buf *out)
{
	static const char *const map[][2] = {
	    {"text", "message"},	 {"image", "message"},
	    {"voice", "message"},	 {"subscribe", "follow"},
	    {"unsubscribe", "unfollow"}, {"repost", "share"},
	    {"retweet", "share"},	 {"forward", "share"},
	    {"dm", "message"},		 {"reply", "comment"},
	};

	crm_buf_reset(out);
	crm_buf_adds(out, s);
	lower_ascii(out);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(out->s, map[i][0])) {
			crm_buf_reset(out);
			crm_buf_adds(out, map[i][1]);
			return;
		}
}

struct person {
	const char *entity; /* "contact", "lead" or NULL */
	int64_t id;
	int64_t orphan; /* an identity whose person was deleted */
};

/* The person of identity uid, or of a WeChat identity with unionid: 1
 * (p set; a converted lead's contact), 2 when the identity's person was
 * deleted (p->orphan: the identity's id), 0 when there is none. */
static int find_person(struct crm_db *db, const char *sql, const char *key,
		       struct person *p, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(db, err, sql, "s", key);
	int rc = st ? crm_stmt_step(st, err) : -1;

	if (rc > 0) {
		if (crm_stmt_text(st, 1)) {
			p->entity = "contact";
			p->id = crm_stmt_int(st, 1);
		} else if (crm_stmt_text(st, 3)) {
			/* the lead was converted: its contact now */
			p->entity = "contact";
			p->id = crm_stmt_int(st, 3);
		} else if (crm_stmt_text(st, 2)) {
			p->entity = "lead";
			p->id = crm_stmt_int(st, 2);
		} else {
			p->orphan = crm_stmt_int(st, 0);
			rc = 2;
		}
	}
	if (st)
		crm_stmt_reset(st);
	return rc;
}

static const char by_uid_sql[] =
    "SELECT s.id, s.contact_id, s.lead_id, l.contact_id FROM "
    "social_identities s LEFT JOIN leads l ON l.id = s.lead_id WHERE "
    "s.uid = ?";
static const char by_unionid_sql[] =
    "SELECT s.id, s.contact_id, s.lead_id, l.contact_id FROM "
    "social_identities s LEFT JOIN leads l ON l.id = s.lead_id WHERE "
    "s.platform = 'wechat' AND s.unionid = ? AND (s.contact_id IS NOT NULL "
    "OR s.lead_id IS NOT NULL) ORDER BY s.id";

/* Give the identity id, whose person was deleted, to p. */
static int adopt(struct crm_db *db, int64_t id, const struct person *p,
		 struct crm_err *err)
{
	bool contact = !strcmp(p->entity, "contact");
	char now[CRM_TIME_LEN];

	crm_datetime_format(db->now, now);
	if (crm_dbq_run(db, err,
			"UPDATE social_identities SET contact_id = ?, lead_id "
			"= ?, updated_at = ? WHERE id = ?",
			"IIsi", contact ? p->id : 0, contact ? 0 : p->id, now,
			id) < 0)
		return crm_err_what(err, "cannot update an identity");
	return 0;
}

/* What the duplicate check said about the last record. */
static void dup_seen(const struct crm_dup_report *r, void *arg)
{
	struct person *p = arg;

	p->entity = r->entity->name;
	p->id = r->target;
}

struct importers {
	/* the importers keep pointers to their options */
	struct crm_import_opts lo, io, ao;
	struct crm_importer *lead, *identity, *activity;
	struct crm_dupcheck *dc;
	struct person dup;
};

static void importers_free(struct importers *im)
{
	crm_importer_free(im->lead);
	crm_importer_free(im->identity);
	crm_importer_free(im->activity);
	crm_dupcheck_free(im->dc);
}

/* The lead duplicate check, keeping the source of a lead it updates
 * (where a lead came from first stays) and its external id. */
/* The end of an import whose work returned rc: the importers freed, the
 * transaction finished (crm_db_finish) when rc is 0, else rolled back. */
static int import_end(struct crm_db *db, struct importers *im, bool dry_run,
		      int rc, struct crm_err *err)
{
	importers_free(im);
	if (rc == 0)
		rc = crm_db_finish(db, dry_run, err);
	if (rc < 0)
		crm_db_rollback(db);
	return rc;
}

static int check_keep_source(struct crm_db *db, const struct crm_entity *e,
			     struct crm_import_new *nw, void *arg,
			     struct crm_err *err)
{
	int a = crm_dupcheck_import(db, e, nw, arg, err);
	long f = crm_entity_field(e, "source");

	long x = crm_entity_field(e, "external_id");

	if (a == CRM_DUP_UPDATE && f >= 0) {
		crm_row_set(nw->in, "source", NULL);
		nw->in->touched[f] = false;
	}
	/* and its external id (ours is a form body's or an interaction's) */
	if (a == CRM_DUP_UPDATE && x >= 0) {
		crm_row_set(nw->in, "external_id", NULL);
		nw->in->touched[x] = false;
	}
	return a;
}

static int importers_new(struct crm_db *db, struct importers *im,
			 const char *command, bool model, double threshold,
			 bool match, struct crm_err *err)
{
	struct crm_dupcheck_opts d = crm_lead_dupcheck;
	struct crm_import_opts *lo = &im->lo, *io = &im->io, *ao = &im->ao;

	lo->command = io->command = ao->command = command;
	lo->keys = ao->keys = "external_id";
	io->keys = "id";
	lo->match = match;

	d.model = model;
	d.threshold = threshold;
	d.report = dup_seen;
	d.report_arg = &im->dup;
	im->dc = crm_dupcheck_new(db, &crm_lead_entity, &d, err);
	if (!im->dc)
		return -1;
	lo->check = check_keep_source;
	lo->check_arg = im->dc;
	im->lead = crm_importer_new(db, &crm_lead_entity, lo, err);
	if (!im->lead)
		return -1;
	im->identity = crm_importer_new(db, &crm_social_entity, io, err);
	if (!im->identity)
		return -1;
	im->activity = crm_importer_new(db, &crm_activity_entity, ao, err);
	return im->activity ? 0 : -1;
}

/* Apply lead (a lead record) through the duplicate check: the person it
 * is (a new or updated lead, or the contact it duplicates). *action: the
 * importer's. */
static int lead_person(struct importers *im, const struct crm_rec *lead,
		       struct person *p, enum crm_import_action *action,
		       struct crm_err *err)
{
	struct crm_row row;
	int rc;

	im->dup.entity = NULL;
	im->dup.id = 0;
	crm_row_init(&row, &crm_lead_entity);
	rc = crm_importer_apply(im->lead, lead, &row, action, err);
	if (rc == 0) {
		if (*action == CRM_SKIPPED) {
			p->entity = im->dup.entity;
			p->id = im->dup.id;
		} else {
			p->entity = "lead";
			p->id = crm_row_id(&row);
		}
		if (!p->entity || p->id <= 0)
			rc = crm_err_set(err, CRM_EX_SOFTWARE,
					 "a lead skipped with no duplicate");
	}
	crm_row_release(&row);
	return rc;
}

static void add_id(struct crm_rec *r, const char *name, int64_t id)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)id);
	crm_rec_adds(r, name, num);
}

/* Place err (already set) at input:line, field when err has none. */
static int place(struct crm_err *err, const char *input, long line,
		 const char *field)
{
	if (!err->code)
		err->code = CRM_EX_DATAERR;
	if (!err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", input);
	if (!err->line)
		err->line = line;
	if (!err->field[0] && field)
		snprintf(err->field, sizeof(err->field), "%s", field);
	return -1;
}

/* pick, for a column the input must have: NULL with the error why at the
 * line, as field. */
static const char *need(const struct crm_rec *in, const char *names,
			const char **col, const char *input, const char *field,
			const char *why, struct crm_err *err)
{
	const char *v = pick(in, names, col);

	if (!v)
		crm_err_at(err, CRM_EX_DATAERR, input, in->line, field, "%s",
			   why);
	return v;
}

/* One interaction record. */
static int one_interaction(struct crm_db *db, struct importers *im,
			   const struct crm_rec *in, const char *input,
			   const struct crm_social_opts *o,
			   struct crm_social_stats *st, struct crm_err *err)
{
	const char *col = NULL, *v, *pl, *how = "identity";
	struct crm_buf h = {0}, b = {0}, ty = {0};
	struct crm_rec rec;
	struct person p = {0};
	char when[CRM_TIME_LEN];
	enum crm_import_action a;
	struct crm_row arow;
	int rc = -1;

	crm_rec_init(&rec);
	crm_row_init(&arow, &crm_activity_entity);
	v = pick(in, COL_PLATFORM, &col);
	if (!v && o->platform) {
		v = o->platform;
		col = "platform";
	}
	if (!v) {
		crm_err_at(err, CRM_EX_DATAERR, input, in->line, "platform",
			   "missing");
		goto out;
	}
	if (!(pl = crm_social_platform(v))) {
		crm_err_at(err, CRM_EX_DATAERR, input, in->line, col,
			   "unknown platform '%.60s'", v);
		goto out;
	}
	v = need(in, COL_HANDLE, &col, input, "handle",
		 "missing (openid, uid, profile address or name)", err);
	if (!v)
		goto out;
	if (crm_social_handle(pl, v, &h, err) < 0) {
		place(err, input, in->line, col);
		goto out;
	}
	v = need(in, COL_TIME, &col, input, "occurred_at", "missing", err);
	if (!v)
		goto out;
	if (parse_when(v, when, err) < 0) {
		place(err, input, in->line, col);
		goto out;
	}
	v = pick(in, COL_TYPE, &col);
	type_of(v ? v : "message", &ty);
	if (!strcmp(ty.s, "event") && pick(in, "Event", NULL))
		type_of(pick(in, "Event", NULL), &ty);
	v = pick(in, COL_UNIONID, &col);
	if (v && strcmp(pl, "wechat")) {
		crm_err_at(err, CRM_EX_DATAERR, input, in->line, col,
			   "only WeChat identities have a unionid");
		goto out;
	}
	crm_buf_addf(&b, "%s:%s", pl, h.s);
	rc = find_person(db, by_uid_sql, b.s, &p, err);
	if (rc == 0 && v) {
		rc = find_person(db, by_unionid_sql, v, &p, err);
		how = "unionid";
	}
	if (rc < 0)
		goto out;
	if (rc == 0 || rc == 2) {
		/* unknown (or its person deleted): the person the lead
		 * duplicate check finds, or a new lead */
		static const char *const carry[][2] = {
		    {"first_name", "first_name|given_name"},
		    {"last_name", "last_name|surname|family_name"},
		    {"email", "email|email_address|e_mail|邮箱"},
		    {"phone", "phone|phone_number|mobile|手机|手机号|电话"},
		    {"company", "company|company_name|organization|公司"},
		    {"title", "title|job_title|headline|职位"},
		};
		const char *nm = pick(in, COL_REALNAME, NULL);
		const char *nick = pick(in, COL_NAME, NULL);

		for (size_t i = 0; i < sizeof(carry) / sizeof(*carry); i++)
			if ((v = pick(in, carry[i][1], NULL)))
				crm_rec_adds(&rec, carry[i][0], v);
		if (!pick(in, "first_name|last_name", NULL)) {
			if (nm)
				crm_rec_adds(&rec, "name", nm);
			else
				crm_rec_adds(&rec, "last_name",
					     nick ? nick : b.s);
		}
		crm_rec_adds(&rec, "source", pl);
		rec.line = in->line;
		if (lead_person(im, &rec, &p, &a, err) < 0) {
			place(err, input, in->line, NULL);
			rc = -1;
			goto out;
		}
		how = a == CRM_INSERTED ? "new lead" : "duplicate";
		if (a == CRM_INSERTED)
			st->leads++;
		else
			st->linked++;
	}
	if (rc == 2 && adopt(db, p.orphan, &p, err) < 0) {
		place(err, input, in->line, NULL);
		rc = -1;
		goto out;
	}
	if (rc == 0 || (rc == 1 && !strcmp(how, "unionid"))) {
		/* the identity: new, of the person found */
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "platform", pl);
		crm_rec_adds(&rec, "handle", h.s);
		if ((v = pick(in, COL_UNIONID, NULL)))
			crm_rec_adds(&rec, "unionid", v);
		if ((v = pick(in, COL_APP, NULL)))
			crm_rec_adds(&rec, "app", v);
		if ((v = pick(in, COL_NAME, NULL)))
			crm_rec_adds(&rec, "name", v);
		add_id(&rec,
		       !strcmp(p.entity, "contact") ? "contact_id" : "lead_id",
		       p.id);
		rec.line = in->line;
		if (crm_importer_apply(im->identity, &rec, NULL, &a, err) < 0) {
			place(err, input, in->line, NULL);
			rc = -1;
			goto out;
		}
		if (a == CRM_INSERTED)
			st->identities++;
	}
	/* the activity */
	crm_rec_clear(&rec);
	crm_buf_reset(&b);
	v = pick(in, COL_ID, NULL);
	if (v)
		crm_buf_addf(&b, "%s:%s", pl, v);
	else {
		/* no id in the export: the record's own content is its key */
		uint64_t x = CRM_FNV_BASIS;
		const char *t = pick(in, COL_TEXT, NULL);

		x = crm_fnv1a64(h.s, h.len + 1, x);
		x = crm_fnv1a64(ty.s, ty.len + 1, x);
		x = crm_fnv1a64(when, strlen(when) + 1, x);
		if (t)
			x = crm_fnv1a64(t, strlen(t), x);
		crm_buf_addf(&b, "%s:%s:%016llx", pl, h.s,
			     (unsigned long long)x);
	}
	crm_rec_adds(&rec, "external_id", b.s);
	crm_rec_adds(&rec, "type", ty.s);
	v = pick(in, "direction", &col);
	if (v && strcmp(v, "in") && strcmp(v, "out")) {
		crm_err_at(err, CRM_EX_DATAERR, input, in->line, col,
			   "expected in or out, got '%.20s'", v);
		rc = -1;
		goto out;
	}
	crm_rec_adds(&rec, "direction", v ? v : "in");
	crm_buf_reset(&b);
	crm_buf_addf(&b, "%s %s", pl, ty.s);
	crm_rec_adds(&rec, "subject", b.s);
	if ((v = pick(in, COL_TEXT, NULL)))
		crm_rec_adds(&rec, "body", v);
	crm_rec_adds(&rec, "occurred_at", when);
	crm_rec_adds(&rec, "channel", pl);
	add_id(&rec, !strcmp(p.entity, "contact") ? "contact_id" : "lead_id",
	       p.id);
	rec.line = in->line;
	if (crm_importer_apply(im->activity, &rec, &arow, &a, err) < 0) {
		place(err, input, in->line, NULL);
		rc = -1;
		goto out;
	}
	if (a == CRM_INSERTED)
		st->activities++;
	else
		st->unchanged++;
	st->records++;
	rc = 0;
	if (o->emit && o->emit(input, in, p.entity, p.id, crm_row_id(&arow),
			       a == CRM_INSERTED ? "inserted" : "unchanged",
			       how, o->emit_arg) < 0)
		rc = crm_err_set(err, CRM_EX_IOERR, "cannot write output");
out:
	crm_buf_release(&h);
	crm_buf_release(&b);
	crm_buf_release(&ty);
	crm_rec_release(&rec);
	crm_row_release(&arow);
	return rc;
}

int crm_social_import(struct crm_db *db, struct crm_reader **rs, size_t n,
		      const struct crm_social_opts *o,
		      struct crm_social_stats *st, struct crm_err *err)
{
	struct importers im = {0};
	struct crm_rec in;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	crm_rec_init(&in);
	if (crm_db_begin(db, err) < 0)
		goto done;
	if (importers_new(db, &im, "social", o->model, o->threshold, false,
			  err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int got;

		while ((got = crm_reader_next(rs[i], &in, err)) > 0)
			if (crm_check_interrupt(err) < 0 ||
			    one_interaction(db, &im, &in,
					    crm_reader_name(rs[i]), o, st,
					    err) < 0)
				goto out;
		if (got < 0)
			goto out;
	}
	rc = 0;
out:
	rc = import_end(db, &im, o->dry_run, rc, err);
done:
	crm_rec_release(&in);
	return rc;
}

/* -- web forms ---------------------------------------------------------------
 */

/* Form fields that are no data: the submit button, CSRF tokens,
 * honeypots and anything starting with '_'. */
static bool form_noise(const char *name)
{
	return *name == '_' || name_is(name, "submit|csrf_token|csrf|token");
}

/* Read at most CRM_FORM_MAX_BODY + 1 bytes of path ("-": stdin; more is
 * refused by crm_form_parse). */
static int read_body(const char *path, struct crm_buf *b, struct crm_err *err)
{
	bool in = !strcmp(path, "-");
	FILE *fp = in ? stdin : fopen(path, "rb");
	char chunk[8192];
	size_t got;

	if (!fp)
		return crm_err_at(err, CRM_EX_NOINPUT, path, 0, NULL,
				  "cannot open: %s", strerror(errno));
	while (b->len <= CRM_FORM_MAX_BODY &&
	       (got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(b, chunk, got);
	if (ferror(fp)) {
		if (!in)
			fclose(fp);
		return crm_err_at(err, CRM_EX_IOERR, path, 0, NULL,
				  "read error");
	}
	if (!in)
		fclose(fp);
	return 0;
}

static int one_form(struct crm_db *db, struct importers *im, const char *path,
		    const struct crm_form_opts *o, struct crm_form_stats *st,
		    struct crm_err *err)
{
	struct crm_buf body = {0}, ext = {0};
	struct crm_rec form, lead;
	struct person p = {0};
	enum crm_import_action a;
	const char *camp, *v;
	char *src = NULL, *own = NULL;
	int64_t cid = 0;
	int rc = -1;

	crm_rec_init(&form);
	crm_rec_init(&lead);
	if (read_body(path, &body, err) < 0)
		goto out;
	if (!strcmp(path, "-"))
		path = "<stdin>"; /* as messages and output name it */
	if (crm_form_parse(body.s ? body.s : "", body.len, path, &form, err) <
	    0)
		goto out;
	for (size_t i = 0; i < form.n; i++) {
		const char *name = crm_rec_name(&form, i);

		if (!form_noise(name) && crm_rec_val(&form, i) &&
		    *crm_rec_val(&form, i))
			crm_rec_adds(&lead, name, crm_rec_val(&form, i));
	}
	/* the same body again is the same lead */
	crm_buf_addf(
	    &ext, "form:%016llx",
	    (unsigned long long)crm_fnv1a64(body.s, body.len, CRM_FNV_BASIS));
	crm_rec_adds(&lead, "external_id", ext.s);
	/* (copies: adding to lead moves its values) */
	v = crm_rec_get(&lead, "utm_source");
	src = crm_xstrdup(v ? v : o->source ? o->source : "web form");
	if (crm_rec_find(&lead, "source") < 0)
		crm_rec_adds(&lead, "source", src);
	v = crm_rec_get(&lead, "utm_campaign");
	camp = v ? (own = crm_xstrdup(v)) : o->campaign;
	if (camp && crm_rec_find(&lead, "campaign") < 0)
		crm_rec_adds(&lead, "campaign", camp);
	lead.line = 1;
	if (camp) {
		struct crm_row c;
		int f;

		crm_row_init(&c, &crm_campaign_entity);
		f = crm_entity_find(db, &crm_campaign_entity, camp, &c, err);
		cid = f > 0 ? crm_row_id(&c) : 0;
		crm_row_release(&c);
		if (f < 0) {
			place(err, path, 1, "utm_campaign");
			goto out;
		}
		if (!f && camp == o->campaign) {
			crm_err_set(err, CRM_EX_NOINPUT, "no campaign '%.80s'",
				    camp);
			goto out;
		}
		if (!f && o->warn)
			o->warn(path, camp, o->emit_arg);
	}
	if (lead_person(im, &lead, &p, &a, err) < 0) {
		place(err, path, 1, NULL);
		goto out;
	}
	st->forms++;
	if (!strcmp(p.entity, "contact"))
		st->contacts++;
	else if (a == CRM_INSERTED)
		st->leads++;
	else if (a == CRM_UPDATED)
		st->updated++;
	else
		st->unchanged++;
	if (cid) {
		char now[CRM_TIME_LEN];
		uint64_t added = 0;

		crm_datetime_format(db->now, now);
		if (crm_campaign_members_add(db, cid, p.entity, &p.id, 1,
					     "targeted", now, &added, err) < 0)
			goto out;
		st->members += added;
	}
	rc = 0;
	if (o->emit &&
	    o->emit(path, p.entity, p.id,
		    !strcmp(p.entity, "contact") ? "contact"
						 : crm_import_action_name(a),
		    cid, o->emit_arg) < 0)
		rc = crm_err_set(err, CRM_EX_IOERR, "cannot write output");
out:
	free(src);
	free(own);
	crm_buf_release(&body);
	crm_buf_release(&ext);
	crm_rec_release(&form);
	crm_rec_release(&lead);
	return rc;
}

int crm_form_capture(struct crm_db *db, const char *const *paths, size_t n,
		     const struct crm_form_opts *o, struct crm_form_stats *st,
		     struct crm_err *err)
{
	struct importers im = {0};
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (importers_new(db, &im, "capture", false, 0.5, true, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (crm_check_interrupt(err) < 0 ||
		    one_form(db, &im, paths[i], o, st, err) < 0)
			goto out;
	rc = 0;
out:
	return import_end(db, &im, o->dry_run, rc, err);
}
