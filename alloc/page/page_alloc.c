/*
 * The buddy page allocator (the kernel's mm/page_alloc.c): zones, the
 * free_area lists, GFP zone selection and watermarks, the slow path with
 * direct reclaim, and the free checks.
 *
 * Each zone keeps free_area[order] lists of free blocks: 2^order pages,
 * aligned to their size, the head page flagged PG_buddy with its order. An
 * allocation takes the smallest block that fits (__rmqueue_smallest) and
 * splits it, returning the upper halves to the lists (expand). A free merges
 * the block with its buddy at pfn ^ (1 << order) while that buddy is a free
 * block of the same order in the same zone (__free_one_page).
 *
 * Misuse is caught before anything changes (free_pages_check) and reported
 * by page_report.c in the kernel's "Bad page state" format; the pages
 * involved are then left alone, so that no memory can ever sit on a free
 * list twice or be handed out while live.
 *
 * Zone set-up is in buddy.c, the zones and their counters in page_zone.c,
 * reports and buddyinfo in page_report.c, validation in buddy_validate.c,
 * the free-frame fill in page_poison.c, page references in page_ref.c and
 * the page flag tests in mem/page_flags.c.
 *
 * Deviations: one node; no per-CPU page lists, migrate types, compaction,
 * kswapd or OOM killer. Every page a zone spans is managed. Every
 * allocation records its order in its first page (page->order) so that a
 * free with the wrong order is caught rather than corrupting the lists.
 */
#include <string.h>

#include "lib/fault.h"
#include "page/buddy.h"

/* WARN_ON_ONCE state; "once" means once per boot, and reset is a reboot. */
static __machine_state bool warned_order, warned_zone;

/* Direct reclaim (reclaim/reclaim.c's kalloc_reclaim), as the machine
 * registered it: the layer above, reached without calling upward. */
static __machine_state unsigned long (*direct_reclaim)(gfp_t gfp);

void buddy_set_direct_reclaim(unsigned long (*reclaim)(gfp_t gfp))
{
	direct_reclaim = reclaim;
}

void buddy_reset_warnings(void)
{
	warned_order = warned_zone = false;
}

/* alloc_flags (mm/internal.h), the subset that means something here */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_NON_BLOCK		0x10	/* may not block: a bit more reserve */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: half the min reserve */
#define ALLOC_RESERVES		(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE)

/* Reclaim passes in a row that free nothing before an allocation gives up. */
#define NO_PROGRESS_RETRIES	3

/* ------------------------------------------------------------------ */
/* Free lists                                                          */
/* ------------------------------------------------------------------ */

static inline struct zone *page_zone(const struct page *page)
{
	return &zones[page->zone];
}

/*
 * A list node that belongs to a struct page (not a free_area head) is part
 * of that page's state: reset must restore it.
 */
static inline void mark_node_dirty(struct list_head *node)
{
	uintptr_t p = (uintptr_t)node, base = (uintptr_t)arena.mem_map;

	if (p >= base && p < base + arena.nr_pages * sizeof(struct page))
		page_mark_dirty(list_entry(node, struct page, buddy_list));
}

void add_to_free_list(struct page *page, struct zone *zone,
		      unsigned int order, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	page_mark_dirty(page);
	if (tail) {
		mark_node_dirty(area->free_list.prev);
		list_add_tail(&page->buddy_list, &area->free_list);
	} else {
		mark_node_dirty(area->free_list.next);
		list_add(&page->buddy_list, &area->free_list);
	}
	page_set(page, PG_buddy);
	page->order = order;
	area->nr_free++;
	zone->free_pages += 1UL << order;
}

static __noinline void del_from_free_list(struct page *page, struct zone *zone,
					unsigned int order)
{
	page_mark_dirty(page);
	mark_node_dirty(page->buddy_list.prev);
	mark_node_dirty(page->buddy_list.next);
	list_del(&page->buddy_list);
	page_clear(page, PG_buddy);
	page->order = 0;
	zone->free_area[order].nr_free--;
	zone->free_pages -= 1UL << order;
}

/* Is buddy the head of a free block of this order in page's zone? */
static inline bool page_is_buddy(const struct page *page,
				 const struct page *buddy, unsigned int order)
{
	return page_test(buddy, PG_buddy) && buddy->order == order &&
	       buddy->zone == page->zone;
}

