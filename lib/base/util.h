/* util.h - memory, growable buffers and error reporting shared by libcrm. */
#ifndef CRM_UTIL_H
#define CRM_UTIL_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRM_VERSION "0.1.0"

/* Exit statuses (sysexits.h); struct crm_err.code holds one of these. */
enum crm_exit {
	CRM_EX_OK = 0,
	CRM_EX_FOUND = 1, /* a check verb found something */
	/* import --reject: some rows rejected, the rest committed */
	CRM_EX_REJECTED = 3,
	CRM_EX_USAGE = 64,
	CRM_EX_DATAERR = 65,
	CRM_EX_NOINPUT = 66,
	CRM_EX_SOFTWARE = 70,
	CRM_EX_CANTCREAT = 73,
	CRM_EX_IOERR = 74,
	CRM_EX_TEMPFAIL = 75,
	CRM_EX_CONFIG = 78,
	CRM_EX_INTERRUPTED = 130, /* SIGINT or SIGTERM: 128 + 2, as shells do */
};

/* An error as the library reports it: the library never prints or exits. */
struct crm_err {
	int code;	 /* an enum crm_exit value; 0 when no error */
	char msg[1024];	 /* what went wrong, lower case, no final period */
	char file[256];	 /* input name, "" when not about an input */
	long line;	 /* 1-based input line, 0 when unknown */
	long col;	 /* 1-based column, 0 when unknown */
	char field[128]; /* field name, "" when not about a field */
};

/* Set by the front end's SIGINT/SIGTERM handler; long loops in the library
 * check it and fail with CRM_EX_INTERRUPTED, so the transaction rolls
 * back. */
extern volatile sig_atomic_t crm_interrupted;
/* Fill err for an interruption if one happened; returns -1 then, else 0. */
int crm_check_interrupt(struct crm_err *err);

