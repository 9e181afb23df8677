/*
 * slub_validate.c - slab_validate(): every invariant of every cache.
 *
 * For each cache the lists (node partial, full, each cpu's active slab and
 * partial chain) must hold slabs of that cache in the matching state; then
 * every slab page in mem_map is checked on its own: it belongs to a live
 * cache, its pages are not on a buddy free list, its geometry matches the
 * cache, its freelist (and the owning cpu's lockless freelist) stays inside
 * the slab, lands on object starts and has no cycle, its in-use count
 * matches, and its state matches the list it claims to be on. The
 * per-state counts found in mem_map must equal the lists' lengths and the
 * node counters.
 *
 * Freelist damage (typically a caller's write after free) is reported in
 * SLUB's words as KALLOC_BUG_FREELIST / KALLOC_BUG_FREEPTR and repaired as
 * SLUB's on_freelist() repairs it, with a FIX line: the chain is cut before
 * the damaged object, counts are adjusted. So one corruption is one report,
 * and the damaged object is never handed out again. Structural problems are
 * allocator invariants (report_internal), reported and left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "page/buddy.h"
#include "debug/debug.h"
#include "slab/slub.h"

/* What the mem_map walk found for one cache. */
struct cache_tally {
	struct kmem_cache *s;
	unsigned long slabs, objects;
	unsigned long by_list[SLAB_LIST_FULL + 1];
	bool counted;		/* every slab of the cache was tallied */
};

static unsigned long obj_map[(MAX_OBJS_PER_PAGE + 63) / 64];

/*
 * The tally of s, or NULL if s is no live cache (it is not dereferenced:
 * a slab's cache pointer may be stale). The tallies are in slab_caches
 * order and compared for equality only: sorting or hashing by host heap
 * address would make the work done here depend on where malloc() put the
 * caches, that is on every input run before, and a fuzzer would see the
 * same input take different paths. Consecutive slabs mostly share a cache,
 * so the last one found is tried first.
 */
static struct cache_tally *find_tally(struct cache_tally *t, size_t n,
				      const struct kmem_cache *s,
				      struct cache_tally **last)
{
	if (*last && (*last)->s == s)
		return *last;
	for (size_t i = 0; i < n; i++)
		if (t[i].s == s)
			return *last = &t[i];
	return NULL;
}

/* A list node that really is a struct slab inside mem_map. */
static struct slab *slab_of_node(const struct list_head *node)
{
	uintptr_t page = (uintptr_t)container_of(node, struct slab, slab_list) -
			 offsetof(struct page, slab);
	uintptr_t base = (uintptr_t)arena.mem_map;

	if (page < base || (page - base) % sizeof(struct page) ||
	    (page - base) / sizeof(struct page) >= arena.nr_pages)
		return NULL;
	return &((struct page *)page)->slab;
}

static bool slab_in_mem_map(const struct slab *slab)
{
	return slab && slab_of_node(&slab->slab_list) == slab;
}

static unsigned long slab_pfn(const struct slab *slab)
{
	return (unsigned long)(slab_page(slab) - arena.mem_map);
}

/*
 * Walk one freelist of slab (*headp: slab->freelist or its cpu's lockless
 * freelist), marking objects in obj_map. A bad link is reported and the
 * chain cut before the object holding it, which is never handed out again
 * (it and what followed stay isolated, counted in use), as SLUB isolates a
 * corrupted freechain; a cycle is cut where it closes. Returns the objects
 * left on the list and sets *repaired.
 */
static long walk_freelist(struct kmem_cache *s, struct slab *slab, void **headp,
			  bool *repaired)
{
	void *prev = NULL, *prevprev = NULL;
	long nr = 0;

	for (void *p = *headp; p; p = get_freepointer(s, p)) {
		unsigned int idx;

		if (!check_valid_pointer(s, slab, p)) {
			if (prev) {
				slab_report_freelist(s, slab, prev, KALLOC_BUG_FREELIST,
						     "Isolate corrupted freechain",
						     "Freechain corrupt");
				if (prevprev)
					set_freepointer(s, prevprev, NULL);
				else
					*headp = NULL;
				nr--;
			} else {
				slab_report_freelist(s, slab, NULL, KALLOC_BUG_FREEPTR,
						     "Freelist cleared",
						     "Freepointer corrupt");
				*headp = NULL;
			}
			*repaired = true;
			return nr;
		}
		idx = obj_to_index(s, slab, p);
		if (obj_map[idx / 64] & (1UL << (idx % 64))) {
			slab_report_freelist(s, slab, p, KALLOC_BUG_FREELIST,
					     "Freelist cut where the cycle closes",
					     "Freelist cycle detected");
			if (prev)
				set_freepointer(s, prev, NULL);
			else
				*headp = NULL;
			*repaired = true;
			return nr;
		}
		obj_map[idx / 64] |= 1UL << (idx % 64);
		nr++;
		prevprev = prev;
		prev = p;
	}
	return nr;
}

