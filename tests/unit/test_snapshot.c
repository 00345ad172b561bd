/*
 * test_snapshot: the streaming heap snapshot reader.
 *
 * Real snapshots from Node 18, 22 and 24 are read whole, 1 byte at a time
 * and in chunks of 7 and 65537 bytes, and with their section keys escaped
 * (which moves the big arrays from the fast scanners to yajl's events):
 * every column, every kept string and every count must be identical.
 * Malformed input is hand-written: each case must fail with "byte N: "
 * and a message that says what was expected.
 */
#define _GNU_SOURCE	/* memmem */
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"

#include "scan.h"
#include "snapshot.h"

/* ---- reading ---- */

struct read_result {
	struct hs_snapshot	*snap;	/* NULL on failure */
	int			 ret;
	char			 err[320];
	uint64_t		 offset;
};

/*
 * Feeds buf[0..len) in chunks chosen by chunk(): chunk(pos) returns the size
 * of the chunk starting at pos.
 */
typedef size_t (*chunker)(size_t pos, size_t len, size_t arg);

static size_t
fixed_chunks(size_t pos, size_t len, size_t arg)
{
	(void)pos;
	(void)len;
	return arg;
}

/*
 * When set, each chunk is first read ahead (hs_intscan_ahead(), with room
 * for this many values), as hs-summarize's reader thread does.
 */
static size_t ahead_cap;

static void
read_buf(const unsigned char *buf, size_t len, chunker ch, size_t arg,
    uint64_t size_hint, struct read_result *res)
{
	static const atomic_int go_on;
	struct hs_snapshot_reader *r = hs_snapshot_reader_new();
	struct hs_intahead *a = NULL;
	size_t pos = 0, n;
	int ret = 0;

	assert_non_null(r);
	if (ahead_cap) {
		a = malloc(hs_intahead_size(ahead_cap));
		assert_non_null(a);
	}
	if (size_hint)
		hs_snapshot_reader_size_hint(r, size_hint);
	while (pos < len) {
		n = ch(pos, len, arg);
		if (n > len - pos)
			n = len - pos;
		if (a != NULL) {
			a->cap = ahead_cap;
			hs_intscan_ahead(a, buf + pos, n, &go_on);
		}
		if ((ret = hs_snapshot_reader_feed_ahead(r, buf + pos, n,
		    a)) == -1)
			break;
		pos += n;
	}
	free(a);
	if (ret == 0)
		ret = hs_snapshot_reader_finish(r);
	res->ret = ret;
	snprintf(res->err, sizeof(res->err), "%s", ret ?
	    hs_snapshot_reader_error(r) : "");
	res->offset = hs_snapshot_reader_offset(r);
	res->snap = ret == 0 ? hs_snapshot_reader_take(r) : NULL;
	hs_snapshot_reader_free(r);
}

static struct hs_snapshot *
read_ok(const unsigned char *buf, size_t len, chunker ch, size_t arg)
{
	struct read_result res;

	read_buf(buf, len, ch, arg, 0, &res);
	if (res.ret != 0)
		fail_msg("chunk %zu: %s", arg, res.err);
	assert_non_null(res.snap);
	return res.snap;
}

