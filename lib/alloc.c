/*
 * alloc: allocation wrappers with overflow checks and fault injection.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
 * No huge-page advice.  It cut page faults and TLB misses, but on the
 * virtual machines hs is measured on (and CI runs on), the host takes back
 * free memory in blocks of 2 MiB, and touching such a block again costs
 * about 2.2 ms a MiB.  A huge page can only come from such a block, while
 * 4 KiB pages come first from the smaller free pieces the host still
 * backs, at about 0.4 ms a MiB, often for most of a run.  On a cold 1 GB
 * snapshot that was 0.7 s of system time less, against 0.1 s more user
 * time for the TLB (bench/README.md).  Where the system enables huge
 * pages for every mapping, it still can.
 */
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
	return malloc(size ? size : 1);
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
	return calloc(nmemb, size);
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
		if ((p = malloc(size ? size : 1)) == NULL)
			return NULL;
		memcpy(p, ptr, old < size ? old : size);
		hs_reserve_free(ptr);
		return p;
	}
	return realloc(ptr, size ? size : 1);
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
