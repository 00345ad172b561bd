/*
 * test_json: the yajl wrapper.  Events and their absolute offsets must not
 * depend on how the input is cut into chunks; errors read "byte N: ..." and
 * never quote the input; running out of memory anywhere gives a clean error.
 */
#include "testutil.h"

#include "buf.h"
#include "json.h"

static const size_t chunks[] = { 1, 2, 3, 7, 4093, (size_t)-1 };
#define NCHUNKS	(sizeof(chunks) / sizeof(chunks[0]))

/* Records events as text, each with hs_json_offset() after it. */
struct trace {
	struct hs_json	*j;
	char		 text[4096];	/* not hs_buf: OOM tests fail those */
	size_t		 len;
	int		 stop_at;	/* event number to refuse, or -1 */
	int		 stop_with_message;
	int		 events;
};

static int
rec(struct trace *t, const char *what, const void *s, size_t len)
{
	if (t->events++ == t->stop_at) {
		if (t->stop_with_message)
			return hs_json_fail(t->j, "handler refused event %d",
			    t->events - 1);
		return -1;
	}
	assert_true(t->len + strlen(what) + len + 32 < sizeof(t->text));
	t->len += (size_t)sprintf(t->text + t->len, "%s", what);
	if (s != NULL) {
		t->text[t->len++] = ':';
		memcpy(t->text + t->len, s, len);
		t->len += len;
	}
	t->len += (size_t)sprintf(t->text + t->len, "@%llu ",
	    (unsigned long long)hs_json_offset(t->j));
	return 0;
}

static int e_null(void *c) { return rec(c, "null", NULL, 0); }
static int e_bool(void *c, int v) { return rec(c, v ? "true" : "false", NULL, 0); }
static int e_num(void *c, const char *s, size_t n) { return rec(c, "num", s, n); }
static int e_str(void *c, const unsigned char *s, size_t n) { return rec(c, "str", s, n); }
static int e_smap(void *c) { return rec(c, "{", NULL, 0); }
static int e_key(void *c, const unsigned char *s, size_t n) { return rec(c, "key", s, n); }
static int e_emap(void *c) { return rec(c, "}", NULL, 0); }
static int e_sarr(void *c) { return rec(c, "[", NULL, 0); }
static int e_earr(void *c) { return rec(c, "]", NULL, 0); }

static const struct hs_json_events trace_events = {
	e_null, e_bool, e_num, e_str, e_smap, e_key, e_emap, e_sarr, e_earr
};

struct result {
	int	 ret;
	char	 err[256];
	char	*trace;
};

/* Parses doc[0..len) in chunks, the first byte at absolute offset base. */
static void
parse(const char *doc, size_t len, size_t chunk, uint64_t base, int stop_at,
    int with_message, struct result *res)
{
	struct trace t;
	size_t pos = 0, n;
	int r = 0;

	memset(&t, 0, sizeof(t));
	t.stop_at = stop_at;
	t.stop_with_message = with_message;
	t.j = hs_json_new(&trace_events, &t);
	assert_non_null(t.j);
	while (pos < len) {
		n = len - pos < chunk ? len - pos : chunk;
		if ((r = hs_json_feed(t.j, doc + pos, n, base + pos)) == -1)
			break;
		pos += n;
	}
	if (r == 0)
		r = hs_json_finish(t.j);
	res->ret = r;
	snprintf(res->err, sizeof(res->err), "%s", r ? hs_json_error(t.j) :
	    "");
	if (r == -1)
		assert_true(hs_json_failed(t.j));
	else
		assert_false(hs_json_failed(t.j));
	t.text[t.len] = '\0';
	res->trace = strdup(t.text);
	assert_non_null(res->trace);
	hs_json_free(t.j);
}

/* Parses in every chunk size; all must agree.  Caller frees res->trace. */
static void
parse_all(const char *doc, size_t len, uint64_t base, struct result *res)
{
	size_t k;

	parse(doc, len, (size_t)-1, base, -1, 0, res);
	for (k = 0; k < NCHUNKS; k++) {
		struct result r;

		parse(doc, len, chunks[k], base, -1, 0, &r);
		if (r.ret != res->ret || strcmp(r.err, res->err) != 0 ||
		    strcmp(r.trace, res->trace) != 0)
			fail_msg("chunk size %zu: \"%s\" / \"%s\" differs from "
			    "whole input: \"%s\" / \"%s\"", chunks[k],
			    r.trace, r.err, res->trace, res->err);
		free(r.trace);
	}
}

static void
expect_trace(const char *doc, const char *want)
{
	struct result r;

	parse_all(doc, strlen(doc), 0, &r);
	if (r.ret != 0)
		fail_msg("%s: %s", doc, r.err);
	assert_string_equal(r.trace, want);
	free(r.trace);
}

static void
expect_error(const char *doc, size_t len, uint64_t base, const char *want)
{
	struct result r;

	parse_all(doc, len, base, &r);
	assert_int_equal(r.ret, -1);
	assert_string_equal(r.err, want);
	free(r.trace);
}

