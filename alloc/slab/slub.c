/*
 * slub.c - SLUB: the slab allocation and free paths.
 *
 * A kmem_cache hands out objects of one size from slabs: 2^order contiguous
 * pages from the buddy allocator (__GFP_COMP when order > 0), whose first
 * struct page carries the struct slab. A free object holds the (encoded)
 * pointer to the next free object at s->offset.
 *
 * Where a slab can be (struct slab.list, enum slab_list_id):
 *
 *   cpu active    frozen; c->slab of one cpu. That cpu allocates from its
 *                 lockless freelist c->freelist; while frozen, slab->inuse
 *                 counts c->freelist's objects as in use and slab->freelist
 *                 collects frees from other cpus.
 *   cpu partial   not frozen; on the c->partial chain of one cpu. A full
 *                 slab that gets a free goes here (put_cpu_partial()); when
 *                 the chain is full it is drained to the node's list.
 *   node partial  on n->partial: has free objects. Empty slabs stay while
 *                 there are fewer than s->min_partial of them.
 *   full          a debug cache's slab without free objects, on n->full.
 *   none          a full slab of a non-debug cache: on no list; the next
 *                 free makes it cpu partial.
 *
 * Allocation pops c->freelist (slab_alloc_node(), in internal.h); when it is
 * empty ___slab_alloc() refills it from remote frees, the cpu partial chain,
 * the node partial list or a new slab, in that order. A free to the current
 * cpu's active slab pushes onto c->freelist (slab_free()); any other free goes
 * to __slab_free(), onto the slab's own freelist.
 *
 * Debug caches (SLAB_DEBUG_FLAGS) never get a cpu slab: every allocation
 * takes one object from a node list slab (alloc_single_from_partial/new_slab)
 * and every free goes to free_to_partial_list(). Those are where the debug
 * layer's alloc_debug_processing() and free_debug_processing() belong.
 *
 * A slab's set-up from new pages (new_slab()) and its tear-down
 * (discard_slab()) are in slub_slab.c; cache creation and shrinking in
 * slub_cache.c; the bulk API in slub_bulk.c.
 *
 * The machine is single-threaded, so the kernel's cmpxchg loops, tids and
 * locks reduce to plain updates; the states and transitions are the
 * kernel's (6.8+, where cpu partial slabs are no longer frozen).
 *
 * Where this differs from the kernel, on purpose:
 *  - A decoded free pointer that leaves the slab or is no object start is
 *    reported ("Freepointer corrupt") and the rest of that freelist
 *    isolated, on every path, not only under SLAB_CONSISTENCY_CHECKS:
 *    following it would make the allocator itself fault, or hand out
 *    memory overlapping a live object. Freelist walks are bounded by
 *    slab->objects.
 *  - The naive double-free BUG_ON is a report, and the object is not freed.
 *  - Every free checks that the pointer is an object start (the kernel
 *    only does under slab_debug): an interior pointer is reported as an
 *    invalid free and nothing is freed, instead of corrupting the freelist.
 *  - Debug caches keep a full list whatever their flags (the kernel only
 *    with SLAB_STORE_USER), so that every slab is on some list.
 *  - SLAB_TYPESAFE_BY_RCU changes the layout only: there is no RCU here,
 *    so empty slabs go back to the buddy allocator at once.
 *  - kmem_cache_free(s, NULL) does nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "debug/debug.h"
#include "slab/slub.h"
#include "page/buddy.h"

__machine_state bool slab_hardened;
__machine_state bool slab_init_on_alloc;
__machine_state bool slab_init_on_free;
/* The slab free paths' test: is there a quarantine at all? (set by
 * debug/quarantine.c as it opens and closes one) */
__machine_state bool slab_quarantine;
__machine_state unsigned long slab_pages_freed;

static inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	return &s->cpu_slab[kg.cpu];
}

/*
 * Is the free pointer of object, about to be handed out, sane? If not, a
 * write after free changed it: reported, and the caller isolates the object
 * and everything after it, as freelist_corrupted() does. A damaged object
 * is never handed out.
 */
static bool freepointer_ok(struct kmem_cache *s, struct slab *slab,
			   void *object, void **next)
{
	*next = get_freepointer(s, object);
	if (likely(check_valid_pointer(s, slab, *next)))
		return true;
	slab_report_freelist(s, slab, object, KALLOC_BUG_FREEPTR,
			     "Isolate corrupted freechain", "Freepointer corrupt");
	return false;
}

