/*
 * test_diff: lib/diff.c and lib/diff_rules.c, on summaries of real
 * snapshots made here with lib/summarize (the bundled Node 22 snapshots
 * and the snapshot triples of one process each), and on small
 * hand-written summaries for the arithmetic of thresholds and severity.
 */
#include "testutil.h"

#include <inttypes.h>

#include "buf.h"
#include "diff.h"
#include "diff_rules.h"
#include "jv.h"
#include "regex.h"
#include "summarize.h"
#include "summary.h"

static int
have(const char *rel)
{
	return access(test_data_path(rel), R_OK) == 0;
}

static struct hs_summary *
triple_part(const char *scenario, const char *role)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "snapshots/triples/%s-%s.heapsnapshot.zst",
	    scenario, role);
	if (!have(rel))
		skip();
	return test_summarize(rel);
}

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

static struct hs_diff *
diff_of(struct hs_summary **sums, int n, const struct hs_diff_options *o)
{
	struct hs_diff *d = hs_diff_new();

	assert_non_null(d);
	if (hs_diff_compute(d, sums, n, o) == -1)
		fail_msg("hs_diff_compute: %s", hs_diff_error(d));
	return d;
}

static const struct hs_diff_class *
find_class(const struct hs_diff *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->class_count; i++)
		if (strcmp(d->classes[i].name, name) == 0)
			return &d->classes[i];
	fail_msg("no class %s in the diff", name);
	return NULL;
}

