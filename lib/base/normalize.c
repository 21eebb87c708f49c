/* normalize.c - Unicode normalization and the normalizers built on it:
 * matching keys, emails, phone numbers and company names. */
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "normalize.h"

#define QUOTE_MAX 80 /* bytes of bad input quoted back in a message */

/* ---- Unicode helpers ---- */

static bool is_letter(utf8proc_category_t c)
{
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static bool is_mark(utf8proc_category_t c)
{
	return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

static bool is_number(utf8proc_category_t c)
{
	return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}

static bool is_ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static void add_cp(struct crm_buf *out, utf8proc_int32_t cp)
{
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, b);

	crm_buf_add(out, b, (size_t)n);
}

/* Decompose s per opts into a fresh array (free() it); returns the number
 * of code points, or a negative utf8proc error for invalid UTF-8. The array
 * has room for one more entry, as utf8proc_reencode needs. */
static utf8proc_ssize_t decompose(const char *s, size_t len, int opts,
				  utf8proc_int32_t **out)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t n, m;
	utf8proc_int32_t *buf;

	*out = NULL;
	n = utf8proc_decompose(u, (utf8proc_ssize_t)len, NULL, 0,
			       (utf8proc_option_t)opts);
	if (n < 0)
		return n;
	buf = crm_xmalloc(((size_t)n + 1) * sizeof(*buf));
	m = utf8proc_decompose(u, (utf8proc_ssize_t)len, buf, n,
			       (utf8proc_option_t)opts);
	if (m < 0) {
		free(buf);
		return m;
	}
	*out = buf;
	return m;
}

/* Compose buf (n code points, room for n + 1) to NFC and append it. */
static int recompose(utf8proc_int32_t *buf, utf8proc_ssize_t n,
		     struct crm_buf *out)
{
	utf8proc_ssize_t len;

	len = utf8proc_reencode(buf, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0)
		return -1;
	crm_buf_add(out, buf, (size_t)len);
	return 0;
}

/* Append s lower-cased code point by code point (not case folded: 'ß'
 * stays, as IDNA2008 domains need). Bytes that are not UTF-8 are copied. */
static void add_lower(const char *s, size_t len, struct crm_buf *out)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (u[i] < 0x80) {
			crm_buf_addc(out, (char)ascii_lower(u[i++]));
			continue;
		}
		n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			crm_buf_addc(out, (char)u[i++]);
			continue;
		}
		add_cp(out, utf8proc_tolower(cp));
		i += (size_t)n;
	}
}

/* How much of s to quote in a message: at most QUOTE_MAX bytes, cut at a
 * UTF-8 character boundary. */
static int quote_len(const char *s, size_t n, const char **ellipsis)
{
	return crm_quote_len(s, n, QUOTE_MAX, ellipsis);
}

/* ---- NFC and keys ---- */

int crm_norm_nfc(const char *s, size_t len, struct crm_buf *out)
{
	utf8proc_int32_t *buf;
	utf8proc_ssize_t n;
	unsigned char high = 0;
	int rc;

	/* The fast path: every name of a large import goes through here and
	 * nearly all are ASCII, which is its own NFC. One pass also catches
	 * NUL, which no C string downstream could carry. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0)
			return -1;
		high |= c;
	}
	if (high < 0x80) {
		crm_buf_add(out, s, len);
		return 0;
	}
	n = decompose(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, &buf);
	if (n < 0)
		return -1;
	rc = recompose(buf, n, out);
	free(buf);
	return rc;
}

void crm_norm_fold(const char *s, size_t len, struct crm_buf *out)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n;
	unsigned char high = 0;

	for (size_t i = 0; i < len; i++)
		high |= (unsigned char)s[i];
	if (high < 0x80) { /* ASCII: lower case is its case folding */
		for (size_t i = 0; i < len; i++)
			crm_buf_addc(out,
				     (char)ascii_lower((unsigned char)s[i]));
		return;
	}
	n = utf8proc_map(
	    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0) { /* not UTF-8 (or NUL inside): lower what can be */
		add_lower(s, len, out);
		return;
	}
	crm_buf_add(out, (const char *)folded, (size_t)n);
	free(folded);
}

