/*
 * report: what hs-report prints, rendered from a summary (hs-summary(5))
 * or a diff (hs-diff(5)) for people (text, markdown, html) or for other
 * programs (tsv, csv, json, webhook).
 *
 *	hs_report_defaults(&o);
 *	o.format = HS_REPORT_TSV;		// and sort, top, filters...
 *	sum = hs_summary_read(path, err, sizeof(err));
 *	if (strcmp(hs_summary_kind(sum), HS_DIFF_FORMAT) != 0)
 *		hs_report(sum, &o, write_fn, sink, err, sizeof(err));
 *	else {					// read it again, as a diff
 *		d = hs_diff_read(path, err, sizeof(err));
 *		hs_report_diff(d, &o, write_fn, sink, err, sizeof(err));
 *	}
 *	// or hs_report_buf(), hs_report_diff_buf() into a buffer
 *
 * The summary reader reads any document of JSON lines with a header, so
 * it tells a summary from a diff by the header's "format"; the diff is
 * then read whole by hs_diff_read().  Summaries are rendered by report.c,
 * diffs by report_diff.c.  Nothing here prints; the caller owns the
 * document, the regexes in the options and the sink.  Output is
 * deterministic: a fixed row order (ties broken by class key), C-locale
 * numbers, no clock, and sizes in decimal units (1 kB = 1000 bytes, as
 * in DevTools).
 */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "zstdio.h"

struct hs_buf;
struct hs_diff;
struct hs_regex;
struct hs_summary;

enum hs_report_format {
	HS_REPORT_TEXT, HS_REPORT_JSON, HS_REPORT_MARKDOWN, HS_REPORT_HTML,
	HS_REPORT_CSV, HS_REPORT_TSV, HS_REPORT_WEBHOOK
};

/*
 * Sizes and counts are those after (the newest input) for a diff; delta
 * (change of retained size) and new (objects new and still alive) are
 * for diffs only, distance for summaries only.  HS_SORT_AUTO, the
 * default, is retained for a summary and hs-diff's rank for a diff.
 */
enum hs_report_sort {
	HS_SORT_RETAINED, HS_SORT_SELF, HS_SORT_COUNT, HS_SORT_DISTANCE,
	HS_SORT_NAME, HS_SORT_DELTA, HS_SORT_NEW, HS_SORT_AUTO
};

/*
 * top: let the format choose (25 rows for a summary's text and markdown,
 * 10 offenders for a diff's text, markdown and html, all else).
 */
#define HS_REPORT_TOP_AUTO	((size_t)-1)
#define HS_REPORT_TOP_TEXT	25
#define HS_REPORT_TOP_DIFF	10

struct hs_report_options {
	enum hs_report_format	 format;
	enum hs_report_sort	 sort;
	size_t			 top;	/* rows at most; 0 is all */
	struct hs_regex		*include;	/* keep names that match */
	struct hs_regex		*exclude;	/* drop names that match */
	int			 color;	/* ANSI colour in text output */
	unsigned		 width;	/* terminal columns; 0: not one */
	size_t			 detail; /* text: classes shown with their
					  * retainers and path */
	const char		*report_url; /* webhook: where the full
					      * report is; or NULL */
};

/* Text and markdown, 10 classes in detail, no colour, no filter. */
void	 hs_report_defaults(struct hs_report_options *);

/* Name <-> enum: the parse functions return 0, or -1 for an unknown name. */
int	 hs_report_format_parse(const char *, enum hs_report_format *);
const char *hs_report_format_name(enum hs_report_format);
int	 hs_report_sort_parse(const char *, enum hs_report_sort *);

/*
 * Renders the summary sum through write_fn.  Returns 0, or -1 with a
 * message in err (empty when the sink failed: the sink reports its own
 * errors).  A diff (read it with hs_diff_read() for hs_report_diff()),
 * another kind of document, a format or sort key for diffs only, or a
 * filter that hits a regex limit is an error.
 */
int	 hs_report(const struct hs_summary *sum,
	    const struct hs_report_options *, hs_write_fn write_fn,
	    void *sink, char *err, size_t errlen);
/* The same, appending to b (which the caller frees). */
int	 hs_report_buf(const struct hs_summary *sum,
	    const struct hs_report_options *, struct hs_buf *b, char *err,
	    size_t errlen);

/*
 * Renders the diff d through write_fn, in any format.  Returns 0, or -1
 * with a message in err (empty when the sink failed): a sort key that is
 * for summaries only, a filter that hits a regex limit, memory.
 */
int	 hs_report_diff(const struct hs_diff *d,
	    const struct hs_report_options *, hs_write_fn write_fn,
	    void *sink, char *err, size_t errlen);
/* The same, appending to b (which the caller frees). */
int	 hs_report_diff_buf(const struct hs_diff *d,
	    const struct hs_report_options *, struct hs_buf *b, char *err,
	    size_t errlen);

/*
 * Renders a trend (hs-trend(5), read with hs_trend_read()) through
 * write_fn: text, markdown, html (line charts), json (its JSON lines),
 * csv, tsv.  Returns 0, or -1 with a message in err (empty when the sink
 * failed).
 */
struct hs_trend;
int	 hs_report_trend(const struct hs_trend *t,
	    const struct hs_report_options *, hs_write_fn write_fn,
	    void *sink, char *err, size_t errlen);

/*
 * Writes bytes as a short human size into buf: "512 B", "7.8 kB",
 * "12.3 MB", "1.1 GB" (decimal units, one decimal, rounded half up).
 * Returns buf.
 */
char	*hs_report_size(uint64_t bytes, char *buf, size_t buflen);

#endif
