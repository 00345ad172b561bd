/*
 * test_zstdio: the zstd decoder and encoder: round trips at any chunking,
 * the checksum, truncation, and the window limit.
 */
#include <zstd.h>

#include "testutil.h"

#include "zstdio.h"

/* Text that compresses, but not trivially. */
static unsigned char *
sample(size_t n)
{
	unsigned char *p = malloc(n);
	uint32_t x = 1;
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)("0123456789,[]\"abc\n"[(x >> 16) % 18]);
	}
	return p;
}

static unsigned char *
compress(const unsigned char *in, size_t len, int level, size_t step,
    size_t *outlen)
{
	struct hs_zenc *z = hs_zenc_new(level);
	struct test_sink s = { 0 };
	size_t pos, n;

	assert_non_null(z);
	for (pos = 0; pos < len; pos += n) {
		n = len - pos < step ? len - pos : step;
		assert_int_equal(hs_zenc_write(z, in + pos, n, test_sink_write,
		    &s), 0);
	}
	assert_int_equal(hs_zenc_end(z, test_sink_write, &s), 0);
	hs_zenc_free(z);
	*outlen = s.len;
	return s.data;
}

/*
 * Decompresses in steps of at most instep input and outstep output bytes.
 * Returns 0, or -1 with the error copied to err.
 */
static int
decompress(const unsigned char *in, size_t len, size_t instep,
    size_t outstep, unsigned char **outp, size_t *outlen, int *finished,
    char *err, size_t errlen)
{
	struct hs_zdec *d = hs_zdec_new();
	size_t pos = 0, cap = 1 << 16, olen = 0, used, got, n;
	unsigned char *out = malloc(cap);
	int rounds = 0;

	assert_non_null(d);
	assert_non_null(out);
	/* Nothing fed yet counts as a boundary. */
	assert_true(hs_zdec_finished(d));
	for (;;) {
		n = len - pos < instep ? len - pos : instep;
		if (cap - olen < outstep) {
			cap = cap * 2 + outstep;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		if (hs_zdec_run(d, in + pos, n, &used, out + olen, outstep,
		    &got) == -1) {
			snprintf(err, errlen, "%s", hs_zdec_error(d));
			hs_zdec_free(d);
			free(out);
			return -1;
		}
		assert_true(used <= n);
		assert_true(got <= outstep);
		pos += used;
		olen += got;
		/* All input in and the output not full: nothing is held. */
		if (pos == len && got < outstep)
			break;
		assert_true(++rounds < 100000000);
	}
	*finished = hs_zdec_finished(d);
	hs_zdec_free(d);
	*outp = out;
	*outlen = olen;
	return 0;
}

static void
test_magic(void **state)
{
	static const unsigned char z[] = { 0x28, 0xb5, 0x2f, 0xfd, 0 };
	static const unsigned char g[] = { 0x1f, 0x8b, 8 };

	(void)state;
	assert_true(hs_zstd_magic(z, 4));
	assert_false(hs_zstd_magic(z, 3));
	assert_false(hs_zstd_magic(g, 3));
	assert_true(hs_gzip_magic(g, 2));
	assert_false(hs_gzip_magic(g, 1));
	assert_false(hs_gzip_magic(z, 4));
	assert_false(hs_zstd_magic((const unsigned char *)"{\"sn", 4));
}

static void
test_round_trip(void **state)
{
	static const size_t steps[][2] = {
		{ (size_t)-1, 1 << 20 }, { 1, 1 << 20 }, { 7, 7 },
		{ 1 << 20, 1 }, { 4093, 65537 },
	};
	size_t len = 300000, zlen, outlen, k;
	unsigned char *in = sample(len), *z, *out;
	char err[256];
	int level, finished;

	(void)state;
	for (level = 1; level <= 19; level += 18) {
		z = compress(in, len, level, level == 1 ? 1000 : len, &zlen);
		assert_true(hs_zstd_magic(z, zlen));
		assert_true(zlen < len * 3 / 5);
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			if (steps[k][1] == 1 && level != 1)
				continue;
			assert_int_equal(decompress(z, zlen, steps[k][0],
			    steps[k][1], &out, &outlen, &finished, err,
			    sizeof(err)), 0);
			assert_int_equal(outlen, len);
			assert_memory_equal(out, in, len);
			free(out);
		}
		free(z);
	}
	/* An empty stream is still a frame. */
	z = compress(in, 0, 3, 1, &zlen);
	assert_true(zlen > 0);
	assert_int_equal(decompress(z, zlen, 1, 10, &out, &outlen, &finished,
	    err, sizeof(err)), 0);
	assert_int_equal(outlen, 0);
	assert_true(finished);
	free(out);
	free(z);
	free(in);
}

static void
test_concatenated_frames(void **state)
{
	size_t la, lb, outlen;
	unsigned char *in = sample(5000), *a = compress(in, 3000, 3, 3000,
	    &la), *b = compress(in + 3000, 2000, 3, 2000, &lb), *both, *out;
	char err[256];
	int finished;

	(void)state;
	both = malloc(la + lb);
	assert_non_null(both);
	memcpy(both, a, la);
	memcpy(both + la, b, lb);
	assert_int_equal(decompress(both, la + lb, 100, 333, &out, &outlen,
	    &finished, err, sizeof(err)), 0);
	assert_true(finished);
	assert_int_equal(outlen, 5000);
	assert_memory_equal(out, in, 5000);
	free(out);
	free(both);
	free(a);
	free(b);
	free(in);
}

