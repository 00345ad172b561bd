/*
 * prefault: the pages of arrays about to be filled, faulted in on the
 * second core.
 *
 * The first touch of a page costs a fault and a page of zeros (on a
 * virtual machine often a host fault too): for the columns a snapshot's
 * nodes and edges are read into, that was more than half of the reading
 * time, on one core, while the other one waited.  A prefault job walks the
 * arrays on a thread of its own from their starts, with
 * MADV_POPULATE_WRITE, which faults pages in without changing a byte of
 * them, while the caller fills them from their starts too: where the job
 * is the faster, the caller finds every page in; where the caller is, it
 * faults in what it reaches first, and the job, walking pages already in
 * at little cost, catches up with it.  (Walking from the ends backwards,
 * the two would meet in the middle, and the caller would pay for the
 * first part even when the job is the faster: on the 1 GiB bench file,
 * the main thread's page clearing while reading was 2 to 4 times what it
 * is now.)
 *
 *	job = hs_prefault_start(arrays, lengths, n);	// NULL: no job
 *	... fill the arrays from the start ...
 *	hs_prefault_stop(job);	// before the arrays move or are freed
 *
 * Where the system has no MADV_POPULATE_WRITE (Linux before 5.14, other
 * systems), or no thread can be had, there is no job and nothing changes.
 */
#ifndef HS_PREFAULT_H
#define HS_PREFAULT_H

#include <stddef.h>

#define HS_PREFAULT_MAX	8	/* arrays per job */

struct hs_prefault;

struct hs_prefault *hs_prefault_start(void *const *arrays,
		    const size_t *lengths, int n);
void		 hs_prefault_stop(struct hs_prefault *);
/* Whether the job is over: all faulted in, stopped, or no job at all. */
int		 hs_prefault_finished(struct hs_prefault *);
/* Bytes the job faulted in (for tests); valid after hs_prefault_stop(). */
size_t		 hs_prefault_done(const struct hs_prefault *);
void		 hs_prefault_free(struct hs_prefault *);

#endif
