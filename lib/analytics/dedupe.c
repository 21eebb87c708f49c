/* dedupe.c - duplicate detection: field types, the records (added here or
 * on another thread), rules, the run and its results. Blocking is in
 * dedupe_block.c, comparison in dedupe_compare.c, the Fellegi-Sunter model
 * and EM in dedupe_em.c, clustering in dedupe_cluster.c. See dedupe.h.
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

#include "dedupe.h"
#include "dedupe_impl.h"
#include "match.h"
#include "normalize.h"
#include "par.h"

static const char *const type_names[CRM_DD_NTYPES] = {
    "ignore",	"first_name", "last_name", "name", "email",  "phone",  "date",
    "postcode", "address",    "company",   "text", "number", "domain",
};

/* Levels per type (the top one is "exact"). */
const int crm_dd_type_levels[CRM_DD_NTYPES] = {
    0, 4, 4, 4, 3, 3, 4, 3, 4, 3, 3, 3, 3,
};

int crm_dd_type_parse(const char *s)
{
	return crm_name_index(type_names, CRM_DD_NTYPES, s);
}

const char *crm_dd_type_name(int type)
{
	return crm_name_of(type_names, CRM_DD_NTYPES, type);
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

bool crm_dd_tf_type(int t)
{
	return t == CRM_DD_FIRST_NAME || t == CRM_DD_LAST_NAME ||
	       t == CRM_DD_NAME || t == CRM_DD_POSTCODE ||
	       t == CRM_DD_COMPANY || t == CRM_DD_TEXT;
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
	h = (uint32_t)crm_mix64(crm_fnv1a64(s, len, CRM_FNV_BASIS ^ f));
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
	crm_strs_free(dd->names, dd->nf);
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
	for (p = crm_norm_url_host(s);
	     *p && *p != '/' && *p != ' ' && *p != '?' && *p != ':'; p++)
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
			for (j = crm_mix64(crm_fnv1a64(o, strlen(o), 0)) &
				 (cap - 1);
			     t[j]; j = (j + 1) & (cap - 1))
				;
			t[j] = dd->idtab[i];
		}
		free(dd->idtab);
		dd->idtab = t;
		dd->capid = cap;
	}
	for (j = crm_mix64(crm_fnv1a64(id, len, 0)) & (dd->capid - 1);
	     dd->idtab[j]; j = (j + 1) & (dd->capid - 1))
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
		if (crm_dd_tf_type(t)) {
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
			    crm_dd_type_levels[dd->types[f]] -
			    (similar ? 2 : 1);
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

/* -- the run ----------------------------------------------------------- */

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
		crm_dd_decode_lv(dd, job->codes[p], lv);
		dd->prob[p] =
		    (float)(dd->use_rule ? crm_dd_rule_holds(dd, lv)
					 : crm_dd_probability(
					       dd, dd->pairs[p] >> 32, lv));
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
	crm_dd_block(dd);
	crm_dd_estimate_tf(dd);
	crm_dd_estimate_u(dd, memos);
	codes = crm_xmalloc((dd->npairs ? dd->npairs : 1) * sizeof(*codes));
	crm_dd_compare_all(dd, dd->pairs, dd->npairs, codes, memos);
	for (size_t w = 0; w < CRM_PAR_MAX; w++)
		free(memos[w]);
	crm_dd_estimate_m(dd, codes);
	dd->prob =
	    crm_xmalloc((dd->npairs ? dd->npairs : 1) * sizeof(*dd->prob));
	pj = (struct prob_job){dd, codes};
	crm_par_for(dd->threads, dd->npairs, 65536, prob_slice, &pj);
	dd->nmatch = 0;
	for (size_t p = 0; p < dd->npairs; p++)
		if (dd->prob[p] >= dd->threshold)
			dd->nmatch++;
	free(codes);
	crm_dd_cluster(dd);
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
	return dd->cluster[crm_dd_find(dd->parent, (uint32_t)i)];
}

size_t crm_dedupe_cluster_size(const struct crm_dedupe *dd, size_t i)
{
	return dd->size[crm_dd_find(dd->parent, (uint32_t)i)];
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
	return crm_dd_type_levels[dd->types[f]] == 4 ? four[level]
						     : three[level];
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
		crm_dd_compare(dd, a, b, lv, NULL);
		if (fn(a, b, dd->prob[p], lv, arg) < 0)
			return -1;
	}
	return 0;
}
