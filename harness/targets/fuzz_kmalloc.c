/* fuzz_kmalloc: the kmalloc family and krealloc. */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_kmalloc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_kmalloc, data, size);
}