static void
test_events(void **state)
{
	(void)state;
	/* Offsets are just past each token. */
	expect_trace("{\"a\":[1,-2.5e3,true,false,null,\"s\\u00e9\"],\"b\":{}}",
	    "{@1 key:a@4 [@6 num:1@7 num:-2.5e3@14 true@19 false@25 "
	    "null@30 str:s\xc3\xa9@40 ]@41 key:b@45 {@47 }@48 }@49 ");
	expect_trace("  [ ]\n", "[@3 ]@5 ");
	expect_trace("42", "num:42@2 ");
	expect_trace("\"x\"", "str:x@3 ");
	expect_trace("[12345678901234567890123,0.5e-7]",
	    "[@1 num:12345678901234567890123@24 num:0.5e-7@31 ]@32 ");
}

static void
test_absolute_offsets(void **state)
{
	struct result r;

	(void)state;
	/* The same document at offset 1000000: every offset moves with it. */
	parse_all("[\"ab\",7]", 8, 1000000, &r);
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.trace, "[@1000001 str:ab@1000005 num:7@1000007 "
	    "]@1000008 ");
	free(r.trace);
	expect_error("[1,2,}", 6, 5000000000ull,
	    "byte 5000000006: invalid JSON (parse error: unallowed token at "
	    "this point in JSON text)");
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("[1,2,}", 6, 0, "byte 6: invalid JSON (parse error: "
	    "unallowed token at this point in JSON text)");
	expect_error("{\"a\" 1}", 7, 0, "byte 6: invalid JSON (parse error: "
	    "object key and value must be separated by a colon (':'))");
	expect_error("[1] x", 5, 0, "byte 5: invalid JSON (parse error: "
	    "trailing garbage)");
	expect_error("[tru]", 5, 0, "byte 4: invalid JSON (lexical error: "
	    "invalid string in json text)");
	expect_error("[\"a\x01\"]", 6, 0, "byte 3: invalid JSON (lexical "
	    "error: invalid character inside string)");
	expect_error("[1.]", 4, 0, "byte 3: invalid JSON (lexical error: "
	    "malformed number, a digit is required after the decimal point)");
	expect_error("{\"a\":1,}", 8, 0, "byte 8: invalid JSON (parse error: "
	    "invalid object key (must be a string))");
	expect_error("[\"\xc3(\"]", 6, 0, "byte 4: invalid JSON (lexical "
	    "error: invalid bytes in UTF8 string)");
}

/*
 * Input that ends too soon: the error is at the end of the input, which
 * for n bytes is offset n (there is no byte n+1 to point at).
 */
static void
test_premature_end(void **state)
{
	(void)state;
	expect_error("[1,2", 4, 0,
	    "byte 4: invalid JSON (parse error: premature EOF)");
	expect_error("[\"abc", 5, 0,
	    "byte 5: invalid JSON (parse error: premature EOF)");
	expect_error("", 0, 0,
	    "byte 0: invalid JSON (parse error: premature EOF)");
	expect_error("[1,2", 4, 100,
	    "byte 104: invalid JSON (parse error: premature EOF)");
}

/* Whether s contains needle, ignoring case. */
static int
contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

static void
test_errors_never_quote_input(void **state)
{
	static const char *const docs[] = {
		"{\"password\":\"hunter2SECRETTOKEN\" x}",
		"{\"k\": SECRETTOKEN}",
		"{\"k\": hunter2SECRETTOKEN",
		"[\"hunter2SECRETTOKEN\x01\"]",
		"[\"hunter2SECRETTOKEN\xff\"]",
		"{hunter2SECRETTOKEN: 1}",
		"[\"hunter2SECRETTOKEN\" \"x\"]",
		"[1, 2, 3, hunter2SECRETTOKEN]",
		"[\"\\qhunter2SECRETTOKEN\"]",
		"[123hunter2SECRETTOKEN]",
		"[\"hunter2SECRETTOKEN",
		"{\"hunter2SECRETTOKEN\"",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		for (k = 0; k < NCHUNKS; k++) {
			struct result r;

			parse(docs[i], strlen(docs[i]), chunks[k], 0, -1, 0,
			    &r);
			assert_int_equal(r.ret, -1);
			if (!test_is_byte_error(r.err))
				fail_msg("doc %zu: \"%s\" does not start with "
				    "\"byte N: \"", i, r.err);
			if (contains(r.err, "SECRET") ||
			    contains(r.err, "hunter2") ||
			    contains(r.err, "TOKEN") || strchr(r.err, '\n'))
				fail_msg("doc %zu: message quotes the input: "
				    "%s", i, r.err);
			free(r.trace);
		}
	}
}

static void
test_handler_stops(void **state)
{
	struct result r;
	size_t k;

	(void)state;
	for (k = 0; k < NCHUNKS; k++) {
		/* With a message: the handler's, at the current offset. */
		parse("[10,20,30]", 10, chunks[k], 0, 2, 1, &r);
		assert_int_equal(r.ret, -1);
		assert_string_equal(r.err, "byte 6: handler refused event 2");
		assert_string_equal(r.trace, "[@1 num:10@3 ");
		free(r.trace);
		/* Without one: a generic message, still with the offset. */
		parse("[10,20,30]", 10, chunks[k], 0, 1, 0, &r);
		assert_int_equal(r.ret, -1);
		assert_string_equal(r.err, "byte 3: parse stopped");
		free(r.trace);
	}
}