/* ASCII keys need no Unicode tables: lower case, runs of anything else to
 * one space. Gives exactly what the general path gives for ASCII. */
static void key_ascii(const char *s, size_t len, struct crm_buf *out)
{
	bool gap = false, any = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!is_ascii_alnum(c)) {
			gap = true;
			continue;
		}
		if (gap && any)
			crm_buf_addc(out, ' ');
		crm_buf_addc(out, (char)ascii_lower(c));
		gap = false;
		any = true;
	}
}

/* Scripts whose marks are optional accents (Latin, Greek, Cyrillic,
 * Armenian, Hebrew and Arabic points): stripping them is what "Zoe" and
 * "Zoë" need. Elsewhere marks carry meaning (Devanagari vowel signs, kana
 * voicing marks: ガ is not カ) and are kept. */
static bool accent_base(utf8proc_int32_t cp)
{
	return cp < 0x0800 || (cp >= 0x1C80 && cp < 0x1CC0) ||
	       (cp >= 0x1D00 && cp < 0x2000) || (cp >= 0x2C60 && cp < 0x2C80) ||
	       (cp >= 0xA640 && cp < 0xA6A0) || (cp >= 0xA720 && cp < 0xA800) ||
	       (cp >= 0xAB30 && cp < 0xAB70);
}

int crm_norm_key(const char *s, size_t len, struct crm_buf *out)
{
	utf8proc_int32_t *buf, base = 0;
	utf8proc_ssize_t n, k = 0;
	bool gap = false;
	unsigned char high = 0;
	int rc;

	for (size_t i = 0; i < len; i++)
		high |= (unsigned char)s[i];
	if (high < 0x80) {
		key_ascii(s, len, out);
		return 0;
	}
	/* NFKD + case fold first, so that accents are separate marks and
	 * compatibility forms (ＡＢＣ, ﬁ, ①) are plain letters and digits. */
	n = decompose(s, len,
		      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
			  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
		      &buf);
	if (n < 0)
		return -1;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		utf8proc_int32_t cp = buf[i];
		utf8proc_category_t cat = utf8proc_category(cp);

		if (is_mark(cat)) {
			/* A mark stays only on a kept base that needs it. */
			if (base && !accent_base(base))
				buf[k++] = cp;
			continue;
		}
		if (!is_letter(cat) && !is_number(cat)) {
			gap = true;
			base = 0;
			continue;
		}
		if (gap && k > 0)
			buf[k++] = ' ';
		buf[k++] = cp;
		base = cp;
		gap = false;
	}
	rc = recompose(buf, k, out);
	free(buf);
	return rc;
}

/* ---- Email ---- */

static bool is_atext(unsigned char c)
{
	return is_ascii_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int bad_email(struct crm_err *err, const char *s, size_t n,
		     const char *why)
{
	const char *ell;
	int q = quote_len(s, n, &ell);

	return crm_err_set(err, CRM_EX_DATAERR, "invalid address '%.*s%s': %s",
			   q, s, ell, why);
}

/* Check the local part (before '@'): dot-atom, UTF-8 allowed (RFC 6531).
 * Returns NULL or why it is wrong. */
static const char *check_local(const char *l, size_t n)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)l;

	if (n == 0)
		return "empty local part";
	if (n > 64)
		return "local part longer than 64 bytes";
	if (l[0] == '"')
		return "quoted local parts are not supported";
	if (l[0] == '.' || l[n - 1] == '.')
		return "local part starts or ends with a dot";
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_category_t cat;

		if (u[i] < 0x80) {
			if (u[i] == '.' && u[i + 1] == '.')
				return "two dots in a row";
			if (u[i] == ' ')
				return "space in local part";
			if (u[i] != '.' && !is_atext(u[i]))
				return "character not allowed in local part";
			i++;
			continue;
		}
		i += (size_t)utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i),
					      &cp);
		cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_CN || cat >= UTF8PROC_CATEGORY_ZS)
			return "character not allowed in local part";
	}
	return NULL;
}

