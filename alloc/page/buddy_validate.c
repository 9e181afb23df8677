/*
 * buddy_validate.c - buddy_validate(): every invariant of the free lists.
 *
 * Each zone's free_area lists must hold heads of free blocks of that order
 * and zone, aligned to their size, whose buddy is not also free at that
 * order; the counters must match the lists; and every struct page touched
 * since reset must agree with the lists (a PageBuddy page heads a listed
 * block, a page inside a free block is clean). buddy_validate_touched()
 * checks only what changed since the last check. Apart from page_alloc.c
 * so that none of it sits among the paths it checks.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "page/buddy.h"

/* PageBuddy() inline: the walks below test it per page and per order, and
 * the out-of-line PageBuddy() is for the instrumented paths' sake. */
static inline bool is_buddy(const struct page *page)
{
	return page_test(page, PG_buddy);
}

/*
 * Cost: the free lists (each block once, and the orders above it) plus the
 * struct pages touched since reset, never every struct page. A struct page
 * no allocator path touched since reset is byte for byte the one
 * arena_snapshot() copied after init (mem_map is host memory that only
 * allocator paths write, and every such path marks the page dirty first),
 * and in that state every PageBuddy page heads a listed block and every
 * page inside a free block is clean: so the pages that can break the
 * invariants below are the dirty ones.
 *
 * head_mark[pfn] is order + 1 for the head of each listed free block while
 * a check runs; it is all zero between checks (the heads are cleared one by
 * one), so it costs nothing to start.
 */
static uint8_t *head_mark;
static unsigned long head_mark_pages;
static unsigned long *heads;
static unsigned long nr_heads;

static bool marks_ready(void)
{
	if (head_mark_pages < arena.nr_pages) {
		free(head_mark);
		free(heads);
		head_mark = calloc(arena.nr_pages, 1);
		heads = malloc(arena.nr_pages * sizeof(*heads));
		if (!head_mark || !heads) {
			free(head_mark);
			free(heads);
			head_mark = NULL;
			heads = NULL;
			head_mark_pages = 0;
			printk("kalloc: buddy_validate: no host memory\n");
			return false;
		}
		head_mark_pages = arena.nr_pages;
	}
	nr_heads = 0;
	return true;
}

static void marks_clear(void)
{
	for (unsigned long i = 0; i < nr_heads; i++)
		head_mark[heads[i]] = 0;
	nr_heads = 0;
}

/* What a page inside a free block must not have. */
static inline bool page_has_state(const struct page *page)
{
	return page->_refcount || page->_mapcount != -1 || page->flags;
}

/* Is node the buddy_list of some struct page? (checked before any use) */
static bool node_is_page(const struct list_head *node)
{
	uintptr_t p = (uintptr_t)node, base = (uintptr_t)arena.mem_map;
	uintptr_t off = offsetof(struct page, buddy_list);

	return p >= base + off &&
	       p < base + arena.nr_pages * sizeof(struct page) &&
	       (p - base - off) % sizeof(struct page) == 0;
}

