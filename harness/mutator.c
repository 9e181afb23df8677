/*
 * libFuzzer's custom mutator and crossover for every target (fuzz builds
 * only): the structure-aware mutator of mutate.c over the ops of this
 * target's profile. One mutation in eight is left to libFuzzer's byte
 * mutator, over the op bytes only: it finds what no structural operator
 * would try, and leaving the configuration prefix alone keeps the input on
 * its machine (configuration changes are the structural mutator's, rare
 * and mostly to configurations already seen).
 */
#include <stddef.h>
#include <stdint.h>

#include "mutate.h"
#include "run.h"

#define BYTE_MUTATOR_SHARE	8	/* one in eight */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2,
				 size_t s2, uint8_t *out, size_t max_out,
				 unsigned int seed);

static struct sf_mutator mut;
static bool ready;

static struct sf_mutator *mutator(void)
{
	if (!ready) {
		sf_mutator_init(&mut, sf_target_profile->groups);
		ready = true;
	}
	return &mut;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	if (seed % BYTE_MUTATOR_SHARE == 0 && size > SF_PREFIX_LEN &&
	    max_size > SF_PREFIX_LEN)
		return SF_PREFIX_LEN + LLVMFuzzerMutate(data + SF_PREFIX_LEN,
							size - SF_PREFIX_LEN,
							max_size - SF_PREFIX_LEN);
	return sf_mutate(mutator(), data, size, max_size, seed / BYTE_MUTATOR_SHARE);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2,
				 size_t s2, uint8_t *out, size_t max_out,
				 unsigned int seed)
{
	return sf_crossover(mutator(), d1, s1, d2, s2, out, max_out, seed);
}
