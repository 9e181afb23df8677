/* fuzz_vmalloc: vmalloc and kvmalloc. */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_vmalloc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_vmalloc, data, size);
}
