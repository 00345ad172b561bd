/*
 * report: hs-report's renderers for summaries, the options and the
 * output they share with those for diffs (report_diff.c); see report.h.
 *
 * Every renderer writes into one growing buffer that is handed to the sink
 * whenever it passes FLUSH_AT bytes, so memory stays small however many
 * classes a summary has.  Text cells are measured in UTF-8 code points,
 * which is right for the names V8 makes (no wide or combining characters
 * in practice); control characters in names are escaped, so a hostile
 * name can neither break the columns nor drive the terminal.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diff.h"
#include "json.h"
#include "jv.h"
#include "regex.h"
#include "report.h"
#include "report_impl.h"
#include "summary.h"

#define FLUSH_AT	(64u << 10)
/* V8's distance for objects unreachable from the roots. */
#define DIST_UNREACHABLE	(-5)
/* Distances from this on are counted from the system roots (DevTools). */
#define DIST_SYSTEM	100000000
#define NAME_COLS_MIN	20
/* Text details: retainers per class, path hops before eliding. */
#define DETAIL_RETAINERS	3
#define DETAIL_HOPS	6
#define DETAIL_NAME_COLS	40

static const char *const format_names[] = {
	[HS_REPORT_TEXT] = "text",
	[HS_REPORT_JSON] = "json",
	[HS_REPORT_MARKDOWN] = "markdown",
	[HS_REPORT_HTML] = "html",
	[HS_REPORT_CSV] = "csv",
	[HS_REPORT_TSV] = "tsv",
	[HS_REPORT_WEBHOOK] = "webhook",
};

static const char *const sort_names[] = {
	[HS_SORT_RETAINED] = "retained",
	[HS_SORT_SELF] = "self",
	[HS_SORT_COUNT] = "count",
	[HS_SORT_DISTANCE] = "distance",
	[HS_SORT_NAME] = "name",
	[HS_SORT_DELTA] = "delta",
	[HS_SORT_NEW] = "new",
};

static const char *const sort_phrases[] = {
	[HS_SORT_RETAINED] = "by retained size",
	[HS_SORT_SELF] = "by shallow size",
	[HS_SORT_COUNT] = "by count",
	[HS_SORT_DISTANCE] = "by distance",
	[HS_SORT_NAME] = "by name",
};

void
hs_report_defaults(struct hs_report_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = HS_REPORT_TEXT;
	o->sort = HS_SORT_AUTO;
	o->top = HS_REPORT_TOP_AUTO;
	o->detail = 10;
}

int
hs_report_format_parse(const char *s, enum hs_report_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum hs_report_format)i;
			return 0;
		}
	return -1;
}

const char *
hs_report_format_name(enum hs_report_format f)
{
	if ((size_t)f >= sizeof(format_names) / sizeof(format_names[0]))
		return "?";
	return format_names[f];
}

int
hs_report_sort_parse(const char *s, enum hs_report_sort *out)
{
	size_t i;

	for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
		if (strcmp(s, sort_names[i]) == 0) {
			*out = (enum hs_report_sort)i;
			return 0;
		}
	return -1;
}

char *
hs_report_size(uint64_t v, char *buf, size_t buflen)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB",
	    "EB" };
	uint64_t unit = 1000, tenths;
	size_t u = 0;

	if (v < 1000) {
		snprintf(buf, buflen, "%" PRIu64 " B", v);
		return buf;
	}
	for (;;) {
		/* Rounded half up, without overflow near UINT64_MAX. */
		tenths = v / (unit / 10) + (v % (unit / 10) >= unit / 20);
		if (tenths < 10000 || u == 5)
			break;
		unit *= 1000;
		u++;
	}
	snprintf(buf, buflen, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10,
	    tenths % 10, units[u]);
	return buf;
}

/* ---- output ---- */

void
e_flush(struct emit *e)
{
	if (e->b.len > 0 && !e->nomem && !e->wfail &&
	    e->fn(e->sink, e->b.data, e->b.len) == -1)
		e->wfail = 1;
	hs_buf_reset(&e->b);
}

void
e_add(struct emit *e, const char *p, size_t n)
{
	if (hs_buf_add(&e->b, p, n) == -1)
		e->nomem = 1;
}

void
e_puts(struct emit *e, const char *s)
{
	e_add(e, s, strlen(s));
}

void
e_printf(struct emit *e, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		e->nomem = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		e_add(e, small, (size_t)n);
		return;
	}
	if ((big = hs_malloc((size_t)n + 1)) == NULL) {
		e->nomem = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	e_add(e, big, (size_t)n);
	hs_free(big);
}

void
e_pad(struct emit *e, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		e_add(e, spaces, k);
		n -= k;
	}
}

void
e_sgr(struct emit *e, const char *code)
{
	if (e->color)
		e_puts(e, code);
}

void
e_maybe_flush(struct emit *e)
{
	if (e->b.len >= FLUSH_AT)
		e_flush(e);
}

/* ---- strings ---- */