/* The head of a free block: its own fields and its buddy. */
static int check_free_head(const struct zone *z, int t, unsigned int o,
			   const struct page *page)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << o;
	const char *zn = zone_name((enum zone_type)t);
	unsigned long bad_flags = page->flags & ~PAGE_FLAG(PG_buddy);
	int problems = 0;

	if (!is_buddy(page)) {
		report_internal("buddy: zone %s free_area[%u]: pfn 0x%lx is not PageBuddy",
				zn, o, pfn);
		problems++;
	}
	if (page->order != o) {
		report_internal("buddy: zone %s free_area[%u]: pfn 0x%lx has order %u",
				zn, o, pfn, page->order);
		problems++;
	}
	if (!IS_ALIGNED(pfn, nr)) {
		report_internal("buddy: zone %s free_area[%u]: pfn 0x%lx is not aligned to its order",
				zn, o, pfn);
		problems++;
	}
	if (pfn < z->zone_start_pfn || pfn + nr > zone_end_pfn(z) ||
	    page->zone != t) {
		report_internal("buddy: zone %s free_area[%u]: block at pfn 0x%lx lies outside its zone",
				zn, o, pfn);
		problems++;
	}
	if (page->_refcount != 0) {
		report_internal("buddy: zone %s free_area[%u]: free block at pfn 0x%lx has refcount %d",
				zn, o, pfn, page->_refcount);
		problems++;
	}
	if (page->_mapcount != -1 || bad_flags) {
		report_internal("buddy: zone %s: free pages have a refcount, mapcount or flags (pfn 0x%lx)",
				zn, pfn);
		problems++;
	}
	if (o < MAX_PAGE_ORDER) {
		unsigned long bpfn = pfn ^ nr;

		if (pfn < bpfn && pfn_valid(bpfn)) {
			const struct page *buddy = &arena.mem_map[bpfn];

			if (is_buddy(buddy) && buddy->order == o &&
			    buddy->zone == page->zone) {
				report_internal("buddy: zone %s: free buddies at pfn 0x%lx and 0x%lx of order %u are not merged",
						zn, pfn, bpfn, o);
				problems++;
			}
		}
	}
	return problems;
}

static int validate_zone_lists(int t)
{
	const struct zone *z = &zones[t];
	const char *zn = zone_name((enum zone_type)t);
	unsigned long free = 0;
	int problems = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct list_head *head = &z->free_area[o].free_list;
		const struct list_head *prev = head, *node;
		unsigned long count = 0;

		for (node = head->next; node != head; prev = node, node = node->next) {
			const struct page *page;
			unsigned long pfn;

			if (!node_is_page(node)) {
				report_internal("buddy: zone %s free_area[%u]: list link 0x%lx is not a page",
						zn, o, (unsigned long)(uintptr_t)node);
				problems++;
				break;
			}
			page = list_entry(node, struct page, buddy_list);
			pfn = page_to_pfn(page);
			if (node->prev != prev) {
				report_internal("buddy: zone %s free_area[%u]: broken back link at pfn 0x%lx",
						zn, o, pfn);
				problems++;
			}
			if (++count > arena.nr_pages) {
				report_internal("buddy: zone %s free_area[%u]: list does not end",
						zn, o);
				problems++;
				break;
			}
			problems += check_free_head(z, t, o, page);
			if (head_mark[pfn]) {
				report_internal("buddy: zone %s free_area[%u]: block at pfn 0x%lx overlaps another free block at pfn 0x%lx",
						zn, o, pfn, pfn);
				problems++;
			} else {
				head_mark[pfn] = (uint8_t)(o + 1);
				heads[nr_heads++] = pfn;
			}
			free += 1UL << o;
		}
		if (count != z->free_area[o].nr_free) {
			report_internal("buddy: zone %s free_area[%u]: nr_free is %lu but the list holds %lu",
					zn, o, z->free_area[o].nr_free, count);
			problems++;
		}
	}
	if (free != z->free_pages) {
		report_internal("buddy: zone %s: NR_FREE_PAGES is %lu but the free lists hold %lu",
				zn, z->free_pages, free);
		problems++;
	}
	if (z->free_pages + z->alloc_pages != z->managed_pages) {
		report_internal("buddy: zone %s: free %lu + allocated %lu != managed %lu",
				zn, z->free_pages, z->alloc_pages, z->managed_pages);
		problems++;
	}
	/* with no overlaps (checked next), what the lists do not hold */
	if (free <= z->managed_pages && z->managed_pages - free != z->alloc_pages) {
		report_internal("buddy: zone %s: %lu pages are outside free blocks but %lu are accounted allocated",
				zn, z->managed_pages - free, z->alloc_pages);
		problems++;
	}
	return problems;
}

