/* par.h - a loop over [0, n) shared by a few threads, in chunks taken in
 * turn. Work that writes only its own indexes' results (and per-worker
 * scratch) gives the same output whatever the number of threads. Workers
 * never touch the database. */
#ifndef CRM_PAR_H
#define CRM_PAR_H

#include <stddef.h>

/* The most threads crm_par_for starts. */
#define CRM_PAR_MAX 16

/* The default number of threads: $CRM_THREADS when it is a number from 1
 * to CRM_PAR_MAX (anything else is ignored), else the online CPUs, at
 * most 8. */
unsigned crm_par_default(void);

/* Call fn(arg, worker, lo, hi) for consecutive slices [lo, hi) of [0, n)
 * of at most chunk indexes (0: an even share each), on up to threads
 * threads (0: crm_par_default; the caller's thread is worker 0; workers
 * are numbered below threads). Returns when all are done. A thread that
 * cannot be started leaves its share to the others. */
void crm_par_for(unsigned threads, size_t n, size_t chunk,
		 void (*fn)(void *arg, unsigned worker, size_t lo, size_t hi),
		 void *arg);

#endif