/* Columns a UTF-8 string takes: one per code point. */
size_t
u8width(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Bytes of the longest prefix of s that takes at most cols columns. */
static size_t
u8prefix(const char *s, size_t len, size_t cols)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (w == cols)
				return i;
			w++;
		}
	}
	return len;
}

/*
 * Appends s for a terminal: C0 and C1 controls and DEL become \t, \n, \r
 * or \xNN, so that names cannot move the cursor or break a row.
 */
int
text_escape(struct hs_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	for (; *p; p++) {
		if (*p == '\t')
			memcpy(esc, "\\t", 3);
		else if (*p == '\n')
			memcpy(esc, "\\n", 3);
		else if (*p == '\r')
			memcpy(esc, "\\r", 3);
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* U+0080..U+009F: some terminals obey these. */
			snprintf(esc, sizeof(esc), "\\x%02x", p[1]);
			p++;
		} else {
			if (hs_buf_addc(b, (char)*p) == -1)
				return -1;
			continue;
		}
		if (hs_buf_adds(b, esc) == -1)
			return -1;
	}
	return 0;
}

/*
 * Appends the escaped text to b, cut to at most cols columns with an
 * ellipsis where it was cut.
 */
int
add_fitted(struct hs_buf *b, const char *s, size_t cols)
{
	struct hs_buf t = { 0 };
	size_t w;
	int r;

	if (text_escape(&t, s) == -1) {
		hs_buf_free(&t);
		return -1;
	}
	w = u8width(t.data, t.len);
	if (w <= cols)
		r = hs_buf_add(b, t.data, t.len);
	else if (cols == 0)
		r = 0;
	else if ((r = hs_buf_add(b, t.data, u8prefix(t.data, t.len,
	    cols - 1))) == 0)
		r = hs_buf_adds(b, "\xe2\x80\xa6");	/* U+2026 */
	hs_buf_free(&t);
	return r;
}

/* A class as the table names it: "name @script:line:col", fitted. */
static int
class_label(struct hs_buf *b, const struct hs_summary_class *c, size_t cols)
{
	char loc[48] = "";
	size_t lw;

	if (c->has_location)
		snprintf(loc, sizeof(loc), " @%" PRIu32 ":%" PRIu32 ":%" PRIu32,
		    c->script_id, c->line, c->column);
	lw = strlen(loc);
	/* Keep the location, which says which of two same-named classes. */
	if (lw > 0 && cols >= lw + 4) {
		if (add_fitted(b, c->name, cols - lw) == -1)
			return -1;
		return hs_buf_adds(b, loc);
	}
	if (lw > 0) {
		struct hs_buf t = { 0 };
		int r;

		if (hs_buf_adds(&t, c->name) == -1 ||
		    hs_buf_adds(&t, loc) == -1 || hs_buf_cstr(&t) == -1) {
			hs_buf_free(&t);
			return -1;
		}
		r = add_fitted(b, t.data, cols);
		hs_buf_free(&t);
		return r;
	}
	return add_fitted(b, c->name, cols);
}

static void
distance_str(int64_t d, char *buf, size_t buflen)
{
	if (d < 0)
		snprintf(buf, buflen, "\xe2\x80\x93");	/* U+2013 */
	else if (d >= DIST_SYSTEM)
		snprintf(buf, buflen, "sys+%" PRId64, d - DIST_SYSTEM);
	else
		snprintf(buf, buflen, "%" PRId64, d);
}

static void
percent_str(uint64_t v, uint64_t total, char *buf, size_t buflen)
{
	if (total == 0)
		snprintf(buf, buflen, "\xe2\x80\x93");
	else
		snprintf(buf, buflen, "%.1f%%", 100.0 * (double)v /
		    (double)total);
}

/* ---- the rows to show ---- */

struct row {
	const struct hs_summary_class	*c;
	size_t				 index;	/* in file order */
};

static int
tie(const struct row *p, const struct row *q)
{
	int r = strcmp(p->c->key, q->c->key);

	if (r != 0)
		return r;
	return p->index < q->index ? -1 : p->index > q->index;
}

#define DESC(field) do { \
	if (p->c->field != q->c->field) \
		return p->c->field > q->c->field ? -1 : 1; \
} while (0)

static int
cmp_retained(const void *x, const void *y)
{
	const struct row *p = x, *q = y;

	DESC(retained);
	return tie(p, q);
}

static int
cmp_self(const void *x, const void *y)
{
	const struct row *p = x, *q = y;

	DESC(self);
	return tie(p, q);
}

static int
cmp_count(const void *x, const void *y)
{
	const struct row *p = x, *q = y;

	DESC(count);
	return tie(p, q);
}

#undef DESC

/* Unreachable objects have no distance: they go last. */
static int64_t
distance_rank(int64_t d)
{
	return d < 0 ? INT64_MAX : d;
}

static int
cmp_distance(const void *x, const void *y)
{
	const struct row *p = x, *q = y;
	int64_t a = distance_rank(p->c->distance),
	    b = distance_rank(q->c->distance);

	if (a != b)
		return a < b ? -1 : 1;
	return tie(p, q);
}

