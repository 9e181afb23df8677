/*
 * libFuzzer custom mutator shared by the targets (fuzz builds only).
 *
 * The first SF_PREFIX_LEN bytes choose the machine configuration, and a
 * new configuration costs a kalloc_fini() + kalloc_init() instead of a
 * cheap kalloc_reset(). Left to itself libFuzzer mutates those bytes as
 * often as any other, so nearly every execution would rebuild the
 * machine. This mutator changes the configuration in one mutation out of
 * 32 and otherwise mutates only the operations, so that the executions a
 * corpus entry spawns mostly share its machine.
 */
#include <stddef.h>
#include <stdint.h>

#include "program.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	if (size <= SF_PREFIX_LEN || max_size <= SF_PREFIX_LEN || seed % 32 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	return SF_PREFIX_LEN + LLVMFuzzerMutate(data + SF_PREFIX_LEN,
						size - SF_PREFIX_LEN,
						max_size - SF_PREFIX_LEN);
}
