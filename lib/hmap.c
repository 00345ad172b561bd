/*
 * hmap: string interning with linear probing (see hmap.h).
 */
#include <string.h>

#include "alloc.h"
#include "hmap.h"

uint32_t
hs_hash(const void *key, size_t len)
{
	/* FNV-1a, then a final mix so low bits are usable as an index. */
	const unsigned char *p = key;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return h;
}

void
hs_hmap_init(struct hs_hmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
hs_hmap_free(struct hs_hmap *m)
{
	hs_free(m->slots);
	hs_free(m->hashes);
	hs_free(m->key_off);
	hs_free(m->key_len);
	hs_free(m->keys);
	memset(m, 0, sizeof(*m));
}

uint32_t
hs_hmap_find(const struct hs_hmap *m, const void *key, size_t len)
{
	uint32_t h = hs_hash(key, len), id;
	size_t i;

	if (m->nslots == 0)
		return UINT32_MAX;
	for (i = h & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
		if (m->slots[i] == 0)
			return UINT32_MAX;
		id = m->slots[i] - 1;
		if (m->hashes[i] == h && m->key_len[id] == len &&
		    memcmp(m->keys + m->key_off[id], key, len) == 0)
			return id;
	}
}

static int
rehash(struct hs_hmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64, i, j;
	uint32_t *slots, *hashes;

	if ((slots = hs_calloc(n, sizeof(*slots))) == NULL)
		return -1;
	if ((hashes = hs_calloc(n, sizeof(*hashes))) == NULL) {
		hs_free(slots);
		return -1;
	}
	for (i = 0; i < m->nslots; i++) {
		if (m->slots[i] == 0)
			continue;
		for (j = m->hashes[i] & (n - 1); slots[j] != 0;
		    j = (j + 1) & (n - 1))
			;
		slots[j] = m->slots[i];
		hashes[j] = m->hashes[i];
	}
	hs_free(m->slots);
	hs_free(m->hashes);
	m->slots = slots;
	m->hashes = hashes;
	m->nslots = n;
	return 0;
}

uint32_t
hs_hmap_intern(struct hs_hmap *m, const void *key, size_t len, int *added)
{
	uint32_t h, id;
	size_t i;

	if (added)
		*added = 0;
	if ((id = hs_hmap_find(m, key, len)) != UINT32_MAX)
		return id;
	if (m->count >= UINT32_MAX - 1)
		return UINT32_MAX;
	if ((m->count + 1) * 2 > m->nslots && rehash(m) == -1)
		return UINT32_MAX;
	if (hs_grow(&m->key_off, &m->cap, m->count + 1, sizeof(uint64_t)) == -1)
		return UINT32_MAX;
	{
		/* key_len follows key_off's capacity. */
		uint32_t *kl = hs_realloc_array(m->key_len, m->cap,
		    sizeof(uint32_t));

		if (kl == NULL)
			return UINT32_MAX;
		m->key_len = kl;
	}
	if (len > UINT32_MAX || hs_grow(&m->keys, &m->keys_cap,
	    m->keys_len + len + 1, 1) == -1)
		return UINT32_MAX;
	id = (uint32_t)m->count++;
	memcpy(m->keys + m->keys_len, key, len);
	m->keys[m->keys_len + len] = '\0';
	m->key_off[id] = m->keys_len;
	m->key_len[id] = (uint32_t)len;
	m->keys_len += len + 1;
	h = hs_hash(key, len);
	for (i = h & (m->nslots - 1); m->slots[i] != 0;
	    i = (i + 1) & (m->nslots - 1))
		;
	m->slots[i] = id + 1;
	m->hashes[i] = h;
	if (added)
		*added = 1;
	return id;
}

const char *
hs_hmap_key(const struct hs_hmap *m, uint32_t id, size_t *len)
{
	if (len)
		*len = m->key_len[id];
	return m->keys + m->key_off[id];
}