#define SAME_COLUMN(a, b, col, n) do { \
	if (((a)->col == NULL) != ((b)->col == NULL)) \
		fail_msg("column " #col ": present in one snapshot only"); \
	if ((a)->col != NULL && (n) > 0 && \
	    memcmp((a)->col, (b)->col, (size_t)(n) * sizeof(*(a)->col)) != 0) \
		fail_msg("column " #col " differs"); \
} while (0)

/* Everything the reader keeps must be the same in a and b. */
static void
assert_same_snapshot(const struct hs_snapshot *a, const struct hs_snapshot *b)
{
	uint64_t i;
	size_t k;

	assert_int_equal(a->node_count, b->node_count);
	assert_int_equal(a->edge_count, b->edge_count);
	assert_int_equal(a->root, b->root);
	SAME_COLUMN(a, b, node_type, a->node_count);
	SAME_COLUMN(a, b, node_name, a->node_count);
	SAME_COLUMN(a, b, node_id, a->node_count);
	SAME_COLUMN(a, b, node_self, a->node_count);
	SAME_COLUMN(a, b, first_edge, a->node_count + 1);
	SAME_COLUMN(a, b, node_detached, a->node_count);
	SAME_COLUMN(a, b, node_trace, a->node_count);
	SAME_COLUMN(a, b, edge_name, a->edge_count);
	SAME_COLUMN(a, b, edge_to, a->edge_count);
	assert_int_equal(a->node_type_count, b->node_type_count);
	for (k = 0; k < a->node_type_count; k++)
		assert_string_equal(a->node_type_names[k],
		    b->node_type_names[k]);
	assert_memory_equal(a->node_kind, b->node_kind, a->node_type_count);
	assert_int_equal(a->edge_type_count, b->edge_type_count);
	for (k = 0; k < a->edge_type_count; k++)
		assert_string_equal(a->edge_type_names[k],
		    b->edge_type_names[k]);
	assert_memory_equal(a->edge_kind, b->edge_kind, a->edge_type_count);
	assert_int_equal(a->string_count, b->string_count);
	/* The same strings kept, with the same text. */
	for (i = 0; i < a->string_count + 1; i++) {
		size_t la, lb;
		const char *sa = hs_snapshot_string(a, i, &la);
		const char *sb = hs_snapshot_string(b, i, &lb);

		if ((sa == NULL) != (sb == NULL))
			fail_msg("string %llu kept in one snapshot only",
			    (unsigned long long)i);
		if (sa != NULL && (la != lb || memcmp(sa, sb, la) != 0))
			fail_msg("string %llu differs", (unsigned long long)i);
	}
	assert_int_equal(a->location_count, b->location_count);
	SAME_COLUMN(a, b, locations, a->location_count);
	assert_int_equal(a->trace_function_count, b->trace_function_count);
	SAME_COLUMN(a, b, trace_functions, a->trace_function_count);
	assert_int_equal(a->trace_node_count, b->trace_node_count);
	SAME_COLUMN(a, b, trace_nodes, a->trace_node_count);
	assert_int_equal(a->extra_native_bytes, b->extra_native_bytes);
	assert_int_equal(a->sections, b->sections);
}

/* Checks what must hold in any snapshot read from a real Node. */
static void
assert_sane(const struct hs_snapshot *s, const char *name, size_t len)
{
	uint32_t i;
	size_t l;
	const char *p;

	assert_int_equal(s->node_count,
	    test_expected_figure(name, "node_count"));
	assert_int_equal(s->edge_count,
	    test_expected_figure(name, "edge_count"));
	assert_int_equal(s->extra_native_bytes,
	    test_expected_figure(name, "extra_native_bytes"));
	assert_int_equal(s->text_bytes, len);
	assert_int_equal(s->first_edge[0], 0);
	assert_int_equal(s->first_edge[s->node_count], s->edge_count);
	for (i = 0; i < s->node_count; i++) {
		assert_true(s->first_edge[i] <= s->first_edge[i + 1]);
		assert_true(s->node_type[i] < s->node_type_count);
		assert_true(s->node_name[i] < s->string_count);
	}
	for (i = 0; i < s->edge_count; i++) {
		assert_true(HS_EDGE_TO(s, i) < s->node_count);
		assert_true(HS_EDGE_TYPE(s, i) < s->edge_type_count);
	}
	assert_true(s->root < s->node_count);
	assert_int_equal(HS_NODE_KIND(s, s->root), HS_NK_SYNTHETIC);
	/* The node types Node writes, mapped to kinds. */
	assert_string_equal(s->node_type_names[0], "hidden");
	assert_int_equal(s->node_kind[0], HS_NK_HIDDEN);
	assert_int_equal(s->node_kind[3], HS_NK_OBJECT);
	assert_int_equal(s->edge_kind[2], HS_EK_PROPERTY);
	/* Kept names are NUL-terminated, valid and at most HS_NAME_MAX. */
	for (i = 0; i < s->string_count; i++) {
		if ((p = hs_snapshot_string(s, i, &l)) == NULL)
			continue;
		assert_true(l <= HS_NAME_MAX);
		assert_int_equal(p[l], '\0');
	}
	assert_null(hs_snapshot_string(s, s->string_count + 100000, &l));
	assert_int_equal(l, 0);
}

/* Whether some node of the snapshot has this (kept) name. */
static int
has_node_named(const struct hs_snapshot *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->node_count; i++)
		if (strcmp(hs_snapshot_node_name(s, i), name) == 0)
			return 1;
	return 0;
}

/* 1 byte at a time for the first and last 256 KiB, 4099 in between. */
static size_t
ends_bytewise(size_t pos, size_t len, size_t arg)
{
	(void)arg;
	if (pos < 256 * 1024 || pos + 256 * 1024 >= len)
		return 1;
	return 4099;
}

