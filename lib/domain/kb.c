/* kb.c - the knowledge base (see kb.h).
 *
 * The index is two plain tables, kb_terms (term, article, weighted count)
 * and kb_docs (article, weighted length), kept by the entity's written
 * hook, and BM25 is computed here from their rows: the same SQL and the
 * same ranking on SQLite and PostgreSQL, and no tokenizer of either
 * engine decides what a word is. Words come from crm_tokens (lib/base):
 * Chinese and Japanese, written without spaces, are indexed as character
 * bigrams and single characters, so two-character words (网络, 打印) and
 * one-character queries are found, which FTS5's trigram tokenizer and
 * pg_trgm cannot do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "datetime.h"
#include "dbq.h"
#include "kb.h"
#include "normalize.h"
#include "ticket.h"
#include "tokens.h"

static const char *const statuses[] = {"draft", "published", "archived", NULL};

enum {
	F_ID,
	F_EXTERNAL_ID,
	F_TITLE,
	F_BODY,
	F_CATEGORY,
	F_TAGS,
	F_LANGUAGE,
	F_STATUS,
	F_AUTHOR,
	F_VERSION,
	F_PUBLISHED,
	F_CREATED,
	F_UPDATED,
};

static const struct crm_field kb_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"title", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Name|Subject|Question|标题|タイトル"},
    {"body", CRM_T_TEXT, 0,
     .names = "Content|Text|Answer|Article|正文|内容|本文"},
    {"category", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Section|Folder|分类|カテゴリ"},
    {"tags", CRM_T_TAGS, 0, .names = CRM_ALIASES_TAGS},
    {"language", CRM_T_TEXT, CRM_FF_BRIEF, .names = "Lang|Locale|语言|言語"},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, statuses},
    {"author", CRM_T_TEXT, 0},
    {"version", CRM_T_INT, CRM_FF_READONLY | CRM_FF_BRIEF},
    {"published_at", CRM_T_TIME, CRM_FF_READONLY},
    CRM_FIELDS_CREATED_UPDATED,
};

static int kb_prepare(struct crm_db *db, const struct crm_entity *e,
		      struct crm_row *row, const struct crm_row *old, void *arg,
		      struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t v, max = 0;

	(void)e;
	(void)arg;
	crm_datetime_format(db->now, now);
	if (!row->v[F_STATUS])
		crm_row_set_at(row, F_STATUS, old ? old->v[F_STATUS] : "draft");
	if (!old) {
		if (!row->v[F_VERSION])
			crm_row_set_at(row, F_VERSION, "1");
		if (!row->v[F_AUTHOR])
			crm_row_set_at(row, F_AUTHOR, db->actor);
		if (!strcmp(row->v[F_STATUS], "published") &&
		    !row->v[F_PUBLISHED])
			crm_row_set_at(row, F_PUBLISHED, now);
		return 0;
	}
	if (!strcmp(row->v[F_STATUS], "published") &&
	    !crm_str_same(old->v[F_STATUS], "published"))
		crm_row_set_at(row, F_PUBLISHED, now);
	if (crm_str_same(row->v[F_TITLE], old->v[F_TITLE]) &&
	    crm_str_same(row->v[F_BODY], old->v[F_BODY]))
		return 0;
	/* the text changes: keep the old one as a version of its own, under
	 * its number, or after an undo (the article back at a number already
	 * saved) the next free one */
	v = old->v[F_VERSION] ? strtoll(old->v[F_VERSION], NULL, 10) : 1;
	if (crm_dbq_step(db, err, &max,
			 "SELECT coalesce(max(version), 0) FROM "
			 "kb_versions WHERE article_id = ?1",
			 "i", crm_row_id(old)) < 0)
		return crm_err_what(err, "saving the old version");
	if (max >= v)
		v = max + 1;
	if (crm_dbq_run(db, err,
			"INSERT INTO kb_versions (article_id, version, title, "
			"body, author, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, "
			"?6)",
			"iissss", crm_row_id(old), v, old->v[F_TITLE],
			old->v[F_BODY], old->v[F_AUTHOR], now) < 0)
		return crm_err_what(err, "saving the old version");
	free(row->v[F_VERSION]);
	row->v[F_VERSION] = crm_xasprintf("%lld", (long long)v + 1);
	return 0;
}

/* -- the index ------------------------------------------------------------ */

struct tok {
	char *s;
	int64_t w;
};

struct toks {
	struct tok *v;
	size_t n, cap;
	int64_t weight;
};

