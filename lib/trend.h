/*
 * trend: how classes grow across a series of summaries of one process, or
 * how a process's memory grows across memory samples (hs-samples(5)); the
 * hs-trend file format (hs-trend(5)) that keeps the answer.
 *
 *	hs_trend_defaults(&o);			// thresholds, filters
 *	t = hs_trend_new();
 *	if (hs_trend_summaries(t, sums, n, &o) == -1)	// n >= 3, any order
 *		... hs_trend_error(t) ...
 *	// or: hs_samples_read(path, &smp, ...); hs_trend_samples(t, &smp, &o)
 *	hs_trend_write(t, write_fn, sink);	// JSON lines
 *	hs_trend_text(t, top, &buf);		// the table for people
 *	hs_trend_free(t);
 *
 *	t = hs_trend_read(path, err, sizeof(err));	// a file written above
 *
 * Each series (a class, the whole heap, or a measure of the samples) gets
 * a least-squares line and, when its values are all positive, a line
 * through their logarithms; the fraction of intervals in which it grew;
 * for summaries with object ids, the part of its new objects that survive
 * to the last summary; and from these a pattern (stable, linear,
 * exponential, spike, leak) by the rules of hs-trend(1).  Nothing here
 * prints.
 */
#ifndef HS_TREND_H
#define HS_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "zstdio.h"

#define HS_TREND_FORMAT		"hs-trend"
#define HS_TREND_VERSION	1

/* Samples are cut into this many windows at most (their lowest values). */
#define HS_TREND_WINDOWS	10

struct hs_regex;
struct hs_summary;

enum hs_trend_pattern {
	HS_PAT_STABLE, HS_PAT_SPIKE, HS_PAT_LINEAR, HS_PAT_EXPONENTIAL,
	HS_PAT_LEAK
};

enum hs_trend_kind { HS_TK_TOTAL, HS_TK_CLASS, HS_TK_MEASURE };

struct hs_trend_options {
	uint64_t	 threshold;	/* bytes of growth; default 10 MiB */
	uint64_t	 min_count;	/* objects more; default 0 */
	struct hs_regex	*include;	/* keep class names that match */
	struct hs_regex	*exclude;	/* drop class names that match */
	size_t		 top;		/* class series at most; 0: all */
	const char	*producer;	/* "hs-trend 0.1.0" */
};

/* One input: a summary, or a window of samples. */
struct hs_trend_point {
	char		*name;		/* the summary's source, or NULL */
	char		*time;		/* RFC 3339, or NULL */
	double		 minutes;	/* since the first point */
	uint64_t	 max_object_id;	/* summaries */
};

/* What fitting a series tells (see hs_trend_fit()). */
struct hs_trend_fit {
	double		 slope;		/* per minute (per point without times) */
	double		 r2;		/* of the line, [0, 1] */
	int		 has_exp;	/* all values > 0 */
	double		 exp_rate;	/* slope of ln(value), per minute */
	double		 exp_r2;
	double		 grew;		/* intervals that grew / intervals */
	double		 early, late;	/* slopes of the two halves */
};

struct hs_trend_series {
	enum hs_trend_kind kind;
	char		*key, *name;
	uint64_t	*bytes;		/* one per point */
	uint64_t	*count;		/* one per point, or NULL */
	int64_t		 growth, count_growth;	/* last - first */
	struct hs_trend_fit fit;	/* of bytes */
	double		 count_slope;	/* per minute */
	int		 has_survival;
	uint64_t	 new_objects, survivors;
	double		 survival;
	enum hs_trend_pattern pattern;
	enum hs_severity severity;	/* leaks only */
	double		 confidence;	/* that it leaks, [0, 1] */
	double		 score;		/* ranking (not in the file) */
};