/* ------------------------------------------------------------------ */
/* Lists and counters                                                  */
/* ------------------------------------------------------------------ */

static void add_partial(struct kmem_cache_node *n, struct slab *slab, bool tail)
{
	n->nr_partial++;
	if (tail)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->list = SLAB_LIST_NODE_PARTIAL;
	slab->cpu = -1;
}

static void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_del(&slab->slab_list);
	n->nr_partial--;
	slab->list = SLAB_LIST_NONE;
}

/* Debug caches keep full slabs on a list so that every object is found. */
static void add_full(struct kmem_cache_node *n, struct slab *slab)
{
	list_add(&slab->slab_list, &n->full);
	slab->list = SLAB_LIST_FULL;
	slab->cpu = -1;
}

/* A debug check may have left a full slab on no list ("Marking all objects
 * used"): only a slab that is on the full list comes off it. */
static void remove_full(struct kmem_cache_node *n, struct slab *slab)
{
	(void)n;
	if (slab->list != SLAB_LIST_FULL)
		return;
	list_del(&slab->slab_list);
	slab->list = SLAB_LIST_NONE;
}

/* ------------------------------------------------------------------ */
/* Debug caches: one object at a time from node lists                  */
/* ------------------------------------------------------------------ */

/*
 * The free object after the one being handed out. With consistency checks
 * the raw pointer is taken: alloc_debug_processing() checks it as part of
 * the object, and disables the slab when it is bad.
 */
static bool debug_next_free(struct kmem_cache *s, struct slab *slab,
			    void *object, void **next)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		*next = get_freepointer(s, object);
		return true;
	}
	return freepointer_ok(s, slab, object, next);
}

/* NULL: nothing to hand out from this slab (now full or disabled). */
static void *alloc_single_from_partial(struct kmem_cache *s,
				       struct kmem_cache_node *n,
				       struct slab *slab, unsigned int orig_size,
				       unsigned long addr)
{
	void *object = slab->freelist, *next;

	/*
	 * A partial slab with no free object left on its chain: a write
	 * after free cut the chain's tail (or a double free the checks
	 * missed met the quarantine). The kernel would follow the NULL; here
	 * the lost objects are counted as used, as on_freelist() adjusts the
	 * count, and the slab goes to the full list.
	 */
	if (unlikely(!object)) {
		struct debug_report r = DEBUG_REPORT_INIT;

		slab_err(&r, s, slab, KALLOC_BUG_FREELIST, "Wrong object count",
			 slab_address(slab),
			 "Counter is %u but counted were %u",
			 slab->inuse, slab->objects);
		slab->inuse = slab->objects;
		debug_fix(&r, s, "Object count adjusted");
		debug_report_flush(&r);
		remove_partial(n, slab);
		add_full(n, slab);
		return NULL;
	}
	if (unlikely(!debug_next_free(s, slab, object, &next))) {
		/* every free object is isolated: the slab counts as full */
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		remove_partial(n, slab);
		add_full(n, slab);
		return NULL;
	}
	slab->freelist = next;
	slab->inuse++;
	if (!alloc_debug_processing(s, slab, object, orig_size, addr)) {
		/* disabled for good: on no list */
		remove_partial(n, slab);
		return NULL;
	}
	if (slab->inuse == slab->objects) {
		remove_partial(n, slab);
		add_full(n, slab);
	}
	return object;
}

static void *alloc_single_from_new_slab(struct kmem_cache *s,
					struct slab *slab,
					unsigned int orig_size,
					unsigned long addr)
{
	struct kmem_cache_node *n = s->node[0];
	void *object = slab->freelist, *next;

	inc_slabs_node(s, slab->objects);
	if (unlikely(!debug_next_free(s, slab, object, &next))) {
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		add_full(n, slab);
		return NULL;
	}
	slab->freelist = next;
	slab->inuse = 1;
	/* a fresh slab should pass; if not, it is disabled, on no list */
	if (!alloc_debug_processing(s, slab, object, orig_size, addr))
		return NULL;
	if (slab->inuse == slab->objects)
		add_full(n, slab);
	else
		add_partial(n, slab, false);
	return object;
}

