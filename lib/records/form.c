/* form.c - web form bodies (urlencoded or JSON) into a record. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int crm_pct_decode(const char *s, size_t n, int plus, struct crm_buf *out,
		   size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi =
			    i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval((unsigned char)s[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				if (bad)
					*bad = i;
				return -1;
			}
			crm_buf_addc(out, (char)(hi * 16 + lo));
			i += 2;
		} else if (c == '+' && plus) {
			crm_buf_addc(out, ' ');
		} else {
			crm_buf_addc(out, (char)c);
		}
	}
	return 0;
}

static int fail(struct crm_err *err, const char *name, long line,
		const char *field, const char *why)
{
	return crm_err_at(err, CRM_EX_DATAERR, name, line, field, "%s", why);
}

/* Trim spaces and tabs at both ends of s (len *n). */
static const char *trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t'))
		s++, (*n)--;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/* Check a decoded name or value and add or join it. */
static int put(struct crm_rec *rec, const char *fname, size_t fn,
	       const char *val, size_t vn, const char *name, long line,
	       struct crm_err *err)
{
	char field[128];
	size_t bad;
	long i;

	snprintf(field, sizeof(field), "%.*s", (int)(fn < 100 ? fn : 100),
		 fname);
	if (!crm_utf8_valid(fname, fn, &bad) || memchr(fname, 0, fn))
		return fail(err, name, line, "",
			    "invalid UTF-8 or NUL in a field name");
	if (vn > CRM_FORM_MAX_VALUE)
		return crm_err_at(err, CRM_EX_DATAERR, name, line, field,
				  "value of %zu bytes, more than %u", vn,
				  CRM_FORM_MAX_VALUE);
	if (!crm_utf8_valid(val, vn, &bad))
		return crm_err_at(err, CRM_EX_DATAERR, name, line, field,
				  "invalid UTF-8 at byte %zu", bad + 1);
	if (memchr(val, 0, vn))
		return fail(err, name, line, field, "NUL byte in the value");
	{
		char *key = crm_xstrndup(fname, fn);

		i = crm_rec_find(rec, key);
		if (i >= 0) {
			struct crm_buf j = {0};
			const char *old = crm_rec_val(rec, (size_t)i);

			if (old && *old) {
				crm_buf_adds(&j, old);
				if (vn)
					crm_buf_adds(&j, ", ");
			}
			crm_buf_add(&j, val, vn);
			if (j.len > CRM_FORM_MAX_VALUE) {
				free(key);
				crm_buf_release(&j);
				return crm_err_at(
				    err, CRM_EX_DATAERR, name, line, field,
				    "values of more than %u bytes",
				    CRM_FORM_MAX_VALUE);
			}
			crm_rec_set(rec, key, crm_buf_str(&j), CRM_STR);
			crm_buf_release(&j);
		} else {
			if (rec->n >= CRM_FORM_MAX_FIELDS) {
				free(key);
				return crm_err_at(
				    err, CRM_EX_DATAERR, name, line, field,
				    "more than %d fields", CRM_FORM_MAX_FIELDS);
			}
			crm_rec_add(rec, fname, fn, val, vn, CRM_STR);
		}
		free(key);
	}
	return 0;
}

