/*
 * The fuzz target, built once per line of harness/targets.txt with
 * SF_PROFILE set to that target's profile (struct sf_profile in
 * profiles.c): the profile is the only difference between targets.
 */
#include "run.h"

#ifndef SF_PROFILE
#error "build with -DSF_PROFILE=sf_profile_<name>"
#endif

const struct sf_profile *const sf_target_profile = &SF_PROFILE;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sf_run_input(&SF_PROFILE, data, size);
}
