/*
 * regex: the one module that talks to PCRE2.
 *
 * Patterns from users (filters, suppressions, redaction) run with explicit
 * match and depth limits and a heap limit, so a pathological pattern fails
 * in bounded time instead of hanging: hs_regex_match() then returns -1.
 * The JIT is used when available.
 *
 *	re = hs_regex_new(pattern, HS_RE_CASELESS, err, sizeof(err));
 *	r = hs_regex_match(re, subject, len);	// 1 match, 0 none, -1 error
 *	hs_regex_free(re);
 */
#ifndef HS_REGEX_H
#define HS_REGEX_H

#include <stddef.h>

#define HS_RE_CASELESS	0x01

struct hs_regex;

/* Returns NULL with a message (naming the offset in the pattern) in err. */
struct hs_regex	*hs_regex_new(const char *pattern, int flags, char *err,
		    size_t errlen);
/*
 * 1 on a match, 0 on none, -1 when a limit was hit or memory ran out; after
 * that, every call returns -1 at once, so that a pathological pattern
 * costs one match's limits in all, not one per subject.
 */
int		 hs_regex_match(struct hs_regex *, const char *s, size_t len);
/* Whether a match has returned -1 (NULL: no). */
int		 hs_regex_failed(const struct hs_regex *);
void		 hs_regex_free(struct hs_regex *);

#endif
