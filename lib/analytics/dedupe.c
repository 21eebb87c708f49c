/* dedupe.c - blocking, a Fellegi-Sunter model estimated by EM, scoring and
 * clustering. See dedupe.h.
 *
 * Values live in one arena addressed by 32-bit offsets (offset 0 is the
 * empty string: missing). Values of fields that get a term-frequency
 * adjustment (names, text, postcodes, companies) are interned, each copy
 * preceded by its count, so equal values have equal offsets. */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dedupe.h"
#include "match.h"
#include "normalize.h"
#include "par.h"

static const char *const type_names[CRM_DD_NTYPES] = {
    "ignore",	"first_name", "last_name", "name", "email",  "phone",  "date",
    "postcode", "address",    "company",   "text", "number", "domain",
};

/* Levels per type (the top one is "exact"). */
static const int type_levels[CRM_DD_NTYPES] = {
    0, 4, 4, 4, 3, 3, 4, 3, 4, 3, 3, 3, 3,
};

int crm_dd_type_parse(const char *s)
{
	for (int t = 0; t < CRM_DD_NTYPES; t++)
		if (!strcmp(s, type_names[t]))
			return t;
	return -1;
}

const char *crm_dd_type_name(int type)
{
	return type >= 0 && type < CRM_DD_NTYPES ? type_names[type] : "?";
}

int crm_dd_type_guess(const char *column)
{
	static const struct {
		const char *name;
		int type;
	} guess[] = {
	    {"given_name", CRM_DD_FIRST_NAME},
	    {"first_name", CRM_DD_FIRST_NAME},
	    {"firstname", CRM_DD_FIRST_NAME},
	    {"forename", CRM_DD_FIRST_NAME},
	    {"first", CRM_DD_FIRST_NAME},
	    {"surname", CRM_DD_LAST_NAME},
	    {"last_name", CRM_DD_LAST_NAME},
	    {"lastname", CRM_DD_LAST_NAME},
	    {"family_name", CRM_DD_LAST_NAME},
	    {"last", CRM_DD_LAST_NAME},
	    {"name", CRM_DD_NAME},
	    {"full_name", CRM_DD_NAME},
	    {"fullname", CRM_DD_NAME},
	    {"email", CRM_DD_EMAIL},
	    {"e_mail", CRM_DD_EMAIL},
	    {"email_address", CRM_DD_EMAIL},
	    {"phone", CRM_DD_PHONE},
	    {"phone_number", CRM_DD_PHONE},
	    {"mobile", CRM_DD_PHONE},
	    {"telephone", CRM_DD_PHONE},
	    {"tel", CRM_DD_PHONE},
	    {"soc_sec_id", CRM_DD_NUMBER},
	    {"date_of_birth", CRM_DD_DATE},
	    {"dob", CRM_DD_DATE},
	    {"birth_date", CRM_DD_DATE},
	    {"birthdate", CRM_DD_DATE},
	    {"birthday", CRM_DD_DATE},
	    {"postcode", CRM_DD_POSTCODE},
	    {"post_code", CRM_DD_POSTCODE},
	    {"postal_code", CRM_DD_POSTCODE},
	    {"zip", CRM_DD_POSTCODE},
	    {"zipcode", CRM_DD_POSTCODE},
	    {"zip_code", CRM_DD_POSTCODE},
	    {"address", CRM_DD_ADDRESS},
	    {"address_1", CRM_DD_ADDRESS},
	    {"address1", CRM_DD_ADDRESS},
	    {"street", CRM_DD_ADDRESS},
	    {"street_address", CRM_DD_ADDRESS},
	    {"street_number", CRM_DD_TEXT},
	    {"address_2", CRM_DD_TEXT},
	    {"suburb", CRM_DD_TEXT},
	    {"city", CRM_DD_TEXT},
	    {"town", CRM_DD_TEXT},
	    {"state", CRM_DD_TEXT},
	    {"region", CRM_DD_TEXT},
	    {"country", CRM_DD_TEXT},
	    {"company", CRM_DD_COMPANY},
	    {"company_name", CRM_DD_COMPANY},
	    {"organization", CRM_DD_COMPANY},
	    {"organisation", CRM_DD_COMPANY},
	    {"employer", CRM_DD_COMPANY},
	    {"account", CRM_DD_COMPANY},
	    {"domain", CRM_DD_DOMAIN},
	    {"website", CRM_DD_DOMAIN},
	    {"web", CRM_DD_DOMAIN},
	    {"url", CRM_DD_DOMAIN},
	    {"homepage", CRM_DD_DOMAIN},
	};
	char low[64];
	size_t i = 0;

	/* "Given Name", "given-name" and "GivenName" all count */
	for (; column[i] && i + 1 < sizeof(low); i++) {
		char c = column[i];
		low[i] = (c == ' ' || c == '-')	  ? '_'
			 : (c >= 'A' && c <= 'Z') ? (char)(c + 32)
						  : c;
	}
	low[i] = '\0';
	for (size_t k = 0; k < sizeof(guess) / sizeof(guess[0]); k++)
		if (!strcmp(low, guess[k].name))
			return guess[k].type;
	return CRM_DD_IGNORE;
}

static bool tf_type(int t)
{
	return t == CRM_DD_FIRST_NAME || t == CRM_DD_LAST_NAME ||
	       t == CRM_DD_NAME || t == CRM_DD_POSTCODE ||
	       t == CRM_DD_COMPANY || t == CRM_DD_TEXT;
}

struct intern {
	uint32_t off, hash;
};

/* Records are numbered in 32 bits, and so are their blocking keys (at
 * most 16 a record). */
#define CRM_DD_MAXRECORDS (1UL << 28)

struct slot { /* a block key: its hash and the record */
	uint64_t key;
	uint32_t rec;
};

struct crm_dedupe {
	size_t nf;
	char **names;
	int types[CRM_DD_MAXFIELDS];
	size_t col[CRM_DD_MAXFIELDS]; /* its index in crm_dedupe_new's list */
	long first, last; /* field index of first and last name, or -1 */
	uint64_t nonmissing[CRM_DD_MAXFIELDS];
	/* context fields (a person's company, city, country ...) describe
	 * where a record lives, not who it is: agreeing on them identifies
	 * no one (identity_agrees) */
	bool context[CRM_DD_MAXFIELDS];
	/* key fields (email, phone, birth date, address, numbers) of people:
	 * unlike a name, each is seldom shared by two people */
	bool key[CRM_DD_MAXFIELDS], has_key;
	/* per field with a term-frequency adjustment: the chance that two
	 * distinct records with a value share it */
	double tfu[CRM_DD_MAXFIELDS];

	size_t n, cap;
	uint32_t *id; /* per record: offset of its id */
	/* per record and field: value, secondary value (x is v + nf, the
	 * rows of both 2 * nf apart) */
	uint32_t *v, *x;
	uint64_t *sortkey; /* per record: order inside a big block */
	struct crm_buf arena;
	struct intern *tab;
	size_t ntab, captab;
	uint32_t *idtab; /* record index + 1 by id hash: ids are unique */
	size_t capid;

	/* model */
	double m[CRM_DD_MAXFIELDS][4], u[CRM_DD_MAXFIELDS][4], lambda;
	double threshold;
	/* rule: OR of AND groups of (field, minimum level) */
	struct {
		int nterm, field[CRM_DD_MAXFIELDS], level[CRM_DD_MAXFIELDS];
	} * rule;
	size_t nrule;
	bool use_rule;

	/* blocks, kept for crm_dedupe_candidates */
	struct slot *slots;
	size_t nslots;
	unsigned max_block, window;
	unsigned threads; /* 0: crm_par_default */

	/* pairs and results */
	uint64_t *pairs;
	float *prob;
	size_t npairs;
	uint64_t nmatch;
	uint32_t *parent, *size, *center, *cluster;
	float *best;
	struct crm_buf tmp;
};

/* -- hashing and interning --------------------------------------------- */

static uint64_t hash64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Where record i's values start in v (and its secondary values in x). */
static size_t row(const struct crm_dedupe *dd, size_t i)
{
	return i * 2 * dd->nf;
}

static const char *str(const struct crm_dedupe *dd, uint32_t off)
{
	return dd->arena.s + off;
}

static uint32_t count_of(const struct crm_dedupe *dd, uint32_t off)
{
	uint32_t c;

	memcpy(&c, dd->arena.s + off - 4, 4);
	return c;
}

/* Append s to the arena: its offset (0 for an empty string). */
static int append(struct crm_dedupe *dd, const char *s, size_t len,
		  uint32_t *off, struct crm_err *err)
{
	if (!len) {
		*off = 0;
		return 0;
	}
	if (dd->arena.len + len + 5 > UINT32_MAX)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "too much data to dedupe (4 GiB of values)");
	*off = (uint32_t)dd->arena.len;
	crm_buf_add(&dd->arena, s, len);
	crm_buf_addc(&dd->arena, '\0');
	return 0;
}

static void tab_grow(struct crm_dedupe *dd)
{
	size_t cap = dd->captab ? dd->captab * 2 : 4096;
	struct intern *t = crm_xcalloc(cap, sizeof(*t));

	for (size_t i = 0; i < dd->captab; i++) {
		size_t j;

		if (!dd->tab[i].off)
			continue;
		for (j = dd->tab[i].hash & (cap - 1); t[j].off;
		     j = (j + 1) & (cap - 1))
			;
		t[j] = dd->tab[i];
	}
	free(dd->tab);
	dd->tab = t;
	dd->captab = cap;
}