/* ------------------------------------------------------------------ */
/* Cpu slabs and partial lists                                         */
/* ------------------------------------------------------------------ */

static void __put_partials(struct kmem_cache *s, struct slab *partial_slab)
{
	struct kmem_cache_node *n = s->node[0];

	while (partial_slab) {
		struct slab *slab = partial_slab;

		partial_slab = slab->next_cpu_partial;
		slab->next_cpu_partial = NULL;
		slab->list = SLAB_LIST_NONE;
		slab->cpu = -1;
		if (unlikely(!slab->inuse && n->nr_partial >= s->min_partial))
			discard_slab(s, slab);
		else if (likely(slab->freelist))
			add_partial(n, slab, true);
	}
}

/* Put a slab that just got its first free object on this cpu's partial
 * chain; when drain is set and the chain is full, move the chain to the
 * node list first. */
static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct slab *slab_to_put = NULL;

	if (c->partial && drain && c->partial_slabs >= s->cpu_partial_slabs) {
		slab_to_put = c->partial;
		c->partial = NULL;
		c->partial_slabs = 0;
	}
	slab->next_cpu_partial = c->partial;
	c->partial = slab;
	c->partial_slabs++;
	slab->list = SLAB_LIST_CPU_PARTIAL;
	slab->cpu = (int)kg.cpu;
	if (slab_to_put)
		__put_partials(s, slab_to_put);
}

/*
 * Unfreeze a cpu slab: splice the cpu freelist onto the slab's own and put
 * the slab where its state says. A corrupted or cyclic cpu freelist is cut
 * at the bad link, as freelist_corrupted() does.
 */
static void deactivate_slab(struct kmem_cache *s, struct slab *slab,
			    void *freelist)
{
	struct kmem_cache_node *n = s->node[0];
	bool tail = slab->freelist != NULL;	/* remote frees: to the tail */
	void *freelist_tail = NULL, *iter = freelist;
	unsigned int free_delta = 0;

	while (iter) {
		void *nextfree = get_freepointer(s, iter);

		if (unlikely(!check_valid_pointer(s, slab, nextfree) ||
			     free_delta >= slab->objects)) {
			slab_report_freelist(s, slab, iter, KALLOC_BUG_FREELIST,
					     "Isolate corrupted freechain", "%s",
					     free_delta >= slab->objects ?
					     "Freelist cycle detected" :
					     "Freechain corrupt");
			break;
		}
		freelist_tail = iter;
		free_delta++;
		iter = nextfree;
	}

	slab->frozen = false;
	slab->cpu = -1;
	slab->list = SLAB_LIST_NONE;
	if (freelist_tail) {
		slab->inuse -= free_delta;
		set_freepointer(s, freelist_tail, slab->freelist);
		slab->freelist = freelist;
	}

	if (!slab->inuse && n->nr_partial >= s->min_partial)
		discard_slab(s, slab);
	else if (slab->freelist)
		add_partial(n, slab, tail);
}

static void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab;
	void *freelist = c->freelist;

	c->slab = NULL;
	c->freelist = NULL;
	if (slab)
		deactivate_slab(s, slab, freelist);
}

/* Give every cpu's active slab and partial chain back to the node. */
void flush_all(struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < kg.cfg.ncpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		struct slab *partial = c->partial;

		if (!c->slab && !partial)
			continue;
		slab_mark_dirty(s);
		flush_slab(s, c);
		c->partial = NULL;
		c->partial_slabs = 0;
		__put_partials(s, partial);
	}
}

static void cpu_slab_load(struct kmem_cache_cpu *c, struct slab *slab)
{
	c->slab = slab;
	c->slab_lo = (uintptr_t)slab_address(slab);
	c->slab_span = slab_size(slab);
	slab->list = SLAB_LIST_CPU_ACTIVE;
	slab->cpu = (int)kg.cpu;
}

/* Take the remote frees of the active slab; unfreeze it if there are none. */
static void *get_freelist(struct slab *slab)
{
	void *freelist = slab->freelist;

	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = freelist != NULL;
	if (!freelist) {
		slab->list = SLAB_LIST_NONE;
		slab->cpu = -1;
	}
	return freelist;
}

