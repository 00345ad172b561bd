/*
 * test_trend: the fitting, the rules of hs-trend(1) on its worked
 * examples, survival from object ids in hand-written summaries, samples,
 * and the hs-trend file read back.
 */
#include "testutil.h"

#include <math.h>

#include "buf.h"
#include "diff.h"
#include "regex.h"
#include "trend.h"

#define MB	1000000ull
#define KB	1000ull

static const double minutes[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void
classify(const uint64_t *y, const uint64_t *count, size_t n, double survival,
    uint64_t threshold, struct hs_trend_fit *f, enum hs_trend_pattern *p,
    double *conf)
{
	hs_trend_fit(minutes, y, count, n, f);
	hs_trend_classify(f, y, n, survival, threshold, p, conf);
}

static void
test_line(void **state)
{
	static const uint64_t y[] = { 0, 240 * KB, 480 * KB, 720 * KB,
	    960 * KB, 1200 * KB };
	static const uint64_t c[] = { 0, 2000, 4000, 6000, 8000, 10000 };
	static const uint64_t flat[] = { 5, 5, 5, 5 };
	struct hs_trend_fit f;
	enum hs_trend_pattern p;
	double conf;

	(void)state;
	/* The man page's leak: exact line, every interval, all survive. */
	classify(y, c, 6, 1, 10 * KB, &f, &p, &conf);
	assert_true(fabs(f.slope - 240000) < 1e-6);
	assert_true(fabs(f.r2 - 1) < 1e-12);
	assert_true(f.grew == 1);
	assert_false(f.has_exp);	/* a 0 */
	assert_int_equal(p, HS_PAT_LEAK);
	assert_true(fabs(conf - 1.00) < 1e-9);
	/* Without ids: still a leak (R2 >= 0.9), confidence 0.70. */
	classify(y, c, 6, -1, 10 * KB, &f, &p, &conf);
	assert_int_equal(p, HS_PAT_LEAK);
	assert_true(fabs(conf - 0.70) < 1e-9);
	/* With ids but no survivors: growth, not a leak. */
	classify(y, c, 6, 0.2, 10 * KB, &f, &p, &conf);
	assert_int_equal(p, HS_PAT_LINEAR);
	/* Objects that do not grow: a container, not a leak. */
	classify(y, flat, 4, -1, 10 * KB, &f, &p, &conf);
	assert_true(f.grew == 0);
	/* Under the threshold: stable. */
	classify(y, c, 6, 1, 2 * MB, &f, &p, &conf);
	assert_int_equal(p, HS_PAT_STABLE);
	assert_true(conf == 0);
	/* Flat: R2 1, stable. */
	classify(flat, NULL, 4, -1, 0, &f, &p, &conf);
	assert_true(f.r2 == 1 && f.slope == 0 && f.grew == 0);
	assert_int_equal(p, HS_PAT_STABLE);
}

static void
test_examples(void **state)
{
	static const uint64_t cache[] = { 0, 114 * KB, 120 * KB, 120 * KB,
	    120 * KB, 120 * KB };
	static const uint64_t dbl[] = { 1 * MB, 2 * MB, 4 * MB, 8 * MB,
	    16 * MB };
	static const uint64_t dblc[] = { 1, 2, 3, 4, 5 };
	static const uint64_t lin[] = { 100 * MB, 140 * MB, 135 * MB,
	    165 * MB, 190 * MB };
	static const uint64_t spike[] = { 10 * MB, 30 * MB, 12 * MB, 11 * MB };
	struct hs_trend_fit f;
	enum hs_trend_pattern p;
	double conf;

	(void)state;
	/* A cache: early 60 kB/min, late 0: stopped, stable. */
	classify(cache, NULL, 6, 1, 10 * KB, &f, &p, &conf);
	assert_true(fabs(f.early - 60000) < 1e-6);
	assert_true(fabs(f.late) < 1e-6);
	assert_true(fabs(f.r2 - 0.4628) < 5e-5);
	assert_true(fabs(f.slope - 17657.1) < 0.1);
	assert_int_equal(p, HS_PAT_STABLE);
	/* Doubling: the line's R2 0.871 < 0.9, logs exact: exponential. */
	classify(dbl, dblc, 5, -1, 10 * KB, &f, &p, &conf);
	assert_true(fabs(f.r2 - 0.871) < 5e-4);
	assert_true(f.has_exp);
	assert_true(fabs(f.exp_r2 - 1) < 1e-9);
	assert_true(fabs(f.exp_rate - log(2)) < 1e-9);
	assert_true(fabs(f.early - 1.5 * MB) < 1e-3);
	assert_true(fabs(f.late - 6 * MB) < 1e-3);
	assert_int_equal(p, HS_PAT_EXPONENTIAL);
	assert_true(fabs(conf - 0.70) < 1e-9);
	/* 100, 140, 135, 165, 190 MB: linear, 0.58. */
	classify(lin, NULL, 5, -1, 10ull * HS_MIB, &f, &p, &conf);
	assert_true(fabs(f.r2 - 0.9196) < 5e-5);
	assert_true(fabs(f.exp_r2 - 0.9002) < 5e-5);
	assert_true(fabs(f.slope - 20.5 * MB) < 1);
	assert_true(fabs(f.grew - 0.75) < 1e-12);
	assert_int_equal(p, HS_PAT_LINEAR);
	assert_true(fabs(conf - 0.58) < 1e-9);
	/* 10, 30, 12, 11 MB: rose 20, fell 19: spike. */
	classify(spike, NULL, 4, -1, 1 * MB, &f, &p, &conf);
	assert_int_equal(p, HS_PAT_SPIKE);
	assert_true(conf == 0);
	/* The same with a threshold above the fall: stable. */
	classify(spike, NULL, 4, -1, 20 * MB, &f, &p, &conf);
	assert_int_equal(p, HS_PAT_STABLE);
}

/* ---- summaries ---- */

static struct hs_summary *
read_text(const char *text)
{
	char path[256], err[256];
	struct hs_summary *s;

	test_write_temp(path, sizeof(path), text, strlen(text));
	s = hs_summary_read(path, err, sizeof(err));
	unlink(path);
	if (s == NULL)
		fail_msg("hand-written summary: %s", err);
	return s;
}

/*
 * Four summaries of one process: Leaky gains 2 objects at each step and
 * keeps them (ids 101, 103 at point 1, 105, 107 at point 2...); Churn
 * always has 2, replaced at every step; Holder is one object whose
 * retained size grows with Leaky's.
 */
static const char *const series_text[4] = {
	"{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	"\"ids\":true,\"session\":\"p1\",\"captured\":\"2026-11-22T05:30:00Z\","
	"\"total_size\":1000000,\"node_count\":100,\"max_js_object_id\":99}\n"
	"{\"type\":\"class\",\"key\":\",Holder\",\"name\":\"Holder\",\"count\":1,"
	"\"self\":16,\"retained\":16}\n"
	"{\"type\":\"class\",\"key\":\",Churn\",\"name\":\"Churn\",\"count\":2,"
	"\"self\":64,\"retained\":64}\n"
	"{\"type\":\"ids\",\"key\":\",Holder\",\"ids\":[1],\"self\":[16]}\n"
	"{\"type\":\"ids\",\"key\":\",Churn\",\"ids\":[3,2],\"self\":[32,32]}\n",

	"{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	"\"ids\":true,\"session\":\"p1\",\"captured\":\"2026-11-22T05:31:00Z\","
	"\"total_size\":1100000,\"node_count\":102,\"max_js_object_id\":199}\n"
	"{\"type\":\"class\",\"key\":\",Holder\",\"name\":\"Holder\",\"count\":1,"
	"\"self\":16,\"retained\":40016}\n"
	"{\"type\":\"class\",\"key\":\",Leaky\",\"name\":\"Leaky\",\"count\":2,"
	"\"self\":40000,\"retained\":40000}\n"
	"{\"type\":\"class\",\"key\":\",Churn\",\"name\":\"Churn\",\"count\":2,"
	"\"self\":64,\"retained\":64}\n"
	"{\"type\":\"ids\",\"key\":\",Holder\",\"ids\":[1],\"self\":[16]}\n"
	"{\"type\":\"ids\",\"key\":\",Leaky\",\"ids\":[101,2],"
	"\"self\":[20000,20000]}\n"
	"{\"type\":\"ids\",\"key\":\",Churn\",\"ids\":[111,2],\"self\":[32,32]}\n",

	"{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	"\"ids\":true,\"session\":\"p1\",\"captured\":\"2026-11-22T05:32:00Z\","
	"\"total_size\":1200000,\"node_count\":104,\"max_js_object_id\":299}\n"
	"{\"type\":\"class\",\"key\":\",Holder\",\"name\":\"Holder\",\"count\":1,"
	"\"self\":16,\"retained\":80016}\n"
	"{\"type\":\"class\",\"key\":\",Leaky\",\"name\":\"Leaky\",\"count\":4,"
	"\"self\":80000,\"retained\":80000}\n"
	"{\"type\":\"class\",\"key\":\",Churn\",\"name\":\"Churn\",\"count\":2,"
	"\"self\":64,\"retained\":64}\n"
	"{\"type\":\"ids\",\"key\":\",Holder\",\"ids\":[1],\"self\":[16]}\n"
	"{\"type\":\"ids\",\"key\":\",Leaky\",\"ids\":[101,2,2,2],"
	"\"self\":[20000,20000,20000,20000]}\n"
	"{\"type\":\"ids\",\"key\":\",Churn\",\"ids\":[211,2],\"self\":[32,32]}\n",

	"{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	"\"ids\":true,\"session\":\"p1\",\"captured\":\"2026-11-22T05:33:00Z\","
	"\"total_size\":1300000,\"node_count\":106,\"max_js_object_id\":399}\n"
	"{\"type\":\"class\",\"key\":\",Holder\",\"name\":\"Holder\",\"count\":1,"
	"\"self\":16,\"retained\":120016}\n"
	"{\"type\":\"class\",\"key\":\",Leaky\",\"name\":\"Leaky\",\"count\":6,"
	"\"self\":120000,\"retained\":120000}\n"
	"{\"type\":\"class\",\"key\":\",Churn\",\"name\":\"Churn\",\"count\":2,"
	"\"self\":64,\"retained\":64}\n"
	"{\"type\":\"ids\",\"key\":\",Holder\",\"ids\":[1],\"self\":[16]}\n"
	"{\"type\":\"ids\",\"key\":\",Leaky\",\"ids\":[101,2,2,2,2,2],"
	"\"self\":[20000,20000,20000,20000,20000,20000]}\n"
	"{\"type\":\"ids\",\"key\":\",Churn\",\"ids\":[311,2],\"self\":[32,32]}\n",
};

static const struct hs_trend_series *
find_series(const struct hs_trend *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->series_count; i++)
		if (strcmp(t->series[i].name, name) == 0)
			return &t->series[i];
	fail_msg("no series %s", name);
	return NULL;
}

