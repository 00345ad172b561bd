/*
 * hmap: an open-addressing hash map from byte strings to 32-bit values,
 * and the interning of strings to small dense ids that most of the
 * analysis relies on.
 *
 * Keys are copied into the map's own arena.  hs_hmap_intern() returns the
 * id of a key, adding it with the next id (0, 1, 2, ...) when new; the key
 * of an id is hs_hmap_key().  Functions that allocate return -1 (or
 * UINT32_MAX for ids) when memory runs out.
 */
#ifndef HS_HMAP_H
#define HS_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hs_hmap {
	uint32_t	*slots;		/* id + 1, or 0 for empty */
	uint32_t	*hashes;	/* per slot */
	size_t		 nslots;
	uint64_t	*key_off;	/* per id: offset into keys */
	uint32_t	*key_len;
	size_t		 count, cap;
	char		*keys;
	size_t		 keys_len, keys_cap;
};

void		 hs_hmap_init(struct hs_hmap *);
void		 hs_hmap_free(struct hs_hmap *);
/* The id of key, or UINT32_MAX when absent. */
uint32_t	 hs_hmap_find(const struct hs_hmap *, const void *key, size_t len);
/* The id of key, added when absent; *added tells which (may be NULL). */
uint32_t	 hs_hmap_intern(struct hs_hmap *, const void *key, size_t len,
		    int *added);
/* The key of id (NUL-terminated), and its length. */
const char	*hs_hmap_key(const struct hs_hmap *, uint32_t id, size_t *len);

uint32_t	 hs_hash(const void *key, size_t len);
/*
 * A fast hash of one 64-bit value, for direct-mapped caches: the
 * finaliser of SplitMix64, every input bit moves every output bit.
 * Inline: the loops over every edge call it.
 */
static inline uint32_t
hs_hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return (uint32_t)x;
}

#endif
