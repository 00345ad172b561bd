/*
 * fuzz_snapshot: libFuzzer target for the streaming snapshot reader
 * (lib/snapshot.h) and, when a snapshot is accepted, the analysis
 * (lib/analyze.h) with hs-summarize's default options.
 *
 * The input is fed in up to three chunks, cut at positions taken from its
 * first bytes, so that the reader's resumption at chunk boundaries is
 * exercised too; chunks are read ahead (hs_intscan_ahead(), as
 * hs-summarize's reader thread does) as the first byte's bits say.  Built
 * and run by "make fuzz".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "scan.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * By the bits of 'tune': room for one property list in the shape names'
 * cache (1), for one node in a list of the distances' levels (2).
 */
static void
analyze(struct hs_snapshot *snap, unsigned tune)
{
	struct hs_analysis_options o;
	struct hs_analysis *a;

	/* As hs_summarize_defaults() in lib/summarize.c. */
	memset(&o, 0, sizeof(o));
	o.retainer_classes = 200;
	o.retainers_per_class = 8;
	o.path_classes = 30;
	o.closure_sites = 500;
	o.allocation_sites = 200;
	o.shape_cache = tune & 1;
	o.level_list = (tune & 2) >> 1;
	if ((a = hs_analysis_new(snap, &o)) == NULL)
		return;
	(void)hs_analysis_run(a, NULL, NULL);
	hs_analysis_free(a);
}

#define AHEAD_CAP	4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const atomic_int go_on;
	static struct hs_intahead *ahead;

	struct hs_snapshot_reader *r;
	struct hs_snapshot *snap;
	size_t cut[4], i;
	int ok = 1;

	/* Two cut points from the first and last bytes, kept in order. */
	cut[0] = 0;
	cut[1] = size ? (size_t)data[0] * size / 256 : 0;
	cut[2] = size ? cut[1] + (size_t)data[size - 1] * (size - cut[1]) / 256 : 0;
	cut[3] = size;

	if (ahead == NULL &&
	    (ahead = malloc(hs_intahead_size(AHEAD_CAP))) == NULL)
		return 0;
	if ((r = hs_snapshot_reader_new()) == NULL)
		return 0;
	for (i = 0; i < 3 && ok; i++) {
		const struct hs_intahead *a = NULL;

		if (cut[i + 1] == cut[i])
			continue;
		if (data[0] & (1u << i)) {
			/* Room for 3 values, or plenty, by another bit. */
			ahead->cap = data[0] & 0x80 ? 3 : AHEAD_CAP;
			hs_intscan_ahead(ahead, data + cut[i],
			    cut[i + 1] - cut[i], &go_on);
			a = ahead;
		}
		if (hs_snapshot_reader_feed_ahead(r, data + cut[i],
		    cut[i + 1] - cut[i], a) == -1)
			ok = 0;
	}
	if (ok && hs_snapshot_reader_finish(r) == 0 &&
	    (snap = hs_snapshot_reader_take(r)) != NULL) {
		/* The last byte's two low bits: see analyze(). */
		analyze(snap, size ? data[size - 1] & 3 : 0);
		hs_snapshot_free(snap);
	}
	hs_snapshot_reader_free(r);
	return 0;
}
