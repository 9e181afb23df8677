/*
 * reclaim/reclaim.h - the life cycle of shrinkers and direct reclaim
 * (reclaim/reclaim.c); the shrinker API itself is public (kalloc/shrinker.h).
 */
#ifndef KALLOC_RECLAIM_RECLAIM_H
#define KALLOC_RECLAIM_RECLAIM_H

#include "lib/kernel.h"

void reclaim_reset(void);
void reclaim_snapshot(void);	/* after init: the shrinkers reset keeps */
void reclaim_fini(void);
/* Inside a reclaim pass (the kernel's PF_MEMALLOC): no nested reclaim. */
bool reclaim_in_progress(void);
/* The slab layer's pass over every cache, run after the shrinkers (slab_init
 * registers it, slab_fini takes it back with NULL). */
void reclaim_set_cache_shrinker(unsigned long (*shrink_all)(void));

#endif /* KALLOC_RECLAIM_RECLAIM_H */
