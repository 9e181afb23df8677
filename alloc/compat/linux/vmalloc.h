/*
 * linux/vmalloc.h for slabfuzz's kernel-compat layer: vmalloc, vzalloc,
 * vfree and friends (kalloc/vmalloc.h), each area followed by a guard page.
 */
#ifndef _SLABFUZZ_LINUX_VMALLOC_H
#define _SLABFUZZ_LINUX_VMALLOC_H

#include <kalloc/vmalloc.h>
#include "linux/gfp.h"
#include "linux/types.h"

#define vmalloc_node(size, nid)		((void)(nid), vmalloc(size))
#define vzalloc_node(size, nid)		((void)(nid), vzalloc(size))

/* __vmalloc(size, gfp) as since 5.8: only __GFP_ZERO changes anything */
static inline void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? vzalloc(size) : vmalloc(size);
}

static inline void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return vmalloc(bytes);
}

#endif /* _SLABFUZZ_LINUX_VMALLOC_H */
