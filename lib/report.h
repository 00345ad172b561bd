/*
 * report: what hs-report prints, rendered from a summary (hs-summary(5))
 * for people (text, markdown) or for other programs (tsv, csv, json).
 *
 *	hs_report_defaults(&o);
 *	o.format = HS_REPORT_TSV;		// and sort, top, filters...
 *	sum = hs_summary_read(path, err, sizeof(err));
 *	hs_report(sum, &o, write_fn, sink, err, sizeof(err));
 *	// or hs_report_buf(sum, &o, &buf, err, sizeof(err));
 *
 * hs_report() looks at the header's "format" and hands the document to the
 * renderer for that kind: summaries now, diffs later (a diff renderer goes
 * beside the summary one and is picked the same way).  Nothing here
 * prints; the caller owns the summary, the regexes in the options and the
 * sink.  Output is deterministic: a fixed row order (ties broken by class
 * key), C-locale numbers, and sizes in decimal units (1 kB = 1000 bytes,
 * as in DevTools).
 */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "zstdio.h"

struct hs_buf;
struct hs_regex;
struct hs_summary;

enum hs_report_format {
	HS_REPORT_TEXT, HS_REPORT_JSON, HS_REPORT_MARKDOWN, HS_REPORT_HTML,
	HS_REPORT_CSV, HS_REPORT_TSV, HS_REPORT_WEBHOOK
};

enum hs_report_sort {
	HS_SORT_RETAINED, HS_SORT_SELF, HS_SORT_COUNT, HS_SORT_DISTANCE,
	HS_SORT_NAME
};

/* top: let the format choose (25 rows for text and markdown, all else). */
#define HS_REPORT_TOP_AUTO	((size_t)-1)
#define HS_REPORT_TOP_TEXT	25

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
};

/* Text and markdown, 10 classes in detail, no colour, no filter. */
void	 hs_report_defaults(struct hs_report_options *);

/* Name <-> enum: the parse functions return 0, or -1 for an unknown name. */
int	 hs_report_format_parse(const char *, enum hs_report_format *);
const char *hs_report_format_name(enum hs_report_format);
int	 hs_report_sort_parse(const char *, enum hs_report_sort *);

/*
 * Renders sum through write_fn.  Returns 0, or -1 with a message in err
 * (empty when the sink failed: the sink reports its own errors).  A diff,
 * another kind of document, a format that does not apply to this kind, or
 * a filter that hits a regex limit is an error.
 */
int	 hs_report(const struct hs_summary *sum,
	    const struct hs_report_options *, hs_write_fn write_fn,
	    void *sink, char *err, size_t errlen);
/* The same, appending to b (which the caller frees). */
int	 hs_report_buf(const struct hs_summary *sum,
	    const struct hs_report_options *, struct hs_buf *b, char *err,
	    size_t errlen);

/*
 * Writes bytes as a short human size into buf: "512 B", "7.8 kB",
 * "12.3 MB", "1.1 GB" (decimal units, one decimal, rounded half up).
 * Returns buf.
 */
char	*hs_report_size(uint64_t bytes, char *buf, size_t buflen);

#endif
