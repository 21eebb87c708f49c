/* t_par.c - crm_par_for: every index once, on workers numbered below the
 * thread count, in order on one thread; crm_par_default and CRM_THREADS. */
#include <stdatomic.h>
#include <stdlib.h>

#include "par.h"
#include "test.h"

struct seen {
	atomic_uint *hits; /* per index */
	unsigned threads;
	atomic_uint bad_worker, out_of_order;
	size_t last; /* one thread: the last index done, + 1 */
};

static void visit(void *arg, unsigned worker, size_t lo, size_t hi)
{
	struct seen *s = arg;

	if (worker >= s->threads)
		atomic_fetch_add(&s->bad_worker, 1);
	if (s->threads == 1) {
		if (lo != s->last)
			atomic_fetch_add(&s->out_of_order, 1);
		s->last = hi;
	}
	for (size_t i = lo; i < hi; i++)
		atomic_fetch_add(&s->hits[i], 1);
}

static void once_each(unsigned threads, size_t n, size_t chunk)
{
	struct seen s = {.threads = threads ? threads : crm_par_default()};
	char what[128];
	size_t wrong = 0;

	if (s.threads > CRM_PAR_MAX)
		s.threads = CRM_PAR_MAX;
	s.hits = calloc(n + 1, sizeof(*s.hits));
	crm_par_for(threads, n, chunk, visit, &s);
	for (size_t i = 0; i < n; i++)
		wrong += atomic_load(&s.hits[i]) != 1;
	snprintf(what, sizeof(what),
		 "%u threads, %zu indexes, chunks of %zu: each once, workers "
		 "below %u",
		 threads, n, chunk, s.threads);
	CHECK(!wrong && !atomic_load(&s.bad_worker), what);
	if (s.threads == 1)
		CHECK(!atomic_load(&s.out_of_order) && s.last == n,
		      "one thread: the slices in order");
	free(s.hits);
}

int main(void)
{
	once_each(1, 1000, 7);
	once_each(2, 100000, 1000);
	once_each(3, 100001, 0);
	once_each(16, 5, 1);
	once_each(2, 0, 100);
	once_each(40, 1000, 3); /* more than CRM_PAR_MAX: capped */
	once_each(0, 12345, 100);

	setenv("CRM_THREADS", "3", 1);
	CHECK_INT(crm_par_default(), 3, "CRM_THREADS=3");
	setenv("CRM_THREADS", "17", 1);
	CHECK(crm_par_default() >= 1 && crm_par_default() <= 8,
	      "CRM_THREADS above 16: ignored, the CPUs (at most 8)");
	setenv("CRM_THREADS", "2x", 1);
	CHECK(crm_par_default() >= 1 && crm_par_default() <= 8,
	      "CRM_THREADS not a number: ignored");
	unsetenv("CRM_THREADS");
	CHECK(crm_par_default() >= 1 && crm_par_default() <= 8,
	      "no CRM_THREADS: the CPUs, at most 8");
	return done_testing();
}
