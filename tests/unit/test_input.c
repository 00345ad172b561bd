/*
 * test_input: the file/stdin reader with its read-ahead thread.  Plain and
 * zstd input give the same bytes at any chunk cap, with work done ahead
 * or not; gzip, directories and missing files are refused with useful
 * text; damaged zstd is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "testutil.h"

#include "zstdio.h"

struct got {
	unsigned char	*data;
	size_t		 len;
	size_t		 chunks, max_chunk;
	int		 ret;
	char		 err[256];
};

/* Reads all of path; the chunk cap must already be set. */
static void
read_all(const char *path, struct got *g)
{
	char err[256] = "";
	struct hs_input *in = hs_input_open(path, err, sizeof(err));
	const unsigned char *buf;
	size_t len, cap = 0;
	int r;

	memset(g, 0, sizeof(*g));
	if (in == NULL)
		fail_msg("%s: %s", path, err);
	while ((r = hs_input_next(in, &buf, &len)) == 1) {
		assert_true(len > 0);
		if (g->len + len > cap) {
			cap = (g->len + len) * 2;
			g->data = realloc(g->data, cap);
			assert_non_null(g->data);
		}
		memcpy(g->data + g->len, buf, len);
		g->len += len;
		g->chunks++;
		if (len > g->max_chunk)
			g->max_chunk = len;
	}
	g->ret = r;
	snprintf(g->err, sizeof(g->err), "%s", r == -1 ? hs_input_error(in) :
	    "");
	/* After the end, the end again. */
	if (r == 0)
		assert_int_equal(hs_input_next(in, &buf, &len), 0);
	hs_input_close(in);
}

static void
expect_open_error(const char *path, const char *want)
{
	char err[256] = "";
	struct hs_input *in = hs_input_open(path, err, sizeof(err));

	if (in != NULL) {
		hs_input_close(in);
		fail_msg("%s: opened, expected \"%s\"", path, want);
	}
	assert_string_equal(err, want);
}

static unsigned char *
zstd_bytes(const unsigned char *in, size_t len, int checksum, size_t *zlen)
{
	size_t cap = ZSTD_compressBound(len);
	unsigned char *z = malloc(cap);
	ZSTD_CCtx *c = ZSTD_createCCtx();

	assert_non_null(z);
	assert_non_null(c);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
	*zlen = ZSTD_compress2(c, z, cap, in, len);
	assert_false(ZSTD_isError(*zlen));
	ZSTD_freeCCtx(c);
	return z;
}

/* The bundled snapshot, compressed and plain: the same bytes. */
static void
test_plain_and_zstd_same(void **state)
{
	const char *zpath = test_data_path(
	    "snapshots/mixed-node18.heapsnapshot.zst");
	char ppath[128], err[256];
	struct got z, p;
	struct hs_input *in;
	struct stat st;

	(void)state;
	hs_input_set_max_chunk(0);
	read_all(zpath, &z);
	assert_int_equal(z.ret, 0);
	assert_true(z.len > 4000000);
	assert_int_equal(memcmp(z.data, "{\"snapshot\":", 12), 0);
	test_write_temp(ppath, sizeof(ppath), z.data, z.len);
	read_all(ppath, &p);
	assert_int_equal(p.ret, 0);
	assert_int_equal(p.len, z.len);
	assert_memory_equal(p.data, z.data, z.len);
	/* Chunks are large by default (megabytes). */
	assert_true(p.max_chunk >= (1u << 20));
	/* Sizes and counters. */
	in = hs_input_open(zpath, err, sizeof(err));
	assert_non_null(in);
	assert_true(hs_input_compressed(in));
	assert_int_equal(stat(zpath, &st), 0);
	assert_int_equal(hs_input_file_size(in), st.st_size);
	{
		const unsigned char *b;
		size_t l;

		while (hs_input_next(in, &b, &l) == 1)
			;
	}
	assert_int_equal(hs_input_raw_bytes(in), (uint64_t)st.st_size);
	hs_input_close(in);
	in = hs_input_open(ppath, err, sizeof(err));
	assert_non_null(in);
	assert_false(hs_input_compressed(in));
	assert_int_equal(hs_input_file_size(in), (int64_t)z.len);
	hs_input_close(in);
	unlink(ppath);
	free(z.data);
	free(p.data);
}