/* Check a lower-cased domain: labels of letters, digits and hyphens
 * (non-ASCII letters too, for IDN). Returns NULL or why it is wrong. */
static const char *check_domain(const char *d, size_t n)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)d;
	size_t label = 0, chars = 0, dots = 0;
	bool digits_only = true;

	if (n == 0)
		return "empty domain";
	for (size_t i = 0; i <= n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;
		utf8proc_category_t cat;

		if (i == n || u[i] == '.') {
			if (label == 0)
				return "empty label in domain";
			if (label > 63)
				return "domain label longer than 63 bytes";
			if (u[i - 1] == '-')
				return "domain label ends with a hyphen";
			if (i == n)
				break;
			dots++;
			label = chars = 0;
			digits_only = true;
			i++;
			continue;
		}
		if (u[i] < 0x80) {
			if (!is_ascii_alnum(u[i]) && u[i] != '-')
				return "character not allowed in domain";
			if (u[i] == '-' && label == 0)
				return "domain label starts with a hyphen";
			if (u[i] < '0' || u[i] > '9')
				digits_only = false;
			label++;
			chars++;
			i++;
			continue;
		}
		k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
		cat = utf8proc_category(cp);
		if (!is_letter(cat) && !is_mark(cat) && !is_number(cat))
			return "character not allowed in domain";
		digits_only = false;
		label += (size_t)k;
		chars++;
		i += (size_t)k;
	}
	if (dots == 0)
		return "domain has no dot";
	if (digits_only)
		return "top-level domain is a number";
	if (chars < 2)
		return "top-level domain shorter than 2 characters";
	return NULL;
}

int crm_norm_email(const char *s, struct crm_buf *out, struct crm_err *err)
{
	struct crm_err scratch;
	struct crm_buf nfc = {0}, low = {0};
	const char *a, *at, *why;
	size_t n, start;
	int rc = -1;

	if (!err)
		err = &scratch;
	if (!s)
		s = "";
	a = s;
	n = strlen(s);
	while (n > 0 && is_space((unsigned char)*a))
		a++, n--;
	while (n > 0 && is_space((unsigned char)a[n - 1]))
		n--;
	/* NFC first, so that the same address typed two ways is stored one
	 * way; this also rejects invalid UTF-8. */
	if (crm_norm_nfc(a, n, &nfc) < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "invalid address: not valid UTF-8");
	a = crm_buf_str(&nfc);
	n = nfc.len;
	if (n == 0) {
		why = "empty";
		goto bad;
	}
	if (n > 254) {
		why = "longer than 254 bytes";
		goto bad;
	}
	at = memchr(a, '@', n);
	if (!at) {
		why = "no '@'";
		goto bad;
	}
	if (memchr(at + 1, '@', n - (size_t)(at + 1 - a))) {
		why = "more than one '@'";
		goto bad;
	}
	why = check_local(a, (size_t)(at - a));
	if (why)
		goto bad;
	/* Lower case can undo NFC ("T" + U+0308 has no precomposed form, its
	 * lower case has: U+1E97), hence NFC again. */
	crm_buf_reset(&low);
	add_lower(at + 1, n - (size_t)(at + 1 - a), &low);
	start = out->len;
	crm_buf_add(out, a, (size_t)(at + 1 - a));
	crm_norm_nfc(low.s, low.len, out);
	why = check_domain(out->s + start + (at + 1 - a),
			   out->len - start - (size_t)(at + 1 - a));
	if (why) {
		out->len = start;
		out->s[start] = '\0';
		goto bad;
	}
	rc = 0;
	goto done;
bad:
	bad_email(err, a, n, why);
done:
	crm_buf_release(&nfc);
	crm_buf_release(&low);
	return rc;
}

struct provider {
	const char *domain;
	char tag;	   /* separator of the sub-address ("+tag"), or 0 */
	bool dots;	   /* dots in the local part are insignificant */
	const char *canon; /* the domain to use in the key, or NULL */
};

