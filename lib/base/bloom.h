/* bloom.h - a Bloom filter over byte strings: "certainly absent" or
 * "maybe present", in about ten bits per item. */
#ifndef CRM_BLOOM_H
#define CRM_BLOOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct crm_bloom {
	uint64_t *bits;
	uint64_t mask; /* number of bits - 1 (a power of two) */
	uint64_t n;    /* items added */
};

/* Room for about n items at a 1% false-positive rate. */
void crm_bloom_init(struct crm_bloom *b, uint64_t n);
/* Items a filter is sized for beyond those it is first filled with: a
 * million (2 MiB), so that an import of that size never makes its filter
 * again. CRM_TEST_BLOOM_ITEMS sets it lower, for the tests of a filter
 * made again. */
uint64_t crm_bloom_room(void);
/* The bits crm_bloom_init gives a filter for n items. */
uint64_t crm_bloom_bits(uint64_t n);
/* Whether more items were added than b has room for: its false-positive
 * rate grows past 1% from there (40% at three times as many). */
bool crm_bloom_full(const struct crm_bloom *b);
void crm_bloom_release(struct crm_bloom *b);
void crm_bloom_add(struct crm_bloom *b, const void *p, size_t len);
/* false: p was never added; true: it may have been. */
bool crm_bloom_maybe(const struct crm_bloom *b, const void *p, size_t len);
/* A 64-bit hash of p (FNV-1a, then mixed). */
uint64_t crm_hash64(const void *p, size_t len);

#endif
