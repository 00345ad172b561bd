/*
 * test_report: lib/report.c, on a summary of a real Node 22 snapshot
 * (made here with lib/summarize) and on small hand-written summaries for
 * the names no snapshot has.
 */
#include "testutil.h"

#include <inttypes.h>

#include "buf.h"
#include "jv.h"
#include "regex.h"
#include "report.h"
#include "summarize.h"
#include "summary.h"

static struct hs_summary *mixed;	/* mixed-node22, read back */

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

static int
setup(void **state)
{
	struct hs_summarize_options o;
	struct test_sink sink = { 0 };
	char path[256], err[256];

	(void)state;
	hs_summarize_defaults(&o);
	o.meta.source_name = "mixed-node22.heapsnapshot.zst";
	if (hs_summarize(test_data_path(
	    "snapshots/mixed-node22.heapsnapshot.zst"), &o, test_sink_write,
	    &sink, err, sizeof(err)) == -1)
		fail_msg("hs_summarize: %s", err);
	test_write_temp(path, sizeof(path), sink.data, sink.len);
	free(sink.data);
	mixed = hs_summary_read(path, err, sizeof(err));
	unlink(path);
	if (mixed == NULL)
		fail_msg("hs_summary_read: %s", err);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hs_summary_free(mixed);
	return 0;
}

/* Renders s with o; the result is NUL-terminated and freed by the caller. */
static char *
render(const struct hs_summary *s, const struct hs_report_options *o)
{
	struct hs_buf b = { 0 };
	char err[256];

	if (hs_report_buf(s, o, &b, err, sizeof(err)) == -1)
		fail_msg("hs_report_buf: %s", err);
	assert_int_equal(hs_buf_cstr(&b), 0);
	return b.data;
}

static char *
render_as(const struct hs_summary *s, enum hs_report_format f,
    enum hs_report_sort sort, size_t top)
{
	struct hs_report_options o;

	hs_report_defaults(&o);
	o.format = f;
	o.sort = sort;
	o.top = top;
	return render(s, &o);
}

/*
 * Splits text in place at each sep (an empty piece after a final sep
 * counts); returns how many pieces, at most max.
 */
static size_t
split(char *text, char sep, char **out, size_t max)
{
	size_t n = 0;
	char *p = text, *q;

	while (n < max) {
		out[n++] = p;
		if ((q = strchr(p, sep)) == NULL)
			break;
		*q = '\0';
		p = q + 1;
	}
	return n;
}

/* Takes off the newline that must end the output. */
static void
chop(char *out)
{
	size_t len = strlen(out);

	assert_true(len > 0 && out[len - 1] == '\n');
	out[len - 1] = '\0';
}

/* The TSV row's fields, for a line without a trailing newline. */
#define NFIELDS	12
static void
fields(char *line, char **f)
{
	assert_int_equal(split(line, '\t', f, NFIELDS + 1), NFIELDS);
}

static void
test_size(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(hs_report_size(0, b, sizeof(b)), "0 B");
	assert_string_equal(hs_report_size(999, b, sizeof(b)), "999 B");
	assert_string_equal(hs_report_size(1000, b, sizeof(b)), "1.0 kB");
	assert_string_equal(hs_report_size(7752, b, sizeof(b)), "7.8 kB");
	assert_string_equal(hs_report_size(999949, b, sizeof(b)),
	    "999.9 kB");
	assert_string_equal(hs_report_size(999950, b, sizeof(b)), "1.0 MB");
	assert_string_equal(hs_report_size(6239997, b, sizeof(b)), "6.2 MB");
	assert_string_equal(hs_report_size(UINT64_MAX, b, sizeof(b)),
	    "18.4 EB");
}

