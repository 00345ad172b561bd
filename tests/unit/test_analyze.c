/*
 * test_analyze: the analysis against Chrome DevTools itself.  For every
 * bundled snapshot, each class's count, self size, retained size and
 * distance must equal what DevTools' own HeapSnapshot.ts computed
 * (testdata/expected/<name>.tsv), with no class missing on either side,
 * and so must the header figures and the Statistics view.
 */
#include "testutil.h"

#include "alloc.h"
#include "analyze.h"
#include "hmap.h"
#include "regex.h"
#include "snapshot.h"
#include "summarize.h"

struct row {
	char		*key;
	char		*name;
	uint64_t	 count, self, retained;
	int64_t		 distance;
	int		 seen;
};

struct expected {
	struct row	*rows;
	size_t		 n;
};

/* Undoes the file's escapes: \\ \t \n \r. */
static char *
unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	size_t i;

	assert_non_null(out);
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			switch (s[++i]) {
			case 't': *o++ = '\t'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case '\\': *o++ = '\\'; break;
			default: fail_msg("bad escape \\%c", s[i]);
			}
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static void
load_expected(const char *name, struct expected *e)
{
	char rel[256], *line = NULL, *f[6], *p;
	size_t cap = 0, k;
	ssize_t len;
	FILE *fp;
	int header = 1;

	snprintf(rel, sizeof(rel), "expected/%s.tsv", name);
	fp = fopen(test_data_path(rel), "r");
	if (fp == NULL)
		fail_msg("%s: cannot open", rel);
	memset(e, 0, sizeof(*e));
	while ((len = getline(&line, &cap, fp)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#')
			continue;
		if (header) {
			assert_string_equal(line,
			    "key\tname\tcount\tself\tretained\tdistance");
			header = 0;
			continue;
		}
		for (k = 0, p = line; k < 6; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (k < 5) {
				assert_non_null(p);
				*p++ = '\0';
			}
		}
		e->rows = realloc(e->rows, (e->n + 1) * sizeof(*e->rows));
		assert_non_null(e->rows);
		e->rows[e->n].key = unescape(f[0], strlen(f[0]));
		e->rows[e->n].name = unescape(f[1], strlen(f[1]));
		e->rows[e->n].count = strtoull(f[2], NULL, 10);
		e->rows[e->n].self = strtoull(f[3], NULL, 10);
		e->rows[e->n].retained = strtoull(f[4], NULL, 10);
		e->rows[e->n].distance = strtoll(f[5], NULL, 10);
		e->rows[e->n].seen = 0;
		e->n++;
	}
	free(line);
	fclose(fp);
	assert_int_equal(e->n, test_expected_figure(name, "aggregate_count"));
}

static void
free_expected(struct expected *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->rows[i].key);
		free(e->rows[i].name);
	}
	free(e->rows);
}

static struct hs_snapshot *
read_snapshot(const char *name)
{
	size_t len;
	unsigned char *buf = test_load_snapshot(name, &len);
	struct hs_snapshot_reader *r = hs_snapshot_reader_new();
	struct hs_snapshot *s;

	assert_non_null(r);
	if (hs_snapshot_reader_feed(r, buf, len) == -1 ||
	    hs_snapshot_reader_finish(r) == -1)
		fail_msg("%s: %s", name, hs_snapshot_reader_error(r));
	s = hs_snapshot_reader_take(r);
	hs_snapshot_reader_free(r);
	free(buf);
	return s;
}

static struct hs_analysis *
analyse(struct hs_snapshot *s, int raw, size_t shape_cache,
    size_t level_list)
{
	struct hs_summarize_options o;
	struct hs_analysis *a;

	hs_summarize_defaults(&o);
	o.analysis.raw = raw;
	o.analysis.shape_cache = shape_cache;
	o.analysis.level_list = level_list;
	a = hs_analysis_new(s, &o.analysis);
	assert_non_null(a);
	if (hs_analysis_run(a, NULL, NULL) == -1)
		fail_msg("analysis: %s", hs_analysis_error(a));
	return a;
}

static struct row *
find_row(struct expected *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->rows[i].key, key) == 0)
			return &e->rows[i];
	return NULL;
}

