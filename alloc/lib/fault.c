/*
 * fault.c - the fault-injection hook: where the kernel's failslab and
 * fail_page_alloc keep their fault_attr, this keeps the caller's policy
 * (kalloc/fault.h). Only the rules every fault attribute shares live here;
 * should_failslab() (slab/failslab.c) and should_fail_alloc_page()
 * (page/page_alloc.c) add their own.
 */
#include "lib/fault.h"

bool fault_hook_armed;
static kalloc_should_fail_fn fault_hook;
static void *fault_hook_arg;

void kalloc_set_fault_hook(kalloc_should_fail_fn fn, void *arg)
{
	fault_hook = fn;
	fault_hook_arg = arg;
	fault_hook_armed = fn != NULL;
}

bool fault_should_fail(const struct kalloc_fault *f)
{
	/* __GFP_NOFAIL: the caller cannot handle failure (both attrs skip it) */
	if (!fault_hook || (f->gfp & __GFP_NOFAIL))
		return false;
	return fault_hook(f, fault_hook_arg);
}