/* Interned copy of s for field f, its count raised by one. */
static int intern(struct crm_dedupe *dd, size_t f, const char *s, size_t len,
		  uint32_t *off, struct crm_err *err)
{
	uint32_t h, one = 1;
	size_t j;

	if (!len) {
		*off = 0;
		return 0;
	}
	h = (uint32_t)mix64(hash64(s, len, 0xcbf29ce484222325ULL ^ f));
	if ((dd->ntab + 1) * 2 > dd->captab)
		tab_grow(dd);
	for (j = h & (dd->captab - 1); dd->tab[j].off;
	     j = (j + 1) & (dd->captab - 1)) {
		struct intern *t = &dd->tab[j];
		const char *o = str(dd, t->off);

		if (t->hash == h && o[-5] == (char)f && !strncmp(o, s, len) &&
		    !o[len]) {
			uint32_t c = count_of(dd, t->off) + 1;
			memcpy(dd->arena.s + t->off - 4, &c, 4);
			*off = t->off;
			return 0;
		}
	}
	if (dd->arena.len + len + 6 > UINT32_MAX)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "too much data to dedupe (4 GiB of values)");
	crm_buf_addc(&dd->arena, (char)f);
	crm_buf_add(&dd->arena, &one, 4);
	*off = (uint32_t)dd->arena.len;
	crm_buf_add(&dd->arena, s, len);
	crm_buf_addc(&dd->arena, '\0');
	dd->tab[j].off = *off;
	dd->tab[j].hash = h;
	dd->ntab++;
	return 0;
}

/* -- records ----------------------------------------------------------- */

/* Context fields: places (city, state, country, postcode) and, for people,
 * their company and web domain. Colleagues share all of them at once, so
 * agreeing on them identifies no one; identity fields (names, email, phone,
 * birth date, address, numbers) do. Key fields are a person's identity
 * fields other than names (see em_member). With no identity field at all,
 * every field counts as one. */
static void mark_context(struct crm_dedupe *dd)
{
	bool person = false, identity = false;

	for (size_t f = 0; f < dd->nf; f++)
		if (dd->types[f] == CRM_DD_FIRST_NAME ||
		    dd->types[f] == CRM_DD_LAST_NAME ||
		    dd->types[f] == CRM_DD_NAME)
			person = true;
	for (size_t f = 0; f < dd->nf; f++) {
		int t = dd->types[f];
		dd->context[f] =
		    t == CRM_DD_TEXT || t == CRM_DD_POSTCODE ||
		    (person && (t == CRM_DD_COMPANY || t == CRM_DD_DOMAIN));
		identity |= !dd->context[f];
		dd->key[f] =
		    person && (t == CRM_DD_EMAIL || t == CRM_DD_PHONE ||
			       t == CRM_DD_DATE || t == CRM_DD_NUMBER ||
			       t == CRM_DD_ADDRESS);
		dd->has_key |= dd->key[f];
	}
	if (!identity)
		memset(dd->context, 0, sizeof(dd->context));
}

struct crm_dedupe *crm_dedupe_new(const char *const *names, const int *types,
				  size_t n, struct crm_err *err)
{
	struct crm_dedupe *dd = crm_xcalloc(1, sizeof(*dd));

	dd->first = dd->last = -1;
	for (size_t i = 0; i < n; i++) {
		if (types[i] == CRM_DD_IGNORE)
			continue;
		if (types[i] < 0 || types[i] >= CRM_DD_NTYPES ||
		    dd->nf == CRM_DD_MAXFIELDS) {
			crm_err_set(err, CRM_EX_USAGE,
				    "at most %d fields can be compared",
				    CRM_DD_MAXFIELDS);
			crm_dedupe_free(dd);
			return NULL;
		}
		if (types[i] == CRM_DD_FIRST_NAME && dd->first < 0)
			dd->first = (long)dd->nf;
		if (types[i] == CRM_DD_LAST_NAME && dd->last < 0)
			dd->last = (long)dd->nf;
		dd->types[dd->nf] = types[i];
		dd->col[dd->nf] = i;
		dd->names =
		    crm_xrealloc(dd->names, (dd->nf + 1) * sizeof(char *));
		dd->names[dd->nf++] = crm_xstrdup(names[i]);
	}
	if (!dd->nf) {
		crm_err_set(err, CRM_EX_USAGE, "no field to compare");
		crm_dedupe_free(dd);
		return NULL;
	}
	crm_buf_addc(&dd->arena, '\0'); /* offset 0: missing */
	dd->threshold = 0.5;
	mark_context(dd);
	return dd;
}

void crm_dedupe_free(struct crm_dedupe *dd)
{
	if (!dd)
		return;
	for (size_t i = 0; i < dd->nf; i++)
		free(dd->names[i]);
	free(dd->names);
	free(dd->id);
	free(dd->v);
	free(dd->sortkey);
	crm_buf_release(&dd->arena);
	crm_buf_release(&dd->tmp);
	free(dd->tab);
	free(dd->idtab);
	free(dd->rule);
	free(dd->slots);
	free(dd->pairs);
	free(dd->prob);
	free(dd->parent);
	free(dd->size);
	free(dd->center);
	free(dd->cluster);
	free(dd->best);
	free(dd);
}

/* Digits of s, the last 9 of them (national numbers written with or
 * without country code and trunk prefix agree). */
static void phone_key(const char *s, struct crm_buf *out)
{
	struct crm_buf b = {0};
	const char *p;
	size_t n;

	if (crm_norm_phone(s, NULL, &b, NULL) < 0)
		crm_buf_adds(&b, s);
	for (p = crm_buf_str(&b); *p; p++)
		if (*p >= '0' && *p <= '9')
			crm_buf_addc(out, *p);
	n = out->len;
	if (n > 9) {
		memmove(out->s, out->s + n - 9, 9);
		out->len = 9;
		out->s[9] = '\0';
	}
	crm_buf_release(&b);
}

