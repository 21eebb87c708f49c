/* match.c - field comparators for duplicate detection. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

#define MAXCP 64

/* Decode up to MAXCP code points of UTF-8 s into cp; returns the count.
 * Invalid bytes count as themselves (comparators never fail). */
static int decode(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;

	while (*p && n < MAXCP) {
		uint32_t c = *p;
		int len = 1;

		if (c >= 0xF0 && (p[1] & 0xC0) == 0x80 &&
		    (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
			c = (c & 7) << 18 | (p[1] & 0x3Fu) << 12 |
			    (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
			len = 4;
		} else if (c >= 0xE0 && (p[1] & 0xC0) == 0x80 &&
			   (p[2] & 0xC0) == 0x80) {
			c = (c & 15) << 12 | (p[1] & 0x3Fu) << 6 |
			    (p[2] & 0x3Fu);
			len = 3;
		} else if (c >= 0xC0 && (p[1] & 0xC0) == 0x80) {
			c = (c & 31) << 6 | (p[1] & 0x3Fu);
			len = 2;
		}
		cp[n++] = c;
		p += len;
	}
	return n;
}

double crm_match_jaro_winkler(const char *a, const char *b)
{
	uint32_t x[MAXCP], y[MAXCP];
	bool mx[MAXCP] = {0}, my[MAXCP] = {0};
	int nx = decode(a, x), ny = decode(b, y), win, m = 0, t = 0, k = 0;
	int prefix = 0;
	double jaro;

	if (!nx && !ny)
		return 1;
	if (!nx || !ny)
		return 0;
	win = (nx > ny ? nx : ny) / 2 - 1;
	if (win < 0)
		win = 0;
	for (int i = 0; i < nx; i++) {
		int lo = i - win > 0 ? i - win : 0;
		int hi = i + win + 1 < ny ? i + win + 1 : ny;

		for (int j = lo; j < hi; j++) {
			if (!my[j] && x[i] == y[j]) {
				mx[i] = my[j] = true;
				m++;
				break;
			}
		}
	}
	if (!m)
		return 0;
	for (int i = 0; i < nx; i++) {
		if (!mx[i])
			continue;
		while (!my[k])
			k++;
		if (x[i] != y[k])
			t++;
		k++;
	}
	jaro = ((double)m / nx + (double)m / ny + (m - t / 2.0) / m) / 3;
	while (prefix < 4 && prefix < nx && prefix < ny &&
	       x[prefix] == y[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1 - jaro);
}

int crm_match_damerau(const char *a, const char *b)
{
	uint32_t x[MAXCP], y[MAXCP];
	int nx = decode(a, x), ny = decode(b, y);
	int d[MAXCP + 1][MAXCP + 1];

	for (int i = 0; i <= nx; i++)
		d[i][0] = i;
	for (int j = 0; j <= ny; j++)
		d[0][j] = j;
	for (int i = 1; i <= nx; i++) {
		for (int j = 1; j <= ny; j++) {
			int cost = x[i - 1] != y[j - 1];
			int v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] &&
			    x[i - 2] == y[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[nx][ny];
}

/* The words of s as (start, length) pairs, at most max of them. */
static int words(const char *s, const char **w, int *len, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		w[n] = s;
		while (*s && *s != ' ')
			s++;
		len[n] = (int)(s - w[n]);
		n++;
	}
	return n;
}

static bool in_words(const char *w, int len, const char **ws, const int *lens,
		     int n)
{
	for (int i = 0; i < n; i++)
		if (lens[i] == len && !memcmp(ws[i], w, (size_t)len))
			return true;
	return false;
}

double crm_match_token_set(const char *a, const char *b)
{
	const char *wa[32], *wb[32];
	int la[32], lb[32], na, nb, ua = 0, ub = 0, both = 0;

	na = words(a, wa, la, 32);
	nb = words(b, wb, lb, 32);
	/* distinct words of each, and how many of a's are in b */
	for (int i = 0; i < na; i++) {
		if (in_words(wa[i], la[i], wa, la, i))
			continue;
		ua++;
		if (in_words(wa[i], la[i], wb, lb, nb))
			both++;
	}
	for (int i = 0; i < nb; i++)
		if (!in_words(wb[i], lb[i], wb, lb, i))
			ub++;
	if (!ua && !ub)
		return 1;
	return (double)both / (ua + ub - both);
}

static bool vowel(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

void crm_match_nysiis(const char *s, struct crm_buf *out)
{
	char w[MAXCP + 4], key[MAXCP * 3 + 4];
	int n = 0, k = 0;

	for (; *s && n < MAXCP; s++)
		if (isalpha((unsigned char)*s) && !((unsigned char)*s & 0x80))
			w[n++] = (char)toupper((unsigned char)*s);
	w[n] = '\0';
	if (!n)
		return;
	/* the start and the end of the name */
	if (!strncmp(w, "MAC", 3))
		w[1] = 'C';
	else if (!strncmp(w, "KN", 2))
		w[0] = 'N';
	else if (w[0] == 'K')
		w[0] = 'C';
	else if (!strncmp(w, "PH", 2) || !strncmp(w, "PF", 2))
		w[0] = w[1] = 'F';
	else if (!strncmp(w, "SCH", 3))
		w[1] = w[2] = 'S';
	if (n >= 2) {
		const char *e = w + n - 2;

		if (!strcmp(e, "EE") || !strcmp(e, "IE")) {
			w[n - 2] = 'Y';
			w[--n] = '\0';
		} else if (!strcmp(e, "DT") || !strcmp(e, "RT") ||
			   !strcmp(e, "RD") || !strcmp(e, "NT") ||
			   !strcmp(e, "ND")) {
			w[n - 2] = 'D';
			w[--n] = '\0';
		}
	}
	key[k++] = w[0];
	for (int i = 1; i < n; i++) {
		char c = w[i], rep[4] = {c, 0, 0, 0};

		if (c == 'E' && w[i + 1] == 'V') {
			rep[0] = 'A';
			rep[1] = 'F';
			i++;
		} else if (vowel(c)) {
			rep[0] = 'A';
		} else if (c == 'Q') {
			rep[0] = 'G';
		} else if (c == 'Z') {
			rep[0] = 'S';
		} else if (c == 'M') {
			rep[0] = 'N';
		} else if (c == 'K') {
			rep[0] = w[i + 1] == 'N' ? 'N' : 'C';
		} else if (c == 'S' && w[i + 1] == 'C' && w[i + 2] == 'H') {
			strcpy(rep, "SSS");
			i += 2;
		} else if (c == 'P' && w[i + 1] == 'H') {
			strcpy(rep, "FF");
			i++;
		} else if (c == 'H' && (!vowel(w[i - 1]) ||
					(i + 1 < n && !vowel(w[i + 1])))) {
			rep[0] = key[k - 1];
		} else if (c == 'W' && vowel(w[i - 1])) {
			rep[0] = key[k - 1];
		}
		for (int j = 0; rep[j]; j++)
			if (key[k - 1] != rep[j])
				key[k++] = rep[j];
	}
	if (k > 1 && key[k - 1] == 'S')
		k--;
	if (k > 2 && key[k - 2] == 'A' && key[k - 1] == 'Y') {
		key[k - 2] = 'Y';
		k--;
	}
	if (k > 1 && key[k - 1] == 'A')
		k--;
	if (k > 6)
		k = 6;
	crm_buf_add(out, key, (size_t)k);
}

long crm_match_date_parse(const char *s)
{
	int y, m, d, len = 0;
	char sep;

	if (!s)
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) == 3 && len == 10)
		;
	else if (strlen(s) == 8 && strspn(s, "0123456789") == 8)
		y = atoi(s) / 10000, m = atoi(s) / 100 % 100, d = atoi(s) % 100;
	else if (sscanf(s, "%2d%c%2d%*c%4d%n", &d, &sep, &m, &y, &len) == 4 &&
		 (sep == '/' || sep == '.') && s[len] == '\0' && y >= 1000)
		;
	else
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1)
		return 0;
	return (long)y * 10000 + m * 100 + d;
}

int crm_match_date(long a, long b)
{
	char x[16], y[16];
	int diff = 0, first = -1, second = -1;

	if (!a || !b)
		return -1;
	if (a == b)
		return 3;
	if (a / 10000 == b / 10000 && a / 100 % 100 == b % 100 &&
	    a % 100 == b / 100 % 100)
		return 2;
	snprintf(x, sizeof(x), "%08ld", a);
	snprintf(y, sizeof(y), "%08ld", b);
	for (int i = 0; x[i] && y[i]; i++) {
		if (x[i] == y[i])
			continue;
		if (diff++ == 0)
			first = i;
		else
			second = i;
	}
	if (diff == 1)
		return 2;
	if (diff == 2 && second == first + 1 && x[first] == y[second] &&
	    x[second] == y[first])
		return 2;
	return a / 10000 == b / 10000 ? 1 : 0;
}

double crm_match_numeric(double a, double b)
{
	double m = fmax(fabs(a), fabs(b));

	if (m == 0)
		return 1;
	return fmax(0, 1 - fabs(a - b) / m);
}
