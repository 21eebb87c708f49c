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

/* Two strings as small character codes (below 128) that are equal exactly
 * where their code points are: the bytes themselves when both are ASCII
 * (in their first MAXCP characters), else codes given in order of first
 * appearance. The comparators below only ever test characters for
 * equality, so they work on these. */
struct chars {
	const unsigned char *x, *y;
	int nx, ny;
	uint64_t sx, sy; /* the characters of each (see bit) */
	unsigned char bx[MAXCP], by[MAXCP];
};

/* A character's bit in a set of 64: codes folded so that lower-case
 * letters, digits and space get bits of their own; two characters that
 * share one only make the sets look closer than they are. */
#define BIT(c) (1ULL << ((((c)&63) ^ ((~(c)&64) >> 1)) & 63))
#define BIT4(c) BIT(c), BIT(c + 1), BIT(c + 2), BIT(c + 3)
#define BIT16(c) BIT4(c), BIT4(c + 4), BIT4(c + 8), BIT4(c + 12)
static const uint64_t bits[128] = {
    BIT16(0),  BIT16(16), BIT16(32), BIT16(48),
    BIT16(64), BIT16(80), BIT16(96), BIT16(112),
};

static uint64_t bit(unsigned c)
{
	return bits[c & 127];
}

/* The length of s and the set of its characters when its first MAXCP
 * characters are ASCII, else -1. */
static int ascii_scan(const char *s, uint64_t *set)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t b = 0;
	int n = 0;

	for (; n < MAXCP && p[n]; n++) {
		if (p[n] & 0x80)
			return -1;
		b |= bit(p[n]);
	}
	*set = b;
	return n;
}

static int code_of(uint32_t c, uint32_t *seen, int *nseen)
{
	for (int k = 0; k < *nseen; k++)
		if (seen[k] == c)
			return k;
	seen[*nseen] = c;
	return (*nseen)++;
}

static void chars_of(const char *a, const char *b, struct chars *c)
{
	uint32_t x[MAXCP], y[MAXCP], seen[2 * MAXCP];
	int nseen = 0;

	c->nx = ascii_scan(a, &c->sx);
	c->ny = c->nx >= 0 ? ascii_scan(b, &c->sy) : -1;
	if (c->nx >= 0 && c->ny >= 0) {
		c->x = (const unsigned char *)a;
		c->y = (const unsigned char *)b;
		return;
	}
	c->nx = decode(a, x);
	c->ny = decode(b, y);
	c->sx = c->sy = 0;
	for (int i = 0; i < c->nx; i++) {
		c->bx[i] = (unsigned char)code_of(x[i], seen, &nseen);
		c->sx |= bit(c->bx[i]);
	}
	for (int j = 0; j < c->ny; j++) {
		c->by[j] = (unsigned char)code_of(y[j], seen, &nseen);
		c->sy |= bit(c->by[j]);
	}
	c->x = c->bx;
	c->y = c->by;
}

/* The bits set in v (no popcnt instruction in the baseline x86-64). */
static int ones(uint64_t v)
{
	v -= v >> 1 & 0x5555555555555555ULL;
	v = (v & 0x3333333333333333ULL) + (v >> 2 & 0x3333333333333333ULL);
	v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (int)(v * 0x0101010101010101ULL >> 56);
}

/* How many characters of x (n) may be in set. */
static int in_set(const unsigned char *x, int n, uint64_t set)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += (set & bit(x[i])) != 0;
	return k;
}

/* Bits lo to hi - 1 (0 <= lo, hi <= 64). */
static uint64_t bit_range(int lo, int hi)
{
	uint64_t h = hi >= 64 ? ~0ULL : (1ULL << hi) - 1;

	return lo >= hi ? 0 : h & ~((1ULL << lo) - 1);
}

/* The Jaro matching of x and y (each x[i] takes the first free equal y[j]
 * in its window) as bit sets of matched positions; returns the count. A
 * bit set of y's positions per character makes it linear. */
static int jaro_match(const struct chars *c, int win, uint64_t *mx,
		      uint64_t *my)
{
	uint64_t at[128];
	int m = 0;

	*mx = *my = 0;
	for (int i = 0; i < c->nx; i++)
		at[c->x[i]] = 0;
	for (int j = 0; j < c->ny; j++)
		at[c->y[j]] = 0;
	for (int j = 0; j < c->ny; j++)
		at[c->y[j]] |= 1ULL << j;
	for (int i = 0; i < c->nx; i++) {
		unsigned k = c->x[i];
		uint64_t avail;

		avail = at[k] & ~*my &
			bit_range(i - win > 0 ? i - win : 0,
				  i + win + 1 < c->ny ? i + win + 1 : c->ny);
		if (avail) {
			*my |= avail & -avail;
			*mx |= 1ULL << i;
			m++;
		}
	}
	return m;
}

/* Whether Jaro-Winkler stays below min with at most most matches (and no
 * transposition): jaro <= n / d, jw = jaro + p (1 - jaro), compared
 * without dividing. */
static bool below(int nx, int ny, int most, int prefix, double min)
{
	double d = 3.0 * nx * ny,
	       n = (double)most * (nx + ny) + (double)nx * ny;
	double p = prefix * 0.1;

	return n * (1 - p) + p * d < (min - 1e-9) * d;
}

double crm_match_jaro_winkler(const char *a, const char *b)
{
	return crm_match_jaro_winkler_min(a, b, 0);
}