/* "https://www.Acme.com/about" and "sales@acme.com" -> "acme.com". */
static void domain_key(const char *s, struct crm_buf *out)
{
	const char *at = strrchr(s, '@'), *p;

	if (at)
		s = at + 1;
	while (*s == ' ')
		s++;
	if (!strncasecmp(s, "https://", 8))
		s += 8;
	else if (!strncasecmp(s, "http://", 7))
		s += 7;
	if (!strncasecmp(s, "www.", 4))
		s += 4;
	for (p = s; *p && *p != '/' && *p != ' ' && *p != '?' && *p != ':'; p++)
		crm_buf_addc(out,
			     (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	while (out->len && out->s[out->len - 1] == '.')
		out->s[--out->len] = '\0';
}

/* The matching form of value s of type t into out. */
static int normalize(int t, const char *s, struct crm_buf *out)
{
	struct crm_buf b = {0};
	size_t len = strlen(s);
	int rc = 0;

	crm_buf_reset(out);
	switch (t) {
	case CRM_DD_EMAIL:
		if (crm_norm_email(s, &b, NULL) == 0) {
			crm_norm_email_key(crm_buf_str(&b), out);
		} else {
			rc = crm_norm_key(s, len, &b);
			/* not an address: compared as text */
			crm_buf_adds(out, crm_buf_str(&b));
		}
		break;
	case CRM_DD_PHONE:
		phone_key(s, out);
		break;
	case CRM_DD_DOMAIN:
		domain_key(s, out);
		break;
	case CRM_DD_ADDRESS:
		rc = crm_norm_address(s, len, out);
		break;
	case CRM_DD_COMPANY:
		rc = crm_norm_company(s, len, out);
		break;
	case CRM_DD_POSTCODE:
		rc = crm_norm_key(s, len, &b);
		for (const char *p = crm_buf_str(&b); *p; p++)
			if (*p != ' ')
				crm_buf_addc(out, *p);
		break;
	case CRM_DD_DATE:
	case CRM_DD_NUMBER:
		while (*s == ' ')
			s++;
		crm_buf_adds(out, s);
		while (out->len && out->s[out->len - 1] == ' ')
			out->s[--out->len] = '\0';
		break;
	default:
		rc = crm_norm_key(s, len, out);
	}
	crm_buf_release(&b);
	return rc;
}

/* Refuse an id seen before (a table of record index + 1 by hash). */
static int id_unique(struct crm_dedupe *dd, const char *id, struct crm_err *err)
{
	size_t len = strlen(id), j;

	if (!len)
		return 0;
	if ((dd->n + 1) * 2 > dd->capid) {
		size_t cap = dd->capid ? dd->capid * 2 : 4096;
		uint32_t *t = crm_xcalloc(cap, sizeof(*t));
		for (size_t i = 0; i < dd->capid; i++) {
			const char *o;
			if (!dd->idtab[i])
				continue;
			o = str(dd, dd->id[dd->idtab[i] - 1]);
			for (j = mix64(hash64(o, strlen(o), 0)) & (cap - 1);
			     t[j]; j = (j + 1) & (cap - 1))
				;
			t[j] = dd->idtab[i];
		}
		free(dd->idtab);
		dd->idtab = t;
		dd->capid = cap;
	}
	for (j = mix64(hash64(id, len, 0)) & (dd->capid - 1); dd->idtab[j];
	     j = (j + 1) & (dd->capid - 1))
		if (!strcmp(str(dd, dd->id[dd->idtab[j] - 1]), id)) {
			snprintf(err->field, sizeof(err->field), "id");
			return crm_err_set(err, CRM_EX_DATAERR,
					   "duplicate id '%.200s' (the same as "
					   "record %u's)",
					   id, dd->idtab[j]);
		}
	dd->idtab[j] = (uint32_t)dd->n + 1;
	return 0;
}

long crm_dedupe_add(struct crm_dedupe *dd, const char *id,
		    const char *const *vals, struct crm_err *err)
{
	size_t i = dd->n, base;
	uint64_t sk = 0;

	if (dd->n == CRM_DD_MAXRECORDS)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "too many records to dedupe (at most %lu)",
				   (unsigned long)CRM_DD_MAXRECORDS);
	if (dd->n == dd->cap) {
		size_t cap = dd->cap ? dd->cap * 2 : 1024;
		dd->id = crm_xrealloc(dd->id, cap * sizeof(*dd->id));
		/* a record's values and secondary values side by side: a
		 * pair's comparison reads one place per record */
		dd->v = crm_xrealloc(dd->v, cap * 2 * dd->nf * sizeof(*dd->v));
		dd->x = dd->v + dd->nf;
		dd->sortkey =
		    crm_xrealloc(dd->sortkey, cap * sizeof(*dd->sortkey));
		dd->cap = cap;
	}
	base = row(dd, i);
	if (append(dd, id ? id : "", id ? strlen(id) : 0, &dd->id[i], err) <
		0 ||
	    id_unique(dd, id ? id : "", err) < 0)
		return -1;
	for (size_t f = 0; f < dd->nf; f++) {
		int t = dd->types[f];
		uint32_t *v = &dd->v[base + f], *x = &dd->x[base + f];

		const char *val = vals[dd->col[f]];

		*v = *x = 0;
		if (!val || !*val)
			continue;
		if (normalize(t, val, &dd->tmp) < 0)
			return crm_err_at(err, CRM_EX_DATAERR, NULL, 0,
					  dd->names[f], "invalid UTF-8");
		if (tf_type(t)) {
			if (intern(dd, f, dd->tmp.s, dd->tmp.len, v, err) < 0)
				return -1;
		} else if (append(dd, dd->tmp.s, dd->tmp.len, v, err) < 0) {
			return -1;
		}
		if (!*v)
			continue;
		dd->nonmissing[f]++;
		if (t == CRM_DD_FIRST_NAME || t == CRM_DD_LAST_NAME) {
			const char *s = str(dd, *v);
			if (t == CRM_DD_FIRST_NAME)
				s = crm_norm_nickname(s);
			crm_buf_reset(&dd->tmp);
			crm_match_nysiis(s, &dd->tmp);
			if (intern(dd, CRM_DD_MAXFIELDS + f, dd->tmp.s,
				   dd->tmp.len, x, err) < 0)
				return -1;
		} else if (t == CRM_DD_DATE) {
			*x = (uint32_t)crm_match_date_parse(str(dd, *v));
		} else if (t == CRM_DD_ADDRESS) {
			/* without its spaces, for "135vigo avenue" (level):
			 * made once here rather than for every pair */
			const char *p = str(dd, *v);
			crm_buf_reset(&dd->tmp);
			for (; *p && dd->tmp.len + 1 < 256; p++)
				if (*p != ' ')
					crm_buf_addc(&dd->tmp, *p);
			if (append(dd, dd->tmp.s, dd->tmp.len, x, err) < 0)
				return -1;
		}
	}
	/* order inside big blocks (which share a last name or a date): by
	 * first name, then last name; else by the first field */
	{
		const char *a = str(
		    dd, dd->v[base + (size_t)(dd->first >= 0 ? dd->first : 0)]);
		const char *b = str(
		    dd, dd->v[base + (size_t)(dd->last >= 0 ? dd->last : 0)]);
		for (int k = 0; k < 8; k++) {
			const char **p = k < 5 ? &a : &b;
			sk = sk << 8 | (unsigned char)**p;
			if (**p)
				(*p)++;
		}
	}
	dd->sortkey[i] = sk;
	dd->n++;
	return (long)i;
}

/* -- adding on another thread ------------------------------------------ */

/* Records copied for the adding thread: ids and values, NUL-terminated,
 * in text; per record 1 + nv offsets (the id's, then each value's,
 * SIZE_MAX for NULL) and the caller's tag. */
struct feed_batch {
	struct crm_buf text;
	size_t *off, offcap;
	long *tag;
	size_t n, tagcap;
};

#define FEED_BATCH 4096

struct crm_dedupe_feed {
	struct crm_dedupe *dd;
	size_t nv; /* values per record */
	bool threaded;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct feed_batch b[2];
	int fill;    /* the batch the caller fills */
	bool busy;   /* the other one waits for or is being added */
	bool stop;   /* no more batches */
	bool failed; /* a record failed: the rest are not added */
	long failtag;
	struct crm_err err;
	const char **vals;
};

/* Add b's records; false once one fails (err and failtag then say which:
 * only this thread writes them, and the caller reads them after). */
static bool feed_run(struct crm_dedupe_feed *fd, struct feed_batch *b)
{
	bool ok = true;

	for (size_t r = 0; r < b->n && ok; r++) {
		const size_t *o = b->off + r * (fd->nv + 1);
		for (size_t v = 0; v < fd->nv; v++)
			fd->vals[v] =
			    o[v + 1] == SIZE_MAX ? NULL : b->text.s + o[v + 1];
		if (crm_dedupe_add(fd->dd, b->text.s + o[0], fd->vals,
				   &fd->err) < 0) {
			ok = false;
			fd->failtag = b->tag[r];
		}
	}
	crm_buf_reset(&b->text);
	b->n = 0;
	return ok;
}

static void *feed_thread(void *arg)
{
	struct crm_dedupe_feed *fd = arg;
	bool failed = false;

	pthread_mutex_lock(&fd->mu);
	for (;;) {
		struct feed_batch *b;

		while (!fd->busy && !fd->stop)
			pthread_cond_wait(&fd->cv, &fd->mu);
		if (!fd->busy)
			break;
		b = &fd->b[!fd->fill];
		pthread_mutex_unlock(&fd->mu);
		if (!failed) {
			failed = !feed_run(fd, b);
		} else {
			crm_buf_reset(&b->text);
			b->n = 0;
		}
		pthread_mutex_lock(&fd->mu);
		fd->failed = failed;
		fd->busy = false;
		pthread_cond_broadcast(&fd->cv);
	}
	pthread_mutex_unlock(&fd->mu);
	return NULL;
}

struct crm_dedupe_feed *crm_dedupe_feed_new(struct crm_dedupe *dd,
					    unsigned threads)
{
	struct crm_dedupe_feed *fd = crm_xcalloc(1, sizeof(*fd));

	fd->dd = dd;
	fd->nv = dd->col[dd->nf - 1] + 1;
	fd->vals = crm_xcalloc(fd->nv, sizeof(*fd->vals));
	if ((threads ? threads : crm_par_default()) > 1) {
		sigset_t all, old;

		pthread_mutex_init(&fd->mu, NULL);
		pthread_cond_init(&fd->cv, NULL);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		fd->threaded =
		    pthread_create(&fd->tid, NULL, feed_thread, fd) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!fd->threaded) {
			pthread_mutex_destroy(&fd->mu);
			pthread_cond_destroy(&fd->cv);
		}
	}
	return fd;
}

/* Hand the filled batch to the thread, once it is done with the other. */
static void feed_hand(struct crm_dedupe_feed *fd)
{
	pthread_mutex_lock(&fd->mu);
	while (fd->busy)
		pthread_cond_wait(&fd->cv, &fd->mu);
	fd->fill = !fd->fill;
	fd->busy = true;
	pthread_cond_broadcast(&fd->cv);
	pthread_mutex_unlock(&fd->mu);
}

static bool feed_failed(struct crm_dedupe_feed *fd)
{
	bool failed;

	if (!fd->threaded)
		return fd->failed;
	pthread_mutex_lock(&fd->mu);
	failed = fd->failed;
	pthread_mutex_unlock(&fd->mu);
	return failed;
}

int crm_dedupe_feed_add(struct crm_dedupe_feed *fd, const char *id,
			const char *const *vals, long tag)
{
	struct feed_batch *b = &fd->b[fd->fill];
	size_t *o;

	if (feed_failed(fd))
		return -1;
	b->off = crm_xgrow(b->off, &b->offcap, (b->n + 1) * (fd->nv + 1),
			   sizeof(*b->off));
	b->tag = crm_xgrow(b->tag, &b->tagcap, b->n + 1, sizeof(*b->tag));
	o = b->off + b->n * (fd->nv + 1);
	o[0] = b->text.len;
	crm_buf_adds(&b->text, id ? id : "");
	crm_buf_addc(&b->text, '\0');
	for (size_t v = 0; v < fd->nv; v++) {
		o[v + 1] = vals[v] ? b->text.len : SIZE_MAX;
		if (vals[v]) {
			crm_buf_adds(&b->text, vals[v]);
			crm_buf_addc(&b->text, '\0');
		}
	}
	b->tag[b->n++] = tag;
	if (!fd->threaded) {
		fd->failed = !feed_run(fd, b);
		return fd->failed ? -1 : 0;
	}
	if (b->n == FEED_BATCH)
		feed_hand(fd);
	return 0;
}

int crm_dedupe_feed_end(struct crm_dedupe_feed *fd, struct crm_err *err,
			long *tag)
{
	int rc;

	if (fd->threaded) {
		if (fd->b[fd->fill].n)
			feed_hand(fd);
		pthread_mutex_lock(&fd->mu);
		fd->stop = true;
		pthread_cond_broadcast(&fd->cv);
		pthread_mutex_unlock(&fd->mu);
		pthread_join(fd->tid, NULL);
		pthread_mutex_destroy(&fd->mu);
		pthread_cond_destroy(&fd->cv);
	}
	rc = fd->failed ? -1 : 0;
	if (fd->failed) {
		*err = fd->err;
		*tag = fd->failtag;
	}
	for (int k = 0; k < 2; k++) {
		crm_buf_release(&fd->b[k].text);
		free(fd->b[k].off);
		free(fd->b[k].tag);
	}
	free(fd->vals);
	free(fd);
	return rc;
}

