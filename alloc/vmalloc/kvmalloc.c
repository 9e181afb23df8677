/*
 * kvmalloc.c - kvmalloc, kvzalloc and kvfree: kmalloc first, vmalloc after.
 *
 * The kernel keeps these in mm/slub.c (mm/util.c before 6.12); they sit
 * here, at the vmalloc layer, because they call both kmalloc and vmalloc
 * and only the vmalloc layer may reach both without calling upward.
 */
#include <limits.h>

#include "vmalloc/vmap.h"

/*
 * kvmalloc follows the current kernel (mm/slub.c: kmalloc_gfp_adjust() and
 * __kvmalloc_node_noprof(), as of late 2025):
 *  - above PAGE_SIZE the kmalloc attempt gets __GFP_NOWARN, loses
 *    __GFP_NOFAIL (the vmalloc fallback implements it) and, unless
 *    __GFP_RETRY_MAYFAIL asks for contiguous memory in earnest, loses
 *    __GFP_DIRECT_RECLAIM (until 2025 it got __GFP_NORETRY instead);
 *  - up to PAGE_SIZE there is no fallback: kmalloc's answer is final;
 *  - the fallback takes any flags: the old "(flags & GFP_KERNEL) !=
 *    GFP_KERNEL means kmalloc only" rule went in 5.17 (NOFS/NOIO became
 *    scoped), and the refusal of non-blocking flags went when vmalloc
 *    learned GFP_ATOMIC/GFP_NOWAIT;
 *  - above INT_MAX: NULL, with a WARN_ON_ONCE unless __GFP_NOWARN.
 */
static gfp_t kmalloc_gfp_adjust(gfp_t flags, size_t size)
{
	if (size > PAGE_SIZE) {
		flags |= __GFP_NOWARN;
		if (!(flags & __GFP_RETRY_MAYFAIL))
			flags &= ~__GFP_DIRECT_RECLAIM;
		flags &= ~__GFP_NOFAIL;
	}
	return flags;
}

void *kvmalloc(size_t size, gfp_t flags)
{
	void *ret = kmalloc(size, kmalloc_gfp_adjust(flags, size));

	if (ret || size <= PAGE_SIZE)
		return ret;
	if (unlikely(size > INT_MAX)) {
		if (!(flags & __GFP_NOWARN))
			warn_on_once(&vmap.warned_intmax,
				     "mm/slub.c __kvmalloc_node_noprof",
				     "size > INT_MAX");
		return NULL;
	}
	return __vmalloc_node_range(size, flags, _RET_IP_);
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}
