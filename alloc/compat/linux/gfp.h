/*
 * linux/gfp.h for slabfuzz's kernel-compat layer: GFP flags and the page
 * allocator's API (alloc_pages, __get_free_pages, free_pages ...), served by
 * kalloc's buddy allocator. The machine has one node: the _node variants
 * ignore nid.
 */
#ifndef _SLABFUZZ_LINUX_GFP_H
#define _SLABFUZZ_LINUX_GFP_H

#include <kalloc/mm.h>
#include "linux/gfp_types.h"
#include "linux/mm_types.h"

#define NUMA_NO_NODE	(-1)

#define alloc_pages_node(nid, gfp, order)	((void)(nid), alloc_pages(gfp, order))
#define __get_dma_pages(gfp, order)		__get_free_pages((gfp) | GFP_DMA, order)

#endif /* _SLABFUZZ_LINUX_GFP_H */