/* -- comparison -------------------------------------------------------- */

static int name_level(const struct crm_dedupe *dd, uint32_t a, uint32_t b,
		      uint32_t xa, uint32_t xb, bool first)
{
	const char *s, *t;
	double jw;

	if (!a || !b)
		return -1;
	if (a == b)
		return 3;
	s = str(dd, a);
	t = str(dd, b);
	if (first && xa == xb &&
	    !strcmp(crm_norm_nickname(s), crm_norm_nickname(t)))
		return 2;
	/* only 0.92 and 0.8 matter, and 0.8 not with the same code */
	jw = crm_match_jaro_winkler_min(s, t, xa && xa == xb ? 0.92 : 0.8);
	if (jw >= 0.92)
		return 2;
	if (jw >= 0.8 || (xa && xa == xb))
		return 1;
	/* an initial for a name: "J" and "John" */
	if ((!s[1] || !t[1]) && s[0] == t[0])
		return 1;
	return 0;
}

/* Two phone numbers (their last digits) one typo apart: a swap of two
 * digits, one digit more or less, or another digit before the last four.
 * Numbers of one organisation share all but their last digits (a range of
 * extensions), so one digit among those is another line, not a typo. */
static int phone_typo(const char *s, const char *t)
{
	size_t n = strlen(s), diff = 0, at = 0;

	if (crm_match_damerau_near(s, t) != 1)
		return 0;
	if (n != strlen(t))
		return 1;
	for (size_t k = 0; k < n; k++)
		if (s[k] != t[k]) {
			diff++;
			at = k;
		}
	return diff != 1 || at + 4 < n;
}

static int level(const struct crm_dedupe *dd, size_t f, size_t i, size_t j,
		 size_t fi, size_t fj)
{
	uint32_t a = dd->v[row(dd, i) + fi], b = dd->v[row(dd, j) + fj];
	const char *s, *t;

	switch (dd->types[f]) {
	case CRM_DD_FIRST_NAME:
	case CRM_DD_LAST_NAME:
		return name_level(dd, a, b, dd->x[row(dd, i) + fi],
				  dd->x[row(dd, j) + fj],
				  dd->types[fi] == CRM_DD_FIRST_NAME &&
				      dd->types[fj] == CRM_DD_FIRST_NAME);
	case CRM_DD_DATE:
		return crm_match_date(dd->x[row(dd, i) + f],
				      dd->x[row(dd, j) + f]);
	default:
		break;
	}
	if (!a || !b)
		return -1;
	s = str(dd, a);
	t = str(dd, b);
	if (a == b || (!tf_type(dd->types[f]) && !strcmp(s, t)))
		return type_levels[dd->types[f]] - 1; /* interned: a != b */
	switch (dd->types[f]) {
	case CRM_DD_NAME: {
		double ts = crm_match_token_set(s, t);
		double jw = crm_match_jaro_winkler_min(s, t, 0.85);
		if (ts >= 0.99 || jw >= 0.94)
			return 2;
		return ts >= 0.5 || jw >= 0.85;
	}
	case CRM_DD_EMAIL: {
		/* a sub-address ("+tag") at the same domain, or a typo; the
		 * same local part at another domain is someone else as often
		 * as not (john.smith@) */
		const char *as = strchr(s, '@'), *at = strchr(t, '@');
		if (as && at && !strcmp(as, at)) {
			size_t ls = strcspn(s, "+@"), lt = strcspn(t, "+@");
			if (ls == lt && !strncmp(s, t, ls))
				return 1;
		}
		return crm_match_damerau_near(s, t) <= 1;
	}
	case CRM_DD_PHONE:
		return phone_typo(s, t);
	case CRM_DD_POSTCODE:
	case CRM_DD_DOMAIN:
		return crm_match_damerau_near(s, t) <= 1;
	case CRM_DD_ADDRESS: {
		double ts = crm_match_token_set(s, t);
		if (ts >= 0.8)
			return 2;
		if (ts < 0.25) {
			/* few words in common: far apart, unless only typos
			 * and spaces tell them apart ("135vigo avenue") */
			return crm_match_jaro_winkler_min(
				   str(dd, dd->x[row(dd, i) + fi]),
				   str(dd, dd->x[row(dd, j) + fj]),
				   0.93) >= 0.93;
		}
		if (crm_match_jaro_winkler_min(s, t, 0.95) >= 0.95)
			return 2;
		return ts >= 0.5;
	}
	case CRM_DD_COMPANY: {
		/* the same words in another order count as the same name */
		double ts = crm_match_token_set(s, t);
		if (ts >= 0.99)
			return 2;
		return ts >= 0.5 ||
		       crm_match_jaro_winkler_min(s, t, 0.9) >= 0.9;
	}
	case CRM_DD_NUMBER:
		return crm_match_numeric(strtod(s, NULL), strtod(t, NULL)) >=
		       0.95;
	default:
		return crm_match_jaro_winkler_min(s, t, 0.9) >= 0.9;
	}
}

/* A memo of comparisons between two interned values (names, places):
 * values repeat, and so do their pairs. Keyed by the two offsets, which
 * also tell the fields apart; one per thread. */
#define MEMO_BITS 16

struct memo {
	uint32_t a, b;
	double val;
};

static struct memo *memo_slot(struct memo *mm, uint32_t a, uint32_t b)
{
	return mm + (mix64((uint64_t)a << 32 | b) >> (64 - MEMO_BITS));
}

/* Jaro-Winkler of two names from other fields (first with last), when at
 * least 0.79 (see compare). */
static double cross_jw(const struct crm_dedupe *dd, struct memo *mm, uint32_t a,
		       uint32_t b)
{
	struct memo *e = mm ? memo_slot(mm, a, b) : NULL;
	double v;

	if (e && e->a == a && e->b == b)
		return e->val;
	v = crm_match_jaro_winkler_min(str(dd, a), str(dd, b), 0.79);
	if (e)
		*e = (struct memo){a, b, v};
	return v;
}

/* Levels of every field for records i and j; mm a memo or NULL. */
static void compare(const struct crm_dedupe *dd, size_t i, size_t j, int *lv,
		    struct memo *mm)
{
	size_t fa = (size_t)dd->first, la = (size_t)dd->last;
	const uint32_t *vi = dd->v + row(dd, i), *vj = dd->v + row(dd, j);
	bool swap = false;

	if (dd->first >= 0 && dd->last >= 0) {
		/* first and last name written the other way round */
		if (vi[fa] && vi[la] && vj[fa] && vj[la] && vi[fa] != vj[fa] &&
		    vi[fa] == vj[la] && vi[la] == vj[fa])
			swap = true;
		else if (vi[fa] && vi[la] && vj[fa] && vj[la] &&
			 vi[fa] != vj[fa] && vi[la] != vj[la] &&
			 dd->x[row(dd, i) + fa] != dd->x[row(dd, j) + fa] &&
			 dd->x[row(dd, i) + la] != dd->x[row(dd, j) + la]) {
			/* crossed names close: s > 1.8 needs each above 0.8,
			 * so most pairs stop after one comparison */
			double s = cross_jw(dd, mm, vi[fa], vj[la]);
			if (s >= 0.79)
				s += cross_jw(dd, mm, vi[la], vj[fa]);
			if (s > 1.8) {
				double d =
				    crm_match_jaro_winkler(str(dd, vi[fa]),
							   str(dd, vj[fa])) +
				    crm_match_jaro_winkler(str(dd, vi[la]),
							   str(dd, vj[la]));
				swap = s > d + 0.3;
			}
		}
	}
	for (size_t f = 0; f < dd->nf; f++) {
		size_t g = f;
		struct memo *e;

		if (swap && f == fa)
			g = la;
		else if (swap && f == la)
			g = fa;
		if (!mm || g != f || !tf_type(dd->types[f]) || !vi[f] ||
		    !vj[f] || vi[f] == vj[f]) {
			lv[f] = level(dd, f, i, j, f, g);
			continue;
		}
		/* two interned values: the level depends on them alone */
		e = memo_slot(mm, vi[f], vj[f]);
		if (e->a != vi[f] || e->b != vj[f])
			*e = (struct memo){vi[f], vj[f],
					   level(dd, f, i, j, f, f)};
		lv[f] = (int)e->val;
	}
}

/* A duplicate shares at least one identifying value: an identity field
 * agrees, if only weakly (a nickname, a phone with a typo). */
static bool identity_agrees(const struct crm_dedupe *dd, const int *lv)
{
	for (size_t f = 0; f < dd->nf; f++)
		if (!dd->context[f] && lv[f] >= 1)
			return true;
	return false;
}

/* Whether EM may count a pair into the match class. Many people share a
 * name (a common name, a small country's pool of names): with names alone
 * EM takes namesakes for the match class, and learns that a match seldom
 * shares a phone. So for people the class is learnt from the pairs that
 * also agree on a key field (email, phone ...), when there is one; the
 * weights learnt then score every pair. */
static bool em_member(const struct crm_dedupe *dd, const int *lv)
{
	if (!dd->has_key)
		return identity_agrees(dd, lv);
	for (size_t f = 0; f < dd->nf; f++)
		if (dd->key[f] && lv[f] >= 1)
			return true;
	return false;
}