static void
check_real(const char *name, int bytewise_all)
{
	static const size_t sizes[] = { 7, 65537, 1 << 20 };
	static const size_t caps[] = { 1 << 20, 1000 };
	size_t len, k;
	unsigned char *buf = test_load_snapshot(name, &len);
	struct hs_snapshot *whole, *s;

	whole = read_ok(buf, len, fixed_chunks, len);
	assert_sane(whole, name, len);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		s = read_ok(buf, len, fixed_chunks, sizes[k]);
		assert_same_snapshot(whole, s);
		hs_snapshot_free(s);
	}
	s = bytewise_all ? read_ok(buf, len, fixed_chunks, 1) :
	    read_ok(buf, len, ends_bytewise, 0);
	assert_same_snapshot(whole, s);
	hs_snapshot_free(s);
	/* With the file's size known, as hs-summarize reads a file. */
	{
		struct read_result res;

		read_buf(buf, len, fixed_chunks, 65537, len, &res);
		if (res.ret != 0)
			fail_msg("with a size hint: %s", res.err);
		assert_same_snapshot(whole, res.snap);
		hs_snapshot_free(res.snap);
	}
	/* With integers read ahead, in full or cut short. */
	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		ahead_cap = caps[k];
		s = read_ok(buf, len, fixed_chunks, k == 0 ? 4099 : 65537);
		ahead_cap = 0;
		assert_same_snapshot(whole, s);
		hs_snapshot_free(s);
	}
	hs_snapshot_free(whole);
	free(buf);
}

static void
test_real_node22(void **state)
{
	(void)state;
	check_real("mixed-node22", 1);
}

static void
test_real_node18(void **state)
{
	(void)state;
	check_real("mixed-node18", 0);
}

static void
test_real_node24(void **state)
{
	(void)state;
	check_real("mixed-node24", 0);
}

static void
test_real_alloc(void **state)
{
	size_t len;
	unsigned char *buf = test_load_snapshot("alloc-node22", &len);
	struct hs_snapshot *whole, *s;

	(void)state;
	whole = read_ok(buf, len, fixed_chunks, len);
	assert_sane(whole, "alloc-node22", len);
	/* Allocation tracking: trace functions and a trace tree. */
	assert_true(whole->trace_function_count > 0);
	assert_true(whole->trace_node_count > 0);
	assert_non_null(whole->node_trace);
	assert_true(whole->sections & HS_SEC_TRACE_TREE);
	assert_true(whole->sections & HS_SEC_TRACE_FUNCTION_INFOS);
	s = read_ok(buf, len, fixed_chunks, 7);
	assert_same_snapshot(whole, s);
	hs_snapshot_free(s);
	hs_snapshot_free(whole);
	free(buf);
}

static void
test_real_names(void **state)
{
	size_t len;
	unsigned char *buf = test_load_snapshot("mixed-node22", &len);
	struct hs_snapshot *s = read_ok(buf, len, fixed_chunks, len);
	uint32_t i, longest = 0;

	(void)state;
	/* The planted classes are there by name. */
	assert_true(has_node_named(s, "LeakyThing"));
	/* V8 writes a string once: one index, which a node has as name. */
	{
		uint64_t found[2];

		assert_int_equal(hs_snapshot_find_strings(s, "LeakyThing",
		    found, 2), 1);
		for (i = 0; i < s->node_count; i++)
			if (s->node_name[i] == found[0])
				break;
		assert_true(i < s->node_count);
		assert_int_equal(hs_snapshot_find_strings(s, "LeakyThing",
		    NULL, 0), 1);
		assert_int_equal(hs_snapshot_find_strings(s,
		    "No such name in it", found, 2), 0);
	}
	assert_true(has_node_named(s, "Order"));
	assert_true(has_node_named(s, "Customer"));
	/* Node 22: detachedness and locations are read. */
	assert_non_null(s->node_detached);
	assert_true(s->sections & HS_SEC_DETACHEDNESS);
	assert_true(s->location_count > 0);
	for (i = 0; i < s->location_count; i++)
		assert_true(s->locations[i].node < s->node_count);
	/*
	 * The 1,000,000-character string is a value, not a name: its text is
	 * not kept, and no kept text is longer than HS_NAME_MAX.
	 */
	for (i = 0; i < s->string_count; i++) {
		size_t l;

		if (hs_snapshot_string(s, i, &l) && l > longest)
			longest = (uint32_t)l;
	}
	assert_true(longest <= HS_NAME_MAX);
	assert_true(s->string_text_len < len / 4);
	hs_snapshot_free(s);
	free(buf);
}

/* Replaces every occurrence of from by to (same text otherwise). */
static unsigned char *
replace_all(const unsigned char *buf, size_t len, const char *from,
    const char *to, size_t *outlen, int *count)
{
	size_t fl = strlen(from), tl = strlen(to), i = 0, o = 0;
	unsigned char *out = malloc(len * 2 + 64);

	assert_non_null(out);
	*count = 0;
	while (i < len) {
		if (i + fl <= len && memcmp(buf + i, from, fl) == 0) {
			memcpy(out + o, to, tl);
			o += tl;
			i += fl;
			(*count)++;
		} else {
			out[o++] = buf[i++];
		}
	}
	*outlen = o;
	return out;
}

/*
 * With the section keys written with escapes, the splicer does not
 * recognise them and yajl delivers every number and string through its
 * events: the result must be the same.
 */
