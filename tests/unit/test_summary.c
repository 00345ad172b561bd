/*
 * test_summary: the hs-summary format.  A summary written from a real
 * snapshot's analysis is read back field for field; writing is
 * deterministic; file names are parsed; and the reader refuses what it
 * must: a newer version, corrupt or truncated compression, a truncated
 * line, and a raw heap snapshot given by mistake.
 */
#include "testutil.h"

#include "analyze.h"
#include "jv.h"
#include "snapshot.h"
#include "summarize.h"
#include "summary.h"
#include "zstdio.h"

struct fixture {
	struct hs_snapshot	*snap;
	struct hs_analysis	*a;
	struct test_sink	 out;	/* the compressed summary */
	char			 path[128];
};

static struct fixture fx;

static void
meta_for_test(struct hs_summary_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->source_name = "mixed-node22.heapsnapshot.zst";
	m->source_bytes = 769003;
	m->source_compressed = 1;
	m->label = "before";
	m->session = "abc";
	m->captured = "2024-08-11T10:30:00Z";
	m->with_ids = 1;
	m->level = 3;
}

static int
setup(void **state)
{
	struct hs_summarize_options o;
	struct hs_summary_meta m;
	struct hs_snapshot_reader *r = hs_snapshot_reader_new();
	unsigned char *buf;
	size_t len;
	char err[256];

	(void)state;
	buf = test_load_snapshot("mixed-node22", &len);
	if (r == NULL || hs_snapshot_reader_feed(r, buf, len) == -1 ||
	    hs_snapshot_reader_finish(r) == -1)
		return -1;
	fx.snap = hs_snapshot_reader_take(r);
	hs_snapshot_reader_free(r);
	free(buf);
	hs_summarize_defaults(&o);
	if ((fx.a = hs_analysis_new(fx.snap, &o.analysis)) == NULL ||
	    hs_analysis_run(fx.a, NULL, NULL) == -1)
		return -1;
	meta_for_test(&m);
	if (hs_summary_write(fx.a, &m, test_sink_write, &fx.out, err,
	    sizeof(err)) == -1)
		return -1;
	test_write_temp(fx.path, sizeof(fx.path), fx.out.data, fx.out.len);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(fx.path);
	free(fx.out.data);
	hs_analysis_free(fx.a);
	hs_snapshot_free(fx.snap);
	return 0;
}

/* Decompresses a whole zstd buffer with lib/zstdio. */
static char *
unzstd(const unsigned char *in, size_t inlen, size_t *outlen)
{
	struct hs_zdec *d = hs_zdec_new();
	size_t cap = 1 << 20, len = 0, pos = 0, used, got;
	char *out = malloc(cap);

	assert_non_null(d);
	assert_non_null(out);
	while (pos < inlen || !hs_zdec_finished(d)) {
		if (cap - len < (1 << 16)) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		assert_int_equal(hs_zdec_run(d, in + pos, inlen - pos, &used,
		    out + len, cap - len - 1, &got), 0);
		pos += used;
		len += got;
		if (used == 0 && got == 0)
			break;
	}
	assert_true(hs_zdec_finished(d));
	hs_zdec_free(d);
	out[len] = '\0';
	*outlen = len;
	return out;
}

static void
zstd_to(struct test_sink *sink, const char *text, size_t len)
{
	struct hs_zenc *z = hs_zenc_new(3);

	assert_non_null(z);
	assert_int_equal(hs_zenc_write(z, text, len, test_sink_write, sink),
	    0);
	assert_int_equal(hs_zenc_end(z, test_sink_write, sink), 0);
	hs_zenc_free(z);
}

static size_t
classes_with_objects(const struct hs_analysis *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->class_count; i++)
		n += a->classes[i].count > 0;
	return n;
}