static void
test_tsv(void **state)
{
	char *out, **lines, *f[NFIELDS];
	size_t n, i, leaky = 0;
	uint64_t prev = UINT64_MAX;

	(void)state;
	out = render_as(mixed, HS_REPORT_TSV, HS_SORT_RETAINED,
	    HS_REPORT_TOP_AUTO);
	assert_non_null(lines = calloc(mixed->class_count + 8,
	    sizeof(*lines)));
	chop(out);
	n = split(out, '\n', lines, mixed->class_count + 8);
	assert_true(mixed->class_count > 100);
	assert_int_equal(n, 1 + mixed->class_count);
	assert_string_equal(lines[0], "class\tkey\tcount\tself\traw_self\t"
	    "retained\tmax_retained\tdistance\tdetached\tscript_id\tline\t"
	    "column");
	for (i = 1; i < n; i++) {
		const struct hs_summary_class *c;
		uint64_t retained;
		char num[32];

		fields(lines[i], f);
		c = hs_summary_find(mixed, f[1]);
		assert_non_null(c);
		assert_string_equal(f[0], c->name);
		snprintf(num, sizeof(num), "%" PRIu64, c->count);
		assert_string_equal(f[2], num);
		snprintf(num, sizeof(num), "%" PRIu64, c->self);
		assert_string_equal(f[3], num);
		snprintf(num, sizeof(num), "%" PRIu64, c->raw_self);
		assert_string_equal(f[4], num);
		snprintf(num, sizeof(num), "%" PRIu64, c->retained);
		assert_string_equal(f[5], num);
		snprintf(num, sizeof(num), "%" PRIu64, c->max_retained);
		assert_string_equal(f[6], num);
		snprintf(num, sizeof(num), "%" PRId64, c->distance);
		assert_string_equal(f[7], num);
		/* The snapshot has detachedness, so the field is there. */
		snprintf(num, sizeof(num), "%" PRIu64, c->detached);
		assert_string_equal(f[8], num);
		if (c->has_location) {
			snprintf(num, sizeof(num), "%" PRIu32, c->script_id);
			assert_string_equal(f[9], num);
			snprintf(num, sizeof(num), "%" PRIu32, c->line);
			assert_string_equal(f[10], num);
			snprintf(num, sizeof(num), "%" PRIu32, c->column);
			assert_string_equal(f[11], num);
		} else {
			assert_string_equal(f[9], "");
			assert_string_equal(f[10], "");
			assert_string_equal(f[11], "");
		}
		retained = strtoull(f[5], NULL, 10);
		assert_true(retained <= prev);
		prev = retained;
		/* The scenario's planted leak: 777 objects, one class. */
		if (strcmp(f[0], "LeakyThing") == 0) {
			leaky++;
			assert_string_equal(f[2], "777");
			assert_string_equal(f[9], "78");
		}
	}
	assert_int_equal(leaky, 1);
	/* The global object retains the most (fields() split the line). */
	assert_string_equal(lines[1], "global");
	assert_string_equal(lines[1] + 7, ",global");
	free(lines);
	free(out);
}

static void
test_sort_top(void **state)
{
	char *out, *lines[64], *f[NFIELDS];
	size_t n, i;
	uint64_t prev = 0;

	(void)state;
	out = render_as(mixed, HS_REPORT_TSV, HS_SORT_COUNT, 5);
	chop(out);
	n = split(out, '\n', lines, 64);
	/* The header and five rows. */
	assert_int_equal(n, 6);
	for (i = 1; i < n; i++) {
		uint64_t cur;

		fields(lines[i], f);
		cur = strtoull(f[2], NULL, 10);
		if (i == 1)
			assert_string_equal(f[0], "(compiled code)");
		else
			assert_true(cur <= prev);
		prev = cur;
	}
	free(out);

	out = render_as(mixed, HS_REPORT_TSV, HS_SORT_NAME, 3);
	chop(out);
	n = split(out, '\n', lines, 64);
	assert_int_equal(n, 4);
	fields(lines[1], f);
	assert_string_equal(f[0], "(array)");
	fields(lines[2], f);
	assert_string_equal(f[0], "(bigint)");
	free(out);

	/* Nearest first; unreachable (-5) after everything reachable. */
	out = render_as(mixed, HS_REPORT_TSV, HS_SORT_DISTANCE, 0);
	n = split(out, '\n', lines, 64);
	assert_true(n == 64);
	fields(lines[1], f);
	assert_string_equal(f[7], "1");
	free(out);
	out = render_as(mixed, HS_REPORT_TSV, HS_SORT_DISTANCE, 0);
	{
		char *last = out + strlen(out) - 1, *start;

		*last = '\0';
		start = strrchr(out, '\n') + 1;
		fields(start, f);
		assert_string_equal(f[7], "-5");
	}
	free(out);

	/* Text shows 25 rows unless told. */
	out = render_as(mixed, HS_REPORT_TEXT, HS_SORT_RETAINED,
	    HS_REPORT_TOP_AUTO);
	assert_non_null(strstr(out, "the top 25 by retained size"));
	free(out);
}

