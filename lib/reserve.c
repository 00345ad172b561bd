/*
 * reserve: memory faulted in ahead of need (see reserve.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "prefault.h"
#include "reserve.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define SANITIZED	1
#endif
#endif

/*
 * The reserve starts on a huge page boundary, so that where the system
 * gives every mapping huge pages, all of it can have them (hs does not
 * ask for them: see alloc.c).  Blocks are carved from it in whole pages:
 * their own alignment does not change its pages.
 */
#define ALIGN		((size_t)2 << 20)
#define PAGE		((size_t)4096)
#define MAX_RANGES	32

struct range {
	char	*addr;
	size_t	 len;
	int	 dirty;		/* written to (spare ranges only) */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int is_open;			/* the reserve takes requests */
static int started;			/* since hs_reserve_end() */
static int recycling;			/* keeps blocks freed, for reuse */
static struct range carved[MAX_RANGES];	/* in use */
static int ncarved;
static struct range spare[MAX_RANGES];	/* free, to be carved (again) */
static int nspare;
static struct hs_prefault *job;		/* faulting the reserve in */
static atomic_int any_carved;		/* ncarved != 0, read without lock */

/*
 * Stops the job: parts of the reserve are about to be unmapped.  Its
 * memory is freed once the lock is let go (hs_free() may take it).
 */
static struct hs_prefault *stopped;

static void
stop_job(void)
{
	if (job != NULL) {
		hs_prefault_stop(job);
		stopped = job;
		job = NULL;
	}
}

static void
unlock(void)
{
	struct hs_prefault *j = stopped;

	stopped = NULL;
	pthread_mutex_unlock(&lock);
	hs_prefault_free(j);
}

/* Unmaps the spare ranges.  The lock is held. */
static void
unmap_spare(void)
{
	int i;

	for (i = 0; i < nspare; i++)
		(void)munmap(spare[i].addr, spare[i].len);
	nspare = 0;
}

/* Closes the reserve: its free parts are unmapped.  The lock is held. */
static void
release(void)
{
	stop_job();
	unmap_spare();
	is_open = 0;
}

/* Gives a range back to the spare ones, merged with its neighbours. */
static void
add_spare(char *addr, size_t len, int dirty)
{
	int i;

	for (i = 0; i < nspare; i++) {
		if (spare[i].addr + spare[i].len == addr) {
			addr = spare[i].addr;
			len += spare[i].len;
		} else if (addr + len == spare[i].addr) {
			len += spare[i].len;
		} else {
			continue;
		}
		dirty |= spare[i].dirty;
		spare[i] = spare[--nspare];
		i = -1;		/* look again */
	}
	spare[nspare].addr = addr;
	spare[nspare].len = len;
	spare[nspare].dirty = dirty;
	nspare++;
}

/* A mapping of len bytes (whole pages) on a huge page boundary, or NULL. */
static char *
map_aligned(size_t len)
{
	char *base, *start;
	size_t head;

	base = mmap(NULL, len + ALIGN, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	start = (char *)(((uintptr_t)base + ALIGN - 1) &
	    ~(uintptr_t)(ALIGN - 1));
	head = (size_t)(start - base);
	if (head > 0)
		(void)munmap(base, head);
	(void)munmap(start + len, ALIGN - head);
	return start;
}

void
hs_reserve_start(size_t bytes)
{
#if defined(SANITIZED) || !defined(MADV_POPULATE_WRITE)
	(void)bytes;
#else
	char *start;
	size_t len;
	void *arrays[1];

	if (bytes < HS_RESERVE_MIN || bytes > SIZE_MAX / 2)
		return;
	len = (bytes + ALIGN - 1) & ~(ALIGN - 1);
	pthread_mutex_lock(&lock);
	if (is_open)
		goto out;	/* one at a time */
	unmap_spare();		/* blocks kept since hs_reserve_recycle() */
	recycling = 0;
	if ((start = map_aligned(len)) == NULL)
		goto out;
	is_open = 1;
	started = 1;
	nspare = 0;
	add_spare(start, len, 0);
	arrays[0] = start;
	if ((job = hs_prefault_start(arrays, &len, 1)) == NULL)
		release();	/* no use without the job */
out:
	unlock();
#endif
}

void *
hs_reserve_take(size_t size, int zero)
{
	struct range *best = NULL;
	size_t len;
	char *p = NULL;
	int i, dirty = 0;

	if (size < HS_RESERVE_MIN || size > SIZE_MAX / 2)
		return NULL;
	len = (size + PAGE - 1) & ~(PAGE - 1);
	pthread_mutex_lock(&lock);
	if (!is_open && !recycling)
		goto out;
	for (i = 0; i < nspare; i++)
		if (spare[i].len >= len &&
		    (best == NULL || spare[i].len < best->len))
			best = &spare[i];
	if (is_open && (best == NULL || ncarved == MAX_RANGES)) {
		release();	/* used up: the rest goes */
		goto out;
	}
	if (ncarved == MAX_RANGES)
		goto out;
	if (best == NULL) {
		/* Mapped now, to be kept when freed. */
		if ((p = map_aligned(len)) == NULL)
			goto out;
	} else {
		p = best->addr;
		dirty = best->dirty;
		best->addr += len;
		if ((best->len -= len) == 0)
			*best = spare[--nspare];
	}
	carved[ncarved].addr = p;
	carved[ncarved].len = len;
	ncarved++;
	atomic_store(&any_carved, 1);
out:
	unlock();
	if (p != NULL && zero && dirty)
		memset(p, 0, size);
	return p;		/* if never written, zero */
}

/* The index of carved block p, or -1.  The lock is held. */
static int
find(const void *p)
{
	int i;

	for (i = 0; i < ncarved; i++)
		if (carved[i].addr == p)
			return i;
	return -1;
}

static int
maybe_carved(const void *p)
{
	return p != NULL && atomic_load(&any_carved) &&
	    ((uintptr_t)p & (PAGE - 1)) == 0;
}

size_t
hs_reserve_size(const void *p)
{
	size_t len = 0;
	int i;

	if (!maybe_carved(p))
		return 0;
	pthread_mutex_lock(&lock);
	if ((i = find(p)) != -1)
		len = carved[i].len;
	pthread_mutex_unlock(&lock);
	return len;
}

int
hs_reserve_free(void *p)
{
	int i;

	if (!maybe_carved(p))
		return 0;
	pthread_mutex_lock(&lock);
	if ((i = find(p)) != -1) {
		if ((is_open || recycling) && nspare < MAX_RANGES) {
			add_spare(carved[i].addr, carved[i].len, 1);
		} else {
			stop_job();
			(void)munmap(carved[i].addr, carved[i].len);
		}
		carved[i] = carved[--ncarved];
		if (ncarved == 0)
			atomic_store(&any_carved, 0);
	}
	unlock();
	return i != -1;
}

void
hs_reserve_recycle(void)
{
	pthread_mutex_lock(&lock);
	if (is_open)
		release();
	recycling = started;	/* not where there is no reserve */
	unlock();
}

void
hs_reserve_end(void)
{
	pthread_mutex_lock(&lock);
	if (is_open)
		release();
	unmap_spare();
	started = recycling = 0;
	unlock();
}
