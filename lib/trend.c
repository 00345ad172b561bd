/*
 * trend: growth patterns across a series of summaries or memory samples,
 * and the hs-trend file format (see trend.h, man/hs-trend.1 and
 * man/hs-trend.5).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diff.h"
#include "jv.h"
#include "lines.h"
#include "records.h"
#include "regex.h"
#include "report.h"
#include "summary.h"
#include "trend.h"

/* The rules of hs-trend(1), Patterns. */
#define LEAK_MIN_R2		0.9	/* a leak's line, without ids */
#define LEAK_MIN_SURVIVAL	0.5	/* a leak's new objects that survive */
#define EXP_MIN_R2		0.9	/* an exponential's fit of logs */
#define EXP_MIN_SPEEDUP		2.0	/* late slope / early slope */
#define STOPPED_RATIO		0.25	/* late slope / early slope, below */
/* Confidence weights: intervals that grew, fit, survival. */
#define W_GREW			0.4
#define W_FIT			0.3
#define W_SURV			0.3
/* Samples' records are small: a bound for a hostile line's tree. */
#define SAMPLE_TREE_MAX		(1u << 20)

const char *const hs_sample_measures[HS_SAMPLE_MEASURES] = {
	"heap_used", "heap_total", "rss", "external", "array_buffers"
};

static const char *const pattern_names[] = {
	[HS_PAT_STABLE] = "stable",
	[HS_PAT_SPIKE] = "spike",
	[HS_PAT_LINEAR] = "linear",
	[HS_PAT_EXPONENTIAL] = "exponential",
	[HS_PAT_LEAK] = "leak",
};

static const char *const kind_names[] = {
	[HS_TK_TOTAL] = "total",
	[HS_TK_CLASS] = "class",
	[HS_TK_MEASURE] = "measure",
};

const char *
hs_trend_pattern_name(enum hs_trend_pattern p)
{
	return (unsigned)p <= HS_PAT_LEAK ? pattern_names[p] : "stable";
}

int
hs_trend_pattern_parse(const char *s, enum hs_trend_pattern *out)
{
	int i;

	for (i = 0; i <= HS_PAT_LEAK; i++)
		if (strcmp(s, pattern_names[i]) == 0) {
			*out = (enum hs_trend_pattern)i;
			return 0;
		}
	return -1;
}

void
hs_trend_defaults(struct hs_trend_options *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 10ull * HS_MIB;
}

struct hs_trend *
hs_trend_new(void)
{
	return hs_calloc(1, sizeof(struct hs_trend));
}

const char *
hs_trend_error(const struct hs_trend *t)
{
	return t->err;
}

static void
series_free(struct hs_trend_series *s)
{
	hs_free(s->key);
	hs_free(s->name);
	hs_free(s->bytes);
	hs_free(s->count);
}

void
hs_trend_free(struct hs_trend *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->point_count; i++) {
		hs_free(t->points[i].name);
		hs_free(t->points[i].time);
	}
	hs_free(t->points);
	for (i = 0; i < t->series_count; i++)
		series_free(&t->series[i]);
	hs_free(t->series);
	hs_free(t->ids_skipped);
	hs_free(t->producer);
	hs_free(t);
}

static int
fail(struct hs_trend *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int
oom(struct hs_trend *t)
{
	return fail(t, "out of memory");
}

/* ---- times ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Parses an RFC 3339 time, "2026-11-22T05:30:00.123Z" (a zone of Z or
 * +hh:mm; none is taken as UTC, as hs-summarize writes times it takes
 * from file names) into seconds since 1970.  Returns 0, or -1.
 */
static int
parse_time(const char *s, double *out)
{
	unsigned y, mo, d, h, mi, sec, zh, zm;
	double frac = 0, scale = 0.1;
	int64_t days;
	int off = 0;
	const char *p;

	if (strlen(s) < 19 || digits(s, 4, &y) == -1 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    digits(s + 8, 2, &d) == -1 ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) == -1 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) == -1 || s[16] != ':' ||
	    digits(s + 17, 2, &sec) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		if (digits(p + 1, 2, &zh) == -1 || p[3] != ':' ||
		    digits(p + 4, 2, &zm) == -1 || zh > 23 || zm > 59)
			return -1;
		off = (int)(zh * 60 + zm) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p != '\0')
		return -1;
	days = days_from_civil(y, mo, d);
	*out = (double)days * 86400 + h * 3600.0 + mi * 60.0 + sec + frac -
	    off * 60.0;
	return 0;
}

/* Seconds since 1970 as "2026-11-22T05:30:00.123Z" (milliseconds). */
static void
format_time(double when, char *buf, size_t len)
{
	int64_t ms = (int64_t)floor(when * 1000 + 0.5), days, y;
	int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	unsigned m, d, rest;

	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rest = (unsigned)(secs - days * 86400);
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u.%03uZ",
	    y, m, d, rest / 3600, rest / 60 % 60, rest % 60,
	    (unsigned)(ms - secs * 1000));
}

/* ---- fitting and classifying ---- */

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The value fitted: y, or its logarithm. */
static double
value(const uint64_t *y, size_t i, int logs)
{
	return logs ? log((double)y[i]) : (double)y[i];
}

/*
 * Least squares of y (or of ln y) on x: slope and R^2 (1 when the line is
 * exact, a flat series included).
 */
static void
line_fit(const double *x, const uint64_t *y, size_t n, int logs,
    double *slope, double *r2)
{
	double mx = 0, mv = 0, sxx = 0, sxv = 0, svv = 0, dx, dv;
	size_t i;

	for (i = 0; i < n; i++) {
		mx += x[i];
		mv += value(y, i, logs);
	}
	mx /= (double)n;
	mv /= (double)n;
	for (i = 0; i < n; i++) {
		dx = x[i] - mx;
		dv = value(y, i, logs) - mv;
		sxx += dx * dx;
		sxv += dx * dv;
		svv += dv * dv;
	}
	*slope = sxx > 0 ? sxv / sxx : 0;
	if (svv <= 0)
		*r2 = 1;
	else if (sxx <= 0)
		*r2 = 0;
	else
		*r2 = clamp01(sxv * sxv / (sxx * svv));
}

/* Slope between points a and b, by time (by index without times). */
static double
between(const double *x, const uint64_t *y, size_t a, size_t b)
{
	double dy = (double)y[b] - (double)y[a], dx = x[b] - x[a];

	return dx > 0 ? dy / dx : dy / (double)(b - a);
}