static int parse_urlencoded(const char *s, size_t len, const char *name,
			    struct crm_rec *rec, struct crm_err *err)
{
	struct crm_buf k = {0}, v = {0};
	size_t i = 0, bad;
	int rc = 0;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	while (i < len && rc == 0) {
		const char *p = s + i, *amp = memchr(p, '&', len - i);
		size_t n = amp ? (size_t)(amp - p) : len - i;
		const char *eq = memchr(p, '=', n);
		size_t kn = eq ? (size_t)(eq - p) : n;
		const char *kk, *vv;
		size_t kl, vl;

		i += n + 1;
		if (!n)
			continue;
		crm_buf_reset(&k);
		crm_buf_reset(&v);
		if (memchr(p, '\n', n) || memchr(p, '\r', n)) {
			rc = fail(err, name, 1, "",
				  "a line break inside a urlencoded body");
			break;
		}
		if (crm_pct_decode(p, kn, 1, &k, &bad) < 0) {
			rc = crm_err_at(err, CRM_EX_DATAERR, name, 1, "",
					"bad percent-encoding in a field name "
					"at byte %zu",
					(size_t)(p - s) + bad + 1);
			break;
		}
		kl = k.len;
		kk = trim(crm_buf_str(&k), &kl);
		if (!kl)
			continue;
		if (eq && crm_pct_decode(eq + 1, n - kn - 1, 1, &v, &bad) < 0) {
			char field[128];

			snprintf(field, sizeof(field), "%.*s",
				 (int)(kl < 100 ? kl : 100), kk);
			rc = crm_err_at(err, CRM_EX_DATAERR, name, 1, field,
					"bad percent-encoding at byte %zu",
					(size_t)(eq + 1 - s) + bad + 1);
			break;
		}
		vl = v.len;
		vv = trim(crm_buf_str(&v), &vl);
		rc = put(rec, kk, kl, vv, vl, name, 1, err);
	}
	crm_buf_release(&k);
	crm_buf_release(&v);
	return rc;
}

static int parse_json(const char *s, size_t len, const char *name,
		      struct crm_rec *rec, struct crm_err *err)
{
	json_error_t je;
	json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je), *v;
	const char *key;
	int rc = 0;

	if (!o)
		return crm_err_at(err, CRM_EX_DATAERR, name,
				  je.line > 0 ? je.line : 1, "", "%s", je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return fail(err, name, 1, "", "not a JSON object");
	}
	json_object_foreach(o, key, v)
	{
		struct crm_buf b = {0};
		size_t kl = strlen(key), vl;
		const char *vv;

		if (json_is_null(v))
			continue;
		if (json_is_string(v)) {
			crm_buf_add(&b, json_string_value(v),
				    json_string_length(v));
		} else if (json_is_integer(v) || json_is_real(v) ||
			   json_is_boolean(v)) {
			char *t = json_dumps(v, JSON_ENCODE_ANY);

			crm_buf_adds(&b, t);
			free(t);
		} else if (json_is_array(v)) {
			size_t i;
			json_t *x;

			json_array_foreach(v, i, x)
			{
				if (!json_is_string(x)) {
					rc = crm_err_at(
					    err, CRM_EX_DATAERR, name, 1, key,
					    "an array of other than strings");
					break;
				}
				if (i)
					crm_buf_adds(&b, ", ");
				crm_buf_add(&b, json_string_value(x),
					    json_string_length(x));
			}
		} else {
			rc = crm_err_at(err, CRM_EX_DATAERR, name, 1, key,
					"a nested object");
		}
		vl = b.len;
		vv = trim(crm_buf_str(&b), &vl);
		if (rc == 0)
			rc = put(rec, key, kl, vv, vl, name, 1, err);
		crm_buf_release(&b);
		if (rc < 0)
			break;
	}
	json_decref(o);
	return rc;
}

int crm_form_parse(const char *body, size_t len, const char *name,
		   struct crm_rec *rec, struct crm_err *err)
{
	size_t i = 0;

	crm_rec_clear(rec);
	rec->line = 1;
	if (len > CRM_FORM_MAX_BODY)
		return crm_err_at(err, CRM_EX_DATAERR, name, 1, NULL,
				  "body of more than %u bytes",
				  CRM_FORM_MAX_BODY);
	if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (body[i] == ' ' || body[i] == '\t' ||
			   body[i] == '\n' || body[i] == '\r'))
		i++;
	if (i == len)
		return crm_err_at(err, CRM_EX_DATAERR, name, 1, NULL,
				  "empty body");
	if (body[i] == '{')
		return parse_json(body + i, len - i, name, rec, err);
	return parse_urlencoded(body + i, len - i, name, rec, err);
}
