/*
 * test_prefault: faulting in arrays on a second thread while they fill.
 */
#include "testutil.h"

#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "prefault.h"

/* Arrays of different sizes filled in step from their starts, as the
 * snapshot reader fills its columns, while the job runs from their ends:
 * every byte written is read back, and the job never changed one. */
static void
test_fill_while_faulting(void **state)
{
	size_t n = (size_t)8 << 20, i;	/* elements */
	uint8_t *small;
	uint32_t *big;
	void *arrays[2];
	size_t lengths[2];
	struct hs_prefault *job;

	(void)state;
	small = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	big = mmap(NULL, n * 4, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(small != MAP_FAILED && big != MAP_FAILED);
	arrays[0] = small;
	arrays[1] = big;
	lengths[0] = n;
	lengths[1] = n * 4;
	job = hs_prefault_start(arrays, lengths, 2);
	for (i = 0; i < n; i++) {
		small[i] = (uint8_t)(i * 7);
		big[i] = (uint32_t)(i * 2654435761u);
	}
	hs_prefault_stop(job);
	for (i = 0; i < n; i++) {
		if (small[i] != (uint8_t)(i * 7) ||
		    big[i] != (uint32_t)(i * 2654435761u))
			fail_msg("element %zu changed", i);
	}
	/* Whatever the job faulted in lies within the arrays. */
	assert_true(hs_prefault_done(job) <= n * 5);
	hs_prefault_free(job);
	munmap(small, n);
	munmap(big, n * 4);
}

/* A job on untouched memory leaves it all zero. */
static void
test_zeros_stay_zero(void **state)
{
	size_t len = (size_t)16 << 20, i;
	uint64_t *p;
	struct hs_prefault *job;
	void *arrays[1];

	(void)state;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	arrays[0] = p;
	job = hs_prefault_start(arrays, &len, 1);
	hs_prefault_stop(job);
	hs_prefault_stop(job);	/* twice is harmless */
	for (i = 0; i < len / 8; i++)
		if (p[i] != 0)
			fail_msg("word %zu is not zero", i);
	hs_prefault_free(job);
	munmap(p, len);
}

/* No job for nothing; NULL is accepted everywhere. */
static void
test_no_job(void **state)
{
	char buf[100];
	void *arrays[1] = { buf };
	size_t len = sizeof(buf);

	(void)state;
	assert_null(hs_prefault_start(arrays, &len, 0));
	assert_null(hs_prefault_start(arrays, &len, HS_PREFAULT_MAX + 1));
	/* Less than a page holds no whole page: nothing to do. */
	assert_null(hs_prefault_start(arrays, &len, 1));
	hs_prefault_stop(NULL);
	hs_prefault_free(NULL);
	assert_int_equal(hs_prefault_done(NULL), 0);
	assert_true(hs_prefault_finished(NULL));
}

/* A job left alone finishes, having faulted in the whole array. */
static void
test_finishes(void **state)
{
	size_t len = (size_t)8 << 20;
	struct hs_prefault *job;
	void *arrays[1];
	struct timespec nap = { 0, 1000000 };
	int i;

	(void)state;
	arrays[0] = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(arrays[0] != MAP_FAILED);
	if ((job = hs_prefault_start(arrays, &len, 1)) == NULL) {
		munmap(arrays[0], len);
		skip();		/* no MADV_POPULATE_WRITE here */
	}
	for (i = 0; i < 10000 && !hs_prefault_finished(job); i++)
		nanosleep(&nap, NULL);
	assert_true(hs_prefault_finished(job));
	hs_prefault_stop(job);
	assert_true(hs_prefault_finished(job));
	assert_int_equal(hs_prefault_done(job), len);
	hs_prefault_free(job);
	munmap(arrays[0], len);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_while_faulting),
		cmocka_unit_test(test_zeros_stay_zero),
		cmocka_unit_test(test_no_job),
		cmocka_unit_test(test_finishes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