static void
test_truncated_and_corrupt(void **state)
{
	size_t len = 100000, zlen, outlen;
	unsigned char *in = sample(len), *z = compress(in, len, 3, len, &zlen),
	    *out;
	char err[256];
	int finished;

	(void)state;
	/* Cut short: no error yet, but not at a frame boundary. */
	assert_int_equal(decompress(z, zlen / 2, 4096, 65536, &out, &outlen,
	    &finished, err, sizeof(err)), 0);
	assert_false(finished);
	assert_true(outlen < len);
	assert_memory_equal(out, in, outlen);
	free(out);
	/* A flipped byte in the checksum. */
	z[zlen - 1] ^= 1;
	assert_int_equal(decompress(z, zlen, 4096, 65536, &out, &outlen,
	    &finished, err, sizeof(err)), -1);
	assert_true(strncmp(err, "corrupt zstd data: ", 19) == 0);
	z[zlen - 1] ^= 1;
	/* Garbage in the middle of the blocks. */
	memset(z + zlen / 2, 0xa5, 32);
	assert_int_equal(decompress(z, zlen, 4096, 65536, &out, &outlen,
	    &finished, err, sizeof(err)), -1);
	assert_true(strncmp(err, "corrupt zstd data: ", 19) == 0);
	/* Not zstd at all. */
	assert_int_equal(decompress((const unsigned char *)"{\"snapshot\":1}",
	    14, 14, 100, &out, &outlen, &finished, err, sizeof(err)), -1);
	assert_true(strncmp(err, "corrupt zstd data: ", 19) == 0);
	free(z);
	free(in);
}

/*
 * hs_zdec_finished() says whether the input so far ends on a frame
 * boundary.  A reader whose output buffer filled exactly as the frame
 * ended must call once more (with no input) to learn that nothing is
 * held back; that call must not make a complete frame look unfinished.
 */
static void
test_finished(void **state)
{
	size_t len = 50000, zlen, used, got, pos = 0, total = 0;
	unsigned char *in = sample(len), *z = compress(in, len, 3, len, &zlen),
	    out[1000];
	struct hs_zdec *d = hs_zdec_new();

	(void)state;
	assert_non_null(d);
	assert_true(hs_zdec_finished(d));
	/* Half the frame: not on a boundary. */
	assert_int_equal(hs_zdec_run(d, z, zlen / 2, &used, out, sizeof(out),
	    &got), 0);
	assert_false(hs_zdec_finished(d));
	hs_zdec_free(d);
	/* The whole frame, output drained until the decoder is done. */
	d = hs_zdec_new();
	assert_non_null(d);
	do {
		assert_int_equal(hs_zdec_run(d, z + pos, zlen - pos, &used,
		    out, sizeof(out), &got), 0);
		pos += used;
		total += got;
	} while (pos < zlen || got == sizeof(out));
	assert_int_equal(total, len);
	assert_int_equal(pos, zlen);
	assert_true(hs_zdec_finished(d));
	/* Asking again with no more input changes nothing. */
	assert_int_equal(hs_zdec_run(d, z + pos, 0, &used, out, sizeof(out),
	    &got), 0);
	assert_int_equal(got, 0);
	assert_true(hs_zdec_finished(d));
	hs_zdec_free(d);
	free(z);
	free(in);
}

/* A frame that declares a 256 MiB window (zstd --long=28) is refused. */
static void
test_window_limit(void **state)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	unsigned char *in = sample(1000), z[2048], *out;
	ZSTD_inBuffer ib = { in, 1000, 0 };
	ZSTD_outBuffer ob = { z, sizeof(z), 0 };
	size_t outlen;
	char err[256];
	int finished;

	(void)state;
	assert_non_null(c);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c,
	    ZSTD_c_windowLog, 28)));
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c,
	    ZSTD_c_enableLongDistanceMatching, 1)));
	/* Streaming without a pledged size: the header keeps the window. */
	assert_false(ZSTD_isError(ZSTD_compressStream2(c, &ob, &ib,
	    ZSTD_e_continue)));
	assert_int_equal(ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end), 0);
	ZSTD_freeCCtx(c);
	assert_int_equal(decompress(z, ob.pos, 4096, 65536, &out, &outlen,
	    &finished, err, sizeof(err)), -1);
	assert_string_equal(err, "zstd frame needs a window over 128 MiB "
	    "(recompress without --long)");
	free(in);
}

static int
failing_sink(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -1;
}

static void
test_sink_failure(void **state)
{
	struct hs_zenc *z = hs_zenc_new(3);
	unsigned char *in = sample(1 << 20);

	(void)state;
	assert_non_null(z);
	/* The sink's failure comes back (it keeps its own message). */
	assert_int_equal(hs_zenc_write(z, in, 1 << 20, failing_sink, NULL), -1);
	hs_zenc_free(z);
	z = hs_zenc_new(3);
	assert_int_equal(hs_zenc_write(z, "abc", 3, failing_sink, NULL), 0);
	assert_int_equal(hs_zenc_end(z, failing_sink, NULL), -1);
	hs_zenc_free(z);
	hs_zenc_free(NULL);
	hs_zdec_free(NULL);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_concatenated_frames),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_finished),
		cmocka_unit_test(test_window_limit),
		cmocka_unit_test(test_sink_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
