/*
 * junit: a diff (diff.h) as a JUnit XML report for CI, valid against both
 * schemas CI tools check against: the Jenkins xUnit plugin's junit-10.xsd
 * and Apache Ant's JUnit.xsd.
 *
 *	hs_junit_defaults(&o);
 *	o.timestamp = "2024-05-01T12:00:00";	// required, no time zone
 *	o.hostname = "ci-runner";
 *	hs_junit_write(diff, &o, &buf, err, sizeof(err));
 *	// hs_junit_failures(diff, &o): how many checks failed
 *
 * One <testsuite> holds properties (the inputs and the totals), one test
 * case for the growth of the whole heap and one per class checked, each
 * failing with a message and a text report when its severity reaches
 * fail_on, then <system-out> (the whole text report) and <system-err>.
 * Any text, including class names such as "Detached <div>" or names with
 * control characters or "]]>", is escaped; characters that XML 1.0 does
 * not allow, and bytes that are not UTF-8, become U+FFFD.
 */
#ifndef HS_JUNIT_H
#define HS_JUNIT_H

#include <stddef.h>

#include "diff.h"

struct hs_buf;

#define HS_JUNIT_SUITE	"memory-leak-detection"

struct hs_junit_options {
	const char	*suite_name;	/* default HS_JUNIT_SUITE */
	const char	*timestamp;	/* YYYY-MM-DDThh:mm:ss */
	const char	*hostname;	/* default "localhost" */
	enum hs_severity fail_on;	/* default HS_SEV_LOW */
	size_t		 top;		/* class cases besides findings;
					 * 0: every class in the diff */
};

void	hs_junit_defaults(struct hs_junit_options *);
/*
 * Appends the report to b.  Returns 0, or -1 with a message in err (a
 * timestamp of the wrong form, an empty suite name, memory).
 */
int	hs_junit_write(const struct hs_diff *, const struct hs_junit_options *,
	    struct hs_buf *b, char *err, size_t errlen);
/* The number of failing test cases hs_junit_write() writes. */
size_t	hs_junit_failures(const struct hs_diff *,
	    const struct hs_junit_options *);
/*
 * Appends s[0..len) escaped for XML text, or for an attribute value when
 * attr is set.  Returns 0, or -1 when memory runs out.
 */
int	hs_xml_escape(struct hs_buf *b, const char *s, size_t len, int attr);

#endif