static __noinline struct page *find_buddy_page_pfn(struct page *page,
						 unsigned long pfn,
						 unsigned int order,
						 unsigned long *buddy_pfn)
{
	unsigned long bpfn = pfn ^ (1UL << order);
	struct page *buddy;

	if (buddy_pfn)
		*buddy_pfn = bpfn;
	if (!pfn_valid(bpfn))
		return NULL;
	buddy = &arena.mem_map[bpfn];
	return page_is_buddy(page, buddy, order) ? buddy : NULL;
}

/*
 * If the merged block's own buddy is free, this block will probably merge
 * further soon: put it at the tail so it is not split again first.
 */
static bool buddy_merge_likely(unsigned long pfn, unsigned long buddy_pfn,
			       unsigned int order)
{
	unsigned long higher_pfn;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	return find_buddy_page_pfn(&arena.mem_map[higher_pfn], higher_pfn,
				   order + 1, NULL) != NULL;
}

static void __free_one_page(struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order)
{
	unsigned long buddy_pfn = 0;
	struct page *buddy;

	while (order < MAX_PAGE_ORDER) {
		buddy = find_buddy_page_pfn(page, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		del_from_free_list(buddy, zone, order);
		pfn = buddy_pfn & pfn;
		page = &arena.mem_map[pfn];
		order++;
	}
	add_to_free_list(page, zone, order,
			 buddy_merge_likely(pfn, buddy_pfn, order));
}

/* Split a 2^high block down to 2^low: the upper halves go back. */
static void expand(struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, false);
	}
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, buddy_list);
		del_from_free_list(page, zone, o);
		expand(zone, page, order, o);
		return page;
	}
	return NULL;
}

bool page_is_free(const struct page *page)
{
	unsigned long pfn;

	if (!page_in_mem_map(page))
		return false;
	pfn = page_to_pfn(page);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct page *head = &arena.mem_map[pfn & ~((1UL << o) - 1)];

		if (page_test(head, PG_buddy) && head->order == o)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* GFP rules and watermark checks                                      */
/* ------------------------------------------------------------------ */

/*
 * The highest zone the flags allow (gfp_zone). An absent zone maps to
 * ZONE_NORMAL, as OPT_ZONE_DMA/OPT_ZONE_DMA32 do when the kernel is built
 * without it; there is no highmem or movable zone. -1 for the
 * combinations the kernel's GFP_ZONE_BAD rejects.
 */
static int gfp_zone(gfp_t gfp)
{
	gfp_t bits = gfp & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32);

	if (bits & (bits - 1))
		return -1;
	if ((gfp & __GFP_DMA) && zones[ZONE_DMA].managed_pages)
		return ZONE_DMA;
	if ((gfp & __GFP_DMA32) && zones[ZONE_DMA32].managed_pages)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

static bool __zone_watermark_ok(const struct zone *z, unsigned int order,
				unsigned long mark, int highest_zoneidx,
				unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	/* the block itself must fit above the mark too */
	free_pages -= (1L << order) - 1;

	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		/* GFP_ATOMIC, not GFP_NOWAIT: non-blocking alone gets nothing */
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}

	if (free_pages <= min + (long)z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

static bool zone_watermark_fast(const struct zone *z, unsigned int order,
				unsigned long mark, int highest_zoneidx,
				unsigned int alloc_flags)
{
	long free_pages = (long)z->free_pages;

	if (!order && free_pages > (long)(mark + z->lowmem_reserve[highest_zoneidx]))
		return true;
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   free_pages);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

static inline bool want_init_on_alloc(gfp_t gfp)
{
	return kg.cfg.init_on_alloc || (gfp & __GFP_ZERO);
}

static inline bool want_init_on_free(void)
{
	return kg.cfg.init_on_free;
}

static __noinline void prep_compound_page(struct page *head, unsigned int order)
{
	unsigned long nr = 1UL << order;

	page_set(head, PG_head);
	for (unsigned long i = 1; i < nr; i++) {
		page_set(&head[i], PG_tail);
		head[i].head = head;
	}
}

/*
 * Every page of a block handed out is dirty (reset must restore its struct
 * page) and touched (the next incremental check looks at it).
 */
static __noinline void mark_block_dirty(struct page *page, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		page_mark_dirty(page + i);
}

/*
 * A block leaves the free lists: every frame is checked and filled, and
 * KASAN lets the caller at it.
 */
static void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long nr = 1UL << order;
	bool zero = want_init_on_alloc(gfp) || want_init_on_free();

	mark_block_dirty(page, nr);
	page_zone(page)->alloc_pages += nr;
	page->_refcount = 1;
	page->order = order;
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
	kasan_unpoison_pages(page, order);
	frames_hand_out(page, nr, zero);
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags,
					   int highest_zoneidx)
{
	for (int t = highest_zoneidx; t >= 0; t--) {
		struct zone *z = &zones[t];
		struct page *page;

		if (!z->managed_pages)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(z, order,
					 z->_watermark[alloc_flags & ALLOC_WMARK_MASK],
					 highest_zoneidx, alloc_flags))
			continue;
		page = __rmqueue_smallest(z, order);
		if (page) {
			post_alloc_hook(page, order, gfp);
			return page;
		}
	}
	return NULL;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC))
		alloc_flags |= ALLOC_NON_BLOCK;
	return alloc_flags;
}

