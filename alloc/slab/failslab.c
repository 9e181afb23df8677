/*
 * failslab.c - should_failslab(), the kernel's mm/failslab.c: the slab
 * allocation path's question to the fault-injection hook (lib/fault.c).
 *
 * The kernel's cache-filter knob is a debugfs switch; here it is on exactly
 * when some cache carries SLAB_FAILSLAB (slab_debug='A', or the flag given
 * to kmem_cache_create()): then only such caches fail, as the kernel does
 * with cache-filter=Y. With no cache marked, every cache may fail, as with
 * the kernel's default cache-filter=N. Asked only when a hook is installed,
 * so the cache walk costs nothing otherwise.
 */
#include "slab/slab.h"
#include "lib/fault.h"

static bool failslab_cache_filter(void)
{
	struct list_head *pos;

	list_for_each(pos, &slab_caches)
		if (list_entry(pos, struct kmem_cache, list)->flags & SLAB_FAILSLAB)
			return true;
	return false;
}

bool should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	struct kalloc_fault f = {
		.kind = KALLOC_FAULT_SLAB,
		.cache = s->name,
		.size = s->object_size,
		.gfp = gfp,
		.caller = caller,
	};

	if (failslab_cache_filter() && !(s->flags & SLAB_FAILSLAB))
		return false;
	return fault_should_fail(&f);
}
