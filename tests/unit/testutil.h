/*
 * testutil: what the unit tests share.  The includes come in the order
 * libcmocka 1.1.5 needs (its header uses va_list, size_t, jmp_buf and
 * uintmax_t without including their headers), and the helpers find and
 * load the bundled test data.
 *
 * Tests run from the top of the repository; HS_TESTDATA in the
 * environment names another testdata directory.  Everything here is
 * static inline, so a test that uses none of it does not warn.
 */
#ifndef HS_TESTUTIL_H
#define HS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "input.h"
#include "summarize.h"
#include "summary.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * Tests check that impossible or huge allocations fail cleanly, which
 * AddressSanitizer turns into a crash unless told to return NULL.  No unit
 * test needs a single block over 2 GiB.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1:max_allocation_size_mb=2048";
}
#endif

/* The testdata directory: $HS_TESTDATA, or "testdata". */
static inline const char *
test_data_dir(void)
{
	const char *d = getenv("HS_TESTDATA");

	return d != NULL && *d != '\0' ? d : "testdata";
}

/* "<testdata>/<rel>" in a static buffer (valid until the next call). */
static inline const char *
test_data_path(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", test_data_dir(), rel);
	return path;
}

/*
 * Reads a whole file through lib/input (so a .zst file comes back
 * decompressed) into memory the caller frees with free().  Fails the test
 * on error.
 */
static inline unsigned char *
test_load_path(const char *path, size_t *lenp)
{
	char err[256];
	struct hs_input *in;
	const unsigned char *buf;
	unsigned char *all = NULL, *p;
	size_t len, total = 0, cap = 0;
	int r;

	in = hs_input_open(path, err, sizeof(err));
	if (in == NULL)
		fail_msg("%s: %s", path, err);
	while ((r = hs_input_next(in, &buf, &len)) == 1) {
		if (total + len + 1 > cap) {
			cap = (total + len + 1) * 2;
			p = realloc(all, cap);
			assert_non_null(p);
			all = p;
		}
		memcpy(all + total, buf, len);
		total += len;
	}
	if (r == -1)
		fail_msg("%s: %s", path, hs_input_error(in));
	hs_input_close(in);
	if (all == NULL)
		all = calloc(1, 1);
	assert_non_null(all);
	all[total] = '\0';
	*lenp = total;
	return all;
}

/* Loads testdata/snapshots/<name>.heapsnapshot.zst, decompressed. */
static inline unsigned char *
test_load_snapshot(const char *name, size_t *lenp)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "snapshots/%s.heapsnapshot.zst", name);
	return test_load_path(test_data_path(rel), lenp);
}

/*
 * A figure from the header of testdata/expected/<name>.tsv ("# key=value"),
 * DevTools' own value for that snapshot.  Fails the test when absent.
 */
static inline uint64_t
test_expected_figure(const char *name, const char *key)
{
	char rel[256], line[512];
	size_t klen = strlen(key);
	FILE *f;

	snprintf(rel, sizeof(rel), "expected/%s.tsv", name);
	if ((f = fopen(test_data_path(rel), "r")) == NULL)
		fail_msg("%s: cannot open", test_data_path(rel));
	while (fgets(line, sizeof(line), f) != NULL && line[0] == '#') {
		if (strncmp(line + 2, key, klen) == 0 &&
		    line[2 + klen] == '=') {
			fclose(f);
			return strtoull(line + 3 + klen, NULL, 10);
		}
	}
	fclose(f);
	fail_msg("%s: no \"%s\" in the header", rel, key);
	return 0;
}

/*
 * Writes len bytes to a new temporary file; returns its path (in a static
 * buffer of the caller's choosing, pathbuf of at least 64 bytes).
 */
static inline const char *
test_write_temp(char *pathbuf, size_t pathlen, const void *data, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(pathbuf, pathlen, "%s/hs-unit-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	fd = mkstemp(pathbuf);
	assert_true(fd != -1);
	assert_true(len == 0 || write(fd, data, len) == (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return pathbuf;
}

/* An hs_write_fn that appends to a struct test_sink. */
struct test_sink {
	unsigned char	*data;
	size_t		 len, cap;
};

static inline int
test_sink_write(void *ctx, const void *buf, size_t len)
{
	struct test_sink *s = ctx;
	unsigned char *p;

	if (s->len + len > s->cap) {
		s->cap = (s->len + len) * 2 + 64;
		p = realloc(s->data, s->cap);
		if (p == NULL)
			return -1;
		s->data = p;
	}
	memcpy(s->data + s->len, buf, len);
	s->len += len;
	return 0;
}

/* Summarizes testdata/<rel> as hs-summarize would, and reads it back. */
static inline struct hs_summary *
test_summarize(const char *rel)
{
	struct hs_summarize_options o;
	struct test_sink sink = { 0 };
	struct hs_summary *s;
	char path[256], err[256];

	hs_summarize_defaults(&o);
	o.meta.source_name = rel;
	if (hs_summarize(test_data_path(rel), &o, test_sink_write, &sink, err,
	    sizeof(err)) == -1)
		fail_msg("hs_summarize %s: %s", rel, err);
	test_write_temp(path, sizeof(path), sink.data, sink.len);
	free(sink.data);
	s = hs_summary_read(path, err, sizeof(err));
	unlink(path);
	if (s == NULL)
		fail_msg("hs_summary_read: %s", err);
	return s;
}

/* Whether the error message starts with "byte " and a number, then ": ". */
static inline int
test_is_byte_error(const char *msg)
{
	const char *p = msg;

	if (strncmp(p, "byte ", 5) != 0)
		return 0;
	p += 5;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return p[0] == ':' && p[1] == ' ';
}

#endif