/*
 * The findings that are repaired, in SLUB's words: with debug, a debug
 * cache's objects get SLUB's own checks (the incremental check leaves them
 * out, since every allocation and free from a debug cache already checks
 * its object, alloc/free_debug_processing, and the full check at the end
 * of an input checks them all); then the object count, the freelists and
 * the in-use count. Each finding is reported once and repaired, so that
 * check_slab() and the next check find the slab sane. Returns the
 * problems found.
 */
static int repair_slab(struct kmem_cache *s, struct slab *slab, bool debug)
{
	unsigned int max_objects;
	bool repaired = false, cpu_repaired = false;
	long nfree;
	int errors = 0;

	/*
	 * A debug cache's slab: every object in its state, reported in
	 * SLUB's words and repaired as SLUB repairs (which can only take
	 * free objects away: a slab left without any moves to the full
	 * list), so that the walk below finds it sane.
	 */
	if (kmem_cache_debug(s) && debug) {
		errors += validate_slab_debug(s, slab);
		slab_fix_lists(s, slab);
	}

	max_objects = min_t(unsigned int, order_objects(slab->order, s->size),
			    MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_report_freelist(s, slab, NULL, KALLOC_BUG_FREELIST,
				     "Number of objects adjusted",
				     "Wrong number of objects. Found %u but should be %u",
				     slab->objects, max_objects);
		slab_mark_dirty(s);
		s->node[0]->total_objects += max_objects;
		s->node[0]->total_objects -= slab->objects;
		slab->objects = max_objects;
		errors++;
	}

	memset(obj_map, 0, DIV_ROUND_UP(slab->objects, 64) * sizeof(unsigned long));
	nfree = walk_freelist(s, slab, &slab->freelist, &repaired);
	if (slab->list == SLAB_LIST_CPU_ACTIVE && slab->cpu >= 0 &&
	    (unsigned int)slab->cpu < kg.cfg.ncpus &&
	    s->cpu_slab[slab->cpu].slab == slab)
		walk_freelist(s, slab, &s->cpu_slab[slab->cpu].freelist,
			      &cpu_repaired);
	if (repaired || cpu_repaired) {
		errors++;
		/* what was cut off counts as in use */
		slab->inuse = slab->objects - (unsigned int)nfree;
		slab_fix_lists(s, slab);
	} else if (slab->inuse != slab->objects - nfree) {
		slab_report_freelist(s, slab, NULL, KALLOC_BUG_FREELIST,
				     "Object count adjusted",
				     "Wrong object count. Counter is %u but counted were %ld",
				     slab->inuse, (long)slab->objects - nfree);
		slab->inuse = slab->objects - (unsigned int)nfree;
		errors++;
	}
	return errors;
}

/*
 * The slab's invariants that no repair restores: its pages (a reference,
 * the compound order, none on a buddy free list) and its state against
 * the list it says it is on. Allocator invariants: reported
 * (report_internal) and left alone; nothing is changed. Returns the
 * problems found.
 */