/*
 * The walks over dirty and touched pages meet a block's pages in a run,
 * in pfn order, as the block was handed out or freed. When pfn - 1 lies in
 * no free block, the blocks that would hold pfn at orders above pfn's
 * alignment hold pfn - 1 as well, so only the orders up to the alignment
 * need a look: about two lookups per page of a run instead of one per
 * order.
 */
static unsigned int orders_after(unsigned long pfn, const struct pfn_run *run)
{
	unsigned int align;

	if (!pfn || run->none != pfn - 1)
		return NR_PAGE_ORDERS;
	align = (unsigned int)__builtin_ctzl(pfn);
	return align < NR_PAGE_ORDERS ? align + 1 : NR_PAGE_ORDERS;
}

/*
 * The listed block whose pages hold pfn, from head_mark: its head pfn, or
 * ULONG_MAX. Aligned power-of-two blocks are nested or disjoint, so the
 * candidates are pfn rounded down to each order.
 */
static unsigned long marked_block_of(unsigned long pfn, unsigned int from,
				     unsigned int to)
{
	for (unsigned int o = from; o < to; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);

		if (head_mark[h] == o + 1)
			return h;
	}
	return ULONG_MAX;
}

/* Blocks inside blocks, and dirty pages against the listed blocks. */
static int validate_marked(void)
{
	unsigned long stray = 0, dirty_free = 0, first_stray = 0, first_dirty = 0;
	struct pfn_run run = PFN_RUN_INIT;
	int problems = 0;

	for (unsigned long i = 0; i < nr_heads; i++) {
		unsigned long pfn = heads[i];
		unsigned int o = head_mark[pfn] - 1u;
		unsigned long outer = marked_block_of(pfn, o + 1, NR_PAGE_ORDERS);

		/* a misaligned block (reported already) can overlap anything:
		 * its pages are looked up one by one, which only corruption
		 * ever costs */
		if (outer == ULONG_MAX && !IS_ALIGNED(pfn, 1UL << o)) {
			for (unsigned long p = pfn + 1;
			     p < pfn + (1UL << o) && p < arena.nr_pages &&
			     outer == ULONG_MAX; p++)
				outer = marked_block_of(p, 0, NR_PAGE_ORDERS);
		}
		if (outer != ULONG_MAX) {
			report_internal("buddy: zone %s free_area[%u]: block at pfn 0x%lx overlaps another free block at pfn 0x%lx",
					zone_name((enum zone_type)arena.mem_map[pfn].zone),
					o, pfn, outer);
			problems++;
		}
	}
	for (unsigned long i = 0; i < arena.nr_dirty; i++) {
		unsigned long pfn = arena.dirty_list[i];
		const struct page *page = &arena.mem_map[pfn];
		unsigned long h;

		if (is_buddy(page) && head_mark[pfn] != page->order + 1 &&
		    !stray++)
			first_stray = pfn;
		/* a clean page is fine wherever it lies: the block lookup is
		 * only for pages with state, most of them allocated */
		if (!page_has_state(page))
			continue;
		h = marked_block_of(pfn, 0, orders_after(pfn, &run));
		if (h == ULONG_MAX)
			run.none = pfn;
		if (h == ULONG_MAX || h == pfn)
			continue;	/* allocated, or a head checked above */
		if (!dirty_free++)
			first_dirty = pfn;
	}
	if (stray) {
		report_internal("buddy: %lu PageBuddy pages are on no free list (first pfn 0x%lx)",
				stray, first_stray);
		problems++;
	}
	if (dirty_free) {
		report_internal("buddy: %lu free pages have a refcount, mapcount or flags (first pfn 0x%lx)",
				dirty_free, first_dirty);
		problems++;
	}
	return problems;
}

int buddy_validate(void)
{
	int problems = 0;

	if (!arena.mem_map || !marks_ready())
		return 0;
	for (int t = 0; t < MAX_NR_ZONES; t++)
		problems += validate_zone_lists(t);
	problems += validate_marked();
	marks_clear();
	return problems;
}

