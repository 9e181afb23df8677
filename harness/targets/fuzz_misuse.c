/*
 * fuzz_misuse: valid operations plus deliberate misuse, under full slab
 * debugging (FZPU).
 */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_misuse;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_misuse, data, size);
}
