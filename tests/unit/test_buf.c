/*
 * test_buf: the growable byte buffer.
 */
#include "testutil.h"

#include "buf.h"

static void
test_add(void **state)
{
	struct hs_buf b = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(hs_buf_add(&b, "ab", 2), 0);
	assert_int_equal(hs_buf_addc(&b, 'c'), 0);
	assert_int_equal(hs_buf_adds(&b, "def"), 0);
	assert_int_equal(hs_buf_add(&b, "\0g", 2), 0);
	assert_int_equal(hs_buf_add(&b, NULL, 0), 0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "abcdef\0g", 8);
	assert_int_equal(hs_buf_cstr(&b), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(b.data[8], '\0');
	/* Many single bytes: every one lands. */
	hs_buf_reset(&b);
	assert_int_equal(b.len, 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(hs_buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	hs_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	hs_buf_free(&b);
}

static void
test_printf(void **state)
{
	struct hs_buf b = { 0 };
	char big[1000], want[1100];

	(void)state;
	assert_int_equal(hs_buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_int_equal(b.len, 4);
	/* Longer than the first guess: formatted again into more room. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(hs_buf_printf(&b, "[%s]", big), 0);
	snprintf(want, sizeof(want), "42-x[%s]", big);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(hs_buf_cstr(&b), 0);
	assert_string_equal(b.data, want);
	assert_int_equal(hs_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, strlen(want));
	hs_buf_free(&b);
}

static void
test_out_of_memory(void **state)
{
	struct hs_buf b = { 0 };
	char big[5000];

	(void)state;
	assert_int_equal(hs_buf_adds(&b, "keep"), 0);
	memset(big, 'q', sizeof(big));
	hs_alloc_fail_at(1);
	assert_int_equal(hs_buf_add(&b, big, sizeof(big)), -1);
	assert_int_equal(hs_buf_printf(&b, "%.*s", 3000, big), -1);
	hs_alloc_fail_at(0);
	/* What it had is kept. */
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "keep", 4);
	assert_int_equal(hs_buf_add(&b, big, sizeof(big)), 0);
	assert_int_equal(b.len, 5004);
	hs_buf_free(&b);
	/* An empty buffer that cannot get memory stays empty. */
	hs_alloc_fail_at(1);
	assert_int_equal(hs_buf_addc(&b, 'x'), -1);
	assert_int_equal(hs_buf_cstr(&b), -1);
	hs_alloc_fail_at(0);
	assert_int_equal(b.len, 0);
	hs_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
