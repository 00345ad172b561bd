/*
 * alloc: the toolkit's memory allocation, in one place.
 *
 * Every allocation in lib/ and cmd/ goes through these functions, so that a
 * test can make the Nth allocation fail (HS_FAIL_ALLOC=N in the environment,
 * read once by hs_alloc_init_from_env()) and check that every caller turns
 * the failure into a clean error.  The functions return NULL on failure and
 * never abort; hs_free() accepts NULL.
 *
 * hs_alloc_array() and hs_realloc_array() check the multiplication for
 * overflow, as OpenBSD's reallocarray does.
 */
#ifndef HS_ALLOC_H
#define HS_ALLOC_H

#include <stddef.h>

void	*hs_malloc(size_t size);
void	*hs_calloc(size_t nmemb, size_t size);
void	*hs_realloc(void *ptr, size_t size);
void	*hs_alloc_array(size_t nmemb, size_t size);
void	*hs_realloc_array(void *ptr, size_t nmemb, size_t size);
char	*hs_strndup(const char *s, size_t len);
char	*hs_strdup(const char *s);
void	 hs_free(void *ptr);

/*
 * Grows *arrayp, holding *capp elements of size elsize, so that it holds at
 * least need elements.  Growth is geometric.  Returns 0, or -1 with the
 * array untouched when memory runs out or the size overflows.
 */
int	 hs_grow(void *arrayp, size_t *capp, size_t need, size_t elsize);

/* Fault injection: fail the Nth allocation from now on (0 turns it off). */
void	 hs_alloc_fail_at(unsigned long n);
void	 hs_alloc_init_from_env(void);
/* Process-wide allocator settings for the tools (see alloc.c). */
void	 hs_alloc_policy(void);
unsigned long hs_alloc_count(void);

#endif
