/* money.c - decimal amounts to and from integer minor units, exactly: no
 * floating point anywhere, so 0.1 + 0.2 stays 30 cents. */
#include <stdbool.h>
#include <string.h>

#include "money.h"

#define QUOTE_MAX 64 /* bytes of bad input quoted back in a message */

/* ISO 4217 currencies whose minor unit is not 1/100 (active codes). */
static const char zero_exp[][4] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
};
static const char three_exp[][4] = {
    "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
};

static bool in_list(const char *code, const char (*list)[4], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(code, list[i], 3) == 0)
			return true;
	return false;
}

int crm_money_exponent(const char *currency)
{
	if (!currency)
		return -1;
	for (int i = 0; i < 3; i++)
		if (currency[i] < 'A' || currency[i] > 'Z')
			return -1;
	if (currency[3])
		return -1;
	if (in_list(currency, zero_exp, sizeof(zero_exp) / sizeof(*zero_exp)))
		return 0;
	if (in_list(currency, three_exp,
		    sizeof(three_exp) / sizeof(*three_exp)))
		return 3;
	return 2;
}

static int quote_len(const char *s, const char **ellipsis)
{
	return crm_quote_len(s, strlen(s), QUOTE_MAX, ellipsis);
}

static int bad(struct crm_err *err, const char *s, const char *why)
{
	const char *ell;
	int n = quote_len(s, &ell);

	return crm_err_set(err, CRM_EX_DATAERR, "invalid amount '%.*s%s': %s",
			   n, s, ell, why);
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

int crm_money_parse(const char *s, const char *currency, int64_t *minor,
		    struct crm_err *err)
{
	struct crm_err scratch;
	int exp = crm_money_exponent(currency);
	const char *p = s, *ell;
	bool neg = false;
	uint64_t v = 0;
	/* Magnitude limit: a negative amount may reach INT64_MIN. */
	uint64_t lim;
	int frac = 0, n;

	if (!err)
		err = &scratch;
	if (exp < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "invalid currency '%.8s': expected a "
				   "three-letter ISO 4217 code like EUR",
				   currency ? currency : "");
	if (!s || !*s)
		return crm_err_set(err, CRM_EX_DATAERR, "empty amount");
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (!isdig(*p))
		return bad(err, s, "expected digits like 1234.50");
	for (; isdig(*p); p++) {
		if (v > (lim - (uint64_t)(*p - '0')) / 10)
			goto overflow;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdig(*p))
			return bad(err, s, "expected digits after '.'");
		for (; isdig(*p); p++, frac++) {
			if (frac >= exp) {
				/* Trailing zeros lose nothing: "1200.00"
				 * is a fine JPY amount. */
				if (*p != '0')
					goto precision;
				continue;
			}
			if (v > (lim - (uint64_t)(*p - '0')) / 10)
				goto overflow;
			v = v * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p == ',')
		return bad(err, s,
			   "use '.' for decimals and no thousands separators");
	if (*p == 'e' || *p == 'E')
		return bad(err, s, "no exponents allowed");
	if (*p)
		return bad(err, s, "expected digits like 1234.50");
	for (; frac < exp; frac++) {
		if (v > lim / 10)
			goto overflow;
		v *= 10;
	}
	*minor = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;

overflow:
	n = quote_len(s, &ell);
	return crm_err_set(err, CRM_EX_DATAERR,
			   "amount '%.*s%s' is out of range", n, s, ell);
precision:
	n = quote_len(s, &ell);
	return crm_err_set(err, CRM_EX_DATAERR,
			   "amount '%.*s%s' is more precise than %s allows "
			   "(%d decimal%s)",
			   n, s, ell, currency, exp, exp == 1 ? "" : "s");
}

char *crm_money_format(int64_t minor, const char *currency, char buf[32])
{
	int exp = crm_money_exponent(currency);
	/* Unsigned negation: INT64_MIN has no positive int64. */
	uint64_t v = minor < 0 ? 0 - (uint64_t)minor : (uint64_t)minor;
	char tmp[32];
	int n = 0, i = 0;

	if (exp < 0)
		exp = 2;
	/* Digits backwards, at least exp + 1 of them so "0.05" has its 0. */
	do {
		if (n == exp && exp > 0)
			tmp[n++] = '.';
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n <= exp);
	if (minor < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

bool crm_money_fits(long double v)
{
	/* both bounds are exact in x87 long double (64-bit mantissa), and
	 * what rounds below 2^63 - 0.5 rounds to at most INT64_MAX; NaN
	 * fails both tests */
	return v >= -9223372036854775808.0L && v < 9223372036854775807.5L;
}

int crm_money_overflow(struct crm_err *err, const char *what)
{
	return crm_err_set(err, CRM_EX_DATAERR,
			   "%s: a sum of amounts is out of range (more than "
			   "9223372036854775807 minor units)",
			   what);
}

int crm_money_currency_field(const char *currency, struct crm_err *err)
{
	if (!currency || crm_money_exponent(currency) >= 0)
		return 0;
	return crm_err_field(err, "currency", CRM_EX_DATAERR,
			     "expected an ISO 4217 code like EUR, got '%s'",
			     currency);
}