static void
test_filters(void **state)
{
	struct hs_report_options o;
	char err[256], *out, **lines, *f[NFIELDS];
	size_t n, i, paren = 0;

	(void)state;
	hs_report_defaults(&o);
	o.format = HS_REPORT_TSV;
	o.include = hs_regex_new("^Leaky", 0, err, sizeof(err));
	assert_non_null(o.include);
	out = render(mixed, &o);
	chop(out);
	assert_non_null(lines = calloc(mixed->class_count + 8,
	    sizeof(*lines)));
	n = split(out, '\n', lines, mixed->class_count + 8);
	assert_int_equal(n, 2);
	fields(lines[1], f);
	assert_string_equal(f[0], "LeakyThing");
	assert_string_equal(f[2], "777");
	free(out);
	hs_regex_free(o.include);
	o.include = NULL;

	for (i = 0; i < mixed->class_count; i++)
		if (mixed->classes[i].name[0] == '(')
			paren++;
	assert_true(paren > 5);
	o.exclude = hs_regex_new("^\\(", 0, err, sizeof(err));
	assert_non_null(o.exclude);
	out = render(mixed, &o);
	chop(out);
	n = split(out, '\n', lines, mixed->class_count + 8);
	assert_int_equal(n, 1 + mixed->class_count - paren);
	for (i = 1; i < n; i++)
		assert_true(lines[i][0] != '(');
	free(out);

	/* Both: Error classes that are not TypeError. */
	o.include = hs_regex_new("Error$", 0, err, sizeof(err));
	hs_regex_free(o.exclude);
	o.exclude = hs_regex_new("^Type", 0, err, sizeof(err));
	out = render(mixed, &o);
	assert_non_null(strstr(out, "\nRangeError\t"));
	assert_null(strstr(out, "TypeError"));
	free(out);
	hs_regex_free(o.include);
	hs_regex_free(o.exclude);
	free(lines);
}

static const char hand[] =
"{\"type\":\"header\",\"format\":\"hs-summary\",\"version\":1,"
"\"source\":{\"name\":\"hand.heapsnapshot\"},\"label\":\"before\","
"\"runtime\":\"node\",\"node_count\":7,\"total_size\":1000,"
"\"sections\":[\"detachedness\"]}\n"
"{\"type\":\"statistics\",\"total\":1000,\"code\":100,\"strings\":200,"
"\"js_arrays\":0,\"typed_arrays\":0,\"system\":300,\"other\":400}\n"
"{\"type\":\"class\",\"key\":\",a,b \\\"c\\\"\",\"name\":\"a,b \\\"c\\\"\","
"\"count\":2,\"self\":10,\"raw_self\":9,\"retained\":500,"
"\"max_retained\":300,\"distance\":3,\"detached\":1,\"max_id\":5}\n"
"{\"type\":\"class\",\"key\":\"7,1,2,T\",\"name\":\"Tab\\tName\\\\x\\n\","
"\"location\":{\"script_id\":7,\"line\":1,\"column\":2},\"count\":1,"
"\"self\":20,\"raw_self\":20,\"retained\":400,\"max_retained\":400,"
"\"distance\":-5,\"detached\":0,\"max_id\":9}\n"
"{\"type\":\"class\",\"key\":\",Sys\",\"name\":\"Sys\",\"count\":3,"
"\"self\":30,\"raw_self\":30,\"retained\":400,\"max_retained\":100,"
"\"distance\":100000003,\"detached\":0,\"max_id\":11}\n"
"{\"type\":\"class\",\"key\":\",Esc\",\"name\":\"E\\u001b[31mvil\","
"\"count\":1,\"self\":1,\"raw_self\":1,\"retained\":1,"
"\"max_retained\":1,\"distance\":2,\"detached\":0,\"max_id\":12}\n"
"{\"type\":\"retainers\",\"key\":\",a,b \\\"c\\\"\",\"by\":[{\"class\":"
"\"Array\",\"edge\":\"[]\",\"count\":1234,\"retained\":5600000}]}\n"
"{\"type\":\"path\",\"key\":\",a,b \\\"c\\\"\",\"object_id\":42,"
"\"retained\":300,\"steps\":[{\"edge\":\".?\",\"class\":\"global\"},"
"{\"edge\":\".cache\",\"class\":\"Map\"},{\"edge\":\"[]\",\"class\":"
"\"a,b \\\"c\\\"\"}]}\n";

