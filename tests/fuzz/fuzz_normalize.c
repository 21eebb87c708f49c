/* fuzz_normalize.c - libFuzzer harness for every normalizer in
 * lib/base/normalize.h (and, as they land, the dedupe comparators: add a row to
 * the table). Invariants: no crash; outputs are valid UTF-8 of bounded
 * size; NFC, key, email, email key and phone are idempotent; a company key
 * is already a key and is not empty when the input had a letter or digit. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "record.h"
#if __has_include("match.h") /* the dedupe comparators, once built */
#include <math.h>

#include "match.h"
#define HAVE_MATCH 1
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const struct crm_buf *a, const struct crm_buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->s, b->s, a->len));
}

static void valid(const struct crm_buf *b)
{
	size_t bad;

	if (b->len && !crm_utf8_valid(b->s, b->len, &bad))
		abort();
}

static void nfc(const char *s, size_t n)
{
	struct crm_buf a = {0}, b = {0};

	if (crm_norm_nfc(s, n, &a) == 0) {
		valid(&a);
		if (a.len > 3 * n + 16 || crm_norm_nfc(a.s, a.len, &b) < 0 ||
		    !same(&a, &b))
			abort();
	} else if (a.len) {
		abort(); /* nothing appended on error */
	}
	crm_buf_release(&a);
	crm_buf_release(&b);
}

static void key(const char *s, size_t n)
{
	struct crm_buf a = {0}, b = {0};

	if (crm_norm_key(s, n, &a) == 0) {
		valid(&a);
		if (a.len > 18 * n + 16 || crm_norm_key(a.s, a.len, &b) < 0 ||
		    !same(&a, &b))
			abort();
		if (a.len && (a.s[0] == ' ' || a.s[a.len - 1] == ' ' ||
			      strstr(a.s, "  ")))
			abort();
	}
	crm_buf_release(&a);
	crm_buf_release(&b);
}

static bool has_alnum(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z'))
			return true;
	return false;
}

static void company(const char *s, size_t n)
{
	struct crm_buf a = {0}, b = {0};

	if (crm_norm_company(s, n, &a) == 0) {
		valid(&a);
		if (crm_norm_key(a.s ? a.s : "", a.len, &b) < 0 ||
		    !same(&a, &b))
			abort(); /* a company key is a key */
		if (has_alnum(s, n) && !a.len)
			abort();
	}
	crm_buf_release(&a);
	crm_buf_release(&b);
}

/* Email functions take C strings. */
static void email(const char *s)
{
	struct crm_buf a = {0}, b = {0}, k = {0}, k2 = {0}, d = {0};
	struct crm_err err = {0};

	if (crm_norm_email(s, &a, &err) == 0) {
		valid(&a);
		if (a.len > 254 || crm_norm_email(a.s, &b, &err) < 0 ||
		    !same(&a, &b))
			abort();
		crm_norm_email_key(a.s, &k);
		valid(&k);
		/* case folding may grow the local part a little; the domain
		 * becomes its ASCII (punycode) form, at most 255 bytes */
		if (k.len > a.len + 16 + 255)
			abort();
		crm_norm_email_key(k.s ? k.s : "", &k2);
		if (!same(&k, &k2))
			abort();
		if (crm_norm_email_domain(a.s, &d) < 0 || !d.len)
			abort();
	} else if (err.code != CRM_EX_DATAERR || a.len) {
		abort();
	}
	crm_buf_release(&a);
	crm_buf_release(&b);
	crm_buf_release(&k);
	crm_buf_release(&k2);
	crm_buf_release(&d);
}

static void phone(const char *s)
{
	static const char *const ccs[] = {NULL, "1", "44", "+39", "351"};
	struct crm_buf a = {0}, b = {0};
	struct crm_err err = {0};

	for (size_t i = 0; i < sizeof(ccs) / sizeof(*ccs); i++) {
		crm_buf_reset(&a);
		crm_buf_reset(&b);
		if (crm_norm_phone(s, ccs[i], &a, &err) == 0) {
			size_t digits = a.len - (a.len && a.s[0] == '+');

			if (digits < 4 || digits > 15 ||
			    strspn(a.s + (a.s[0] == '+'), "0123456789") !=
				digits)
				abort();
			if (crm_norm_phone(a.s, ccs[i], &b, &err) < 0 ||
			    !same(&a, &b))
				abort();
		} else if (err.code != CRM_EX_DATAERR || a.len) {
			abort();
		}
	}
	crm_buf_release(&a);
	crm_buf_release(&b);
}

#ifdef HAVE_MATCH
/* The comparators on the two halves of the input (split at the first
 * newline): in range, symmetric, a string agrees with itself, and the
 * fast forms agree with the plain ones. */
static void match(const char *s)
{
	const char *nl = strchr(s, '\n');
	char *a = crm_xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
	const char *b = nl ? nl + 1 : "";
	struct crm_buf code = {0};
	double jw = crm_match_jaro_winkler(a, b);
	double ts = crm_match_token_set(a, b);
	int d = crm_match_damerau(a, b);
	long da = crm_match_date_parse(a), db = crm_match_date_parse(b);
	int dm = crm_match_date(da, db);

	if (!(jw >= 0 && jw <= 1) || !(ts >= 0 && ts <= 1) || d < 0 ||
	    fabs(jw - crm_match_jaro_winkler(b, a)) > 1e-12 ||
	    fabs(ts - crm_match_token_set(b, a)) > 1e-12 ||
	    d != crm_match_damerau(b, a) || crm_match_damerau(a, a) != 0 ||
	    (*a && crm_match_jaro_winkler(a, a) != 1) || dm < -1 || dm > 3 ||
	    dm != crm_match_date(db, da) || (da && crm_match_date(da, da) != 3))
		abort();
	/* the fast forms: the capped distance, the thresholded similarity
	 * (exact from the threshold up, below it under) */
	if (crm_match_damerau_near(a, b) != (d < 2 ? d : 2))
		abort();
	for (double min = 0.5; min < 1; min += 0.1) {
		double got = crm_match_jaro_winkler_min(a, b, min);
		if (jw >= min ? got != jw : got >= min)
			abort();
	}
	crm_match_nysiis(a, &code);
	if (code.len > 6 || strspn(crm_buf_str(&code),
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != code.len)
		abort();
	crm_buf_release(&code);
	free(a);
}
#endif

/* Every normalizer, or comparator, that takes the input: add new ones
 * here. */
static const struct {
	const char *name;
	void (*bytes)(const char *s, size_t n); /* any bytes */
	void (*cstr)(const char *s);		/* NUL-free text */
} checks[] = {
    {"nfc", nfc, NULL},	    {"key", key, NULL},	    {"company", company, NULL},
    {"email", NULL, email}, {"phone", NULL, phone},
#ifdef HAVE_MATCH
    {"match", NULL, match},
#endif
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	bool cstr;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cstr = strlen(s) == size;
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++) {
		if (checks[i].bytes)
			checks[i].bytes(s, size);
		if (checks[i].cstr && cstr)
			checks[i].cstr(s);
	}
	free(s);
	return 0;
}