/* __GFP_MEMALLOC, or an allocation from inside reclaim (PF_MEMALLOC). */
static bool gfp_pfmemalloc_allowed(gfp_t gfp)
{
	if (gfp & __GFP_NOMEMALLOC)
		return false;
	return (gfp & __GFP_MEMALLOC) || current_in_reclaim();
}

/*
 * __alloc_pages_slowpath(), without kswapd, compaction or an OOM killer.
 * Try at the min watermark with the reserves the flags allow; if the flags
 * allow direct reclaim, reclaim and retry. __GFP_NORETRY, and costly orders
 * without __GFP_RETRY_MAYFAIL, stop after one pass.
 *
 * Otherwise retrying follows should_reclaim_retry()'s counter: a pass that
 * gave pages back resets it (except for costly orders, where progress may
 * not help against fragmentation), a pass that did not counts one, and
 * NO_PROGRESS_RETRIES such passes in a row end it. The kernel also retries
 * only while free plus reclaimable LRU pages could meet the watermark and
 * then tries the OOM killer; there is no LRU and nothing to kill here, and
 * since progress means more free pages each time, retrying on progress
 * always ends.
 *
 * __GFP_NOFAIL never takes the early exits and may use part of the min
 * reserve; when retrying would change nothing, the machine is out of
 * memory: out_of_memory() reports and aborts.
 */
static struct page *alloc_pages_slowpath(gfp_t gfp, unsigned int order,
					 int highest_zoneidx)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	bool nofail = gfp & __GFP_NOFAIL;
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp);
	const unsigned int nofail_flags = ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE;
	unsigned int no_progress_loops = 0;
	unsigned long progress;
	struct page *page;

retry:
	page = get_page_from_freelist(gfp, order, alloc_flags, highest_zoneidx);
	if (page)
		return page;
	if (gfp_pfmemalloc_allowed(gfp)) {
		page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS,
					      highest_zoneidx);
		if (page)
			return page;
	}
	if (!can_direct_reclaim || current_in_reclaim())
		goto nopage;

	progress = direct_reclaim ? direct_reclaim(gfp) : 0;
	page = get_page_from_freelist(gfp, order, alloc_flags, highest_zoneidx);
	if (page)
		return page;
	if (nofail) {
		page = get_page_from_freelist(gfp, order, nofail_flags,
					      highest_zoneidx);
		if (page)
			return page;
	} else {
		if (gfp & __GFP_NORETRY)
			goto nopage;
		if (costly_order && !(gfp & __GFP_RETRY_MAYFAIL))
			goto nopage;
	}
	/* NOFAIL waits as long as anything at all comes back */
	if (progress && (!costly_order || nofail))
		no_progress_loops = 0;
	else
		no_progress_loops++;
	if (no_progress_loops < NO_PROGRESS_RETRIES)
		goto retry;

nopage:
	if (nofail) {
		/* some of the atomic reserve, never all of memory */
		page = get_page_from_freelist(gfp, order, nofail_flags,
					      highest_zoneidx);
		if (page)
			return page;
		/* cannot return NULL, and waiting would be forever */
		out_of_memory(gfp, order);
	}
	warn_alloc(gfp, "page allocation failure: order:%u", order);
	return NULL;
}

/*
 * fail_page_alloc (mm/fail_page_alloc.c): asked once per page allocation a
 * caller makes (alloc_pages, __get_free_pages, large kmalloc, vmalloc), not
 * for the pages the slab and vmalloc layers take for themselves, which
 * their callers' own should_failslab() or vmalloc call already covered.
 */