static void
test_csv_tsv_escaping(void **state)
{
	struct hs_summary *s = read_text(hand);
	char *out;

	(void)state;
	out = render_as(s, HS_REPORT_CSV, HS_SORT_RETAINED, 0);
	assert_string_equal(out,
	    "class,key,count,self,raw_self,retained,max_retained,distance,"
	    "detached,script_id,line,column\r\n"
	    "\"a,b \"\"c\"\"\",\",a,b \"\"c\"\"\",2,10,9,500,300,3,1,,,\r\n"
	    /* A tie on retained: by key, and ',' comes before '7'. */
	    "Sys,\",Sys\",3,30,30,400,100,100000003,0,,,\r\n"
	    "\"Tab\tName\\x\n\",\"7,1,2,T\",1,20,20,400,400,-5,0,7,1,2\r\n"
	    "E\033[31mvil,\",Esc\",1,1,1,1,1,2,0,,,\r\n");
	free(out);

	out = render_as(s, HS_REPORT_TSV, HS_SORT_RETAINED, 0);
	assert_string_equal(out,
	    "class\tkey\tcount\tself\traw_self\tretained\tmax_retained\t"
	    "distance\tdetached\tscript_id\tline\tcolumn\n"
	    "a,b \"c\"\t,a,b \"c\"\t2\t10\t9\t500\t300\t3\t1\t\t\t\n"
	    "Sys\t,Sys\t3\t30\t30\t400\t100\t100000003\t0\t\t\t\n"
	    "Tab\\tName\\\\x\\n\t7,1,2,T\t1\t20\t20\t400\t400\t-5\t0\t7\t1\t2\n"
	    "E\033[31mvil\t,Esc\t1\t1\t1\t1\t1\t2\t0\t\t\t\n");
	free(out);
	hs_summary_free(s);
}

