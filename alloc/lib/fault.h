/*
 * lib/fault.h - the fault-injection hook (lib/fault.c) that the page
 * allocator's should_fail_alloc_page() and the slab layer's
 * should_failslab() consult (kalloc/fault.h has the contract).
 */
#ifndef KALLOC_LIB_FAULT_H
#define KALLOC_LIB_FAULT_H

#include "lib/kernel.h"

/* A hook is installed: the allocation paths' only cost when none is. */
extern bool fault_hook_armed;

/* Ask the hook about f; false for __GFP_NOFAIL. Out of line, slow path. */
bool fault_should_fail(const struct kalloc_fault *f);

#endif /* KALLOC_LIB_FAULT_H */
