/*
 * alloc: allocation wrappers with overflow checks and fault injection.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "alloc.h"
#include "reserve.h"

/* Atomic: the input thread allocates too (zstd windows). */
static atomic_ulong alloc_calls;
static atomic_ulong alloc_fail_at;

static int
should_fail(void)
{
	unsigned long n = atomic_fetch_add(&alloc_calls, 1) + 1;
	unsigned long at = atomic_load(&alloc_fail_at);

	return at != 0 && n >= at;
}

void
hs_alloc_fail_at(unsigned long n)
{
	alloc_calls = 0;
	alloc_fail_at = n;
}

void
hs_alloc_init_from_env(void)
{
	const char *s = getenv("HS_FAIL_ALLOC");

	if (s != NULL && *s != '\0')
		hs_alloc_fail_at(strtoul(s, NULL, 10));
}

/*
 * glibc serves large blocks with mmap, and gives them back on free, but
 * after such a free it raises its threshold (up to 32 MiB), so that the
 * next temporary arrays of a few MiB come from the heap and stay resident
 * once freed: on a 1 GB snapshot that added about 90 MiB to the peak.  A
 * fixed threshold keeps every block of 1 MiB or more returned on free.
 */
void
hs_alloc_policy(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	(void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

unsigned long
hs_alloc_count(void)
{
	return alloc_calls;
}

/*
 * The analysis walks arrays of tens of millions of entries in random order;
 * transparent huge pages cut both the page faults and the TLB misses.
 * Large blocks come straight from mmap (glibc's threshold is far below
 * this), untouched, so the advice applies from the first fault.  Blocks
 * of 2 MiB or more from hs_malloc() also begin on a huge page, so that all
 * of them but the tail can be huge pages (a 100 MB snapshot's node arrays
 * are 5 MiB each).  calloc() cannot be aligned without writing its zeros
 * itself, so its blocks are only advised.
 */
#define HUGE_ADVICE_MIN	(2u << 20)
#define HUGE_PAGE	((uintptr_t)2 << 20)

/*
 * The advice covers the block's pages from first to last, not only its
 * whole huge pages: advice on part of a mapping splits it in three, and
 * realloc() can then no longer move it with mremap() (which refuses a
 * range over more than one mapping), so it copied every block it grew.
 */
static void
advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (p == NULL || size < HUGE_ADVICE_MIN || page == 0 ||
	    (page & (page - 1)) != 0)
		return;
	start = (uintptr_t)p & ~(page - 1);
	end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

/* A block from the C library, on a huge page if large. */
static void *
malloc_block(size_t size)
{
	void *p;

	if (size < HUGE_ADVICE_MIN)
		return malloc(size ? size : 1);
	if (posix_memalign(&p, HUGE_PAGE, size) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	advise_huge(p, size);
	return p;
}

void *
hs_malloc(size_t size)
{
	void *p;

	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = hs_reserve_take(size, 0)) != NULL)
		return p;
	return malloc_block(size);
}

void *
hs_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (nmemb <= SIZE_MAX / size &&
	    (p = hs_reserve_take(nmemb * size, 1)) != NULL)
		return p;
	p = calloc(nmemb, size);
	if (p != NULL && nmemb <= SIZE_MAX / size)
		advise_huge(p, nmemb * size);
	return p;
}

void *
hs_realloc(void *ptr, size_t size)
{
	size_t old;
	void *p;

	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	if ((old = hs_reserve_size(ptr)) != 0) {
		/* Out of the reserve, into malloc's care. */
		if ((p = malloc_block(size)) == NULL)
			return NULL;
		memcpy(p, ptr, old < size ? old : size);
		hs_reserve_free(ptr);
		return p;
	}
	ptr = realloc(ptr, size ? size : 1);
	advise_huge(ptr, size);
	return ptr;
}

void *
hs_alloc_array(size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return hs_malloc(nmemb * size);
}

void *
hs_realloc_array(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return hs_realloc(ptr, nmemb * size);
}

char *
hs_strndup(const char *s, size_t len)
{
	char *p = hs_malloc(len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
hs_strdup(const char *s)
{
	return hs_strndup(s, strlen(s));
}

void
hs_free(void *ptr)
{
	if (!hs_reserve_free(ptr))
		free(ptr);
}

int
hs_grow(void *arrayp, size_t *capp, size_t need, size_t elsize)
{
	void **ap = arrayp;
	size_t cap = *capp;
	void *p;

	if (need <= cap)
		return 0;
	if (cap < 16)
		cap = 16;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap = need / 2 > cap ? need : cap + cap / 2;
	}
	if ((p = hs_realloc_array(*ap, cap, elsize)) == NULL)
		return -1;
	*ap = p;
	*capp = cap;
	return 0;
}
