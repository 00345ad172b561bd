/*
 * summarize: snapshot in, summary out (see summarize.h).
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "input.h"
#include "regex.h"
#include "scan.h"
#include "snapshot.h"
#include "summarize.h"

/*
 * Memory to fault in on the second core once the graph is read, while the
 * rest of the file is parsed (see reserve.h): about what the analysis
 * allocates first, a word a node for each of the shallow sizes, the class
 * of each node, the search's numbers and vertices, its in-degrees and so
 * on, and two for its parents and their scratch.  Less, and the search
 * faults those two in itself, on the critical path; more would raise the
 * memory in use at the end of reading above the dominator step's peak.
 */
#define ANALYSIS_BYTES_PER_NODE	32

void
hs_summarize_defaults(struct hs_summarize_options *o)
{
	memset(o, 0, sizeof(*o));
	o->analysis.retainer_classes = 200;
	o->analysis.retainers_per_class = 8;
	o->analysis.path_classes = 30;
	o->analysis.closure_sites = 500;
	o->analysis.allocation_sites = 200;
	o->meta.with_ids = 1;
	/*
	 * The fastest: the ids records are most of a big summary's bytes
	 * and of its writing time, on the critical path; level 3 makes a
	 * 1 GB snapshot's summary 1.4% smaller and takes a fifth longer.
	 */
	o->meta.level = 1;
	o->meta.source_bytes = -1;
}

struct phase_ctx {
	struct hs_summarize_options *o;
	uint64_t bytes;
	int64_t total;
};

static void
phase(void *ctx, const char *name)
{
	struct phase_ctx *p = ctx;

	if (p->o->progress)
		p->o->progress(p->o->ctx, name, p->bytes, p->total);
}

/*
 * The integers of a chunk, read on the reader thread while it waits for
 * the parser (see hs_intscan_ahead()): most of a snapshot's text is the
 * "nodes" and "edges" arrays, and their numbers are then parsed on both
 * cores.
 */
#define AHEAD_VALUES	((size_t)1 << 20)

static void
read_ahead(void *ctx, const unsigned char *buf, size_t len, void *result,
    const atomic_int *taken)
{
	struct hs_intahead *a = result;

	(void)ctx;
	a->cap = AHEAD_VALUES;
	hs_intscan_ahead(a, buf, len, taken);
}

static struct hs_snapshot *
read_snapshot(const char *path, struct hs_summarize_options *o,
    struct phase_ctx *pc, char *err, size_t errlen)
{
	struct hs_snapshot_reader *r;
	struct hs_snapshot *s = NULL;
	struct hs_input *in;
	const unsigned char *buf;
	const void *ahead;
	size_t len;
	int ret;

	if ((in = hs_input_open(path, err, errlen)) == NULL)
		return NULL;
	if ((r = hs_snapshot_reader_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		hs_input_close(in);
		return NULL;
	}
	o->meta.source_compressed = hs_input_compressed(in);
	o->meta.source_bytes = hs_input_file_size(in);
	pc->total = hs_input_file_size(in);
	if (pc->total > 0 && !hs_input_compressed(in))
		hs_snapshot_reader_size_hint(r, (uint64_t)pc->total);
	hs_snapshot_reader_reserve(r, ANALYSIS_BYTES_PER_NODE);
	/* No room for the integers read ahead: read without. */
	(void)hs_input_set_work(in, read_ahead, NULL,
	    hs_intahead_size(AHEAD_VALUES));
	phase(pc, "parsing");
	while ((ret = hs_input_next_worked(in, &buf, &len, &ahead)) == 1) {
		if (hs_snapshot_reader_feed_ahead(r, buf, len, ahead) == -1)
			break;
		pc->bytes = hs_input_raw_bytes(in);
		if (o->progress)
			o->progress(o->ctx, hs_snapshot_reader_section(r),
			    pc->bytes, pc->total);
	}
	if (ret == -1 && hs_input_compressed(in))
		snprintf(err, errlen, "byte %llu of the compressed input: %s",
		    (unsigned long long)hs_input_error_offset(in),
		    hs_input_error(in));
	else if (ret == -1)
		snprintf(err, errlen, "byte %llu: %s",
		    (unsigned long long)hs_snapshot_reader_offset(r),
		    hs_input_error(in));
	else if (ret == 1 || hs_snapshot_reader_finish(r) == -1)
		snprintf(err, errlen, "%s", hs_snapshot_reader_error(r));
	else
		s = hs_snapshot_reader_take(r);
	hs_snapshot_reader_free(r);
	hs_input_close(in);
	return s;
}

int
hs_summarize(const char *path, struct hs_summarize_options *o,
    hs_write_fn write_fn, void *sink, char *err, size_t errlen)
{
	struct phase_ctx pc = { o, 0, -1 };
	struct hs_snapshot *s;
	struct hs_analysis *a;
	int ret = -1;

	if ((s = read_snapshot(path, o, &pc, err, errlen)) == NULL)
		return -1;
	if ((a = hs_analysis_new(s, &o->analysis)) == NULL) {
		snprintf(err, errlen, "out of memory");
		hs_snapshot_free(s);
		return -1;
	}
	if (hs_analysis_run(a, phase, &pc) == -1) {
		snprintf(err, errlen, "%s", hs_analysis_error(a));
		goto out;
	}
	/* Undecided names were redacted, but the pattern is at fault. */
	if (hs_regex_failed(o->analysis.redact)) {
		snprintf(err, errlen, "the redaction pattern hit a match limit "
		    "or ran out of memory");
		goto out;
	}
	phase(&pc, "writing");
	ret = hs_summary_write(a, &o->meta, write_fn, sink, err, errlen);
out:
	hs_analysis_free(a);
	hs_snapshot_free(s);
	return ret;
}