static int check_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned long pfn = slab_pfn(slab);
	struct page *page = slab_page(slab);
	const struct page *free;
	int errors = 0;

	if (page->_refcount < 1) {
		report_internal("slab: %s slab at pfn %lu has refcount %d",
				s->name, pfn, page->_refcount);
		errors++;
	}
	if (slab->order && (!page_test(page, PG_head) || page->order != slab->order)) {
		report_internal("slab: %s slab at pfn %lu: order %u but compound order %u",
				s->name, pfn, slab->order,
				page_test(page, PG_head) ? page->order : 0);
		errors++;
	}
	free = first_free_page(page, 1UL << slab->order);
	if (free) {
		report_internal("slab: %s slab at pfn %lu: page %lu is on a buddy free list",
				s->name, pfn, page_to_pfn(free));
		errors++;
	}
	/* the state against the list the slab says it is on */
	switch (slab->list) {
	case SLAB_LIST_CPU_ACTIVE:
		if (!slab->frozen || slab->cpu < 0 ||
		    (unsigned int)slab->cpu >= kg.cfg.ncpus ||
		    s->cpu_slab[slab->cpu].slab != slab) {
			report_internal("slab: %s slab at pfn %lu claims to be cpu %d's active slab",
					s->name, pfn, slab->cpu);
			errors++;
		}
		break;
	case SLAB_LIST_CPU_PARTIAL:
		if (slab->frozen || slab->cpu < 0 ||
		    (unsigned int)slab->cpu >= kg.cfg.ncpus) {
			report_internal("slab: %s slab at pfn %lu: bad cpu partial state (cpu %d frozen %d)",
					s->name, pfn, slab->cpu, slab->frozen);
			errors++;
		}
		break;
	case SLAB_LIST_NODE_PARTIAL:
		if (slab->frozen || !slab->freelist) {
			report_internal("slab: %s slab at pfn %lu on the node partial list is %s",
					s->name, pfn, slab->frozen ? "frozen" : "full");
			errors++;
		}
		break;
	case SLAB_LIST_FULL:
		if (!kmem_cache_debug(s) || slab->frozen || slab->freelist) {
			report_internal("slab: %s slab at pfn %lu on the full list has free objects or no debug flags",
					s->name, pfn);
			errors++;
		}
		break;
	case SLAB_LIST_NONE:
		if (slab->frozen || slab->freelist) {
			report_internal("slab: %s slab at pfn %lu is on no list but has free objects",
					s->name, pfn);
			errors++;
		}
		break;
	default:
		report_internal("slab: %s slab at pfn %lu: unknown list id %d",
				s->name, pfn, slab->list);
		errors++;
	}
	if (kmem_cache_debug(s) && (slab->list == SLAB_LIST_CPU_ACTIVE ||
				    slab->list == SLAB_LIST_CPU_PARTIAL)) {
		report_internal("slab: debug cache %s has a cpu slab at pfn %lu",
				s->name, pfn);
		errors++;
	}
	return errors;
}

/*
 * One slab page on its own: the repairs first, then the checks, which
 * then see the repaired slab. A slab of a debug cache that SLUB's checks
 * disabled is left alone. Returns the problems found.
 */
static int validate_slab(struct kmem_cache *s, struct slab *slab, bool debug)
{
	if (kmem_cache_debug(s) && slab->frozen)
		return 0;
	return repair_slab(s, slab, debug) + check_slab(s, slab);
}

/* A node list: every entry a slab of s in state id; returns its length. */
static unsigned long walk_node_list(struct kmem_cache *s, struct list_head *head,
				    int id, int *errors)
{
	unsigned long n = 0, bound = s->node[0]->nr_slabs + 1;
	struct list_head *pos;

	for (pos = head->next; pos != head; pos = pos->next) {
		struct slab *slab = slab_of_node(pos);

		if (!slab || !page_test(slab_page(slab), PG_slab) ||
		    slab->slab_cache != s || slab->list != id || n >= bound) {
			report_internal("slab: %s: %s list entry %lu is not one of its slabs in that state",
					s->name, id == SLAB_LIST_FULL ? "full" : "partial", n);
			(*errors)++;
			return n;
		}
		n++;
	}
	return n;
}