static int
cmp_name(const void *x, const void *y)
{
	const struct row *p = x, *q = y;
	int r = strcmp(p->c->name, q->c->name);

	return r != 0 ? r : tie(p, q);
}

static int (*const comparators[])(const void *, const void *) = {
	[HS_SORT_RETAINED] = cmp_retained,
	[HS_SORT_SELF] = cmp_self,
	[HS_SORT_COUNT] = cmp_count,
	[HS_SORT_DISTANCE] = cmp_distance,
	[HS_SORT_NAME] = cmp_name,
};

struct selection {
	struct row	*rows;
	size_t		 count;		/* rows shown */
	size_t		 matched;	/* rows that passed the filters */
};

static int
filter(struct hs_regex *re, const char *name, const char *opt, char *err,
    size_t errlen)
{
	int r = hs_regex_match(re, name, strlen(name));

	if (r == -1)
		snprintf(err, errlen, "%s: the pattern hit a match limit or "
		    "ran out of memory", opt);
	return r;
}

int
report_keep(const struct hs_report_options *o, const char *name, char *err,
    size_t errlen)
{
	int r;

	if (o->include != NULL && (r = filter(o->include, name, "--include",
	    err, errlen)) != 1)
		return r;
	if (o->exclude != NULL && (r = filter(o->exclude, name, "--exclude",
	    err, errlen)) != 0)
		return r == 1 ? 0 : -1;
	return 1;
}