void
hs_trend_fit(const double *x, const uint64_t *y, const uint64_t *count,
    size_t n, struct hs_trend_fit *f)
{
	size_t i, grew = 0, m;

	memset(f, 0, sizeof(*f));
	if (n < 2)
		return;
	f->has_exp = 1;
	for (i = 0; i < n; i++) {
		if (y[i] == 0)
			f->has_exp = 0;
		if (i > 0 && y[i] > y[i - 1] &&
		    (count == NULL || count[i] > count[i - 1]))
			grew++;
	}
	line_fit(x, y, n, 0, &f->slope, &f->r2);
	if (f->has_exp)
		line_fit(x, y, n, 1, &f->exp_rate, &f->exp_r2);
	f->grew = (double)grew / (double)(n - 1);
	m = (n - 1) / 2;
	f->early = between(x, y, 0, m);
	f->late = between(x, y, m, n - 1);
}

void
hs_trend_classify(const struct hs_trend_fit *f, const uint64_t *y, size_t n,
    double survival, uint64_t threshold, enum hs_trend_pattern *pattern,
    double *confidence)
{
	double growth, rise, fall, top, fit;
	size_t i, peak = 0;

	*pattern = HS_PAT_STABLE;
	*confidence = 0;
	if (n < 2)
		return;
	for (i = 1; i < n; i++)
		if (y[i] > y[peak])
			peak = i;
	top = (double)y[peak];
	growth = (double)y[n - 1] - (double)y[0];
	rise = top - (double)y[0];
	fall = top - (double)y[n - 1];
	if (peak > 0 && peak < n - 1 && rise > 0 && rise >= (double)threshold &&
	    fall >= (double)threshold && 2 * fall >= rise) {
		*pattern = HS_PAT_SPIKE;
		return;
	}
	if (growth <= 0 || growth < (double)threshold)
		return;
	if (f->early > 0 && f->late < STOPPED_RATIO * f->early)
		return;
	if (f->grew >= 1 && (survival < 0 ? f->r2 >= LEAK_MIN_R2 :
	    survival >= LEAK_MIN_SURVIVAL))
		*pattern = HS_PAT_LEAK;
	else if (f->has_exp && f->exp_r2 >= EXP_MIN_R2 && f->exp_r2 > f->r2 &&
	    f->late >= EXP_MIN_SPEEDUP * f->early)
		*pattern = HS_PAT_EXPONENTIAL;
	else
		*pattern = HS_PAT_LINEAR;
	fit = f->r2;
	if (f->has_exp && f->exp_r2 > fit)
		fit = f->exp_r2;
	*confidence = W_GREW * f->grew + W_FIT * clamp01(fit) +
	    W_SURV * (survival < 0 ? 0 : clamp01(survival));
	*confidence = floor(*confidence * 100 + 0.5) / 100;
}

/* ---- building ---- */

static struct hs_trend_series *
add_series(struct hs_trend *t, enum hs_trend_kind kind, const char *key,
    const char *name, int with_count)
{
	struct hs_trend_series *s;
	size_t n = t->point_count;

	if (hs_grow(&t->series, &t->series_cap, t->series_count + 1,
	    sizeof(*t->series)) == -1)
		return NULL;
	s = &t->series[t->series_count];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	if ((s->key = hs_strdup(key)) == NULL ||
	    (s->name = hs_strdup(name)) == NULL ||
	    (s->bytes = hs_calloc(n, sizeof(uint64_t))) == NULL ||
	    (with_count && (s->count = hs_calloc(n, sizeof(uint64_t))) ==
	    NULL)) {
		series_free(s);
		return NULL;
	}
	t->series_count++;
	return s;
}

static double score_of(const struct hs_trend_series *, size_t);

/* Fits and classifies every series.  Returns 0, or -1 on memory. */
static int
judge_all(struct hs_trend *t)
{
	double *x;
	size_t i, n = t->point_count;

	if ((x = hs_alloc_array(n, sizeof(double))) == NULL)
		return oom(t);
	for (i = 0; i < n; i++)
		x[i] = t->timed ? t->points[i].minutes : (double)i;
	for (i = 0; i < t->series_count; i++) {
		struct hs_trend_series *s = &t->series[i];
		struct hs_trend_fit cf;
		uint64_t more;

		s->growth = (int64_t)s->bytes[n - 1] - (int64_t)s->bytes[0];
		hs_trend_fit(x, s->bytes, s->count, n, &s->fit);
		if (s->count != NULL) {
			s->count_growth = (int64_t)s->count[n - 1] -
			    (int64_t)s->count[0];
			hs_trend_fit(x, s->count, NULL, n, &cf);
			s->count_slope = cf.slope;
		}
		/* With ids, no new objects is no survival. */
		hs_trend_classify(&s->fit, s->bytes, n, s->has_survival ?
		    s->survival : t->ids_used ? 0 : -1, t->threshold,
		    &s->pattern, &s->confidence);
		s->score = score_of(s, n);
		/* --min-count: objects more, as hs-diff counts them. */
		more = s->has_survival ? s->survivors : s->count_growth > 0 ?
		    (uint64_t)s->count_growth : 0;
		if (s->count != NULL && more < t->min_count &&
		    s->pattern != HS_PAT_SPIKE) {
			s->pattern = HS_PAT_STABLE;
			s->confidence = 0;
		}
		if (s->pattern == HS_PAT_LEAK) {
			s->severity = hs_diff_severity((uint64_t)s->growth,
			    s->bytes[0]);
			if (s->kind != HS_TK_TOTAL) {
				t->leaks++;
				if (s->severity > t->severity)
					t->severity = s->severity;
			}
		}
	}
	hs_free(x);
	return 0;
}

/*
 * The ranking score, as hs-diff's: growth weighted by the part of the
 * class's objects that are new (count growth over the last count), so
 * that the class of the leaking objects comes before the old containers
 * that hold them.
 */
static double
score_of(const struct hs_trend_series *s, size_t n)
{
	double f = 1;

	if (s->growth <= 0)
		return 0;
	if (s->count != NULL)
		f = s->count[n - 1] == 0 || s->count_growth <= 0 ? 0 :
		    clamp01((double)s->count_growth / (double)s->count[n - 1]);
	return (double)s->growth * (0.1 + 0.9 * f);
}