static void
test_escaped_keys_same_result(void **state)
{
	static const char *const keys[][2] = {
		{ "\"nodes\":[", "\"n\\u006fdes\":[" },
		{ "\"edges\":[", "\"edge\\u0073\":[" },
		{ "\"strings\":[", "\"\\u0073trings\":[" },
		{ "\"locations\":[", "\"location\\u0073\":[" },
	};
	size_t len, l1, l2, k;
	unsigned char *buf = test_load_snapshot("mixed-node24", &len), *cur,
	    *next;
	struct hs_snapshot *plain, *esc;
	int n;

	(void)state;
	plain = read_ok(buf, len, fixed_chunks, len);
	cur = buf;
	l1 = len;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		next = replace_all(cur, l1, keys[k][0], keys[k][1], &l2, &n);
		assert_int_equal(n, 1);
		if (cur != buf)
			free(cur);
		cur = next;
		l1 = l2;
	}
	esc = read_ok(cur, l1, fixed_chunks, l1);
	assert_same_snapshot(plain, esc);
	hs_snapshot_free(esc);
	esc = read_ok(cur, l1, fixed_chunks, 4093);
	assert_same_snapshot(plain, esc);
	hs_snapshot_free(esc);
	hs_snapshot_free(plain);
	free(cur);
	free(buf);
}

/* ---- malformed input ---- */

#define META_BODY \
	"\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\"," \
	"\"edge_count\"],\"node_types\":[[\"hidden\",\"object\",\"synthetic\"]," \
	"\"string\",\"number\",\"number\",\"number\"],\"edge_fields\":" \
	"[\"type\",\"name_or_index\",\"to_node\"],\"edge_types\":[[\"context\"," \
	"\"element\",\"property\"],\"string_or_number\",\"node\"]}"
#define META "{\"snapshot\":{" META_BODY
#define NODES "\"nodes\":[2,0,1,0,1,1,1,3,10,0]"
#define EDGES "\"edges\":[2,2,5]"
#define STRINGS "\"strings\":[\"\",\"Foo\",\"bar\"]"

/* A small valid snapshot: a root with one property "bar" to a Foo. */
static const char good[] = META ",\"node_count\":2,\"edge_count\":1},"
    NODES "," EDGES "," STRINGS "}";

/* Reads doc in several chunk sizes; all must give the same error. */
static void
expect_bad_len(const char *doc, size_t len, const char *want)
{
	static const size_t sizes[] = { (size_t)-1, 1, 2, 7, 64 };
	const size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	struct read_result res, first;
	size_t k;

	/* Then again in chunks of 7 and 64, with integers read ahead. */
	for (k = 0; k < nsizes + 4; k++) {
		size_t chunk = k < nsizes ? sizes[k] : k < nsizes + 2 ? 7 : 64;

		size_t cap = k < nsizes ? 0 : k % 2 ? 1 << 16 : 2;

		ahead_cap = cap;
		read_buf((const unsigned char *)doc, len, fixed_chunks, chunk,
		    0, &res);
		ahead_cap = 0;
		if (res.ret != -1)
			fail_msg("chunk %zu, read ahead %zu: accepted a bad "
			    "snapshot (wanted \"%s\")", chunk, cap, want);
		assert_null(res.snap);
		if (!test_is_byte_error(res.err))
			fail_msg("chunk %zu, read ahead %zu: \"%s\" does not "
			    "start with \"byte N: \"", chunk, cap, res.err);
		if (k == 0)
			first = res;
		else if (strcmp(res.err, first.err) != 0)
			fail_msg("chunk %zu, read ahead %zu: \"%s\", whole: "
			    "\"%s\"", chunk, cap, res.err, first.err);
	}
	if (strchr(want, ':') != NULL) {
		/* A whole message, offset included. */
		assert_string_equal(first.err, want);
	} else if (strstr(first.err, want) == NULL) {
		fail_msg("\"%s\" does not say \"%s\"", first.err, want);
	}
}

static void
expect_bad(const char *doc, const char *want)
{
	expect_bad_len(doc, strlen(doc), want);
}

static void
test_good_small(void **state)
{
	struct hs_snapshot *s;

	(void)state;
	s = read_ok((const unsigned char *)good, sizeof(good) - 1,
	    fixed_chunks, 1);
	assert_int_equal(s->node_count, 2);
	assert_int_equal(s->edge_count, 1);
	assert_int_equal(s->root, 0);
	assert_int_equal(s->string_count, 3);
	assert_int_equal(s->node_id[1], 3);
	assert_int_equal(s->node_self[1], 10);
	assert_int_equal(HS_EDGE_TO(s, 0), 1);
	assert_int_equal(s->first_edge[1], 1);
	assert_int_equal(s->first_edge[2], 1);
	assert_string_equal(hs_snapshot_node_name(s, 1), "Foo");
	assert_string_equal(hs_snapshot_string(s, s->edge_name[0], NULL),
	    "bar");
	assert_int_equal(HS_NODE_KIND(s, 0), HS_NK_SYNTHETIC);
	assert_int_equal(HS_EDGE_KIND(s, 0), HS_EK_PROPERTY);
	hs_snapshot_free(s);
	hs_snapshot_free(NULL);
	hs_snapshot_reader_free(NULL);
}

