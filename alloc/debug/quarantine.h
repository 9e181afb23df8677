/*
 * debug/quarantine.h - the quarantine's interface inside the debug layer
 * (quarantine.c), for the checks and reports that ask what it holds, and
 * KASAN's free track, which it keeps for each object (mm/kasan/kasan.h's
 * struct kasan_track, kept in the kernel in the object's free meta).
 *
 * The quarantine knows SLUB only through the slab contract (slab/slab.h)
 * and the ops SLUB registers with it (quarantine_register_ops(), debug.h):
 * it never includes SLUB's private header, so that it can hand an object
 * back without the debug layer and SLUB calling each other in a circle.
 */
#ifndef KALLOC_DEBUG_QUARANTINE_H
#define KALLOC_DEBUG_QUARANTINE_H

#include "debug/debug.h"

/* Who freed an object held in the quarantine ("Freed by task ..."). */
struct kasan_track {
	unsigned long addr;	/* the freeing caller's return address */
	int cpu;
	int pid;
	unsigned long when;	/* kalloc_op_count() at the free ("ops ago") */
};

bool quarantine_enabled(void);
bool quarantine_contains(const void *object);
/* The free track kept for an object in the quarantine, or NULL. */
const struct kasan_track *quarantine_free_track(const void *object);
size_t quarantine_bytes_held(void);
size_t quarantine_capacity(void);	/* entries the tables hold now */

#endif /* KALLOC_DEBUG_QUARANTINE_H */
