/*
 * diff: what changed between two summaries (before, after) or three
 * (baseline, target, final), and whether it looks like a leak; the
 * hs-diff file format (man/hs-diff.5) that keeps the answer.
 *
 *	hs_diff_defaults(&o);			// thresholds, filters, rules
 *	d = hs_diff_new();
 *	if (hs_diff_compute(d, sums, 2, &o) == -1)	// or 3 summaries
 *		... hs_diff_error(d) ...
 *	hs_diff_write(d, write_fn, sink, 0);	// the hs-diff file
 *	hs_diff_text(d, &buf);			// the verdict for people
 *	hs_diff_free(d);
 *
 *	d = hs_diff_read(path, err, sizeof(err));	// a file written above
 *
 * Classes are matched by key, and by name when their keys hold script
 * locations that differ.  Object ids, when both summaries have them and
 * come from one process, tell which objects are new and still alive; with
 * three summaries, which were allocated between baseline and target and
 * survive in final (MemLab's leak set).  When the summaries cannot come
 * from one process the id part is skipped and ids_skipped says why.
 *
 * The diff owns everything it points at; the summaries given to
 * hs_diff_compute() are not kept, and the options' regexes and rules stay
 * the caller's.  Nothing here prints.
 */
#ifndef HS_DIFF_H
#define HS_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "zstdio.h"

#define HS_DIFF_FORMAT	"hs-diff"
#define HS_DIFF_VERSION	1

#define HS_MIB		(1024 * 1024)

struct hs_buf;
struct hs_regex;
struct hs_summary;
struct hs_rules;

enum hs_severity {
	HS_SEV_NONE, HS_SEV_LOW, HS_SEV_MEDIUM, HS_SEV_HIGH, HS_SEV_CRITICAL
};

struct hs_diff_options {
	uint64_t	 threshold;	/* bytes of growth; default 10 MiB */
	double		 growth;	/* relative growth; default 0.1 */
	uint64_t	 min_count;	/* objects more; default 0 */
	struct hs_regex	*include;	/* keep class names that match */
	struct hs_regex	*exclude;	/* drop class names that match */
	const struct hs_rules *suppress; /* suppressions (diff_rules.c) */
	const struct hs_rules *patterns; /* leak patterns (diff_rules.c) */
	size_t		 top;		/* class records at most; 0: all */
	const char	*producer;	/* "hs-diff 0.1.0" */
};

/* One input summary, as the header of the diff describes it. */
struct hs_diff_input {
	char		*name;		/* the summary's source name */
	char		*label, *session, *captured;	/* or NULL */
	uint64_t	 total_size, node_count, max_object_id;
	uint64_t	 max_js_object_id;	/* largest odd id */
	int		 has_ids;
};

/*
 * Index of the figures of each input in the arrays below: before or
 * baseline, target (three inputs only), after or final.
 */
#define HS_D_OLD	0
#define HS_D_MID	1
#define HS_D_NEW	2

struct hs_diff_class {
	char		*key, *name;
	char		*old_key;	/* the older key when matched by name */
	int		 present[3];
	uint64_t	 count[3], self[3], retained[3];
	int64_t		 delta_count, delta_self, delta_retained;
	int		 is_new;	/* before retained 0: no rate */
	double		 rate;		/* after / before retained */
	uint64_t	 new_count, new_self;	/* when ids were used */
	uint64_t	 leaked_count, leaked_self;	/* triples, ids */
	enum hs_severity severity;	/* HS_SEV_NONE: not a finding */
	double		 confidence;	/* [0, 1], findings only */
	double		 score;		/* ranking, see hs-diff(5) */
	char		*held_by;	/* retainers in words, or NULL */
	char		*path;		/* a retainer path, or NULL */
};

struct hs_diff_pattern {
	char		*id;
	char		*key, *name;	/* the class */
	char		*matched;	/* the class name or retainer text */
	char		*recommendation;
};