/* The cache's own structures, against what the mem_map walk counted. */
static int validate_cache(struct kmem_cache *s, const struct cache_tally *t)
{
	struct kmem_cache_node *n = s->node[0];
	unsigned long partial, full, cpu_partial = 0, cpu_active = 0;
	int errors = 0;

	partial = walk_node_list(s, &n->partial, SLAB_LIST_NODE_PARTIAL, &errors);
	full = walk_node_list(s, &n->full, SLAB_LIST_FULL, &errors);
	if (partial != n->nr_partial) {
		report_internal("slab: %s: %lu partial slabs counted but counter=%lu",
				s->name, partial, n->nr_partial);
		errors++;
	}

	for (unsigned int cpu = 0; cpu < kg.cfg.ncpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		unsigned long chain = 0;

		if (c->slab) {
			if (!slab_in_mem_map(c->slab) || c->slab->slab_cache != s ||
			    c->slab->list != SLAB_LIST_CPU_ACTIVE ||
			    c->slab->cpu != (int)cpu) {
				report_internal("slab: %s: cpu %u's active slab is not its slab in the active state",
						s->name, cpu);
				errors++;
			} else {
				cpu_active++;
			}
		} else if (c->freelist) {
			report_internal("slab: %s: cpu %u has a freelist but no slab",
					s->name, cpu);
			errors++;
		}
		for (struct slab *p = c->partial; p; p = p->next_cpu_partial) {
			if (!slab_in_mem_map(p) || p->slab_cache != s ||
			    p->list != SLAB_LIST_CPU_PARTIAL || p->cpu != (int)cpu ||
			    chain > n->nr_slabs) {
				report_internal("slab: %s: cpu %u's partial chain holds a slab not in that state",
						s->name, cpu);
				errors++;
				break;
			}
			chain++;
		}
		if (chain != c->partial_slabs) {
			report_internal("slab: %s: cpu %u has %lu partial slabs but counter=%u",
					s->name, cpu, chain, c->partial_slabs);
			errors++;
		}
		cpu_partial += chain;
	}

	if (!t->counted)
		return errors;	/* incremental: no tally of every slab */
	if (t->slabs != n->nr_slabs || t->objects != n->total_objects) {
		report_internal("slab: %s: %lu slabs (%lu objects) found but counters say %lu (%lu)",
				s->name, t->slabs, t->objects, n->nr_slabs,
				n->total_objects);
		errors++;
	}
	if (t->by_list[SLAB_LIST_NODE_PARTIAL] != partial ||
	    t->by_list[SLAB_LIST_FULL] != full ||
	    t->by_list[SLAB_LIST_CPU_PARTIAL] != cpu_partial ||
	    t->by_list[SLAB_LIST_CPU_ACTIVE] != cpu_active) {
		report_internal("slab: %s: slabs in each state (partial %lu full %lu cpu partial %lu cpu active %lu) do not match the lists (%lu %lu %lu %lu)",
				s->name, t->by_list[SLAB_LIST_NODE_PARTIAL],
				t->by_list[SLAB_LIST_FULL],
				t->by_list[SLAB_LIST_CPU_PARTIAL],
				t->by_list[SLAB_LIST_CPU_ACTIVE], partial, full,
				cpu_partial, cpu_active);
		errors++;
	}
	return errors;
}

/*
 * Every slab page was handed out by the buddy allocator since reset (no
 * slab exists when kalloc_init() takes its snapshot), so the slabs are
 * among the dirty pages: the walk costs what is in use, not the arena.
 * The dirty list is in first-touch order, which only the input decides.
 */
int slab_validate(void)
{
	struct cache_tally *tally, *last = NULL;
	struct list_head *pos;
	size_t ncaches = 0, i = 0;
	int errors = 0;

	if (!kg.initialised)
		return 0;
	list_for_each(pos, &slab_caches)
		ncaches++;
	tally = calloc(ncaches ? ncaches : 1, sizeof(*tally));
	if (!tally) {
		printk("kalloc: slab_validate: out of host memory\n");
		return 0;
	}
	list_for_each(pos, &slab_caches) {
		tally[i].counted = true;
		tally[i++].s = list_entry(pos, struct kmem_cache, list);
	}

	for (unsigned long d = 0; d < arena.nr_dirty; d++) {
		unsigned long pfn = arena.dirty_list[d];
		struct page *page = &arena.mem_map[pfn];
		struct slab *slab = &page->slab;
		struct cache_tally *t;

		if (!page_test(page, PG_slab))
			continue;
		if (page_test(page, PG_tail)) {
			report_internal("slab: PG_slab on tail page pfn %lu", pfn);
			errors++;
			continue;
		}
		t = find_tally(tally, ncaches, slab->slab_cache, &last);
		if (!t) {
			report_internal("slab: slab at pfn %lu belongs to no live cache",
					pfn);
			errors++;
			continue;
		}
		if (slab->order > MAX_PAGE_ORDER ||
		    pfn + (1UL << slab->order) > arena.nr_pages) {
			report_internal("slab: %s slab at pfn %lu has order %u",
					t->s->name, pfn, slab->order);
			errors++;
			continue;
		}
		errors += validate_slab(t->s, slab, true);	/* may repair it */
		t->slabs++;
		t->objects += slab->objects;
		if ((unsigned int)slab->list <= SLAB_LIST_FULL)
			t->by_list[slab->list]++;
	}
	/* a boot cache no path changed since reset is as init left it */
	for (i = 0; i < ncaches; i++)
		if (!tally[i].s->boot || tally[i].s->dirty || tally[i].slabs)
			errors += validate_cache(tally[i].s, &tally[i]);
	free(tally);
	return errors + quarantine_validate();
}

