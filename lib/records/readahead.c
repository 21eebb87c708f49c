/* readahead.c - see readahead.h. A ring of slots: the reading thread fills
 * them in order, the caller empties them in order; each side tells the
 * other only every BATCH slots (or when it must wait), so the lock costs
 * little next to a record's work. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "readahead.h"
#include "util.h"

enum { RING = 256, BATCH = 32 };

struct slot {
	struct crm_rec rec;
	void *data;
	int got, prepared;
	struct crm_err err;
};

struct crm_readahead {
	struct crm_reader *r;
	struct crm_readahead_ops ops;
	struct slot *s;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t made; /* slots filled, as the reader last told */
	uint64_t used; /* slots given back, as the caller last told */
	bool stop;
	/* the caller's own */
	uint64_t next; /* the slot handed out next */
	uint64_t seen; /* made, as the caller last looked */
};

static void *run(void *arg)
{
	struct crm_readahead *ra = arg;
	uint64_t n = 0, room;
	bool end = false;

	while (!end) {
		pthread_mutex_lock(&ra->mu);
		while (!ra->stop && n - ra->used >= RING)
			pthread_cond_wait(&ra->cv, &ra->mu);
		room = ra->stop ? 0 : RING - (n - ra->used);
		pthread_mutex_unlock(&ra->mu);
		if (!room)
			break;
		for (uint64_t k = 0; k < room && k < BATCH && !end; k++, n++) {
			struct slot *s = &ra->s[n % RING];

			crm_err_clear(&s->err);
			s->got = crm_reader_next(ra->r, &s->rec, &s->err);
			s->prepared =
			    s->got > 0 ? ra->ops.prepare(ra->ops.arg, &s->rec,
							 s->data, &s->err)
				       : 0;
			end = s->got <= 0;
		}
		pthread_mutex_lock(&ra->mu);
		ra->made = n;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
	}
	return NULL;
}

struct crm_readahead *crm_readahead_new(struct crm_reader *r,
					const struct crm_readahead_ops *ops)
{
	struct crm_readahead *ra = crm_xcalloc(1, sizeof(*ra));

	ra->r = r;
	ra->ops = *ops;
	ra->s = crm_xcalloc(RING, sizeof(*ra->s));
	for (size_t i = 0; i < RING; i++) {
		crm_rec_init(&ra->s[i].rec);
		ra->s[i].data = ops->init(ops->arg);
	}
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->cv, NULL);
	if (pthread_create(&ra->th, NULL, run, ra) != 0) {
		ra->stop = true; /* nothing to join */
		crm_readahead_free(ra);
		return NULL;
	}
	return ra;
}

int crm_readahead_next(struct crm_readahead *ra, const struct crm_rec **rec,
		       void **data, int *prepared, struct crm_err *err)
{
	struct slot *s;

	/* the slot handed out last is done with */
	if (ra->next % BATCH == 0 || ra->next == ra->seen) {
		pthread_mutex_lock(&ra->mu);
		ra->used = ra->next;
		pthread_cond_broadcast(&ra->cv);
		while (ra->made == ra->next)
			pthread_cond_wait(&ra->cv, &ra->mu);
		ra->seen = ra->made;
		pthread_mutex_unlock(&ra->mu);
	}
	s = &ra->s[ra->next % RING];
	if (s->got <= 0) { /* the end stays the end */
		if (s->got < 0)
			*err = s->err;
		return s->got;
	}
	ra->next++;
	*rec = &s->rec;
	*data = s->data;
	*prepared = s->prepared;
	if (s->prepared < 0)
		*err = s->err;
	return 1;
}

void crm_readahead_free(struct crm_readahead *ra)
{
	if (!ra)
		return;
	if (!ra->stop) {
		pthread_mutex_lock(&ra->mu);
		ra->stop = true;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		pthread_join(ra->th, NULL);
	}
	pthread_mutex_destroy(&ra->mu);
	pthread_cond_destroy(&ra->cv);
	for (size_t i = 0; i < RING; i++) {
		crm_rec_release(&ra->s[i].rec);
		ra->ops.release(ra->ops.arg, ra->s[i].data);
	}
	free(ra->s);
	free(ra);
}