/* A token as a term: words stemmed (English), CJK tokens as they are; the
 * same for articles and queries. */
static int tok_add(const char *t, size_t n, enum crm_token_kind k, void *arg)
{
	struct toks *ts = arg;

	if (n > 64) /* a run of letters that long is no word */
		return 0;
	if (k == CRM_TOK_WORD)
		t = crm_stem_english(t, n, &n);
	ts->v = crm_xgrow(ts->v, &ts->cap, ts->n + 1, sizeof(*ts->v));
	ts->v[ts->n].s = crm_xstrndup(t, n);
	ts->v[ts->n++].w = ts->weight;
	return 0;
}

static int tok_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tok *)a)->s, ((const struct tok *)b)->s);
}

/* Sort and merge equal tokens, adding their weights. */
static void toks_merge(struct toks *ts)
{
	size_t k = 0;

	if (ts->n)
		qsort(ts->v, ts->n, sizeof(*ts->v), tok_cmp);
	for (size_t i = 0; i < ts->n; i++) {
		if (k && !strcmp(ts->v[k - 1].s, ts->v[i].s)) {
			ts->v[k - 1].w += ts->v[i].w;
			free(ts->v[i].s);
		} else {
			ts->v[k++] = ts->v[i];
		}
	}
	ts->n = k;
}

static void toks_release(struct toks *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i].s);
	free(ts->v);
	memset(ts, 0, sizeof(*ts));
}

static void toks_text(struct toks *ts, const char *s, int64_t weight,
		      unsigned flags)
{
	if (!s)
		return;
	ts->weight = weight;
	crm_tokens(s, strlen(s), flags, tok_add, ts);
}

static int index_article(struct crm_db *db, int64_t id, const char *title,
			 const char *tags, const char *body,
			 struct crm_err *err)
{
	struct toks ts = {0};
	int64_t dlen = 0;
	int rc = -1;

	if (crm_dbq_run(db, err, "DELETE FROM kb_terms WHERE article_id = ?1",
			"i", id) < 0 ||
	    crm_dbq_run(db, err, "DELETE FROM kb_docs WHERE article_id = ?1",
			"i", id) < 0)
		goto out;
	toks_text(&ts, title, 3, CRM_TOK_DOCUMENT);
	toks_text(&ts, tags, 2, CRM_TOK_DOCUMENT);
	toks_text(&ts, body, 1, CRM_TOK_DOCUMENT);
	toks_merge(&ts);
	for (size_t i = 0; i < ts.n; i++) {
		if (crm_dbq_run(db, err,
				"INSERT INTO kb_terms (term, article_id, tf) "
				"VALUES (?1, ?2, ?3)",
				"sii", ts.v[i].s, id, ts.v[i].w) < 0)
			goto out;
		dlen += ts.v[i].w;
	}
	rc = crm_dbq_run(db, err,
			 "INSERT INTO kb_docs (article_id, dlen) VALUES (?1, "
			 "?2)",
			 "ii", id, dlen);
out:
	toks_release(&ts);
	return rc < 0 ? crm_err_what(err, "indexing the article") : 0;
}

static int kb_written(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_row *row, bool inserted, void *arg,
		      struct crm_err *err)
{
	(void)e;
	(void)inserted;
	(void)arg;
	return index_article(db, crm_row_id(row), row->v[F_TITLE],
			     row->v[F_TAGS], row->v[F_BODY], err);
}

/* Undo writes the rows it restores without the entity's hooks but checks
 * each with this: the index follows the restored text from here. */
static int kb_check(struct crm_db *db, const struct crm_entity *e,
		    const struct crm_row *row, struct crm_err *err)
{
	(void)e;
	return index_article(db, crm_row_id(row), row->v[F_TITLE],
			     row->v[F_TAGS], row->v[F_BODY], err);
}

const struct crm_entity crm_kb_entity = {
    .name = "article",
    .plural = "articles",
    .table = "kb_articles",
    CRM_FIELDS(kb_fields),
    .keys = "id,external_id",
    .prepare = kb_prepare,
    .check = kb_check,
    .written = kb_written,
};

struct reindex_ctx {
	struct crm_db *db;
	uint64_t n;
	struct crm_err *err;
};

static int reindex_one(const struct crm_row *row, void *arg)
{
	struct reindex_ctx *rc = arg;

	rc->n++;
	return index_article(rc->db, crm_row_id(row), row->v[F_TITLE],
			     row->v[F_TAGS], row->v[F_BODY], rc->err);
}

