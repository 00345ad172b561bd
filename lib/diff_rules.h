/*
 * diff_rules: the data that hs-diff reads besides summaries: suppressions
 * (classes that grow harmlessly) and leak patterns (what a growing class
 * or its retainers look like, and what to do about it).  Both are text
 * files under share/hs/rules (man/hs-diff.1 describes their syntax).
 *
 *	r = hs_rules_new();
 *	if (hs_rules_load_suppress(r, path) == -1)	// or _patterns
 *		... hs_rules_error(r) ...
 *	hs_rules_suppressed(r, "(compiled code)", growth);
 *	hs_rules_free(r);
 *
 * hs_datadir() finds the installed data directory.
 */
#ifndef HS_DIFF_RULES_H
#define HS_DIFF_RULES_H

#include <stddef.h>
#include <stdint.h>

struct hs_regex;

struct hs_rule {
	char		*id;		/* patterns; NULL for suppressions */
	char		*class_src, *retainer_src;
	struct hs_regex	*cls;		/* on class names, or NULL */
	struct hs_regex	*retainer;	/* on retainer texts, or NULL */
	char		*text;		/* the recommendation */
	int		 has_threshold;	/* suppressions: up to this growth */
	uint64_t	 threshold;
};

struct hs_rules {
	struct hs_rule	*rules;
	size_t		 count, cap;
	char		 err[512];
};

/* Returns NULL when memory runs out. */
struct hs_rules	*hs_rules_new(void);
/*
 * Adds the rules of a file.  Suppressions: one regex a line, optionally
 * followed by white space and a size; '#' starts a comment line.
 * Patterns: blocks (see share/hs/rules/patterns.conf).  Return 0, or -1
 * with "file: line N: ..." in hs_rules_error().
 */
int		 hs_rules_load_suppress(struct hs_rules *, const char *path);
int		 hs_rules_load_patterns(struct hs_rules *, const char *path);
/* The same from text in memory (name is used in messages). */
int		 hs_rules_parse_suppress(struct hs_rules *, const char *name,
		    const char *text, size_t len);
int		 hs_rules_parse_patterns(struct hs_rules *, const char *name,
		    const char *text, size_t len);
const char	*hs_rules_error(const struct hs_rules *);
/*
 * Whether a class of this name with this growth is suppressed: 1 yes, 0
 * no, -1 when a regex hit its limits.
 */
int		 hs_rules_suppressed(const struct hs_rules *, const char *name,
		    int64_t growth);
void		 hs_rules_free(struct hs_rules *);

/*
 * The data directory: $HS_SHARE when set, else the compiled-in one when
 * it holds rules, else share/hs beside the running program (a build in
 * the source tree), else share/hs under the current directory.  Writes it into buf; returns buf.
 */
const char	*hs_datadir(char *buf, size_t len);

#endif
