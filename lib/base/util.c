/* util.c - allocation, buffers, string lists and errors. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util.h"

volatile sig_atomic_t crm_interrupted;

int crm_check_interrupt(struct crm_err *err)
{
	if (!crm_interrupted)
		return 0;
	crm_err_clear(err);
	return crm_err_set(err, CRM_EX_INTERRUPTED,
			   "interrupted: rolled back, nothing was written");
}

void crm_err_clear(struct crm_err *e)
{
	memset(e, 0, sizeof(*e));
}

static void err_vset(struct crm_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int crm_err_set(struct crm_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int crm_err_field(struct crm_err *e, const char *field, int code,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	return -1;
}

int crm_err_vat(struct crm_err *e, int code, const char *file, long line,
		const char *field, const char *fmt, va_list ap)
{
	snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	e->line = line;
	e->col = 0;
	err_vset(e, code, fmt, ap);
	return -1;
}

int crm_err_at(struct crm_err *e, int code, const char *file, long line,
	       const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(e, code, file, line, field, fmt, ap);
	va_end(ap);
	return -1;
}

int crm_err_prefix(struct crm_err *e, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	va_list ap;
	int n;

	snprintf(msg, sizeof(msg), "%s", e->msg);
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, "%s", msg);
	return -1;
}

void crm_err_format(const struct crm_err *e, const char *prog, char *out,
		    size_t n)
{
	struct crm_buf b = {0};

	crm_buf_adds(&b, prog);
	if (e->file[0]) {
		crm_buf_addf(&b, ":%s", e->file);
		if (e->line > 0)
			crm_buf_addf(&b, ":%ld", e->line);
		if (e->line > 0 && e->col > 0)
			crm_buf_addf(&b, ":%ld", e->col);
	}
	crm_buf_adds(&b, ": ");
	if (e->field[0])
		crm_buf_addf(&b, "%s: ", e->field);
	crm_buf_adds(&b, e->msg[0] ? e->msg : "unknown error");
	snprintf(out, n, "%s", crm_buf_str(&b));
	crm_buf_release(&b);
}

static void oom(size_t n)
{
	fprintf(stderr, "crm: out of memory (%zu bytes)\n", n);
	abort();
}

void *crm_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *crm_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *crm_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *crm_xstrdup(const char *s)
{
	return crm_xstrndup(s, strlen(s));
}

char *crm_xstrndup(const char *s, size_t n)
{
	char *p = crm_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *crm_fmt_int(char *buf, int64_t v)
{
	char tmp[CRM_INT_LEN];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return buf;
}

char *crm_xasprintf(const char *fmt, ...)
{
	struct crm_buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	crm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	crm_buf_str(&b);
	return crm_buf_detach(&b);
}

void *crm_xgrow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			oom(SIZE_MAX);
		c *= 2;
	}
	if (c > SIZE_MAX / sz)
		oom(SIZE_MAX);
	*cap = c;
	return crm_xrealloc(p, c * sz);
}

void crm_buf_add(struct crm_buf *b, const void *p, size_t n)
{
	b->s = crm_xgrow(b->s, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void crm_buf_adds(struct crm_buf *b, const char *s)
{
	crm_buf_add(b, s, strlen(s));
}

void crm_buf_add_html(struct crm_buf *b, const char *s)
{
	static const char special[] = "&<>\"'";
	static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					     "&#39;"};

	for (; s && *s; s++) {
		const char *p = strchr(special, *s);

		if (p)
			crm_buf_adds(b, entity[p - special]);
		else
			crm_buf_addc(b, *s);
	}
}

void crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room;
	int n;

	/* into the room there is (a short text once, #25: measuring it
	 * first formatted every text twice); again when it did not fit */
	b->s = crm_xgrow(b->s, &b->cap, b->len + 64, 1);
	room = b->cap - b->len;
	va_copy(cp, ap);
	n = vsnprintf(b->s + b->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		b->s = crm_xgrow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void crm_buf_reset(struct crm_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void crm_buf_release(struct crm_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *crm_buf_str(struct crm_buf *b)
{
	if (!b->s)
		crm_buf_add(b, "", 0);
	return b->s;
}

char *crm_buf_detach(struct crm_buf *b)
{
	char *s;

	crm_buf_str(b);
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void crm_strv_push(struct crm_strv *sv, const char *s)
{
	sv->v = crm_xgrow(sv->v, &sv->cap, sv->n + 2, sizeof(*sv->v));
	sv->v[sv->n++] = crm_xstrdup(s);
	sv->v[sv->n] = NULL;
}

int crm_name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

const char *crm_name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

void crm_strs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int crm_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int crm_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void crm_strv_release(struct crm_strv *sv)
{
	crm_strs_free(sv->v, sv->n);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void crm_strv_split(struct crm_strv *sv, const char *s, char sep)
{
	while (s && *s) {
		const char *e = strchr(s, sep);
		const char *end = e ? e : s + strlen(s);
		const char *a = s, *z = end;

		while (a < z && isspace((unsigned char)*a))
			a++;
		while (z > a && isspace((unsigned char)z[-1]))
			z--;
		if (z > a) {
			char *t = crm_xstrndup(a, (size_t)(z - a));
			crm_strv_push(sv, t);
			free(t);
		}
		s = e ? e + 1 : NULL;
	}
}

long crm_strv_find(const struct crm_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

int crm_config_not_dir(const char *path, struct crm_err *err)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL,
				  "is a directory, not a file");
	return 0;
}

int crm_file_read(const char *path, size_t max, struct crm_buf *b,
		  struct crm_err *err)
{
	FILE *fp;
	char chunk[8192];
	size_t n;
	int failed;

	crm_buf_reset(b);
	if (crm_config_not_dir(path, err) < 0)
		return -1;
	fp = fopen(path, "r");
	if (!fp)
		return crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL,
				  "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b->len <= max)
		crm_buf_add(b, chunk, n);
	failed = ferror(fp);
	fclose(fp);
	if (failed)
		return crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL,
				  "cannot read: %s", strerror(errno));
	if (b->len > max)
		return crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL,
				  "larger than %zu bytes", max);
	crm_buf_str(b);
	return 0;
}

int crm_parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int crm_parse_duration(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int64_t mult = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		switch (*end) {
		case 's':
			mult = 1;
			break;
		case 'm':
			mult = 60;
			break;
		case 'h':
			mult = 3600;
			break;
		case 'd':
			mult = 86400;
			break;
		case 'w':
			mult = 7 * 86400;
			break;
		default:
			return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > INT64_MAX / mult)
		return -1;
	*out = (int64_t)v * mult;
	return 0;
}

/* Optimal string alignment distance, capped: more than cap is cap + 1. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), d;
	size_t *m;

	if (la > 64 || lb > 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	m = crm_xcalloc((la + 1) * (lb + 1), sizeof(*m));
#define M(i, j) m[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		M(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		M(0, j) = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = tolower((unsigned char)a[i - 1]) !=
				   tolower((unsigned char)b[j - 1]);
			size_t v = M(i - 1, j - 1) + c;

			if (M(i - 1, j) + 1 < v)
				v = M(i - 1, j) + 1;
			if (M(i, j - 1) + 1 < v)
				v = M(i, j - 1) + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && M(i - 2, j - 2) + 1 < v)
				v = M(i - 2, j - 2) + 1;
			M(i, j) = v;
		}
	d = M(la, lb);
#undef M
	free(m);
	return d > cap ? cap + 1 : d;
}

const char *crm_closest(const char *word, const char *const *cands, size_t n)
{
	size_t wl = strlen(word), best = 3, nbest = 0, nprefix = 0;
	const char *hit = NULL, *prefix = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i], 2);

		if (wl && !strncmp(cands[i], word, wl)) {
			nprefix++;
			prefix = cands[i];
		}
		if (d > 2 || 2 * d >= wl)
			continue;
		if (d < best) {
			best = d;
			hit = cands[i];
			nbest = 1;
		} else if (d == best) {
			nbest++;
		}
	}
	if (nbest == 1)
		return hit;
	if (!nbest && nprefix == 1)
		return prefix;
	return NULL;
}

int crm_quote_len(const char *s, size_t n, size_t max, const char **ellipsis)
{
	*ellipsis = "";
	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	*ellipsis = "...";
	return (int)n;
}

bool crm_str_same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int crm_str_of(const char *s, const char *set)
{
	return *s && !s[strspn(s, set)];
}

const char *crm_synonym_of(const struct crm_synonym *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, v[i].name))
			return v[i].value;
	return NULL;
}
