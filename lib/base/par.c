/* par.c - a loop shared by a few threads. See par.h. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "par.h"

struct par {
	void (*fn)(void *arg, unsigned worker, size_t lo, size_t hi);
	void *arg;
	size_t n, chunk;
	atomic_size_t next;
};

struct worker {
	struct par *par;
	unsigned id;
	pthread_t tid;
};

/* Take chunks until none is left: a thread slowed by another process on
 * its core takes fewer. */
static void work(struct par *p, unsigned id)
{
	for (;;) {
		size_t lo = atomic_fetch_add(&p->next, p->chunk);

		if (lo >= p->n)
			return;
		p->fn(p->arg, id, lo,
		      p->n - lo < p->chunk ? p->n : lo + p->chunk);
	}
}

static void *start(void *arg)
{
	struct worker *w = arg;

	work(w->par, w->id);
	return NULL;
}

unsigned crm_par_default(void)
{
	const char *env = getenv("CRM_THREADS");
	long n;

	if (env && *env) {
		char *end;
		n = strtol(env, &end, 10);
		if (!*end && n >= 1 && n <= CRM_PAR_MAX)
			return (unsigned)n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

void crm_par_for(unsigned threads, size_t n, size_t chunk,
		 void (*fn)(void *arg, unsigned worker, size_t lo, size_t hi),
		 void *arg)
{
	struct par p = {.fn = fn, .arg = arg, .n = n};
	struct worker w[CRM_PAR_MAX];
	unsigned started = 0;
	size_t chunks;

	if (!threads)
		threads = crm_par_default();
	if (threads > CRM_PAR_MAX)
		threads = CRM_PAR_MAX;
	if (!chunk)
		chunk = n / threads + 1;
	p.chunk = chunk;
	atomic_init(&p.next, 0);
	chunks = n / chunk + 1;
	if (threads > chunks)
		threads = (unsigned)chunks;
	if (threads > 1) {
		sigset_t all, old;

		/* signals go to the caller's thread, whose handler notes
		 * them */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		for (unsigned t = 1; t < threads; t++) {
			w[started] =
			    (struct worker){.par = &p, .id = started + 1};
			if (pthread_create(&w[started].tid, NULL, start,
					   &w[started]))
				break;
			started++;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	work(&p, 0);
	for (unsigned t = 0; t < started; t++)
		pthread_join(w[t].tid, NULL);
}