/* Filters, sorts and cuts the classes.  Returns 0, or -1 with err set. */
static int
select_rows(const struct hs_summary *sum, const struct hs_report_options *o,
    size_t top, struct selection *sel, char *err, size_t errlen)
{
	size_t i, n = 0;
	int r;

	memset(sel, 0, sizeof(*sel));
	if ((sel->rows = hs_alloc_array(sum->class_count + 1,
	    sizeof(*sel->rows))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < sum->class_count; i++) {
		const struct hs_summary_class *c = &sum->classes[i];

		if ((r = report_keep(o, c->name, err, errlen)) == -1)
			goto fail;
		if (r == 0)
			continue;
		sel->rows[n].c = c;
		sel->rows[n].index = i;
		n++;
	}
	if ((size_t)o->sort >= sizeof(comparators) / sizeof(comparators[0])) {
		snprintf(err, errlen, "unknown sort key");
		goto fail;
	}
	qsort(sel->rows, n, sizeof(*sel->rows), comparators[o->sort]);
	sel->matched = n;
	sel->count = top == 0 || top > n ? n : top;
	return 0;
fail:
	hs_free(sel->rows);
	sel->rows = NULL;
	return -1;
}

/* ---- header facts ---- */

static uint64_t
header_u64(const struct hs_jv *obj, const char *key, int *present)
{
	int64_t v;

	if (obj == NULL || hs_jv_get_int(obj, key, 0, INT64_MAX, &v) == -1) {
		if (present)
			*present = 0;
		return 0;
	}
	if (present)
		*present = 1;
	return (uint64_t)v;
}

/* The size percentages are of: the snapshot's total, as DevTools'. */
static uint64_t
total_size(const struct hs_summary *sum)
{
	int present;
	uint64_t t = header_u64(sum->header, "total_size", &present);

	return present ? t : header_u64(sum->statistics, "total", NULL);
}

static const char *
source_name(const struct hs_summary *sum)
{
	const char *s = hs_jv_get_str(hs_jv_get(sum->header, "source"),
	    "name");

	if (s == NULL || strcmp(s, "-") == 0)
		return "(stdin)";
	return s;
}

/* Whether the snapshot had detachedness, so "detached" means something. */
static int
has_detachedness(const struct hs_summary *sum)
{
	const struct hs_jv *s = hs_jv_get(sum->header, "sections");
	size_t i;

	if (s == NULL || s->kind != HS_JV_ARRAY)
		return 0;
	for (i = 0; i < s->len; i++)
		if (s->items[i].kind == HS_JV_STRING &&
		    strcmp(s->items[i].str, "detachedness") == 0)
			return 1;
	return 0;
}

static const struct hs_jv *
find_record(const struct hs_summary *sum, const char *type, const char *key)
{
	size_t i;

	for (i = 0; i < sum->record_count; i++) {
		const struct hs_jv *r = sum->records[i];
		const char *t = hs_jv_get_str(r, "type"),
		    *k = hs_jv_get_str(r, "key");

		if (t != NULL && k != NULL && strcmp(t, type) == 0 &&
		    strcmp(k, key) == 0)
			return r;
	}
	return NULL;
}

static const struct {
	const char	*key;
	const char	*label;
} stat_rows[] = {
	{ "code", "Code" },
	{ "strings", "Strings" },
	{ "js_arrays", "JS arrays" },
	{ "typed_arrays", "Typed arrays" },
	{ "system", "System" },
	{ "other", "Other" },
};

/* ---- text ---- */

/* A label and an escaped value, in the header block. */
void
text_fact(struct emit *e, const char *label, const char *value)
{
	e_printf(e, "%-14s", label);
	if (text_escape(&e->b, value) == -1)
		e->nomem = 1;
	e_puts(e, "\n");
}

static void
text_header(struct emit *e, const struct hs_summary *sum)
{
	static const char *const meta[][2] = {
		{ "label", "Label" }, { "session", "Session" },
		{ "captured", "Captured" },
	};
	const char *s;
	char size[32], pct[32], line[128];
	uint64_t total = total_size(sum), v;
	size_t i;
	int present;

	text_fact(e, "Snapshot", source_name(sum));
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if ((s = hs_jv_get_str(sum->header, meta[i][0])) != NULL)
			text_fact(e, meta[i][1], s);
	if ((s = hs_jv_get_str(sum->header, "runtime")) != NULL) {
		const char *conv = hs_jv_get_str(sum->header, "conventions");

		e_printf(e, "%-14s", "Runtime");
		if (text_escape(&e->b, s) == -1)
			e->nomem = 1;
		if (conv != NULL && strcmp(conv, "raw") == 0)
			e_puts(e, " (raw sizes)");
		e_puts(e, "\n");
	}
	v = header_u64(sum->header, "node_count", &present);
	if (present) {
		snprintf(line, sizeof(line), "%" PRIu64, v);
		text_fact(e, "Nodes", line);
	}
	snprintf(line, sizeof(line), "%s (%" PRIu64 " bytes)",
	    hs_report_size(total, size, sizeof(size)), total);
	text_fact(e, "Total size", line);
	if (sum->statistics != NULL) {
		e_puts(e, "\n");
		e_sgr(e, BOLD);
		e_puts(e, "Statistics");
		e_sgr(e, RESET);
		e_puts(e, "\n");
		for (i = 0; i < sizeof(stat_rows) / sizeof(stat_rows[0]); i++) {
			v = header_u64(sum->statistics, stat_rows[i].key,
			    &present);
			if (!present)
				continue;
			hs_report_size(v, size, sizeof(size));
			percent_str(v, total, pct, sizeof(pct));
			e_printf(e, "  %-14s%10s %7s\n", stat_rows[i].label,
			    size, pct);
		}
	}
}

enum { COL_NAME, COL_DIST, COL_COUNT, COL_SELF, COL_SELFPCT, COL_RET,
	COL_RETPCT, NCOLS };

static const char *const col_titles[NCOLS] = {
	"Constructor", "Distance", "Count", "Shallow Size", "Shallow %",
	"Retained Size", "Retained %"
};

/* The cells of one row; the name is in a buffer of its own. */
struct cells {
	char	s[NCOLS][32];
};

static void
fill_cells(struct cells *x, const struct hs_summary_class *c, uint64_t total)
{
	x->s[COL_NAME][0] = '\0';
	distance_str(c->distance, x->s[COL_DIST], sizeof(x->s[COL_DIST]));
	snprintf(x->s[COL_COUNT], sizeof(x->s[COL_COUNT]), "%" PRIu64,
	    c->count);
	hs_report_size(c->self, x->s[COL_SELF], sizeof(x->s[COL_SELF]));
	percent_str(c->self, total, x->s[COL_SELFPCT],
	    sizeof(x->s[COL_SELFPCT]));
	hs_report_size(c->retained, x->s[COL_RET], sizeof(x->s[COL_RET]));
	percent_str(c->retained, total, x->s[COL_RETPCT],
	    sizeof(x->s[COL_RETPCT]));
}

static size_t
cstr_width(const char *s)
{
	return u8width(s, strlen(s));
}

/* The name column's width limit, from the terminal's when there is one. */
static size_t
name_limit(const struct hs_report_options *o, const size_t *w)
{
	size_t rest = 0, i;

	if (o->width == 0)
		return NAME_COLS_PIPE;
	for (i = COL_DIST; i < NCOLS; i++)
		rest += 2 + w[i];
	if (o->width <= rest + NAME_COLS_MIN)
		return NAME_COLS_MIN;
	if (o->width - rest > NAME_COLS_MAX)
		return NAME_COLS_MAX;
	return o->width - rest;
}

static void
text_table(struct emit *e, const struct hs_summary *sum,
    const struct hs_report_options *o, const struct selection *sel)
{
	struct hs_buf name = { 0 };
	struct cells x;
	size_t w[NCOLS], i, j, limit;
	uint64_t total = total_size(sum);

	for (j = 0; j < NCOLS; j++)
		w[j] = cstr_width(col_titles[j]);
	for (i = 0; i < sel->count; i++) {
		fill_cells(&x, sel->rows[i].c, total);
		for (j = COL_DIST; j < NCOLS; j++)
			if (cstr_width(x.s[j]) > w[j])
				w[j] = cstr_width(x.s[j]);
	}
	limit = name_limit(o, w);
	for (i = 0; i < sel->count; i++) {
		hs_buf_reset(&name);
		if (class_label(&name, sel->rows[i].c, limit) == -1)
			e->nomem = 1;
		else if (u8width(name.data, name.len) > w[COL_NAME])
			w[COL_NAME] = u8width(name.data, name.len);
	}

	e_sgr(e, BOLD);
	for (j = 0; j < NCOLS; j++) {
		size_t tw = cstr_width(col_titles[j]);

		if (j == COL_NAME) {
			e_puts(e, col_titles[j]);
			e_pad(e, w[j] - tw);
		} else {
			e_pad(e, 2 + w[j] - tw);
			e_puts(e, col_titles[j]);
		}
	}
	e_sgr(e, RESET);
	e_puts(e, "\n");
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_summary_class *c = sel->rows[i].c;

		fill_cells(&x, c, total);
		hs_buf_reset(&name);
		if (class_label(&name, c, limit) == -1) {
			e->nomem = 1;
			break;
		}
		e_add(e, name.data, name.len);
		e_pad(e, w[COL_NAME] - u8width(name.data, name.len));
		for (j = COL_DIST; j < NCOLS; j++) {
			e_pad(e, 2 + w[j] - cstr_width(x.s[j]));
			e_puts(e, x.s[j]);
		}
		e_puts(e, "\n");
		e_maybe_flush(e);
	}
	hs_buf_free(&name);
}

