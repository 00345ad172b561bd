/*
 * reserve: memory faulted in ahead of need, while a core has time.
 *
 * On a virtual machine the first touch of a page can cost far more than
 * the work done on it (a fault in the guest and one in the host): on this
 * project's benchmark machine, about 2 s of CPU per GB.  Reading a big
 * snapshot leaves the second core idle near its end, and the analysis that
 * follows allocates its arrays at once and faults them in on the critical
 * path.  hs_reserve_start() maps one region and faults it in on a thread
 * of its own (see prefault.h); while the reserve is open, each large
 * allocation (alloc.c) is carved from it, in whole pages, already faulted
 * in, and a block freed goes back to it to be carved again (zeroed when
 * asked).
 *
 *	hs_reserve_start(bytes);	// e.g. when the graph is read
 *	p = hs_reserve_take(size, zero);	// NULL: allocate as usual
 *	hs_reserve_free(p);		// 1 if p was carved
 *	hs_reserve_recycle();		// at the peak of memory in use
 *	hs_reserve_end();		// when no large block is to come
 *
 * The reserve closes as soon as one request does not fit, or on
 * hs_reserve_recycle() or hs_reserve_end(): what is not carved is unmapped
 * then, and blocks carved are unmapped when freed (but while recycling).
 * So it raises the memory in use only by its free part, until it closes.
 *
 * Past the peak, the blocks freed are worth keeping: the arrays of the
 * steps that follow would otherwise be fresh pages, each faulted in again.
 * From hs_reserve_recycle() (which closes the reserve if open) until
 * hs_reserve_end(), blocks carved are kept when freed, and large requests
 * are carved from those, or else from a mapping made for them, to be kept
 * in turn.  Blocks kept are dirty: zeroed when asked.  Called anywhere but
 * at the peak, this would raise it by the blocks kept and not reused.
 *
 * Where prefault has no job (no MADV_POPULATE_WRITE) or under a sanitizer
 * (which must see every array), there is no reserve, and no recycling.
 */
#ifndef HS_RESERVE_H
#define HS_RESERVE_H

#include <stddef.h>

/* Requests smaller than this are never served from the reserve. */
#define HS_RESERVE_MIN	((size_t)8 << 20)

void	 hs_reserve_start(size_t bytes);
/* A block of size bytes from the reserve, zeroed if zero is set; or NULL. */
void	*hs_reserve_take(size_t size, int zero);
int	 hs_reserve_free(void *p);
/* The size of carved block p, or 0 if p was not carved. */
size_t	 hs_reserve_size(const void *p);
void	 hs_reserve_recycle(void);
void	 hs_reserve_end(void);

#endif