struct hs_trend {
	int		 samples;	/* input: 0 summaries, 1 samples */
	size_t		 sample_count;	/* samples read */
	int		 timed;		/* every point has a time */
	struct hs_trend_point *points;
	size_t		 point_count;
	int		 ids_used;
	char		*ids_skipped;	/* why not, or NULL */
	char		*producer;
	uint64_t	 threshold, min_count;
	/* The verdict. */
	enum hs_severity severity;	/* the highest leak's */
	size_t		 leaks;		/* series classified leak */
	/* Totals (or measures) first, then classes in rank order. */
	struct hs_trend_series *series;
	size_t		 series_count, series_cap;
	uint64_t	 classes_compared, classes_filtered, classes_cut;
	char		 err[512];
};

/* Memory samples as read from hs-samples(5) files. */
#define HS_SAMPLE_MEASURES	5
struct hs_sample {
	double		 when;		/* seconds since 1970 */
	char		 time[40];	/* as written (validated) */
	uint64_t	 v[HS_SAMPLE_MEASURES];
	unsigned	 has;		/* bit i: v[i] present */
};
struct hs_samples {
	struct hs_sample *v;
	size_t		 n, cap;
};
/* "heap_used", "heap_total", "rss", "external", "array_buffers" */
extern const char *const hs_sample_measures[HS_SAMPLE_MEASURES];

void		 hs_trend_defaults(struct hs_trend_options *);
struct hs_trend	*hs_trend_new(void);
void		 hs_trend_free(struct hs_trend *);
const char	*hs_trend_error(const struct hs_trend *);

/*
 * A trend from n >= 3 summaries of one process, in any order: they are
 * put in order of capture time, then of largest object id.  Returns 0, or
 * -1 with a message in hs_trend_error(): fewer than 3, summaries of
 * different processes, a regex that hit its limits, memory.
 */
int		 hs_trend_summaries(struct hs_trend *,
		    struct hs_summary *const *sums, size_t n,
		    const struct hs_trend_options *);

/*
 * Appends the samples of a file (hs-samples(5); "-" is stdin) to s.
 * Returns 1, or 0 when the file is a summary instead (nothing appended),
 * or -1 with "byte N: ..." or a plain message in err.
 */
int		 hs_samples_read(const char *path, struct hs_samples *s,
		    char *err, size_t errlen);
void		 hs_samples_free(struct hs_samples *);

/*
 * A trend from samples (at least 3, any order: sorted by time).  Returns
 * 0, or -1 with a message in hs_trend_error().
 */
int		 hs_trend_samples(struct hs_trend *, struct hs_samples *,
		    const struct hs_trend_options *);

/*
 * Fits n values y at times x (minutes) and fills f; an interval counts as
 * grown when y went up and, with counts (or NULL), the count too.
 */
void		 hs_trend_fit(const double *x, const uint64_t *y,
		    const uint64_t *count, size_t n, struct hs_trend_fit *f);
/*
 * Classifies a fitted series by the rules of hs-trend(1): growth is last
 * minus first, peak the largest value and its index; survival < 0 when
 * unknown.  Sets pattern and confidence.
 */
void		 hs_trend_classify(const struct hs_trend_fit *f,
		    const uint64_t *y, size_t n, double survival,
		    uint64_t threshold, enum hs_trend_pattern *pattern,
		    double *confidence);

/*
 * Writes the trend as plain JSON lines (hs-trend(5)) through write_fn.
 * Returns 0, or -1 with a message in hs_trend_error() (empty when the sink
 * failed: the sink reports its own errors).
 */
int		 hs_trend_write(struct hs_trend *, hs_write_fn write_fn,
		    void *sink);
/* Reads a file written above.  Returns NULL with a message in err. */
struct hs_trend	*hs_trend_read(const char *path, char *err, size_t errlen);

/*
 * Appends the verdict and the table for people; top limits the class
 * rows (0: all).  Returns 0, or -1 when memory runs out.
 */
int		 hs_trend_text(const struct hs_trend *, size_t top,
		    struct hs_buf *b);

/* "stable", "spike", ...; parse returns 0, or -1 for an unknown name. */
const char	*hs_trend_pattern_name(enum hs_trend_pattern);
int		 hs_trend_pattern_parse(const char *, enum hs_trend_pattern *);

#endif