/* Freeze a partial slab for this cpu; all its free objects go with it. */
static void *freeze_slab(struct slab *slab)
{
	void *freelist = slab->freelist;

	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = freelist != NULL;
	slab->list = SLAB_LIST_NONE;
	slab->cpu = -1;
	return freelist;
}

/* Node partial slabs: one becomes the cpu slab, up to half the cpu
 * partial limit more go on the cpu partial chain. */
static struct slab *get_partial_node(struct kmem_cache *s, unsigned int orig_size,
				     unsigned long addr, void **object)
{
	struct kmem_cache_node *n = s->node[0];
	struct slab *partial = NULL;
	unsigned int partial_slabs = 0;
	struct list_head *pos, *tmp;

	if (!n->nr_partial)
		return NULL;
	list_for_each_safe(pos, tmp, &n->partial) {
		struct slab *slab = list_entry(pos, struct slab, slab_list);

		if (kmem_cache_debug(s)) {
			*object = alloc_single_from_partial(s, n, slab, orig_size,
							    addr);
			if (*object)
				return slab;
			continue;
		}
		remove_partial(n, slab);
		if (!partial) {
			partial = slab;
		} else {
			put_cpu_partial(s, slab, 0);
			partial_slabs++;
		}
		if (partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	return partial;
}

/*
 * The allocation slow path: the cpu freelist is empty, or this is a debug
 * cache. Order of preference: remote frees to the active slab, the cpu
 * partial chain, the node partial list, a new slab.
 */
void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long addr,
		    unsigned int orig_size)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct slab *slab;
	void *freelist, *object, *next;

	slab_mark_dirty(s);

redo:
	slab = c->slab;
	if (slab) {
		freelist = c->freelist;
		if (freelist)
			goto load_freelist;
		freelist = get_freelist(slab);
		if (freelist)
			goto load_freelist;
		c->slab = NULL;		/* full: it leaves the cpu on no list */
	}

	while (c->partial) {
		slab = c->partial;
		c->partial = slab->next_cpu_partial;
		c->partial_slabs--;
		slab->next_cpu_partial = NULL;
		freelist = freeze_slab(slab);
		if (likely(freelist))
			goto retry_load_slab;
	}

new_objects:
	object = NULL;
	slab = get_partial_node(s, orig_size, addr, &object);
	if (slab) {
		if (kmem_cache_debug(s))
			return object;
		freelist = freeze_slab(slab);
		if (likely(freelist))
			goto retry_load_slab;
		goto new_objects;
	}

	slab = new_slab(s, gfp);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfp);
		return NULL;
	}
	if (kmem_cache_debug(s)) {
		object = alloc_single_from_new_slab(s, slab, orig_size, addr);
		if (unlikely(!object))
			goto new_objects;
		return object;
	}

	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = true;
	inc_slabs_node(s, slab->objects);

retry_load_slab:
	/* reclaim inside new_slab() may have run code that loaded a cpu slab */
	if (unlikely(c->slab))
		flush_slab(s, c);
	cpu_slab_load(c, slab);

load_freelist:
	if (unlikely(!freepointer_ok(s, c->slab, freelist, &next))) {
		/* isolated; the frozen slab counts them in use already */
		c->freelist = NULL;
		goto redo;
	}
	c->freelist = next;
	return freelist;
}

/*
 * The fast path found a free pointer that leaves c->slab or is no object
 * start (cpu_freepointer_ok()). The object and the rest of the cpu
 * freelist are isolated (the frozen slab counts them in use already) and
 * the allocation goes the slow way.
 */
void *slab_freeptr_corrupt(struct kmem_cache *s, struct kmem_cache_cpu *c,
			   void *object, gfp_t gfp, unsigned long addr,
			   unsigned int orig_size)
{
	slab_report_freelist(s, c->slab, object, KALLOC_BUG_FREEPTR,
			     "Isolate corrupted freechain", "Freepointer corrupt");
	c->freelist = NULL;
	return ___slab_alloc(s, gfp, addr, orig_size);
}