struct hs_diff {
	int		 ninputs;	/* 2 or 3 */
	struct hs_diff_input inputs[3];	/* indexed as HS_D_* (pair: 0, 2) */
	int		 same_process;
	int		 ids_used;
	char		*ids_skipped;	/* why not, or NULL */
	char		*producer;
	/* Thresholds used. */
	uint64_t	 threshold;
	double		 growth;
	uint64_t	 min_count;
	/* The verdict. */
	enum hs_severity severity;	/* the highest of all */
	enum hs_severity total_severity; /* of the whole heap's growth */
	int		 suspicious;
	int64_t		 total_growth;
	char		*likely_source;	/* class name, or NULL */
	char		*likely_key;
	double		 confidence;
	char		**recommendations;
	size_t		 recommendation_count;
	/* Classes kept, in rank order; patterns matched. */
	struct hs_diff_class *classes;
	size_t		 class_count, class_cap;
	uint64_t	 classes_compared, classes_filtered,
			 classes_suppressed, classes_cut;
	struct hs_diff_pattern *patterns;
	size_t		 pattern_count, pattern_cap;
	char		 err[512];
};

void		 hs_diff_defaults(struct hs_diff_options *);
/* Returns NULL when memory runs out. */
struct hs_diff	*hs_diff_new(void);
/*
 * Compares n (2 or 3) summaries, oldest first.  Returns 0, or -1 with a
 * message in hs_diff_error() (a summary of another kind, a regex that hit
 * its limits, memory).  Call once per diff.
 */
int		 hs_diff_compute(struct hs_diff *, struct hs_summary *const *sums,
		    int n, const struct hs_diff_options *);
const char	*hs_diff_error(const struct hs_diff *);
void		 hs_diff_free(struct hs_diff *);

/*
 * Writes the diff as an hs-diff file (zstd JSON lines, at zstd level
 * level, 0 for the default; -1 for plain JSON lines) through write_fn.
 * Returns 0, or -1 with a message in hs_diff_error() (empty when the sink
 * failed: the sink reports its own errors).
 */
int		 hs_diff_write(struct hs_diff *, hs_write_fn write_fn,
		    void *sink, int level);
/*
 * Reads an hs-diff file ("-" is stdin, compressed or not).  Returns NULL
 * with a message in err: a newer version, another kind of file, a
 * truncated or corrupt one.
 */
struct hs_diff	*hs_diff_read(const char *path, char *err, size_t errlen);

/*
 * Appends the verdict and the class table for people to b; top limits
 * the rows (0: all).  Returns 0, or -1 when memory runs out.
 */
int		 hs_diff_text(const struct hs_diff *, size_t top,
		    struct hs_buf *b);

/*
 * Appends what the diff knows about one class, a few lines for people
 * (used for JUnit failures).  Returns 0, or -1 when memory runs out.
 */
int		 hs_diff_class_text(const struct hs_diff *,
		    const struct hs_diff_class *, struct hs_buf *b);

/*
 * Whether summaries (n >= 2, oldest first) can come from one process:
 * they all have object ids, the oldest and the newest name the same
 * session (when they name one), the largest odd id never goes down from
 * one to the next, and the ids that the oldest and the newest share name
 * objects of the same class (hs-diff(1)).  Returns 1, or 0 with the
 * reason in *why (a static sentence), or -1 when memory runs out.
 */
int		 hs_diff_same_process(struct hs_summary *const *sums, int n,
		    const char **why);

/*
 * The severity of a growth of retained size from before bytes, by the
 * rules of hs-diff(1) (Severity): never HS_SEV_NONE.
 */
enum hs_severity hs_diff_severity(uint64_t growth, uint64_t before);

/* "none", "low", ...; parse returns 0, or -1 for an unknown name. */
const char	*hs_severity_name(enum hs_severity);
int		 hs_severity_parse(const char *, enum hs_severity *);

/*
 * Parses a size: digits with an optional fraction and unit (B, kB or KB,
 * KiB, MB, MiB, GB, GiB, TB, TiB, any case; k, m, g mean KiB, MiB, GiB).
 * Returns 0, or -1 when s is not a size or it overflows.
 */
int		 hs_diff_parse_size(const char *s, uint64_t *out);
/* A ratio: "0.1", "10%", ... Returns 0, or -1. */
int		 hs_diff_parse_ratio(const char *s, double *out);

#endif
