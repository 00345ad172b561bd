/*
 * report_trend: hs-report's renderers for a trend (hs-trend(5)): text,
 * markdown, html with inline SVG line charts, json (the trend's own JSON
 * lines), csv and tsv.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diff.h"
#include "report.h"
#include "report_impl.h"
#include "trend.h"

/* Lines drawn in a chart at most, and the chart's geometry in pixels. */
#define CHART_LINES	8
#define CHART_W		720
#define CHART_H		300
#define PLOT_L		78
#define PLOT_R		16
#define PLOT_T		14
#define PLOT_B		34

/* The series kept: the totals (or measures) and the top classes. */
struct tsel {
	const struct hs_trend_series **rows;
	size_t		 count, wholes;	/* wholes: totals and measures */
};

static int
select_series(const struct hs_trend *t, const struct hs_report_options *o,
    size_t top, struct tsel *sel, char *err, size_t errlen)
{
	size_t i, classes = 0;
	int k;

	memset(sel, 0, sizeof(*sel));
	if ((sel->rows = hs_alloc_array(t->series_count + 1,
	    sizeof(*sel->rows))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < t->series_count; i++) {
		const struct hs_trend_series *s = &t->series[i];

		if (s->kind == HS_TK_CLASS) {
			if (top > 0 && classes >= top)
				continue;
			if ((k = report_keep(o, s->name, err, errlen)) == -1) {
				hs_free(sel->rows);
				return -1;
			}
			if (k == 0)
				continue;
			classes++;
		} else
			sel->wholes++;
		sel->rows[sel->count++] = s;
	}
	return 0;
}

static const struct hs_trend_series *
first_leak(const struct tsel *sel)
{
	size_t i;

	for (i = 0; i < sel->count; i++)
		if (sel->rows[i]->kind != HS_TK_TOTAL &&
		    sel->rows[i]->pattern == HS_PAT_LEAK)
			return sel->rows[i];
	return NULL;
}

/* ---- text and json: the library's own ---- */

static int
emit_sink(void *sink, const void *p, size_t n)
{
	struct emit *e = sink;

	e_add(e, p, n);
	e_maybe_flush(e);
	return e->nomem || e->wfail ? -1 : 0;
}

/* A shallow copy of t with only the selected series. */
static int
selected(const struct hs_trend *t, const struct tsel *sel,
    struct hs_trend *copy)
{
	size_t i;

	*copy = *t;
	if ((copy->series = hs_alloc_array(sel->count + 1,
	    sizeof(*copy->series))) == NULL)
		return -1;
	for (i = 0; i < sel->count; i++)
		copy->series[i] = *sel->rows[i];
	copy->series_count = sel->count;
	return 0;
}

static void
render_lib(struct emit *e, const struct hs_trend *t, const struct tsel *sel,
    int json)
{
	struct hs_trend copy;
	struct hs_buf b = { 0 };

	if (selected(t, sel, &copy) == -1) {
		e->nomem = 1;
		return;
	}
	if (json) {
		if (hs_trend_write(&copy, emit_sink, e) == -1 && !e->wfail)
			e->nomem = 1;
	} else if (hs_trend_text(&copy, 0, &b) == -1)
		e->nomem = 1;
	else
		e_add(e, b.data, b.len);
	hs_buf_free(&b);
	hs_free(copy.series);
}

/* ---- csv, tsv ---- */

static void
render_delimited(struct emit *e, const struct hs_trend *t,
    const struct tsel *sel, int csv)
{
	const char *sep = csv ? "," : "\t";
	size_t i, n = t->point_count;

	e_printf(e, "kind%sname%spattern%sseverity%sconfidence%sgrowth%s"
	    "slope%sr2%sgrew%ssurvival%slast\n", sep, sep, sep, sep, sep, sep,
	    sep, sep, sep, sep);
	for (i = 0; i < sel->count; i++) {
		const struct hs_trend_series *s = sel->rows[i];

		e_puts(e, s->kind == HS_TK_TOTAL ? "total" :
		    s->kind == HS_TK_CLASS ? "class" : "measure");
		e_puts(e, sep);
		if (csv)
			csv_field(e, s->name);
		else
			tsv_field(e, s->name);
		e_printf(e, "%s%s%s%s%s%.2f%s%" PRId64 "%s%.3f%s%.3f%s%.3f%s",
		    sep, hs_trend_pattern_name(s->pattern), sep,
		    hs_severity_name(s->severity), sep, s->confidence, sep,
		    s->growth, sep, s->fit.slope, sep, s->fit.r2, sep,
		    s->fit.grew, sep);
		if (s->has_survival)
			e_printf(e, "%.3f", s->survival);
		e_printf(e, "%s%" PRIu64 "\n", sep, s->bytes[n - 1]);
		e_maybe_flush(e);
	}
}

/* ---- markdown ---- */

static void
render_markdown(struct emit *e, const struct hs_trend *t,
    const struct tsel *sel)
{
	const struct hs_trend_series *src = first_leak(sel);
	char g[32], r[32];
	size_t i, n = t->point_count;

	e_puts(e, "### ");
	e_puts(e, src ? ":warning: Memory grows like a leak" :
	    ":white_check_mark: No leak in the series");
	e_printf(e, "\n\n%zu %s over %.1f minutes", t->samples ?
	    t->sample_count : n, t->samples ? "memory samples" : "summaries",
	    t->points[n - 1].minutes);
	if (src != NULL) {
		e_puts(e, "; likely source **");
		md_escape(e, src->name);
		e_printf(e, "** (severity %s, confidence %.2f)",
		    hs_severity_name(src->severity), src->confidence);
	}
	e_puts(e, ".\n\n| name | pattern | confidence | growth | per "
	    "minute | R\xc2\xb2 | grew |\n| --- | --- | ---: | ---: | ---: | "
	    "---: | ---: |\n");
	for (i = 0; i < sel->count; i++) {
		const struct hs_trend_series *s = sel->rows[i];

		hs_report_size(s->growth < 0 ? (uint64_t)0 -
		    (uint64_t)s->growth : (uint64_t)s->growth, g, sizeof(g));
		hs_report_size((uint64_t)fabs(s->fit.slope), r, sizeof(r));
		e_puts(e, "| ");
		md_escape(e, s->name);
		e_printf(e, " | %s | %.2f | %s%s | %s%s | %.3f | %.0f%% |\n",
		    hs_trend_pattern_name(s->pattern), s->confidence,
		    s->growth < 0 ? "-" : "", g, s->fit.slope < 0 ? "-" : "", r,
		    s->fit.r2, s->fit.grew * 100);
	}
}

/* ---- html ---- */

static const char trend_style[] =
"svg.chart polyline{fill:none;stroke-width:2}\n"
"svg.chart circle{stroke:none}\n"
".s0{stroke:#d1495b;fill:#d1495b}.s1{stroke:#2e86ab;fill:#2e86ab}"
".s2{stroke:#edae49;fill:#edae49}.s3{stroke:#3a9d5d;fill:#3a9d5d}"
".s4{stroke:#8e6c8a;fill:#8e6c8a}.s5{stroke:#00798c;fill:#00798c}"
".s6{stroke:#a06b3b;fill:#a06b3b}.s7{stroke:#6c757d;fill:#6c757d}\n"
".key.s0{background:#d1495b}.key.s1{background:#2e86ab}"
".key.s2{background:#edae49}.key.s3{background:#3a9d5d}"
".key.s4{background:#8e6c8a}.key.s5{background:#00798c}"
".key.s6{background:#a06b3b}.key.s7{background:#6c757d}\n"
".pat{font-weight:600}.pat.leak{color:var(--leak)}\n";

static double
x_of(const struct hs_trend *t, size_t i)
{
	return t->timed ? t->points[i].minutes : (double)i;
}

/*
 * One chart: a line per series of rows[0..n), y from 0 to the largest
 * value, x over the points' minutes.
 */
static void
html_chart(struct emit *e, const struct hs_trend *t,
    const struct hs_trend_series *const *rows, size_t n, const char *title)
{
	double xmax = x_of(t, t->point_count - 1), ymax = 0, px, py;
	double pw = CHART_W - PLOT_L - PLOT_R, ph = CHART_H - PLOT_T - PLOT_B;
	char lab[32];
	size_t i, j;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		for (j = 0; j < t->point_count; j++)
			if ((double)rows[i]->bytes[j] > ymax)
				ymax = (double)rows[i]->bytes[j];
	if (ymax <= 0)
		ymax = 1;
	if (xmax <= 0)
		xmax = 1;
	e_puts(e, "<section>\n<h2>");
	html_text(e, title);
	e_puts(e, "</h2>\n<p class=\"legend\">");
	for (i = 0; i < n; i++) {
		e_printf(e, "<span class=\"key s%zu\"></span>", i % CHART_LINES);
		html_text(e, rows[i]->name);
	}
	e_printf(e, "</p>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"", CHART_W, CHART_H);
	html_text(e, title);
	e_puts(e, "\">\n");
	/* Axes, and labels at 0, half and the top. */
	e_printf(e, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", PLOT_L, PLOT_T, PLOT_L, CHART_H - PLOT_B, PLOT_L,
	    CHART_H - PLOT_B, CHART_W - PLOT_R, CHART_H - PLOT_B);
	for (j = 0; j <= 2; j++) {
		double v = ymax * (double)j / 2;

		hs_report_size((uint64_t)(v + 0.5), lab, sizeof(lab));
		e_printf(e, "<text class=\"value\" x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>\n", PLOT_L - 6,
		    PLOT_T + ph - ph * (double)j / 2 + 4, lab);
	}
	e_printf(e, "<text class=\"value\" x=\"%d\" y=\"%d\">0</text>\n"
	    "<text class=\"value\" x=\"%d\" y=\"%d\" text-anchor=\"end\">"
	    "%.1f %s</text>\n", PLOT_L, CHART_H - 10, CHART_W - PLOT_R,
	    CHART_H - 10, x_of(t, t->point_count - 1), t->timed ? "min" :
	    "points");
	for (i = 0; i < n; i++) {
		e_printf(e, "<polyline class=\"series s%zu\" points=\"",
		    i % CHART_LINES);
		for (j = 0; j < t->point_count; j++) {
			px = PLOT_L + pw * x_of(t, j) / xmax;
			py = PLOT_T + ph - ph * (double)rows[i]->bytes[j] /
			    ymax;
			e_printf(e, "%s%.1f,%.1f", j ? " " : "", px, py);
		}
		e_puts(e, "\"><title>");
		html_text(e, rows[i]->name);
		e_puts(e, "</title></polyline>\n");
		for (j = 0; j < t->point_count; j++) {
			px = PLOT_L + pw * x_of(t, j) / xmax;
			py = PLOT_T + ph - ph * (double)rows[i]->bytes[j] /
			    ymax;
			e_printf(e, "<circle class=\"s%zu\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"2.5\"/>\n", i % CHART_LINES, px,
			    py);
		}
		e_maybe_flush(e);
	}
	e_puts(e, "</svg>\n</section>\n");
}

static void
html_table(struct emit *e, const struct hs_trend *t, const struct tsel *sel)
{
	char g[32], r[32], l[32];
	size_t i, n = t->point_count;

	e_puts(e, "<section>\n<h2>Series</h2>\n<div class=\"table-wrap\">"
	    "<table>\n<thead><tr><th>Name</th><th>Pattern</th>"
	    "<th>Confidence</th><th>Growth</th><th>Per minute</th>"
	    "<th>R\xc2\xb2</th><th>Grew</th><th>Survival</th><th>Last</th>"
	    "</tr></thead>\n<tbody>\n");
	for (i = 0; i < sel->count; i++) {
		const struct hs_trend_series *s = sel->rows[i];

		hs_report_size(s->growth < 0 ? (uint64_t)0 -
		    (uint64_t)s->growth : (uint64_t)s->growth, g, sizeof(g));
		hs_report_size((uint64_t)fabs(s->fit.slope), r, sizeof(r));
		hs_report_size(s->bytes[n - 1], l, sizeof(l));
		e_puts(e, "<tr><td>");
		html_text(e, s->name);
		e_printf(e, "</td><td><span class=\"pat %s\">%s</span></td>"
		    "<td>%.2f</td><td>%s%s</td><td>%s%s</td><td>%.3f</td>"
		    "<td>%.0f%%</td><td>", hs_trend_pattern_name(s->pattern),
		    hs_trend_pattern_name(s->pattern), s->confidence,
		    s->growth < 0 ? "-" : "", g, s->fit.slope < 0 ? "-" : "",
		    r, s->fit.r2, s->fit.grew * 100);
		if (s->has_survival)
			e_printf(e, "%.0f%%", s->survival * 100);
		else
			e_puts(e, "-");
		e_printf(e, "</td><td>%s</td></tr>\n", l);
		e_maybe_flush(e);
	}
	e_puts(e, "</tbody></table></div>\n</section>\n");
}

static void
render_html(struct emit *e, const struct hs_trend *t, const struct tsel *sel)
{
	const struct hs_trend_series *src = first_leak(sel);
	const struct hs_trend_series *lines[CHART_LINES];
	size_t i, n = 0, nw;

	e_puts(e, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>Memory trend report</title>\n<style>\n");
	e_puts(e, html_style);
	e_puts(e, trend_style);
	e_puts(e, "</style>\n</head>\n<body>\n<header>\n"
	    "<h1>Memory trend report</h1>\n<ul class=\"inputs\">\n");
	if (t->samples)
		e_printf(e, "<li>%zu memory samples, as %zu windows</li>\n",
		    t->sample_count, t->point_count);
	for (i = 0; !t->samples && i < t->point_count; i++) {
		e_puts(e, "<li>");
		html_text(e, t->points[i].name ? t->points[i].name : "?");
		if (t->points[i].time != NULL) {
			e_puts(e, " (");
			html_text(e, t->points[i].time);
			e_puts(e, ")");
		}
		e_puts(e, "</li>\n");
	}
	e_puts(e, "</ul>\n</header>\n<main>\n");
	e_printf(e, "<section class=\"verdict %s\">\n<h2>%s</h2>\n<p>",
	    src ? "leak" : "ok", src ? "Memory grows like a leak" :
	    "No leak in the series");
	if (src != NULL) {
		e_puts(e, "Likely source: <strong>");
		html_text(e, src->name);
		e_printf(e, "</strong> (severity <span class=\"sev %s\">%s"
		    "</span>, confidence %.2f).", hs_severity_name(
		    src->severity), hs_severity_name(src->severity),
		    src->confidence);
	} else
		e_puts(e, "No class grew in every interval with objects that "
		    "survive.");
	e_puts(e, "</p>\n</section>\n");
	/* The whole heap (or the measures), then the top classes. */
	nw = sel->wholes < CHART_LINES ? sel->wholes : CHART_LINES;
	html_chart(e, t, sel->rows, nw, t->samples ? "Memory (lowest in "
	    "each window)" : "Whole heap");
	for (i = sel->wholes; i < sel->count && n < CHART_LINES; i++)
		lines[n++] = sel->rows[i];
	html_chart(e, t, lines, n, "Top classes (retained size)");
	html_table(e, t, sel);
	e_puts(e, "</main>\n<footer>Made by ");
	html_text(e, t->producer ? t->producer : "hs-trend");
	e_puts(e, " and hs-report " HS_VERSION ".</footer>\n</body>\n"
	    "</html>\n");
}

/* ---- dispatch ---- */

int
report_trend(const struct hs_trend *t, const struct hs_report_options *o,
    struct emit *e, char *err, size_t errlen)
{
	struct tsel sel;
	size_t top = o->top;

	if (o->format == HS_REPORT_WEBHOOK) {
		snprintf(err, errlen, "--format webhook is for diffs, not "
		    "trends");
		return -1;
	}
	if (o->sort != HS_SORT_AUTO) {
		snprintf(err, errlen, "--sort is for summaries and diffs: a "
		    "trend keeps hs-trend's rank");
		return -1;
	}
	if (top == HS_REPORT_TOP_AUTO)
		top = o->format == HS_REPORT_TEXT ||
		    o->format == HS_REPORT_MARKDOWN ||
		    o->format == HS_REPORT_HTML ? HS_REPORT_TOP_DIFF : 0;
	if (select_series(t, o, top, &sel, err, errlen) == -1)
		return -1;
	switch (o->format) {
	case HS_REPORT_TEXT:
		render_lib(e, t, &sel, 0);
		break;
	case HS_REPORT_JSON:
		render_lib(e, t, &sel, 1);
		break;
	case HS_REPORT_TSV:
		render_delimited(e, t, &sel, 0);
		break;
	case HS_REPORT_CSV:
		render_delimited(e, t, &sel, 1);
		break;
	case HS_REPORT_MARKDOWN:
		render_markdown(e, t, &sel);
		break;
	case HS_REPORT_HTML:
	case HS_REPORT_WEBHOOK:
		render_html(e, t, &sel);
		break;
	}
	hs_free(sel.rows);
	return 0;
}
