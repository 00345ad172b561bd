/*
 * test_junit: lib/junit.c, on the diff of a real snapshot triple (one
 * Node 22 process, testdata/snapshots/triples/array-leak-*) and on
 * awkward strings for the XML escaping.
 */
#include "testutil.h"

#include "buf.h"
#include "diff.h"
#include "junit.h"
#include "summarize.h"
#include "summary.h"

static struct hs_diff *leak;	/* array-leak, three summaries */

static int
setup(void **state)
{
	static const char *const roles[] = { "baseline", "target", "final" };
	struct hs_diff_options o;
	struct hs_summary *s[3];
	char rel[256];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "snapshots/triples/array-leak-%s."
		    "heapsnapshot.zst", roles[i]);
		if (access(test_data_path(rel), R_OK) != 0)
			return 0;	/* the tests that need it skip */
		s[i] = test_summarize(rel);
	}
	hs_diff_defaults(&o);
	o.threshold = 10000;
	o.top = 8;
	leak = hs_diff_new();
	assert_non_null(leak);
	if (hs_diff_compute(leak, s, 3, &o) == -1)
		fail_msg("hs_diff_compute: %s", hs_diff_error(leak));
	for (i = 0; i < 3; i++)
		hs_summary_free(s[i]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hs_diff_free(leak);
	return 0;
}

static void
escapes_to(const char *in, size_t len, int attr, const char *want)
{
	struct hs_buf b = { 0 };

	assert_int_equal(hs_xml_escape(&b, in, len, attr), 0);
	assert_int_equal(hs_buf_cstr(&b), 0);
	assert_string_equal(b.data, want);
	hs_buf_free(&b);
}

#define ESC(in, attr, want)	escapes_to(in, sizeof(in) - 1, attr, want)
#define FFFD	"\xef\xbf\xbd"

static void
test_escape(void **state)
{
	(void)state;
	ESC("Detached <div>", 0, "Detached &lt;div&gt;");
	ESC("a & b", 1, "a &amp; b");
	ESC("q\"uote's", 1, "q&quot;uote's");
	ESC("q\"uote's", 0, "q\"uote's");
	ESC("x]]>y", 0, "x]]&gt;y");
	ESC("t\tn\nr\r", 1, "t&#9;n&#10;r&#13;");
	ESC("t\tn\nr\r", 0, "t\tn\nr&#13;");
	ESC("c\001d\033[31m", 0, "c" FFFD "d" FFFD "[31m");
	ESC("nul\0x", 0, "nul" FFFD "x");
	/* Not UTF-8: a lone continuation byte, an overlong slash, a cut
	 * sequence, a surrogate, past U+10FFFF. */
	ESC("a\x80z", 0, "a" FFFD "z");
	ESC("\xc0\xaf", 0, FFFD FFFD);
	ESC("\xe2\x82", 0, FFFD FFFD);
	ESC("\xed\xa0\x80", 0, FFFD FFFD FFFD);
	ESC("\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD);
	/* Non-characters U+FFFE and U+FFFF are not XML. */
	ESC("\xef\xbf\xbe\xef\xbf\xbf", 0, FFFD FFFD);
	/* Good UTF-8 passes: é, €, U+1F600. */
	ESC("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 1,
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

/* Occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static char *
write_xml(const struct hs_junit_options *o)
{
	struct hs_buf b = { 0 };
	char err[256];

	if (hs_junit_write(leak, o, &b, err, sizeof(err)) == -1)
		fail_msg("hs_junit_write: %s", err);
	assert_int_equal(hs_buf_cstr(&b), 0);
	return b.data;
}

static void
test_report(void **state)
{
	struct hs_junit_options o;
	char *x, want[512];
	const char *props, *cases, *out, *err;

	(void)state;
	if (leak == NULL)
		skip();
	hs_junit_defaults(&o);
	o.timestamp = "2024-05-01T12:00:00";
	o.hostname = "ci-runner";
	x = write_xml(&o);
	assert_string_equal(leak->likely_source, "LeakedEntry");
	/* Heap growth (+105 kB, 2.5%) passes no threshold; classes do. */
	assert_int_equal(leak->total_severity, HS_SEV_NONE);
	snprintf(want, sizeof(want), "<testsuite name=\"memory-leak-"
	    "detection\" timestamp=\"2024-05-01T12:00:00\" hostname=\"ci-"
	    "runner\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"0\" time=\"0\">", leak->class_count + 1,
	    hs_junit_failures(leak, &o));
	assert_non_null(strstr(x, want));
	assert_true(hs_junit_failures(leak, &o) >= 1);
	assert_int_equal(count(x, "<testcase "), leak->class_count + 1);
	assert_int_equal(count(x, "<failure "), hs_junit_failures(leak, &o));
	assert_non_null(strstr(x, "<testcase name=\"heap growth\" classname="
	    "\"memory-leak-detection.heap\" time=\"0\"/>"));
	assert_non_null(strstr(x, "<testcase name=\"class LeakedEntry\" "
	    "classname=\"memory-leak-detection.classes\" time=\"0\">\n"
	    "    <failure message=\"LeakedEntry grew by 96.0 kB, 800 new "
	    "objects, 400 leaked, severity low\" type=\"low\">class "
	    "LeakedEntry (key "));
	assert_non_null(strstr(x, "<property name=\"hs.likely_source\" "
	    "value=\"LeakedEntry\"/>"));
	assert_non_null(strstr(x, "<property name=\"hs.mode\" value=\"triple"
	    "\"/>"));
	/* JUnit.xsd's order: properties, test cases, system-out, -err. */
	props = strstr(x, "<properties>");
	cases = strstr(x, "<testcase ");
	out = strstr(x, "<system-out>");
	err = strstr(x, "<system-err></system-err>");
	assert_true(props && cases && out && err);
	assert_true(props < cases && cases < out && out < err);
	assert_non_null(strstr(out, "likely source: LeakedEntry"));
	free(x);

	/* A higher bar: nothing fails, the same test cases. */
	o.fail_on = HS_SEV_HIGH;
	assert_int_equal(hs_junit_failures(leak, &o), 0);
	x = write_xml(&o);
	assert_int_equal(count(x, "<failure "), 0);
	assert_non_null(strstr(x, "failures=\"0\""));
	free(x);

	/* Fewer classes checked, but never fewer than the findings. */
	o.fail_on = HS_SEV_LOW;
	o.top = 1;
	x = write_xml(&o);
	assert_true(count(x, "<testcase ") >= 2);
	assert_int_equal(count(x, "<testcase ") - 1, count(x, "<failure "));
	free(x);
}

static void
test_refusals(void **state)
{
	struct hs_junit_options o;
	struct hs_buf b = { 0 };
	char err[256];

	(void)state;
	if (leak == NULL)
		skip();
	hs_junit_defaults(&o);
	o.timestamp = "2024-05-01T12:00:00Z";
	assert_int_equal(hs_junit_write(leak, &o, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "the timestamp must read "
	    "YYYY-MM-DDThh:mm:ss");
	o.timestamp = NULL;
	assert_int_equal(hs_junit_write(leak, &o, &b, err, sizeof(err)), -1);
	o.timestamp = "2024-05-01T12:00:00";
	o.suite_name = "  ";
	assert_int_equal(hs_junit_write(leak, &o, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "the suite name is empty");
	assert_int_equal(b.len, 0);
	hs_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