static int
pattern_rank(enum hs_trend_pattern p)
{
	static const int rank[] = {
		[HS_PAT_LEAK] = 0, [HS_PAT_EXPONENTIAL] = 1,
		[HS_PAT_LINEAR] = 2, [HS_PAT_SPIKE] = 3, [HS_PAT_STABLE] = 4,
	};

	return rank[p];
}

static int
cmp_series(const void *a, const void *b)
{
	const struct hs_trend_series *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind == HS_TK_CLASS ? 1 : -1;
	if (x->kind != HS_TK_CLASS)
		return 0;
	if (x->pattern != y->pattern)
		return pattern_rank(x->pattern) - pattern_rank(y->pattern);
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Ranks and cuts the class series (totals and measures stay first). */
static void
rank(struct hs_trend *t, size_t top)
{
	size_t i, first = 0;

	/* Stable: totals and measures keep their order. */
	for (i = 0; i < t->series_count; i++)
		if (t->series[i].kind != HS_TK_CLASS)
			first = i + 1;
	qsort(t->series + first, t->series_count - first,
	    sizeof(*t->series), cmp_series);
	if (top > 0 && t->series_count - first > top) {
		for (i = first + top; i < t->series_count; i++)
			series_free(&t->series[i]);
		t->classes_cut = t->series_count - first - top;
		t->series_count = first + top;
	}
}

static int
name_kept(struct hs_trend *t, const struct hs_trend_options *o,
    const char *name, int *keep)
{
	size_t len = strlen(name);
	int m;

	*keep = 1;
	if (o->include != NULL) {
		if ((m = hs_regex_match(o->include, name, len)) == -1)
			return fail(t, "--include: the pattern hit its "
			    "limits");
		if (m == 0)
			*keep = 0;
	}
	if (*keep && o->exclude != NULL) {
		if ((m = hs_regex_match(o->exclude, name, len)) == -1)
			return fail(t, "--exclude: the pattern hit its "
			    "limits");
		if (m == 1)
			*keep = 0;
	}
	return 0;
}

static int
start(struct hs_trend *t, const struct hs_trend_options *o, size_t points)
{
	t->threshold = o->threshold;
	t->min_count = o->min_count;
	if ((t->producer = hs_strdup(o->producer ? o->producer :
	    "hs-trend")) == NULL ||
	    (t->points = hs_calloc(points, sizeof(*t->points))) == NULL)
		return oom(t);
	t->point_count = points;
	return 0;
}

/* ---- summaries ---- */

struct sum_order {
	struct hs_summary *s;
	size_t		 index;		/* as given */
	double		 when;
	int		 timed;
	uint64_t	 max_id;
};

static int
cmp_order(const void *a, const void *b)
{
	const struct sum_order *x = a, *y = b;

	if (x->timed && y->timed && x->when != y->when)
		return x->when < y->when ? -1 : 1;
	if (x->max_id != y->max_id)
		return x->max_id < y->max_id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static uint64_t
header_u64(const struct hs_summary *s, const char *key)
{
	int64_t v;

	return hs_jv_get_int(s->header, key, 0, INT64_MAX, &v) == 0 ?
	    (uint64_t)v : 0;
}

/* One class of one summary, for grouping by key. */
struct entry {
	const struct hs_summary_class *c;
	size_t		 point;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->c->key, y->c->key);

	if (c != 0)
		return c;
	return x->point < y->point ? -1 : x->point > y->point;
}

static int
ascending(const struct hs_summary_class *c)
{
	size_t j;

	for (j = 1; j < c->id_count; j++)
		if (c->ids[j] <= c->ids[j - 1])
			return 0;
	return 1;
}

/*
 * Objects of class cls[i] whose ids cls[i - 1] does not hold (new at
 * point i), and how many of them cls[last] holds, for 0 < i < last.  Ids
 * are ascending, so this is a merge.
 */
static void
survival(const struct hs_summary_class *const *cls, size_t n,
    uint64_t *new_objects, uint64_t *survivors)
{
	const struct hs_summary_class *last = cls[n - 1];
	size_t i, j, a, l;

	*new_objects = *survivors = 0;
	for (i = 1; i + 1 < n; i++) {
		const struct hs_summary_class *prev = cls[i - 1], *cur = cls[i];

		if (cur == NULL)
			continue;
		for (j = a = l = 0; j < cur->id_count; j++) {
			uint32_t id = cur->ids[j];

			while (prev != NULL && a < prev->id_count &&
			    prev->ids[a] < id)
				a++;
			if (prev != NULL && a < prev->id_count &&
			    prev->ids[a] == id)
				continue;
			(*new_objects)++;
			while (last != NULL && l < last->id_count &&
			    last->ids[l] < id)
				l++;
			if (last != NULL && l < last->id_count &&
			    last->ids[l] == id)
				(*survivors)++;
		}
	}
}

/* A path as the tools name it: "-" is "(stdin)". */
static const char *
display(const char *path)
{
	return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

/* Checks each summary against the next: one process, or an error. */
static int
same_process(struct hs_trend *t, struct sum_order *ord, size_t n)
{
	struct hs_summary *pair[2];
	const char *why = NULL;
	size_t i, j;
	int r;

	for (i = 0; i < n; i++)
		if (!ord[i].s->has_ids)
			break;
	if (i < n) {
		if ((t->ids_skipped = hs_strdup("a summary has no object ids "
		    "(made with --no-ids)")) == NULL)
			return oom(t);
		return 0;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < ord[i].s->class_count; j++)
			if (!ascending(&ord[i].s->classes[j])) {
				if ((t->ids_skipped = hs_strdup("a summary's "
				    "ids are not in ascending order")) ==
				    NULL)
					return oom(t);
				return 0;
			}
	for (i = 0; i + 1 < n; i++) {
		pair[0] = ord[i].s;
		pair[1] = ord[i + 1].s;
		if ((r = hs_diff_same_process(pair, 2, &why)) == -1)
			return oom(t);
		if (r == 0)
			return fail(t, "%s and %s: not one process: %s",
			    display(pair[0]->path), display(pair[1]->path), why);
	}
	t->ids_used = 1;
	return 0;
}

int
hs_trend_summaries(struct hs_trend *t, struct hs_summary *const *sums,
    size_t n, const struct hs_trend_options *o)
{
	struct sum_order *ord = NULL;
	struct entry *ent = NULL;
	const struct hs_summary_class **cls = NULL;
	struct hs_trend_series *tot;
	size_t i, j, k, nent = 0, g;
	uint64_t all_new = 0, all_surv = 0, nw = 0, sv = 0;
	int ret = -1, keep;

	if (n < 3)
		return fail(t, "a trend needs 3 summaries or more, not %zu",
		    n);
	if (start(t, o, n) == -1)
		return -1;
	if ((ord = hs_calloc(n, sizeof(*ord))) == NULL)
		return oom(t);
	t->timed = 1;
	for (i = 0; i < n; i++) {
		const char *cap = hs_jv_get_str(sums[i]->header, "captured");

		ord[i].s = sums[i];
		ord[i].index = i;
		ord[i].timed = cap != NULL && parse_time(cap, &ord[i].when) ==
		    0;
		if (!ord[i].timed)
			t->timed = 0;
		ord[i].max_id = hs_jv_get(sums[i]->header,
		    "max_js_object_id") != NULL ? header_u64(sums[i],
		    "max_js_object_id") : header_u64(sums[i],
		    "max_object_id");
	}
	if (!t->timed)
		for (i = 0; i < n; i++)
			ord[i].timed = 0;
	qsort(ord, n, sizeof(*ord), cmp_order);
	for (i = 0; i < n; i++) {
		const struct hs_jv *src = hs_jv_get(ord[i].s->header, "source");
		const char *name = hs_jv_get_str(src, "name"),
		    *cap = hs_jv_get_str(ord[i].s->header, "captured");
		struct hs_trend_point *p = &t->points[i];

		if ((p->name = hs_strdup(name ? name : ord[i].s->path)) ==
		    NULL || (t->timed && (p->time = hs_strdup(cap)) == NULL))
			goto nomem;
		p->minutes = t->timed ? (ord[i].when - ord[0].when) / 60 : 0;
		p->max_object_id = ord[i].max_id;
	}
	if (same_process(t, ord, n) == -1)
		goto out;

	/* The totals: the whole heap's size and node count. */
	if ((tot = add_series(t, HS_TK_TOTAL, "(total)", "(total)", 1)) ==
	    NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		tot->bytes[i] = header_u64(ord[i].s, "total_size");
		tot->count[i] = header_u64(ord[i].s, "node_count");
	}

	/* Classes, grouped by key across the summaries. */
	for (i = 0; i < n; i++)
		nent += ord[i].s->class_count;
	if ((ent = hs_alloc_array(nent + 1, sizeof(*ent))) == NULL ||
	    (cls = hs_calloc(n, sizeof(*cls))) == NULL)
		goto nomem;
	for (i = k = 0; i < n; i++)
		for (j = 0; j < ord[i].s->class_count; j++) {
			ent[k].c = &ord[i].s->classes[j];
			ent[k++].point = i;
		}
	qsort(ent, nent, sizeof(*ent), cmp_entry);
	for (i = 0; i < nent; i = g) {
		struct hs_trend_series *s;

		for (g = i + 1; g < nent && strcmp(ent[g].c->key,
		    ent[i].c->key) == 0; g++)
			;
		memset(cls, 0, n * sizeof(*cls));
		for (j = i; j < g; j++)
			if (cls[ent[j].point] == NULL)
				cls[ent[j].point] = ent[j].c;
		if (t->ids_used) {
			survival(cls, n, &nw, &sv);
			all_new += nw;
			all_surv += sv;
		}
		t->classes_compared++;
		/* The newest name, should a key's name differ. */
		if (name_kept(t, o, ent[g - 1].c->name, &keep) == -1)
			goto out;
		if (!keep) {
			t->classes_filtered++;
			continue;
		}
		if ((s = add_series(t, HS_TK_CLASS, ent[i].c->key,
		    ent[g - 1].c->name, 1)) == NULL)
			goto nomem;
		for (j = 0; j < n; j++)
			if (cls[j] != NULL) {
				s->bytes[j] = cls[j]->retained;
				s->count[j] = cls[j]->count;
			}
		if (t->ids_used) {
			s->new_objects = nw;
			s->survivors = sv;
			s->has_survival = s->new_objects > 0;
			s->survival = s->has_survival ?
			    (double)s->survivors / (double)s->new_objects : 0;
		}
	}
	tot = &t->series[0];
	if (t->ids_used && all_new > 0) {
		tot->has_survival = 1;
		tot->new_objects = all_new;
		tot->survivors = all_surv;
		tot->survival = (double)all_surv / (double)all_new;
	}
	if (judge_all(t) == -1)
		goto out;
	rank(t, o->top);
	ret = 0;
	goto out;
nomem:
	oom(t);
out:
	hs_free(ord);
	hs_free(ent);
	hs_free(cls);
	return ret;
}

/* ---- samples ---- */

struct samples_ctx {
	struct hs_samples *s;
	int		 is_summary;
	int		 first;
};

/* "byte N: msg" in err; returns -1.  For both readers below. */
static int
read_fail(char *err, size_t errlen, uint64_t off, const char *msg)
{
	snprintf(err, errlen, "byte %" PRIu64 ": %s", off, msg);
	return -1;
}

static int
sample_line(void *arg, const char *line, size_t len, uint64_t off, char *err,
    size_t errlen)
{
	struct samples_ctx *c = arg;
	struct hs_sample *smp;
	struct hs_jv *r;
	const char *type, *time, *format;
	int first = c->first, i;

	c->first = 0;
	if ((r = hs_jv_parse(line, len, off, SAMPLE_TREE_MAX, err, errlen)) ==
	    NULL)
		return -1;
	if (r->kind != HS_JV_OBJECT ||
	    (type = hs_jv_get_str(r, "type")) == NULL) {
		hs_jv_free(r);
		return read_fail(err, errlen, off, "expected a record with "
		    "a \"type\"");
	}
	if (strcmp(type, "header") == 0 && first &&
	    (format = hs_jv_get_str(r, "format")) != NULL) {
		if (strcmp(format, HS_SUMMARY_FORMAT) == 0) {
			c->is_summary = 1;
			hs_jv_free(r);
			snprintf(err, errlen, "a summary");
			return -1;	/* stop reading: the caller knows */
		}
		if (strcmp(format, HS_DIFF_FORMAT) == 0 ||
		    strcmp(format, HS_TREND_FORMAT) == 0) {
			snprintf(err, errlen, "this is an %s file, not a "
			    "summary or memory samples", format);
			hs_jv_free(r);
			return -1;
		}
	}
	if (strcmp(type, "sample") != 0) {
		hs_jv_free(r);
		return 0;	/* other records (a header...) are not ours */
	}
	if (hs_grow(&c->s->v, &c->s->cap, c->s->n + 1, sizeof(*c->s->v)) ==
	    -1) {
		hs_jv_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	smp = &c->s->v[c->s->n];
	memset(smp, 0, sizeof(*smp));
	time = hs_jv_get_str(r, "time");
	if (time == NULL || strlen(time) >= sizeof(smp->time) ||
	    parse_time(time, &smp->when) == -1) {
		hs_jv_free(r);
		return read_fail(err, errlen, off, "expected a sample with "
		    "a \"time\" in RFC 3339 (2026-11-22T05:30:00.123Z)");
	}
	snprintf(smp->time, sizeof(smp->time), "%s", time);
	for (i = 0; i < HS_SAMPLE_MEASURES; i++) {
		const struct hs_jv *x = hs_jv_get(r, hs_sample_measures[i]);
		int64_t v;

		if (x == NULL || x->kind == HS_JV_NULL)
			continue;
		if (hs_jv_get_int(r, hs_sample_measures[i], 0, INT64_MAX,
		    &v) == -1) {
			char msg[128];

			hs_jv_free(r);
			snprintf(msg, sizeof(msg), "expected \"%s\" to be a "
			    "number of bytes", hs_sample_measures[i]);
			return read_fail(err, errlen, off, msg);
		}
		smp->v[i] = (uint64_t)v;
		smp->has |= 1u << i;
	}
	hs_jv_free(r);
	if (smp->has == 0)
		return read_fail(err, errlen, off, "expected a sample with "
		    "heap_used, heap_total, rss, external or array_buffers");
	c->s->n++;
	return 0;
}

int
hs_samples_read(const char *path, struct hs_samples *s, char *err,
    size_t errlen)
{
	struct samples_ctx c = { s, 0, 1 };
	size_t before = s->n;
	uint64_t bytes;

	if (hs_lines_read(path, "sample file", "this is a heap snapshot, not "
	    "a summary (run hs-summarize on it first)", sample_line, &c,
	    &bytes, err, errlen) == -1) {
		if (c.is_summary) {
			err[0] = '\0';
			return 0;
		}
		return -1;
	}
	if (s->n == before) {
		snprintf(err, errlen, "byte 0: expected an hs-summary header "
		    "or memory samples (hs-samples(5)), found %s",
		    bytes == 0 ? "empty input" : "no samples");
		return -1;
	}
	return 1;
}

void
hs_samples_free(struct hs_samples *s)
{
	hs_free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int
cmp_sample(const void *a, const void *b)
{
	const struct hs_sample *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return 0;
}

int
hs_trend_samples(struct hs_trend *t, struct hs_samples *smp,
    const struct hs_trend_options *o)
{
	size_t n = smp->n, w, nw, i, lo, hi;
	unsigned common = ~0u;
	size_t ser[HS_SAMPLE_MEASURES];
	char buf[48];
	int m, keep;

	if (n < 3)
		return fail(t, "a trend needs 3 samples or more, not %zu", n);
	/* Equal times keep the order read (a merge sort would; qsort may
	 * not, but equal times give equal x anyway). */
	qsort(smp->v, n, sizeof(*smp->v), cmp_sample);
	for (i = 0; i < n; i++)
		common &= smp->v[i].has;
	if ((common & ((1u << HS_SAMPLE_MEASURES) - 1)) == 0)
		return fail(t, "no measure is in every sample");
	nw = n < HS_TREND_WINDOWS ? n : HS_TREND_WINDOWS;
	if (start(t, o, nw) == -1)
		return -1;
	t->samples = 1;
	t->sample_count = n;
	t->timed = 1;
	for (m = 0; m < HS_SAMPLE_MEASURES; m++) {
		ser[m] = SIZE_MAX;
		if (!(common & (1u << m)))
			continue;
		if (name_kept(t, o, hs_sample_measures[m], &keep) == -1)
			return -1;
		t->classes_compared++;
		if (!keep) {
			t->classes_filtered++;
			continue;
		}
		if (add_series(t, HS_TK_MEASURE, hs_sample_measures[m],
		    hs_sample_measures[m], 0) == NULL)
			return oom(t);
		ser[m] = t->series_count - 1;
	}
	/* Window w: samples [w n / nw, (w + 1) n / nw), its lowest values. */
	for (w = 0; w < nw; w++) {
		double mid;

		lo = w * n / nw;
		hi = (w + 1) * n / nw;
		mid = (smp->v[lo].when + smp->v[hi - 1].when) / 2;
		format_time(mid, buf, sizeof(buf));
		if ((t->points[w].time = hs_strdup(nw == n ? smp->v[lo].time :
		    buf)) == NULL)
			return oom(t);
		t->points[w].minutes = (mid - (smp->v[0].when +
		    smp->v[n / nw - 1].when) / 2) / 60;
		if (nw == n)
			t->points[w].minutes = (smp->v[lo].when -
			    smp->v[0].when) / 60;
		for (m = 0; m < HS_SAMPLE_MEASURES; m++) {
			uint64_t low = UINT64_MAX;

			if (ser[m] == SIZE_MAX)
				continue;
			for (i = lo; i < hi; i++)
				if (smp->v[i].v[m] < low)
					low = smp->v[i].v[m];
			t->series[ser[m]].bytes[w] = low;
		}
	}
	return judge_all(t);
}

/* ---- the hs-trend file ---- */

/* A number with at most 3 decimals, never "-0". */
static void
put_num(struct hs_records *w, const char *key, double v)
{
	hs_rec_num(w, key, fabs(v) < 0.0005 ? 0 : v);
}

static void
put_array(struct hs_records *w, const char *key, const uint64_t *v,
    size_t n)
{
	size_t i;

	if (hs_buf_printf(&w->line, ",\"%s\":[", key) == -1)
		w->failed = 1;
	for (i = 0; i < n; i++)
		if (hs_buf_printf(&w->line, i ? ",%" PRIu64 : "%" PRIu64,
		    v[i]) == -1)
			w->failed = 1;
	hs_rec_raw(w, "]");
}

/* The first leak among the classes (or measures), or NULL. */
static const struct hs_trend_series *
likely_source(const struct hs_trend *t)
{
	size_t i;

	for (i = 0; i < t->series_count; i++)
		if (t->series[i].kind != HS_TK_TOTAL &&
		    t->series[i].pattern == HS_PAT_LEAK)
			return &t->series[i];
	return NULL;
}

/*
 * The caller's sink, remembering whether it failed: records.c says
 * nothing when a plain line could not be built, so a failure that is not
 * the sink's is memory.
 */
struct checked_sink {
	hs_write_fn	 fn;
	void		*sink;
	int		 failed;
};

static int
checked_write(void *arg, const void *buf, size_t len)
{
	struct checked_sink *c = arg;

	if (c->fn(c->sink, buf, len) == -1) {
		c->failed = 1;
		return -1;
	}
	return 0;
}

int
hs_trend_write(struct hs_trend *t, hs_write_fn fn, void *sink)
{
	const struct hs_trend_series *src = likely_source(t);
	struct checked_sink cs = { fn, sink, 0 };
	struct hs_records w;
	size_t i;

	if (hs_rec_open(&w, -1, checked_write, &cs) == -1)
		return oom(t);
	hs_rec_begin(&w, "header");
	hs_rec_str(&w, "format", HS_TREND_FORMAT);
	hs_rec_u64(&w, "version", HS_TREND_VERSION);
	hs_rec_str(&w, "producer", t->producer);
	hs_rec_str(&w, "input", t->samples ? "samples" : "summaries");
	hs_rec_u64(&w, "points", t->point_count);
	if (t->samples)
		hs_rec_u64(&w, "samples", t->sample_count);
	hs_rec_str(&w, "per", t->timed ? "minute" : "point");
	hs_rec_bool(&w, "ids_used", t->ids_used);
	hs_rec_str(&w, "ids_skipped", t->ids_skipped);
	hs_rec_u64(&w, "threshold", t->threshold);
	hs_rec_u64(&w, "min_count", t->min_count);
	hs_rec_u64(&w, "compared", t->classes_compared);
	hs_rec_u64(&w, "filtered", t->classes_filtered);
	hs_rec_u64(&w, "cut", t->classes_cut);
	hs_rec_bool(&w, "leak", t->leaks > 0);
	hs_rec_u64(&w, "leaks", t->leaks);
	hs_rec_str(&w, "severity", hs_severity_name(t->severity));
	hs_rec_str(&w, "likely_source", src ? src->name : NULL);
	hs_rec_str(&w, "likely_key", src ? src->key : NULL);
	put_num(&w, "confidence", src ? src->confidence : 0);
	hs_rec_end(&w);
	for (i = 0; i < t->point_count; i++) {
		const struct hs_trend_point *p = &t->points[i];

		hs_rec_begin(&w, "point");
		hs_rec_u64(&w, "index", i);
		hs_rec_str(&w, "name", p->name);
		hs_rec_str(&w, "time", p->time);
		put_num(&w, "minutes", p->minutes);
		if (!t->samples)
			hs_rec_u64(&w, "max_object_id", p->max_object_id);
		hs_rec_end(&w);
	}
	for (i = 0; i < t->series_count; i++) {
		const struct hs_trend_series *s = &t->series[i];

		hs_rec_begin(&w, "series");
		hs_rec_str(&w, "kind", kind_names[s->kind]);
		hs_rec_str(&w, "key", s->key);
		hs_rec_str(&w, "name", s->name);
		hs_rec_str(&w, "pattern", hs_trend_pattern_name(s->pattern));
		hs_rec_str(&w, "severity", hs_severity_name(s->severity));
		put_num(&w, "confidence", s->confidence);
		hs_rec_i64(&w, "growth", s->growth);
		put_num(&w, "slope", s->fit.slope);
		put_num(&w, "r2", s->fit.r2);
		if (s->fit.has_exp) {
			/* Six decimals: 0.000693 doubles in 1000 minutes. */
			if (hs_buf_printf(&w.line, ",\"exp_rate\":%.6f",
			    fabs(s->fit.exp_rate) < 5e-7 ? 0 :
			    s->fit.exp_rate) == -1)
				w.failed = 1;
			put_num(&w, "exp_r2", s->fit.exp_r2);
		}
		put_num(&w, "grew", s->fit.grew);
		put_num(&w, "early", s->fit.early);
		put_num(&w, "late", s->fit.late);
		if (s->count != NULL) {
			hs_rec_i64(&w, "count_growth", s->count_growth);
			put_num(&w, "count_slope", s->count_slope);
		}
		if (s->has_survival) {
			hs_rec_u64(&w, "new", s->new_objects);
			hs_rec_u64(&w, "survived", s->survivors);
			put_num(&w, "survival", s->survival);
		}
		put_array(&w, "bytes", s->bytes, t->point_count);
		if (s->count != NULL)
			put_array(&w, "count", s->count, t->point_count);
		hs_rec_end(&w);
	}
	if (hs_rec_close(&w, t->err, sizeof(t->err)) == -1) {
		if (t->err[0] == '\0' && !cs.failed)
			return oom(t);
		return -1;
	}
	return 0;
}

/* ---- reading it back ---- */

struct read_ctx {
	struct hs_trend	*t;
	int		 have_header;
	size_t		 point_cap;
};

static int
get_u64(const struct hs_jv *o, const char *key, uint64_t *out)
{
	int64_t v;

	if (hs_jv_get_int(o, key, 0, INT64_MAX, &v) == -1)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int
dup_str(const struct hs_jv *o, const char *key, char **out)
{
	const char *s = hs_jv_get_str(o, key);

	*out = NULL;
	return s == NULL || (*out = hs_strdup(s)) != NULL ? 0 : -1;
}

/*
 * An array of n integers >= 0 into a new array; -1 when it is not one, -2
 * when memory runs out.
 */
static int
get_array(const struct hs_jv *o, const char *key, size_t n, uint64_t **out)
{
	const struct hs_jv *a = hs_jv_get(o, key);
	size_t i;

	*out = NULL;
	if (a == NULL || a->kind != HS_JV_ARRAY || a->len != n)
		return -1;
	if ((*out = hs_calloc(n + 1, sizeof(uint64_t))) == NULL)
		return -2;
	for (i = 0; i < n; i++) {
		if (a->items[i].kind != HS_JV_NUMBER ||
		    !a->items[i].is_integer || a->items[i].integer < 0) {
			hs_free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[i] = (uint64_t)a->items[i].integer;
	}
	return 0;
}

static int
read_header(struct hs_trend *t, const struct hs_jv *r)
{
	const char *input = hs_jv_get_str(r, "input"),
	    *per = hs_jv_get_str(r, "per"), *sev = hs_jv_get_str(r, "severity");
	const struct hs_jv *ids = hs_jv_get(r, "ids_used");
	uint64_t v;

	if (input == NULL || per == NULL || sev == NULL ||
	    hs_severity_parse(sev, &t->severity) == -1 ||
	    get_u64(r, "threshold", &t->threshold) == -1 ||
	    get_u64(r, "leaks", &v) == -1)
		return -1;
	t->leaks = (size_t)v;
	t->samples = strcmp(input, "samples") == 0;
	t->timed = strcmp(per, "minute") == 0;
	t->ids_used = ids != NULL && ids->kind == HS_JV_BOOL && ids->boolean;
	(void)get_u64(r, "min_count", &t->min_count);
	(void)get_u64(r, "compared", &t->classes_compared);
	(void)get_u64(r, "filtered", &t->classes_filtered);
	(void)get_u64(r, "cut", &t->classes_cut);
	if (get_u64(r, "samples", &v) == 0)
		t->sample_count = (size_t)v;
	if (dup_str(r, "producer", &t->producer) == -1 ||
	    dup_str(r, "ids_skipped", &t->ids_skipped) == -1)
		return -2;
	return 0;
}

static int
read_point(struct read_ctx *c, const struct hs_jv *r)
{
	struct hs_trend *t = c->t;
	struct hs_trend_point *p;
	uint64_t index;

	if (get_u64(r, "index", &index) == -1 || index != t->point_count)
		return -1;
	if (hs_grow(&t->points, &c->point_cap, t->point_count + 1,
	    sizeof(*t->points)) == -1)
		return -2;
	p = &t->points[t->point_count];
	memset(p, 0, sizeof(*p));
	t->point_count++;
	p->minutes = hs_jv_get_num(r, "minutes", 0);
	(void)get_u64(r, "max_object_id", &p->max_object_id);
	if (dup_str(r, "name", &p->name) == -1 ||
	    dup_str(r, "time", &p->time) == -1)
		return -2;
	return 0;
}

static int
read_series(struct hs_trend *t, const struct hs_jv *rec)
{
	const char *kind = hs_jv_get_str(rec, "kind"),
	    *key = hs_jv_get_str(rec, "key"), *name = hs_jv_get_str(rec, "name"),
	    *pat = hs_jv_get_str(rec, "pattern"),
	    *sev = hs_jv_get_str(rec, "severity");
	struct hs_trend_series *s;
	enum hs_trend_kind k;
	int64_t g;
	int r;

	if (kind == NULL || key == NULL || name == NULL || pat == NULL ||
	    sev == NULL || t->point_count < 2)
		return -1;
	if (strcmp(kind, "total") == 0)
		k = HS_TK_TOTAL;
	else if (strcmp(kind, "class") == 0)
		k = HS_TK_CLASS;
	else if (strcmp(kind, "measure") == 0)
		k = HS_TK_MEASURE;
	else
		return -1;
	if (hs_grow(&t->series, &t->series_cap, t->series_count + 1,
	    sizeof(*t->series)) == -1)
		return -2;
	s = &t->series[t->series_count];
	memset(s, 0, sizeof(*s));
	s->kind = k;
	if (hs_trend_pattern_parse(pat, &s->pattern) == -1 ||
	    hs_severity_parse(sev, &s->severity) == -1 ||
	    hs_jv_get_int(rec, "growth", INT64_MIN, INT64_MAX, &g) == -1)
		return -1;
	if ((r = get_array(rec, "bytes", t->point_count, &s->bytes)) != 0)
		return r;
	s->growth = g;
	if (hs_jv_get(rec, "count") != NULL && (r = get_array(rec, "count",
	    t->point_count, &s->count)) != 0) {
		hs_free(s->bytes);
		return r;
	}
	t->series_count++;
	if ((s->key = hs_strdup(key)) == NULL ||
	    (s->name = hs_strdup(name)) == NULL)
		return -2;
	s->confidence = hs_jv_get_num(rec, "confidence", 0);
	s->fit.slope = hs_jv_get_num(rec, "slope", 0);
	s->fit.r2 = hs_jv_get_num(rec, "r2", 0);
	s->fit.has_exp = hs_jv_get(rec, "exp_r2") != NULL;
	s->fit.exp_rate = hs_jv_get_num(rec, "exp_rate", 0);
	s->fit.exp_r2 = hs_jv_get_num(rec, "exp_r2", 0);
	s->fit.grew = hs_jv_get_num(rec, "grew", 0);
	s->fit.early = hs_jv_get_num(rec, "early", 0);
	s->fit.late = hs_jv_get_num(rec, "late", 0);
	if (hs_jv_get_int(rec, "count_growth", INT64_MIN, INT64_MAX, &g) == 0)
		s->count_growth = g;
	s->count_slope = hs_jv_get_num(rec, "count_slope", 0);
	s->has_survival = get_u64(rec, "new", &s->new_objects) == 0 &&
	    get_u64(rec, "survived", &s->survivors) == 0;
	s->survival = hs_jv_get_num(rec, "survival", 0);
	return 0;
}

static int
trend_line(void *arg, const char *line, size_t len, uint64_t off, char *err,
    size_t errlen)
{
	struct read_ctx *c = arg;
	struct hs_jv *r;
	const char *type, *format;
	int64_t version;
	int rc = 0;

	if ((r = hs_jv_parse(line, len, off, HS_LINE_MAX * 4, err, errlen)) ==
	    NULL)
		return -1;
	type = r->kind == HS_JV_OBJECT ? hs_jv_get_str(r, "type") : NULL;
	if (type == NULL) {
		hs_jv_free(r);
		return read_fail(err, errlen, off, "expected a record with a "
		    "\"type\"");
	}
	if (!c->have_header) {
		format = hs_jv_get_str(r, "format");
		if (strcmp(type, "header") != 0 || format == NULL ||
		    strcmp(format, HS_TREND_FORMAT) != 0) {
			hs_jv_free(r);
			return read_fail(err, errlen, off, "expected an "
			    "hs-trend header");
		}
		if (hs_jv_get_int(r, "version", 0, INT32_MAX, &version) ==
		    -1 || version > HS_TREND_VERSION) {
			hs_jv_free(r);
			snprintf(err, errlen, "hs-trend version newer than "
			    "this hs reads (%d): upgrade hs",
			    HS_TREND_VERSION);
			return -1;
		}
		c->have_header = 1;
		rc = read_header(c->t, r);
		if (rc == -1)
			rc = read_fail(err, errlen, off, "expected a header "
			    "with input, per, threshold, leaks and severity");
	} else if (strcmp(type, "point") == 0) {
		if ((rc = read_point(c, r)) == -1)
			rc = read_fail(err, errlen, off, "expected a point "
			    "record with the next index");
	} else if (strcmp(type, "series") == 0) {
		if ((rc = read_series(c->t, r)) == -1)
			rc = read_fail(err, errlen, off, "expected a series "
			    "record with kind, key, name, pattern, severity, "
			    "growth and a value per point");
	}
	hs_jv_free(r);
	if (rc == -2) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return rc;
}

struct hs_trend *
hs_trend_read(const char *path, char *err, size_t errlen)
{
	struct read_ctx c;
	uint64_t bytes;

	memset(&c, 0, sizeof(c));
	if ((c.t = hs_trend_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (hs_lines_read(path, "trend", "this is a heap snapshot, not a "
	    "trend", trend_line, &c, &bytes, err, errlen) == -1) {
		hs_trend_free(c.t);
		return NULL;
	}
	if (!c.have_header || c.t->point_count < 2) {
		snprintf(err, errlen, "byte %" PRIu64 ": expected an hs-trend "
		    "header and points", c.have_header ? bytes : 0);
		hs_trend_free(c.t);
		return NULL;
	}
	return c.t;
}

/* ---- text ---- */

static void
signed_size(int64_t v, char *buf, size_t len)
{
	char tmp[24];

	hs_report_size(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, tmp,
	    sizeof(tmp));
	snprintf(buf, len, "%s%s", v < 0 ? "-" : v > 0 ? "+" : "", tmp);
}

static void
rate_text(double v, int bytes, char *buf, size_t len)
{
	char tmp[24];
	double a = fabs(v);

	if (bytes)
		hs_report_size((uint64_t)(a + 0.5), tmp, sizeof(tmp));
	else if (a >= 100 || a == 0)
		snprintf(tmp, sizeof(tmp), "%.0f", a);
	else
		snprintf(tmp, sizeof(tmp), "%.1f", a);
	snprintf(buf, len, "%s%s", v <= -0.05 ? "-" : v >= 0.05 ? "+" : "",
	    tmp);
}

/* The name, with control characters shown as \n, \t, \xNN. */
static int
add_name(struct hs_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch != 0x7f) {
			if (hs_buf_addc(b, (char)ch) == -1)
				return -1;
		} else if (hs_buf_printf(b, ch == '\n' ? "\\n" : ch == '\t' ?
		    "\\t" : "\\x%02x", ch) == -1)
			return -1;
	}
	return 0;
}

int
hs_trend_text(const struct hs_trend *t, size_t top, struct hs_buf *b)
{
	const struct hs_trend_series *src = likely_source(t);
	const char *per = t->timed ? "/min" : "/point";
	char g[32], r[32], c[32], l[32], sv[16];
	size_t i, shown = 0, n = t->point_count, intervals = n - 1;
	int ok = 1;

	if (t->samples)
		ok &= hs_buf_printf(b, "%zu memory samples over %.1f minutes, "
		    "as %zu windows (their lowest values)\n", t->sample_count,
		    t->points[n - 1].minutes, n) == 0;
	else
		ok &= hs_buf_printf(b, "%zu summaries of one process%s%.1f "
		    "minutes; %s\n", n, t->timed ? " over " : "",
		    t->timed ? t->points[n - 1].minutes : 0.0,
		    t->ids_used ? "object ids compared" :
		    "object ids not compared") == 0;
	if (!t->timed && !t->samples)
		ok &= hs_buf_adds(b, "(no capture times: growth is per "
		    "point)\n") == 0;
	if (src != NULL) {
		ok &= hs_buf_printf(b, "verdict: leak (%zu), severity %s; "
		    "likely source ", t->leaks, hs_severity_name(t->severity))
		    == 0;
		ok &= add_name(b, src->name) == 0;
		ok &= hs_buf_printf(b, ", confidence %.2f\n",
		    src->confidence) == 0;
	} else
		ok &= hs_buf_adds(b, "verdict: no leak\n") == 0;
	hs_report_size(t->threshold, g, sizeof(g));
	ok &= hs_buf_printf(b, "threshold: %s\n\n", g) == 0;
	ok &= hs_buf_printf(b, "%-11s %4s %5s %5s %6s %12s %10s %10s %9s  "
	    "%s\n", "pattern", "conf", "grew", "surv", "r2", "bytes/min",
	    "count/min", "growth", "last", "name") == 0;
	for (i = 0; i < t->series_count && ok; i++) {
		const struct hs_trend_series *s = &t->series[i];
		unsigned grew = (unsigned)(s->fit.grew * (double)intervals +
		    0.5);

		if (s->kind == HS_TK_CLASS && top > 0 && shown++ >= top)
			break;
		signed_size(s->growth, g, sizeof(g));
		rate_text(s->fit.slope, 1, r, sizeof(r));
		if (s->count != NULL)
			rate_text(s->count_slope, 0, c, sizeof(c));
		else
			snprintf(c, sizeof(c), "-");
		hs_report_size(s->bytes[n - 1], l, sizeof(l));
		if (s->has_survival)
			snprintf(sv, sizeof(sv), "%.0f%%", s->survival * 100);
		else
			snprintf(sv, sizeof(sv), "-");
		ok &= hs_buf_printf(b, "%-11s %4.2f %2u/%-2zu %5s %6.3f "
		    "%8s%-4s %10s %10s %9s  ", hs_trend_pattern_name(
		    s->pattern), s->confidence, grew, intervals, sv, s->fit.r2,
		    r, per, c, g, l) == 0;
		ok &= add_name(b, s->name) == 0;
		ok &= hs_buf_addc(b, '\n') == 0;
	}
	for (; i < t->series_count; i++)
		if (t->series[i].kind == HS_TK_CLASS)
			shown++;
	if (top > 0 && shown > top)
		ok &= hs_buf_printf(b, "(%" PRIu64 " more classes not shown)\n",
		    (uint64_t)(shown - top) + t->classes_cut) == 0;
	else if (t->classes_cut > 0)
		ok &= hs_buf_printf(b, "(%" PRIu64 " more classes not shown)\n",
		    t->classes_cut) == 0;
	return ok ? 0 : -1;
}
