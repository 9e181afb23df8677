/*
 * slub_slab.c - a slab's life: set up from new pages, torn down to the buddy.
 *
 * new_slab() takes 2^order pages from the buddy allocator (the preferred
 * order, else the cache's minimum), makes the first struct page the
 * struct slab, lays out the freelist (in order, or shuffled under
 * CONFIG_SLAB_FREELIST_RANDOM), runs the constructor and the debug set-up
 * on each object, and poisons the slab for KASAN; discard_slab() undoes it
 * and gives the pages back. Apart from slub.c, whose paths move objects
 * and slabs between the freelists and lists and call these two only when a
 * slab is born or dies.
 */
#include <string.h>

#include "debug/debug.h"
#include "slab/slub.h"
#include "page/buddy.h"

/*
 * The constructor runs once per object, when its slab is set up; a debug
 * cache's object gets its red zones, poison and empty tracks first.
 */
static void *setup_object(struct kmem_cache *s, void *object)
{
	if (unlikely(kmem_cache_debug(s)))
		setup_object_debug(s, object);
	if (unlikely(s->ctor))
		s->ctor(object);
	return object;
}

/* CONFIG_SLAB_FREELIST_RANDOM: the cache's shuffled order, from a random
 * start position per slab. */
static void *next_freelist_entry(struct kmem_cache *s, unsigned long *pos,
				 char *start, unsigned long page_limit,
				 unsigned long freelist_count)
{
	unsigned int idx;

	/* a fallback-order slab holds fewer objects than the sequence */
	do {
		idx = s->random_seq[*pos];
		if (++*pos >= freelist_count)
			*pos = 0;
	} while (unlikely(idx >= page_limit));
	return start + idx;
}

static bool shuffle_freelist(struct kmem_cache *s, struct slab *slab)
{
	unsigned long pos, page_limit, freelist_count;
	char *start;
	void *cur, *next;

	if (slab->objects < 2 || !s->random_seq)
		return false;
	freelist_count = oo_objects(s->oo);
	pos = kalloc_random() % freelist_count;
	page_limit = (unsigned long)slab->objects * s->size;
	start = fixup_red_left(s, slab_address(slab));

	cur = next_freelist_entry(s, &pos, start, page_limit, freelist_count);
	cur = setup_object(s, cur);
	slab->freelist = cur;
	for (unsigned int idx = 1; idx < slab->objects; idx++) {
		next = next_freelist_entry(s, &pos, start, page_limit,
					   freelist_count);
		next = setup_object(s, next);
		set_freepointer(s, cur, next);
		cur = next;
	}
	set_freepointer(s, cur, NULL);
	return true;
}

static struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags)
{
	struct kmem_cache_order_objects oo = s->oo;
	struct page *page;
	struct slab *slab;
	gfp_t alloc_gfp;

	flags |= s->allocflags;
	/* let the preferred order fail under pressure: the minimum may not */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;

	page = __alloc_pages(alloc_gfp, oo_order(oo));
	if (unlikely(!page)) {
		oo = s->min;
		page = __alloc_pages(flags, oo_order(oo));
		if (unlikely(!page))
			return NULL;
	}

	page_set(page, PG_slab);
	slab = &page->slab;
	memset(slab, 0, sizeof(*slab));
	slab->slab_cache = s;
	slab->objects = oo_objects(oo);
	slab->order = oo_order(oo);
	slab->cpu = -1;
	slab->list = SLAB_LIST_NONE;

	if (unlikely(kmem_cache_debug(s)))
		setup_slab_debug(s, slab, slab_address(slab));
	if (!shuffle_freelist(s, slab)) {
		void *p = setup_object(s, fixup_red_left(s, slab_address(slab)));

		slab->freelist = p;
		for (unsigned int idx = 0; idx + 1 < slab->objects; idx++) {
			void *next = setup_object(s, (char *)p + s->size);

			set_freepointer(s, p, next);
			p = next;
		}
		set_freepointer(s, p, NULL);
	}
	/* KASAN: the objects become the caller's one by one, on allocation */
	kasan_poison(slab_address(slab), slab_size(slab));
	return slab;
}

/* WARN_ON_ONCE state, re-armed by slab_reset_warnings() so that what an
 * input prints does not depend on earlier inputs. */
static __machine_state bool warned_ctor_zero;

void slab_reset_warnings(void)
{
	warned_ctor_zero = false;
}

struct slab *new_slab(struct kmem_cache *s, gfp_t flags)
{
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	if (unlikely(s->ctor && (flags & __GFP_ZERO)) && !warned_ctor_zero) {
		warned_ctor_zero = true;	/* WARN_ON_ONCE */
		printk("WARNING: CPU: %u PID: %d at mm/slub.c new_slab: %s has a constructor and __GFP_ZERO was passed\n",
		       kg.cpu, kg.pid, s->name);
	}
	return allocate_slab(s, flags & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK));
}

void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	unsigned int order = slab->order;

	dec_slabs_node(s, slab->objects);
	if (unlikely(kmem_cache_debug(s)))
		free_slab_debug(s, slab);
	/* no unpoison first: the buddy allocator's free path touches frames
	 * only through the nocheck helpers and poisons the block once free
	 * (kasan_poison_pages()); free objects' shadow does not matter */
	page_clear(page, PG_slab);
	memset(slab, 0, sizeof(*slab));
	slab_pages_freed += 1UL << order;
	__free_pages(page, order);
	/* a later kfree of one of its objects then knows what it was */
	if (page_is_free(page))
		for (unsigned long i = 0; i < 1UL << order; i++)
			page[i].freed_slab = true;
}
