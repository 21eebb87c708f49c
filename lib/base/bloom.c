/* bloom.c - a blocked Bloom filter: one hash picks a 512-bit block (one
 * cache line), seven probes inside it. A million-key filter is bigger than
 * the cache, and seven probes spread over it cost seven misses; within one
 * line they cost one, for a slightly higher false-positive rate. */
#include "bloom.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>

uint64_t crm_hash64(const void *p, size_t len)
{
	/* murmur3's finalizer: spread FNV's weak low bits */
	return crm_mix64(crm_fnv1a64(p, len, CRM_FNV_BASIS));
}

enum { BLOCK_WORDS = 8 }; /* 512 bits, a cache line */

uint64_t crm_bloom_room(void)
{
	const char *env = getenv("CRM_TEST_BLOOM_ITEMS");
	int64_t n;

	return env && crm_parse_int(env, &n) == 0 && n > 0 ? (uint64_t)n
							   : 1u << 20;
}

uint64_t crm_bloom_bits(uint64_t n)
{
	uint64_t bits = 1024;

	while (bits < n * 10 && bits < (1ULL << 40))
		bits <<= 1;
	return bits;
}

void crm_bloom_init(struct crm_bloom *b, uint64_t n)
{
	uint64_t bits = crm_bloom_bits(n);

	b->bits = crm_xcalloc(bits / 64, sizeof(uint64_t));
	b->mask = bits - 1;
	b->n = 0;
}

bool crm_bloom_full(const struct crm_bloom *b)
{
	return b->bits && b->n * 10 > b->mask + 1;
}

void crm_bloom_release(struct crm_bloom *b)
{
	free(b->bits);
	b->bits = NULL;
	b->mask = 0;
	b->n = 0;
}

/* The block of h, and seven 9-bit positions in it from a remix of h. */
static uint64_t *block(const struct crm_bloom *b, uint64_t h, uint64_t *pos)
{
	uint64_t nblocks = (b->mask + 1) / 512;

	*pos = (h ^ (h >> 29)) * 0x9e3779b97f4a7c15ULL;
	return b->bits + ((h >> 32) & (nblocks - 1)) * BLOCK_WORDS;
}

void crm_bloom_add(struct crm_bloom *b, const void *p, size_t len)
{
	uint64_t pos, *w = block(b, crm_hash64(p, len), &pos);

	b->n++;
	for (int i = 0; i < 7; i++, pos >>= 9)
		w[(pos >> 6) & 7] |= 1ULL << (pos & 63);
}

bool crm_bloom_maybe(const struct crm_bloom *b, const void *p, size_t len)
{
	uint64_t pos, *w = block(b, crm_hash64(p, len), &pos);

	for (int i = 0; i < 7; i++, pos >>= 9)
		if (!(w[(pos >> 6) & 7] & (1ULL << (pos & 63))))
			return false;
	return true;
}
