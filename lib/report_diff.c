/*
 * report_diff: hs-report's renderers for diffs (hs-diff(5)); see report.h.
 *
 * The offenders are the diff's class records, in hs-diff's rank order
 * unless another sort is asked for, filtered and cut like a summary's
 * classes.  The verdict (leak or not, likely source, confidence,
 * recommendations) is the diff's own: nothing is judged again here, so
 * hs-report, hs-diff and hs-junit always agree.
 *
 * Every format prints "leak" for what hs-diff exits 1 for with its
 * default --fail-on: a severity other than none.  The JSON and webhook
 * shapes are those that dashboards already read, so their field names
 * are in camelCase, unlike the files of the toolkit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diff.h"
#include "json.h"
#include "report.h"
#include "report_impl.h"

/* The retainers of an offender start with this, which lists leave out. */
#define HELD_BY	"held by "

/* HTML charts: at most this many bars, and their geometry in pixels. */
#define CHART_W		640
#define CHART_LABEL_W	170
#define CHART_ROW_H	28
#define CHART_BAR_H	10

struct drow {
	const struct hs_diff_class	*c;
	size_t				 index;	/* rank, in the diff */
};

struct dsel {
	struct drow	*rows;
	size_t		 count;		/* rows shown */
	size_t		 matched;	/* rows that passed the filters */
};

/* ---- the rows to show ---- */

static int
tie(const struct drow *p, const struct drow *q)
{
	return p->index < q->index ? -1 : p->index > q->index;
}

#define DESC(expr) do { \
	if (p->c->expr != q->c->expr) \
		return p->c->expr > q->c->expr ? -1 : 1; \
} while (0)

static int
cmp_rank(const void *x, const void *y)
{
	return tie(x, y);
}

static int
cmp_retained(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;

	DESC(retained[HS_D_NEW]);
	return tie(p, q);
}

static int
cmp_self(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;

	DESC(self[HS_D_NEW]);
	return tie(p, q);
}

static int
cmp_count(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;

	DESC(count[HS_D_NEW]);
	return tie(p, q);
}

static int
cmp_delta(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;

	DESC(delta_retained);
	return tie(p, q);
}

static int
cmp_new(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;

	DESC(new_count);
	DESC(leaked_count);
	return tie(p, q);
}

#undef DESC

static int
cmp_name(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;
	int r = strcmp(p->c->name, q->c->name);

	return r != 0 ? r : tie(p, q);
}

static int (*const comparators[])(const void *, const void *) = {
	[HS_SORT_RETAINED] = cmp_retained,
	[HS_SORT_SELF] = cmp_self,
	[HS_SORT_COUNT] = cmp_count,
	[HS_SORT_DISTANCE] = NULL,
	[HS_SORT_NAME] = cmp_name,
	[HS_SORT_DELTA] = cmp_delta,
	[HS_SORT_NEW] = cmp_new,
	[HS_SORT_AUTO] = cmp_rank,
};