static void
test_parse(void **state)
{
	enum hs_severity s;
	uint64_t v;
	double r;

	(void)state;
	assert_int_equal(hs_diff_parse_size("1048576", &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(hs_diff_parse_size("10MiB", &v), 0);
	assert_int_equal(v, 10 * 1048576);
	assert_int_equal(hs_diff_parse_size("512KB", &v), 0);
	assert_int_equal(v, 512000);
	assert_int_equal(hs_diff_parse_size("1.5k", &v), 0);
	assert_int_equal(v, 1536);
	assert_int_equal(hs_diff_parse_size("2 GiB", &v), 0);
	assert_int_equal(v, 2147483648ull);
	assert_int_equal(hs_diff_parse_size("7b", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(hs_diff_parse_size("", &v), -1);
	assert_int_equal(hs_diff_parse_size("MB", &v), -1);
	assert_int_equal(hs_diff_parse_size("10XB", &v), -1);
	assert_int_equal(hs_diff_parse_size("-1", &v), -1);
	assert_int_equal(hs_diff_parse_size("1.5", &v), -1);
	assert_int_equal(hs_diff_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(hs_diff_parse_size("99999999999TiB", &v), -1);

	assert_int_equal(hs_diff_parse_ratio("0.1", &r), 0);
	assert_true(r == 0.1);
	assert_int_equal(hs_diff_parse_ratio("25%", &r), 0);
	assert_true(r == 0.25);
	assert_int_equal(hs_diff_parse_ratio("-1", &r), -1);
	assert_int_equal(hs_diff_parse_ratio("x", &r), -1);
	assert_int_equal(hs_diff_parse_ratio("1x", &r), -1);

	assert_int_equal(hs_severity_parse("high", &s), 0);
	assert_int_equal(s, HS_SEV_HIGH);
	assert_string_equal(hs_severity_name(HS_SEV_CRITICAL), "critical");
	assert_int_equal(hs_severity_parse("severe", &s), -1);
}

/* A summary with one class "C" of the given retained size. */
static struct hs_summary *
one_class(const char *session, uint64_t total, uint64_t count,
    uint64_t retained)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	    "\"source\":{\"name\":\"%s.heapsnapshot\"},\"session\":\"%s\","
	    "\"node_count\":10,\"total_size\":%" PRIu64 ",\"max_object_id\":99,"
	    "\"ids\":false}\n"
	    "{\"type\":\"class\",\"key\":\",C\",\"name\":\"C\",\"count\":%"
	    PRIu64 ",\"self\":%" PRIu64 ",\"retained\":%" PRIu64 "}\n",
	    session, session, total, count, retained, retained);
	return read_text(text);
}

/* The severity of class C going from a to b bytes (with thresholds o). */
static enum hs_severity
severity(uint64_t a, uint64_t b, const struct hs_diff_options *o)
{
	struct hs_summary *s[2];
	struct hs_diff *d;
	enum hs_severity sev;

	s[0] = one_class("s", 1000000000, 1, a);
	s[1] = one_class("s", 1000000000, 2, b);
	d = diff_of(s, 2, o);
	sev = find_class(d, "C")->severity;
	hs_diff_free(d);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
	return sev;
}

/* The worked examples of hs-diff(1). */
static void
test_severity(void **state)
{
	struct hs_diff_options o;
	const uint64_t M = HS_MIB;

	(void)state;
	hs_diff_defaults(&o);
	assert_int_equal(severity(200 * M, 215 * M, &o), HS_SEV_NONE);
	assert_int_equal(severity(100 * M, 160 * M, &o), HS_SEV_HIGH);
	assert_int_equal(severity(2 * M, 30 * M, &o), HS_SEV_CRITICAL);
	assert_int_equal(severity(1000, 12 * M, &o), HS_SEV_MEDIUM);
	assert_int_equal(severity(0, 12 * M, &o), HS_SEV_MEDIUM);
	assert_int_equal(severity(100 * M, 220 * M, &o), HS_SEV_CRITICAL);
	assert_int_equal(severity(10 * M, 9 * M, &o), HS_SEV_NONE);
	assert_int_equal(severity(1000, 20000, &o), HS_SEV_NONE);
	o.threshold = 16384;
	assert_int_equal(severity(1000, 20000, &o), HS_SEV_LOW);
	/* Rate 3 counts from a before size of 1 MiB. */
	assert_int_equal(severity(M, 3 * M, &o), HS_SEV_MEDIUM);
	assert_int_equal(severity(M - 1, 3 * M, &o), HS_SEV_LOW);
	o.min_count = 2;
	assert_int_equal(severity(M, 3 * M, &o), HS_SEV_NONE);
	o.min_count = 0;
	o.growth = 3;
	assert_int_equal(severity(M, 3 * M, &o), HS_SEV_NONE);
}

static void
test_sessions(void **state)
{
	struct hs_diff_options o;
	struct hs_summary *s[2];
	struct hs_diff *d;

	(void)state;
	hs_diff_defaults(&o);
	s[0] = one_class("a", 1000, 1, 10);
	s[1] = one_class("b", 2000, 1, 10);
	d = diff_of(s, 2, &o);
	assert_false(d->same_process);
	assert_false(d->ids_used);
	assert_non_null(strstr(d->ids_skipped, "no object ids"));
	assert_int_equal(d->total_growth, 1000);
	hs_diff_free(d);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
}

/* Keys that differ only by the script's id match by unique name. */
static void
test_match_by_name(void **state)
{
	static const char before[] =
	    "{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	    "\"total_size\":1000,\"max_object_id\":9,\"ids\":false}\n"
	    "{\"type\":\"class\",\"key\":\"78,67,13,Foo\",\"name\":\"Foo\","
	    "\"location\":{\"script_id\":78,\"line\":67,\"column\":13},"
	    "\"count\":2,\"self\":20,\"retained\":200}\n"
	    "{\"type\":\"class\",\"key\":\"78,10,1,Item\",\"name\":\"Item\","
	    "\"location\":{\"script_id\":78,\"line\":10,\"column\":1},"
	    "\"count\":1,\"self\":10,\"retained\":10}\n"
	    "{\"type\":\"class\",\"key\":\"80,10,1,Item\",\"name\":\"Item\","
	    "\"location\":{\"script_id\":80,\"line\":10,\"column\":1},"
	    "\"count\":1,\"self\":10,\"retained\":10}\n"
	    "{\"type\":\"class\",\"key\":\",Gone\",\"name\":\"Gone\","
	    "\"count\":1,\"self\":5,\"retained\":5}\n";
	static const char after[] =
	    "{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
	    "\"total_size\":1300,\"max_object_id\":19,\"ids\":false}\n"
	    "{\"type\":\"class\",\"key\":\"79,67,13,Foo\",\"name\":\"Foo\","
	    "\"location\":{\"script_id\":79,\"line\":67,\"column\":13},"
	    "\"count\":5,\"self\":50,\"retained\":500}\n"
	    "{\"type\":\"class\",\"key\":\"81,10,1,Item\",\"name\":\"Item\","
	    "\"location\":{\"script_id\":81,\"line\":10,\"column\":1},"
	    "\"count\":1,\"self\":10,\"retained\":10}\n";
	struct hs_diff_options o;
	struct hs_summary *s[2];
	struct hs_diff *d;
	const struct hs_diff_class *c;
	size_t i, items = 0;

	(void)state;
	hs_diff_defaults(&o);
	o.threshold = 100;
	s[0] = read_text(before);
	s[1] = read_text(after);
	d = diff_of(s, 2, &o);
	c = find_class(d, "Foo");
	assert_string_equal(c->key, "79,67,13,Foo");
	assert_string_equal(c->old_key, "78,67,13,Foo");
	assert_int_equal(c->delta_count, 3);
	assert_int_equal(c->delta_retained, 300);
	assert_true(c->rate == 2.5);
	assert_int_equal(c->severity, HS_SEV_LOW);
	assert_string_equal(d->likely_source, "Foo");
	/* Two Items before: not unique, so the new one stays unmatched. */
	for (i = 0; i < d->class_count; i++)
		if (strcmp(d->classes[i].name, "Item") == 0) {
			items++;
			assert_null(d->classes[i].old_key);
		}
	assert_int_equal(items, 3);
	c = find_class(d, "Gone");
	assert_false(c->present[HS_D_NEW]);
	assert_int_equal(c->delta_retained, -5);
	assert_int_equal(d->total_growth, 300);
	hs_diff_free(d);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
}

static void
test_self(void **state)
{
	struct hs_diff_options o;
	struct hs_summary *s[2];
	struct hs_diff *d;
	size_t i;

	(void)state;
	hs_diff_defaults(&o);
	o.threshold = 0;
	s[0] = s[1] = test_summarize("snapshots/mixed-node22.heapsnapshot.zst");
	d = diff_of(s, 2, &o);
	assert_true(d->same_process);
	assert_true(d->ids_used);
	assert_int_equal(d->severity, HS_SEV_NONE);
	assert_false(d->suspicious);
	assert_null(d->likely_source);
	assert_int_equal(d->total_growth, 0);
	assert_int_equal(d->class_count, s[0]->class_count);
	for (i = 0; i < d->class_count; i++) {
		assert_int_equal(d->classes[i].delta_retained, 0);
		assert_int_equal(d->classes[i].new_count, 0);
		assert_true(d->classes[i].rate == 1.0);
	}
	/* The largest class comes first among equals. */
	assert_string_equal(d->classes[0].name, "global");
	hs_diff_free(d);
	hs_summary_free(s[0]);
}

static void
test_processes(void **state)
{
	struct hs_diff_options o;
	struct hs_summary *s[2];
	struct hs_diff *d;
	const struct hs_diff_class *c;

	(void)state;
	hs_diff_defaults(&o);
	s[0] = test_summarize("snapshots/empty-node22.heapsnapshot.zst");
	s[1] = test_summarize("snapshots/mixed-node22.heapsnapshot.zst");
	d = diff_of(s, 2, &o);
	assert_false(d->same_process);
	assert_false(d->ids_used);
	assert_non_null(d->ids_skipped);
	assert_int_equal(d->total_growth, 6239997 - 4256245);
	c = find_class(d, "LeakyThing");
	assert_int_equal(c->delta_count, 777);
	assert_int_equal(c->count[HS_D_OLD], 0);
	assert_true(c->is_new);
	assert_int_equal(c->new_count, 0);
	hs_diff_free(d);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
}

/* The planted leak of a triple, as testdata/expected/triples.tsv says. */
static void
check_leak(const char *scenario, const char *cls, uint64_t per_step)
{
	struct hs_diff_options o;
	struct hs_summary *s[3];
	struct hs_diff *d;
	const struct hs_diff_class *c;

	hs_diff_defaults(&o);
	o.threshold = 10000;
	s[0] = triple_part(scenario, "baseline");
	s[1] = triple_part(scenario, "target");
	s[2] = triple_part(scenario, "final");

	d = diff_of(s, 2, &o);
	assert_true(d->ids_used);
	assert_string_equal(d->likely_source, cls);
	assert_string_equal(d->classes[0].name, cls);
	c = &d->classes[0];
	assert_int_equal(c->new_count, per_step);
	assert_int_equal(c->delta_count, per_step);
	assert_int_equal(c->severity, HS_SEV_LOW);
	assert_true(c->is_new);
	assert_non_null(c->held_by);
	hs_diff_free(d);

	d = diff_of(s, 3, &o);
	assert_int_equal(d->ninputs, 3);
	assert_true(d->ids_used);
	assert_string_equal(d->likely_source, cls);
	c = &d->classes[0];
	assert_string_equal(c->name, cls);
	assert_int_equal(c->count[HS_D_MID], per_step);
	assert_int_equal(c->count[HS_D_NEW], 2 * per_step);
	assert_int_equal(c->new_count, 2 * per_step);
	assert_int_equal(c->leaked_count, per_step);
	assert_true(c->leaked_self > 0 && c->leaked_self < c->new_self);
	assert_true(d->confidence > 0.5 && d->confidence <= 1);
	hs_diff_free(d);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
	hs_summary_free(s[2]);
}

static void
test_array_leak(void **state)
{
	(void)state;
	check_leak("array-leak", "LeakedEntry", 400);
}

static void
test_listener_leak(void **state)
{
	(void)state;
	check_leak("listener-leak", "ListenerContext", 250);
}

static void
test_map_cache(void **state)
{
	(void)state;
	check_leak("map-cache", "CachedResponse", 300);
}

static void
check_no_leak(const char *scenario, const char *cls)
{
	struct hs_diff_options o;
	struct hs_summary *s[3];
	struct hs_diff *d;
	const struct hs_diff_class *c;
	size_t i;

	hs_diff_defaults(&o);
	o.threshold = 10000;
	s[0] = triple_part(scenario, "baseline");
	s[1] = triple_part(scenario, "target");
	s[2] = triple_part(scenario, "final");
	d = diff_of(s, 3, &o);
	assert_true(d->ids_used);
	assert_int_equal(d->severity, HS_SEV_NONE);
	assert_null(d->likely_source);
	for (i = 0; i < d->class_count; i++)
		if (strcmp(d->classes[i].name, cls) == 0) {
			c = &d->classes[i];
			assert_int_equal(c->leaked_count, 0);
		}
	hs_diff_free(d);
	for (i = 0; i < 3; i++)
		hs_summary_free(s[i]);
}

static void
test_no_leak(void **state)
{
	(void)state;
	check_no_leak("cleanup", "TempBuffer");
	check_no_leak("steady-churn", "ChurnItem");
}

/* Writes d, reads it back. */
static struct hs_diff *
round_trip(struct hs_diff *d)
{
	struct test_sink sink = { 0 };
	struct hs_diff *r;
	char path[256], err[256];

	assert_int_equal(hs_diff_write(d, test_sink_write, &sink, 3), 0);
	test_write_temp(path, sizeof(path), sink.data, sink.len);
	free(sink.data);
	r = hs_diff_read(path, err, sizeof(err));
	unlink(path);
	if (r == NULL)
		fail_msg("hs_diff_read: %s", err);
	return r;
}

static void
test_round_trip(void **state)
{
	struct hs_diff_options o;
	struct hs_summary *s[3];
	struct hs_rules *rules;
	struct hs_diff *d, *r;
	struct hs_buf a = { 0 }, b = { 0 };
	size_t i;

	(void)state;
	hs_diff_defaults(&o);
	o.threshold = 10000;
	rules = hs_rules_new();
	assert_non_null(rules);
	assert_int_equal(hs_rules_load_patterns(rules,
	    "share/hs/rules/patterns.conf"), 0);
	o.patterns = rules;
	s[0] = triple_part("map-cache", "baseline");
	s[1] = triple_part("map-cache", "target");
	s[2] = triple_part("map-cache", "final");
	d = diff_of(s, 3, &o);
	assert_true(d->pattern_count > 0);
	assert_string_equal(d->patterns[0].id, "map-set-cache");
	assert_string_equal(d->patterns[0].name, "CachedResponse");
	assert_true(d->recommendation_count > 0);
	r = round_trip(d);
	assert_int_equal(r->ninputs, 3);
	assert_int_equal(r->class_count, d->class_count);
	assert_int_equal(r->pattern_count, d->pattern_count);
	assert_int_equal(r->total_growth, d->total_growth);
	assert_int_equal(r->severity, d->severity);
	assert_string_equal(r->likely_source, d->likely_source);
	assert_true(r->confidence == d->confidence);
	for (i = 0; i < d->class_count; i++) {
		assert_string_equal(r->classes[i].key, d->classes[i].key);
		assert_int_equal(r->classes[i].leaked_count,
		    d->classes[i].leaked_count);
		assert_int_equal(r->classes[i].retained[HS_D_MID],
		    d->classes[i].retained[HS_D_MID]);
		assert_true(r->classes[i].rate == d->classes[i].rate);
	}
	/* The text is the same from the diff computed and the one read. */
	assert_int_equal(hs_diff_text(d, 0, &a), 0);
	assert_int_equal(hs_diff_text(r, 0, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	hs_buf_free(&a);
	hs_buf_free(&b);
	hs_diff_free(d);
	hs_diff_free(r);
	hs_rules_free(rules);
	for (i = 0; i < 3; i++)
		hs_summary_free(s[i]);
}

static void
read_fails(const char *text, const char *want)
{
	char path[256], err[256];
	struct hs_diff *d;

	test_write_temp(path, sizeof(path), text, strlen(text));
	d = hs_diff_read(path, err, sizeof(err));
	unlink(path);
	assert_null(d);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err, want);
}

static void
test_read_errors(void **state)
{
	(void)state;
	read_fails("{\"type\":\"header\",\"format\":\"hs-diff\",\"version\":2}\n",
	    "version 2 is newer");
	read_fails("{\"type\":\"header\",\"format\":\"hs-summary\","
	    "\"version\":1}\n", "not an hs-diff");
	read_fails("{\"snapshot\":{}}", "heap snapshot");
	read_fails("", "empty input");
	read_fails("{\"type\":\"header\",\"format\":\"hs-diff\",\"version\":1,"
	    "\"mode\":\"pair\"}\n", "byte 0: expected an hs-diff header");
	read_fails("{\"type\":\"header\",\"format\":\"hs-diff\",\"version\":1",
	    "truncated");
}

static void
test_rules(void **state)
{
	static const char sup[] = "# comment\n\n^\\(compiled code\\)$\t64MiB\n"
	    "^system / Code\n  spaced name  \n";
	static const char pat[] = "# c\npattern a\n\tclass ^X$\n\ttext one\n"
	    "\ttext two\npattern b\n\tretainer _events\n\ttext three\n";
	struct hs_rules *r = hs_rules_new();

	(void)state;
	assert_non_null(r);
	assert_int_equal(hs_rules_parse_suppress(r, "s", sup, strlen(sup)), 0);
	assert_int_equal(r->count, 3);
	assert_true(r->rules[0].has_threshold);
	assert_int_equal(r->rules[0].threshold, 64 * HS_MIB);
	assert_string_equal(r->rules[0].class_src, "^\\(compiled code\\)$");
	assert_string_equal(r->rules[2].class_src, "spaced name");
	assert_int_equal(hs_rules_suppressed(r, "(compiled code)", 1000), 1);
	assert_int_equal(hs_rules_suppressed(r, "(compiled code)",
	    65 * HS_MIB), 0);
	assert_int_equal(hs_rules_suppressed(r, "system / Code", INT64_MAX),
	    1);
	assert_int_equal(hs_rules_suppressed(r, "Object", 0), 0);
	hs_rules_free(r);

	r = hs_rules_new();
	assert_int_equal(hs_rules_parse_patterns(r, "p", pat, strlen(pat)), 0);
	assert_int_equal(r->count, 2);
	assert_string_equal(r->rules[0].id, "a");
	assert_string_equal(r->rules[0].text, "one two");
	assert_non_null(r->rules[1].retainer);
	assert_null(r->rules[1].cls);
	hs_rules_free(r);

	r = hs_rules_new();
	assert_int_equal(hs_rules_parse_patterns(r, "p", "pattern a\n", 10),
	    -1);
	assert_string_equal(hs_rules_error(r), "p: line 1: pattern a needs a "
	    "class or retainer line and a text line");
	hs_rules_free(r);
	r = hs_rules_new();
	assert_int_equal(hs_rules_parse_patterns(r, "p", "class x\n", 8), -1);
	assert_string_equal(hs_rules_error(r), "p: line 1: expected "
	    "\"pattern NAME\"");
	hs_rules_free(r);
	r = hs_rules_new();
	assert_int_equal(hs_rules_parse_suppress(r, "s", "ok\n(\n", 5), -1);
	assert_non_null(strstr(hs_rules_error(r), "s: line 2: "));
	hs_rules_free(r);
	/* The shipped files parse. */
	r = hs_rules_new();
	assert_int_equal(hs_rules_load_patterns(r,
	    "share/hs/rules/patterns.conf"), 0);
	assert_true(r->count >= 6);
	assert_int_equal(hs_rules_load_suppress(r,
	    "share/hs/rules/suppress-node.conf"), 0);
	hs_rules_free(r);
}

/* Every allocation failure while diffing ends in a clean error. */
static void
test_out_of_memory(void **state)
{
	struct hs_diff_options o;
	struct hs_summary *s[2];
	struct hs_diff *d;
	unsigned long n;
	int ok = 0;

	(void)state;
	hs_diff_defaults(&o);
	o.threshold = 1000;
	s[0] = one_class("s", 1000, 1, 10);
	s[1] = one_class("s", 90000, 2, 50000);
	for (n = 1; n < 200 && !ok; n++) {
		hs_alloc_fail_at(n);
		if ((d = hs_diff_new()) == NULL) {
			hs_alloc_fail_at(0);
			continue;
		}
		if (hs_diff_compute(d, s, 2, &o) == 0)
			ok = 1;
		else
			assert_string_equal(hs_diff_error(d), "out of memory");
		hs_alloc_fail_at(0);
		hs_diff_free(d);
	}
	assert_true(ok);
	hs_summary_free(s[0]);
	hs_summary_free(s[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_match_by_name),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_array_leak),
		cmocka_unit_test(test_listener_leak),
		cmocka_unit_test(test_map_cache),
		cmocka_unit_test(test_no_leak),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
