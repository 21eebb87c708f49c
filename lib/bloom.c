/* bloom.c - a Bloom filter with seven probes from double hashing. */
#include "bloom.h"
#include "util.h"

#include <stdlib.h>

uint64_t crm_hash64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	/* murmur3's finalizer: spread FNV's weak low bits */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

void crm_bloom_init(struct crm_bloom *b, uint64_t n)
{
	uint64_t bits = 1024;

	while (bits < n * 10 && bits < (1ULL << 40))
		bits <<= 1;
	b->bits = crm_xcalloc(bits / 64, sizeof(uint64_t));
	b->mask = bits - 1;
}

void crm_bloom_release(struct crm_bloom *b)
{
	free(b->bits);
	b->bits = NULL;
	b->mask = 0;
}

void crm_bloom_add(struct crm_bloom *b, const void *p, size_t len)
{
	uint64_t h = crm_hash64(p, len), d = (h >> 32) | 1;

	for (int i = 0; i < 7; i++, h += d)
		b->bits[(h & b->mask) >> 6] |= 1ULL << (h & 63);
}

bool crm_bloom_maybe(const struct crm_bloom *b, const void *p, size_t len)
{
	uint64_t h = crm_hash64(p, len), d = (h >> 32) | 1;

	for (int i = 0; i < 7; i++, h += d)
		if (!(b->bits[(h & b->mask) >> 6] & (1ULL << (h & 63))))
			return false;
	return true;
}
