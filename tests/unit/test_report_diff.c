/*
 * test_report_diff: lib/report_diff.c, on diffs of the array-leak triple
 * (summarized here with lib/summarize, compared with lib/diff, written
 * and read back as hs-report reads them), and on a small hand-written
 * diff for the names no snapshot has.
 */
#include "testutil.h"

#include <inttypes.h>

#include "buf.h"
#include "diff.h"
#include "jv.h"
#include "regex.h"
#include "report.h"
#include "summarize.h"
#include "summary.h"

static struct hs_diff *pair;	/* array-leak baseline -> target */
static struct hs_diff *triple;	/* baseline -> target -> final */
static struct hs_diff *same;	/* baseline -> baseline: no leak */

/* The summary of one snapshot of the array-leak triple. */
static struct hs_summary *
summarize(const char *role)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "snapshots/triples/array-leak-%s."
	    "heapsnapshot.zst", role);
	return test_summarize(rel);
}

/* Compares, writes the diff and reads it back, as hs-report gets it. */
static struct hs_diff *
diff_file(struct hs_summary **sums, int n)
{
	struct hs_diff_options o;
	struct test_sink sink = { 0 };
	struct hs_diff *d = hs_diff_new(), *r;
	char path[256], err[256];

	assert_non_null(d);
	hs_diff_defaults(&o);
	o.threshold = 10000;
	if (hs_diff_compute(d, sums, n, &o) == -1)
		fail_msg("hs_diff_compute: %s", hs_diff_error(d));
	assert_int_equal(hs_diff_write(d, test_sink_write, &sink, 3), 0);
	hs_diff_free(d);
	test_write_temp(path, sizeof(path), sink.data, sink.len);
	free(sink.data);
	r = hs_diff_read(path, err, sizeof(err));
	unlink(path);
	if (r == NULL)
		fail_msg("hs_diff_read: %s", err);
	return r;
}

