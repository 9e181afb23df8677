/* fuzz_buddy: pages, orders, zones, GFP rules, compound pages, reclaim. */
#include "run.h"

const struct sf_profile *const sf_target_profile = &sf_profile_buddy;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&sf_profile_buddy, data, size);
}