bool should_fail_alloc_page(gfp_t gfp, unsigned int order, unsigned long caller)
{
	struct kalloc_fault f = {
		.kind = KALLOC_FAULT_PAGE,
		.size = PAGE_SIZE << (order <= MAX_PAGE_ORDER ? order : 0),
		.order = order,
		.gfp = gfp,
		.caller = caller,
	};

	return fault_should_fail(&f);
}

/* alloc_pages() without the fault hook: the layers above, for their own
 * pages (and alloc_pages() itself once the hook has been asked). */
struct page *__alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;
	int highest_zoneidx;

	if (!kg.initialised)
		return NULL;
	kalloc_tick();
	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN) && !warned_order) {
			warned_order = true;
			printk("WARNING: CPU: %u PID: %d at mm/page_alloc.c __alloc_pages: order %u > MAX_PAGE_ORDER %d\n",
			       kg.cpu, kg.pid, order, MAX_PAGE_ORDER);
		}
		return NULL;
	}
	gfp &= __GFP_BITS_MASK;
	highest_zoneidx = gfp_zone(gfp);
	if (highest_zoneidx < 0) {
		if (!warned_zone) {
			char names[256];

			warned_zone = true;
			format_gfp(names, sizeof(names), gfp);
			printk("WARNING: CPU: %u PID: %d at mm/page_alloc.c __alloc_pages: invalid zone modifiers in mode:0x%x(%s)\n",
			       kg.cpu, kg.pid, gfp, names);
		}
		return NULL;
	}
	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW,
				      highest_zoneidx);
	if (!page)
		page = alloc_pages_slowpath(gfp, order, highest_zoneidx);
	return page;
}

static inline struct page *alloc_pages_caller(gfp_t gfp, unsigned int order,
					      unsigned long caller)
{
	if (unlikely(fault_hook_armed) && kg.initialised &&
	    should_fail_alloc_page(gfp, order, caller))
		return NULL;
	return __alloc_pages(gfp, order);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(gfp, order, _RET_IP_);
}

struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages_caller(gfp, 0, _RET_IP_);
}

static unsigned long get_free_pages_caller(gfp_t gfp, unsigned int order,
					   unsigned long caller)
{
	struct page *page = alloc_pages_caller(gfp & ~__GFP_HIGHMEM, order,
					       caller);

	return page ? (unsigned long)(uintptr_t)page_address(page) : 0;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	return get_free_pages_caller(gfp, order, _RET_IP_);
}

unsigned long __get_free_page(gfp_t gfp)
{
	return get_free_pages_caller(gfp, 0, _RET_IP_);
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return get_free_pages_caller(gfp | __GFP_ZERO, 0, _RET_IP_);
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

static bool free_tail_page_ok(struct page *head, struct page *tail)
{
	if (!page_test(tail, PG_tail)) {
		bad_page(tail, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: PageTail not set",
			 "PageTail not set");
		return false;
	}
	if (tail->head != head) {
		bad_page(tail, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: compound_head not consistent",
			 "compound_head not consistent");
		return false;
	}
	return true;
}

/* free_page_is_bad(): what must hold of every page that reaches the lists. */
static bool free_page_ok(struct page *page)
{
	if (page->_mapcount != -1) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: nonzero mapcount",
			 "nonzero mapcount");
		return false;
	}
	if (page->_refcount != 0) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: nonzero _refcount",
			 "nonzero _refcount");
		return false;
	}
	if (page->flags & PAGE_FLAGS_CHECK_AT_FREE) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: PAGE_FLAGS_CHECK_AT_FREE flag set",
			 "PAGE_FLAGS_CHECK_AT_FREE flag set");
		return false;
	}
	return true;
}

/* The tail pages of a compound block being freed, out of line: a loop over
 * up to 1023 pages (coverage-ignore.txt). */
static __noinline bool free_tail_pages_ok(struct page *head, unsigned long nr)
{
	for (unsigned long i = 1; i < nr; i++)
		if (!free_tail_page_ok(head, &head[i]) ||
		    !free_page_ok(&head[i]))
			return false;
	return true;
}

static __noinline void clear_compound_tails(struct page *head, unsigned long nr)
{
	for (unsigned long i = 1; i < nr; i++) {
		page_mark_dirty(&head[i]);
		page_clear(&head[i], PG_tail);
		head[i].head = NULL;
	}
}