static const struct provider providers[] = {
    {"gmail.com", '+', true, NULL},
    {"googlemail.com", '+', true, "gmail.com"},
    {"yahoo.com", '-', false, NULL},
};

/* The other providers: "+tag" sub-addresses, dots significant. */
static const char *const plus_domains[] = {
    "outlook.com",    "hotmail.com",   "live.com",     "icloud.com",
    "me.com",	      "mac.com",       "fastmail.com", "fastmail.fm",
    "protonmail.com", "protonmail.ch", "proton.me",    "pm.me"};
static const struct provider plus_provider = {NULL, '+', false, NULL};

/* An IDN domain (lower case) to its ASCII form (IDNA2008, libidn2), in
 * place; false, *d unchanged, when it is ASCII already or not valid IDNA
 * (it is then matched as it is). */
static bool idn_to_ascii(char **d)
{
	char *a = NULL;
	const char *p = *d;

	while (*p && (unsigned char)*p < 0x80)
		p++;
	if (!*p || idn2_to_ascii_8z(*d, &a, IDN2_NONTRANSITIONAL) != IDN2_OK)
		return false;
	free(*d);
	*d = crm_xstrdup(a);
	idn2_free(a);
	return true;
}

void crm_norm_email_key(const char *email, struct crm_buf *out)
{
	size_t start = out->len, llen, tag;
	const struct provider *pv = NULL;
	char *k, *at, *domain;

	add_lower(email, strlen(email), out);
	k = out->s + start;
	at = strrchr(k, '@');
	if (!at)
		return;
	domain = crm_xstrdup(at + 1);
	if (idn_to_ascii(&domain)) {
		/* müller.de is xn--mller-kva.de: keys hold the ASCII form */
		out->len = (size_t)(at + 1 - out->s);
		crm_buf_adds(out, domain);
		k = out->s + start;
		at = strrchr(k, '@');
	}
	llen = (size_t)(at - k);
	for (size_t i = 0; i < sizeof(providers) / sizeof(*providers); i++)
		if (strcmp(domain, providers[i].domain) == 0)
			pv = &providers[i];
	if (crm_name_index(plus_domains,
			   (int)(sizeof(plus_domains) / sizeof(*plus_domains)),
			   domain) >= 0)
		pv = &plus_provider;
	if (!pv) {
		free(domain);
		return;
	}
	/* A tag separator in first place is the whole name, not a tag. */
	for (tag = 1; tag < llen && k[tag] != pv->tag; tag++)
		;
	if (tag < llen)
		llen = tag;
	if (pv->dots) {
		size_t j = 0;

		for (size_t i = 0; i < llen; i++)
			if (k[i] != '.')
				k[j++] = k[i];
		if (j > 0)
			llen = j;
	}
	out->len = start + llen;
	crm_buf_addc(out, '@');
	crm_buf_adds(out, pv->canon ? pv->canon : domain);
	free(domain);
}

int crm_norm_email_domain(const char *email, struct crm_buf *out)
{
	const char *at = email ? strrchr(email, '@') : NULL;

	if (!at || !at[1])
		return -1;
	add_lower(at + 1, strlen(at + 1), out);
	return 0;
}

const char *crm_norm_url_host(const char *url)
{
	if (!strncasecmp(url, "https://", 8))
		url += 8;
	else if (!strncasecmp(url, "http://", 7))
		url += 7;
	if (!strncasecmp(url, "www.", 4))
		url += 4;
	return url;
}

/* ---- Phone ---- */

#define PHONE_MAX_DIGITS 15 /* E.164 */

static int bad_phone(struct crm_err *err, const char *s, const char *why)
{
	const char *ell;
	int q = quote_len(s, strlen(s), &ell);

	return crm_err_set(err, CRM_EX_DATAERR,
			   "invalid phone number '%.*s%s': %s", q, s, ell, why);
}

/* If p starts an extension ("x12", "ext. 12", "extension 12", "#12") that
 * runs to the end of the string, return true. */
