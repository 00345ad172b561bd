/*
 * test_jv: small JSON trees: values and lookups, the depth and size limits,
 * errors with offsets and without input bytes, feeding the builder in
 * chunks, and running out of memory at every allocation.
 */
#include "testutil.h"

#include "json.h"
#include "jv.h"

#define BIG	(1u << 20)

static struct hs_jv *
parse_ok(const char *doc)
{
	char err[256] = "";
	struct hs_jv *v = hs_jv_parse(doc, strlen(doc), 0, BIG, err,
	    sizeof(err));

	if (v == NULL)
		fail_msg("%s: %s", doc, err);
	return v;
}

static void
expect_fail(const char *doc, size_t len, uint64_t off, size_t max,
    const char *want)
{
	char err[256] = "";
	struct hs_jv *v = hs_jv_parse(doc, len, off, max, err, sizeof(err));

	if (v != NULL)
		fail_msg("%s: parsed, expected \"%s\"", doc, want);
	assert_string_equal(err, want);
}

static void
test_values(void **state)
{
	static const char doc[] = "{\"s\":\"x\\u00e9\",\"n\":42,\"f\":1.5,"
	    "\"neg\":-7,\"big\":12345678901234567890,\"e\":2e3,\"t\":true,"
	    "\"fa\":false,\"nul\":null,\"arr\":[1,\"two\",[3]],"
	    "\"o\":{\"k\":\"v\"},\"empty\":\"\",\"n\":99}";
	struct hs_jv *v = parse_ok(doc);
	const struct hs_jv *x;
	int64_t i;

	(void)state;
	assert_int_equal(v->kind, HS_JV_OBJECT);
	assert_int_equal(v->len, 13);
	/* Members in input order. */
	assert_string_equal(v->keys[0], "s");
	assert_string_equal(v->keys[12], "n");
	assert_string_equal(hs_jv_get_str(v, "s"), "x\xc3\xa9");
	assert_string_equal(hs_jv_get_str(v, "empty"), "");
	assert_null(hs_jv_get_str(v, "n"));
	assert_null(hs_jv_get_str(v, "missing"));
	/* A duplicate key: the first wins. */
	assert_int_equal(hs_jv_get_int(v, "n", 0, 100, &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(hs_jv_get_int(v, "neg", INT64_MIN, 0, &i), 0);
	assert_int_equal(i, -7);
	/* Ranges, non-integers and other kinds are refused. */
	i = 5;
	assert_int_equal(hs_jv_get_int(v, "n", 0, 41, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "n", 43, 100, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "neg", 0, 100, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "f", 0, 100, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "e", 0, 10000, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "big", 0, INT64_MAX, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "s", 0, 100, &i), -1);
	assert_int_equal(hs_jv_get_int(v, "missing", 0, 100, &i), -1);
	assert_int_equal(i, 5);
	/* Numbers as doubles. */
	assert_true(hs_jv_get_num(v, "f", 0) == 1.5);
	assert_true(hs_jv_get_num(v, "e", 0) == 2000.0);
	assert_true(hs_jv_get_num(v, "big", 0) == 12345678901234567890.0);
	assert_true(hs_jv_get_num(v, "s", -1) == -1);
	assert_true(hs_jv_get_num(v, "missing", 3.25) == 3.25);
	x = hs_jv_get(v, "big");
	assert_non_null(x);
	assert_false(x->is_integer);
	x = hs_jv_get(v, "t");
	assert_int_equal(x->kind, HS_JV_BOOL);
	assert_true(x->boolean);
	x = hs_jv_get(v, "fa");
	assert_int_equal(x->kind, HS_JV_BOOL);
	assert_false(x->boolean);
	assert_int_equal(hs_jv_get(v, "nul")->kind, HS_JV_NULL);
	x = hs_jv_get(v, "arr");
	assert_int_equal(x->kind, HS_JV_ARRAY);
	assert_int_equal(x->len, 3);
	assert_null(x->keys);
	assert_int_equal(x->items[0].integer, 1);
	assert_string_equal(x->items[1].str, "two");
	assert_int_equal(x->items[2].kind, HS_JV_ARRAY);
	assert_int_equal(x->items[2].items[0].integer, 3);
	/* Lookups on a non-object find nothing. */
	assert_null(hs_jv_get(x, "0"));
	assert_null(hs_jv_get(NULL, "s"));
	assert_string_equal(hs_jv_get_str(hs_jv_get(v, "o"), "k"), "v");
	hs_jv_free(v);
	hs_jv_free(NULL);
}

static void
test_scalar_roots(void **state)
{
	struct hs_jv *v;

	(void)state;
	v = parse_ok("  -12 ");
	assert_int_equal(v->kind, HS_JV_NUMBER);
	assert_true(v->is_integer);
	assert_int_equal(v->integer, -12);
	hs_jv_free(v);
	v = parse_ok("\"a\\u0000b\"");
	assert_int_equal(v->kind, HS_JV_STRING);
	assert_int_equal(v->len, 3);
	assert_memory_equal(v->str, "a\0b", 4);
	hs_jv_free(v);
	v = parse_ok("[]");
	assert_int_equal(v->kind, HS_JV_ARRAY);
	assert_int_equal(v->len, 0);
	hs_jv_free(v);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_fail("{\"a\":1,}", 8, 0, BIG, "byte 8: invalid JSON (parse "
	    "error: invalid object key (must be a string))");
	/* The offset is absolute: where the buffer sits in its file. */
	expect_fail("{\"a\":1,}", 8, 5000, BIG, "byte 5008: invalid JSON "
	    "(parse error: invalid object key (must be a string))");
	expect_fail("[1] [2]", 7, 0, BIG, "byte 5: invalid JSON (parse "
	    "error: trailing garbage)");
	expect_fail("{\"a\":1,\"b\":[true,nul]}", 22, 0, BIG, "byte 20: "
	    "invalid JSON (lexical error: invalid string in json text)");
}

static void
test_errors_never_quote_input(void **state)
{
	static const char *const docs[] = {
		"{\"token\":\"sk_live_SECRETVALUE\" 1}",
		"{\"token\": sk_live_SECRETVALUE}",
		"[\"sk_live_SECRETVALUE\x02\"]",
		"{\"sk_live_SECRETVALUE\"}",
		"[sk_live_SECRETVALUE",
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		err[0] = '\0';
		assert_null(hs_jv_parse(docs[i], strlen(docs[i]), 0, BIG, err,
		    sizeof(err)));
		assert_true(test_is_byte_error(err));
		if (strstr(err, "SECRET") || strstr(err, "sk_live"))
			fail_msg("message quotes the input: %s", err);
	}
}

static char *
nested(int depth, int objects)
{
	char *s = malloc((size_t)depth * 8 + 16), *p = s;
	int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		p += sprintf(p, "%s", objects ? "{\"a\":" : "[");
	*p++ = '1';
	for (i = 0; i < depth; i++)
		*p++ = objects ? '}' : ']';
	*p = '\0';
	return s;
}

static void
test_depth_limit(void **state)
{
	char err[256], want[64];
	struct hs_jv *v;
	char *s;
	int objects;

	(void)state;
	for (objects = 0; objects < 2; objects++) {
		/* HS_JV_MAX_DEPTH levels are fine... */
		s = nested(HS_JV_MAX_DEPTH, objects);
		v = hs_jv_parse(s, strlen(s), 0, BIG, err, sizeof(err));
		assert_non_null(v);
		hs_jv_free(v);
		free(s);
		/* ...one more is refused where it opens. */
		s = nested(HS_JV_MAX_DEPTH + 1, objects);
		err[0] = '\0';
		assert_null(hs_jv_parse(s, strlen(s), 0, BIG, err,
		    sizeof(err)));
		snprintf(want, sizeof(want), "byte %d: nesting too deep",
		    HS_JV_MAX_DEPTH * (objects ? 5 : 1) + 1);
		assert_string_equal(err, want);
		free(s);
	}
	/* A hostile depth fails just as cleanly. */
	s = nested(100000, 0);
	assert_null(hs_jv_parse(s, strlen(s), 0, BIG, err, sizeof(err)));
	assert_string_equal(err, "byte 65: nesting too deep");
	free(s);
}

static void
test_size_limit(void **state)
{
	char err[256], *doc;
	struct hs_jv *v;
	size_t i, len;

	(void)state;
	/* One long string: refused by a small limit, taken by a big one. */
	doc = malloc(70000);
	assert_non_null(doc);
	doc[0] = '"';
	memset(doc + 1, 'x', 65536);
	doc[65537] = '"';
	len = 65538;
	err[0] = '\0';
	assert_null(hs_jv_parse(doc, len, 0, 4096, err, sizeof(err)));
	assert_string_equal(err, "byte 65538: document too large");
	v = hs_jv_parse(doc, len, 0, BIG, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(v->len, 65536);
	hs_jv_free(v);
	/* Many small values count too. */
	len = 0;
	doc[len++] = '[';
	for (i = 0; i < 10000; i++)
		len += (size_t)sprintf(doc + len, "%s0", i ? "," : "");
	doc[len++] = ']';
	err[0] = '\0';
	assert_null(hs_jv_parse(doc, len, 0, 16384, err, sizeof(err)));
	assert_true(test_is_byte_error(err));
	assert_non_null(strstr(err, ": document too large"));
	v = hs_jv_parse(doc, len, 0, BIG, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(v->len, 10000);
	hs_jv_free(v);
	/* Keys count. */
	len = (size_t)sprintf(doc, "{\"%0500d\":1}", 7);
	assert_null(hs_jv_parse(doc, len, 0, 256, err, sizeof(err)));
	assert_string_equal(err, "byte 503: document too large");
	free(doc);
}

/* The builder fed by hand, 1 byte and 3 bytes at a time. */
static void
test_builder_chunks(void **state)
{
	static const char doc[] = "{\"meta\":{\"node_fields\":[\"type\",\"name\"],"
	    "\"types\":[[\"a\",\"b\"],\"string\"]},\"node_count\":3,\"x\":[]}";
	size_t step, pos, n;

	(void)state;
	for (step = 1; step <= 3; step += 2) {
		struct hs_jv_builder *b = hs_jv_builder_new(BIG);
		struct hs_json *j = hs_json_new(&hs_jv_events, b);
		struct hs_jv *v;
		int64_t count;

		assert_non_null(b);
		assert_non_null(j);
		hs_jv_builder_attach(b, j);
		for (pos = 0; pos < sizeof(doc) - 1; pos += n) {
			n = sizeof(doc) - 1 - pos < step ?
			    sizeof(doc) - 1 - pos : step;
			assert_false(hs_jv_builder_done(b));
			assert_int_equal(hs_json_feed(j, doc + pos, n, pos), 0);
		}
		assert_int_equal(hs_json_finish(j), 0);
		assert_true(hs_jv_builder_done(b));
		v = hs_jv_builder_take(b);
		assert_non_null(v);
		assert_null(hs_jv_builder_take(b));
		assert_int_equal(hs_jv_get_int(v, "node_count", 0, 10, &count),
		    0);
		assert_int_equal(count, 3);
		assert_string_equal(hs_jv_get(hs_jv_get(v, "meta"),
		    "node_fields")->items[1].str, "name");
		assert_int_equal(hs_jv_get(v, "x")->len, 0);
		hs_json_free(j);
		hs_jv_builder_free(b);
		hs_jv_free(v);
	}
	hs_jv_builder_free(NULL);
}

/* Every allocation made to fail in turn: NULL and a clean message. */
static void
test_out_of_memory(void **state)
{
	static const char doc[] = "{\"type\":\"header\",\"format\":\"hs-summary\","
	    "\"version\":1,\"sections\":[\"a\",\"b\",\"c\"],\"source\":{\"name\":"
	    "\"x.heapsnapshot\",\"bytes\":123,\"compressed\":false},"
	    "\"list\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}";
	char err[256];
	struct hs_jv *v = NULL;
	unsigned long n;
	int failures = 0;

	(void)state;
	for (n = 1; n < 100000; n++) {
		err[0] = '\0';
		hs_alloc_fail_at(n);
		v = hs_jv_parse(doc, sizeof(doc) - 1, 0, BIG, err,
		    sizeof(err));
		hs_alloc_fail_at(0);
		if (v != NULL)
			break;
		failures++;
		if (strcmp(err, "out of memory") != 0 &&
		    !(test_is_byte_error(err) &&
		    strstr(err, ": out of memory") != NULL))
			fail_msg("allocation %lu: unexpected \"%s\"", n, err);
	}
	assert_non_null(v);
	assert_true(failures > 10);
	assert_int_equal(hs_jv_get(v, "list")->len, 20);
	assert_string_equal(hs_jv_get_str(hs_jv_get(v, "source"), "name"),
	    "x.heapsnapshot");
	hs_jv_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_scalar_roots),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_never_quote_input),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_builder_chunks),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
