/*
 * internal.h - every internal header of the allocator, for the unit tests
 * that look inside. The allocator's own files include only the headers of
 * their layer and the layers below (ci/check-layers enforces it):
 *
 *   lib/kernel.h        helpers, list_head, kg, printk and report plumbing
 *   mem/memory.h        struct page, the arena, the KASAN shadow helpers
 *   page/buddy.h        the buddy allocator's zones, free lists and reports
 *   reclaim/reclaim.h   shrinkers and direct reclaim
 *   slab/slab.h         the contract between slab_common/kmalloc and SLUB
 *   slab/slub.h         SLUB's private structures and paths
 *   debug/debug.h       the hooks SLUB and kmalloc call into the debug layer
 *   debug/slub_debug.h  the debug layer's own reports and helpers
 *   debug/quarantine.h  what the quarantine holds, KASAN's free track
 *   debug/obj_info.h    one slab object's state, for the machine's walks
 *   vmalloc/vmalloc.h   vmalloc areas
 *
 * Reset contract: every layer restores the state it had just after init at a
 * cost proportional to what was touched since. arena.c keeps a list of dirty
 * page frames; any code that changes a struct page, or hands a frame out, calls
 * page_mark_dirty() first (the buddy allocator does so for every block it
 * allocates, so layers above need not for pages they own).
 */
#ifndef KALLOC_INTERNAL_H
#define KALLOC_INTERNAL_H

#include "lib/kernel.h"
#include "mem/memory.h"
#include "page/buddy.h"
#include "reclaim/reclaim.h"
#include "slab/slab.h"
#include "slab/slub.h"
#include "debug/debug.h"
#include "debug/slub_debug.h"
#include "debug/quarantine.h"
#include "debug/obj_info.h"
#include "vmalloc/vmalloc.h"

#endif /* KALLOC_INTERNAL_H */