static void
test_written_text(void **state)
{
	size_t len, lines = 0;
	char *text = unzstd(fx.out.data, fx.out.len, &len), *p;

	(void)state;
	assert_true(hs_zstd_magic(fx.out.data, fx.out.len));
	/* JSON lines: a header first, every line a whole JSON object. */
	assert_true(strncmp(text, "{\"type\":\"header\",\"format\":"
	    "\"hs-summary\",\"version\":1,", 42) == 0);
	assert_int_equal(text[len - 1], '\n');
	for (p = text; p < text + len; lines++) {
		char *nl = memchr(p, '\n', (size_t)(text + len - p)), err[256];
		struct hs_jv *v;

		assert_non_null(nl);
		v = hs_jv_parse(p, (size_t)(nl - p), 0, 1 << 28, err,
		    sizeof(err));
		if (v == NULL)
			fail_msg("line %zu: %s", lines + 1, err);
		assert_int_equal(v->kind, HS_JV_OBJECT);
		assert_non_null(hs_jv_get_str(v, "type"));
		hs_jv_free(v);
		p = nl + 1;
	}
	assert_true(lines > classes_with_objects(fx.a));
	free(text);
}

static void
test_deterministic(void **state)
{
	struct hs_summary_meta m;
	struct test_sink again = { 0 };
	char err[256];

	(void)state;
	meta_for_test(&m);
	assert_int_equal(hs_summary_write(fx.a, &m, test_sink_write, &again,
	    err, sizeof(err)), 0);
	assert_int_equal(again.len, fx.out.len);
	assert_memory_equal(again.data, fx.out.data, fx.out.len);
	free(again.data);
}

/*
 * The ids in two zstd frames, the second written on a thread of its own
 * (as hs-summarize does from a million ids on): other bytes, the same
 * text, read back the same; with memory running out at each allocation in
 * turn, "out of memory" or the same bytes.
 */