static int
setup(void **state)
{
	struct hs_summary *s[3], *twice[2];
	int i;

	(void)state;
	if (access(test_data_path("snapshots/triples/array-leak-final."
	    "heapsnapshot.zst"), R_OK) == -1)
		return 0;	/* each test skips */
	s[0] = summarize("baseline");
	s[1] = summarize("target");
	s[2] = summarize("final");
	pair = diff_file(s, 2);
	triple = diff_file(s, 3);
	twice[0] = twice[1] = s[0];
	same = diff_file(twice, 2);
	for (i = 0; i < 3; i++)
		hs_summary_free(s[i]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hs_diff_free(pair);
	hs_diff_free(triple);
	hs_diff_free(same);
	return 0;
}

static void
need_diffs(void)
{
	if (pair == NULL)
		skip();
}

/* Renders d with o; NUL-terminated, freed by the caller. */
static char *
render(const struct hs_diff *d, const struct hs_report_options *o)
{
	struct hs_buf b = { 0 };
	char err[256];

	if (hs_report_diff_buf(d, o, &b, err, sizeof(err)) == -1)
		fail_msg("hs_report_diff_buf: %s", err);
	assert_int_equal(hs_buf_cstr(&b), 0);
	return b.data;
}

static char *
render_as(const struct hs_diff *d, enum hs_report_format f,
    enum hs_report_sort sort, size_t top)
{
	struct hs_report_options o;

	hs_report_defaults(&o);
	o.format = f;
	o.sort = sort;
	o.top = top;
	return render(d, &o);
}

static struct hs_jv *
parse(const char *out)
{
	struct hs_jv *doc;
	char err[256];

	doc = hs_jv_parse(out, strlen(out), 0, 1u << 24, err, sizeof(err));
	if (doc == NULL)
		fail_msg("output is not JSON: %s", err);
	assert_int_equal(doc->kind, HS_JV_OBJECT);
	return doc;
}

static int64_t
int_of(const struct hs_jv *o, const char *key)
{
	int64_t v;

	if (hs_jv_get_int(o, key, INT64_MIN, INT64_MAX, &v) == -1)
		fail_msg("no integer \"%s\"", key);
	return v;
}

/* Asserts that object o has exactly these keys, in this order. */
static void
assert_keys(const struct hs_jv *o, const char *const *keys, size_t n)
{
	size_t i;

	assert_non_null(o);
	assert_int_equal(o->kind, HS_JV_OBJECT);
	assert_int_equal(o->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(o->keys[i], keys[i]);
}

static const char *const input_keys[] = {
	"totalSize", "nodeCount", "timestamp", "filename"
};

static const char *const summary_keys[] = {
	"totalGrowthMB", "suspiciousGrowth", "likelyLeakSource", "confidence",
	"recommendations"
};

static void
test_json_pair(void **state)
{
	static const char *const top[] = { "before", "after", "offenders",
	    "summary" };
	static const char *const offender[] = { "type", "countBefore",
	    "countAfter", "retainedSizeBefore", "retainedSizeAfter",
	    "deltaSize", "deltaCount", "growthRate", "severity",
	    "suspiciousRetainers", "newCount", "newSize", "key" };
	const struct hs_jv *offs, *o, *sum, *x;
	struct hs_jv *doc;
	char *out;

	(void)state;
	need_diffs();
	out = render_as(pair, HS_REPORT_JSON, HS_SORT_AUTO,
	    HS_REPORT_TOP_AUTO);
	doc = parse(out);
	assert_keys(doc, top, 4);
	assert_keys(hs_jv_get(doc, "before"), input_keys, 4);
	assert_keys(hs_jv_get(doc, "after"), input_keys, 4);
	assert_int_equal(int_of(hs_jv_get(doc, "before"), "totalSize"),
	    pair->inputs[HS_D_OLD].total_size);
	assert_int_equal(int_of(hs_jv_get(doc, "after"), "nodeCount"),
	    pair->inputs[HS_D_NEW].node_count);
	assert_int_equal(hs_jv_get(hs_jv_get(doc, "after"), "timestamp")->kind,
	    HS_JV_NULL);
	assert_string_equal(hs_jv_get_str(hs_jv_get(doc, "after"),
	    "filename"), "snapshots/triples/array-leak-target.heapsnapshot.zst");

	/* Every class of the diff, in its order; LeakedEntry first. */
	offs = hs_jv_get(doc, "offenders");
	assert_int_equal(offs->kind, HS_JV_ARRAY);
	assert_int_equal(offs->len, pair->class_count);
	o = &offs->items[0];
	assert_keys(o, offender, sizeof(offender) / sizeof(offender[0]));
	assert_string_equal(hs_jv_get_str(o, "type"), "LeakedEntry");
	assert_int_equal(int_of(o, "countBefore"), 0);
	assert_int_equal(int_of(o, "countAfter"), 400);
	assert_int_equal(int_of(o, "deltaCount"), 400);
	assert_int_equal(int_of(o, "newCount"), 400);
	assert_int_equal(int_of(o, "newSize"), 16000);
	assert_int_equal(int_of(o, "retainedSizeBefore"), 0);
	assert_int_equal(int_of(o, "deltaSize"), int_of(o,
	    "retainedSizeAfter"));
	assert_int_equal(hs_jv_get(o, "growthRate")->kind, HS_JV_NULL);
	assert_string_equal(hs_jv_get_str(o, "severity"), "low");
	x = hs_jv_get(o, "suspiciousRetainers");
	assert_int_equal(x->kind, HS_JV_ARRAY);
	assert_true(x->len >= 1);
	assert_int_equal(x->items[0].kind, HS_JV_STRING);
	assert_non_null(strstr(x->items[0].str, "leakedEntries"));
	assert_null(strstr(x->items[0].str, "held by"));
	/* A class that was there before has a rate. */
	o = &offs->items[1];
	assert_string_equal(hs_jv_get_str(o, "type"), "Array");
	assert_int_equal(hs_jv_get(o, "growthRate")->kind, HS_JV_NUMBER);
	assert_in_range((int64_t)(hs_jv_get_num(o, "growthRate", 0) * 1000 +
	    0.5), 1722, 1724);

	sum = hs_jv_get(doc, "summary");
	assert_keys(sum, summary_keys, 5);
	assert_string_equal(hs_jv_get_str(sum, "likelyLeakSource"),
	    "LeakedEntry");
	assert_true(hs_jv_get(sum, "suspiciousGrowth")->boolean);
	assert_true(hs_jv_get_num(sum, "confidence", -1) > 0.5);
	/* 54752 bytes, in decimal megabytes with two decimals. */
	assert_true(hs_jv_get_num(sum, "totalGrowthMB", -1) == 0.05);
	assert_int_equal(hs_jv_get(sum, "recommendations")->len,
	    pair->recommendation_count);
	hs_jv_free(doc);
	free(out);
}

static void
test_json_triple(void **state)
{
	static const char *const top[] = { "before", "target", "after",
	    "offenders", "summary" };
	const struct hs_jv *o;
	struct hs_jv *doc;
	char *out;

	(void)state;
	need_diffs();
	out = render_as(triple, HS_REPORT_JSON, HS_SORT_AUTO, 2);
	doc = parse(out);
	assert_keys(doc, top, 5);
	assert_keys(hs_jv_get(doc, "target"), input_keys, 4);
	assert_int_equal(hs_jv_get(doc, "offenders")->len, 2);
	o = &hs_jv_get(doc, "offenders")->items[0];
	assert_string_equal(hs_jv_get_str(o, "type"), "LeakedEntry");
	assert_int_equal(int_of(o, "newCount"), 800);
	assert_int_equal(int_of(o, "leakedCount"), 400);
	assert_int_equal(int_of(o, "leakedSize"), 16000);
	assert_int_equal(int_of(o, "countAfter"), 800);
	hs_jv_free(doc);
	free(out);
}

static void
test_text(void **state)
{
	struct hs_report_options o;
	char *out;

	(void)state;
	need_diffs();
	out = render_as(pair, HS_REPORT_TEXT, HS_SORT_AUTO,
	    HS_REPORT_TOP_AUTO);
	assert_true(strncmp(out, "MEMORY LEAK DETECTION REPORT\n"
	    "============================\n\nBefore:       snapshots/triples/"
	    "array-leak-baseline.heapsnapshot.zst (4.3 MB)\nAfter:        ",
	    strlen("MEMORY LEAK DETECTION REPORT\n")) == 0);
	assert_non_null(strstr(out, "\nAfter:        snapshots/triples/"
	    "array-leak-target.heapsnapshot.zst (4.3 MB)\n"));
	assert_non_null(strstr(out, "\nTotal Growth:      54.8 kB\n"
	    "Suspicious Growth: YES\nLikely Source:     LeakedEntry "
	    "(confidence "));
	assert_non_null(strstr(out, "\nSTATUS\n------\nPOTENTIAL MEMORY LEAK "
	    "DETECTED\n"));
	assert_non_null(strstr(out, "\nTOP OFFENDERS\n-------------\n"
	    "1. LeakedEntry: +48.0 kB (400 objects, 400 new) low\n"
	    "   held by leakedEntries (Array, a module-level or closure "
	    "variable) at leakedEntries[]\n2. Array: "));
	assert_non_null(strstr(out, "\n10. "));
	assert_null(strstr(out, "\n11. "));
	assert_null(strchr(out, '\033'));
	free(out);

	out = render_as(triple, HS_REPORT_TEXT, HS_SORT_AUTO, 1);
	assert_non_null(strstr(out, "\nBaseline:     "));
	assert_non_null(strstr(out, "\nTarget:       "));
	assert_non_null(strstr(out, "\nFinal:        "));
	assert_non_null(strstr(out, "1. LeakedEntry: +96.0 kB (800 objects, "
	    "800 new, 400 leaked) low\n"));
	assert_null(strstr(out, "\n2. "));
	free(out);

	out = render_as(same, HS_REPORT_TEXT, HS_SORT_AUTO, 1);
	assert_non_null(strstr(out, "\nSuspicious Growth: NO\nLikely Source:"
	    "     none\n"));
	assert_non_null(strstr(out, "\nSTATUS\n------\nNO MEMORY LEAK "
	    "DETECTED\n"));
	free(out);

	/* Colour when asked (a terminal), only for text. */
	hs_report_defaults(&o);
	o.color = 1;
	out = render(pair, &o);
	assert_non_null(strstr(out, "\033[1mMEMORY LEAK DETECTION REPORT"
	    "\033[0m\n"));
	free(out);
	o.format = HS_REPORT_MARKDOWN;
	out = render(pair, &o);
	assert_null(strchr(out, '\033'));
	free(out);
}

static void
test_sort_filter(void **state)
{
	struct hs_report_options o;
	struct hs_buf b = { 0 };
	char err[256], *out;

	(void)state;
	need_diffs();
	/* By new objects: Array (401) before LeakedEntry (400). */
	out = render_as(pair, HS_REPORT_TSV, HS_SORT_NEW, 2);
	assert_non_null(strstr(out, "\nArray\t,Array\t"));
	assert_non_null(strstr(out, "\nLeakedEntry\t"));
	assert_true(strstr(out, "\nArray\t") < strstr(out, "\nLeakedEntry\t"));
	free(out);
	/* By delta: the largest change of retained size first. */
	out = render_as(triple, HS_REPORT_CSV, HS_SORT_DELTA, 1);
	assert_string_equal(out, "class,key,count_before,count_after,"
	    "retained_before,retained_after,delta_size,delta_count,"
	    "growth_rate,new_count,new_size,leaked_count,severity\r\n"
	    "Array,\",Array\",128,929,72984,176080,103096,801,2.413,801,"
	    "64080,401,low\r\n");
	free(out);

	hs_report_defaults(&o);
	o.format = HS_REPORT_CSV;
	o.include = hs_regex_new("^(LeakedEntry|Array|Map)$", 0, err,
	    sizeof(err));
	o.exclude = hs_regex_new("^Map$", 0, err, sizeof(err));
	assert_non_null(o.include);
	assert_non_null(o.exclude);
	out = render(triple, &o);
	assert_non_null(strstr(out, "\r\nLeakedEntry,\"79,12,13,LeakedEntry\","
	    "0,800,0,96000,96000,800,,800,32000,400,low\r\nArray,"));
	assert_null(strstr(out, "\r\nMap,"));
	free(out);
	hs_regex_free(o.include);
	hs_regex_free(o.exclude);

	/* Distance is for summaries; delta and new for diffs. */
	hs_report_defaults(&o);
	o.sort = HS_SORT_DISTANCE;
	assert_int_equal(hs_report_diff_buf(pair, &o, &b, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "sort key distance is for summaries");
	assert_int_equal(b.len, 0);
	hs_buf_free(&b);
}

static void
test_webhook(void **state)
{
	struct hs_report_options o;
	char *out;

	(void)state;
	need_diffs();
	hs_report_defaults(&o);
	o.format = HS_REPORT_WEBHOOK;
	o.report_url = "https://ci.example.com/a?b=1&c=\"2\"";
	out = render(triple, &o);
	assert_string_equal(out, "{\"type\":\"memory-leak-detection\","
	    "\"label\":null,\"status\":\"leak-detected\",\"growthMB\":0.11,"
	    "\"confidence\":1,\"severity\":\"low\",\"timestamp\":null,"
	    "\"reportUrl\":\"https://ci.example.com/a?b=1&c=\\\"2\\\"\"}\n");
	free(out);
	o.report_url = NULL;
	out = render(same, &o);
	assert_string_equal(out, "{\"type\":\"memory-leak-detection\","
	    "\"label\":null,\"status\":\"ok\",\"growthMB\":0,"
	    "\"confidence\":0,\"severity\":\"none\",\"timestamp\":null}\n");
	free(out);
}

static void
test_html(void **state)
{
	char *out, *p;
	size_t before = 0, after = 0;

	(void)state;
	need_diffs();
	out = render_as(triple, HS_REPORT_HTML, HS_SORT_AUTO, 4);
	assert_true(strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(out, "<meta name=\"viewport\""));
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "http"));
	for (p = out; (p = strstr(p, "<rect class=\"bar before\"")) != NULL;
	    p++)
		before++;
	for (p = out; (p = strstr(p, "<rect class=\"bar after\"")) != NULL;
	    p++)
		after++;
	assert_int_equal(before, 4);
	assert_int_equal(after, 4);
	assert_non_null(strstr(out, "Potential memory leak detected"));
	assert_non_null(strstr(out, ">LeakedEntry<"));
	assert_true(strlen(out) > 1000 && strcmp(out + strlen(out) - 8,
	    "</html>\n") == 0);
	free(out);
}

/* A diff with a hostile class name, for every format's escaping. */
static const char hostile[] =
"{\"type\":\"header\",\"format\":\"hs-diff\",\"version\":1,\"mode\":\"pair\","
"\"inputs\":[{\"role\":\"before\",\"name\":\"a<b>.heapsnapshot\","
"\"label\":\"api & <co>\",\"session\":\"17\",\"captured\":"
"\"2024-08-11T10:30:00Z\",\"total_size\":50000000,\"node_count\":10,"
"\"max_object_id\":9,\"ids\":false},{\"role\":\"after\",\"name\":"
"\"after.heapsnapshot\",\"label\":\"api & <co>\",\"session\":\"17\","
"\"captured\":\"2024-08-11T10:40:00Z\",\"total_size\":64060000,"
"\"node_count\":12,\"max_object_id\":19,\"ids\":false}],"
"\"same_process\":false,\"ids_used\":false,\"thresholds\":{\"threshold\":"
"1000,\"growth\":0.1,\"min_count\":0},\"verdict\":{\"severity\":"
"\"critical\",\"total_severity\":\"high\",\"leak\":true,\"total_growth\":"
"14060000,\"suspicious\":true,\"likely_source\":\"<img src=x>\\u001b[2J\","
"\"likely_key\":\"k\",\"confidence\":0.9,\"recommendations\":[\"Cap "
"*it*.\"]}}\n"
"{\"type\":\"class\",\"key\":\"k\",\"name\":\"<img src=x>\\u001b[2J\","
"\"status\":\"kept\",\"count\":1642,\"self\":100,\"retained\":9660000,"
"\"before\":{\"count\":0,\"self\":0,\"retained\":1},\"delta\":{\"count\":"
"1642,\"self\":100,\"retained\":9659999},\"rate\":9660000,\"severity\":"
"\"critical\",\"confidence\":0.9,\"score\":1,\"held_by\":\"held by "
"EventEmitter._events.data, \\\"x\\\"\"}\n";

static void
test_hostile(void **state)
{
	struct hs_diff *d;
	char path[256], err[256], *out, *p;

	(void)state;
	test_write_temp(path, sizeof(path), hostile, sizeof(hostile) - 1);
	d = hs_diff_read(path, err, sizeof(err));
	unlink(path);
	if (d == NULL)
		fail_msg("hand-written diff: %s", err);

	out = render_as(d, HS_REPORT_TEXT, HS_SORT_AUTO, HS_REPORT_TOP_AUTO);
	assert_null(strchr(out, '\033'));
	assert_non_null(strstr(out, "\nLabel:        api & <co> (session 17)\n"
	    "Before:       a<b>.heapsnapshot (50.0 MB, 2024-08-11T10:30:00Z)\n"
	    "After:        after.heapsnapshot (64.1 MB, 2024-08-11T10:40:00Z)"
	    "\n"));
	assert_non_null(strstr(out, "\nTotal Growth:      14.1 MB\n"));
	assert_non_null(strstr(out, "Likely Source:     <img src=x>\\x1b[2J "
	    "(confidence 0.90)\n"));
	assert_non_null(strstr(out, "\n1. <img src=x>\\x1b[2J: +9.7 MB (1642 "
	    "objects) critical\n   held by EventEmitter._events.data, \"x\"\n"));
	free(out);

	out = render_as(d, HS_REPORT_HTML, HS_SORT_AUTO, HS_REPORT_TOP_AUTO);
	assert_null(strstr(out, "<img"));
	assert_null(strchr(out, '\033'));
	assert_non_null(strstr(out, "&lt;img src=x&gt;\\x1b[2J"));
	assert_non_null(strstr(out, "api &amp; &lt;co&gt;"));
	assert_non_null(strstr(out, "EventEmitter._events.data, &quot;x&quot;"));
	free(out);

	out = render_as(d, HS_REPORT_MARKDOWN, HS_SORT_AUTO,
	    HS_REPORT_TOP_AUTO);
	for (p = out; (p = strchr(p, '<')) != NULL; p++)
		assert_true(p > out && p[-1] == '\\');
	assert_non_null(strstr(out, "\\<img src=x\\>"));
	assert_non_null(strstr(out, "Cap \\*it\\*."));
	free(out);

	out = render_as(d, HS_REPORT_CSV, HS_SORT_AUTO, 0);
	/* No ids: new and leaked empty; the rate as the diff has it. */
	assert_non_null(strstr(out, "\r\n<img src=x>\033[2J,k,0,1642,1,9660000,"
	    "9659999,1642,9660000,,,,critical\r\n"));
	free(out);

	out = render_as(d, HS_REPORT_JSON, HS_SORT_AUTO, 0);
	assert_non_null(strstr(out, "\"type\":\"<img src=x>\\u001b[2J\""));
	assert_non_null(strstr(out, "\"newCount\":null,\"newSize\":null"));
	assert_non_null(strstr(out, "\"timestamp\":\"2024-08-11T10:40:00Z\""));
	assert_non_null(strstr(out, "\"totalGrowthMB\":14.06"));
	free(out);

	out = render_as(d, HS_REPORT_WEBHOOK, HS_SORT_AUTO, 0);
	assert_string_equal(out, "{\"type\":\"memory-leak-detection\","
	    "\"label\":\"api & <co>\",\"status\":\"leak-detected\","
	    "\"growthMB\":14.06,\"confidence\":0.9,\"severity\":\"critical\","
	    "\"timestamp\":\"2024-08-11T10:40:00Z\"}\n");
	free(out);
	hs_diff_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_pair),
		cmocka_unit_test(test_json_triple),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_sort_filter),
		cmocka_unit_test(test_webhook),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
