/*
 * fuzz_summary: libFuzzer target for the summary, diff and trend file
 * readers (hs_summary_read in lib/summary.h, hs_diff_read in lib/diff.h,
 * hs_trend_read and hs_samples_read, then a trend of the samples, in
 * lib/trend.h).  Both
 * read a path, so the input is written to a memory file (memfd) and read
 * back as /proc/self/fd/N; plain and zstd-compressed inputs both reach the
 * parsers.  Built and run by "make fuzz".
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diff.h"
#include "summary.h"
#include "trend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_summary *sum;
	struct hs_diff *d;
	struct hs_trend *t;
	struct hs_samples smp = { 0 };
	struct hs_trend_options o;
	char err[512];
	size_t off;
	ssize_t n;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz_summary", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1)
		abort();
	for (off = 0; off < size; off += (size_t)n)
		if ((n = write(fd, data + off, size - off)) <= 0)
			abort();

	if ((sum = hs_summary_read(path, err, sizeof(err))) != NULL) {
		(void)hs_summary_kind(sum);
		(void)hs_summary_find(sum, "Object");
		hs_summary_free(sum);
	}
	if ((d = hs_diff_read(path, err, sizeof(err))) != NULL)
		hs_diff_free(d);
	if ((t = hs_trend_read(path, err, sizeof(err))) != NULL)
		hs_trend_free(t);
	if (hs_samples_read(path, &smp, err, sizeof(err)) == 1 &&
	    (t = hs_trend_new()) != NULL) {
		hs_trend_defaults(&o);
		o.threshold = 0;
		(void)hs_trend_samples(t, &smp, &o);
		hs_trend_free(t);
	}
	hs_samples_free(&smp);
	return 0;
}