/* The match probability of the levels of i and j, exact agreement
 * term-frequency adjusted. m, u and lambda are all conditional on the pair
 * being a candidate (see estimate_m); so is the u of one value: u of exact
 * agreement, scaled by how much more or less often than the field's
 * average this value agrees among all pairs. */
static double probability(const struct crm_dedupe *dd, size_t i, const int *lv)
{
	double bf = dd->lambda / (1 - dd->lambda);

	if (!identity_agrees(dd, lv))
		return 0;
	for (size_t f = 0; f < dd->nf; f++) {
		int l = lv[f];
		double u;

		if (l < 0)
			continue;
		u = dd->u[f][l];
		if (l == type_levels[dd->types[f]] - 1 &&
		    tf_type(dd->types[f]) && dd->tfu[f] > 0) {
			uint32_t off = dd->v[row(dd, i) + f];
			if (off) {
				/* the chance another record has it, shrunk to
				 * the average on small data (50 pseudo-records)
				 */
				double tf =
				    ((double)count_of(dd, off) - 1 +
				     50 * dd->tfu[f]) /
				    ((double)dd->nonmissing[f] - 1 + 50);
				double uv = u * tf / dd->tfu[f];
				u = fmin(fmin(fmax(uv, u * 0.1), u * 10), 1);
			}
		}
		bf *= dd->m[f][l] / u;
	}
	if (isinf(bf))
		return 1;
	return bf / (1 + bf);
}

static bool rule_holds(const struct crm_dedupe *dd, const int *lv)
{
	for (size_t r = 0; r < dd->nrule; r++) {
		int k;
		for (k = 0; k < dd->rule[r].nterm; k++)
			if (lv[dd->rule[r].field[k]] < dd->rule[r].level[k])
				break;
		if (k == dd->rule[r].nterm)
			return true;
	}
	return false;
}

static double score(const struct crm_dedupe *dd, size_t i, size_t j)
{
	int lv[CRM_DD_MAXFIELDS];

	compare(dd, i, j, lv, NULL);
	if (dd->use_rule)
		return rule_holds(dd, lv) ? 1 : 0;
	return probability(dd, i, lv);
}

/* -- rules ------------------------------------------------------------- */

/* "a & b~ | c": OR ('|' or ',') of AND ('&' or '+') of fields; a field
 * alone must agree exactly, "field~" at least "similar". */
static int parse_rule(struct crm_dedupe *dd, const char *rule,
		      struct crm_err *err)
{
	struct crm_strv ors = {0};
	int rc = -1;
	char *copy = crm_xstrdup(rule);

	for (char *p = copy; *p; p++)
		if (*p == ',')
			*p = '|';
	crm_strv_split(&ors, copy, '|');
	if (!ors.n) {
		crm_err_set(err, CRM_EX_USAGE, "empty rule");
		goto out;
	}
	dd->rule = crm_xcalloc(ors.n, sizeof(*dd->rule));
	for (size_t r = 0; r < ors.n; r++) {
		struct crm_strv ands = {0};
		for (char *p = ors.v[r]; *p; p++)
			if (*p == '+')
				*p = '&';
		crm_strv_split(&ands, ors.v[r], '&');
		for (size_t k = 0; k < ands.n; k++) {
			char *t = ands.v[k];
			size_t len = strlen(t);
			bool similar = len && t[len - 1] == '~';
			long f = -1;

			if (similar)
				t[--len] = '\0';
			while (len && t[len - 1] == ' ')
				t[--len] = '\0';
			for (size_t g = 0; g < dd->nf; g++)
				if (!strcmp(dd->names[g], t))
					f = (long)g;
			if (f < 0 || k >= CRM_DD_MAXFIELDS) {
				crm_err_set(err, CRM_EX_USAGE,
					    "rule '%s': no compared field '%s'",
					    rule, t);
				crm_strv_release(&ands);
				goto out;
			}
			dd->rule[r].field[k] = (int)f;
			dd->rule[r].level[k] =
			    type_levels[dd->types[f]] - (similar ? 2 : 1);
			dd->rule[r].nterm++;
		}
		crm_strv_release(&ands);
		if (!dd->rule[r].nterm) {
			crm_err_set(err, CRM_EX_USAGE, "rule '%s': empty term",
				    rule);
			goto out;
		}
	}
	dd->nrule = ors.n;
	dd->use_rule = true;
	rc = 0;
out:
	crm_strv_release(&ors);
	free(copy);
	return rc;
}

/* -- blocking ---------------------------------------------------------- */