/* "Object.bigString": the holder's class, then the edge's label. */
static void
text_hop(struct emit *e, const char *cls, const char *edge)
{
	if (add_fitted(&e->b, cls ? cls : "?", DETAIL_NAME_COLS) == -1 ||
	    (edge != NULL && add_fitted(&e->b, edge, DETAIL_NAME_COLS) == -1))
		e->nomem = 1;
}

static void
text_retainers(struct emit *e, const struct hs_jv *rec)
{
	const struct hs_jv *by = hs_jv_get(rec, "by");
	char size[32];
	size_t i;

	if (by == NULL || by->kind != HS_JV_ARRAY)
		return;
	for (i = 0; i < by->len && i < DETAIL_RETAINERS; i++) {
		const struct hs_jv *r = &by->items[i];

		e_puts(e, "  ");
		e_sgr(e, DIM);
		e_puts(e, "held by");
		e_sgr(e, RESET);
		e_puts(e, " ");
		text_hop(e, hs_jv_get_str(r, "class"),
		    hs_jv_get_str(r, "edge"));
		e_printf(e, " \xc3\x97%" PRIu64 " (%s)\n",
		    header_u64(r, "count", NULL),
		    hs_report_size(header_u64(r, "retained", NULL), size,
		    sizeof(size)));
	}
}

/*
 * "global.hsScenario → Object.bigString → (string)": each hop is the
 * holder's class and the edge out of it; the first step's edge (from the
 * root) says nothing and is left out.  Long paths lose their middle.
 */
static void
text_path(struct emit *e, const struct hs_jv *rec)
{
	const struct hs_jv *steps = hs_jv_get(rec, "steps");
	char size[32];
	size_t i, n;
	int64_t id;

	if (steps == NULL || steps->kind != HS_JV_ARRAY || steps->len == 0)
		return;
	n = steps->len;
	e_puts(e, "  ");
	e_sgr(e, DIM);
	e_puts(e, "path");
	e_sgr(e, RESET);
	if (hs_jv_get_int(rec, "object_id", 0, INT64_MAX, &id) == 0)
		e_printf(e, " to @%" PRId64, id);
	e_printf(e, " (%s): ", hs_report_size(header_u64(rec, "retained",
	    NULL), size, sizeof(size)));
	for (i = 0; i < n; i++) {
		const char *cls = hs_jv_get_str(&steps->items[i], "class");
		const char *edge = i + 1 < n ?
		    hs_jv_get_str(&steps->items[i + 1], "edge") : NULL;

		if (n > DETAIL_HOPS + 1 && i == 2) {
			e_printf(e, "\xe2\x80\xa6 (%zu more) \xe2\x86\x92 ",
			    n - DETAIL_HOPS);
			i = n - DETAIL_HOPS + 1;
			continue;
		}
		text_hop(e, cls, edge);
		if (i + 1 < n)
			e_puts(e, " \xe2\x86\x92 ");
	}
	e_puts(e, "\n");
}