static void
test_bad_structure(void **state)
{
	(void)state;
	expect_bad("", "byte 0: expected a heap snapshot, found empty input");
	expect_bad("[1,2]", "byte 1: expected a JSON object (a heap snapshot)");
	expect_bad("42", "expected a JSON object (a heap snapshot)");
	expect_bad("\"snapshot\"", "expected a JSON object (a heap snapshot)");
	expect_bad("{\"snapshot\":{}}", "byte 14: expected \"meta\" in "
	    "\"snapshot\"");
	expect_bad("{\"snapshot\":{\"meta\":{}}}", "byte 23: expected "
	    "\"node_fields\" in snapshot.meta");
	expect_bad("{\"snapshot\":[]}", "expected an object for \"snapshot\"");
	expect_bad("{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\","
	    "\"self_size\",\"edge_count\"]}}}",
	    "expected \"id\" in snapshot.meta.node_fields");
	expect_bad("{\"snapshot\":{\"meta\":{\"node_fields\":7}}}",
	    "expected snapshot.meta.node_fields to be a list of names");
	/* Sections out of order or missing. */
	expect_bad("{" NODES ",\"snapshot\":{" META_BODY "}}",
	    "expected \"snapshot\" with its meta before \"nodes\"");
	expect_bad(META "}," EDGES "," NODES "," STRINGS "}",
	    "expected \"nodes\" before \"edges\"");
	expect_bad(META "}," NODES "," EDGES "}",
	    "expected a \"strings\" section (is this a heap snapshot?)");
	expect_bad(META "}," NODES "," STRINGS "}",
	    "expected a \"edges\" section (is this a heap snapshot?)");
	expect_bad(META "}," NODES "," NODES "," EDGES "," STRINGS "}",
	    "\"nodes\" appears twice");
	expect_bad(META "},\"nodes\":{}," EDGES "," STRINGS "}",
	    "expected an array for \"nodes\"");
	expect_bad(META "},\"nodes\":[[2,0,1,0,1]]," EDGES "," STRINGS "}",
	    "expected a number or ']' in \"nodes\"");
	expect_bad(META "}," NODES "," EDGES ",\"strings\":[\"\",7]}",
	    "expected a string in \"strings\"");
	expect_bad(META "},\"nodes\":[]," EDGES "," STRINGS "}",
	    "expected at least one node");
	expect_bad(META "}," NODES "," EDGES "," STRINGS "} x",
	    "trailing garbage");
}

static void
test_bad_numbers(void **state)
{
	(void)state;
	/* Over 2^32-1: at the start of the number. */
	expect_bad(META "},\"nodes\":[2,0,1,0,1,1,1,2,10,4294967296]," EDGES
	    "," STRINGS "}", "byte 317: number out of range (over "
	    "4294967295) in \"nodes\"");
	/* Negative: at the minus sign. */
	expect_bad(META "}," NODES ",\"edges\":[2,2,-5]," STRINGS "}",
	    "byte 333: expected a non-negative integer in \"edges\"");
	expect_bad(META "}," NODES ",\"edges\":[2,2,5.0]," STRINGS "}",
	    "byte 334: expected an integer in \"edges\"");
	expect_bad(META "}," NODES ",\"edges\":[2,2,05]," STRINGS "}",
	    "byte 334: invalid number (leading zero) in \"edges\"");
	/* The same through yajl's events (the key written with an escape). */
	expect_bad(META "},\"n\\u006fdes\":[2,0,1,0,1,1,1,2,10,4294967296],"
	    EDGES "," STRINGS "}", "number out of range (over 4294967295)");
	expect_bad(META "}," NODES ",\"edg\\u0065s\":[2,2,-5]," STRINGS "}",
	    "expected a non-negative integer in \"edges\"");
	/* A node type or edge type past the meta's list. */
	expect_bad(META "},\"nodes\":[2,0,1,0,1,9,1,3,10,0]," EDGES "," STRINGS
	    "}", "expected a node type under 3 in \"nodes\"");
	expect_bad(META "}," NODES ",\"edges\":[3,2,5]," STRINGS "}",
	    "expected an edge type under 3 in \"edges\"");
}

