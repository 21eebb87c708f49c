/* hash.h - 64-bit hashes of bytes: FNV-1a, and murmur3's finalizer to
 * spread its weak low bits. Not for adversaries; for tables, blocks and
 * Bloom filters. */
#ifndef CRM_HASH_H
#define CRM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define CRM_FNV_BASIS 0xcbf29ce484222325ULL

/* FNV-1a of the n bytes at p, continuing from h (CRM_FNV_BASIS to start). */
static inline uint64_t crm_fnv1a64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* murmur3's 64-bit finalizer: every bit of h moves every bit of the
 * result. */
static inline uint64_t crm_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

#endif