static bool is_extension(const char *p)
{
	static const char *const marks[] = {"extension", "ext.", "ext", "x",
					    "#"};
	const char *q = NULL;

	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks) && !q; i++)
		if (strncasecmp(p, marks[i], strlen(marks[i])) == 0)
			q = p + strlen(marks[i]);
	if (!q)
		return false;
	while (*q == ' ' || *q == '.' || *q == ':')
		q++;
	if (*q < '0' || *q > '9')
		return false;
	while (*q >= '0' && *q <= '9')
		q++;
	while (is_space((unsigned char)*q))
		q++;
	return *q == '\0';
}

static bool valid_cc(const char *cc)
{
	size_t n = strlen(cc);

	if (n < 1 || n > 3 || cc[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (cc[i] < '0' || cc[i] > '9')
			return false;
	return true;
}

int crm_norm_phone(const char *s, const char *default_cc, struct crm_buf *out,
		   struct crm_err *err)
{
	struct crm_err scratch;
	char dig[32];
	const utf8proc_uint8_t *u;
	size_t nd = 0, total = 0, len;
	const char *d, *cc = default_cc && *default_cc ? default_cc : NULL;
	bool plus = false;

	if (!err)
		err = &scratch;
	if (!s)
		s = "";
	u = (const utf8proc_uint8_t *)s;
	len = strlen(s);
	if (cc && *cc == '+')
		cc++;
	if (cc && !valid_cc(cc))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "invalid country calling code '%.8s'",
				   default_cc);
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;
		utf8proc_category_t cat;

		if (c >= '0' && c <= '9') {
			if (nd < sizeof(dig))
				dig[nd++] = (char)c;
			total++;
			i++;
		} else if (c == '+' && total == 0 && !plus) {
			plus = true;
			i++;
		} else if (c == '(' && s[i + 1] == '0' && s[i + 2] == ')' &&
			   total > 0) {
			/* "+44 (0)20": the trunk 0 is not dialled from
			 * abroad. */
			i += 3;
		} else if (c < 0x80 && strchr(" \t.-/()", c)) {
			i++;
		} else if ((c == '#' || (c < 0x80 && is_ascii_alnum(c))) &&
			   total > 0 && is_extension(s + i)) {
			break;
		} else if (c < 0x80) {
			char why[32];

			snprintf(why, sizeof(why), "unexpected '%c'", c);
			return bad_phone(err, s, why);
		} else {
			/* No-break spaces and Unicode dashes are noise too. */
			k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i),
					     &cp);
			if (k < 0)
				return bad_phone(err, s, "not valid UTF-8");
			cat = utf8proc_category(cp);
			if (cat != UTF8PROC_CATEGORY_ZS &&
			    cat != UTF8PROC_CATEGORY_PD)
				return bad_phone(err, s,
						 "unexpected character");
			i += (size_t)k;
		}
	}
	if (total > nd)
		return bad_phone(err, s, "more than 15 digits");
	d = dig;
	if (!plus && nd >= 2 && d[0] == '0' && d[1] == '0') {
		plus = true; /* "0044 ..." dialled from most of the world */
		d += 2, nd -= 2;
	} else if (!plus && cc && strcmp(cc, "1") == 0 && nd >= 3 &&
		   strncmp(d, "011", 3) == 0) {
		plus = true; /* the NANP international prefix */
		d += 3, nd -= 3;
	}
	if (plus) {
		if (nd > 0 && d[0] == '0')
			return bad_phone(err, s,
					 "country code cannot start with 0");
		cc = NULL;
	} else if (cc) {
		/* Italy keeps its leading 0 after +39; NANP numbers may
		 * carry their own country code 1 as a trunk prefix. */
		if (nd > 0 && d[0] == '0' && strcmp(cc, "39") != 0)
			d++, nd--;
		else if (strcmp(cc, "1") == 0 && nd == 11 && d[0] == '1')
			d++, nd--;
	}
	if (nd + (cc ? strlen(cc) : 0) < 4)
		return bad_phone(err, s, "fewer than 4 digits");
	if (nd + (cc ? strlen(cc) : 0) > PHONE_MAX_DIGITS)
		return bad_phone(err, s, "more than 15 digits");
	if (plus || cc)
		crm_buf_addc(out, '+');
	if (cc)
		crm_buf_adds(out, cc);
	crm_buf_add(out, d, nd);
	return 0;
}