static void
test_bad_graph(void **state)
{
	(void)state;
	/* An edge pointing past the nodes, or between two nodes. */
	expect_bad(META "}," NODES ",\"edges\":[2,2,10]," STRINGS "}",
	    "byte 333: expected an edge target that is a node's index (a "
	    "multiple of 5 under 10)");
	expect_bad(META "}," NODES ",\"edges\":[2,2,3]," STRINGS "}",
	    "expected an edge target that is a node's index");
	/* Far enough into the array for a chunk's values read ahead. */
	expect_bad(META "}," NODES ",\"edges\":[2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,"
	    "2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,"
	    "2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,2,2,5,"
	    "2,2,11,2,2,5]," STRINGS "}", "expected an edge target that is a "
	    "node's index");
	/* node_count disagrees with the nodes. */
	expect_bad(META ",\"node_count\":3}," NODES "," EDGES "," STRINGS "}",
	    "\"nodes\" holds 2 nodes but snapshot.node_count says 3");
	expect_bad(META ",\"node_count\":1}," NODES "," EDGES "," STRINGS "}",
	    "\"nodes\" holds 2 nodes but snapshot.node_count says 1");
	expect_bad(META ",\"edge_count\":2}," NODES "," EDGES "," STRINGS "}",
	    "\"edges\" holds 1 edges but snapshot.edge_count says 2");
	/* The nodes' edge counts do not add up to the edges. */
	expect_bad(META "},\"nodes\":[2,0,1,0,1,1,1,3,10,1]," EDGES ","
	    STRINGS "}", "byte 327: \"edges\" holds 1 edges but the nodes' "
	    "edge counts add up to 2");
	expect_bad(META "}," NODES ",\"edges\":[2,2,5,2,2,5]," STRINGS "}",
	    "\"edges\" holds 2 edges but the nodes' edge counts add up to 1");
	/* Arrays that are not whole records. */
	expect_bad(META "},\"nodes\":[2,0,1,0,1,1,1,3,10]," EDGES "," STRINGS
	    "}", "expected \"nodes\" to hold a multiple of 5 numbers (the "
	    "node fields)");
	expect_bad(META "}," NODES ",\"edges\":[2,2]," STRINGS "}",
	    "expected \"edges\" to hold a multiple of 3 numbers (the edge "
	    "fields)");
	/* Names past the strings. */
	expect_bad(META "},\"nodes\":[2,0,1,0,1,1,7,3,10,0]," EDGES ","
	    STRINGS "}", "node 1 names string 7, past the 3 strings");
	expect_bad(META "}," NODES ",\"edges\":[2,9,5]," STRINGS "}",
	    "edge 0 names string 9, past the 3 strings");
	expect_bad(META ",\"root_index\":3}," NODES "," EDGES "," STRINGS "}",
	    "expected snapshot.root_index to be a node's index");
	expect_bad(META ",\"node_count\":-1}," NODES "," EDGES "," STRINGS "}",
	    "expected snapshot.node_count to be a count under 2^32");
	expect_bad(META ",\"node_count\":4294967296}," NODES "," EDGES ","
	    STRINGS "}", "expected snapshot.node_count to be a count under "
	    "2^32");
}

/*
 * Room for the locations is taken at once, one a node as V8 writes them;
 * more than that still fit (the array grows), with the input's size known
 * or not.
 */
static void
test_more_locations_than_nodes(void **state)
{
	static const char doc[] = "{\"snapshot\":{\"meta\":{\"node_fields\":"
	    "[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\"],"
	    "\"node_types\":[[\"hidden\",\"object\",\"synthetic\"],\"string\","
	    "\"number\",\"number\",\"number\"],\"edge_fields\":[\"type\","
	    "\"name_or_index\",\"to_node\"],\"edge_types\":[[\"context\","
	    "\"element\",\"property\"],\"string_or_number\",\"node\"],"
	    "\"location_fields\":[\"object_index\",\"script_id\",\"line\","
	    "\"column\"]}}," NODES "," EDGES ",\"locations\":[0,1,2,3,5,1,2,3,"
	    "0,1,2,4,5,1,1,1,5,9,8,7]," STRINGS "}";
	static const uint32_t want[][4] = { { 0, 1, 2, 3 }, { 1, 1, 2, 3 },
	    { 0, 1, 2, 4 }, { 1, 1, 1, 1 }, { 1, 9, 8, 7 } };
	struct read_result res;
	size_t k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		read_buf((const unsigned char *)doc, sizeof(doc) - 1,
		    fixed_chunks, k ? 7 : sizeof(doc), k ? 0 : sizeof(doc) - 1,
		    &res);
		if (res.ret != 0)
			fail_msg("%s", res.err);
		assert_int_equal(res.snap->location_count, 5);
		for (i = 0; i < 5; i++) {
			const struct hs_location *l = &res.snap->locations[i];

			assert_int_equal(l->node, want[i][0]);
			assert_int_equal(l->script_id, want[i][1]);
			assert_int_equal(l->line, want[i][2]);
			assert_int_equal(l->column, want[i][3]);
		}
		hs_snapshot_free(res.snap);
	}
}