/*
 * The incremental check: the pages touched since the last one, each
 * against its neighbourhood, and the zone counters. A free block head must
 * be linked both ways on a list and not sit inside a bigger free block; a
 * page inside a free block must be clean. O(touched pages x orders).
 */
static bool free_head_linked(const struct page *page)
{
	const struct list_head *n = &page->buddy_list;

	return n->next && n->prev && (node_is_page(n->next) ||
				      n->next == &zones[page->zone].free_area[page->order].free_list) &&
	       n->next->prev == n && n->prev->next == n;
}

static const struct page *free_block_of(unsigned long pfn, unsigned int from,
					unsigned int to)
{
	for (unsigned int o = from; o < to; o++) {
		const struct page *h = &arena.mem_map[pfn & ~((1UL << o) - 1)];

		if (is_buddy(h) && h->order == o)
			return h;
	}
	return NULL;
}

bool page_is_free_next(struct pfn_run *run, const struct page *page)
{
	unsigned long pfn;

	if (!page_in_mem_map(page))
		return false;
	pfn = page_to_pfn(page);
	if (free_block_of(pfn, 0, orders_after(pfn, run)))
		return true;
	run->none = pfn;
	return false;
}

/* A slab's pages are checked after every op that touched it. */
const struct page *first_free_page(const struct page *page, unsigned long nr)
{
	struct pfn_run run = PFN_RUN_INIT;

	for (unsigned long i = 0; i < nr; i++)
		if (page_is_free_next(&run, page + i))
			return page + i;
	return NULL;
}

int buddy_validate_touched(void)
{
	struct pfn_run run = PFN_RUN_INIT;
	int problems = 0;

	if (!arena.mem_map)
		return 0;
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];
		unsigned long listed = 0;

		if (!z->managed_pages)
			continue;
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			listed += z->free_area[o].nr_free << o;
		if (listed != z->free_pages ||
		    z->free_pages + z->alloc_pages != z->managed_pages) {
			report_internal("buddy: zone %s: free %lu (lists %lu) + allocated %lu != managed %lu",
					zone_name((enum zone_type)t), z->free_pages,
					listed, z->alloc_pages, z->managed_pages);
			problems++;
		}
	}
	for (unsigned long i = 0; i < arena.nr_touched; i++) {
		unsigned long pfn = arena.touched_list[i];
		const struct page *page = &arena.mem_map[pfn];
		const struct page *outer;

		if (is_buddy(page)) {
			unsigned int o = page->order;
			int t = page->zone;

			if (o >= NR_PAGE_ORDERS || t >= MAX_NR_ZONES) {
				report_internal("buddy: pfn 0x%lx: PageBuddy with order %u zone %d",
						pfn, o, t);
				problems++;
				continue;
			}
			problems += check_free_head(&zones[t], t, o, page);
			if (!free_head_linked(page)) {
				report_internal("buddy: zone %s free_area[%u]: pfn 0x%lx is not linked on a free list",
						zone_name((enum zone_type)t), o, pfn);
				problems++;
			}
			outer = free_block_of(pfn, o + 1, NR_PAGE_ORDERS);
			if (outer) {
				report_internal("buddy: zone %s free_area[%u]: block at pfn 0x%lx overlaps another free block at pfn 0x%lx",
						zone_name((enum zone_type)t), o,
						pfn, page_to_pfn(outer));
				problems++;
			}
			continue;
		}
		/* the clean test first: it spares the block lookup for every
		 * page freed or handed out clean */
		if (!page_has_state(page))
			continue;
		outer = free_block_of(pfn, 0, orders_after(pfn, &run));
		if (!outer)
			run.none = pfn;
		if (outer) {
			report_internal("buddy: 1 free pages have a refcount, mapcount or flags (first pfn 0x%lx)",
					pfn);
			problems++;
		}
	}
	return problems;
}
