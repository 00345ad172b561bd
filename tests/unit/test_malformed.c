/*
 * test_malformed: a real snapshot (Chromium's, the smallest bundled) cut
 * short at every byte of its first and last 4 KiB and at 256 points in
 * between, and with random bit flips (a fixed seed, so every run tries the
 * same inputs).  Every cut must be refused with one line "byte N: ..." (N
 * no further than the cut); every flip must be refused the same way or
 * read and analysed; nothing may crash, leak or hang.
 *
 * Reading the whole snapshot again for each input would take minutes
 * under AddressSanitizer, so one reader goes through the snapshot once and
 * forks at each point: the child feeds the altered rest, checks the
 * outcome and exits; the parent feeds on to the next point.
 * tests/cli/cases/malformed-*.sh run a sample of the same through the
 * tools.
 */
#include "testutil.h"

#include <sys/wait.h>

#include "analyze.h"
#include "snapshot.h"

#define SNAPSHOT	"dom-chromium"
#define EDGE		4096	/* every cut in the first and last EDGE bytes */
#define MIDDLE		256	/* cuts in between */
#define FLIPS		256
#define SEED		20261122u

/* What a child does at a point: feed what follows and check. */
typedef int (*at_point_fn)(struct hs_snapshot_reader *, const unsigned char *,
    size_t len, size_t pos, uint32_t arg);

/* 0 when msg is one line "byte N: ..." with N <= limit; else -1. */
static int
one_line_at_byte(const char *msg, uint64_t limit)
{
	unsigned long long n;
	int used = 0;

	if (strchr(msg, '\n') != NULL ||
	    sscanf(msg, "byte %llu: %n", &n, &used) != 1 || used == 0 ||
	    msg[used] == '\0' || n > limit)
		return -1;
	return 0;
}

/* The reader's error is one line "byte N: ...", N <= limit: 0; else -1. */
static int
refused(const struct hs_snapshot_reader *r, uint64_t limit)
{
	if (one_line_at_byte(hs_snapshot_reader_error(r), limit) == 0)
		return 0;
	fprintf(stderr, "message \"%s\"\n", hs_snapshot_reader_error(r));
	return -1;
}

static int
finish_refused(struct hs_snapshot_reader *r, uint64_t limit)
{
	if (hs_snapshot_reader_finish(r) == 0) {
		fprintf(stderr, "accepted\n");
		return -1;
	}
	return refused(r, limit);
}

/* A cut at pos: the input ends there. */
static int
cut_here(struct hs_snapshot_reader *r, const unsigned char *buf, size_t len,
    size_t pos, uint32_t arg)
{
	(void)buf;
	(void)len;
	(void)arg;
	return finish_refused(r, pos);
}

/* What hs-summarize does with a snapshot it read. */
static int
analyze(struct hs_snapshot *snap)
{
	struct hs_summarize_options o;
	struct hs_analysis *a;
	int rc = -1;

	hs_summarize_defaults(&o);
	if ((a = hs_analysis_new(snap, &o.analysis)) != NULL &&
	    hs_analysis_run(a, NULL, NULL) == 0)
		rc = 0;
	else if (a != NULL && strchr(hs_analysis_error(a), '\n') == NULL)
		rc = 0;	/* refused, in one line */
	hs_analysis_free(a);
	return rc;
}

/* A flip of the bits in arg (one byte's worth) at pos. */
static int
flip_here(struct hs_snapshot_reader *r, const unsigned char *buf, size_t len,
    size_t pos, uint32_t arg)
{
	unsigned char b = buf[pos] ^ (unsigned char)arg;
	struct hs_snapshot *snap;
	int rc;

	if (hs_snapshot_reader_feed(r, &b, 1) == -1 ||
	    hs_snapshot_reader_feed(r, buf + pos + 1, len - pos - 1) == -1 ||
	    hs_snapshot_reader_finish(r) == -1)
		return refused(r, len);
	snap = hs_snapshot_reader_take(r);
	rc = analyze(snap);
	hs_snapshot_free(snap);
	return rc;
}

/*
 * Feeds buf to one reader up to each of the n sorted points in turn and
 * forks there; the child runs fn and exits 0 when it passed.  Fails the
 * test on the first child that did not pass (or crashed).  Returns n.
 */
static size_t
sweep(const unsigned char *buf, size_t len, const size_t *points,
    const uint32_t *args, size_t n, at_point_fn fn)
{
	struct hs_snapshot_reader *r = hs_snapshot_reader_new();
	size_t i, fed = 0;
	int status;
	pid_t pid;

	assert_non_null(r);
	for (i = 0; i < n; i++) {
		assert_true(points[i] >= fed && points[i] <= len);
		if (points[i] > fed && hs_snapshot_reader_feed(r, buf + fed,
		    points[i] - fed) == -1)
			fail_msg("byte %zu: the intact snapshot refused: %s",
			    points[i], hs_snapshot_reader_error(r));
		fed = points[i];
		fflush(NULL);
		if ((pid = fork()) == 0) {
			int rc = fn(r, buf, len, fed, args ? args[i] : 0);

			fflush(NULL);
			_exit(rc == 0 ? 0 : 1);
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("byte %zu (bits %#x): %s %d", fed,
			    args ? (unsigned)args[i] : 0u,
			    WIFEXITED(status) ? "failed, exit" :
			    "crashed, signal", WIFEXITED(status) ?
			    WEXITSTATUS(status) : WTERMSIG(status));
	}
	hs_snapshot_reader_free(r);
	return n;
}

static size_t count_all;

static void
test_truncations(void **state)
{
	size_t len, n = 0, i, *points;
	unsigned char *buf = test_load_snapshot(SNAPSHOT, &len);

	(void)state;
	assert_true(len > 4 * EDGE);
	points = calloc(2 * EDGE + MIDDLE, sizeof(*points));
	assert_non_null(points);
	for (i = 0; i < EDGE; i++)
		points[n++] = i;
	for (i = 0; i < MIDDLE; i++)
		points[n++] = EDGE + (len - 2 * EDGE) * i / MIDDLE;
	for (i = len - EDGE; i < len; i++)
		points[n++] = i;
	count_all += sweep(buf, len, points, NULL, n, cut_here);
	free(points);
	free(buf);
}

/* A small deterministic generator (xorshift32). */
static uint32_t
next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int
by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_bit_flips(void **state)
{
	size_t len, i, points[FLIPS];
	uint32_t args[FLIPS], seed = SEED;
	unsigned char *buf = test_load_snapshot(SNAPSHOT, &len);

	(void)state;
	for (i = 0; i < FLIPS; i++)
		points[i] = next_random(&seed) % len;
	qsort(points, FLIPS, sizeof(points[0]), by_size);
	for (i = 0; i < FLIPS; i++) {
		/* One bit in most, up to eight in some. */
		args[i] = 1u << (next_random(&seed) % 8);
		if (i % 4 == 0)
			args[i] |= next_random(&seed) & 0xff;
	}
	count_all += sweep(buf, len, points, args, FLIPS, flip_here);
	free(buf);
}

static void
test_report(void **state)
{
	(void)state;
	/* The figure README's "Reliability" section quotes. */
	printf("malformed snapshots tried: %zu\n", count_all);
	assert_int_equal(count_all, 2 * EDGE + MIDDLE + FLIPS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