/*
 * V8 writes "strings" last, but JSON does not order keys: the reader takes
 * strings first too, and must build the same graph.
 */
static void
test_strings_before_nodes(void **state)
{
	static const char first[] = META "}," STRINGS "," NODES "," EDGES "}";
	struct hs_snapshot *a, *b;

	(void)state;
	a = read_ok((const unsigned char *)good, sizeof(good) - 1,
	    fixed_chunks, sizeof(good));
	b = read_ok((const unsigned char *)first, sizeof(first) - 1,
	    fixed_chunks, 3);
	assert_int_equal(b->node_count, 2);
	assert_int_equal(b->edge_count, 1);
	assert_string_equal(hs_snapshot_node_name(b, 1), "Foo");
	assert_string_equal(hs_snapshot_string(b, b->edge_name[0], NULL),
	    "bar");
	assert_memory_equal(a->edge_to, b->edge_to, sizeof(uint32_t));
	assert_memory_equal(a->node_name, b->node_name, 2 * sizeof(uint32_t));
	hs_snapshot_free(a);
	hs_snapshot_free(b);
	/* With a bad name index it still fails cleanly. */
	expect_bad(META "}," STRINGS ",\"nodes\":[2,0,1,0,1,1,7,3,10,0],"
	    EDGES "}", "node 1 names string 7, past the 3 strings");
}

static void
test_errors_never_quote_input(void **state)
{
	static const char *const docs[] = {
		META "}," NODES "," EDGES ",\"strings\":[\"\",\"Foo\","
		    "\"SECRET_TOKEN\x01\"]}",
		META "}," NODES "," EDGES ",\"strings\":[\"\",\"Foo\","
		    "\"SECRET_TOKEN\xff\"]}",
		META "}," NODES "," EDGES ",\"strings\":[\"\",\"Foo\","
		    "SECRET_TOKEN]}",
		META "}," NODES ",\"edges\":[2,2,SECRET_TOKEN]," STRINGS "}",
		META "},\"SECRET_TOKEN\":tru," NODES "," EDGES "," STRINGS "}",
		"{\"snapshot\":{\"meta\":{\"SECRET_TOKEN\":[\"SECRET_TOKEN\"]}}}",
	};
	struct read_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		read_buf((const unsigned char *)docs[i], strlen(docs[i]),
		    fixed_chunks, 5, 0, &res);
		assert_int_equal(res.ret, -1);
		assert_true(test_is_byte_error(res.err));
		if (strstr(res.err, "SECRET") != NULL)
			fail_msg("doc %zu: message quotes the input: %s", i,
			    res.err);
	}
}