/* ---- Company ---- */

/* A listed word with its length, known when compiled: names are tried
 * against every entry, so no strlen per entry. */
struct word {
	const char *s;
	size_t len;
};

#define W(s)                                                                   \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}

/* Legal forms and noise, as they look after crm_norm_key (lower case,
 * accents gone, punctuation turned to spaces): "S.A.R.L." is "s a r l".
 * Matched as whole trailing words, repeatedly, longest first. */
static const struct word company_suffixes[] = {
    /* English */
    W("inc"),
    W("incorporated"),
    W("llc"),
    W("l l c"),
    W("llp"),
    W("l l p"),
    W("lp"),
    W("l p"),
    W("ltd"),
    W("limited"),
    W("co"),
    W("company"),
    W("corp"),
    W("corporation"),
    W("plc"),
    W("co ltd"),
    W("co inc"),
    W("and co"),
    W("pty"),
    W("pty ltd"),
    W("pty limited"),
    W("pvt"),
    W("pvt ltd"),
    W("private limited"),
    W("pte"),
    W("pte ltd"),
    W("sdn bhd"),
    W("bhd"),
    W("tbk"),
    /* German */
    W("gmbh"),
    W("ag"),
    W("kg"),
    W("kgaa"),
    W("ohg"),
    W("gbr"),
    W("ug"),
    W("ug haftungsbeschrankt"),
    W("e v"),
    W("gmbh and co kg"),
    W("gmbh and co"),
    W("se"),
    /* French, Spanish, Portuguese, Italian */
    W("sa"),
    W("s a"),
    W("sas"),
    W("s a s"),
    W("sasu"),
    W("sarl"),
    W("s a r l"),
    W("eurl"),
    W("snc"),
    W("s n c"),
    W("sl"),
    W("s l"),
    W("slu"),
    W("s l u"),
    W("sa de cv"),
    W("s a de c v"),
    W("s de r l"),
    W("cia"),
    W("y cia"),
    W("ltda"),
    W("lda"),
    W("srl"),
    W("s r l"),
    W("spa"),
    W("s p a"),
    W("sapa"),
    /* Dutch, Nordic, Central European, Turkish */
    W("bv"),
    W("b v"),
    W("nv"),
    W("n v"),
    W("vof"),
    W("oy"),
    W("oyj"),
    W("ab"),
    W("ab publ"),
    W("publ"),
    W("as"),
    W("a s"),
    W("asa"),
    W("aps"),
    W("a p s"),
    W("hf"),
    W("ehf"),
    W("sp z o o"),
    W("s r o"),
    W("sro"),
    W("ltd sti"),
    W("sti"),
    /* Japanese and Korean romanized, and what (株) (有) (주) become */
    W("kk"),
    W("k k"),
    W("kabushiki kaisha"),
    W("godo kaisha"),
    W("yk"),
    W("株"),
    W("有"),
    W("주"),
    /* Greek, Hebrew */
    W("αε"),
    W("α ε"),
    W("επε"),
    W("בע מ"),
};

/* Legal forms that come first: "ООО Ромашка", "(株)トヨタ". */
static const struct word company_prefixes[] = {
    W("the"), W("ооо"), W("зао"), W("оао"), W("пао"), W("ао"),
    W("ип"),  W("ooo"), W("株"),  W("有"),  W("주"),
};

/* CJK legal forms are not separated by spaces, so they are matched as
 * plain string suffixes (and the Japanese and Korean ones as prefixes). */
static const struct word cjk_suffixes[] = {
    W("股份有限公司"), W("有限责任公司"), W("有限責任公司"), W("股份公司"),
    W("有限公司"),     W("公司"),	  W("株式会社"),     W("有限会社"),
    W("合同会社"),     W("合資会社"),	  W("合名会社"),     W("주식회사"),
    W("유한회사"),     W("유한책임회사"),
};