static void
test_failed_stays_failed(void **state)
{
	static const struct hs_json_events none = { 0 };
	struct hs_json *j = hs_json_new(&none, NULL);
	char first[256];

	(void)state;
	assert_non_null(j);
	assert_int_equal(hs_json_feed(j, "[1,}", 4, 0), -1);
	snprintf(first, sizeof(first), "%s", hs_json_error(j));
	assert_true(test_is_byte_error(first));
	/* Later calls fail too and keep the first message. */
	assert_int_equal(hs_json_feed(j, "[1]", 3, 4), -1);
	assert_int_equal(hs_json_finish(j), -1);
	assert_string_equal(hs_json_error(j), first);
	/* hs_json_fail() does not overwrite it either. */
	assert_int_equal(hs_json_fail(j, "other"), -1);
	assert_string_equal(hs_json_error(j), first);
	hs_json_free(j);
	hs_json_free(NULL);
}

static void
test_null_events(void **state)
{
	static const struct hs_json_events none = { 0 };
	struct hs_json *j = hs_json_new(&none, NULL);
	static const char doc[] = "{\"a\":[1,true,null,\"x\",{}]}";

	(void)state;
	assert_non_null(j);
	assert_int_equal(hs_json_feed(j, doc, sizeof(doc) - 1, 0), 0);
	assert_int_equal(hs_json_finish(j), 0);
	hs_json_free(j);
}

/*
 * Fails allocation N for N = 1, 2, ... until a parse gets through: each
 * attempt either gives the right events or a clean error.
 */
static void
test_out_of_memory(void **state)
{
	static const char doc[] = "{\"key\":[1,2,3,\"a long string value "
	    "that yajl must buffer across chunks\",{\"nested\":[[[[true]]]]}],"
	    "\"z\":null}";
	static const size_t steps[] = { (size_t)-1, 5, 1 };
	size_t len = sizeof(doc) - 1, k;
	struct result whole;
	unsigned long n;

	(void)state;
	parse(doc, len, (size_t)-1, 0, -1, 0, &whole);
	assert_int_equal(whole.ret, 0);
	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		int ok = 0, errors = 0;

		for (n = 1; n < 10000 && !ok; n++) {
			struct trace t;
			struct hs_json *j;
			size_t pos = 0;
			int r = 0;

			memset(&t, 0, sizeof(t));
			t.stop_at = -1;
			hs_alloc_fail_at(n);
			if ((j = hs_json_new(&trace_events, &t)) == NULL) {
				hs_alloc_fail_at(0);
				errors++;
				continue;
			}
			t.j = j;
			while (pos < len && r == 0) {
				size_t m = len - pos < steps[k] ?
				    len - pos : steps[k];

				r = hs_json_feed(j, doc + pos, m, pos);
				pos += m;
			}
			if (r == 0)
				r = hs_json_finish(j);
			hs_alloc_fail_at(0);
			if (r == -1) {
				const char *e = hs_json_error(j);

				if (strcmp(e, "out of memory") != 0 &&
				    !test_is_byte_error(e))
					fail_msg("allocation %lu: \"%s\"", n, e);
				errors++;
			} else {
				t.text[t.len] = '\0';
				assert_string_equal(t.text, whole.trace);
				ok = 1;
			}
			hs_json_free(j);
		}
		assert_true(ok);
		/* Some allocations were failed on the way. */
		assert_true(errors > 0);
	}
	free(whole.trace);
}

static void
test_quote(void **state)
{
	static const char raw[] = "a\"b\\c\n\r\t\b\f\x01\x1f" "\xc3\xa9/\x7f";
	struct hs_buf b = { 0 };
	struct result r;

	(void)state;
	assert_int_equal(hs_json_quote(&b, raw, sizeof(raw) - 1), 0);
	assert_int_equal(hs_buf_cstr(&b), 0);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f"
	    "\xc3\xa9/\x7f\"");
	/* And it parses back to the same bytes. */
	parse(b.data, b.len, (size_t)-1, 0, -1, 0, &r);
	assert_int_equal(r.ret, 0);
	assert_memory_equal(r.trace, "str:", 4);
	assert_memory_equal(r.trace + 4, raw, sizeof(raw) - 1);
	free(r.trace);
	/* An embedded NUL is escaped, not cut. */
	hs_buf_reset(&b);
	assert_int_equal(hs_json_quote(&b, "a\0b", 3), 0);
	assert_int_equal(hs_buf_cstr(&b), 0);
	assert_string_equal(b.data, "\"a\\u0000b\"");
	hs_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_absolute_offsets),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_premature_end),
		cmocka_unit_test(test_errors_never_quote_input),
		cmocka_unit_test(test_handler_stops),
		cmocka_unit_test(test_failed_stays_failed),
		cmocka_unit_test(test_null_events),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
