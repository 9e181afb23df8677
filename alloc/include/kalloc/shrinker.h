/*
 * Shrinkers: callbacks that give memory back under pressure. Direct reclaim
 * (for GFP flags that allow it) runs every registered shrinker and shrinks
 * the slab caches, then retries the allocation.
 */
#ifndef KALLOC_SHRINKER_H
#define KALLOC_SHRINKER_H

#include "gfp.h"

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)

struct shrink_control {
	gfp_t gfp_mask;
	unsigned long nr_to_scan;	/* objects to scan in this call */
	unsigned long nr_scanned;	/* set by scan_objects if it scanned more */
};

struct shrinker {
	/* How many objects could be freed; 0 or SHRINK_EMPTY means none. */
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *);
	/* Free up to nr_to_scan objects; return how many, or SHRINK_STOP. */
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *);
	long batch;		/* objects per scan_objects call; 0 = 128 */
	int seeks;		/* cost to recreate an object; informational */
	void *private_data;
	/* private to the allocator */
	const char *name;
	struct shrinker *next_registered;
};

int register_shrinker(struct shrinker *shrinker, const char *name);
/* Safe from a shrinker's own callbacks, for itself or another one: once it
 * returns, reclaim never touches the shrinker again and it may be freed. */
void unregister_shrinker(struct shrinker *shrinker);

/*
 * One pass of direct reclaim as an allocation would run it: every shrinker,
 * then every slab cache shrunk, each shrinker seeing gfp in its
 * shrink_control. Returns the pages that came back to the buddy allocator.
 * A mask without __GFP_DIRECT_RECLAIM may not reclaim: nothing runs, 0.
 */
unsigned long kalloc_reclaim(gfp_t gfp);

#endif /* KALLOC_SHRINKER_H */