static void
test_summaries(void **state)
{
	struct hs_summary *sums[4];
	struct hs_trend_options o;
	struct hs_trend *t, *back;
	const struct hs_trend_series *s;
	struct hs_buf b = { 0 };
	struct test_sink sink = { 0 };
	char path[256], err[256];
	int i;

	(void)state;
	/* Given newest first: put back in order of capture time. */
	for (i = 0; i < 4; i++)
		sums[i] = read_text(series_text[3 - i]);
	hs_trend_defaults(&o);
	o.threshold = 10 * KB;
	assert_non_null(t = hs_trend_new());
	if (hs_trend_summaries(t, sums, 4, &o) == -1)
		fail_msg("%s", hs_trend_error(t));
	assert_true(t->ids_used);
	assert_true(t->timed);
	assert_int_equal(t->point_count, 4);
	assert_true(fabs(t->points[3].minutes - 3) < 1e-9);
	assert_int_equal(t->points[0].max_object_id, 99);
	assert_string_equal(t->series[0].name, "(total)");
	/* Leaky: 2 new at points 1 and 2, all 4 in the last. */
	s = find_series(t, "Leaky");
	assert_int_equal(s->pattern, HS_PAT_LEAK);
	assert_int_equal(s->new_objects, 4);
	assert_int_equal(s->survivors, 4);
	assert_true(fabs(s->fit.slope - 40000) < 1e-6);
	assert_true(fabs(s->count_slope - 2) < 1e-9);
	assert_int_equal(s->severity, HS_SEV_LOW);
	assert_true(fabs(s->confidence - 1) < 1e-9);
	/* Churn: 2 new at each point, none left at the last. */
	s = find_series(t, "Churn");
	assert_int_equal(s->pattern, HS_PAT_STABLE);
	assert_int_equal(s->new_objects, 4);
	assert_int_equal(s->survivors, 0);
	/* Holder: grows, but its objects do not: linear. */
	s = find_series(t, "Holder");
	assert_int_equal(s->pattern, HS_PAT_LINEAR);
	assert_false(s->has_survival);
	assert_true(s->fit.grew == 0);
	assert_int_equal(t->leaks, 1);
	assert_string_equal(t->series[1].name, "Leaky");

	/* Written and read back. */
	assert_int_equal(hs_trend_write(t, test_sink_write, &sink), 0);
	test_write_temp(path, sizeof(path), sink.data, sink.len);
	free(sink.data);
	back = hs_trend_read(path, err, sizeof(err));
	unlink(path);
	if (back == NULL)
		fail_msg("read back: %s", err);
	assert_int_equal(back->series_count, t->series_count);
	assert_int_equal(back->point_count, 4);
	assert_int_equal(back->leaks, 1);
	s = find_series(back, "Leaky");
	assert_int_equal(s->pattern, HS_PAT_LEAK);
	assert_int_equal(s->survivors, 4);
	assert_int_equal(s->bytes[3], 120000);
	assert_int_equal(s->count[3], 6);
	assert_int_equal(hs_trend_text(back, 0, &b), 0);
	assert_non_null(strstr(b.data, "likely source Leaky"));
	hs_buf_free(&b);
	hs_trend_free(back);
	hs_trend_free(t);

	/* --min-count above the survivors: stable. */
	o.min_count = 5;
	assert_non_null(t = hs_trend_new());
	assert_int_equal(hs_trend_summaries(t, sums, 4, &o), 0);
	assert_int_equal(find_series(t, "Leaky")->pattern, HS_PAT_STABLE);
	hs_trend_free(t);
	/* --top 1 --exclude Leaky: only Holder is left among classes. */
	o.min_count = 0;
	o.top = 1;
	assert_non_null(o.exclude = hs_regex_new("^Leaky$", 0, err,
	    sizeof(err)));
	assert_non_null(t = hs_trend_new());
	assert_int_equal(hs_trend_summaries(t, sums, 4, &o), 0);
	assert_int_equal(t->series_count, 2);
	assert_string_equal(t->series[1].name, "Holder");
	assert_int_equal(t->classes_filtered, 1);
	assert_int_equal(t->classes_cut, 1);
	hs_trend_free(t);
	hs_regex_free(o.exclude);
	for (i = 0; i < 4; i++)
		hs_summary_free(sums[i]);
}