static void
text_details(struct emit *e, const struct hs_summary *sum,
    const struct hs_report_options *o, const struct selection *sel)
{
	struct hs_buf name = { 0 };
	char size[32];
	size_t i;
	int titled = 0;

	for (i = 0; i < sel->count && i < o->detail && !e->nomem; i++) {
		const struct hs_summary_class *c = sel->rows[i].c;
		const struct hs_jv *ret = find_record(sum, "retainers", c->key),
		    *path = find_record(sum, "path", c->key);

		if (ret == NULL && path == NULL)
			continue;
		if (!titled) {
			e_puts(e, "\n");
			e_sgr(e, BOLD);
			e_puts(e, "Retainers");
			e_sgr(e, RESET);
			e_puts(e, "\n");
			titled = 1;
		}
		hs_buf_reset(&name);
		if (class_label(&name, c, NAME_COLS_PIPE) == -1) {
			e->nomem = 1;
			break;
		}
		e_sgr(e, BOLD);
		e_add(e, name.data, name.len);
		e_sgr(e, RESET);
		e_printf(e, ": %s retained by %" PRIu64 " object%s\n",
		    hs_report_size(c->retained, size, sizeof(size)), c->count,
		    c->count == 1 ? "" : "s");
		if (ret != NULL)
			text_retainers(e, ret);
		if (path != NULL)
			text_path(e, path);
	}
	hs_buf_free(&name);
}

static void
selection_line(struct emit *e, const struct hs_summary *sum,
    const struct hs_report_options *o, const struct selection *sel)
{
	e_printf(e, "%zu class%s", sum->class_count,
	    sum->class_count == 1 ? "" : "es");
	if (o->include != NULL || o->exclude != NULL)
		e_printf(e, ", %zu matching", sel->matched);
	if (sel->count < sel->matched)
		e_printf(e, "; the top %zu %s", sel->count,
		    sort_phrases[o->sort]);
	else
		e_printf(e, "; %s", sort_phrases[o->sort]);
}

static void
render_text(struct emit *e, const struct hs_summary *sum,
    const struct hs_report_options *o, const struct selection *sel)
{
	text_header(e, sum);
	e_puts(e, "\n");
	e_sgr(e, BOLD);
	e_puts(e, "Summary");
	e_sgr(e, RESET);
	e_puts(e, " (");
	selection_line(e, sum, o, sel);
	e_puts(e, ")\n");
	if (sel->count > 0)
		text_table(e, sum, o, sel);
	text_details(e, sum, o, sel);
}

/* ---- markdown ---- */

/* Backslash-escapes what GitHub-flavoured Markdown would act on. */
void
md_escape(struct emit *e, const char *s)
{
	struct hs_buf t = { 0 };
	size_t i;

	if (add_fitted(&t, s, NAME_COLS_MAX) == -1) {
		e->nomem = 1;
		hs_buf_free(&t);
		return;
	}
	for (i = 0; i < t.len; i++) {
		if (strchr("\\`*_[]<>|~", t.data[i]) != NULL)
			e_add(e, "\\", 1);
		e_add(e, &t.data[i], 1);
	}
	hs_buf_free(&t);
}

static void
render_markdown(struct emit *e, const struct hs_summary *sum,
    const struct hs_report_options *o, const struct selection *sel)
{
	struct cells x;
	char size[32];
	uint64_t total = total_size(sum), v;
	size_t i, j, n = 0;
	int present;

	e_puts(e, "### Heap summary: ");
	md_escape(e, source_name(sum));
	e_printf(e, "\n\nTotal size %s", hs_report_size(total, size,
	    sizeof(size)));
	v = header_u64(sum->header, "node_count", &present);
	if (present)
		e_printf(e, " in %" PRIu64 " nodes", v);
	e_puts(e, ".");
	for (i = 0; i < sizeof(stat_rows) / sizeof(stat_rows[0]); i++) {
		v = header_u64(sum->statistics, stat_rows[i].key, &present);
		if (present)
			e_printf(e, "%s %s %s", n++ == 0 ? "" : ",",
			    stat_rows[i].label, hs_report_size(v, size,
			    sizeof(size)));
	}
	e_puts(e, n > 0 ? ".\n\n" : "\n\n");
	e_puts(e, "Summary: ");
	selection_line(e, sum, o, sel);
	e_puts(e, ".\n\n");
	if (sel->count == 0)
		return;
	for (j = 0; j < NCOLS; j++)
		e_printf(e, "| %s ", col_titles[j]);
	e_puts(e, "|\n| --- |");
	for (j = COL_DIST; j < NCOLS; j++)
		e_puts(e, " ---: |");
	e_puts(e, "\n");
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_summary_class *c = sel->rows[i].c;

		fill_cells(&x, c, total);
		e_puts(e, "| ");
		md_escape(e, c->name);
		if (c->has_location)
			e_printf(e, " @%" PRIu32 ":%" PRIu32 ":%" PRIu32,
			    c->script_id, c->line, c->column);
		for (j = COL_DIST; j < NCOLS; j++)
			e_printf(e, " | %s", x.s[j]);
		e_puts(e, " |\n");
		e_maybe_flush(e);
	}
}

/* ---- tsv, csv ---- */

static const char *const delimited_titles[] = {
	"class", "key", "count", "self", "raw_self", "retained",
	"max_retained", "distance", "detached", "script_id", "line", "column"
};

/* A TSV or CSV head: the titles, sep between them, eol after. */
void
delimited_head(struct emit *e, const char *const *titles, size_t n,
    const char *sep, const char *eol)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (j > 0)
			e_puts(e, sep);
		e_puts(e, titles[j]);
	}
	e_puts(e, eol);
}

