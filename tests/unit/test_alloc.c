/*
 * test_alloc: the allocation wrappers: overflow checks, growth, string
 * copies, and the fault injection every other OOM test relies on.
 */
#include <errno.h>

#include "testutil.h"

static void
test_basic(void **state)
{
	unsigned char *p;
	char *s;
	size_t i;

	(void)state;
	hs_alloc_fail_at(0);
	/* Zero bytes still gives a block that can be freed. */
	p = hs_malloc(0);
	assert_non_null(p);
	hs_free(p);
	p = hs_calloc(1000, 4);
	assert_non_null(p);
	for (i = 0; i < 4000; i++)
		assert_int_equal(p[i], 0);
	p = hs_realloc(p, 8000);
	assert_non_null(p);
	assert_int_equal(p[3999], 0);
	hs_free(p);
	s = hs_strndup("hello world", 5);
	assert_string_equal(s, "hello");
	hs_free(s);
	s = hs_strndup("a\0b", 3);
	assert_memory_equal(s, "a\0b", 4);
	hs_free(s);
	s = hs_strdup("");
	assert_string_equal(s, "");
	hs_free(s);
	hs_free(NULL);
}

static void
test_overflow(void **state)
{
	void *p;

	(void)state;
	errno = 0;
	assert_null(hs_alloc_array(SIZE_MAX / 2, 3));
	assert_int_equal(errno, ENOMEM);
	p = hs_malloc(16);
	assert_non_null(p);
	memset(p, 7, 16);
	errno = 0;
	/* On overflow the old block is untouched and still ours. */
	assert_null(hs_realloc_array(p, SIZE_MAX / 4, 8));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(((unsigned char *)p)[15], 7);
	hs_free(p);
	assert_null(hs_calloc(SIZE_MAX / 2, 4));
}

static void
test_grow(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0, i, prev;

	(void)state;
	assert_int_equal(hs_grow(&a, &cap, 1, sizeof(*a)), 0);
	assert_non_null(a);
	assert_true(cap >= 1);
	a[0] = 42;
	/* Enough room: nothing moves. */
	prev = cap;
	assert_int_equal(hs_grow(&a, &cap, cap, sizeof(*a)), 0);
	assert_int_equal(cap, prev);
	/* Geometric growth keeps what was there. */
	for (i = 1; i < 100000; i++) {
		assert_int_equal(hs_grow(&a, &cap, i + 1, sizeof(*a)), 0);
		assert_true(cap >= i + 1);
		a[i] = (uint32_t)i;
	}
	assert_int_equal(a[0], 42);
	for (i = 1; i < 100000; i++)
		assert_int_equal(a[i], i);
	/* Far fewer reallocations than elements: cap grows by a factor. */
	assert_true(cap < 100000 * 2);
	/* Impossible sizes fail and leave the array as it was. */
	prev = cap;
	assert_int_equal(hs_grow(&a, &cap, SIZE_MAX / 2, sizeof(*a)), -1);
	assert_int_equal(cap, prev);
	assert_int_equal(a[99999], 99999);
	assert_int_equal(hs_grow(&a, &cap, SIZE_MAX / 2 + 1, 2), -1);
	assert_int_equal(cap, prev);
	hs_free(a);
}

static void
test_fail_at(void **state)
{
	void *p1, *p2, *p3;
	char *s;

	(void)state;
	/* The 3rd allocation from now fails; the first two do not. */
	hs_alloc_fail_at(3);
	p1 = hs_malloc(8);
	p2 = hs_calloc(2, 8);
	p3 = hs_malloc(8);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_null(p3);
	assert_int_equal(hs_alloc_count(), 3);
	hs_alloc_fail_at(0);
	/* Every kind of allocation is counted and can be failed. */
	hs_alloc_fail_at(1);
	assert_null(hs_realloc(p1, 64));
	hs_alloc_fail_at(1);
	assert_null(hs_strdup("x"));
	hs_alloc_fail_at(1);
	assert_null(hs_alloc_array(4, 4));
	hs_alloc_fail_at(1);
	{
		size_t cap = 0;
		int *a = NULL;

		assert_int_equal(hs_grow(&a, &cap, 10, sizeof(int)), -1);
		assert_null(a);
		assert_int_equal(cap, 0);
	}
	/* 0 turns it off. */
	hs_alloc_fail_at(0);
	s = hs_strdup("back");
	assert_string_equal(s, "back");
	hs_free(s);
	hs_free(p1);
	hs_free(p2);
}

static void
test_fail_from_env(void **state)
{
	void *p;

	(void)state;
	setenv("HS_FAIL_ALLOC", "2", 1);
	hs_alloc_init_from_env();
	p = hs_malloc(1);
	assert_non_null(p);
	assert_null(hs_malloc(1));
	hs_free(p);
	hs_alloc_fail_at(0);
	/* Unset or empty: no failures. */
	setenv("HS_FAIL_ALLOC", "", 1);
	hs_alloc_init_from_env();
	p = hs_malloc(1);
	assert_non_null(p);
	hs_free(p);
	unsetenv("HS_FAIL_ALLOC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_fail_at),
		cmocka_unit_test(test_fail_from_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