static void
test_two_frames(void **state)
{
	struct hs_summary_meta m;
	struct test_sink two = { 0 };
	struct hs_summary *one, *sum;
	char err[256], path[128], *text, *text2;
	size_t len, len2, i, n;

	(void)state;
	meta_for_test(&m);
	m.ids_split = 1;
	assert_int_equal(hs_summary_write(fx.a, &m, test_sink_write, &two,
	    err, sizeof(err)), 0);
	assert_true(two.len != fx.out.len ||
	    memcmp(two.data, fx.out.data, two.len) != 0);
	text = unzstd(fx.out.data, fx.out.len, &len);
	text2 = unzstd(two.data, two.len, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(text, text2, len);
	test_write_temp(path, sizeof(path), two.data, two.len);
	assert_non_null(sum = hs_summary_read(path, err, sizeof(err)));
	assert_non_null(one = hs_summary_read(fx.path, err, sizeof(err)));
	assert_int_equal(sum->class_count, one->class_count);
	for (i = 0; i < sum->class_count; i++)
		assert_int_equal(sum->classes[i].id_count,
		    one->classes[i].id_count);
	hs_summary_free(one);
	hs_summary_free(sum);
	unlink(path);
	for (n = 1;; n++) {
		struct test_sink again = { 0 };
		int rc;

		hs_alloc_fail_at(n);
		rc = hs_summary_write(fx.a, &m, test_sink_write, &again, err,
		    sizeof(err));
		hs_alloc_fail_at(0);
		if (rc == 0) {
			assert_int_equal(again.len, two.len);
			assert_memory_equal(again.data, two.data, two.len);
			free(again.data);
			break;
		}
		if (strcmp(err, "out of memory") != 0)
			fail_msg("allocation %zu: \"%s\"", n, err);
		free(again.data);
	}
	assert_true(n > 3);
	free(text);
	free(text2);
	free(two.data);
}

static void
test_round_trip_header(void **state)
{
	char err[256] = "";
	struct hs_summary *s = hs_summary_read(fx.path, err, sizeof(err));
	const struct hs_jv *h, *src, *st;
	int64_t v;

	(void)state;
	if (s == NULL)
		fail_msg("%s", err);
	assert_string_equal(hs_summary_kind(s), "hs-summary");
	assert_string_equal(s->path, fx.path);
	h = s->header;
	assert_int_equal(hs_jv_get_int(h, "version", 0, 100, &v), 0);
	assert_int_equal(v, HS_SUMMARY_VERSION);
	assert_string_equal(hs_jv_get_str(h, "label"), "before");
	assert_string_equal(hs_jv_get_str(h, "session"), "abc");
	assert_string_equal(hs_jv_get_str(h, "captured"),
	    "2024-08-11T10:30:00Z");
	assert_string_equal(hs_jv_get_str(h, "runtime"), "node");
	assert_string_equal(hs_jv_get_str(h, "conventions"), "devtools");
	src = hs_jv_get(h, "source");
	assert_string_equal(hs_jv_get_str(src, "name"),
	    "mixed-node22.heapsnapshot.zst");
	assert_int_equal(hs_jv_get_int(src, "bytes", 0, INT64_MAX, &v), 0);
	assert_int_equal(v, 769003);
	assert_true(hs_jv_get(src, "compressed")->boolean);
	assert_int_equal(hs_jv_get_int(src, "json_bytes", 0, INT64_MAX, &v),
	    0);
	assert_int_equal(v, fx.snap->text_bytes);
#define FIG(key, want) do { \
	assert_int_equal(hs_jv_get_int(h, key, 0, INT64_MAX, &v), 0); \
	assert_int_equal(v, want); \
} while (0)
	FIG("node_count", test_expected_figure("mixed-node22", "node_count"));
	FIG("edge_count", test_expected_figure("mixed-node22", "edge_count"));
	FIG("total_size", test_expected_figure("mixed-node22", "total_size"));
	FIG("raw_self_total", test_expected_figure("mixed-node22",
	    "raw_self_total"));
	FIG("max_object_id", test_expected_figure("mixed-node22",
	    "max_node_id"));
	FIG("extra_native_bytes", 0);
	FIG("reachable_count", fx.a->reachable_count);
	FIG("reachable_size", fx.a->reachable_size);
	/* class_count tells how many class records follow. */
	FIG("class_count", s->class_count);
#undef FIG
	assert_true(s->has_ids);
	assert_true(hs_jv_get(h, "ids")->boolean);
	assert_false(hs_jv_get(h, "redacted")->boolean);
	/* The Statistics view. */
	st = s->statistics;
	assert_non_null(st);
	assert_int_equal(hs_jv_get_int(st, "total", 0, INT64_MAX, &v), 0);
	assert_int_equal(v, test_expected_figure("mixed-node22",
	    "stat_total"));
	assert_int_equal(hs_jv_get_int(st, "v8heap", 0, INT64_MAX, &v), 0);
	assert_int_equal(v, test_expected_figure("mixed-node22",
	    "stat_v8heap"));
	assert_int_equal(hs_jv_get_int(st, "typed_arrays", 0, INT64_MAX, &v),
	    0);
	assert_int_equal(v, test_expected_figure("mixed-node22",
	    "stat_typedarrays"));
	hs_summary_free(s);
	hs_summary_free(NULL);
}

