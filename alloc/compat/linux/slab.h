/*
 * linux/slab.h for slabfuzz's kernel-compat layer: slab caches and kmalloc
 * (kalloc/slab.h has the kernel's names and signatures), kvmalloc, and the
 * _node variants of a one-node machine.
 */
#ifndef _SLABFUZZ_LINUX_SLAB_H
#define _SLABFUZZ_LINUX_SLAB_H

#include <kalloc/slab.h>
#include <kalloc/vmalloc.h>
#include "linux/gfp.h"
#include "linux/kernel.h"
#include "linux/types.h"

#define kmalloc_node(size, gfp, nid)		((void)(nid), kmalloc(size, gfp))
#define kzalloc_node(size, gfp, nid)		((void)(nid), kzalloc(size, gfp))
#define kcalloc_node(n, size, gfp, nid)		((void)(nid), kcalloc(n, size, gfp))
#define kmalloc_array_node(n, size, gfp, nid)	((void)(nid), kmalloc_array(n, size, gfp))
#define kmem_cache_alloc_node(s, gfp, nid)	((void)(nid), kmem_cache_alloc(s, gfp))
#define kvmalloc_node(size, gfp, nid)		((void)(nid), kvmalloc(size, gfp))
#define kvzalloc_node(size, gfp, nid)		((void)(nid), kvzalloc(size, gfp))

/* usercopy regions are for hardened usercopy, which is not modelled */
#define kmem_cache_create_usercopy(name, size, align, flags, useroffset, usersize, ctor) \
	((void)(useroffset), (void)(usersize), kmem_cache_create(name, size, align, flags, ctor))

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc(bytes, gfp);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kvmalloc_array(n, size, gfp | __GFP_ZERO);
}

#endif /* _SLABFUZZ_LINUX_SLAB_H */