void slab_fix_lists(struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = s->node[0];

	if (slab->list != SLAB_LIST_NODE_PARTIAL || slab->freelist)
		return;
	slab_mark_dirty(s);
	remove_partial(n, slab);
	if (kmem_cache_debug(s))
		add_full(n, slab);
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

/*
 * A debug cache's free, one object at a time: checked first (unless the
 * quarantine did that when the object went in), then onto the slab.
 */
static void free_to_partial_list(struct kmem_cache *s, struct slab *slab,
				 void *object, unsigned long addr, bool checked)
{
	struct kmem_cache_node *n = s->node[0];
	struct slab *slab_free = NULL;
	void *prior;

	if (!checked && !free_debug_processing(s, slab, object, addr))
		return;
	/* a slab the checks disabled takes nothing back */
	if (unlikely(slab->frozen))
		return;
	prior = slab->freelist;
	if (unlikely(slab_hardened && object == prior)) {
		slab_naive_double_free(s, object);
		return;
	}
	slab->inuse--;
	set_freepointer(s, object, prior);
	slab->freelist = object;

	/* an empty slab goes when the node has enough, from either list */
	if (slab->inuse == 0 && n->nr_partial >= s->min_partial)
		slab_free = slab;
	/* by the list, not by prior: the checks' repairs can leave a slab on
	 * the partial list without free objects */
	if (slab->list != SLAB_LIST_NODE_PARTIAL) {
		remove_full(n, slab);
		if (!slab_free)
			add_partial(n, slab, true);
	} else if (slab_free) {
		remove_partial(n, slab);
	}
	if (slab_free)
		discard_slab(s, slab_free);
}

/*
 * Every free of an object start with a quarantine, as the kernel's
 * slab_free_hook() with kasan_slab_free(): KASAN's double-free check, the
 * debug cache's own checks, init_on_free, the poison, then into the
 * quarantine (or freed at once when it does not take the object).
 */
void slab_free_quarantine(struct kmem_cache *s, struct slab *slab,
			  void *object, unsigned long addr, const char *func)
{
	slab_mark_dirty(s);
	if (kasan_quarantine_double_free(s, slab, object, addr, func))
		return;
	if (kmem_cache_debug(s) && !free_debug_processing(s, slab, object, addr))
		return;
	if (slab_init_on_free)
		slab_free_init(s, object);
	/* a pointer left over in the slot would fail the checks on the way out */
	set_freepointer(s, object, NULL);
	kasan_slab_free(s, object);
	if (!quarantine_put(s, object, s->size, addr))
		slab_free_after_quarantine(s, object);
}

/*
 * An object's time in the quarantine is over: it goes back for real. It
 * was checked, wiped and poisoned when it went in; a debug cache's object
 * is checked once more for writes made while it waited.
 */
void slab_free_after_quarantine(struct kmem_cache *s, void *object)
{
	struct slab *slab = virt_to_slab(object);
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	slab_mark_dirty(s);
	slab_touch(slab);
	if (kmem_cache_debug(s)) {
		if (quarantine_debug_check(s, slab, object))
			free_to_partial_list(s, slab, object, 0, true);
		return;
	}
	if (slab != c->slab) {
		__slab_free(s, slab, object, object, 1, 0);
		return;
	}
	if (unlikely(slab_hardened && object == c->freelist)) {
		slab_naive_double_free(s, object);
		return;
	}
	set_freepointer(s, object, c->freelist);
	c->freelist = object;
}

/* A free that is not to the current cpu's active slab. */
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head,
		 void *tail, int cnt, unsigned long addr)
{
	struct kmem_cache_node *n = s->node[0];
	void *prior;

	slab_mark_dirty(s);
	slab_touch(slab);
	if (kmem_cache_debug(s)) {
		/* each object of a detached chain is checked on its own */
		for (int i = 0; i < cnt; i++) {
			void *next = i + 1 < cnt ? get_freepointer(s, head) : NULL;

			free_to_partial_list(s, slab, head, addr, false);
			head = next;
		}
		(void)tail;
		return;
	}

	prior = slab->freelist;
	if (unlikely(slab_hardened && tail == prior)) {
		slab_naive_double_free(s, tail);
		return;
	}
	set_freepointer(s, tail, prior);
	slab->freelist = head;
	slab->inuse -= (unsigned int)cnt;

	if (slab->frozen)
		return;		/* some cpu's active slab: no list work */
	if (!prior) {
		/* it was full: onto this cpu's partial chain */
		put_cpu_partial(s, slab, 1);
		return;
	}
	/* partial on some cpu's chain: it stays there, even empty */
	if (slab->list != SLAB_LIST_NODE_PARTIAL)
		return;
	if (unlikely(!slab->inuse && n->nr_partial >= s->min_partial)) {
		remove_partial(n, slab);
		discard_slab(s, slab);
	}
}