void
tsv_field(struct emit *e, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		switch (*p) {
		case '\t':
			e_add(e, "\\t", 2);
			break;
		case '\n':
			e_add(e, "\\n", 2);
			break;
		case '\r':
			e_add(e, "\\r", 2);
			break;
		case '\\':
			e_add(e, "\\\\", 2);
			break;
		default:
			e_add(e, p, 1);
		}
	}
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
void
csv_field(struct emit *e, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		e_puts(e, s);
		return;
	}
	e_add(e, "\"", 1);
	for (p = s; *p; p++) {
		if (*p == '"')
			e_add(e, "\"", 1);
		e_add(e, p, 1);
	}
	e_add(e, "\"", 1);
}

static void
render_delimited(struct emit *e, const struct hs_summary *sum,
    const struct selection *sel, int csv)
{
	const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
	void (*field)(struct emit *, const char *) = csv ? csv_field :
	    tsv_field;
	int detachedness = has_detachedness(sum);
	size_t i;

	delimited_head(e, delimited_titles, sizeof(delimited_titles) /
	    sizeof(delimited_titles[0]), sep, eol);
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_summary_class *c = sel->rows[i].c;

		field(e, c->name);
		e_puts(e, sep);
		field(e, c->key);
		e_printf(e, "%s%" PRIu64 "%s%" PRIu64 "%s%" PRIu64 "%s%" PRIu64
		    "%s%" PRIu64 "%s%" PRId64 "%s", sep, c->count, sep, c->self,
		    sep, c->raw_self, sep, c->retained, sep, c->max_retained,
		    sep, c->distance, sep);
		if (detachedness)
			e_printf(e, "%" PRIu64, c->detached);
		e_puts(e, sep);
		if (c->has_location)
			e_printf(e, "%" PRIu32 "%s%" PRIu32 "%s%" PRIu32,
			    c->script_id, sep, c->line, sep, c->column);
		else {
			e_puts(e, sep);
			e_puts(e, sep);
		}
		e_puts(e, eol);
		e_maybe_flush(e);
	}
}

/* ---- json ---- */

void
json_str(struct emit *e, const char *s, size_t len)
{
	if (hs_json_quote(&e->b, s, len) == -1)
		e->nomem = 1;
}

/* A jv tree back to JSON (depth is bounded by the parser's limit). */
static void
json_jv(struct emit *e, const struct hs_jv *v)
{
	size_t i;

	if (v == NULL) {
		e_puts(e, "null");
		return;
	}
	switch (v->kind) {
	case HS_JV_NULL:
		e_puts(e, "null");
		break;
	case HS_JV_BOOL:
		e_puts(e, v->boolean ? "true" : "false");
		break;
	case HS_JV_NUMBER:
		if (v->is_integer)
			e_printf(e, "%" PRId64, v->integer);
		else
			e_printf(e, "%.17g", v->number);
		break;
	case HS_JV_STRING:
		json_str(e, v->str, v->len);
		break;
	case HS_JV_ARRAY:
		e_puts(e, "[");
		for (i = 0; i < v->len; i++) {
			if (i > 0)
				e_puts(e, ",");
			json_jv(e, &v->items[i]);
		}
		e_puts(e, "]");
		break;
	case HS_JV_OBJECT:
		e_puts(e, "{");
		for (i = 0; i < v->len; i++) {
			if (i > 0)
				e_puts(e, ",");
			json_str(e, v->keys[i], strlen(v->keys[i]));
			e_puts(e, ":");
			json_jv(e, &v->items[i]);
		}
		e_puts(e, "}");
		break;
	}
}

static void
render_json(struct emit *e, const struct hs_summary *sum,
    const struct selection *sel)
{
	int detachedness = has_detachedness(sum);
	size_t i;

	e_puts(e, "{\"header\":");
	json_jv(e, sum->header);
	e_puts(e, ",\n\"statistics\":");
	json_jv(e, sum->statistics);
	e_puts(e, ",\n\"classes\":[");
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_summary_class *c = sel->rows[i].c;

		e_puts(e, i > 0 ? ",\n{\"key\":" : "\n{\"key\":");
		json_str(e, c->key, strlen(c->key));
		e_puts(e, ",\"name\":");
		json_str(e, c->name, strlen(c->name));
		if (c->has_location)
			e_printf(e, ",\"location\":{\"script_id\":%" PRIu32
			    ",\"line\":%" PRIu32 ",\"column\":%" PRIu32 "}",
			    c->script_id, c->line, c->column);
		e_printf(e, ",\"count\":%" PRIu64 ",\"self\":%" PRIu64
		    ",\"raw_self\":%" PRIu64 ",\"retained\":%" PRIu64
		    ",\"max_retained\":%" PRIu64 ",\"distance\":%" PRId64,
		    c->count, c->self, c->raw_self, c->retained,
		    c->max_retained, c->distance);
		if (detachedness)
			e_printf(e, ",\"detached\":%" PRIu64, c->detached);
		e_printf(e, ",\"max_id\":%" PRIu32 "}", c->max_id);
		e_maybe_flush(e);
	}
	e_puts(e, "]}\n");
}