/* hs_input_set_max_chunk() caps every chunk, and the bytes do not change. */
static void
test_max_chunk(void **state)
{
	static const size_t caps[] = { 1, 2, 3, 7, 4093 };
	size_t len = 40000, zlen, i, k;
	unsigned char *plain = malloc(len), *z;
	char ppath[128], zpath[128];
	struct got g;
	uint32_t x = 7;

	(void)state;
	assert_non_null(plain);
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		plain[i] = (unsigned char)("[0,1,2,3]\"ab\n"[(x >> 16) % 13]);
	}
	z = zstd_bytes(plain, len, 1, &zlen);
	test_write_temp(ppath, sizeof(ppath), plain, len);
	test_write_temp(zpath, sizeof(zpath), z, zlen);
	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		hs_input_set_max_chunk(caps[k]);
		for (i = 0; i < 2; i++) {
			read_all(i ? zpath : ppath, &g);
			if (g.ret != 0)
				fail_msg("%s, cap %zu: %s", i ? "zstd" :
				    "plain", caps[k], g.err);
			assert_int_equal(g.len, len);
			assert_memory_equal(g.data, plain, len);
			assert_true(g.max_chunk <= caps[k]);
			assert_true(g.chunks >= len / caps[k]);
			free(g.data);
		}
	}
	hs_input_set_max_chunk(0);
	unlink(ppath);
	unlink(zpath);
	free(z);
	free(plain);
}

/*
 * A frame without a checksum (zstd --no-check) read in small chunks: the
 * decoder takes in the last block whole and hands its output over several
 * calls, so the input runs out while output is still held.  That is not a
 * truncated frame.
 */
static void
test_zstd_without_checksum(void **state)
{
	static const size_t caps[] = { 7, 4093, 0 };
	size_t len = 300000, zlen, i, k;
	unsigned char *plain = malloc(len), *z;
	char zpath[128];
	struct got g;
	uint32_t x = 3;

	(void)state;
	assert_non_null(plain);
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		plain[i] = (unsigned char)("[0,1,2,3]\"ab\n"[(x >> 16) % 13]);
	}
	z = zstd_bytes(plain, len, 0, &zlen);
	test_write_temp(zpath, sizeof(zpath), z, zlen);
	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		hs_input_set_max_chunk(caps[k]);
		read_all(zpath, &g);
		if (g.ret != 0)
			fail_msg("cap %zu: \"%s\" after %zu of %zu bytes",
			    caps[k], g.err, g.len, len);
		assert_int_equal(g.len, len);
		assert_memory_equal(g.data, plain, len);
		free(g.data);
	}
	hs_input_set_max_chunk(0);
	unlink(zpath);
	free(z);
	free(plain);
}

static void
test_small_and_empty(void **state)
{
	static const char *const texts[] = { "", "{", "{}", "[1]", "1234",
	    "12345" };
	char path[128];
	struct got g;
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		/* Shorter than and around the 4 bytes read to sniff. */
		hs_input_set_max_chunk(k ? 1 : 0);
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			test_write_temp(path, sizeof(path), texts[i],
			    strlen(texts[i]));
			read_all(path, &g);
			assert_int_equal(g.ret, 0);
			assert_int_equal(g.len, strlen(texts[i]));
			if (g.len)
				assert_memory_equal(g.data, texts[i], g.len);
			free(g.data);
			unlink(path);
		}
	}
	hs_input_set_max_chunk(0);
}

static void
test_refusals(void **state)
{
	/* A real gzip stream (of "{}\n"). */
	static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0xae, 0xe5, 0x02, 0x00, 0x1b,
	    0x87, 0x41, 0x33, 0x03, 0x00, 0x00, 0x00 };
	char path[128], want[256];

	(void)state;
	test_write_temp(path, sizeof(path), gz, sizeof(gz));
	expect_open_error(path, "byte 0: gzip-compressed input is not read "
	    "directly; pipe it through zcat");
	unlink(path);
	expect_open_error(test_data_dir(), "is a directory");
	expect_open_error("/nonexistent-dir/x.heapsnapshot",
	    strerror(ENOENT));
	snprintf(want, sizeof(want), "%s", strerror(ENOENT));
	assert_string_equal(want, "No such file or directory");
}

static void
test_damaged_zstd(void **state)
{
	size_t len = 200000, zlen, i;
	unsigned char *plain = malloc(len), *z;
	char path[128];
	struct got g;

	(void)state;
	assert_non_null(plain);
	for (i = 0; i < len; i++)
		plain[i] = (unsigned char)('a' + (i * 7 + i / 13) % 26);
	z = zstd_bytes(plain, len, 1, &zlen);
	hs_input_set_max_chunk(0);
	/* Cut short. */
	test_write_temp(path, sizeof(path), z, zlen - 10);
	read_all(path, &g);
	assert_int_equal(g.ret, -1);
	assert_string_equal(g.err, "truncated zstd frame");
	free(g.data);
	unlink(path);
	/* Only the magic. */
	test_write_temp(path, sizeof(path), z, 4);
	read_all(path, &g);
	assert_int_equal(g.ret, -1);
	assert_string_equal(g.err, "truncated zstd frame");
	free(g.data);
	unlink(path);
	/* A damaged checksum. */
	z[zlen - 1] ^= 0xff;
	test_write_temp(path, sizeof(path), z, zlen);
	read_all(path, &g);
	assert_int_equal(g.ret, -1);
	assert_true(strncmp(g.err, "corrupt zstd data: ", 19) == 0);
	free(g.data);
	unlink(path);
	free(z);
	free(plain);
}