int crm_kb_reindex(struct crm_db *db, uint64_t *n, struct crm_err *err)
{
	struct reindex_ctx rc = {db, 0, err};
	struct crm_query q = {.limit = -1};

	if (crm_db_exec(db, "DELETE FROM kb_terms; DELETE FROM kb_docs", err) <
	    0)
		return -1;
	if (crm_entity_each(db, &crm_kb_entity, &q, reindex_one, &rc, err) < 0)
		return -1;
	*n = rc.n;
	return 0;
}

/* -- search --------------------------------------------------------------- */

/* Scores by article id: open addressing, ids > 0. */
struct acc {
	int64_t *id;
	double *score;
	size_t cap, n;
};

static double *acc_slot(struct acc *a, int64_t id)
{
	size_t i;

	if ((a->n + 1) * 2 > a->cap) {
		struct acc b = {0};

		b.cap = a->cap ? a->cap * 2 : 256;
		b.id = crm_xcalloc(b.cap, sizeof(*b.id));
		b.score = crm_xcalloc(b.cap, sizeof(*b.score));
		for (size_t k = 0; k < a->cap; k++)
			if (a->id[k])
				*acc_slot(&b, a->id[k]) = a->score[k];
		free(a->id);
		free(a->score);
		*a = b;
	}
	i = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15u) & (a->cap - 1);
	while (a->id[i] && a->id[i] != id)
		i = (i + 1) & (a->cap - 1);
	if (!a->id[i]) {
		a->id[i] = id;
		a->n++;
	}
	return &a->score[i];
}

struct scored {
	int64_t id;
	double score;
};

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool excluded(const struct crm_kb_search_opts *o, int64_t id)
{
	for (size_t i = 0; i < o->nexclude; i++)
		if (o->exclude[i] == id)
			return true;
	return false;
}

/* Does a word go on at s (n bytes): a letter, mark or digit, '_', but not
 * a CJK character (each starts a word of its own)? */
static bool word_goes_on(const char *s, size_t n)
{
	utf8proc_int32_t c;
	utf8proc_category_t k;

	if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
			     &c) <= 0)
		return false;
	if (c == '_')
		return true;
	k = utf8proc_category(c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO &&
	       !crm_is_cjk(c);
}