static void
check_against_devtools(const char *name, size_t shape_cache,
    size_t level_list)
{
	struct hs_snapshot *s = read_snapshot(name);
	struct hs_analysis *a = analyse(s, 0, shape_cache, level_list);
	struct expected e;
	size_t i, classes = 0, bad = 0;

	load_expected(name, &e);
	/* Every class hs reports is a DevTools row with the same figures. */
	for (i = 0; i < a->class_count; i++) {
		const struct hs_class *c = &a->classes[i];
		const char *key = hs_analysis_key(a, c->key);
		struct row *r;

		if (c->count == 0)
			continue;
		classes++;
		if ((r = find_row(&e, key)) == NULL) {
			print_error("%s: class \"%s\" is not in DevTools' "
			    "table\n", name, key);
			bad++;
			continue;
		}
		if (r->seen++)
			fail_msg("%s: class \"%s\" reported twice", name, key);
		if (strcmp(hs_analysis_name(a, c->name), r->name) != 0 ||
		    c->count != r->count || c->self != r->self ||
		    c->retained != r->retained ||
		    c->distance != r->distance) {
			print_error("%s: \"%s\": hs name \"%s\" count %llu "
			    "self %llu retained %llu distance %lld, DevTools "
			    "\"%s\" %llu %llu %llu %lld\n", name, key,
			    hs_analysis_name(a, c->name),
			    (unsigned long long)c->count,
			    (unsigned long long)c->self,
			    (unsigned long long)c->retained,
			    (long long)c->distance, r->name,
			    (unsigned long long)r->count,
			    (unsigned long long)r->self,
			    (unsigned long long)r->retained,
			    (long long)r->distance);
			bad++;
		}
	}
	/* And every DevTools row is one of hs's classes. */
	for (i = 0; i < e.n; i++) {
		if (!e.rows[i].seen) {
			print_error("%s: DevTools' class \"%s\" is missing\n",
			    name, e.rows[i].key);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%s: %zu classes differ from DevTools", name, bad);
	assert_int_equal(classes, e.n);

	/* The runtime, told from the graph. */
	assert_string_equal(a->runtime, strncmp(name, "dom-", 4) == 0 ?
	    "browser" : strstr(name, "deno") != NULL ? "deno" : "node");

	/* The header figures and the Statistics view. */
	assert_int_equal(s->node_count, test_expected_figure(name,
	    "node_count"));
	assert_int_equal(s->edge_count, test_expected_figure(name,
	    "edge_count"));
	assert_int_equal(a->total_size, test_expected_figure(name,
	    "total_size"));
	assert_int_equal(s->extra_native_bytes, test_expected_figure(name,
	    "extra_native_bytes"));
	assert_int_equal(a->raw_self_total, test_expected_figure(name,
	    "raw_self_total"));
	assert_int_equal(a->max_id, test_expected_figure(name,
	    "max_node_id"));
	assert_int_equal(a->stats.total, test_expected_figure(name,
	    "stat_total"));
	assert_int_equal(a->stats.v8heap, test_expected_figure(name,
	    "stat_v8heap"));
	assert_int_equal(a->stats.native, test_expected_figure(name,
	    "stat_native"));
	assert_int_equal(a->stats.code, test_expected_figure(name,
	    "stat_code"));
	assert_int_equal(a->stats.strings, test_expected_figure(name,
	    "stat_strings"));
	assert_int_equal(a->stats.js_arrays, test_expected_figure(name,
	    "stat_jsarrays"));
	assert_int_equal(a->stats.typed_arrays, test_expected_figure(name,
	    "stat_typedarrays"));
	assert_int_equal(a->stats.system, test_expected_figure(name,
	    "stat_system"));

	/* Ids per class: count of them, ascending, max_id the last. */
	for (i = 0; i < a->class_count; i++) {
		const struct hs_class *c = &a->classes[i];
		uint64_t k;

		if (c->count == 0)
			continue;
		assert_non_null(c->members);
		for (k = 0; k < c->count; k++) {
			assert_int_equal(a->node_class[c->members[k]], i);
			assert_true(a->self[c->members[k]] != 0);
		}
		for (k = 1; k < c->count; k++)
			assert_true(s->node_id[c->members[k - 1]] <
			    s->node_id[c->members[k]]);
		assert_int_equal(s->node_id[c->members[c->count - 1]],
		    c->max_id);
	}
	free_expected(&e);
	hs_analysis_free(a);
	hs_snapshot_free(s);
}

#define DEVTOOLS_TEST(scenario, major) \
static void \
test_##scenario##_node##major(void **state) \
{ \
	(void)state; \
	check_against_devtools(#scenario "-node" #major, 0, 0); \
}

DEVTOOLS_TEST(empty, 18)
DEVTOOLS_TEST(empty, 20)
DEVTOOLS_TEST(empty, 22)
DEVTOOLS_TEST(empty, 24)
DEVTOOLS_TEST(mixed, 18)
DEVTOOLS_TEST(mixed, 20)
DEVTOOLS_TEST(mixed, 22)
DEVTOOLS_TEST(mixed, 24)
DEVTOOLS_TEST(alloc, 18)
DEVTOOLS_TEST(alloc, 20)
DEVTOOLS_TEST(alloc, 22)
DEVTOOLS_TEST(alloc, 24)

/* Deno's and Chromium's, which also tell their runtime apart. */
static void
test_other_runtimes(void **state)
{
	(void)state;
	check_against_devtools("mixed-deno", 0, 0);
	check_against_devtools("dom-chromium", 0, 0);
}

/*
 * Plain objects' shape names with room for one property list in the cache
 * of them: the others are worked out object by object, to the same names.
 */
static void
test_small_shape_cache(void **state)
{
	(void)state;
	check_against_devtools("mixed-node22", 1, 0);
	check_against_devtools("alloc-node24", 1, 0);
}

/* How many edges of the distances' search lead from the root to v. */
static uint32_t
search_depth(const struct hs_analysis *a, uint32_t v)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t depth = 0;

	while (v != s->root && a->bfs_edge[v] != UINT32_MAX) {
		assert_int_equal(HS_EDGE_TO(s, a->bfs_edge[v]), v);
		v = hs_edge_source(s, a->bfs_edge[v]);
		assert_true(++depth <= s->node_count);
	}
	return depth;
}

/*
 * The distances' search with room for one node in a level's list: every
 * level but the first is then a bit a node, walked in node order.  The
 * distances stay DevTools', and every node is reached as many edges from
 * the root as with lists (maybe by another path as short).
 */
static void
test_long_levels(void **state)
{
	static const char *const names[] = { "mixed-node22", "alloc-node24",
	    "mixed-node18" };
	size_t i;
	uint32_t v;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct hs_snapshot *s = read_snapshot(names[i]);
		struct hs_snapshot *s2 = read_snapshot(names[i]);
		struct hs_analysis *lists = analyse(s, 0, 0, 0);
		struct hs_analysis *bits = analyse(s2, 0, 0, 1);
		size_t moved = 0;

		check_against_devtools(names[i], 0, 1);
		for (v = 0; v < s->node_count; v++) {
			assert_int_equal(search_depth(lists, v),
			    search_depth(bits, v));
			if (lists->bfs_edge[v] != bits->bfs_edge[v])
				moved++;
		}
		/* Some paths changed: the bit sets were used. */
		assert_true(moved > 0);
		hs_analysis_free(bits);
		hs_analysis_free(lists);
		hs_snapshot_free(s2);
		hs_snapshot_free(s);
	}
}

/* Whether a class name is a shape name, "{a, b, c}". */
static int
is_shape_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && s[0] == '{' && s[n - 1] == '}';
}

