/* real_text.c - see real_text.h. A decimal text of at most 15
 * significant digits (DBL_DIG) reads to a double that "%.15g" writes
 * back as the same digits, so such a text is rewritten digit by digit,
 * without strtod and snprintf (a third of a forecast's instructions on
 * PostgreSQL once); longer texts and the edges of the double's range
 * take the double's way. tests/unit/t_real checks both agree. */
#include "real_text.h"

#include <float.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The double's way: strtod, then "%.15g" and SQLite's ".0". */
static const char *via_double(const char *v, char *buf)
{
	char *end, *e;
	double d = strtod(v, &end);
	size_t len;

	if (end == v || *end || d != d || d - d != 0)
		return NULL;
	snprintf(buf, CRM_REAL_TEXT_LEN, "%.15g", d);
	if (strchr(buf, '.'))
		return buf;
	len = strlen(buf);
	if (len + 3 > CRM_REAL_TEXT_LEN)
		return NULL;
	e = strchr(buf, 'e');
	if (!e) {
		memcpy(buf + len, ".0", 3);
	} else {
		memmove(e + 2, e, strlen(e) + 1);
		memcpy(e, ".0", 2);
	}
	return buf;
}

/* v's significant digits into dig (leading and trailing zeros dropped),
 * their count into *nd and the first one's power of ten into *x; false
 * when v is not a plain decimal ([-]digits[.digits][e[+-]digits]) or
 * has more than DBL_DIG significant digits. */
static bool digits(const char *v, char dig[DBL_DIG], int *nd, int *x)
{
	const char *p = v;
	int n = 0, before = 0, lead = 0, e = 0, esign = 1, edigits = 0;
	bool point = false, any = false;

	for (;; p++) {
		if (*p == '.' && !point) {
			point = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		any = true;
		if (!point)
			before++;
		if (!n && *p == '0') {
			lead++; /* a zero before the first significant digit */
			continue;
		}
		if (n == DBL_DIG) { /* a 16th digit: only a zero may follow */
			if (*p != '0')
				return false;
			continue;
		}
		dig[n++] = *p;
	}
	if (!any)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			esign = *p++ == '-' ? -1 : 1;
		for (; *p >= '0' && *p <= '9' && edigits < 5; p++, edigits++)
			e = e * 10 + *p - '0';
		if (!edigits)
			return false;
	}
	if (*p)
		return false; /* more exponent digits, or anything else */
	while (n && dig[n - 1] == '0')
		n--;
	*nd = n;
	/* the first significant digit's power of ten: it is digit number
	 * lead (from 0) of the text, whose first is 10^(before - 1) */
	*x = before - 1 - lead + esign * e;
	return true;
}

const char *crm_real_text(const char *v, char buf[CRM_REAL_TEXT_LEN])
{
	char dig[DBL_DIG], *w = buf;
	int nd, x;
	bool neg = *v == '-';

	if (!digits(v + neg, dig, &nd, &x) || x > 300 || x < -300)
		return via_double(v, buf);
	if (neg)
		*w++ = '-';
	if (!nd) { /* zero: "0.0", "-0.0" as strtod's -0 prints */
		memcpy(w, "0.0", 4);
		return buf;
	}
	if (x < -4 || x >= DBL_DIG) { /* "%g"'s exponent form */
		*w++ = dig[0];
		*w++ = '.';
		if (nd > 1) {
			memcpy(w, dig + 1, (size_t)nd - 1);
			w += nd - 1;
		} else {
			*w++ = '0';
		}
		*w++ = 'e'; /* two digits at least, as printf's */
		*w++ = x < 0 ? '-' : '+';
		x = abs(x);
		if (x >= 100)
			*w++ = (char)('0' + x / 100);
		*w++ = (char)('0' + x / 10 % 10);
		*w++ = (char)('0' + x % 10);
		*w = '\0';
		return buf;
	}
	if (x < 0) { /* 0.000ddd */
		*w++ = '0';
		*w++ = '.';
		memset(w, '0', (size_t)(-x - 1));
		w += -x - 1;
		memcpy(w, dig, (size_t)nd);
		w[nd] = '\0';
		return buf;
	}
	for (int i = 0; i <= x; i++) /* the integer part, zeros past nd */
		*w++ = i < nd ? dig[i] : '0';
	*w++ = '.';
	if (nd > x + 1) {
		memcpy(w, dig + x + 1, (size_t)(nd - x - 1));
		w += nd - x - 1;
	} else {
		*w++ = '0';
	}
	*w = '\0';
	return buf;
}