/* ---- dispatch ---- */

static int
report_summary(const struct hs_summary *sum,
    const struct hs_report_options *o, struct emit *e, char *err,
    size_t errlen)
{
	struct hs_report_options so = *o;
	struct selection sel;
	size_t top = o->top;

	if (so.sort == HS_SORT_AUTO)
		so.sort = HS_SORT_RETAINED;
	if (so.sort == HS_SORT_DELTA || so.sort == HS_SORT_NEW) {
		snprintf(err, errlen, "sort key %s is for diffs",
		    sort_names[so.sort]);
		return -1;
	}
	o = &so;
	switch (o->format) {
	case HS_REPORT_TEXT:
	case HS_REPORT_MARKDOWN:
		if (top == HS_REPORT_TOP_AUTO)
			top = HS_REPORT_TOP_TEXT;
		break;
	case HS_REPORT_TSV:
	case HS_REPORT_CSV:
	case HS_REPORT_JSON:
		if (top == HS_REPORT_TOP_AUTO)
			top = 0;
		break;
	default:
		snprintf(err, errlen, "format %s is for diffs",
		    hs_report_format_name(o->format));
		return -1;
	}
	if (select_rows(sum, o, top, &sel, err, errlen) == -1)
		return -1;
	switch (o->format) {
	case HS_REPORT_TEXT:
		render_text(e, sum, o, &sel);
		break;
	case HS_REPORT_MARKDOWN:
		render_markdown(e, sum, o, &sel);
		break;
	case HS_REPORT_TSV:
		render_delimited(e, sum, &sel, 0);
		break;
	case HS_REPORT_CSV:
		render_delimited(e, sum, &sel, 1);
		break;
	default:
		render_json(e, sum, &sel);
		break;
	}
	hs_free(sel.rows);
	return 0;
}

static void
start(struct emit *e, const struct hs_report_options *o, hs_write_fn fn,
    void *sink, char *err)
{
	err[0] = '\0';
	memset(e, 0, sizeof(*e));
	e->fn = fn;
	e->sink = sink;
	e->color = o->color && o->format == HS_REPORT_TEXT;
}

/* Hands what is left to the sink; r is the renderer's result. */
static int
finish(struct emit *e, int r, char *err, size_t errlen)
{
	if (r == 0 && e->nomem) {
		snprintf(err, errlen, "out of memory");
		r = -1;
	}
	if (r == 0)
		e_flush(e);
	if (r == 0 && e->wfail)
		r = -1;
	hs_buf_free(&e->b);
	return r;
}

int
hs_report(const struct hs_summary *sum, const struct hs_report_options *o,
    hs_write_fn write_fn, void *sink, char *err, size_t errlen)
{
	struct emit e;
	const char *kind = hs_summary_kind(sum);
	int r;

	start(&e, o, write_fn, sink, err);
	if (strcmp(kind, HS_SUMMARY_FORMAT) == 0)
		r = report_summary(sum, o, &e, err, errlen);
	else if (strcmp(kind, HS_DIFF_FORMAT) == 0) {
		snprintf(err, errlen, "a diff: read it with hs_diff_read() "
		    "and render it with hs_report_diff()");
		r = -1;
	} else {
		snprintf(err, errlen, "not an hs-summary (unknown format in "
		    "the header)");
		r = -1;
	}
	return finish(&e, r, err, errlen);
}

int
hs_report_diff(const struct hs_diff *d, const struct hs_report_options *o,
    hs_write_fn write_fn, void *sink, char *err, size_t errlen)
{
	struct emit e;

	start(&e, o, write_fn, sink, err);
	return finish(&e, report_diff(d, o, &e, err, errlen), err, errlen);
}

int
hs_report_trend(const struct hs_trend *t, const struct hs_report_options *o,
    hs_write_fn write_fn, void *sink, char *err, size_t errlen)
{
	struct emit e;

	start(&e, o, write_fn, sink, err);
	return finish(&e, report_trend(t, o, &e, err, errlen), err, errlen);
}

static int
buf_sink(void *sink, const void *p, size_t n)
{
	return hs_buf_add(sink, p, n);
}

int
hs_report_buf(const struct hs_summary *sum,
    const struct hs_report_options *o, struct hs_buf *b, char *err,
    size_t errlen)
{
	int r = hs_report(sum, o, buf_sink, b, err, errlen);

	if (r == -1 && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	return r;
}

int
hs_report_diff_buf(const struct hs_diff *d,
    const struct hs_report_options *o, struct hs_buf *b, char *err,
    size_t errlen)
{
	int r = hs_report_diff(d, o, buf_sink, b, err, errlen);

	if (r == -1 && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	return r;
}