/* Clear *e. */
void crm_err_clear(struct crm_err *e);
/* Set code and message (printf format); keeps file/line/field. Returns -1. */
int crm_err_set(struct crm_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set code, field (NULL: none) and message; keeps file/line. Returns -1. */
int crm_err_field(struct crm_err *e, const char *field, int code,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Set code, location and message. file, field may be NULL. Returns -1. */
int crm_err_at(struct crm_err *e, int code, const char *file, long line,
	       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* crm_err_at with the message's arguments in ap (a loader's own "bad"). */
int crm_err_vat(struct crm_err *e, int code, const char *file, long line,
		const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
/* Put text (printf format) before e's message: "line 3: " + "bad sku".
 * Keeps the rest of e. Returns -1. */
int crm_err_prefix(struct crm_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Format e as "prog:file:line: field: msg" (parts omitted when empty) into
 * out (size n). */
void crm_err_format(const struct crm_err *e, const char *prog, char *out,
		    size_t n);

/* Allocation that never fails: out of memory aborts with a message, here
 * and nowhere else. */
void *crm_xmalloc(size_t n);
void *crm_xcalloc(size_t n, size_t size);
void *crm_xrealloc(void *p, size_t n);
char *crm_xstrdup(const char *s);
char *crm_xstrndup(const char *s, size_t n);
/* v in decimal into buf (at least CRM_INT_LEN bytes); returns buf. For
 * hot loops, where snprintf's format parsing shows. */
#define CRM_INT_LEN 21
char *crm_fmt_int(char *buf, int64_t v);
/* How much of s (n bytes) to quote in a message: at most max bytes, cut at
 * a UTF-8 character boundary; *ellipsis is "..." when cut, else "". */
int crm_quote_len(const char *s, size_t n, size_t max, const char **ellipsis);
char *crm_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow an array so it holds at least need elements of size sz. */
void *crm_xgrow(void *p, size_t *cap, size_t need, size_t sz);

/* A growable NUL-terminated byte buffer. Zero-initialised is valid. */
struct crm_buf {
	char *s;
	size_t len, cap;
};
void crm_buf_add(struct crm_buf *b, const void *p, size_t n);
void crm_buf_adds(struct crm_buf *b, const char *s);
/* Append s (NULL: nothing) with & < > " ' escaped for HTML. */
void crm_buf_add_html(struct crm_buf *b, const char *s);
/* Append one byte: inline, since writers and normalizers call it per
 * character. */
static inline void crm_buf_addc(struct crm_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		b->s = crm_xgrow(b->s, &b->cap, b->len + 2, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}
void crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap);
void crm_buf_reset(struct crm_buf *b);	 /* len = 0, keeps memory */
void crm_buf_release(struct crm_buf *b); /* frees memory */
/* Return the string (always NUL-terminated, never NULL). */
const char *crm_buf_str(struct crm_buf *b);
/* Take ownership of the string; b is left empty. */
char *crm_buf_detach(struct crm_buf *b);

/* A list of owned strings. Zero-initialised is valid. */
struct crm_strv {
	char **v;
	size_t n, cap;
};
void crm_strv_push(struct crm_strv *sv, const char *s); /* copies s */
void crm_strv_release(struct crm_strv *sv);
/* The index of s among the n names (an enum's names), or -1. */
int crm_name_index(const char *const *names, int n, const char *s);
/* names[i] when i is one of the n, else "?". */
const char *crm_name_of(const char *const *names, int n, int i);
/* Free the n strings of v, then v. */
void crm_strs_free(char **v, size_t n);
/* strcmp of two elements that are strings (char *): qsort and bsearch of
 * a string array. */
int crm_str_cmp(const void *a, const void *b);
/* Order of two elements that are int64_t (or start with one, as an id):
 * qsort and bsearch of ids. */
int crm_i64_cmp(const void *a, const void *b);
/* Split s at sep into sv, trimming ASCII spaces; empty parts skipped. */
void crm_strv_split(struct crm_strv *sv, const char *s, char sep);
/* Index of s in sv, or -1. */
long crm_strv_find(const struct crm_strv *sv, const char *s);

/* The candidate closest to word for a "did you mean" hint: the smallest
 * edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, ASCII case ignored) when it is at most 2 and less than half
 * of word's length, or word is a prefix of exactly one candidate. NULL
 * when none is close or two are equally close. Points into cands. */
const char *crm_closest(const char *word, const char *const *cands, size_t n);

/* A rules, policy, rates or model file given as a directory: a
 * CRM_EX_CONFIG error "is a directory" with err->file set (-1); else 0,
 * also when path does not exist (opening it says so). Every loader checks
 * it first, since fopen and json_load_file take a directory. */
int crm_config_not_dir(const char *path, struct crm_err *err);
/* Read the whole file path (a rules, policy or rates file) into b
 * (reset first). A file that cannot be opened or read, or is larger than
 * max bytes, is a CRM_EX_CONFIG error with err->file set. Returns 0 or -1. */
int crm_file_read(const char *path, size_t max, struct crm_buf *b,
		  struct crm_err *err);

/* Parse a signed decimal integer, whole string. Returns 0 or -1. */
int crm_parse_int(const char *s, int64_t *out);
/* Parse a duration like 30m, 48h, 7d, 2w, 90s, or a bare number of
 * seconds into seconds. Returns 0 or -1. */
int crm_parse_duration(const char *s, int64_t *out);

/* 1 when s is not empty and each of its bytes is one of set's (a name of
 * these characters: "abcdefghijklmnopqrstuvwxyz0123456789_"), else 0. */
int crm_str_of(const char *s, const char *set);
/* Whether two values are the same: equal strings, or both NULL. */
bool crm_str_same(const char *a, const char *b);

/* Another name of a value ("delivery" for "delivered", "twitter" for
 * "x"), in a table of them. */
struct crm_synonym {
	const char *name, *value;
};
/* The value of the first of the n synonyms named s (ASCII case ignored),
 * or NULL. */
const char *crm_synonym_of(const struct crm_synonym *v, size_t n,
			   const char *s);

#endif