static void
test_processes(void **state)
{
	struct hs_summary *sums[3];
	struct hs_trend_options o;
	struct hs_trend *t;
	char *other;
	int i;

	(void)state;
	sums[0] = read_text(series_text[0]);
	sums[1] = read_text(series_text[1]);
	assert_non_null(other = hs_strdup(series_text[2]));
	memcpy(strstr(other, "\"p1\""), "\"p2\"", 4);
	sums[2] = read_text(other);
	hs_free(other);
	hs_trend_defaults(&o);
	assert_non_null(t = hs_trend_new());
	assert_int_equal(hs_trend_summaries(t, sums, 3, &o), -1);
	assert_non_null(strstr(hs_trend_error(t), "not one process: the "
	    "summaries name different sessions"));
	hs_trend_free(t);
	/* Two are not a series. */
	assert_non_null(t = hs_trend_new());
	assert_int_equal(hs_trend_summaries(t, sums, 2, &o), -1);
	hs_trend_free(t);
	for (i = 0; i < 3; i++)
		hs_summary_free(sums[i]);
}

static void
test_samples(void **state)
{
	static const char text[] =
	    "{\"type\":\"sample\",\"time\":\"2026-11-22T06:31:00.500+01:00\","
	    "\"heap_used\":3000000,\"rss\":9}\n"
	    "{\"type\":\"note\"}\n"
	    "{\"type\":\"sample\",\"time\":\"2026-11-22T05:30:00Z\","
	    "\"heap_used\":1000000,\"rss\":9,\"x\":[1]}\n"
	    "{\"type\":\"sample\",\"time\":\"2026-11-22T05:30:30.250Z\","
	    "\"heap_used\":2000000,\"rss\":null}\n";
	struct hs_samples smp = { 0 };
	struct hs_trend_options o;
	struct hs_trend *t;
	char path[256], err[256];
	int r;

	(void)state;
	test_write_temp(path, sizeof(path), text, strlen(text));
	r = hs_samples_read(path, &smp, err, sizeof(err));
	unlink(path);
	if (r != 1)
		fail_msg("samples: %s", err);
	assert_int_equal(smp.n, 3);
	hs_trend_defaults(&o);
	o.threshold = 1000;
	assert_non_null(t = hs_trend_new());
	assert_int_equal(hs_trend_samples(t, &smp, &o), 0);
	/* Sorted by time; rss is not in every sample: heap_used only. */
	assert_int_equal(t->point_count, 3);
	assert_int_equal(t->series_count, 1);
	assert_string_equal(t->series[0].name, "heap_used");
	assert_true(fabs(t->points[1].minutes - 30.25 / 60) < 1e-9);
	assert_true(fabs(t->points[2].minutes - 60.5 / 60) < 1e-9);
	assert_int_equal(t->series[0].bytes[0], 1000000);
	assert_int_equal(t->series[0].bytes[2], 3000000);
	assert_int_equal(t->series[0].pattern, HS_PAT_LEAK);
	hs_trend_free(t);
	hs_samples_free(&smp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_summaries),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_samples),
	};

	hs_alloc_init_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
