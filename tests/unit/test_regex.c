/*
 * test_regex: PCRE2 with limits.  Matching, case folding, UTF-8, errors
 * that name the offset, and patterns that would backtrack for ages
 * failing fast instead.
 */
#include <time.h>

#include "testutil.h"

#include "regex.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
match(const char *pattern, int flags, const char *subject)
{
	char err[256] = "";
	struct hs_regex *re = hs_regex_new(pattern, flags, err, sizeof(err));
	int r;

	if (re == NULL)
		fail_msg("%s: %s", pattern, err);
	r = hs_regex_match(re, subject, strlen(subject));
	hs_regex_free(re);
	return r;
}

static void
test_match(void **state)
{
	(void)state;
	assert_int_equal(match("Leak", 0, "LeakyThing"), 1);
	assert_int_equal(match("^Thing", 0, "LeakyThing"), 0);
	assert_int_equal(match("leaky", 0, "LeakyThing"), 0);
	assert_int_equal(match("leaky", HS_RE_CASELESS, "LeakyThing"), 1);
	assert_int_equal(match("^(token|secret)$", 0, "secret"), 1);
	assert_int_equal(match("^(token|secret)$", 0, "secrets"), 0);
	assert_int_equal(match("", 0, ""), 1);
	/* UTF-8: one character, case-folded too. */
	assert_int_equal(match("^\xd0\xba.\xd1\x8e\xd1\x87$", 0,
	    "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87"), 1);
	assert_int_equal(match("\xd0\x9a\xd0\x9b", HS_RE_CASELESS,
	    "\xd0\xba\xd0\xbb"), 1);
	/* Invalid UTF-8 in the subject is not an error. */
	assert_int_equal(match("abc", 0, "x\xff" "abc"), 1);
	assert_int_equal(match("abc", 0, "x\xff" "ab"), 0);
}

static void
test_length_not_nul(void **state)
{
	char err[256];
	struct hs_regex *re = hs_regex_new("b$", 0, err, sizeof(err));

	(void)state;
	assert_non_null(re);
	/* The subject's length counts, not a NUL. */
	assert_int_equal(hs_regex_match(re, "abc", 2), 1);
	assert_int_equal(hs_regex_match(re, "a\0b", 3), 1);
	hs_regex_free(re);
	hs_regex_free(NULL);
}

static void
test_bad_pattern(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(hs_regex_new("ab(c", 0, err, sizeof(err)));
	assert_true(strncmp(err, "bad regular expression at offset 4: ",
	    36) == 0);
	assert_null(hs_regex_new("a[", 0, err, sizeof(err)));
	assert_true(strncmp(err, "bad regular expression at offset 2: ",
	    36) == 0);
	assert_null(hs_regex_new("*x", 0, err, sizeof(err)));
	assert_true(strncmp(err, "bad regular expression at offset 0: ",
	    36) == 0);
}

static void
test_pathological(void **state)
{
	static const char *const patterns[] = {
		"(a+)+$", "(a|aa)+$", "(a*)*b", "^(\\w+\\s?)*$", "(x+x+)+y",
	};
	char subject[20000];
	size_t i, n;
	double t0;
	int r;

	(void)state;
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		for (n = 40; n <= 10000; n *= 250) {
			memset(subject, patterns[i][1] == 'x' ? 'x' :
			    patterns[i][2] == 'w' ? 'a' : 'a', n);
			subject[n] = '!';
			subject[n + 1] = '\0';
			t0 = now();
			r = match(patterns[i], 0, subject);
			if (r == 1)
				fail_msg("%s matched", patterns[i]);
			if (now() - t0 > 2.0)
				fail_msg("%s on %zu bytes took %.1f s",
				    patterns[i], n + 1, now() - t0);
		}
	}
	/* The one the brief names, exactly. */
	t0 = now();
	r = match("(a+)+$", 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	assert_true(r == -1 || r == 0);
	assert_true(now() - t0 < 2.0);
}

/*
 * A match that hits a limit makes the pattern fail for good: later calls
 * return -1 at once (a run over millions of names would otherwise pay the
 * limit for each), and hs_regex_failed() says so.
 */
static void
test_failed_sticks(void **state)
{
	static const char subject[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
	struct hs_regex *re;
	char err[256];
	double t0;
	int i;

	(void)state;
	assert_non_null(re = hs_regex_new("(\\w+)*\\d$", 0, err,
	    sizeof(err)));
	assert_false(hs_regex_failed(re));
	assert_false(hs_regex_failed(NULL));
	assert_int_equal(hs_regex_match(re, "ab1", 3), 1);
	assert_int_equal(hs_regex_match(re, subject, sizeof(subject) - 1),
	    -1);
	assert_true(hs_regex_failed(re));
	t0 = now();
	for (i = 0; i < 100000; i++)
		assert_int_equal(hs_regex_match(re, subject,
		    sizeof(subject) - 1), -1);
	assert_int_equal(hs_regex_match(re, "ab1", 3), -1);
	assert_true(now() - t0 < 0.5);
	hs_regex_free(re);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_length_not_nul),
		cmocka_unit_test(test_bad_pattern),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_failed_sticks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