static void
test_round_trip_classes(void **state)
{
	char err[256] = "";
	struct hs_summary *s = hs_summary_read(fx.path, err, sizeof(err));
	const struct hs_analysis *a = fx.a;
	size_t i, found = 0;

	(void)state;
	if (s == NULL)
		fail_msg("%s", err);
	assert_int_equal(s->class_count, classes_with_objects(a));
	/* Largest retained size first, then by key. */
	for (i = 1; i < s->class_count; i++) {
		const struct hs_summary_class *p = &s->classes[i - 1],
		    *q = &s->classes[i];

		assert_true(p->retained > q->retained ||
		    (p->retained == q->retained && strcmp(p->key, q->key) < 0));
	}
	for (i = 0; i < a->class_count; i++) {
		const struct hs_class *c = &a->classes[i];
		const struct hs_summary_class *r;
		uint64_t k;

		if (c->count == 0)
			continue;
		r = hs_summary_find(s, hs_analysis_key(a, c->key));
		if (r == NULL)
			fail_msg("class \"%s\" not read back",
			    hs_analysis_key(a, c->key));
		found++;
		assert_string_equal(r->name, hs_analysis_name(a, c->name));
		assert_int_equal(r->count, c->count);
		assert_int_equal(r->self, c->self);
		assert_int_equal(r->raw_self, c->raw_self);
		assert_int_equal(r->retained, c->retained);
		assert_int_equal(r->max_retained, c->max_retained);
		assert_int_equal(r->distance, c->distance);
		assert_int_equal(r->max_id, c->max_id);
		assert_int_equal(r->has_location, c->has_location);
		if (c->has_location) {
			assert_int_equal(r->script_id, c->script_id);
			assert_int_equal(r->line, c->line);
			assert_int_equal(r->column, c->column);
		}
		/* Ids: one per object, ascending, as analysed. */
		assert_int_equal(r->id_count, c->count);
		for (k = 0; k < r->id_count; k++) {
			assert_int_equal(r->ids[k],
			    a->snap->node_id[c->members[k]]);
			assert_int_equal(r->id_self[k], a->self[c->members[k]]);
			if (k > 0)
				assert_true(r->ids[k - 1] < r->ids[k]);
		}
		assert_int_equal(r->ids[r->id_count - 1], r->max_id);
	}
	assert_int_equal(found, s->class_count);
	assert_null(hs_summary_find(s, ",NoSuchClass"));
	hs_summary_free(s);
}

/* Plain JSON lines (what "zstd -dc" gives) are read the same. */
static void
test_reads_plain_lines(void **state)
{
	size_t len;
	char *text = unzstd(fx.out.data, fx.out.len, &len), path[128],
	    err[256] = "";
	struct hs_summary *a, *b;

	(void)state;
	test_write_temp(path, sizeof(path), text, len);
	a = hs_summary_read(path, err, sizeof(err));
	if (a == NULL)
		fail_msg("%s", err);
	b = hs_summary_read(fx.path, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(a->class_count, b->class_count);
	assert_int_equal(a->record_count, b->record_count);
	assert_string_equal(a->classes[0].key, b->classes[0].key);
	hs_summary_free(a);
	hs_summary_free(b);
	unlink(path);
	free(text);
}

static void
test_parse_filename(void **state)
{
	struct hs_summary_meta m;
	char buf[256];

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(hs_summary_parse_filename(
	    "/var/tmp/Heap.20240811.103000.4242.0.001.heapsnapshot", &m, buf,
	    sizeof(buf)), 1);
	assert_string_equal(m.captured, "2024-08-11T10:30:00");
	assert_string_equal(m.session, "4242");
	assert_null(m.label);

	memset(&m, 0, sizeof(m));
	assert_int_equal(hs_summary_parse_filename(
	    "session_abc_before_20240811T103000Z.heapsnapshot.zst", &m, buf,
	    sizeof(buf)), 1);
	assert_string_equal(m.session, "abc");
	assert_string_equal(m.label, "before");
	assert_string_equal(m.captured, "2024-08-11T10:30:00Z");

	/* Fields already set are kept. */
	memset(&m, 0, sizeof(m));
	m.label = "mine";
	assert_int_equal(hs_summary_parse_filename(
	    "session_abc_before_20240811T103000Z.heapsnapshot", &m, buf,
	    sizeof(buf)), 1);
	assert_string_equal(m.label, "mine");
	assert_string_equal(m.session, "abc");

	/* Names that follow neither pattern set nothing. */
	memset(&m, 0, sizeof(m));
	assert_int_equal(hs_summary_parse_filename("mixed-node22.heapsnapshot",
	    &m, buf, sizeof(buf)), 0);
	assert_int_equal(hs_summary_parse_filename(
	    "Heap.2024081.103000.4242.0.001.heapsnapshot", &m, buf,
	    sizeof(buf)), 0);
	assert_int_equal(hs_summary_parse_filename(
	    "Heap.20240811.103000.4242.0.001.json", &m, buf, sizeof(buf)), 0);
	assert_int_equal(hs_summary_parse_filename("session_.heapsnapshot",
	    &m, buf, sizeof(buf)), 0);
	assert_null(m.label);
	assert_null(m.session);
	assert_null(m.captured);
}

/* Expects hs_summary_read(path) to fail with a message containing want. */
static void
expect_refused(const char *path, const char *want)
{
	char err[256] = "";
	struct hs_summary *s = hs_summary_read(path, err, sizeof(err));

	if (s != NULL)
		fail_msg("read a file it should refuse (%s)", want);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err, want);
}

