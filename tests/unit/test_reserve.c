/*
 * test_reserve: large allocations carved from memory faulted in ahead.
 */
#include "testutil.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "reserve.h"

#define MiB	((size_t)1 << 20)

/* Opens a reserve of size bytes, or skips the test where there is none
 * (no MADV_POPULATE_WRITE, or a sanitizer build). */
static void
start_or_skip(size_t size)
{
	void *p;

	hs_reserve_start(size);
	if ((p = hs_reserve_take(HS_RESERVE_MIN, 0)) == NULL)
		skip();
	assert_int_equal(hs_reserve_free(p), 1);
}

static int
all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Blocks are aligned and apart; a freed one is carved again, zeroed when
 * asked, and the reserve's other part stays as it was. */
static void
test_take_free_reuse(void **state)
{
	unsigned char *p, *q, *r;

	(void)state;
	start_or_skip(64 * MiB);
	p = hs_reserve_take(20 * MiB, 0);
	q = hs_reserve_take(20 * MiB, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)p % 4096, 0);
	assert_true(q >= p + 20 * MiB || q + 20 * MiB <= p);
	assert_int_equal(hs_reserve_size(p), 20 * MiB);
	memset(p, 0xa5, 20 * MiB);
	memset(q, 0x5a, 20 * MiB);
	assert_int_equal(hs_reserve_free(p), 1);
	assert_int_equal(hs_reserve_size(p), 0);
	/* The smallest spare range that fits is p's. */
	r = hs_reserve_take(10 * MiB + 1, 1);
	assert_ptr_equal(r, p);
	assert_true(all_zero(r, 10 * MiB + 1));
	assert_int_equal(q[0], 0x5a);
	assert_int_equal(q[20 * MiB - 1], 0x5a);
	/* Requests under the minimum are not the reserve's. */
	assert_null(hs_reserve_take(HS_RESERVE_MIN - 1, 0));
	assert_int_equal(hs_reserve_free(q), 1);
	assert_int_equal(hs_reserve_free(r), 1);
	hs_reserve_end();
}

/* A request that does not fit closes the reserve: nothing more is
 * carved, and blocks already carved are still freed. */
static void
test_miss_closes(void **state)
{
	unsigned char *a;

	(void)state;
	start_or_skip(32 * MiB);
	a = hs_reserve_take(16 * MiB, 1);
	assert_non_null(a);
	assert_true(all_zero(a, 16 * MiB));
	a[0] = 1;
	assert_null(hs_reserve_take(24 * MiB, 0));
	assert_null(hs_reserve_take(8 * MiB, 0));
	assert_int_equal(a[0], 1);
	assert_int_equal(hs_reserve_free(a), 1);
	assert_int_equal(hs_reserve_free(a), 0);	/* gone */
}

/* hs_malloc(), hs_calloc(), hs_realloc() and hs_free() use the reserve for
 * large blocks; a carved block that grows moves out with its contents. */
static void
test_through_alloc(void **state)
{
	unsigned char *p, *small;
	size_t i;

	(void)state;
	start_or_skip(32 * MiB);
	p = hs_calloc(10 * MiB, 1);
	assert_non_null(p);
	assert_int_equal(hs_reserve_size(p), 10 * MiB);
	assert_true(all_zero(p, 10 * MiB));
	for (i = 0; i < 10 * MiB; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	small = hs_malloc(100);
	assert_non_null(small);
	assert_int_equal(hs_reserve_size(small), 0);
	hs_free(small);
	p = hs_realloc(p, 40 * MiB);
	assert_non_null(p);
	assert_int_equal(hs_reserve_size(p), 0);
	for (i = 0; i < 10 * MiB; i += 4096)
		if (p[i] != (unsigned char)(i >> 12))
			fail_msg("byte %zu lost in the move", i);
	hs_free(p);
	hs_reserve_end();
	assert_null(hs_reserve_take(HS_RESERVE_MIN, 0));
}

/*
 * From hs_reserve_recycle() to hs_reserve_end(), blocks freed are kept and
 * carved again (zeroed when asked), and a request that no kept block fits
 * gets a mapping of its own, kept in turn.
 */
static void
test_recycle(void **state)
{
	unsigned char *a, *b, *c, *d, *e;

	(void)state;
	start_or_skip(32 * MiB);
	a = hs_reserve_take(16 * MiB, 0);
	assert_non_null(a);
	memset(a, 0xa5, 16 * MiB);
	hs_reserve_recycle();
	b = hs_reserve_take(24 * MiB, 1);	/* more than was left */
	assert_non_null(b);
	assert_true(all_zero(b, 24 * MiB));
	memset(b, 0x5a, 24 * MiB);
	assert_int_equal(hs_reserve_free(a), 1);
	c = hs_reserve_take(10 * MiB, 1);
	assert_ptr_equal(c, a);
	assert_true(all_zero(c, 10 * MiB));
	d = hs_reserve_take(8 * MiB, 0);	/* the 6 MiB left do not fit */
	assert_non_null(d);
	assert_true(d + 8 * MiB <= a || d >= a + 16 * MiB);
	assert_true(d + 8 * MiB <= b || d >= b + 24 * MiB);
	assert_int_equal(hs_reserve_free(b), 1);
	e = hs_reserve_take(20 * MiB, 0);
	assert_ptr_equal(e, b);
	assert_int_equal(c[0], 0);
	assert_int_equal(hs_reserve_free(c), 1);
	assert_int_equal(hs_reserve_free(d), 1);
	hs_reserve_end();
	assert_null(hs_reserve_take(HS_RESERVE_MIN, 0));
	assert_int_equal(hs_reserve_free(e), 1);	/* unmapped now */
	assert_int_equal(hs_reserve_size(e), 0);
	/* With no reserve started since, nothing to recycle. */
	hs_reserve_recycle();
	assert_null(hs_reserve_take(HS_RESERVE_MIN, 0));
	hs_reserve_end();
}

/* Pointers that were never carved are left alone. */
static void
test_not_carved(void **state)
{
	int x;
	void *p = hs_malloc(32);

	(void)state;
	assert_int_equal(hs_reserve_free(NULL), 0);
	assert_int_equal(hs_reserve_free(&x), 0);
	assert_int_equal(hs_reserve_size(p), 0);
	assert_int_equal(hs_reserve_free(p), 0);
	hs_free(p);
	hs_reserve_start(1);	/* too small to be worth it: no reserve */
	assert_null(hs_reserve_take(HS_RESERVE_MIN, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_free_reuse),
		cmocka_unit_test(test_miss_closes),
		cmocka_unit_test(test_through_alloc),
		cmocka_unit_test(test_recycle),
		cmocka_unit_test(test_not_carved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