/* ------------------------------------------------------------------ */
/* Memory initialisation (init_on_alloc, init_on_free, __GFP_ZERO)      */
/* ------------------------------------------------------------------ */

static bool slab_want_init_on_alloc(gfp_t flags, const struct kmem_cache *s)
{
	if (slab_init_on_alloc) {
		if (s->ctor)
			return false;
		if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}

static bool slab_want_init_on_free(const struct kmem_cache *s)
{
	return slab_init_on_free &&
	       !(s->ctor || (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
}

void slab_post_alloc_init(struct kmem_cache *s, gfp_t gfp, void *object,
			  unsigned int orig_size)
{
	unsigned int zero_size = s->object_size;

	/*
	 * The object was wiped at free but for a free pointer written inside it
	 * afterwards (maybe_wipe_obj_freeptr). A free pointer outside the object
	 * is metadata and must stay: wiping it corrupts the freelist.
	 */
	if (slab_want_init_on_free(s) && !freeptr_outside_object(s))
		kasan_memset_nocheck((char *)object + s->offset, 0, sizeof(void *));
	if (!slab_want_init_on_alloc(gfp, s))
		return;
	/* a kmalloc red zone follows the request: do not zero it away */
	if (kmem_cache_debug_flags(s, SLAB_STORE_USER | SLAB_RED_ZONE) &&
	    (s->flags & SLAB_KMALLOC))
		zero_size = orig_size;
	kasan_memset_nocheck(object, 0, zero_size);
}

/*
 * As slab_free_hook(): the object and the metadata after it are wiped, but
 * not a free pointer kept outside the object (the wipe starts at
 * get_info_end()): a debug cache checks that pointer when the object is
 * freed, and the freelist needs it afterwards. Of a kmalloc object that
 * keeps its request size (slab_debug U), only the request is wiped, so
 * that the kmalloc red zone after it keeps SLUB_RED_ACTIVE, and the size
 * is written back after the metadata wipe: the free check that follows
 * compares that red zone, from that size, with SLUB_RED_ACTIVE.
 */
void slab_free_init(struct kmem_cache *s, void *object)
{
	unsigned int rsize, orig_size, inuse = get_info_end(s);

	if (!slab_want_init_on_free(s))
		return;
	orig_size = get_orig_size(s, object);
	/* a size damaged by an overflow must not widen the wipe */
	kasan_memset_nocheck(object, 0, min_t(unsigned int, orig_size, s->object_size));
	rsize = (s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0;
	kasan_memset_nocheck((char *)object + inuse, 0, s->size - inuse - rsize);
	set_orig_size(s, object, orig_size);
}

/* ------------------------------------------------------------------ */
/* The kmem_cache object API                                           */
/* ------------------------------------------------------------------ */

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	kalloc_tick();
	return slab_alloc_node(s, gfp, _RET_IP_, s->object_size);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	kalloc_tick();
	return slab_alloc_node(s, gfp | __GFP_ZERO, _RET_IP_, s->object_size);
}

/*
 * cache_from_obj(): with hardening (or consistency checks) the object must
 * belong to the cache it is freed to. On a mismatch the kernel WARNs and
 * frees the object into the cache it really belongs to; so does this.
 * A pointer that is in no slab at all is not freed.
 */
struct kmem_cache *cache_from_obj(struct kmem_cache *s, void *x,
				  struct slab *slab)
{
	if (!slab) {
		slab_report_not_slab(s, x);
		return NULL;
	}
	if (!slab_hardened && !kmem_cache_debug_flags(s, SLAB_CONSISTENCY_CHECKS))
		return s;
	slab_report_cache_mismatch(s, slab->slab_cache, x);
	return slab->slab_cache;
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct slab *slab;

	kalloc_tick();
	if (unlikely(!x))
		return;
	slab = virt_to_slab(x);
	if (unlikely(!slab || slab->slab_cache != s)) {
		s = cache_from_obj(s, x, slab);
		if (!s)
			return;
	}
	slab_free(s, slab, x, _RET_IP_, "kmem_cache_free");
}