/* LSD radix sort of n 64-bit keys (with payload when slots). */
static void radix_slots(struct slot *a, size_t n)
{
	if (!n)
		return;
	struct slot *b = crm_xmalloc((n ? n : 1) * sizeof(*b));
	size_t *cnt = crm_xmalloc(65536 * sizeof(size_t));

	for (int pass = 0; pass < 4; pass++) {
		int sh = pass * 16;
		size_t sum = 0;
		memset(cnt, 0, 65536 * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			cnt[(a[i].key >> sh) & 0xFFFF]++;
		for (size_t k = 0; k < 65536; k++) {
			size_t c = cnt[k];
			cnt[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[(a[i].key >> sh) & 0xFFFF]++] = a[i];
		memcpy(a, b, n * sizeof(*a));
	}
	free(cnt);
	free(b);
}

/* The space-separated words of s, at most max. */
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

struct keys {
	uint64_t k[16];
	int n;
};

static void key_add(struct keys *ks, int kind, const char *a, const char *b)
{
	uint64_t h =
	    0xcbf29ce484222325ULL ^ (uint64_t)kind * 0x9E3779B97F4A7C15ULL;

	if (!a || !*a || (b && !*b) || ks->n == 16)
		return;
	h = hash64(a, strlen(a), h);
	if (b) {
		h = hash64("|", 1, h);
		h = hash64(b, strlen(b), h);
	}
	ks->k[ks->n++] = mix64(h);
}

/* The blocking keys of record i: equal email, equal phone, phonetic last
 * name with first initial, both phonetic names in either order, birth date
 * with either initial, postcode with last initial, company with first
 * initial, full name words, address. */
static void block_keys(const struct crm_dedupe *dd, size_t i, struct keys *ks)
{
	const uint32_t *v = dd->v + row(dd, i), *x = dd->x + row(dd, i);
	char fi[8] = "", li[8] = "", yy[8] = "";
	const char *fx = "", *lx = "";

	ks->n = 0;
	if (dd->first >= 0 && v[dd->first]) {
		const char *s = crm_norm_nickname(str(dd, v[dd->first]));
		fi[0] = s[0];
		fx = str(dd, x[dd->first]);
	}
	if (dd->last >= 0 && v[dd->last]) {
		li[0] = str(dd, v[dd->last])[0];
		lx = str(dd, x[dd->last]);
	}
	key_add(ks, 1, lx, fi);
	if (*fx && *lx)
		key_add(ks, 2, strcmp(fx, lx) < 0 ? fx : lx,
			strcmp(fx, lx) < 0 ? lx : fx);
	for (size_t f = 0; f < dd->nf; f++) {
		const char *s = str(dd, v[f]);
		int k = 10 + (int)f * 4;

		if (!v[f])
			continue;
		switch (dd->types[f]) {
		case CRM_DD_EMAIL:
		case CRM_DD_PHONE:
		case CRM_DD_DOMAIN:
			key_add(ks, k, s, NULL);
			break;
		case CRM_DD_DATE: {
			/* day and month in either order; one kind for both
			 * initials: a swapped name still shares a block */
			char ds[16];
			unsigned md = x[f] % 10000, a = md / 100, b = md % 100;
			if (!x[f])
				break;
			snprintf(ds, sizeof(ds), "%u%02u%02u", x[f] / 10000,
				 a < b ? a : b, a < b ? b : a);
			key_add(ks, k, ds, fi);
			key_add(ks, k, ds, li);
			if (!*fi && !*li)
				key_add(ks, k + 2, ds, NULL);
			break;
		}
		case CRM_DD_POSTCODE:
			key_add(ks, k, s, li);
			if (x[f])
				snprintf(yy, sizeof(yy), "%u", x[f] / 10000);
			break;
		case CRM_DD_COMPANY: {
			/* a person's employer: with an initial; a company's
			 * own name: whole, and each of its first words (big
			 * blocks of common words are windowed) */
			const char *w[3];
			int len[3], nw;
			char word[64];

			if (*fi || *li) {
				key_add(ks, k, s, *fi ? fi : li);
				break;
			}
			key_add(ks, k, s, NULL);
			nw = words(s, w, len, 3);
			for (int a = 0; nw > 1 && a < nw; a++) {
				if (len[a] < 2 ||
				    (size_t)len[a] >= sizeof(word))
					continue;
				memcpy(word, w[a], (size_t)len[a]);
				word[len[a]] = '\0';
				key_add(ks, k + 1, word, NULL);
			}
			break;
		}
		case CRM_DD_NAME: {
			/* the words in order, so "Lee Ann" meets "Ann Lee" */
			const char *w[8];
			int len[8], nw = words(s, w, len, 8);
			char sorted[256];
			size_t o = 0;
			for (int a = 1; a < nw; a++)
				for (int b = a;
				     b > 0 && strncmp(w[b - 1], w[b], 255) > 0;
				     b--) {
					const char *t = w[b];
					int tl = len[b];
					w[b] = w[b - 1];
					len[b] = len[b - 1];
					w[b - 1] = t;
					len[b - 1] = tl;
				}
			for (int a = 0;
			     a < nw && o + (size_t)len[a] + 2 < sizeof(sorted);
			     a++) {
				memcpy(sorted + o, w[a], (size_t)len[a]);
				o += (size_t)len[a];
				sorted[o++] = ' ';
			}
			sorted[o ? o - 1 : 0] = '\0';
			key_add(ks, k, sorted, NULL);
			break;
		}
		case CRM_DD_ADDRESS:
			key_add(ks, k, s, NULL);
			break;
		default:
			break;
		}
	}
	/* postcode with birth year */
	for (size_t f = 0; f < dd->nf; f++)
		if (dd->types[f] == CRM_DD_POSTCODE && v[f])
			for (size_t g = 0; g < dd->nf; g++)
				if (dd->types[g] == CRM_DD_DATE && x[g]) {
					snprintf(yy, sizeof(yy), "%u",
						 x[g] / 10000);
					key_add(ks, 5, str(dd, v[f]), yy);
				}
}

static int by_sortkey(const void *a, const void *b, void *arg)
{
	const uint64_t *sk = arg;
	const struct slot *x = a, *y = b;
	uint64_t p = sk[x->rec], q = sk[y->rec];

	if (p != q)
		return p < q ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* Blocking keys of records, a slice per task: tasks store their slots
 * by slice number, so the order is the records' whatever the threads. */
struct keys_job {
	const struct crm_dedupe *dd;
	size_t chunk;
	struct slot **buf;
	size_t *len;
};

static void keys_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct keys_job *job = arg;
	struct slot *b = NULL;
	size_t n = 0, cap = 0;
	struct keys ks;

	(void)w;
	for (size_t i = lo; i < hi; i++) {
		block_keys(job->dd, i, &ks);
		b = crm_xgrow(b, &cap, n + (size_t)ks.n, sizeof(*b));
		for (int k = 0; k < ks.n; k++)
			b[n++] = (struct slot){ks.k[k], (uint32_t)i};
	}
	job->buf[lo / job->chunk] = b;
	job->len[lo / job->chunk] = n;
}

/* Big blocks in sort key order, so that neighbours are alike. */
struct sort_job {
	struct crm_dedupe *dd;
	const size_t *big; /* start and end of each big block */
};

static void sort_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct sort_job *job = arg;

	(void)w;
	for (size_t k = lo; k < hi; k++) {
		size_t s = job->big[2 * k], e = job->big[2 * k + 1];
		qsort_r(job->dd->slots + s, e - s, sizeof(*job->dd->slots),
			by_sortkey, job->dd->sortkey);
	}
}

/* Candidate pairs record by record: the partners of record a are the
 * later records sharing one of its blocks (in a big block, within window
 * places of it), sorted and unique; so the pairs come out in order with
 * no global sort. Each slice of records keeps its partners, joined in
 * slice order after. */
struct pairs_job {
	const struct crm_dedupe *dd;
	const uint32_t *recs;  /* the slots' records, in slot order */
	const size_t *rfirst;  /* per record: its first entry in range */
	const uint32_t *range; /* per entry: the slots it is compared with */
	size_t chunk;
	size_t *count;	/* per record: how many partners */
	uint32_t **buf; /* per slice: the partners of its records, in turn */
};

static size_t partners(const struct pairs_job *job, size_t a, uint32_t *out)
{
	size_t n = 0, m = 0;

	for (size_t k = job->rfirst[a]; k < job->rfirst[a + 1]; k++)
		for (size_t r = job->range[2 * k]; r < job->range[2 * k + 1];
		     r++)
			if (job->recs[r] > a)
				out[n++] = job->recs[r];
	for (size_t i = 1; i < n; i++) { /* few: insertion sort */
		uint32_t v = out[i];
		size_t j = i;
		for (; j > 0 && out[j - 1] > v; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	for (size_t i = 0; i < n; i++)
		if (!i || out[i] != out[i - 1])
			out[m++] = out[i];
	return m;
}

static void pairs_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct pairs_job *job = arg;
	const struct crm_dedupe *dd = job->dd;
	size_t most = 0, n = 0, cap = 0;
	uint32_t *b = NULL;

	(void)w;
	/* at most a block's worth (or two windows) per slot */
	for (size_t a = lo; a < hi; a++) {
		size_t k = job->rfirst[a + 1] - job->rfirst[a];
		if (k > most)
			most = k;
	}
	most *= dd->max_block > 2 * dd->window + 1 ? dd->max_block
						   : 2 * dd->window + 1;
	for (size_t a = lo; a < hi; a++) {
		/* the blocks of a record a few ahead are anywhere */
		if (a + 4 < hi)
			for (size_t k = job->rfirst[a + 4];
			     k < job->rfirst[a + 5]; k++)
				__builtin_prefetch(job->recs +
						   job->range[2 * k]);
		b = crm_xgrow(b, &cap, n + most + 1, sizeof(*b));
		job->count[a] = partners(job, a, b + n);
		n += job->count[a];
	}
	job->buf[lo / job->chunk] = b;
}

/* Candidate pairs: all pairs of a block up to max_block records, each
 * record with its window neighbours (by sort key) in bigger ones. */
static void block(struct crm_dedupe *dd)
{
	size_t chunk = 16384, nchunks = dd->n / chunk + 1, nbig = 0, w;
	struct keys_job kj = {dd, chunk, crm_xcalloc(nchunks, sizeof(*kj.buf)),
			      crm_xcalloc(nchunks, sizeof(*kj.len))};
	struct pairs_job pj = {dd};
	size_t *big = NULL, bigcap = 0, *rfirst;
	uint32_t *range, *recs;
	size_t total = 0;

	crm_par_for(dd->threads, dd->n, chunk, keys_slice, &kj);
	dd->nslots = 0;
	for (size_t c = 0; c < nchunks; c++)
		dd->nslots += kj.len[c];
	free(dd->slots);
	dd->slots =
	    crm_xmalloc((dd->nslots ? dd->nslots : 1) * sizeof(*dd->slots));
	for (size_t c = 0, at = 0; c < nchunks; c++) {
		if (kj.len[c])
			memcpy(dd->slots + at, kj.buf[c],
			       kj.len[c] * sizeof(*dd->slots));
		at += kj.len[c];
		free(kj.buf[c]);
	}
	free(kj.buf);
	free(kj.len);
	radix_slots(dd->slots, dd->nslots);

	/* the big blocks sorted */
	for (size_t s = 0; s < dd->nslots; s = w) {
		for (w = s + 1;
		     w < dd->nslots && dd->slots[w].key == dd->slots[s].key;
		     w++)
			;
		if (w - s > dd->max_block) {
			big =
			    crm_xgrow(big, &bigcap, 2 * nbig + 2, sizeof(*big));
			big[2 * nbig] = s;
			big[2 * nbig + 1] = w;
			nbig++;
		}
	}
	crm_par_for(dd->threads, nbig, 16, sort_slice,
		    &(struct sort_job){dd, big});
	free(big);

	/* each record's slots, as the ranges of slots it meets there: its
	 * block, or its window in a big one */
	rfirst = crm_xcalloc(dd->n + 2, sizeof(*rfirst));
	range = crm_xmalloc((dd->nslots ? dd->nslots : 1) * 2 * sizeof(*range));
	recs = crm_xmalloc((dd->nslots ? dd->nslots : 1) * sizeof(*recs));
	for (size_t q = 0; q < dd->nslots; q++) {
		rfirst[dd->slots[q].rec + 2]++;
		recs[q] = dd->slots[q].rec;
	}
	for (size_t i = 2; i < dd->n + 2; i++)
		rfirst[i] += rfirst[i - 1];
	for (size_t s = 0; s < dd->nslots; s = w) {
		for (w = s + 1;
		     w < dd->nslots && dd->slots[w].key == dd->slots[s].key;
		     w++)
			;
		for (size_t q = s; q < w; q++) {
			size_t k = rfirst[dd->slots[q].rec + 1]++, lo = s,
			       hi = w;
			if (w - s > dd->max_block) {
				if (q - s > dd->window)
					lo = q - dd->window;
				if (w - q > dd->window + 1)
					hi = q + dd->window + 1;
			}
			range[2 * k] = (uint32_t)lo;
			range[2 * k + 1] = (uint32_t)hi;
		}
	}
	pj = (struct pairs_job){dd,
				recs,
				rfirst,
				range,
				chunk,
				crm_xmalloc((dd->n + 1) * sizeof(size_t)),
				crm_xcalloc(nchunks, sizeof(uint32_t *))};
	crm_par_for(dd->threads, dd->n, chunk, pairs_slice, &pj);
	for (size_t a = 0; a < dd->n; a++)
		total += pj.count[a];
	free(dd->pairs);
	dd->pairs = crm_xmalloc((total ? total : 1) * sizeof(*dd->pairs));
	dd->npairs = 0;
	for (size_t c = 0; c < nchunks; c++) {
		const uint32_t *b = pj.buf[c];
		for (size_t a = c * chunk; a < dd->n && a < (c + 1) * chunk;
		     a++)
			for (size_t k = 0; k < pj.count[a]; k++)
				dd->pairs[dd->npairs++] =
				    (uint64_t)a << 32 | *b++;
		free(pj.buf[c]);
	}
	free(pj.buf);
	free(pj.count);
	free(rfirst);
	free(range);
	free(recs);
}

/* -- the model --------------------------------------------------------- */

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct pattern {
	uint32_t code;
	double count;
};

static uint32_t encode(const struct crm_dedupe *dd, const int *lv)
{
	uint32_t c = 0;

	for (size_t f = 0; f < dd->nf; f++)
		c = c << 3 | (uint32_t)(lv[f] + 1);
	return c;
}

static void decode_lv(const struct crm_dedupe *dd, uint32_t c, int *lv)
{
	for (size_t f = dd->nf; f-- > 0;) {
		lv[f] = (int)(c & 7) - 1;
		c >>= 3;
	}
}

/* -- comparing pairs on all threads ----------------------------------- */

struct compare_job {
	const struct crm_dedupe *dd;
	const uint64_t *pairs;
	uint32_t *codes;
	struct memo **memos;
};

static void compare_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct compare_job *job = arg;
	const struct crm_dedupe *dd = job->dd;
	const uint64_t *pairs = job->pairs;
	int lv[CRM_DD_MAXFIELDS];

	if (!job->memos[w])
		job->memos[w] =
		    crm_xcalloc((size_t)1 << MEMO_BITS, sizeof(struct memo));
	for (size_t p = lo; p < hi; p++) {
		/* the second record of a pair is anywhere in memory: ask
		 * for its fields, then its values, a few pairs ahead */
		if (p + 16 < hi) {
			size_t j = (uint32_t)pairs[p + 16];
			__builtin_prefetch(dd->v + row(dd, j));
			__builtin_prefetch(dd->x + row(dd, j));
		}
		if (p + 8 < hi) {
			size_t j = (uint32_t)pairs[p + 8];
			for (size_t f = 0; f < dd->nf; f++)
				__builtin_prefetch(dd->arena.s +
						   dd->v[row(dd, j) + f]);
		}
		compare(dd, pairs[p] >> 32, (uint32_t)pairs[p], lv,
			job->memos[w]);
		job->codes[p] = encode(dd, lv);
	}
}

/* The levels of pairs (i << 32 | j) as codes; memos has one per worker
 * (CRM_PAR_MAX, NULL until used). */
static void compare_all(const struct crm_dedupe *dd, const uint64_t *pairs,
			size_t n, uint32_t *codes, struct memo **memos)
{
	struct compare_job job = {dd, pairs, codes, memos};

	crm_par_for(dd->threads, n, 16384, compare_slice, &job);
}

/* tfu: for each field with a term-frequency adjustment, the chance that
 * two distinct records with a value have the same one (the interned
 * values' counts say it exactly). */
static void estimate_tf(struct crm_dedupe *dd)
{
	double same[CRM_DD_MAXFIELDS] = {0};

	for (size_t j = 0; j < dd->captab; j++) {
		const char *o;
		double c;

		if (!dd->tab[j].off)
			continue;
		o = str(dd, dd->tab[j].off);
		if ((unsigned char)o[-5] >= dd->nf) /* a phonetic code */
			continue;
		c = count_of(dd, dd->tab[j].off);
		same[(unsigned char)o[-5]] += c * (c - 1);
	}
	for (size_t f = 0; f < dd->nf; f++) {
		double n = (double)dd->nonmissing[f];
		dd->tfu[f] = n > 1 ? same[f] / (n * (n - 1)) : 0;
	}
}

/* u: level frequencies among random pairs (nearly all non-matches). */
static void estimate_u(struct crm_dedupe *dd, struct memo **memos)
{
	double cnt[CRM_DD_MAXFIELDS][4] = {{0}}, tot[CRM_DD_MAXFIELDS] = {0};
	uint64_t seed = 0x9E3779B97F4A7C15ULL, all, *pairs;
	size_t samples, n = 0;
	uint32_t *codes;
	int lv[CRM_DD_MAXFIELDS];

	all = (uint64_t)dd->n * (dd->n - 1) / 2;
	samples = all < 200000 ? (size_t)all : 200000;
	pairs = crm_xmalloc((samples ? samples : 1) * sizeof(*pairs));
	for (size_t s = 0; s < samples; s++) {
		size_t i, j;
		if (all <= 200000) { /* every pair, in order */
			i = (size_t)((1 + sqrt(1 + 8.0 * (double)s)) / 2);
			while (i * (i - 1) / 2 > s)
				i--;
			while ((i + 1) * i / 2 <= s)
				i++;
			j = s - i * (i - 1) / 2;
		} else {
			i = rng(&seed) % dd->n;
			j = rng(&seed) % dd->n;
			if (i == j)
				continue;
		}
		pairs[n++] = (uint64_t)i << 32 | j;
	}
	codes = crm_xmalloc((n ? n : 1) * sizeof(*codes));
	compare_all(dd, pairs, n, codes, memos);
	for (size_t k = 0; k < n; k++) {
		decode_lv(dd, codes[k], lv);
		for (size_t f = 0; f < dd->nf; f++)
			if (lv[f] >= 0) {
				cnt[f][lv[f]]++;
				tot[f]++;
			}
	}
	free(codes);
	free(pairs);
	for (size_t f = 0; f < dd->nf; f++) {
		int L = type_levels[dd->types[f]];
		/* a level never seen among random pairs still happens by
		 * chance: the prior below, and at least 1e-6 */
		double floor = 1e-6;
		double sum = 0, prior = 50;
		for (int l = 0; l < L; l++) {
			/* a small data set says little about chance
			 * agreement: 50 pseudo-pairs that mostly differ */
			double pr = l == 0 ? 0.97 : 0.03 / (L - 1) / (l * l);
			dd->u[f][l] = fmax(
			    (cnt[f][l] + prior * pr) / (tot[f] + prior), floor);
			sum += dd->u[f][l];
		}
		for (int l = 0; l < L; l++)
			dd->u[f][l] /= sum;
	}
}

/* m, u and lambda by EM over the distinct level patterns of the candidate
 * pairs; weak priors keep small data sets sane, and u never falls below
 * that of random pairs.
 *
 * All three are conditional on the pair being a candidate: blocking chose
 * the pairs for agreeing on something (a company and an initial, a phonetic
 * name ...), so among candidates that agreement is common and says little;
 * u from random pairs would count it a second time on top of a match rate
 * that already reflects it.
 *
 * Colleagues agree on company, email domain, city, region and country all
 * at once, and in a CRM most candidate pairs are colleagues: EM would take
 * "same company" for the match class, were it not that a match must share
 * an identifying value (em_member; colleagues seldom share an email or a
 * phone, see phone_typo). Estimated among candidates, where colleagues
 * abound, those context fields then weigh little; among people who merely
 * live in one place they still count. */
static void estimate_m(struct crm_dedupe *dd, const uint32_t *codes)
{
	struct pattern *pt = NULL;
	size_t np = 0, cap = 0, tcap = 1024, *tab;
	double prior = 10; /* pseudo-pairs for the priors */
	double u0[CRM_DD_MAXFIELDS][4];
	int lv[CRM_DD_MAXFIELDS];

	tab = crm_xmalloc(tcap * sizeof(*tab));
	memset(tab, 0xFF, tcap * sizeof(*tab));
	for (size_t p = 0; p < dd->npairs; p++) {
		uint32_t c = codes[p];
		size_t j;
		for (j = mix64(c) & (tcap - 1); tab[j] != SIZE_MAX;
		     j = (j + 1) & (tcap - 1))
			if (pt[tab[j]].code == c)
				break;
		if (tab[j] == SIZE_MAX) {
			pt = crm_xgrow(pt, &cap, np + 1, sizeof(*pt));
			pt[np] = (struct pattern){c, 0};
			tab[j] = np++;
			if (np * 2 > tcap) { /* rehash */
				tcap *= 2;
				tab = crm_xrealloc(tab, tcap * sizeof(*tab));
				memset(tab, 0xFF, tcap * sizeof(*tab));
				for (size_t k = 0; k < np; k++) {
					size_t q =
					    mix64(pt[k].code) & (tcap - 1);
					while (tab[q] != SIZE_MAX)
						q = (q + 1) & (tcap - 1);
					tab[q] = k;
				}
				j = SIZE_MAX;
			}
		}
		if (j == SIZE_MAX) {
			for (j = mix64(c) & (tcap - 1); pt[tab[j]].code != c;
			     j = (j + 1) & (tcap - 1))
				;
		}
		pt[tab[j]].count++;
	}
	free(tab);
	/* priors: a match mostly agrees exactly */
	for (size_t f = 0; f < dd->nf; f++) {
		int L = type_levels[dd->types[f]];
		for (int l = 0; l < L; l++)
			dd->m[f][l] = l == L - 1 ? 0.85 : 0.15 / (L - 1);
	}
	memcpy(u0, dd->u, sizeof(u0));
	dd->lambda = 0.3;
	for (int it = 0; it < 40; it++) {
		double mc[CRM_DD_MAXFIELDS][4] = {{0}};
		double uc[CRM_DD_MAXFIELDS][4] = {{0}};
		double mt[CRM_DD_MAXFIELDS] = {0}, ut[CRM_DD_MAXFIELDS] = {0};
		double wsum = 0, total = 0;

		for (size_t k = 0; k < np; k++) {
			double a = dd->lambda, b = 1 - dd->lambda, w;
			decode_lv(dd, pt[k].code, lv);
			for (size_t f = 0; f < dd->nf; f++) {
				if (lv[f] < 0)
					continue;
				a *= dd->m[f][lv[f]];
				b *= dd->u[f][lv[f]];
			}
			w = em_member(dd, lv) ? a / (a + b) * pt[k].count : 0;
			wsum += w;
			total += pt[k].count;
			for (size_t f = 0; f < dd->nf; f++) {
				if (lv[f] < 0)
					continue;
				mc[f][lv[f]] += w;
				mt[f] += w;
				uc[f][lv[f]] += pt[k].count - w;
				ut[f] += pt[k].count - w;
			}
		}
		dd->lambda = (wsum + prior * 0.3) / (total + prior);
		dd->lambda = fmin(fmax(dd->lambda, 1e-4), 0.9999);
		for (size_t f = 0; f < dd->nf; f++) {
			int L = type_levels[dd->types[f]];
			for (int l = 0; l < L; l++) {
				double pr = l == L - 1 ? 0.85 : 0.15 / (L - 1);
				dd->m[f][l] =
				    (mc[f][l] + prior * pr) / (mt[f] + prior);
				dd->m[f][l] = fmax(dd->m[f][l], 1e-4);
				/* non-matches among candidates: the random
				 * pairs' u is their prior */
				dd->u[f][l] = (uc[f][l] + prior * u0[f][l]) /
					      (ut[f] + prior);
				dd->u[f][l] = fmax(dd->u[f][l], u0[f][l]);
			}
		}
	}
	free(pt);
}

/* -- clustering -------------------------------------------------------- */

static uint32_t find(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static int by_prob(const void *a, const void *b, void *arg)
{
	const float *p = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (p[x] != p[y])
		return p[x] > p[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Strongest links first; two clusters join only when their centers match
 * each other, so a chain of weak links never grows a cluster. */
static void cluster(struct crm_dedupe *dd)
{
	size_t *edges =
	    crm_xmalloc((dd->nmatch ? dd->nmatch : 1) * sizeof(size_t));
	size_t ne = 0;

	dd->parent = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->size = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->center = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->cluster = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->best = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(float));
	for (size_t i = 0; i < dd->n; i++) {
		dd->parent[i] = dd->center[i] = dd->cluster[i] = (uint32_t)i;
		dd->size[i] = 1;
		dd->best[i] = -1;
	}
	for (size_t p = 0; p < dd->npairs; p++)
		if (dd->prob[p] >= dd->threshold)
			edges[ne++] = p;
	qsort_r(edges, ne, sizeof(*edges), by_prob, dd->prob);
	for (size_t k = 0; k < ne; k++) {
		uint32_t a = (uint32_t)(dd->pairs[edges[k]] >> 32);
		uint32_t b = (uint32_t)dd->pairs[edges[k]];
		uint32_t ra = find(dd->parent, a), rb = find(dd->parent, b);
		uint32_t ca, cb;
		double p = dd->prob[edges[k]];

		if (ra == rb)
			continue;
		ca = dd->center[ra];
		cb = dd->center[rb];
		if (ca != a || cb != b)
			p = score(dd, ca, cb);
		if (p < dd->threshold)
			continue;
		if (dd->size[ra] < dd->size[rb] ||
		    (dd->size[ra] == dd->size[rb] && ca > cb)) {
			uint32_t t = ra;
			ra = rb;
			rb = t;
		}
		dd->parent[rb] = ra;
		dd->size[ra] += dd->size[rb];
	}
	free(edges);
	/* each record's link to its center; the cluster is its first
	 * member */
	for (size_t i = 0; i < dd->n; i++) {
		uint32_t r = find(dd->parent, (uint32_t)i);
		if (i < dd->cluster[r])
			dd->cluster[r] = (uint32_t)i;
	}
	for (size_t i = 0; i < dd->n; i++) {
		uint32_t r = find(dd->parent, (uint32_t)i), c = dd->center[r];
		if (dd->size[r] < 2 || c == i)
			continue;
		dd->best[i] = (float)score(dd, i, c);
		if (dd->best[i] > dd->best[c])
			dd->best[c] = dd->best[i];
	}
}

struct prob_job {
	struct crm_dedupe *dd;
	const uint32_t *codes;
};

static void prob_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct prob_job *job = arg;
	struct crm_dedupe *dd = job->dd;
	int lv[CRM_DD_MAXFIELDS];

	(void)w;
	for (size_t p = lo; p < hi; p++) {
		decode_lv(dd, job->codes[p], lv);
		dd->prob[p] =
		    (float)(dd->use_rule
				? rule_holds(dd, lv)
				: probability(dd, dd->pairs[p] >> 32, lv));
	}
}

int crm_dedupe_run(struct crm_dedupe *dd, const struct crm_dedupe_opts *o,
		   struct crm_err *err)
{
	struct memo *memos[CRM_PAR_MAX] = {0};
	struct prob_job pj;
	uint32_t *codes;

	dd->threshold = o->threshold;
	dd->max_block = o->max_block ? o->max_block : 16;
	dd->window = o->window ? o->window : 4;
	dd->threads = o->threads;
	if (o->rule && parse_rule(dd, o->rule, err) < 0)
		return -1;
	block(dd);
	estimate_tf(dd);
	estimate_u(dd, memos);
	codes = crm_xmalloc((dd->npairs ? dd->npairs : 1) * sizeof(*codes));
	compare_all(dd, dd->pairs, dd->npairs, codes, memos);
	for (size_t w = 0; w < CRM_PAR_MAX; w++)
		free(memos[w]);
	estimate_m(dd, codes);
	dd->prob =
	    crm_xmalloc((dd->npairs ? dd->npairs : 1) * sizeof(*dd->prob));
	pj = (struct prob_job){dd, codes};
	crm_par_for(dd->threads, dd->npairs, 65536, prob_slice, &pj);
	dd->nmatch = 0;
	for (size_t p = 0; p < dd->npairs; p++)
		if (dd->prob[p] >= dd->threshold)
			dd->nmatch++;
	free(codes);
	cluster(dd);
	return 0;
}

/* -- results ----------------------------------------------------------- */

size_t crm_dedupe_count(const struct crm_dedupe *dd)
{
	return dd->n;
}

const char *crm_dedupe_id(const struct crm_dedupe *dd, size_t i)
{
	return str(dd, dd->id[i]);
}

size_t crm_dedupe_cluster(const struct crm_dedupe *dd, size_t i)
{
	return dd->cluster[find(dd->parent, (uint32_t)i)];
}

size_t crm_dedupe_cluster_size(const struct crm_dedupe *dd, size_t i)
{
	return dd->size[find(dd->parent, (uint32_t)i)];
}

double crm_dedupe_prob(const struct crm_dedupe *dd, size_t i)
{
	return dd->best[i];
}

void crm_dedupe_stats(const struct crm_dedupe *dd, uint64_t *pairs,
		      uint64_t *matches)
{
	*pairs = dd->npairs;
	*matches = dd->nmatch;
}

size_t crm_dedupe_nfields(const struct crm_dedupe *dd)
{
	return dd->nf;
}

const char *crm_dedupe_field(const struct crm_dedupe *dd, size_t f)
{
	return dd->names[f];
}

const char *crm_dedupe_level_name(const struct crm_dedupe *dd, size_t f,
				  int level)
{
	static const char *const three[] = {"differ", "similar", "exact"};
	static const char *const four[] = {"differ", "weak", "similar",
					   "exact"};

	if (level < 0)
		return NULL;
	return type_levels[dd->types[f]] == 4 ? four[level] : three[level];
}

int crm_dedupe_each_pair(struct crm_dedupe *dd, double threshold,
			 int (*fn)(size_t a, size_t b, double p,
				   const int *levels, void *arg),
			 void *arg)
{
	int lv[CRM_DD_MAXFIELDS];

	for (size_t p = 0; p < dd->npairs; p++) {
		size_t a = dd->pairs[p] >> 32, b = (uint32_t)dd->pairs[p];
		if (dd->prob[p] < threshold)
			continue;
		compare(dd, a, b, lv, NULL);
		if (fn(a, b, dd->prob[p], lv, arg) < 0)
			return -1;
	}
	return 0;
}

static int by_key(const void *k, const void *s)
{
	uint64_t a = *(const uint64_t *)k, b = ((const struct slot *)s)->key;

	return a < b ? -1 : a > b;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

long crm_dedupe_candidates(struct crm_dedupe *dd, const char *const *vals,
			   double threshold,
			   int (*fn)(size_t i, double p, void *arg), void *arg,
			   struct crm_err *err)
{
	struct keys ks;
	long q, found = 0;
	size_t n0 = dd->n, nc = 0, cap = 0;
	uint32_t *cand = NULL;

	if (!dd->parent)
		return crm_err_set(err, CRM_EX_SOFTWARE, "dedupe not run");
	/* the record is added, compared and taken back out (its interned
	 * values stay, a count one too high: a term frequency bears that) */
	q = crm_dedupe_add(dd, "", vals, err);
	if (q < 0)
		return -1;
	block_keys(dd, (size_t)q, &ks);
	for (int k = 0; k < ks.n; k++) {
		/* (no slots at all: an empty table, and a NULL array) */
		struct slot *s = dd->nslots
				     ? bsearch(&ks.k[k], dd->slots, dd->nslots,
					       sizeof(*dd->slots), by_key)
				     : NULL;
		size_t lo, hi;
		if (!s)
			continue;
		lo = hi = (size_t)(s - dd->slots);
		while (lo > 0 && dd->slots[lo - 1].key == ks.k[k])
			lo--;
		while (hi < dd->nslots && dd->slots[hi].key == ks.k[k])
			hi++;
		if (hi - lo > dd->max_block * 4)
			hi = lo + dd->max_block * 4;
		cand = crm_xgrow(cand, &cap, nc + (hi - lo), sizeof(*cand));
		for (size_t j = lo; j < hi; j++)
			cand[nc++] = dd->slots[j].rec;
	}
	if (nc)
		qsort(cand, nc, sizeof(*cand), by_u32);
	for (size_t j = 0; j < nc; j++) {
		double p;
		if (j && cand[j] == cand[j - 1])
			continue;
		p = score(dd, (size_t)q, cand[j]);
		if (p < threshold)
			continue;
		found++;
		if (fn(cand[j], p, arg) < 0) {
			found = -1;
			break;
		}
	}
	free(cand);
	dd->n = n0;
	return found;
}