/*
 * The retainers, collected on two threads by slices of nodes and grouped
 * by names before labels, against the same groups made edge by edge from
 * each edge's label: with every group kept, the same groups with the same
 * counts and retained sizes, each class's largest first.  With --redact
 * too, which puts names that differ under one label.
 */
struct naive_group {
	uint64_t	count, retained;
};

static void
check_retainers(const char *name, const char *redact)
{
	struct hs_snapshot *s = read_snapshot(name);
	struct hs_summarize_options o;
	struct hs_analysis *a;
	struct hs_hmap map;
	struct naive_group *g = NULL;
	uint64_t *best;
	size_t cap = 0, i;
	uint32_t v, e;
	char err[256];

	hs_summarize_defaults(&o);
	o.analysis.retainer_classes = SIZE_MAX;
	o.analysis.retainers_per_class = SIZE_MAX;
	if (redact != NULL)
		assert_non_null(o.analysis.redact = hs_regex_new(redact, 0,
		    err, sizeof(err)));
	assert_non_null(a = hs_analysis_new(s, &o.analysis));
	if (hs_analysis_run(a, NULL, NULL) == -1)
		fail_msg("analysis: %s", hs_analysis_error(a));
	hs_hmap_init(&map);
	assert_non_null(best = calloc(a->class_count + 1, sizeof(*best)));
	for (v = 0; v < s->node_count; v++) {
		if (v == s->root)
			continue;
		for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
			uint32_t t = HS_EDGE_TO(s, e), key[3], id;
			int added;

			if (a->self[t] == 0 || HS_EDGE_KIND(s, e) == HS_EK_WEAK)
				continue;
			key[0] = a->node_class[t];
			key[1] = a->node_class[v];
			key[2] = hs_edge_label(a, e);
			assert_int_not_equal(key[2], UINT32_MAX);
			id = hs_hmap_intern(&map, key, sizeof(key), &added);
			assert_int_not_equal(id, UINT32_MAX);
			if (added) {
				assert_int_equal(hs_grow(&g, &cap,
				    (size_t)id + 1, sizeof(*g)), 0);
				memset(&g[id], 0, sizeof(*g));
			}
			g[id].count++;
			g[id].retained += a->retained[t];
		}
	}
	for (i = 0; i < map.count; i++) {
		uint32_t key[3];

		/* Keys are bytes, not aligned. */
		memcpy(key, hs_hmap_key(&map, (uint32_t)i, NULL), sizeof(key));
		if (g[i].retained > best[key[0]])
			best[key[0]] = g[i].retained;
	}
	assert_int_equal(a->retainer_count, map.count);
	for (i = 0; i < a->retainer_count; i++) {
		const struct hs_retainer *r = &a->retainers[i];
		uint32_t key[3] = { r->target, r->source, r->edge }, id;

		id = hs_hmap_find(&map, key, sizeof(key));
		if (id == UINT32_MAX)
			fail_msg("%s: a retainer group not made edge by edge",
			    name);
		assert_int_equal(r->count, g[id].count);
		assert_int_equal(r->retained, g[id].retained);
		if (i == 0 || r->target != a->retainers[i - 1].target)
			assert_int_equal(r->retained, best[r->target]);
	}
	free(best);
	hs_free(g);
	hs_hmap_free(&map);
	hs_analysis_free(a);
	hs_regex_free(o.analysis.redact);
	hs_snapshot_free(s);
}

