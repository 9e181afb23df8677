/*
 * Fault injection: the kernel's failslab (mm/failslab.c) and fail_page_alloc
 * (mm/fail_page_alloc.c), with the caller's policy in place of the kernel's
 * probability / interval / times attributes, so that a driver can fail
 * exactly the N-th allocation (syzkaller's fail_nth) or the first one made
 * from a given call site.
 *
 * Every kmem_cache_alloc/kmalloc (failslab) and every alloc_pages,
 * __get_free_pages, large kmalloc and vmalloc (fail_page_alloc) asks the
 * hook once, before it takes memory; a true answer makes that call return
 * NULL as if memory had run out (with no warning: the kernel's fault
 * injection prints none unless asked to). As in the kernel, __GFP_NOFAIL
 * allocations are never failed, and when slab_debug= has marked any cache
 * with 'A' (SLAB_FAILSLAB), failslab fails only marked caches (the
 * kernel's failslab/cache-filter). With no hook installed the allocation
 * paths test one flag.
 */
#ifndef KALLOC_FAULT_H
#define KALLOC_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include "gfp.h"

enum kalloc_fault_kind {
	KALLOC_FAULT_SLAB,	/* should_failslab(): a slab object */
	KALLOC_FAULT_PAGE,	/* should_fail_alloc_page(): pages */
};

struct kalloc_fault {
	enum kalloc_fault_kind kind;
	const char *cache;	/* SLAB: the cache's name; PAGE: NULL */
	size_t size;		/* bytes asked for (PAGE: PAGE_SIZE << order) */
	unsigned int order;	/* PAGE: the order; SLAB: 0 */
	gfp_t gfp;
	unsigned long caller;	/* return address into the allocating code */
};

/* Return true to make this allocation fail. */
typedef bool (*kalloc_should_fail_fn)(const struct kalloc_fault *f, void *arg);

/* Install the policy; NULL removes it. It survives reset and fini. */
void kalloc_set_fault_hook(kalloc_should_fail_fn fn, void *arg);

#endif /* KALLOC_FAULT_H */