/* Filters, sorts and cuts the classes.  Returns 0, or -1 with err set. */
static int
select_rows(const struct hs_diff *d, const struct hs_report_options *o,
    size_t top, struct dsel *sel, char *err, size_t errlen)
{
	size_t i, n = 0;
	int r;

	memset(sel, 0, sizeof(*sel));
	if ((size_t)o->sort >= sizeof(comparators) / sizeof(comparators[0]) ||
	    comparators[o->sort] == NULL) {
		snprintf(err, errlen, "sort key %s is for summaries",
		    o->sort == HS_SORT_DISTANCE ? "distance" : "?");
		return -1;
	}
	if ((sel->rows = hs_alloc_array(d->class_count + 1,
	    sizeof(*sel->rows))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < d->class_count; i++) {
		if ((r = report_keep(o, d->classes[i].name, err, errlen)) ==
		    -1) {
			hs_free(sel->rows);
			sel->rows = NULL;
			return -1;
		}
		if (r == 0)
			continue;
		sel->rows[n].c = &d->classes[i];
		sel->rows[n].index = i;
		n++;
	}
	qsort(sel->rows, n, sizeof(*sel->rows), comparators[o->sort]);
	sel->matched = n;
	sel->count = top == 0 || top > n ? n : top;
	return 0;
}

/* ---- facts ---- */

/* What every format calls a leak: what hs-diff exits 1 for by default. */
static int
is_leak(const struct hs_diff *d)
{
	return d->severity != HS_SEV_NONE;
}

/* The label and session: the newest input's, else the oldest's. */
static const char *
label_of(const struct hs_diff *d)
{
	return d->inputs[HS_D_NEW].label ? d->inputs[HS_D_NEW].label :
	    d->inputs[HS_D_OLD].label;
}

static const char *
session_of(const struct hs_diff *d)
{
	return d->inputs[HS_D_NEW].session ? d->inputs[HS_D_NEW].session :
	    d->inputs[HS_D_OLD].session;
}

/* The slots of the inputs, oldest first, and what each is called. */
static int
input_slots(const struct hs_diff *d, int *slots, const char *const **roles)
{
	static const char *const pair[] = { "Before", "After" },
	    *const triple[] = { "Baseline", "Target", "Final" };

	slots[0] = HS_D_OLD;
	if (d->ninputs == 3) {
		slots[1] = HS_D_MID;
		slots[2] = HS_D_NEW;
		*roles = triple;
		return 3;
	}
	slots[1] = HS_D_NEW;
	*roles = pair;
	return 2;
}

/* Writes |v| in human units after sign (when v is not 0) into buf. */
static char *
size_after(int64_t v, const char *sign, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = v != 0 ? strlen(sign) : 0;

	if (len <= n + 1) {
		buf[0] = '\0';
		return buf;
	}
	memcpy(buf, sign, n);
	hs_report_size(a, buf + n, len - n);
	return buf;
}

/* "+1.2 MB", "-512 B", "0 B". */
static char *
signed_size(int64_t v, char *buf, size_t len)
{
	return size_after(v, v > 0 ? "+" : "-", buf, len);
}

/* "1.2 MB", "-512 B": a plus sign left out. */
static char *
growth_size(int64_t v, char *buf, size_t len)
{
	return size_after(v, v > 0 ? "" : "-", buf, len);
}

/*
 * A number for JSON with at most decimals digits after the point and no
 * trailing zeros: 14.06, 0.9, 1, -0.05.
 */
static void
e_number(struct emit *e, double v, int decimals)
{
	char buf[64];
	size_t n;

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	n = strlen(buf);
	if (strchr(buf, '.') != NULL) {
		while (n > 0 && buf[n - 1] == '0')
			n--;
		if (n > 0 && buf[n - 1] == '.')
			n--;
	}
	buf[n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	e_puts(e, buf);
}

/* Decimal megabytes, as the sizes hs-report prints (1 MB = 10^6 B). */
static double
megabytes(int64_t v)
{
	return (double)v / 1e6;
}

/* The retainers in words, without the leading "held by ". */
static const char *
holders(const struct hs_diff_class *c)
{
	if (c->held_by == NULL)
		return NULL;
	if (strncmp(c->held_by, HELD_BY, strlen(HELD_BY)) == 0)
		return c->held_by + strlen(HELD_BY);
	return c->held_by;
}

static void
e_escaped(struct emit *e, const char *s)
{
	if (text_escape(&e->b, s) == -1)
		e->nomem = 1;
}

static void
e_fitted(struct emit *e, const char *s, size_t cols)
{
	if (add_fitted(&e->b, s, cols) == -1)
		e->nomem = 1;
}

/* ---- text ---- */

static void
text_heading(struct emit *e, const char *title, char rule)
{
	size_t i, n = strlen(title);

	e_sgr(e, BOLD);
	e_puts(e, title);
	e_sgr(e, RESET);
	e_puts(e, "\n");
	for (i = 0; i < n; i++)
		e_add(e, &rule, 1);
	e_puts(e, "\n");
}

static const char *
severity_color(enum hs_severity s)
{
	switch (s) {
	case HS_SEV_CRITICAL:
	case HS_SEV_HIGH:
		return RED;
	case HS_SEV_MEDIUM:
	case HS_SEV_LOW:
		return YELLOW;
	default:
		return "";
	}
}

static void
text_inputs(struct emit *e, const struct hs_diff *d)
{
	const char *const *roles, *label = label_of(d),
	    *session = session_of(d);
	char size[32], role[32];
	int slots[3], i, n = input_slots(d, slots, &roles);

	if (label != NULL || session != NULL) {
		e_printf(e, "%-14s", "Label:");
		if (label != NULL)
			e_escaped(e, label);
		if (label != NULL && session != NULL)
			e_puts(e, " (session ");
		else if (session != NULL)
			e_puts(e, "session ");
		if (session != NULL)
			e_escaped(e, session);
		if (label != NULL && session != NULL)
			e_puts(e, ")");
		e_puts(e, "\n");
	}
	for (i = 0; i < n; i++) {
		const struct hs_diff_input *in = &d->inputs[slots[i]];

		snprintf(role, sizeof(role), "%s:", roles[i]);
		e_printf(e, "%-14s", role);
		e_escaped(e, in->name ? in->name : "?");
		e_printf(e, " (%s", hs_report_size(in->total_size, size,
		    sizeof(size)));
		if (in->captured != NULL) {
			e_puts(e, ", ");
			e_escaped(e, in->captured);
		}
		e_puts(e, ")\n");
	}
}

static void
text_offender(struct emit *e, const struct hs_diff *d,
    const struct hs_diff_class *c, size_t rank)
{
	char size[32];

	e_printf(e, "%zu. ", rank);
	e_sgr(e, BOLD);
	e_fitted(e, c->name, NAME_COLS_MAX);
	e_sgr(e, RESET);
	e_printf(e, ": %s (%" PRId64 " object%s",
	    signed_size(c->delta_retained, size, sizeof(size)),
	    c->delta_count, c->delta_count == 1 || c->delta_count == -1 ?
	    "" : "s");
	if (d->ids_used) {
		e_printf(e, ", %" PRIu64 " new", c->new_count);
		if (d->ninputs == 3)
			e_printf(e, ", %" PRIu64 " leaked", c->leaked_count);
	}
	e_puts(e, ")");
	if (c->severity != HS_SEV_NONE) {
		e_puts(e, " ");
		e_sgr(e, severity_color(c->severity));
		e_puts(e, hs_severity_name(c->severity));
		e_sgr(e, RESET);
	}
	e_puts(e, "\n");
	if (c->held_by != NULL) {
		e_printf(e, "%*s", (int)(rank < 10 ? 3 : rank < 100 ? 4 : 5),
		    "");
		e_sgr(e, DIM);
		e_puts(e, "held by");
		e_sgr(e, RESET);
		e_puts(e, " ");
		e_escaped(e, holders(c));
		e_puts(e, "\n");
	}
}

static void
render_text(struct emit *e, const struct hs_diff *d, const struct dsel *sel)
{
	char size[32];
	size_t i;

	text_heading(e, "MEMORY LEAK DETECTION REPORT", '=');
	e_puts(e, "\n");
	text_inputs(e, d);
	e_puts(e, "\n");
	text_heading(e, "ANALYSIS RESULTS", '-');
	e_printf(e, "%-19s%s\n", "Total Growth:", growth_size(d->total_growth,
	    size, sizeof(size)));
	e_printf(e, "%-19s%s\n", "Suspicious Growth:", d->suspicious ? "YES" :
	    "NO");
	e_printf(e, "%-19s", "Likely Source:");
	if (d->likely_source != NULL) {
		e_escaped(e, d->likely_source);
		e_printf(e, " (confidence %.2f)\n", d->confidence);
	} else if (d->suspicious)
		e_printf(e, "the whole heap (confidence %.2f)\n",
		    d->confidence);
	else
		e_puts(e, "none\n");
	e_puts(e, "\n");
	text_heading(e, "STATUS", '-');
	e_sgr(e, BOLD);
	e_sgr(e, is_leak(d) ? RED : GREEN);
	e_puts(e, is_leak(d) ? "POTENTIAL MEMORY LEAK DETECTED" :
	    "NO MEMORY LEAK DETECTED");
	e_sgr(e, RESET);
	e_puts(e, "\n");
	if (sel->count > 0) {
		e_puts(e, "\n");
		text_heading(e, "TOP OFFENDERS", '-');
	}
	for (i = 0; i < sel->count && !e->nomem; i++) {
		text_offender(e, d, sel->rows[i].c, i + 1);
		e_maybe_flush(e);
	}
	if (sel->count < sel->matched)
		e_printf(e, "(%zu more)\n", sel->matched - sel->count);
	if (d->recommendation_count > 0) {
		e_puts(e, "\n");
		text_heading(e, "RECOMMENDATIONS", '-');
		for (i = 0; i < d->recommendation_count; i++) {
			e_puts(e, "- ");
			e_escaped(e, d->recommendations[i]);
			e_puts(e, "\n");
		}
	}
}

/* ---- json ---- */

static void
json_cstr(struct emit *e, const char *s)
{
	if (s == NULL)
		e_puts(e, "null");
	else
		json_str(e, s, strlen(s));
}

static void
json_input(struct emit *e, const struct hs_diff_input *in)
{
	e_printf(e, "{\"totalSize\":%" PRIu64 ",\"nodeCount\":%" PRIu64
	    ",\"timestamp\":", in->total_size, in->node_count);
	json_cstr(e, in->captured);
	e_puts(e, ",\"filename\":");
	json_cstr(e, in->name);
	e_puts(e, "}");
}

static void
json_offender(struct emit *e, const struct hs_diff *d,
    const struct hs_diff_class *c)
{
	e_puts(e, "{\"type\":");
	json_cstr(e, c->name);
	e_printf(e, ",\"countBefore\":%" PRIu64 ",\"countAfter\":%" PRIu64
	    ",\"retainedSizeBefore\":%" PRIu64 ",\"retainedSizeAfter\":%"
	    PRIu64 ",\"deltaSize\":%" PRId64 ",\"deltaCount\":%" PRId64
	    ",\"growthRate\":", c->count[HS_D_OLD], c->count[HS_D_NEW],
	    c->retained[HS_D_OLD], c->retained[HS_D_NEW], c->delta_retained,
	    c->delta_count);
	if (c->is_new)
		e_puts(e, "null");
	else
		e_number(e, c->rate, 3);
	e_puts(e, ",\"severity\":");
	json_cstr(e, hs_severity_name(c->severity));
	e_puts(e, ",\"suspiciousRetainers\":[");
	if (c->held_by != NULL)
		json_cstr(e, holders(c));
	if (c->path != NULL) {
		if (c->held_by != NULL)
			e_puts(e, ",");
		json_cstr(e, c->path);
	}
	e_puts(e, "],\"newCount\":");
	if (d->ids_used)
		e_printf(e, "%" PRIu64 ",\"newSize\":%" PRIu64, c->new_count,
		    c->new_self);
	else
		e_puts(e, "null,\"newSize\":null");
	if (d->ninputs == 3) {
		e_puts(e, ",\"leakedCount\":");
		if (d->ids_used)
			e_printf(e, "%" PRIu64 ",\"leakedSize\":%" PRIu64,
			    c->leaked_count, c->leaked_self);
		else
			e_puts(e, "null,\"leakedSize\":null");
	}
	e_puts(e, ",\"key\":");
	json_cstr(e, c->key);
	e_puts(e, "}");
}

static void
render_json(struct emit *e, const struct hs_diff *d, const struct dsel *sel)
{
	size_t i;

	e_puts(e, "{\"before\":");
	json_input(e, &d->inputs[HS_D_OLD]);
	if (d->ninputs == 3) {
		e_puts(e, ",\n\"target\":");
		json_input(e, &d->inputs[HS_D_MID]);
	}
	e_puts(e, ",\n\"after\":");
	json_input(e, &d->inputs[HS_D_NEW]);
	e_puts(e, ",\n\"offenders\":[");
	for (i = 0; i < sel->count && !e->nomem; i++) {
		e_puts(e, i > 0 ? ",\n" : "\n");
		json_offender(e, d, sel->rows[i].c);
		e_maybe_flush(e);
	}
	e_puts(e, "],\n\"summary\":{\"totalGrowthMB\":");
	e_number(e, megabytes(d->total_growth), 2);
	e_printf(e, ",\"suspiciousGrowth\":%s,\"likelyLeakSource\":",
	    d->suspicious ? "true" : "false");
	json_cstr(e, d->likely_source);
	e_puts(e, ",\"confidence\":");
	e_number(e, d->confidence, 2);
	e_puts(e, ",\"recommendations\":[");
	for (i = 0; i < d->recommendation_count; i++) {
		if (i > 0)
			e_puts(e, ",");
		json_cstr(e, d->recommendations[i]);
	}
	e_puts(e, "]}}\n");
}

/* ---- webhook ---- */

static void
render_webhook(struct emit *e, const struct hs_diff *d,
    const struct hs_report_options *o)
{
	e_puts(e, "{\"type\":\"memory-leak-detection\",\"label\":");
	json_cstr(e, label_of(d));
	e_printf(e, ",\"status\":\"%s\",\"growthMB\":", is_leak(d) ?
	    "leak-detected" : "ok");
	e_number(e, megabytes(d->total_growth), 2);
	e_puts(e, ",\"confidence\":");
	e_number(e, d->confidence, 2);
	e_puts(e, ",\"severity\":");
	json_cstr(e, hs_severity_name(d->severity));
	e_puts(e, ",\"timestamp\":");
	json_cstr(e, d->inputs[HS_D_NEW].captured);
	if (o->report_url != NULL) {
		e_puts(e, ",\"reportUrl\":");
		json_cstr(e, o->report_url);
	}
	e_puts(e, "}\n");
}

/* ---- tsv, csv ---- */

static const char *const delimited_titles[] = {
	"class", "key", "count_before", "count_after", "retained_before",
	"retained_after", "delta_size", "delta_count", "growth_rate",
	"new_count", "new_size", "leaked_count", "severity"
};

static void
render_delimited(struct emit *e, const struct hs_diff *d,
    const struct dsel *sel, int csv)
{
	const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
	void (*field)(struct emit *, const char *) = csv ? csv_field :
	    tsv_field;
	size_t i;

	delimited_head(e, delimited_titles, sizeof(delimited_titles) /
	    sizeof(delimited_titles[0]), sep, eol);
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;

		field(e, c->name);
		e_puts(e, sep);
		field(e, c->key);
		e_printf(e, "%s%" PRIu64 "%s%" PRIu64 "%s%" PRIu64 "%s%" PRIu64
		    "%s%" PRId64 "%s%" PRId64 "%s", sep, c->count[HS_D_OLD],
		    sep, c->count[HS_D_NEW], sep, c->retained[HS_D_OLD], sep,
		    c->retained[HS_D_NEW], sep, c->delta_retained, sep,
		    c->delta_count, sep);
		if (!c->is_new)
			e_number(e, c->rate, 3);
		e_puts(e, sep);
		if (d->ids_used)
			e_printf(e, "%" PRIu64 "%s%" PRIu64, c->new_count, sep,
			    c->new_self);
		else
			e_puts(e, sep);
		e_puts(e, sep);
		if (d->ids_used && d->ninputs == 3)
			e_printf(e, "%" PRIu64, c->leaked_count);
		e_puts(e, sep);
		e_puts(e, hs_severity_name(c->severity));
		e_puts(e, eol);
		e_maybe_flush(e);
	}
}

/* ---- markdown ---- */

/* Like md_escape(), for sentences: escaped but not cut. */
static void
md_text(struct emit *e, const char *s)
{
	struct hs_buf t = { 0 };
	size_t i;

	if (text_escape(&t, s) == -1) {
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
render_markdown(struct emit *e, const struct hs_diff *d,
    const struct dsel *sel)
{
	const struct hs_diff_input *a = &d->inputs[HS_D_OLD],
	    *z = &d->inputs[HS_D_NEW];
	const char *label = label_of(d);
	char s1[32], s2[32], s3[32];
	size_t i;
	int leaked = d->ids_used && d->ninputs == 3;

	e_puts(e, "### ");
	e_puts(e, is_leak(d) ? ":warning: Potential memory leak detected" :
	    ":white_check_mark: No memory leak detected");
	if (label != NULL) {
		e_puts(e, ": ");
		md_escape(e, label);
	}
	e_printf(e, "\n\nThe heap grew by %s (%s \xe2\x86\x92 %s) from %s to "
	    "%s; severity %s.", growth_size(d->total_growth, s1, sizeof(s1)),
	    hs_report_size(a->total_size, s2, sizeof(s2)),
	    hs_report_size(z->total_size, s3, sizeof(s3)),
	    d->ninputs == 3 ? "baseline" : "before",
	    d->ninputs == 3 ? "final" : "after",
	    hs_severity_name(d->severity));
	if (d->likely_source != NULL) {
		e_puts(e, " Likely source: **");
		md_escape(e, d->likely_source);
		e_printf(e, "** (confidence %.2f)", d->confidence);
		for (i = 0; i < d->class_count; i++) {
			const struct hs_diff_class *c = &d->classes[i];

			if (d->likely_key != NULL && strcmp(c->key,
			    d->likely_key) == 0 && c->held_by != NULL) {
				e_puts(e, ", ");
				md_text(e, c->held_by);
				break;
			}
		}
		e_puts(e, ".");
	}
	e_puts(e, "\n\n");
	if (sel->count > 0) {
		e_puts(e, "| Class | Retained before | Retained after | Change "
		    "| Objects |");
		if (d->ids_used)
			e_puts(e, " New |");
		if (leaked)
			e_puts(e, " Leaked |");
		e_puts(e, " Severity |\n| --- | ---: | ---: | ---: | ---: |");
		if (d->ids_used)
			e_puts(e, " ---: |");
		if (leaked)
			e_puts(e, " ---: |");
		e_puts(e, " --- |\n");
	}
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;

		e_puts(e, "| ");
		md_escape(e, c->name);
		e_printf(e, " | %s | %s | %s | %+" PRId64 " |",
		    hs_report_size(c->retained[HS_D_OLD], s1, sizeof(s1)),
		    hs_report_size(c->retained[HS_D_NEW], s2, sizeof(s2)),
		    signed_size(c->delta_retained, s3, sizeof(s3)),
		    c->delta_count);
		if (d->ids_used)
			e_printf(e, " %" PRIu64 " |", c->new_count);
		if (leaked)
			e_printf(e, " %" PRIu64 " |", c->leaked_count);
		e_printf(e, " %s |\n", c->severity == HS_SEV_NONE ? "\xe2\x80"
		    "\x93" : hs_severity_name(c->severity));
		e_maybe_flush(e);
	}
	if (sel->count < sel->matched)
		e_printf(e, "\n%zu more classes not shown.\n",
		    sel->matched - sel->count);
	if (d->recommendation_count > 0 && is_leak(d)) {
		e_puts(e, "\n");
		for (i = 0; i < d->recommendation_count; i++) {
			e_puts(e, "- ");
			md_text(e, d->recommendations[i]);
			e_puts(e, "\n");
		}
	}
}

/* ---- html ---- */

/*
 * One file that shows without a network: inline CSS, charts as inline
 * SVG drawn here, no script.  Every string from the diff goes through
 * html_text(), which escapes control characters as text does and then
 * the characters HTML gives a meaning to.
 */

const char html_style[] =
":root{--fg:#1d232a;--muted:#5b6672;--bg:#fff;--panel:#f4f6f8;"
"--line:#d8dee4;--before:#8da4bd;--after:#d1495b;--up:#d1495b;"
"--down:#3a9d5d;--ok:#1f7a3f;--leak:#b3261e}\n"
"@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa5b1;"
"--bg:#14181c;--panel:#1e242a;--line:#36404a;--before:#6f8aa8;"
"--ok:#5cc883;--leak:#ff7a70}}\n"
"*{box-sizing:border-box}\n"
"body{margin:0 auto;max-width:960px;padding:16px;font:15px/1.45 "
"system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--fg);"
"background:var(--bg)}\n"
"h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.4em 0 "
".5em}\n"
".inputs{color:var(--muted);font-size:.9em;margin:0;padding-left:1.2em;"
"overflow-wrap:anywhere}\n"
".verdict{border-left:6px solid var(--ok);background:var(--panel);"
"padding:10px 14px;margin:16px 0;border-radius:4px}\n"
".verdict.leak{border-color:var(--leak)}\n"
".verdict h2{margin:0 0 .3em;color:var(--ok)}\n"
".verdict.leak h2{color:var(--leak)}\n"
".verdict p{margin:.2em 0;overflow-wrap:anywhere}\n"
"svg.chart{width:100%;height:auto;display:block}\n"
"svg.chart text{font-size:12px;fill:var(--fg)}\n"
"svg.chart text.value{fill:var(--muted);font-size:11px}\n"
".bar.before{fill:var(--before)}.bar.after{fill:var(--after)}\n"
".growth.up{fill:var(--up)}.growth.down{fill:var(--down)}\n"
".axis{stroke:var(--line);stroke-width:1}\n"
".legend{font-size:.85em;color:var(--muted);margin:.2em 0 .5em}\n"
".key{display:inline-block;width:.9em;height:.9em;border-radius:2px;"
"vertical-align:-.1em;margin:0 .3em 0 .8em}\n"
".key.before{background:var(--before)}.key.after{background:"
"var(--after)}\n"
".table-wrap{overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;font-size:.9em}\n"
"th,td{padding:5px 8px;border-bottom:1px solid var(--line);"
"text-align:right;vertical-align:top;white-space:nowrap}\n"
"th:first-child,td:first-child{text-align:left;white-space:normal;"
"overflow-wrap:anywhere}\n"
"td.held{color:var(--muted);font-size:.92em;margin-top:.2em}\n"
".sev{font-weight:600}.sev.critical,.sev.high{color:var(--leak)}\n"
"footer{margin-top:2em;color:var(--muted);font-size:.8em}\n"
"@media (max-width:600px){body{padding:10px;font-size:14px}"
"th,td{padding:4px 5px}}\n";

void
html_text(struct emit *e, const char *s)
{
	struct hs_buf t = { 0 };
	size_t i;

	if (text_escape(&t, s) == -1) {
		e->nomem = 1;
		hs_buf_free(&t);
		return;
	}
	for (i = 0; i < t.len; i++) {
		switch (t.data[i]) {
		case '&':
			e_puts(e, "&amp;");
			break;
		case '<':
			e_puts(e, "&lt;");
			break;
		case '>':
			e_puts(e, "&gt;");
			break;
		case '"':
			e_puts(e, "&quot;");
			break;
		case '\'':
			e_puts(e, "&#39;");
			break;
		default:
			e_add(e, &t.data[i], 1);
		}
	}
	hs_buf_free(&t);
}

/* A name for a chart's label: cut to cols columns, then escaped. */
static void
html_short(struct emit *e, const char *s, size_t cols)
{
	struct hs_buf t = { 0 };

	if (add_fitted(&t, s, cols) == -1 || hs_buf_cstr(&t) == -1)
		e->nomem = 1;
	else
		html_text(e, t.data);
	hs_buf_free(&t);
}

static void
html_header(struct emit *e, const struct hs_diff *d)
{
	const char *const *roles, *label = label_of(d),
	    *session = session_of(d);
	char size[32];
	int slots[3], i, n = input_slots(d, slots, &roles);

	e_puts(e, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>Memory leak report");
	if (label != NULL) {
		e_puts(e, ": ");
		html_text(e, label);
	}
	e_puts(e, "</title>\n<style>\n");
	e_puts(e, html_style);
	e_puts(e, "</style>\n</head>\n<body>\n<header>\n"
	    "<h1>Memory leak detection report</h1>\n<ul class=\"inputs\">\n");
	if (label != NULL || session != NULL) {
		e_puts(e, "<li>Label: ");
		if (label != NULL)
			html_text(e, label);
		if (session != NULL) {
			e_puts(e, label != NULL ? " (session " : "session ");
			html_text(e, session);
			if (label != NULL)
				e_puts(e, ")");
		}
		e_puts(e, "</li>\n");
	}
	for (i = 0; i < n; i++) {
		const struct hs_diff_input *in = &d->inputs[slots[i]];

		e_printf(e, "<li>%s: ", roles[i]);
		html_text(e, in->name ? in->name : "?");
		e_printf(e, " (%s", hs_report_size(in->total_size, size,
		    sizeof(size)));
		if (in->captured != NULL) {
			e_puts(e, ", ");
			html_text(e, in->captured);
		}
		e_puts(e, ")</li>\n");
	}
	e_puts(e, "</ul>\n</header>\n");
}

static void
html_verdict(struct emit *e, const struct hs_diff *d)
{
	char size[32];

	e_printf(e, "<section class=\"verdict %s\">\n<h2>%s</h2>\n",
	    is_leak(d) ? "leak" : "ok", is_leak(d) ?
	    "Potential memory leak detected" : "No memory leak detected");
	e_printf(e, "<p>Total growth: <strong>%s</strong>; severity <span "
	    "class=\"sev %s\">%s</span>.</p>\n", growth_size(d->total_growth,
	    size, sizeof(size)), hs_severity_name(d->severity),
	    hs_severity_name(d->severity));
	e_puts(e, "<p>Likely source: ");
	if (d->likely_source != NULL) {
		e_puts(e, "<strong>");
		html_text(e, d->likely_source);
		e_printf(e, "</strong> (confidence %.2f)", d->confidence);
	} else if (d->suspicious)
		e_printf(e, "the whole heap (confidence %.2f)", d->confidence);
	else
		e_puts(e, "none");
	e_puts(e, ".</p>\n</section>\n");
}

/* The x scale of a chart: pixels per byte over the plot's width. */
static double
scale_of(uint64_t max, double width)
{
	return max == 0 ? 0 : width / (double)max;
}

static void
html_bars(struct emit *e, const struct hs_diff *d, const struct dsel *sel)
{
	const double plot = CHART_W - CHART_LABEL_W - 70;
	char s1[32], s2[32];
	uint64_t max = 0;
	double k;
	size_t i;
	int h = (int)sel->count * CHART_ROW_H + 8;

	for (i = 0; i < sel->count; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;

		if (c->retained[HS_D_OLD] > max)
			max = c->retained[HS_D_OLD];
		if (c->retained[HS_D_NEW] > max)
			max = c->retained[HS_D_NEW];
	}
	k = scale_of(max, plot);
	e_printf(e, "<section>\n<h2>Retained size, %s and %s</h2>\n"
	    "<p class=\"legend\"><span class=\"key before\"></span>%s"
	    "<span class=\"key after\"></span>%s</p>\n", d->ninputs == 3 ?
	    "baseline" : "before", d->ninputs == 3 ? "final" : "after",
	    d->ninputs == 3 ? "baseline" : "before", d->ninputs == 3 ?
	    "final" : "after");
	e_printf(e, "<svg class=\"chart\" id=\"retained\" viewBox=\"0 0 %d "
	    "%d\" role=\"img\" aria-label=\"Retained size of the top "
	    "offenders, before and after\">\n", CHART_W, h);
	e_printf(e, "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", CHART_LABEL_W, CHART_LABEL_W, h);
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;
		int y = (int)i * CHART_ROW_H + 4;

		e_printf(e, "<g>\n<text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">", CHART_LABEL_W - 6, y + CHART_BAR_H +
		    4);
		html_short(e, c->name, 24);
		e_puts(e, "</text>\n");
		hs_report_size(c->retained[HS_D_OLD], s1, sizeof(s1));
		hs_report_size(c->retained[HS_D_NEW], s2, sizeof(s2));
		e_printf(e, "<rect class=\"bar before\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"><title>", CHART_LABEL_W, y,
		    k * (double)c->retained[HS_D_OLD], CHART_BAR_H);
		html_text(e, c->name);
		e_printf(e, ": %s</title></rect>\n", s1);
		e_printf(e, "<rect class=\"bar after\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"><title>", CHART_LABEL_W,
		    y + CHART_BAR_H + 1, k * (double)c->retained[HS_D_NEW],
		    CHART_BAR_H);
		html_text(e, c->name);
		e_printf(e, ": %s</title></rect>\n", s2);
		e_printf(e, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s"
		    "</text>\n</g>\n", CHART_LABEL_W + 4 + k *
		    (double)(c->retained[HS_D_OLD] > c->retained[HS_D_NEW] ?
		    c->retained[HS_D_OLD] : c->retained[HS_D_NEW]),
		    y + CHART_BAR_H + 5, s2);
		e_maybe_flush(e);
	}
	e_puts(e, "</svg>\n</section>\n");
}

static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Growth of retained size by class: bars right of the axis, or left. */
static void
html_growth(struct emit *e, const struct dsel *sel)
{
	const double plot = CHART_W - CHART_LABEL_W - 70;
	char s1[32];
	uint64_t up = 0, down = 0;
	double k, axis;
	size_t i;
	int h = (int)sel->count * (CHART_BAR_H + 12) + 8;

	for (i = 0; i < sel->count; i++) {
		int64_t v = sel->rows[i].c->delta_retained;

		if (v > 0 && (uint64_t)v > up)
			up = (uint64_t)v;
		if (v < 0 && magnitude(v) > down)
			down = magnitude(v);
	}
	k = scale_of(up + down, plot);
	axis = CHART_LABEL_W + k * (double)down;
	e_printf(e, "<section>\n<h2>Growth by class</h2>\n<svg "
	    "class=\"chart\" id=\"growth\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"Change of retained size by class\">\n", CHART_W, h);
	e_printf(e, "<line class=\"axis\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" "
	    "y2=\"%d\"/>\n", axis, axis, h);
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;
		int64_t v = c->delta_retained;
		double w = k * (double)magnitude(v);
		int y = (int)i * (CHART_BAR_H + 12) + 6;

		e_printf(e, "<g>\n<text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">", CHART_LABEL_W - 6, y + CHART_BAR_H -
		    1);
		html_short(e, c->name, 24);
		e_puts(e, "</text>\n");
		signed_size(v, s1, sizeof(s1));
		e_printf(e, "<rect class=\"growth %s\" x=\"%.1f\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"><title>", v < 0 ? "down" :
		    "up", v < 0 ? axis - w : axis, y, w, CHART_BAR_H);
		html_text(e, c->name);
		e_printf(e, ": %s</title></rect>\n", s1);
		e_printf(e, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s"
		    "</text>\n</g>\n", (v < 0 ? axis : axis + w) + 4,
		    y + CHART_BAR_H - 1, s1);
		e_maybe_flush(e);
	}
	e_puts(e, "</svg>\n</section>\n");
}

static void
html_table(struct emit *e, const struct hs_diff *d, const struct dsel *sel)
{
	char s1[32], s2[32], s3[32];
	size_t i;
	int leaked = d->ids_used && d->ninputs == 3;

	e_puts(e, "<section>\n<h2>Top offenders</h2>\n<div "
	    "class=\"table-wrap\">\n<table id=\"offenders\">\n<thead><tr>"
	    "<th>Class</th><th>Before</th><th>After</th><th>Change</th>"
	    "<th>Objects</th>");
	if (d->ids_used)
		e_puts(e, "<th>New</th>");
	if (leaked)
		e_puts(e, "<th>Leaked</th>");
	e_puts(e, "<th>Severity</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < sel->count && !e->nomem; i++) {
		const struct hs_diff_class *c = sel->rows[i].c;

		e_puts(e, "<tr><td><span class=\"name\">");
		html_text(e, c->name);
		e_puts(e, "</span>");
		if (c->held_by != NULL) {
			e_puts(e, "<div class=\"held\">");
			html_text(e, c->held_by);
			e_puts(e, "</div>");
		}
		e_printf(e, "</td><td>%s</td><td>%s</td><td>%s</td><td>%+"
		    PRId64 "</td>", hs_report_size(c->retained[HS_D_OLD], s1,
		    sizeof(s1)), hs_report_size(c->retained[HS_D_NEW], s2,
		    sizeof(s2)), signed_size(c->delta_retained, s3,
		    sizeof(s3)), c->delta_count);
		if (d->ids_used)
			e_printf(e, "<td>%" PRIu64 "</td>", c->new_count);
		if (leaked)
			e_printf(e, "<td>%" PRIu64 "</td>", c->leaked_count);
		e_printf(e, "<td class=\"sev %s\">%s</td></tr>\n",
		    hs_severity_name(c->severity), c->severity == HS_SEV_NONE ?
		    "\xe2\x80\x93" : hs_severity_name(c->severity));
		e_maybe_flush(e);
	}
	e_puts(e, "</tbody>\n</table>\n</div>\n");
	if (sel->count < sel->matched)
		e_printf(e, "<p class=\"legend\">%zu more classes not "
		    "shown.</p>\n", sel->matched - sel->count);
	e_puts(e, "</section>\n");
}

static void
render_html(struct emit *e, const struct hs_diff *d, const struct dsel *sel)
{
	size_t i;

	html_header(e, d);
	e_puts(e, "<main>\n");
	html_verdict(e, d);
	if (sel->count > 0) {
		html_bars(e, d, sel);
		html_growth(e, sel);
		html_table(e, d, sel);
	}
	if (d->recommendation_count > 0) {
		e_puts(e, "<section>\n<h2>Recommendations</h2>\n<ul>\n");
		for (i = 0; i < d->recommendation_count; i++) {
			e_puts(e, "<li>");
			html_text(e, d->recommendations[i]);
			e_puts(e, "</li>\n");
		}
		e_puts(e, "</ul>\n</section>\n");
	}
	e_puts(e, "</main>\n<footer>Made by ");
	html_text(e, d->producer ? d->producer : "hs-diff");
	e_puts(e, " and hs-report " HS_VERSION ".</footer>\n</body>\n"
	    "</html>\n");
}

/* ---- dispatch ---- */

int
report_diff(const struct hs_diff *d, const struct hs_report_options *o,
    struct emit *e, char *err, size_t errlen)
{
	struct dsel sel;
	size_t top = o->top;

	if (top == HS_REPORT_TOP_AUTO)
		top = o->format == HS_REPORT_TEXT ||
		    o->format == HS_REPORT_MARKDOWN ||
		    o->format == HS_REPORT_HTML ? HS_REPORT_TOP_DIFF : 0;
	if (select_rows(d, o, top, &sel, err, errlen) == -1)
		return -1;
	switch (o->format) {
	case HS_REPORT_TEXT:
		render_text(e, d, &sel);
		break;
	case HS_REPORT_JSON:
		render_json(e, d, &sel);
		break;
	case HS_REPORT_WEBHOOK:
		render_webhook(e, d, o);
		break;
	case HS_REPORT_TSV:
		render_delimited(e, d, &sel, 0);
		break;
	case HS_REPORT_CSV:
		render_delimited(e, d, &sel, 1);
		break;
	case HS_REPORT_MARKDOWN:
		render_markdown(e, d, &sel);
		break;
	case HS_REPORT_HTML:
		render_html(e, d, &sel);
		break;
	}
	hs_free(sel.rows);
	return 0;
}
