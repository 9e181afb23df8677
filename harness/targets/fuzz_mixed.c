/*
 * fuzz_mixed: every valid operation, several CPUs, memory pressure,
 * debugging as the prefix says.
 */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_mixed;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_mixed, data, size);
}