/* Is s on slab_caches? (a slab's cache pointer is not trusted) */
static bool cache_is_live(const struct kmem_cache *s)
{
	const struct list_head *pos;

	list_for_each(pos, &slab_caches)
		if (list_entry(pos, struct kmem_cache, list) == s)
			return true;
	return false;
}

/*
 * Each slab holding part of [addr, addr + len) as the full check sees it,
 * debug objects included, once: for a caller that wrote there behind the
 * allocator's back. Its page is touched too, so the incremental check that
 * follows looks at its cache.
 */
int slab_validate_range(const void *addr, size_t len)
{
	const struct slab *last = NULL;
	uintptr_t a, end;
	int errors = 0;

	if (!len || __builtin_add_overflow((uintptr_t)addr, len, &end))
		return 0;
	for (a = (uintptr_t)addr & ~(PAGE_SIZE - 1); a < end; a += PAGE_SIZE) {
		struct slab *slab = virt_to_slab((const void *)a);
		struct kmem_cache *s;

		if (!slab || slab == last)
			continue;
		last = slab;
		s = slab->slab_cache;
		if (!cache_is_live(s)) {
			report_internal("slab: slab at pfn %lu belongs to no live cache",
					page_to_pfn(slab_page(slab)));
			errors++;
			continue;
		}
		page_mark_dirty(slab_page(slab));
		errors += validate_slab(s, slab, true);
	}
	return errors;
}

/*
 * The incremental check: every slab whose page was touched since the last
 * check (allocation and free paths touch the slab they work on), then the
 * lists and counters of each cache those slabs belong to, with each cpu's
 * active slab. The per-state tallies need every slab of the cache: they
 * are the full check's.
 */
int slab_validate_touched(void)
{
	struct kmem_cache *seen[16];
	unsigned int nseen = 0;
	int errors = 0;

	if (!kg.initialised)
		return 0;
	for (unsigned long i = 0; i < arena.nr_touched; i++) {
		unsigned long pfn = arena.touched_list[i];
		struct page *page = &arena.mem_map[pfn];
		struct slab *slab = &page->slab;
		struct kmem_cache *s = slab->slab_cache;
		bool known = false;

		if (!page_test(page, PG_slab) || page_test(page, PG_tail))
			continue;
		for (unsigned int k = 0; k < nseen && !known; k++)
			known = seen[k] == s;
		if (!known) {
			if (!cache_is_live(s)) {
				report_internal("slab: slab at pfn %lu belongs to no live cache",
						pfn);
				errors++;
				continue;
			}
			if (nseen < ARRAY_SIZE(seen))
				seen[nseen++] = s;
		}
		if (slab->order > MAX_PAGE_ORDER ||
		    pfn + (1UL << slab->order) > arena.nr_pages) {
			report_internal("slab: %s slab at pfn %lu has order %u",
					s->name, pfn, slab->order);
			errors++;
			continue;
		}
		errors += validate_slab(s, slab, false);
	}
	for (unsigned int k = 0; k < nseen; k++) {
		struct kmem_cache *s = seen[k];
		struct cache_tally t = { .s = s };

		for (unsigned int cpu = 0; cpu < kg.cfg.ncpus; cpu++) {
			struct slab *c = s->cpu_slab[cpu].slab;

			if (c && slab_in_mem_map(c) &&
			    arena.touched[slab_pfn(c)] != arena.touch_gen &&
			    page_test(slab_page(c), PG_slab) && c->slab_cache == s)
				errors += validate_slab(s, c, false);
		}
		errors += validate_cache(s, &t);
	}
	return errors;
}