/* A real snapshot cut short, at several points: always a clean error. */
static void
test_truncated(void **state)
{
	size_t len, i, cuts[16], ncut = 0, nodes, strings;
	unsigned char *buf = test_load_snapshot("empty-node22", &len), *p;
	struct read_result res;
	char want[128];

	(void)state;
	p = memmem(buf, len, "\"nodes\":[", 9);
	assert_non_null(p);
	nodes = (size_t)(p - buf) + 9;
	p = memmem(buf, len, "\"strings\":[", 11);
	assert_non_null(p);
	strings = (size_t)(p - buf) + 11;
	/* Inside the scanned arrays: the offset is the end of the input. */
	for (i = 0; i < 2; i++) {
		size_t cut = i == 0 ? nodes + 1000 : strings + 5000;

		read_buf(buf, cut, fixed_chunks, 65537, 0, &res);
		assert_int_equal(res.ret, -1);
		snprintf(want, sizeof(want), "byte %zu: unexpected end of "
		    "input in \"%s\"", cut, i == 0 ? "nodes" : "strings");
		assert_string_equal(res.err, want);
	}
	cuts[ncut++] = 1;
	cuts[ncut++] = 37;
	cuts[ncut++] = nodes - 3;
	cuts[ncut++] = nodes;
	cuts[ncut++] = len / 3;
	cuts[ncut++] = strings - 1;
	cuts[ncut++] = strings;
	cuts[ncut++] = len - 2;
	cuts[ncut++] = len - 1;
	for (i = 0; i < ncut; i++) {
		read_buf(buf, cuts[i], fixed_chunks, 65537, 0, &res);
		if (res.ret != -1)
			fail_msg("cut at %zu: accepted", cuts[i]);
		assert_null(res.snap);
		if (!test_is_byte_error(res.err))
			fail_msg("cut at %zu: \"%s\"", cuts[i], res.err);
		/* The same with 7-byte chunks. */
		{
			struct read_result r7;

			read_buf(buf, cuts[i], fixed_chunks, 7, 0, &r7);
			assert_string_equal(r7.err, res.err);
		}
	}
	free(buf);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Runs doc in a child limited to 1 GiB of address space: a reader that
 * believed a declared count would need gigabytes and fail with "out of
 * memory" (or be killed) instead of giving the expected error.
 */
static void
expect_bad_bounded(const char *doc, const char *want, uint64_t hint)
{
	int fds[2], status;
	char msg[400] = "";
	ssize_t n;
	pid_t pid;
	double t0 = now();

	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		struct rlimit rl = { 1ul << 30, 1ul << 30 };
		struct read_result res;

		close(fds[0]);
#if !defined(__SANITIZE_ADDRESS__)
		/* (AddressSanitizer caps single blocks instead: testutil.h.) */
		setrlimit(RLIMIT_AS, &rl);
#else
		(void)rl;
#endif
		read_buf((const unsigned char *)doc, strlen(doc), fixed_chunks,
		    strlen(doc), hint, &res);
		n = write(fds[1], res.err, strlen(res.err));
		_exit(res.ret == -1 && n > 0 ? 0 : 1);
	}
	assert_true(pid > 0);
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child failed (status %d): \"%s\"", status, msg);
	if (strstr(msg, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", msg, want);
	assert_true(test_is_byte_error(msg));
	/* And quickly. */
	assert_true(now() - t0 < 5.0);
}

static void
test_huge_declared_node_count(void **state)
{
	static const char doc[] = META ",\"node_count\":4000000000},"
	    NODES "," EDGES "," STRINGS "}";

	(void)state;
	expect_bad_bounded(doc, "\"nodes\" holds 2 nodes but "
	    "snapshot.node_count says 4000000000", 0);
	expect_bad_bounded(doc, "\"nodes\" holds 2 nodes but "
	    "snapshot.node_count says 4000000000", sizeof(doc) - 1);
}

/*
 * The edge_count column is a declared count too: a tiny body that claims
 * four billion edges must not make the reader allocate for them.
 */
static void
test_huge_declared_edge_count(void **state)
{
	(void)state;
	expect_bad_bounded(META "},\"nodes\":[2,0,1,0,4000000000,1,1,3,10,0],"
	    EDGES "," STRINGS "}", "\"edges\" holds 1 edges but the nodes' "
	    "edge counts add up to 4000000000", 0);
}

/* Running out of memory at each allocation in turn: clean errors. */
static void
test_out_of_memory(void **state)
{
	struct read_result res;
	unsigned long n;
	int failures = 0;

	(void)state;
	for (n = 1; n < 100000; n++) {
		struct hs_snapshot_reader *r;
		size_t pos;
		int ret = 0;

		hs_alloc_fail_at(n);
		if ((r = hs_snapshot_reader_new()) == NULL) {
			hs_alloc_fail_at(0);
			failures++;
			continue;
		}
		for (pos = 0; pos < sizeof(good) - 1 && ret == 0; pos += 16)
			ret = hs_snapshot_reader_feed(r,
			    (const unsigned char *)good + pos,
			    sizeof(good) - 1 - pos < 16 ?
			    sizeof(good) - 1 - pos : 16);
		if (ret == 0)
			ret = hs_snapshot_reader_finish(r);
		hs_alloc_fail_at(0);
		if (ret == 0) {
			struct hs_snapshot *s = hs_snapshot_reader_take(r);

			assert_int_equal(s->node_count, 2);
			assert_string_equal(hs_snapshot_node_name(s, 1), "Foo");
			hs_snapshot_free(s);
			hs_snapshot_reader_free(r);
			break;
		}
		failures++;
		if (strcmp(hs_snapshot_reader_error(r), "out of memory") != 0 &&
		    !(test_is_byte_error(hs_snapshot_reader_error(r)) &&
		    strstr(hs_snapshot_reader_error(r), "out of memory")))
			fail_msg("allocation %lu: \"%s\"", n,
			    hs_snapshot_reader_error(r));
		hs_snapshot_reader_free(r);
	}
	assert_true(failures > 10);
	/* The reader still works afterwards. */
	read_buf((const unsigned char *)good, sizeof(good) - 1, fixed_chunks,
	    7, 0, &res);
	assert_int_equal(res.ret, 0);
	hs_snapshot_free(res.snap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huge_declared_node_count),
		cmocka_unit_test(test_huge_declared_edge_count),
		cmocka_unit_test(test_good_small),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_bad_graph),
		cmocka_unit_test(test_strings_before_nodes),
		cmocka_unit_test(test_more_locations_than_nodes),
		cmocka_unit_test(test_errors_never_quote_input),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_real_node22),
		cmocka_unit_test(test_real_node18),
		cmocka_unit_test(test_real_node24),
		cmocka_unit_test(test_real_alloc),
		cmocka_unit_test(test_real_names),
		cmocka_unit_test(test_escaped_keys_same_result),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
