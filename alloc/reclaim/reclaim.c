/*
 * Shrinkers and direct reclaim.
 *
 * A direct-reclaim pass, as an allocation that may sleep runs it
 * (mm/vmscan.c shrink_slab/do_shrink_slab): every registered shrinker is
 * asked how many objects it could free (count_objects) and then told to
 * scan them in batches (scan_objects), and finally every slab cache is
 * shrunk so that emptied slabs go back to the buddy allocator. There is no
 * LRU of user pages here, so shrinkers and slab caches are all there is to
 * reclaim.
 *
 * Deviation: the kernel scans freeable >> priority objects per pass and
 * raises the priority on each retry; a pass here scans everything the
 * shrinker counted, as the kernel's last priority level would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reclaim/reclaim.h"
#include "page/buddy.h"

#define SHRINK_BATCH	128

static __machine_state struct shrinker *shrinker_list;

/* Shrinkers registered when init finished: what reset returns to. */
static __machine_state struct shrinker **boot_shrinkers;
static __machine_state size_t nr_boot_shrinkers;

/* What the slab layer registered to shrink every cache (reclaim runs it
 * after the shrinkers), or NULL. */
static __machine_state unsigned long (*cache_shrinker)(void);

void reclaim_set_cache_shrinker(unsigned long (*shrink_all)(void))
{
	cache_shrinker = shrink_all;
}

/*
 * The reclaim walk's place in the list. A shrinker may unregister itself
 * or another one from its callbacks (and free it once unregister returns):
 * the kernel's shrinker_put()/shrinker_free() keep a shrinker alive until
 * the walk has left it. Here unregister_shrinker() moves the walk past the
 * shrinker it removes, and marks the one being scanned as gone, so the walk
 * never touches a shrinker after its unregistration.
 */
static __machine_state struct shrinker *reclaim_current, *reclaim_next;
static __machine_state bool reclaim_current_gone;

bool reclaim_in_progress(void)
{
	return current_in_reclaim();
}

static bool shrinker_registered(const struct shrinker *s)
{
	for (const struct shrinker *p = shrinker_list; p; p = p->next_registered)
		if (p == s)
			return true;
	return false;
}

int register_shrinker(struct shrinker *shrinker, const char *name)
{
	if (!shrinker || !shrinker->count_objects || !shrinker->scan_objects) {
		printk("kalloc: register_shrinker(%s): needs count_objects and scan_objects\n",
		       name ? name : "(null)");
		return -EINVAL;
	}
	if (shrinker_registered(shrinker)) {
		printk("kalloc: register_shrinker(%s): already registered\n",
		       name ? name : "(null)");
		return -EBUSY;
	}
	shrinker->name = name;
	/* the kernel keeps shrinkers in registration order; so do we */
	shrinker->next_registered = NULL;
	struct shrinker **tail = &shrinker_list;
	while (*tail)
		tail = &(*tail)->next_registered;
	*tail = shrinker;
	return 0;
}

void unregister_shrinker(struct shrinker *shrinker)
{
	for (struct shrinker **pp = &shrinker_list; *pp;
	     pp = &(*pp)->next_registered) {
		if (*pp == shrinker) {
			if (shrinker == reclaim_next)
				reclaim_next = shrinker->next_registered;
			if (shrinker == reclaim_current)
				reclaim_current_gone = true;
			*pp = shrinker->next_registered;
			shrinker->next_registered = NULL;
			return;
		}
	}
}

/* One shrinker, everything it counted, in batches (do_shrink_slab). */
static unsigned long do_shrink_slab(struct shrinker *s, gfp_t gfp)
{
	struct shrink_control sc = { .gfp_mask = gfp };
	unsigned long freeable, total_scan, freed = 0;
	unsigned long batch = s->batch > 0 ? (unsigned long)s->batch : SHRINK_BATCH;

	freeable = s->count_objects(s, &sc);
	if (reclaim_current_gone || freeable == 0 || freeable == SHRINK_EMPTY)
		return 0;

	total_scan = freeable;
	while (total_scan) {
		unsigned long ret;

		sc.nr_to_scan = min_t(unsigned long, batch, total_scan);
		sc.nr_scanned = sc.nr_to_scan;
		ret = s->scan_objects(s, &sc);
		/* unregistered by its own scan: it may be freed already */
		if (reclaim_current_gone)
			break;
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		/* a scanner that claims to have scanned nothing would spin */
		if (!sc.nr_scanned || sc.nr_scanned > total_scan)
			break;
		total_scan -= sc.nr_scanned;
	}
	return freed;
}

unsigned long kalloc_reclaim(gfp_t gfp)
{
	unsigned long before, after;
	struct shrinker *s;

	/*
	 * Direct reclaim sleeps: only a request that may block runs it
	 * (__alloc_pages_slowpath goes to nopage without
	 * __GFP_DIRECT_RECLAIM), so a mask that forbids it reclaims nothing
	 * and no shrinker sees it.
	 */
	if (!kg.initialised || current_in_reclaim() ||
	    !gfpflags_allow_blocking(gfp))
		return 0;
	kg.task_flags |= PF_MEMALLOC;
	before = nr_free_pages();
	/* unregister_shrinker() keeps reclaim_next valid (see above) */
	for (s = shrinker_list; s; s = reclaim_next) {
		reclaim_next = s->next_registered;
		reclaim_current = s;
		reclaim_current_gone = false;
		do_shrink_slab(s, gfp);
	}
	reclaim_current = reclaim_next = NULL;
	reclaim_current_gone = false;
	if (cache_shrinker)
		cache_shrinker();
	after = nr_free_pages();
	kg.task_flags &= ~PF_MEMALLOC;
	return after > before ? after - before : 0;
}

void reclaim_snapshot(void)
{
	size_t n = 0;

	free(boot_shrinkers);
	boot_shrinkers = NULL;
	nr_boot_shrinkers = 0;
	for (struct shrinker *s = shrinker_list; s; s = s->next_registered)
		n++;
	if (!n)
		return;
	boot_shrinkers = calloc(n, sizeof(*boot_shrinkers));
	if (!boot_shrinkers) {
		printk("kalloc: no host memory for the shrinker snapshot\n");
		abort();
	}
	for (struct shrinker *s = shrinker_list; s; s = s->next_registered)
		boot_shrinkers[nr_boot_shrinkers++] = s;
}

void reclaim_reset(void)
{
	shrinker_list = NULL;
	for (size_t i = nr_boot_shrinkers; i-- > 0;) {
		boot_shrinkers[i]->next_registered = shrinker_list;
		shrinker_list = boot_shrinkers[i];
	}
	kg.task_flags &= ~PF_MEMALLOC;
	reclaim_current = reclaim_next = NULL;
	reclaim_current_gone = false;
}

void reclaim_fini(void)
{
	while (shrinker_list)
		unregister_shrinker(shrinker_list);
	free(boot_shrinkers);
	boot_shrinkers = NULL;
	nr_boot_shrinkers = 0;
	kg.task_flags &= ~PF_MEMALLOC;
	reclaim_current = reclaim_next = NULL;
	reclaim_current_gone = false;
}