static const struct word cjk_prefixes[] = {
    W("株式会社"), W("有限会社"), W("合同会社"), W("주식회사"), W("유한회사"),
};

/* Whether s (n bytes) starts with a combining mark: a prefix followed by
 * one ends inside a character ("유한회사" + U+0301), so it is no match. */
static bool starts_with_mark(const char *s, size_t n)
{
	utf8proc_int32_t cp;

	return utf8proc_iterate((const utf8proc_uint8_t *)s,
				(utf8proc_ssize_t)n, &cp) > 0 &&
	       is_mark(utf8proc_category(cp));
}

/* Whether word w (l bytes, shorter than k[b..e)) ends k[b..e) (a
 * suffix) or starts it (a prefix), as a whole word when words is set
 * (else a prefix must not end inside a character). */
static bool affix_at(const char *k, size_t b, size_t e, const char *w, size_t l,
		     bool words, bool prefix)
{
	if (!prefix)
		return k[e - 1] == w[l - 1] && memcmp(k + e - l, w, l) == 0 &&
		       (!words || k[e - l - 1] == ' ');
	return k[b] == w[0] && memcmp(k + b, w, l) == 0 &&
	       (words ? k[b + l] == ' '
		      : !starts_with_mark(k + b + l, e - b - l));
}

/* Longest entry of list that k[b..e) ends with (prefix false) or starts
 * with (prefix true), leaving something besides it; its length, or 0. A
 * name that is itself a listed form is left whole: "有限公司" does not
 * become "有限". */
static size_t match_affix(const char *k, size_t b, size_t e,
			  const struct word *list, size_t n, bool words,
			  bool prefix)
{
	size_t best = 0;

	for (size_t i = 0; i < n; i++) {
		const char *w = list[i].s;
		size_t l = list[i].len;

		/* one byte first: most entries differ there */
		if (l == e - b) {
			if (k[b] == w[0] && memcmp(k + b, w, l) == 0)
				return 0;
			continue;
		}
		if (l > best && l < e - b &&
		    affix_at(k, b, e, w, l, words, prefix))
			best = l;
	}
	return best;
}

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

int crm_norm_company(const char *s, size_t len, struct crm_buf *out)
{
	struct crm_buf amp = {0}, key = {0};
	size_t b = 0, e, l;
	bool changed = true;
	const char *k;

	/* "&" would vanish as punctuation; "AT&T" and "AT & T" and "A and B"
	 * should all meet. U+FF06 is the full-width ampersand. */
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '&') {
			crm_buf_adds(&amp, " and ");
		} else if (i + 2 < len &&
			   memcmp(s + i, "\xEF\xBC\x86", 3) == 0) {
			crm_buf_adds(&amp, " and ");
			i += 2;
		} else {
			crm_buf_addc(&amp, s[i]);
		}
	}
	if (crm_norm_key(crm_buf_str(&amp), amp.len, &key) < 0) {
		crm_buf_release(&amp);
		crm_buf_release(&key);
		return -1;
	}
	k = crm_buf_str(&key);
	e = key.len;
	/* Each strip leaves at least one character, so a name that is all
	 * legal form ("Company Inc") keeps what remains of it. */
	while (changed) {
		/* One strip a round, then trim, so that the "leaves something"
		 * test of the next round sees no stray space. */
		changed = true;
		if ((l = match_affix(k, b, e, company_suffixes,
				     COUNT(company_suffixes), true, false)) ||
		    (l = match_affix(k, b, e, cjk_suffixes, COUNT(cjk_suffixes),
				     false, false)))
			e -= l;
		else if ((l = match_affix(k, b, e, company_prefixes,
					  COUNT(company_prefixes), true,
					  true)) ||
			 (l = match_affix(k, b, e, cjk_prefixes,
					  COUNT(cjk_prefixes), false, true)))
			b += l;
		else
			changed = false;
		while (e > b && k[e - 1] == ' ')
			e--;
		while (b < e && k[b] == ' ')
			b++;
	}
	crm_buf_add(out, k + b, e - b);
	crm_buf_release(&amp);
	crm_buf_release(&key);
	return 0;
}