/* "-" reads standard input. */
static void
test_stdin(void **state)
{
	static const char text[] = "{\"snapshot\":{}}";
	char path[128];
	struct got g;
	int saved = dup(0), fd;

	(void)state;
	assert_true(saved >= 0);
	test_write_temp(path, sizeof(path), text, sizeof(text) - 1);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	read_all("-", &g);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_int_equal(g.ret, 0);
	assert_int_equal(g.len, sizeof(text) - 1);
	assert_memory_equal(g.data, text, g.len);
	free(g.data);
	unlink(path);
}

/* Closing before the end stops the thread (no hang, no leak). */
static void
test_close_early(void **state)
{
	char err[256];
	struct hs_input *in;
	const unsigned char *b;
	size_t l;

	(void)state;
	hs_input_set_max_chunk(4093);
	in = hs_input_open(test_data_path(
	    "snapshots/empty-node18.heapsnapshot.zst"), err, sizeof(err));
	assert_non_null(in);
	assert_int_equal(hs_input_next(in, &b, &l), 1);
	assert_int_equal(hs_input_next(in, &b, &l), 1);
	hs_input_close(in);
	/* Without reading at all. */
	in = hs_input_open(test_data_path(
	    "snapshots/empty-node18.heapsnapshot.zst"), err, sizeof(err));
	assert_non_null(in);
	hs_input_close(in);
	hs_input_close(NULL);
	hs_input_set_max_chunk(0);
}

/* A work: the chunk's length and the sum of its bytes, slowly. */
struct sum {
	size_t		 len;
	uint64_t	 sum;
	int		 whole;		/* not cut short */
};

static void
sum_work(void *ctx, const unsigned char *buf, size_t len, void *result,
    const atomic_int *taken)
{
	struct sum *r = result;
	size_t i;

	(void)ctx;
	r->len = len;
	r->sum = 0;
	r->whole = 1;
	for (i = 0; i < len; i++) {
		r->sum += buf[i];
		if (i % 512 == 0 && atomic_load(taken)) {
			r->whole = 0;
			return;
		}
	}
	usleep(200);
}

/*
 * Work ahead: a chunk comes with its result only when the work ran on it
 * to the end, and the result is that chunk's; the bytes do not change.
 * A slow consumer leaves the reader time to work; closing mid-work ends
 * it.
 */
static void
test_work_ahead(void **state)
{
	const char *path = test_data_path(
	    "snapshots/mixed-node18.heapsnapshot.zst");
	char err[256];
	struct got g;
	struct hs_input *in;
	const unsigned char *b;
	const void *res;
	size_t l, n = 0, worked = 0, total = 0, i;
	uint64_t sum;

	(void)state;
	hs_input_set_max_chunk(65537);
	read_all(path, &g);
	assert_int_equal(g.ret, 0);
	in = hs_input_open(path, err, sizeof(err));
	assert_non_null(in);
	assert_int_equal(hs_input_set_work(in, sum_work, NULL,
	    sizeof(struct sum)), 0);
	while (hs_input_next_worked(in, &b, &l, &res) == 1) {
		assert_true(total + l <= g.len);
		assert_memory_equal(b, g.data + total, l);
		if (res != NULL) {
			const struct sum *r = res;

			for (sum = 0, i = 0; i < l; i++)
				sum += b[i];
			assert_true(r->whole);
			assert_int_equal(r->len, l);
			assert_int_equal(r->sum, sum);
			worked++;
		}
		total += l;
		n++;
		usleep(2000);	/* a slow consumer */
	}
	assert_int_equal(total, g.len);
	assert_true(n > 4);
	assert_true(worked > 0);
	hs_input_close(in);
	/* Closed while the reader works. */
	in = hs_input_open(path, err, sizeof(err));
	assert_non_null(in);
	assert_int_equal(hs_input_set_work(in, sum_work, NULL,
	    sizeof(struct sum)), 0);
	assert_int_equal(hs_input_next_worked(in, &b, &l, &res), 1);
	hs_input_close(in);
	hs_input_set_max_chunk(0);
	free(g.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_zstd_same),
		cmocka_unit_test(test_max_chunk),
		cmocka_unit_test(test_zstd_without_checksum),
		cmocka_unit_test(test_small_and_empty),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_damaged_zstd),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_close_early),
		cmocka_unit_test(test_work_ahead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
