/*
 * prefault: faulting in arrays on a second thread (see prefault.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"
#include "prefault.h"

#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE	23	/* Linux 5.14; older kernels: EINVAL */
#endif

/* Faulted in per call: small enough to stop soon when asked. */
#define STEP	((size_t)2 << 20)

struct hs_prefault {
	char		*start[HS_PREFAULT_MAX];	/* page-aligned */
	size_t		 len[HS_PREFAULT_MAX];
	int		 n;
	atomic_int	 stop;
	atomic_int	 finished;	/* the thread has nothing left to do */
	size_t		 done;
	pthread_t	 thread;
};

#ifdef MADV_POPULATE_WRITE
/*
 * Walks the arrays forwards in steps of the same fraction of each, as
 * the caller fills them forwards in step (element i of every array).
 */
static void *
prefault_thread(void *arg)
{
	struct hs_prefault *job = arg;
	size_t longest = 0, at, page = (size_t)sysconf(_SC_PAGESIZE);
	int i;

	for (i = 0; i < job->n; i++)
		if (job->len[i] > longest)
			longest = job->len[i];
	for (at = 0; at < longest && !atomic_load(&job->stop);) {
		size_t step = longest - at < STEP ? longest - at : STEP;

		for (i = 0; i < job->n; i++) {
			/* This array's share of [at, at + step) of the longest. */
			size_t lo = (size_t)((double)job->len[i] * at / longest);
			size_t hi = (size_t)((double)job->len[i] * (at + step) /
			    longest);

			lo &= ~(page - 1);
			hi = (hi + page - 1) & ~(page - 1);
			if (hi > job->len[i])
				hi = job->len[i];
			if (hi <= lo)
				continue;
			if (madvise(job->start[i] + lo, hi - lo,
			    MADV_POPULATE_WRITE) == -1) {
				/* Not supported, or no memory. */
				atomic_store(&job->finished, 1);
				return NULL;
			}
			job->done += hi - lo;
		}
		at += step;
	}
	atomic_store(&job->finished, 1);
	return NULL;
}
#endif

struct hs_prefault *
hs_prefault_start(void *const *arrays, const size_t *lengths, int n)
{
#ifdef MADV_POPULATE_WRITE
	struct hs_prefault *job;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	int i;

	if (n <= 0 || n > HS_PREFAULT_MAX || page == 0 ||
	    (page & (page - 1)) != 0)
		return NULL;
	if ((job = hs_calloc(1, sizeof(*job))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		/* Whole pages inside the array only: others may share the rest. */
		uintptr_t a = (uintptr_t)arrays[i], lo, hi;

		lo = (a + page - 1) & ~(page - 1);
		hi = (a + lengths[i]) & ~(page - 1);
		if (arrays[i] == NULL || hi <= lo)
			continue;
		job->start[job->n] = (char *)lo;
		job->len[job->n] = hi - lo;
		job->n++;
	}
	atomic_init(&job->stop, 0);
	atomic_init(&job->finished, 0);
	if (job->n == 0 ||
	    pthread_create(&job->thread, NULL, prefault_thread, job) != 0) {
		hs_free(job);
		return NULL;
	}
	return job;
#else
	(void)arrays;
	(void)lengths;
	(void)n;
	return NULL;
#endif
}

void
hs_prefault_stop(struct hs_prefault *job)
{
	if (job == NULL || job->n == 0)
		return;
	atomic_store(&job->stop, 1);
	pthread_join(job->thread, NULL);
	job->n = 0;
}

int
hs_prefault_finished(struct hs_prefault *job)
{
	return job == NULL || job->n == 0 || atomic_load(&job->finished);
}

size_t
hs_prefault_done(const struct hs_prefault *job)
{
	return job == NULL ? 0 : job->done;
}

void
hs_prefault_free(struct hs_prefault *job)
{
	hs_prefault_stop(job);
	hs_free(job);
}
