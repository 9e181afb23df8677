/*
 * Read-only views of the machine, for tools that draw or dump it (slabfuzz
 * heapmap): what each page frame is used for, and the vmalloc areas in
 * address order. Nothing here changes state, takes a lock that matters or
 * reports anything; it may be called at any point, a report handler
 * included (the state is then the one the report saw). The kernel has no
 * such API: these are the facts /proc/pagetypeinfo, /proc/slabinfo and
 * /proc/vmallocinfo print, per frame (alloc/DEVIATIONS.md, "Introspection").
 */
#ifndef KALLOC_WALK_H
#define KALLOC_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include "mm.h"

enum kalloc_frame_use {
	KALLOC_FRAME_FREE,		/* in a free buddy block */
	KALLOC_FRAME_SLAB,		/* part of a slab */
	KALLOC_FRAME_LARGE_KMALLOC,	/* part of a large kmalloc */
	KALLOC_FRAME_VMALLOC,		/* backs a vmalloc area page */
	KALLOC_FRAME_QUARANTINE,	/* freed, held back by the quarantine */
	KALLOC_FRAME_PAGES,		/* allocated by alloc_pages() */
	KALLOC_FRAME_RESERVED,		/* never managed by the buddy allocator */
	KALLOC_FRAME__COUNT
};

/* Where a slab is, as enum slab_list_id inside the allocator. */
enum kalloc_slab_where {
	KALLOC_SLAB_FULL_UNLISTED,	/* full, on no list (non-debug cache) */
	KALLOC_SLAB_CPU_ACTIVE,		/* a CPU's active slab */
	KALLOC_SLAB_CPU_PARTIAL,	/* on a CPU's partial list */
	KALLOC_SLAB_NODE_PARTIAL,	/* on the node's partial list */
	KALLOC_SLAB_FULL,		/* on the node's full list (debug caches) */
};

struct kalloc_frame {
	unsigned long pfn;
	enum zone_type zone;
	enum kalloc_frame_use use;
	unsigned long head_pfn;		/* first frame of the block it is part of */
	unsigned int order;		/* that block's order (free block, slab,
					 * compound page; 0 for a vmalloc page) */
	int refcount;			/* page_count() of the frame */
	/* KALLOC_FRAME_SLAB only (the same for every frame of the slab): */
	const char *cache;		/* the cache's name */
	const void *slab_addr;		/* first byte of the slab */
	unsigned int objects, inuse;	/* objects in the slab, and in use */
	unsigned int stride;		/* bytes per object slot (s->size) */
	unsigned int object_size;	/* the object's own bytes */
	unsigned int red_left_pad;	/* object start inside its slot */
	enum kalloc_slab_where where;
	int cpu;			/* CPU of an active or cpu-partial slab, else -1 */
};

/* Describe frame pfn. -EINVAL if pfn is not a frame of the machine, or
 * before kalloc_init(). */
int kalloc_frame_info(unsigned long pfn, struct kalloc_frame *out);

struct kalloc_vm_area {
	const void *addr;		/* first byte of the area */
	unsigned long size;		/* bytes, the trailing guard page included */
	unsigned int nr_pages;		/* pages backing it */
	unsigned long requested;	/* the caller's size before rounding */
	unsigned long caller;		/* return address of the vmalloc() call */
};

/* Call fn for each vmalloc area in address order; stops early when fn
 * returns nonzero and returns that value (0 when every area was seen). */
int kalloc_for_each_vm_area(int (*fn)(const struct kalloc_vm_area *area, void *arg),
			    void *arg);

#endif /* KALLOC_WALK_H */
