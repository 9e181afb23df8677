/*
 * fuzz_slab: kmem_cache life cycles, ctors, merging, bulk, shrink, per-CPU
 * and cross-CPU frees.
 */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_slab;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_slab, data, size);
}
