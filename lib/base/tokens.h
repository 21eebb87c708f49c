/* tokens.h - words of a text for search and text features: the matching
 * form (crm_norm_key: NFKC, case folded, accents stripped, punctuation a
 * separator), split into words at spaces, and runs of Chinese, Japanese
 * and Korean characters (written without spaces) into overlapping
 * character bigrams, since most of their words are two characters. */
#ifndef CRM_TOKENS_H
#define CRM_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

enum crm_token_kind {
	CRM_TOK_WORD,	 /* a run of letters and digits (not CJK) */
	CRM_TOK_BIGRAM,	 /* two neighbouring CJK characters */
	CRM_TOK_UNIGRAM, /* one CJK character */
};

/* Which CJK tokens to make: documents get bigrams and every character
 * (so a one-character query finds them); queries and features get
 * bigrams, and a character alone only when its run has one. */
enum { CRM_TOK_DOCUMENT = 1 };

/* Call fn for each token of s (len bytes of UTF-8; invalid UTF-8 gives
 * none) in order; tok is NUL-terminated and valid only during the call.
 * fn returns 0 to go on, nonzero to stop (returned). */
int crm_tokens(const char *s, size_t len, unsigned flags,
	       int (*fn)(const char *tok, size_t n, enum crm_token_kind k,
			 void *arg),
	       void *arg);
/* The English stem of word w (n bytes, as crm_tokens gives it: case
 * folded) by Snowball's English (Porter2) stemmer, so that configure,
 * configuring and configuration are one term ("configur"). Only words of
 * the letters a-z are stemmed; any other word (digits, accented or other
 * scripts) comes back as it is. *out_n gets the length; the result is
 * valid until the next call (one stemmer per process, made on first use:
 * not for threads; out of memory, the word as it is). */
const char *crm_stem_english(const char *w, size_t n, size_t *out_n);
/* Is code point c Chinese, Japanese (kana) or Korean (Hangul)? */
bool crm_is_cjk(long c);

#endif
