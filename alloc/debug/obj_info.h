/*
 * debug/obj_info.h - what the debug layer tells the machine layer about one
 * slab object, as the kernel's kmem_obj_info() tells mem_dump_obj(): is it
 * free, what was asked for, who allocated it. machine/objects.c's walks
 * (kalloc_for_each_allocated(), kalloc_describe_addr()) need exactly this,
 * and it takes both SLUB's freelists and the quarantine to answer, so it is
 * asked here rather than read from SLUB's and the debug layer's private
 * headers.
 */
#ifndef KALLOC_DEBUG_OBJ_INFO_H
#define KALLOC_DEBUG_OBJ_INFO_H

#include "slab/slab.h"

struct kmem_obj_info {
	/* on its slab's freelist, its cpu's lockless freelist, or in the
	 * quarantine */
	bool free;
	/* the request kept with slab_debug U for kmalloc caches, else
	 * object_size */
	unsigned int orig_size;
	/* the allocation track (slab_debug U), else all 0 */
	unsigned long alloc_addr;	/* the caller's return address */
	unsigned long alloc_when;	/* kalloc_op_count() then */
	int alloc_pid;
};

/* slub_debug.c: object is an object start of slab, a slab of s. */
void kmem_obj_info(struct kmem_obj_info *kpp, struct kmem_cache *s,
		   struct slab *slab, void *object);

#endif /* KALLOC_DEBUG_OBJ_INFO_H */