static bool ascii_word_byte(char c)
{
	return c == '_' || (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Mark the query's terms in text: ASCII letters compared without case, a
 * word only where a word starts; a word term (a stem) marks the whole
 * word when the word's stem is the term (configuring for "configur"). */
static void mark_terms(const char *text, size_t len, const struct toks *q,
		       unsigned char *mask)
{
	char low[65];

	for (size_t t = 0; t < q->n; t++) {
		const char *w = q->v[t].s;
		size_t wl = strlen(w);
		bool word = (unsigned char)w[0] < 0x80;

		for (size_t p = 0; p + wl <= len; p++) {
			size_t e = p + wl, sn;
			const char *st;

			if (word && p > 0 &&
			    (unsigned char)text[p - 1] < 0x80 &&
			    ascii_word_byte(text[p - 1]))
				continue;
			if (word ? strncasecmp(text + p, w, wl) != 0
				 : memcmp(text + p, w, wl) != 0)
				continue;
			if (!word || e == len ||
			    !word_goes_on(text + e, len - e)) {
				memset(mask + p, 1, wl);
				continue;
			}
			/* a longer word: its stem may be the term */
			while (e < len && (unsigned char)text[e] < 0x80 &&
			       ascii_word_byte(text[e]) && e - p < 64)
				e++;
			if (e < len && word_goes_on(text + e, len - e))
				continue; /* goes on past ASCII: not English */
			for (size_t i = p; i < e; i++)
				low[i - p] =
				    (char)((text[i] >= 'A' && text[i] <= 'Z')
					       ? text[i] | 0x20
					       : text[i]);
			st = crm_stem_english(low, e - p, &sn);
			if (sn == wl && !memcmp(st, w, wl))
				memset(mask + p, 1, e - p);
		}
	}
}

/* The body as one line of text: Markdown's markers and line breaks out. */
static void flatten(const char *s, struct crm_buf *out)
{
	bool space = true;

	for (; s && *s; s++) {
		char c = *s;

		if (c == '*' || c == '`' || c == '#' || c == '>' || c == '_')
			continue;
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			if (!space)
				crm_buf_addc(out, ' ');
			space = true;
			continue;
		}
		crm_buf_addc(out, c);
		space = false;
	}
	while (out->len && out->s[out->len - 1] == ' ')
		out->s[--out->len] = '\0';
}

static size_t back_chars(const char *s, size_t p, size_t n)
{
	while (p > 0 && n > 0) {
		p--;
		while (p > 0 && ((unsigned char)s[p] & 0xc0) == 0x80)
			p--;
		n--;
	}
	return p;
}

static size_t fwd_chars(const char *s, size_t len, size_t p, size_t n)
{
	while (p < len && n > 0) {
		p++;
		while (p < len && ((unsigned char)s[p] & 0xc0) == 0x80)
			p++;
		n--;
	}
	return p;
}

/* text with the query's terms marked; with width, only a window of that
 * many characters around the first match. Caller frees. */
static char *marked(const char *text, const struct toks *q, size_t width,
		    const char *open, const char *close)
{
	struct crm_buf flat = {0}, out = {0};
	unsigned char *mask;
	size_t start = 0, end, first;
	bool in = false;

	if (width)
		flatten(text, &flat);
	else
		crm_buf_adds(&flat, text ? text : "");
	mask = crm_xcalloc(flat.len + 1, 1);
	mark_terms(flat.s ? flat.s : "", flat.len, q, mask);
	end = flat.len;
	if (width) {
		for (first = 0; first < flat.len && !mask[first]; first++)
			;
		if (first < flat.len)
			start = back_chars(flat.s, first, width / 4);
		/* near the end: the window ends with the text */
		if (fwd_chars(flat.s, flat.len, start, width) == flat.len)
			start = back_chars(flat.s, flat.len, width);
		/* begin at a word where one is near */
		for (size_t k = start; start && k < first && k < start + 12;
		     k++)
			if (flat.s[k] == ' ') {
				start = k + 1;
				break;
			}
		end = fwd_chars(flat.s, flat.len, start, width);
		if (start)
			crm_buf_adds(&out, "…");
	}
	for (size_t i = start; i < end; i++) {
		if (mask[i] && !in)
			crm_buf_adds(&out, open);
		else if (!mask[i] && in)
			crm_buf_adds(&out, close);
		in = mask[i];
		crm_buf_addc(&out, flat.s[i]);
	}
	if (in)
		crm_buf_adds(&out, close);
	if (end < flat.len)
		crm_buf_adds(&out, "…");
	free(mask);
	crm_buf_release(&flat);
	if (!out.s)
		crm_buf_adds(&out, "");
	return crm_buf_detach(&out);
}

static char *dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

static int fill_hit(struct crm_db *db, struct crm_kb_hit *h,
		    const struct toks *q, const struct crm_kb_search_opts *o,
		    struct crm_err *err)
{
	const char *open = o->open ? o->open : "**";
	const char *close = o->close ? o->close : "**";
	struct crm_stmt *st = crm_dbq(db, err,
				      "SELECT title, body, status, category, "
				      "language FROM kb_articles WHERE id = ?1",
				      "i", h->id);
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step_as(st, "reading the article", err);
	if (rc > 0) {
		h->title = dup_or_null(crm_stmt_text(st, 0));
		h->status = dup_or_null(crm_stmt_text(st, 2));
		h->category = dup_or_null(crm_stmt_text(st, 3));
		h->language = dup_or_null(crm_stmt_text(st, 4));
		h->title_mark = marked(crm_stmt_text(st, 0), q, 0, open, close);
		h->snippet = marked(crm_stmt_text(st, 1), q,
				    o->width ? o->width : 80, open, close);
	}
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int qtok_add(const char *t, size_t n, enum crm_token_kind k, void *arg)
{
	return tok_add(t, n, k, arg);
}

static int search_toks(struct crm_db *db, struct toks *q,
		       const struct crm_kb_search_opts *o,
		       struct crm_kb_hit **hits, size_t *nhits,
		       struct crm_err *err)
{
	const double k1 = 1.2, b = 0.75;
	struct acc acc = {0};
	struct scored *all = NULL;
	struct crm_stmt *st;
	size_t limit = o->limit ? o->limit : 10, n = 0;
	double ndocs, avgdl;
	int rc = -1;

	*hits = NULL;
	*nhits = 0;
	toks_merge(q);
	if (!(st = crm_db_stmt_cached(
		  db,
		  "SELECT count(*), coalesce(sum(d.dlen), 0) FROM kb_docs d "
		  "JOIN kb_articles a ON a.id = d.article_id",
		  err)))
		return -1;
	if (crm_stmt_step_as(st, "searching", err) < 0)
		return -1;
	ndocs = (double)crm_stmt_int(st, 0);
	avgdl = ndocs > 0 ? (double)crm_stmt_int(st, 1) / ndocs : 1;
	crm_stmt_reset(st);
	if (avgdl <= 0)
		avgdl = 1;
	if (!(st = crm_db_stmt_cached(
		  db,
		  "SELECT p.article_id, p.tf, d.dlen, a.status, a.language, "
		  "a.category FROM kb_terms p JOIN kb_docs d ON d.article_id "
		  "= p.article_id JOIN kb_articles a ON a.id = p.article_id "
		  "WHERE p.term = ?1",
		  err)))
		return -1;
	for (size_t t = 0; t < q->n; t++) {
		struct scored *post = NULL;
		size_t np = 0, cap = 0;
		double idf;
		int got;

		crm_stmt_bind_text(st, 1, q->v[t].s);
		while ((got = crm_stmt_step_as(st, "searching", err)) > 0) {
			double tf = (double)crm_stmt_int(st, 1);
			double dl = (double)crm_stmt_int(st, 2);
			int64_t id = crm_stmt_int(st, 0);

			/* df counts every article; the filters only choose */
			post = crm_xgrow(post, &cap, np + 1, sizeof(*post));
			post[np].id = -1;
			post[np].score = 0;
			if ((o->status &&
			     !crm_str_same(crm_stmt_text(st, 3), o->status)) ||
			    (o->language && !crm_str_same(crm_stmt_text(st, 4),
							  o->language)) ||
			    (o->category && !crm_str_same(crm_stmt_text(st, 5),
							  o->category)) ||
			    excluded(o, id)) {
				np++;
				continue;
			}
			post[np].id = id;
			post[np++].score = tf * (k1 + 1) /
					   (tf + k1 * (1 - b + b * dl / avgdl));
		}
		crm_stmt_reset(st);
		if (got < 0) {
			free(post);
			goto out;
		}
		idf = log(1 + (ndocs - (double)np + 0.5) / ((double)np + 0.5));
		for (size_t i = 0; i < np; i++)
			if (post[i].id > 0)
				*acc_slot(&acc, post[i].id) +=
				    (double)q->v[t].w * idf * post[i].score;
		free(post);
	}
	all = crm_xcalloc(acc.n ? acc.n : 1, sizeof(*all));
	for (size_t i = 0; i < acc.cap; i++)
		if (acc.id[i]) {
			all[n].id = acc.id[i];
			all[n++].score = acc.score[i];
		}
	qsort(all, n, sizeof(*all), by_score);
	if (n > limit)
		n = limit;
	*hits = crm_xcalloc(n ? n : 1, sizeof(**hits));
	for (size_t i = 0; i < n; i++) {
		(*hits)[i].id = all[i].id;
		(*hits)[i].score = all[i].score;
		*nhits = i + 1;
		if (fill_hit(db, &(*hits)[i], q, o, err) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		crm_kb_hits_free(*hits, *nhits);
		*hits = NULL;
		*nhits = 0;
	}
	free(all);
	free(acc.id);
	free(acc.score);
	return rc;
}

int crm_kb_search(struct crm_db *db, const struct crm_kb_search_opts *o,
		  struct crm_kb_hit **hits, size_t *n, struct crm_err *err)
{
	struct toks q = {.weight = 1};
	int rc;

	if (o->query)
		crm_tokens(o->query, strlen(o->query), 0, qtok_add, &q);
	if (!q.n) {
		*hits = NULL;
		*n = 0;
		return crm_err_set(err, CRM_EX_USAGE,
				   "the query has no word to search for");
	}
	rc = search_toks(db, &q, o, hits, n, err);
	toks_release(&q);
	return rc;
}

int crm_kb_suggest(struct crm_db *db, int64_t ticket,
		   const struct crm_kb_search_opts *o, struct crm_kb_hit **hits,
		   size_t *n, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(
	    db, err, "SELECT subject, description FROM tickets WHERE id = ?1",
	    "i", ticket);
	struct toks q = {0};
	int rc;

	*hits = NULL;
	*n = 0;
	if (!st)
		return -1;
	rc = crm_stmt_step_as(st, "reading the ticket", err);
	if (rc > 0) {
		/* the subject says what it is about: it counts twice */
		toks_text(&q, crm_stmt_text(st, 0), 2, 0);
		toks_text(&q, crm_stmt_text(st, 1), 1, 0);
	}
	crm_stmt_reset(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return crm_err_set(err, CRM_EX_NOINPUT, "no ticket %lld",
				   (long long)ticket);
	rc = q.n ? search_toks(db, &q, o, hits, n, err) : 0;
	toks_release(&q);
	return rc;
}

void crm_kb_hits_free(struct crm_kb_hit *hits, size_t n)
{
	for (size_t i = 0; hits && i < n; i++) {
		free(hits[i].title);
		free(hits[i].status);
		free(hits[i].category);
		free(hits[i].language);
		free(hits[i].snippet);
		free(hits[i].title_mark);
	}
	free(hits);
}

/* -- links and figures ---------------------------------------------------- */

int crm_kb_link(struct crm_db *db, int64_t article, int64_t ticket, bool remove,
		struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int rc;

	if ((rc = crm_dbq_step(db, err, NULL,
			       "SELECT 1 FROM kb_articles WHERE id = ?1", "i",
			       article)) <= 0)
		return rc < 0
			   ? -1
			   : crm_err_set(err, CRM_EX_NOINPUT, "no article %lld",
					 (long long)article);
	if (crm_ticket_exists(db, ticket, err) < 0)
		return -1;
	rc = crm_dbq_step(db, err, NULL,
			  "SELECT 1 FROM kb_links WHERE article_id = ?1 AND "
			  "ticket_id = ?2",
			  "ii", article, ticket);
	if (rc < 0)
		return -1;
	if (rc == !remove)
		return 0;
	rc = remove
		 ? crm_dbq_run(db, err,
			       "DELETE FROM kb_links WHERE article_id = ?1 "
			       "AND ticket_id = ?2",
			       "ii", article, ticket)
		 : crm_dbq_run(db, err,
			       "INSERT INTO kb_links (article_id, ticket_id, "
			       "at, actor) VALUES (?1, ?2, ?3, ?4)",
			       "iiss", article, ticket,
			       crm_datetime_format(db->now, now), db->actor);
	return rc < 0 ? crm_err_what(err, "linking") : 1;
}

int crm_kb_deflection(struct crm_db *db, const char *since, const char *until,
		      struct crm_kb_deflection *d, struct crm_err *err)
{
	struct crm_stmt *st;
	int rc;

	memset(d, 0, sizeof(*d));
	st = crm_dbq(
	    db, err,
	    "SELECT count(*), count(l.ticket_id) FROM tickets t LEFT JOIN "
	    "(SELECT DISTINCT ticket_id FROM kb_links) l ON l.ticket_id = "
	    "t.id WHERE t.status IN ('solved', 'closed') AND (CAST(?1 AS "
	    "TEXT) IS NULL OR t.solved_at >= CAST(?1 AS TEXT)) AND (CAST(?2 "
	    "AS TEXT) IS NULL OR t.solved_at < CAST(?2 AS TEXT))",
	    "ss", since, until);
	if (!st)
		return -1;
	rc = crm_stmt_step_as(st, "counting solved tickets", err);
	if (rc > 0) {
		d->solved = (uint64_t)crm_stmt_int(st, 0);
		d->with_article = (uint64_t)crm_stmt_int(st, 1);
	}
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

struct usage_ctx {
	int (*fn)(int64_t id, const char *title, const char *status,
		  int64_t links, int64_t solved, const char *last, void *arg);
	void *arg;
	bool failed; /* fn failed, not the statement */
};

/* crm_dbq_each: one article's figures to the caller's fn */
static int usage_row(struct crm_stmt *st, void *arg)
{
	struct usage_ctx *x = arg;

	x->failed =
	    x->fn(crm_stmt_int(st, 0), crm_stmt_text(st, 1),
		  crm_stmt_text(st, 2), crm_stmt_int(st, 3),
		  crm_stmt_int(st, 4), crm_stmt_text(st, 5), x->arg) < 0;
	return x->failed ? -1 : 0;
}

int crm_kb_usage(struct crm_db *db,
		 int (*fn)(int64_t id, const char *title, const char *status,
			   int64_t links, int64_t solved, const char *last,
			   void *arg),
		 void *arg, struct crm_err *err)
{
	struct usage_ctx x = {fn, arg, false};

	if (crm_dbq_each(
		db, err, usage_row, &x,
		"SELECT a.id, a.title, a.status, count(l.ticket_id), sum(CASE "
		"WHEN t.status IN ('solved', 'closed') THEN 1 ELSE 0 END), "
		"max(l.at) FROM kb_articles a LEFT JOIN kb_links l ON "
		"l.article_id = a.id LEFT JOIN tickets t ON t.id = l.ticket_id "
		"GROUP BY a.id, a.title, a.status ORDER BY count(l.ticket_id) "
		"DESC, a.id",
		"") < 0)
		return x.failed ? -1 : crm_err_what(err, "counting links");
	return 0;
}

struct versions_ctx {
	int (*fn)(int64_t version, const char *title, const char *body,
		  const char *author, const char *at, bool current, void *arg);
	void *arg;
	bool current; /* the article's own row, not a saved version */
	bool failed;  /* fn failed, not the statement */
};

/* crm_dbq_each: one version to the caller's fn */
static int version_row(struct crm_stmt *st, void *arg)
{
	struct versions_ctx *x = arg;

	x->failed = x->fn(crm_stmt_int(st, 0), crm_stmt_text(st, 1),
			  crm_stmt_text(st, 2), crm_stmt_text(st, 3),
			  crm_stmt_text(st, 4), x->current, x->arg) < 0;
	return x->failed ? -1 : 0;
}

int crm_kb_versions(struct crm_db *db, int64_t id,
		    int (*fn)(int64_t version, const char *title,
			      const char *body, const char *author,
			      const char *at, bool current, void *arg),
		    void *arg, struct crm_err *err)
{
	static const char *const sql[] = {
	    "SELECT version, title, body, author, saved_at FROM kb_versions "
	    "WHERE article_id = ?1 ORDER BY version",
	    "SELECT version, title, body, author, updated_at FROM "
	    "kb_articles WHERE id = ?1",
	};
	struct versions_ctx x = {fn, arg, false, false};

	for (size_t k = 0; k < 2; k++) {
		x.current = k == 1;
		if (crm_dbq_each(db, err, version_row, &x, sql[k], "i", id) < 0)
			return x.failed ? -1
					: crm_err_what(err, "reading versions");
	}
	return 0;
}

/* -- Markdown files ------------------------------------------------------- */

static int md_err(struct crm_err *err, const char *path, long line,
		  const char *msg)
{
	crm_err_set(err, CRM_EX_DATAERR, "%s", msg);
	snprintf(err->file, sizeof(err->file), "%s", path);
	err->line = line;
	return -1;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s &&
	       ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

static void unquote(const char **s, const char **e)
{
	if (*e - *s >= 2 && (**s == '"' || **s == '\'') && (*e)[-1] == **s) {
		(*s)++;
		(*e)--;
	}
}

/* Is line [s, e) the front matter fence "---"? */
static bool fence(const char *s, const char *e)
{
	trim(&s, &e);
	return e - s == 3 && !memcmp(s, "---", 3);
}

/* The line of the first byte of text that is not UTF-8, or 0. */
static long bad_utf8_line(const unsigned char *s, size_t len)
{
	long line = 1;

	for (size_t i = 0; i < len;) {
		size_t n = s[i] < 0x80		   ? 1
			   : (s[i] & 0xe0) == 0xc0 ? 2
			   : (s[i] & 0xf0) == 0xe0 ? 3
			   : (s[i] & 0xf8) == 0xf0 ? 4
						   : 0;

		if (!n || i + n > len || (n == 2 && s[i] < 0xc2))
			return line;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return line;
		if (s[i] == '\n')
			line++;
		i += n;
	}
	return 0;
}

int crm_kb_markdown(const char *path, const char *stem, const char *text,
		    size_t len, struct crm_rec *rec, struct crm_strv *lines,
		    struct crm_err *err)
{
	const char *p = text, *end = text + len, *body;
	struct crm_buf v = {0}, b = {0};
	bool have_title = false, have_ext = false;
	long line = 1;
	int rc = -1;

	crm_rec_clear(rec);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p += 3;
	body = p;
	if (memchr(text, '\0', len))
		return md_err(err, path, 0, "a NUL byte: not a text file");
	if ((line = bad_utf8_line((const unsigned char *)text, len)))
		return md_err(err, path, line, "invalid UTF-8");
	line = 1;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (fence(p, nl ? nl : end)) {
		bool closed = false;

		p = nl ? nl + 1 : end;
		while (p < end) {
			const char *le = memchr(p, '\n', (size_t)(end - p));
			const char *ks, *ke, *vs, *ve, *colon;
			char key[64];

			le = le ? le : end;
			line++;
			if (fence(p, le)) {
				closed = true;
				p = le < end ? le + 1 : end;
				break;
			}
			ks = p;
			ke = le;
			trim(&ks, &ke);
			if (ks == ke || *ks == '#') {
				p = le < end ? le + 1 : end;
				continue;
			}
			colon = memchr(ks, ':', (size_t)(ke - ks));
			if (!colon) {
				md_err(err, path, line,
				       "front matter: expected 'key: value'");
				goto out;
			}
			vs = colon + 1;
			ve = ke;
			ke = colon;
			trim(&ks, &ke);
			trim(&vs, &ve);
			if (ks == ke || (size_t)(ke - ks) >= sizeof(key)) {
				md_err(err, path, line,
				       "front matter: a key is missing or too "
				       "long");
				goto out;
			}
			for (const char *k = ks; k < ke; k++)
				if (!((*k >= 'a' && *k <= 'z') ||
				      (*k >= 'A' && *k <= 'Z') ||
				      (*k >= '0' && *k <= '9') || *k == '_' ||
				      *k == '-' || *k == ' ')) {
					md_err(
					    err, path, line,
					    "front matter: a key is letters, "
					    "digits, '_' and '-'");
					goto out;
				}
			memcpy(key, ks, (size_t)(ke - ks));
			key[ke - ks] = '\0';
			if (crm_rec_find(rec, key) >= 0) {
				char msg[128];

				snprintf(msg, sizeof(msg),
					 "front matter: '%s' given twice", key);
				md_err(err, path, line, msg);
				goto out;
			}
			crm_buf_reset(&v);
			if (vs < ve && *vs == '[') {
				const char *q;

				if (ve[-1] != ']') {
					md_err(err, path, line,
					       "front matter: a list '[' "
					       "without ']'");
					goto out;
				}
				for (q = vs + 1; q < ve - 1;) {
					const char *ie = memchr(
					    q, ',', (size_t)(ve - 1 - q));
					const char *is = q;

					ie = ie ? ie : ve - 1;
					q = ie + 1;
					trim(&is, &ie);
					unquote(&is, &ie);
					if (is == ie)
						continue;
					if (v.len)
						crm_buf_adds(&v, ", ");
					crm_buf_add(&v, is, (size_t)(ie - is));
				}
			} else {
				if (vs < ve && (*vs == '"' || *vs == '\'') &&
				    (ve - vs < 2 || ve[-1] != *vs)) {
					md_err(err, path, line,
					       "front matter: an unterminated "
					       "quoted value");
					goto out;
				}
				unquote(&vs, &ve);
				crm_buf_add(&v, vs, (size_t)(ve - vs));
			}
			crm_rec_add(rec, key, strlen(key), v.s ? v.s : "",
				    v.len, CRM_STR);
			if (lines) {
				char *kv = crm_xasprintf("%s=%ld", key, line);
				crm_strv_push(lines, kv);
				free(kv);
			}
			have_title |= !strcmp(key, "title");
			have_ext |= !strcmp(key, "external_id");
			p = le < end ? le + 1 : end;
		}
		if (!closed) {
			md_err(err, path, 1, "front matter: no closing '---'");
			goto out;
		}
		body = p;
	}
	/* the body: blank lines around it out; a "# " heading is the title
	 * when none was given */
	for (const char *q = body; q < end;) {
		const char *le = memchr(q, '\n', (size_t)(end - q));
		const char *ls = q, *lt;

		le = le ? le : end;
		lt = le;
		trim(&ls, &lt);
		if (!have_title && lt - ls > 2 && ls[0] == '#' &&
		    ls[1] == ' ') {
			const char *ts = ls + 2;

			trim(&ts, &lt);
			crm_rec_add(rec, "title", 5, ts, (size_t)(lt - ts),
				    CRM_STR);
			have_title = true;
			q = le < end ? le + 1 : end;
			continue;
		}
		if (ls == lt && !b.len) {
			q = le < end ? le + 1 : end;
			continue;
		}
		crm_buf_add(&b, q, (size_t)((le < end ? le + 1 : end) - q));
		q = le < end ? le + 1 : end;
	}
	while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == '\r' ||
			 b.s[b.len - 1] == ' '))
		b.s[--b.len] = '\0';
	if (!have_title) {
		md_err(err, path, 1,
		       "title: none (a 'title:' key or a '# ' heading)");
		goto out;
	}
	crm_rec_add(rec, "body", 4, b.s ? b.s : "", b.len, CRM_STR);
	if (!have_ext && stem)
		crm_rec_adds(rec, "external_id", stem);
	rc = 0;
out:
	crm_buf_release(&v);
	crm_buf_release(&b);
	return rc;
}