double crm_match_jaro_winkler_min(const char *a, const char *b, double min)
{
	struct chars c;
	int nx, ny, win, m, t = 0, prefix = 0;
	uint64_t mx, my;
	double jaro;

	chars_of(a, b, &c);
	nx = c.nx;
	ny = c.ny;
	if (!nx && !ny)
		return 1;
	if (!nx || !ny)
		return 0;
	while (prefix < 4 && prefix < nx && prefix < ny &&
	       c.x[prefix] == c.y[prefix])
		prefix++;
	if (min > 0) {
		/* a match pairs two equal characters: at least one place of x
		 * per character of x not in y is unmatched (and of y), and
		 * at most the characters of x found in y match (and of y);
		 * jaro grows with the matches, and most pairs of unlike
		 * values stop here */
		int k = nx - ones(c.sx & ~c.sy), l = ny - ones(c.sy & ~c.sx);

		if (below(nx, ny, k < l ? k : l, prefix, min))
			return 0;
		k = in_set(c.x, nx, c.sy);
		l = in_set(c.y, ny, c.sx);
		if (below(nx, ny, k < l ? k : l, prefix, min))
			return 0;
	}
	win = (nx > ny ? nx : ny) / 2 - 1;
	if (win < 0)
		win = 0;
	m = jaro_match(&c, win, &mx, &my);
	if (!m)
		return 0;
	/* transpositions: the matched characters of each, in order */
	while (mx) {
		if (c.x[__builtin_ctzll(mx)] != c.y[__builtin_ctzll(my)])
			t++;
		mx &= mx - 1;
		my &= my - 1;
	}
	jaro = ((double)m / nx + (double)m / ny + (m - t / 2.0) / m) / 3;
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

/* The first position where x and y (of length n each) differ, n if none. */
static int first_diff(const unsigned char *x, const unsigned char *y, int n)
{
	int i = 0;

	while (i < n && x[i] == y[i])
		i++;
	return i;
}

int crm_match_damerau_near(const char *a, const char *b)
{
	struct chars c;
	const unsigned char *x, *y;
	int nx, ny, p;

	chars_of(a, b, &c);
	x = c.x, y = c.y, nx = c.nx, ny = c.ny;
	if (nx < ny) { /* x the longer */
		x = c.y, y = c.x, nx = c.ny, ny = c.nx;
	}
	if (nx - ny > 1)
		return 2;
	p = first_diff(x, y, ny);
	if (nx > ny) /* one character more in x */
		return first_diff(x + p + 1, y + p, ny - p) == ny - p ? 1 : 2;
	if (p == nx)
		return 0;
	/* one substitution, or two adjacent characters swapped */
	if (first_diff(x + p + 1, y + p + 1, nx - p - 1) == nx - p - 1)
		return 1;
	if (p + 1 < nx && x[p] == y[p + 1] && x[p + 1] == y[p] &&
	    first_diff(x + p + 2, y + p + 2, nx - p - 2) == nx - p - 2)
		return 1;
	return 2;
}

int crm_match_words(const char *s, const char **w, int *len, int max)
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

	na = crm_match_words(a, wa, la, 32);
	nb = crm_match_words(b, wb, lb, 32);
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
#define D(k) (s[k] >= '0' && s[k] <= '9')
	if (D(0) && D(1) && D(2) && D(3) && s[4] == '-' && D(5) && D(6) &&
	    s[7] == '-' && D(8) && D(9)) {
		/* YYYY-MM-DD, the usual form: what sscanf below reads */
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
	} else if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) == 3 &&
		   len == 10)
		;
	else if (strlen(s) == 8 && strspn(s, "0123456789") == 8)
		y = atoi(s) / 10000, m = atoi(s) / 100 % 100, d = atoi(s) % 100;
	else if (sscanf(s, "%2d%c%2d%*c%4d%n", &d, &sep, &m, &y, &len) == 4 &&
		 (sep == '/' || sep == '.') && s[len] == '\0' && y >= 1000)
		;
	else
		return 0;
#undef D
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1)
		return 0;
	return (long)y * 10000 + m * 100 + d;
}

/* v (0 to 99999999) in binary-coded decimal, a digit a nibble. */
static uint32_t bcd(long v)
{
	uint32_t r = 0;

	for (int i = 0; i < 8; i++, v /= 10)
		r |= (uint32_t)(v % 10) << (4 * i);
	return r;
}

/* Whether the digits of a and b ("%08ld") differ in one place, or in two
 * adjacent places holding the same two digits swapped. */
static bool digit_typo(long a, long b)
{
	char x[24], y[24];
	int diff = 0, first = -1, second = -1;

	if (a >= 0 && a <= 99999999 && b >= 0 && b <= 99999999) {
		uint32_t p = bcd(a), q = bcd(b), d = p ^ q, at, sw;
		d = (d | d >> 1 | d >> 2 | d >> 3) & 0x11111111u;
		if (__builtin_popcount(d) == 1)
			return true;
		if (__builtin_popcount(d) != 2)
			return false;
		at = (uint32_t)__builtin_ctz(d);
		if (d != (0x11u << at))
			return false;
		/* the two digits of p at at and at + 4 swapped */
		sw = (p >> at & 0xF) << (at + 4) | (p >> (at + 4) & 0xF) << at;
		return (q >> at & 0xFF) == sw >> at;
	}
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
	return diff == 1 || (diff == 2 && second == first + 1 &&
			     x[first] == y[second] && x[second] == y[first]);
}

int crm_match_date(long a, long b)
{
	if (!a || !b)
		return -1;
	if (a == b)
		return 3;
	if (a / 10000 == b / 10000 && a / 100 % 100 == b % 100 &&
	    a % 100 == b / 100 % 100)
		return 2;
	if (digit_typo(a, b))
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