/*
 * Last checks, then the block is made plain again. A bad page is reported
 * and leaked, as the kernel leaks it: it never reaches a free list.
 */
static bool free_pages_prepare(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;
	bool compound = page_test(page, PG_head);

	if (compound && !free_tail_pages_ok(page, nr))
		return false;
	if (!free_page_ok(page))
		return false;

	page_mark_dirty(page);
	page_clear(page, PG_head);
	page->order = 0;
	page->head = NULL;
	page->vm = NULL;
	/* host memory: ASan's memset() checks were 2% of fuzz_vmalloc,
	 * which frees every page on its own */
	kasan_memset_nocheck(&page->slab, 0, sizeof(page->slab));
	if (compound)
		clear_compound_tails(page, nr);
	/* the fill covers the frames whatever the owner left poisoned: it
	 * writes through the nocheck helpers */
	frames_fill_free(page, nr, want_init_on_free());
	kasan_poison_pages(page, order);
	return true;
}

/* A block whose references are gone goes back (free_frozen_pages); false
 * when the checks reject it (reported, nothing changed). */
bool free_frozen_pages(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);

	if (!free_pages_prepare(page, order))
		return false;
	zone->alloc_pages -= 1UL << order;
	__free_one_page(page, page_to_pfn(page), zone, order);
	return true;
}

/*
 * Checks made before a reference is dropped, in the order that names the
 * real mistake: not a page at all, already free, a tail, no reference to
 * drop, or the wrong order. Nothing has changed when one fails.
 */
bool free_pages_check(struct page *page, unsigned int order,
		      bool check_order, const char *func)
{
	if (!page_in_mem_map(page)) {
		bad_page_address(page, order, func);
		return false;
	}
	/*
	 * A page someone holds a reference to is no double free, as the
	 * kernel sees it (put_page_testzero() on a zero count): a free block's
	 * pages all have none, so only a page without one is looked up.
	 */
	if (page->_refcount <= 0 && page_is_free(page)) {
		bad_page(page, KALLOC_BUG_DOUBLE_FREE, "page: double free",
			 "VM_BUG_ON_PAGE(page_ref_count(page) == 0): page is already free");
		return false;
	}
	if (page_test(page, PG_tail)) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: freeing tail page",
			 "freeing a tail page of the compound page at pfn:0x%lx",
			 page->head ? page_to_pfn(page->head) : 0UL);
		return false;
	}
	if (page->_refcount <= 0) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: nonzero _refcount",
			 "VM_BUG_ON_PAGE(page_ref_count(page) %s 0)",
			 page->_refcount ? "<" : "==");
		return false;
	}
	if (check_order && page->order != order) {
		bad_page(page, KALLOC_BUG_BAD_PAGE,
			 "page: Bad page state: freed with wrong order",
			 "freed with order %u, allocated with order %u",
			 order, page->order);
		return false;
	}
	return true;
}

/*
 * As the kernel's __free_pages(): drop a reference; the last one frees the
 * block. If others still hold a non-compound block, its first page stays
 * theirs (at order 0) and the rest is freed now.
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool head;

	if (!kg.initialised)
		return;
	kalloc_tick();
	if (!free_pages_check(page, order, true, "__free_pages"))
		return;
	head = page_test(page, PG_head);
	page_mark_dirty(page);
	if (--page->_refcount == 0) {
		/*
		 * A block the checks reject (a vmalloc, slab or large kmalloc
		 * page freed by a stray caller) is reported with the refcount
		 * the kernel shows, 0, and then keeps the reference its owner
		 * still holds: the caller's bug is reported once, and the
		 * owner's own free later finds its page as it left it.
		 */
		if (!free_frozen_pages(page, order))
			page->_refcount = 1;
	} else if (!head) {
		page->order = 0;
		while (order-- > 0) {
			struct page *part = page + (1UL << order);

			/* each part is a block of its own for the checks */
			page_mark_dirty(part);
			part->order = order;
			free_frozen_pages(part, order);
		}
	}
}

void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr || !kg.initialised)
		return;
	if (!virt_addr_valid((void *)(uintptr_t)addr)) {
		kalloc_tick();
		bad_page_address((void *)(uintptr_t)addr, order, "free_pages");
		return;
	}
	__free_pages(virt_to_page((void *)(uintptr_t)addr), order);
}

void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}
