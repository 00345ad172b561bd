/*
 * summarize: the whole of hs-summarize's job, from a snapshot's bytes to a
 * summary's: read (lib/input), parse (lib/snapshot), analyse
 * (lib/analyze), write (lib/summary).  The caller gives the output sink
 * and, if it wants them, callbacks for progress.
 *
 * Returns 0, or -1 with a message in err: "byte N: ..." for bad input,
 * plain text otherwise.  Nothing is written to the sink before the whole
 * input has been read and analysed, so a bad snapshot leaves no output.
 */
#ifndef HS_SUMMARIZE_H
#define HS_SUMMARIZE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "summary.h"

struct hs_summarize_options {
	struct hs_analysis_options analysis;
	struct hs_summary_meta	 meta;	/* source_name and bytes filled in */
	/* Called at the start of each phase, and often while parsing. */
	void			(*progress)(void *ctx, const char *phase,
				    uint64_t bytes, int64_t total);
	void			*ctx;
};

void	hs_summarize_defaults(struct hs_summarize_options *);
int	hs_summarize(const char *path, struct hs_summarize_options *,
	    hs_write_fn write_fn, void *sink, char *err, size_t errlen);

#endif
