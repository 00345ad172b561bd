/*
 * test_records: JSON-lines output, plain and compressed.
 */
#include "testutil.h"

#include "buf.h"
#include "records.h"
#include "zstdio.h"

static int
to_buf(void *sink, const void *p, size_t n)
{
	return hs_buf_add(sink, p, n);
}

static int
refuse(void *sink, const void *p, size_t n)
{
	(void)sink;
	(void)p;
	(void)n;
	return -1;
}

static void
write_two(struct hs_records *w)
{
	hs_rec_begin(w, "header");
	hs_rec_str(w, "format", "x");
	hs_rec_str(w, "absent", NULL);
	hs_rec_u64(w, "n", 18446744073709551615ull);
	hs_rec_end(w);
	hs_rec_begin(w, "row");
	hs_rec_i64(w, "d", -5);
	hs_rec_bool(w, "b", 1);
	hs_rec_num(w, "r", 2.5);
	hs_rec_num(w, "s", 3.0);
	hs_rec_str(w, "q", "a\"b\n");
	hs_rec_end(w);
}

static const char want[] =
    "{\"type\":\"header\",\"format\":\"x\",\"n\":18446744073709551615}\n"
    "{\"type\":\"row\",\"d\":-5,\"b\":true,\"r\":2.5,\"s\":3,"
    "\"q\":\"a\\\"b\\n\"}\n";

static void
test_plain(void **state)
{
	struct hs_buf out = { 0 };
	struct hs_records w;
	char err[100];

	(void)state;
	assert_int_equal(hs_rec_open(&w, -1, to_buf, &out), 0);
	write_two(&w);
	assert_int_equal(hs_rec_close(&w, err, sizeof(err)), 0);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.data, want, out.len);
	hs_buf_free(&out);
}

static void
test_compressed(void **state)
{
	struct hs_buf out = { 0 };
	struct hs_records w;
	struct hs_zdec *d;
	char err[100], plain[512];
	size_t used, got;

	(void)state;
	assert_int_equal(hs_rec_open(&w, 0, to_buf, &out), 0);
	write_two(&w);
	assert_int_equal(hs_rec_close(&w, err, sizeof(err)), 0);
	assert_true(hs_zstd_magic((unsigned char *)out.data, out.len));
	assert_non_null(d = hs_zdec_new());
	assert_int_equal(hs_zdec_run(d, out.data, out.len, &used, plain,
	    sizeof(plain), &got), 0);
	assert_int_equal(used, out.len);
	assert_true(hs_zdec_finished(d));
	assert_int_equal(got, strlen(want));
	assert_memory_equal(plain, want, got);
	hs_zdec_free(d);
	hs_buf_free(&out);
}

/* A sink that fails makes close fail, with no message of its own. */
static void
test_sink_failure(void **state)
{
	struct hs_records w;
	char err[100];

	(void)state;
	assert_int_equal(hs_rec_open(&w, -1, refuse, NULL), 0);
	write_two(&w);
	assert_true(w.failed);
	assert_int_equal(hs_rec_close(&w, err, sizeof(err)), -1);
	assert_string_equal(err, "");
}

/*
 * Memory running out while a line is built: close says so (the tools
 * print nothing else), for each allocation in turn.
 */
static void
test_out_of_memory(void **state)
{
	struct hs_buf out = { 0 };
	struct hs_records w;
	unsigned long n;
	char err[100];

	(void)state;
	/* A first pass sizes the sink's buffer: it never allocates again. */
	assert_int_equal(hs_rec_open(&w, -1, to_buf, &out), 0);
	write_two(&w);
	assert_int_equal(hs_rec_close(&w, err, sizeof(err)), 0);
	hs_buf_reset(&out);
	for (n = 1;; n++) {
		assert_int_equal(hs_rec_open(&w, -1, to_buf, &out), 0);
		hs_alloc_fail_at(n);
		write_two(&w);
		hs_alloc_fail_at(0);
		if (hs_rec_close(&w, err, sizeof(err)) == 0)
			break;
		assert_string_equal(err, "out of memory");
		hs_buf_reset(&out);
	}
	assert_true(n > 1);
	assert_int_equal(out.len, strlen(want));
	hs_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