static void
test_retainers(void **state)
{
	(void)state;
	check_retainers("mixed-node22", NULL);
	check_retainers("alloc-node24", NULL);
	check_retainers("mixed-node20", "^(on|_)");
}

/*
 * With opts.raw, sizes are the file's self_size, and plain objects are not
 * named by their shape.
 */
static void
test_raw(void **state)
{
	/* Two reads: an analysis frees the columns it is done with. */
	struct hs_snapshot *s = read_snapshot("mixed-node22");
	struct hs_snapshot *s2 = read_snapshot("mixed-node22");
	struct hs_analysis *dev = analyse(s, 0, 0, 0);
	struct hs_analysis *raw = analyse(s2, 1, 0, 0);
	uint64_t total = 0;
	size_t i, shapes = 0;

	(void)state;
	/* The DevTools run has shape classes, so their absence means something. */
	for (i = 0; i < dev->class_count; i++)
		if (dev->classes[i].count > 0 &&
		    is_shape_name(hs_analysis_name(dev, dev->classes[i].name)))
			shapes++;
	assert_true(shapes > 0);
	for (i = 0; i < raw->class_count; i++) {
		const struct hs_class *c = &raw->classes[i];
		const char *name = hs_analysis_name(raw, c->name);

		if (c->count == 0)
			continue;
		if (c->self != c->raw_self)
			fail_msg("raw: class \"%s\" self %llu, raw self %llu",
			    name, (unsigned long long)c->self,
			    (unsigned long long)c->raw_self);
		if (is_shape_name(name))
			fail_msg("raw: shape class \"%s\"", name);
		total += c->self;
	}
	/* Every byte of self_size is in some class. */
	assert_int_equal(total, raw->raw_self_total);
	assert_int_equal(raw->raw_self_total, test_expected_figure(
	    "mixed-node22", "raw_self_total"));
	/* Known classes keep their counts. */
	for (i = 0; i < raw->class_count; i++) {
		if (strcmp(hs_analysis_name(raw, raw->classes[i].name),
		    "LeakyThing") == 0) {
			assert_int_equal(raw->classes[i].count, 777);
			break;
		}
	}
	assert_true(i < raw->class_count);
	hs_analysis_free(raw);
	hs_analysis_free(dev);
	hs_snapshot_free(s);
	hs_snapshot_free(s2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_node18),
		cmocka_unit_test(test_empty_node20),
		cmocka_unit_test(test_empty_node22),
		cmocka_unit_test(test_empty_node24),
		cmocka_unit_test(test_mixed_node18),
		cmocka_unit_test(test_mixed_node20),
		cmocka_unit_test(test_mixed_node22),
		cmocka_unit_test(test_mixed_node24),
		cmocka_unit_test(test_alloc_node18),
		cmocka_unit_test(test_alloc_node20),
		cmocka_unit_test(test_alloc_node22),
		cmocka_unit_test(test_alloc_node24),
		cmocka_unit_test(test_other_runtimes),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_small_shape_cache),
		cmocka_unit_test(test_long_levels),
		cmocka_unit_test(test_retainers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