static void
test_refuses_newer_version(void **state)
{
	size_t len;
	char *text = unzstd(fx.out.data, fx.out.len, &len), *p, path[128];
	struct test_sink z = { 0 };

	(void)state;
	p = strstr(text, "\"version\":1,");
	assert_non_null(p);
	assert_true(p < strchr(text, '\n'));
	p[10] = '2';
	zstd_to(&z, text, len);
	test_write_temp(path, sizeof(path), z.data, z.len);
	expect_refused(path, "hs-summary version 2 is newer than this hs "
	    "reads (1): upgrade hs");
	unlink(path);
	free(z.data);
	free(text);
}

static void
test_refuses_corrupt_zstd(void **state)
{
	unsigned char *bad = malloc(fx.out.len);
	char path[128];
	size_t i;

	(void)state;
	assert_non_null(bad);
	memcpy(bad, fx.out.data, fx.out.len);
	for (i = fx.out.len / 2; i < fx.out.len / 2 + 64; i++)
		bad[i] ^= 0x5a;
	test_write_temp(path, sizeof(path), bad, fx.out.len);
	expect_refused(path, "corrupt zstd data");
	unlink(path);
	/* A bad frame header right after the magic. */
	memcpy(bad, fx.out.data, fx.out.len);
	memset(bad + 4, 0xff, 8);
	test_write_temp(path, sizeof(path), bad, fx.out.len);
	expect_refused(path, "zstd");
	unlink(path);
	free(bad);
}

static void
test_refuses_truncated(void **state)
{
	char path[128], *text;
	size_t len, cut;

	(void)state;
	/* The compressed stream cut short. */
	test_write_temp(path, sizeof(path), fx.out.data, fx.out.len / 2);
	{
		char want[80];

		/* Where: the end of the compressed bytes read. */
		snprintf(want, sizeof(want), "byte %zu of the compressed "
		    "input: truncated zstd frame", fx.out.len / 2);
		expect_refused(path, want);
	}
	unlink(path);
	/* Plain lines whose last line has no newline: a cut file. */
	text = unzstd(fx.out.data, fx.out.len, &len);
	cut = len / 2;
	while (text[cut] == '\n')
		cut++;
	test_write_temp(path, sizeof(path), text, cut);
	expect_refused(path, "truncated summary (the last line has no "
	    "newline)");
	unlink(path);
	free(text);
	/* Nothing at all. */
	test_write_temp(path, sizeof(path), "", 0);
	expect_refused(path, "byte 0: expected an hs-summary header, found "
	    "empty input");
	unlink(path);
	/* Lines, but not a summary. */
	test_write_temp(path, sizeof(path), "{\"type\":\"class\"}\n", 17);
	expect_refused(path, "byte 0: expected an hs-summary header");
	unlink(path);
	{
		static const char two[] = "{\"type\":\"header\",\"format\":"
		    "\"hs-summary\",\"version\":1}\n"
		    "{\"type\":\"class\",\"key\":\"x\"}\n";

		test_write_temp(path, sizeof(path), two, sizeof(two) - 1);
	}
	expect_refused(path, "byte 52: expected a class record with key, "
	    "name, count, self and retained");
	unlink(path);
}