/* Columns a line takes (code points), for the alignment test. */
static size_t
cols(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void
test_text(void **state)
{
	char *out, *table, *p, *end;
	size_t width = 0, rows = 0, hdr_ret;

	(void)state;
	out = render_as(mixed, HS_REPORT_TEXT, HS_SORT_RETAINED, 10);
	assert_non_null(strstr(out, "Snapshot      "
	    "mixed-node22.heapsnapshot.zst\n"));
	assert_non_null(strstr(out, "Total size    6.2 MB (6239997 bytes)\n"));
	assert_non_null(strstr(out, "\nStatistics\n  Code "));
	assert_null(strchr(out, '\033'));
	table = strstr(out, "\nConstructor ");
	assert_non_null(table);
	table++;
	/* Every row of the table as wide as its header, the top one first. */
	end = strstr(table, "\n\n");
	assert_non_null(end);
	hdr_ret = (size_t)(strstr(table, "Retained %") - table);
	for (p = table; p < end; p = strchr(p, '\n') + 1) {
		size_t len = (size_t)(strchr(p, '\n') - p);

		if (width == 0)
			width = cols(p, len);
		else
			assert_int_equal(cols(p, len), width);
		if (rows == 1)
			assert_true(strncmp(p, "global ", 7) == 0);
		rows++;
	}
	assert_int_equal(rows, 11);
	assert_int_equal(width, hdr_ret + strlen("Retained %"));
	/* The unreachable compiled code, and a class with its location. */
	assert_non_null(strstr(table, "(compiled code)  "));
	assert_non_null(strstr(table, "\xe2\x80\x93  20155"));
	assert_non_null(strstr(table, "\nBuiltinModule @6:238:13 "));
	assert_non_null(strstr(out, "\nRetainers\n"));
	assert_non_null(strstr(out, "  held by global.hsScenario \xc3\x97" "1"));
	free(out);
}

static void
test_text_hand(void **state)
{
	struct hs_summary *s = read_text(hand);
	struct hs_report_options o;
	char *out;

	(void)state;
	hs_report_defaults(&o);
	o.color = 1;
	out = render(s, &o);
	assert_non_null(strstr(out, "Label         before\n"));
	/* Escapes from the input never reach the terminal; ours do. */
	assert_non_null(strstr(out, "E\\x1b[31mvil"));
	assert_null(strstr(out, "E\033"));
	assert_non_null(strstr(out, "\033[1mConstructor"));
	assert_non_null(strstr(out, "Tab\\tName\\x\\n @7:1:2"));
	assert_non_null(strstr(out, "  sys+3 "));
	assert_non_null(strstr(out, "  50.0%"));
	assert_non_null(strstr(out, "  \033[2mheld by\033[0m Array[] \xc3\x97"
	    "1234 (5.6 MB)\n"));
	assert_non_null(strstr(out, "(300 B): global.cache \xe2\x86\x92 "
	    "Map[] \xe2\x86\x92 a,b \"c\"\n"));
	free(out);

	/* A name that just fits the narrowest column is left whole. */
	hs_report_defaults(&o);
	o.width = 40;
	o.top = 0;
	out = render(s, &o);
	assert_non_null(strstr(out, "\nTab\\tName\\x\\n @7:1:2  "));
	free(out);
	hs_summary_free(s);

	/* A narrow terminal cuts longer names, keeping the location. */
	hs_report_defaults(&o);
	o.width = 80;
	o.top = 30;
	out = render(mixed, &o);
	assert_non_null(strstr(out, "\n{resolve, normalize\xe2\x80\xa6  "));
	assert_non_null(strstr(out, "\nEventEmi\xe2\x80\xa6 @22:219:21  "));
	free(out);
}

static void
test_json(void **state)
{
	struct hs_jv *doc;
	const struct hs_jv *classes;
	char *out, err[256];

	(void)state;
	out = render_as(mixed, HS_REPORT_JSON, HS_SORT_RETAINED, 3);
	doc = hs_jv_parse(out, strlen(out), 0, 1u << 24, err, sizeof(err));
	if (doc == NULL)
		fail_msg("json output: %s", err);
	assert_string_equal(hs_jv_get_str(hs_jv_get(doc, "header"), "format"),
	    "hs-summary");
	assert_int_equal((int64_t)hs_jv_get_num(hs_jv_get(doc, "statistics"),
	    "total", 0), (int64_t)hs_jv_get_num(mixed->statistics, "total",
	    -1));
	classes = hs_jv_get(doc, "classes");
	assert_non_null(classes);
	assert_int_equal(classes->kind, HS_JV_ARRAY);
	assert_int_equal(classes->len, 3);
	assert_string_equal(hs_jv_get_str(&classes->items[0], "name"),
	    "global");
	assert_int_equal((uint64_t)hs_jv_get_num(&classes->items[0],
	    "retained", 0), hs_summary_find(mixed, ",global")->retained);
	hs_jv_free(doc);
	free(out);
}

static void
test_refusals(void **state)
{
	struct hs_summary *s;
	struct hs_report_options o;
	struct hs_buf b = { 0 };
	char err[256], path[256];
	const char snap[] = "{\"snapshot\":{\"meta\":{}}}";

	(void)state;
	s = read_text("{\"type\":\"header\",\"format\":\"hs-diff\","
	    "\"version\":1}\n");
	hs_report_defaults(&o);
	assert_int_equal(hs_report_buf(s, &o, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "a diff: read it with hs_diff_read() and "
	    "render it with hs_report_diff()");
	assert_int_equal(b.len, 0);
	hs_summary_free(s);

	o.format = HS_REPORT_HTML;
	assert_int_equal(hs_report_buf(mixed, &o, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "format html is for diffs");
	assert_int_equal(b.len, 0);
	hs_buf_free(&b);

	test_write_temp(path, sizeof(path), snap, sizeof(snap) - 1);
	assert_null(hs_summary_read(path, err, sizeof(err)));
	unlink(path);
	assert_non_null(strstr(err, "run hs-summarize"));
}

static void
test_names(void **state)
{
	enum hs_report_format f;
	enum hs_report_sort s;

	(void)state;
	assert_int_equal(hs_report_format_parse("csv", &f), 0);
	assert_int_equal(f, HS_REPORT_CSV);
	assert_int_equal(hs_report_format_parse("xml", &f), -1);
	assert_string_equal(hs_report_format_name(HS_REPORT_WEBHOOK),
	    "webhook");
	assert_int_equal(hs_report_sort_parse("distance", &s), 0);
	assert_int_equal(s, HS_SORT_DISTANCE);
	assert_int_equal(hs_report_sort_parse("size", &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_sort_top),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_csv_tsv_escaping),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_hand),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
