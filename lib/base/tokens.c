/* tokens.c - words and CJK bigrams of a text (see tokens.h). */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "tokens.h"
#include "util.h"

bool crm_is_cjk(long c)
{
	return (c >= 0x3040 && c <= 0x30ff) || /* hiragana, katakana */
	       (c >= 0x31f0 && c <= 0x31ff) || /* katakana extensions */
	       (c >= 0x3400 && c <= 0x4dbf) || /* Han extension A */
	       (c >= 0x4e00 && c <= 0x9fff) || /* Han */
	       (c >= 0xac00 && c <= 0xd7af) || /* Hangul syllables */
	       (c >= 0xf900 && c <= 0xfaff) || /* Han compatibility */
	       (c >= 0xff66 && c <= 0xff9f) || /* half-width katakana */
	       (c >= 0x20000 && c <= 0x3134f); /* Han extensions B-G */
}

/* The code point at s (n bytes left) and its length in *l; -1 on bad
 * UTF-8 (crm_norm_key's output is valid, so this only guards). */
static long decode(const unsigned char *s, size_t n, size_t *l)
{
	if (s[0] < 0x80) {
		*l = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && n >= 2) {
		*l = 2;
		return ((long)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && n >= 3) {
		*l = 3;
		return ((long)(s[0] & 0x0f) << 12) |
		       ((long)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	}
	if ((s[0] & 0xf8) == 0xf0 && n >= 4) {
		*l = 4;
		return ((long)(s[0] & 0x07) << 18) |
		       ((long)(s[1] & 0x3f) << 12) |
		       ((long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	}
	*l = 1;
	return -1;
}

/* One CJK run of nc characters at off[0..nc] (byte offsets). */
static int cjk_run(const char *s, const size_t *off, size_t nc, unsigned flags,
		   int (*fn)(const char *, size_t, enum crm_token_kind, void *),
		   void *arg, struct crm_buf *t)
{
	int rc;

	for (size_t i = 0; i < nc; i++) {
		if (i + 1 < nc) {
			crm_buf_reset(t);
			crm_buf_add(t, s + off[i], off[i + 2] - off[i]);
			if ((rc = fn(t->s, t->len, CRM_TOK_BIGRAM, arg)))
				return rc;
		}
		if ((flags & CRM_TOK_DOCUMENT) || nc == 1) {
			crm_buf_reset(t);
			crm_buf_add(t, s + off[i], off[i + 1] - off[i]);
			if ((rc = fn(t->s, t->len, CRM_TOK_UNIGRAM, arg)))
				return rc;
		}
	}
	return 0;
}

int crm_tokens(const char *s, size_t len, unsigned flags,
	       int (*fn)(const char *tok, size_t n, enum crm_token_kind k,
			 void *arg),
	       void *arg)
{
	struct crm_buf key = {0}, t = {0};
	size_t *off = NULL, cap = 0, nc = 0, i = 0, word = 0;
	bool inword = false;
	int rc = 0;

	if (crm_norm_key(s, len, &key) < 0)
		goto out;
	for (;;) {
		size_t l = 0;
		long c = i < key.len ? decode((const unsigned char *)key.s + i,
					      key.len - i, &l)
				     : ' ';
		bool cjk = i < key.len && crm_is_cjk(c);

		if (i >= key.len)
			l = 1;
		if (inword && (cjk || c == ' ')) {
			crm_buf_reset(&t);
			crm_buf_add(&t, key.s + word, i - word);
			if ((rc = fn(t.s, t.len, CRM_TOK_WORD, arg)))
				goto out;
			inword = false;
		}
		if (nc && !cjk) {
			if ((rc = cjk_run(key.s, off, nc, flags, fn, arg, &t)))
				goto out;
			nc = 0;
		}
		if (i >= key.len)
			break;
		if (cjk) {
			off = crm_xgrow(off, &cap, nc + 2, sizeof(*off));
			off[nc++] = i;
			off[nc] = i + l;
		} else if (c != ' ' && !inword) {
			inword = true;
			word = i;
		}
		i += l;
	}
out:
	free(off);
	crm_buf_release(&key);
	crm_buf_release(&t);
	return rc;
}

const char *crm_stem_english(const char *w, size_t n, size_t *out_n)
{
	static struct sb_stemmer *st;
	const sb_symbol *r;

	*out_n = n;
	for (size_t i = 0; i < n; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return w;
	if (n < 3 || n > 64)
		return w;
	/* both fail only out of memory ("english" is built in): the word
	 * then stays as it is */
	if (!st && !(st = sb_stemmer_new("english", NULL)))
		return w;
	r = sb_stemmer_stem(st, (const sb_symbol *)w, (int)n);
	if (!r)
		return w;
	*out_n = (size_t)sb_stemmer_length(st);
	return (const char *)r;
}