static void
test_refuses_heap_snapshot(void **state)
{
	char path[128];
	static const char snap[] = "{\"snapshot\":{\"meta\":{}},\"nodes\":[]}";

	(void)state;
	/* A bundled snapshot, compressed as it is. */
	expect_refused(test_data_path("snapshots/empty-node22.heapsnapshot.zst"),
	    "byte 0: this is a heap snapshot, not a summary (run hs-summarize "
	    "on it first)");
	/* And a plain one. */
	test_write_temp(path, sizeof(path), snap, sizeof(snap) - 1);
	expect_refused(path, "this is a heap snapshot, not a summary");
	unlink(path);
}

static void
test_missing_file(void **state)
{
	(void)state;
	expect_refused("/nonexistent/dir/x.hss", "No such file or directory");
}

/* The line of text that starts with start (and its newline), or fails. */
static const char *
line_with(const char *text, const char *start, size_t *lenp)
{
	const char *p = text, *nl;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		if (strncmp(p, start, strlen(start)) == 0) {
			*lenp = (size_t)(nl - p) + 1;
			return p;
		}
	}
	fail_msg("no line starts with %s", start);
	return NULL;
}

/*
 * Memory running out at each allocation in turn while a summary's header,
 * a class and its ids are read (the ids record as hs-summarize lays it
 * out, and, with a space after "{", through the general JSON path): the
 * message is "out of memory", never that the record is bad.
 */
static void
test_out_of_memory(void **state)
{
	size_t len, hlen, clen, ilen, klen, n;
	char *text = unzstd(fx.out.data, fx.out.len, &len), *small, *key;
	const char *h, *c, *ids;
	char path[128], err[256], want[HS_NAME_MAX + 80];
	int layout;

	(void)state;
	h = line_with(text, "{\"type\":\"header\"", &hlen);
	ids = line_with(text, "{\"type\":\"ids\",\"key\":\"", &ilen);
	key = strchr(ids + 20, '"') + 1;
	klen = (size_t)(strchr(key, '"') - key);
	snprintf(want, sizeof(want), "{\"type\":\"class\",\"key\":\"%.*s\"",
	    (int)klen, key);
	c = line_with(text, want, &clen);
	assert_non_null(small = malloc(hlen + clen + ilen + 1));
	for (layout = 0; layout < 2; layout++) {
		memcpy(small, h, hlen);
		memcpy(small + hlen, c, clen);
		memcpy(small + hlen + clen, "{ ", layout + 1);
		memcpy(small + hlen + clen + layout + 1, ids + 1, ilen - 1);
		test_write_temp(path, sizeof(path), small,
		    hlen + clen + ilen + layout);
		for (n = 1;; n++) {
			struct hs_summary *sum;

			hs_alloc_fail_at(n);
			sum = hs_summary_read(path, err, sizeof(err));
			hs_alloc_fail_at(0);
			if (sum != NULL) {
				assert_int_equal(sum->class_count, 1);
				assert_true(sum->classes[0].id_count > 0);
				hs_summary_free(sum);
				break;
			}
			if (strstr(err, "out of memory") == NULL)
				fail_msg("allocation %zu: \"%s\"", n, err);
		}
		assert_true(n > 10);
		unlink(path);
	}
	free(small);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_text),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_two_frames),
		cmocka_unit_test(test_round_trip_header),
		cmocka_unit_test(test_round_trip_classes),
		cmocka_unit_test(test_reads_plain_lines),
		cmocka_unit_test(test_parse_filename),
		cmocka_unit_test(test_refuses_newer_version),
		cmocka_unit_test(test_refuses_corrupt_zstd),
		cmocka_unit_test(test_refuses_truncated),
		cmocka_unit_test(test_refuses_heap_snapshot),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
