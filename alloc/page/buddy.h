/*
 * page/buddy.h - the buddy page allocator's internals, shared by its files
 * and read by the layers above. Within the layer, each file calls only the
 * ones listed before it:
 *   page_zone.c       zones[] and the counters read from it
 *   page_report.c     Bad page state and the other reports, buddyinfo
 *   page_poison.c     the free-frame fill
 *   page_alloc.c      the free lists, allocation and freeing
 *   page_ref.c        get_page(), put_page()
 *   buddy.c           zone set-up; the life cycle (init, snapshot, reset, fini)
 *   buddy_validate.c  the invariant checker
 */
#ifndef KALLOC_PAGE_BUDDY_H
#define KALLOC_PAGE_BUDDY_H

#include "mem/memory.h"

/* ------------------------------------------------------------------ */
/* life cycle hooks called by machine/kalloc.c                        */
/* ------------------------------------------------------------------ */

int buddy_init(const struct kalloc_config *cfg);
void buddy_reset(void);
void buddy_snapshot(void);	/* after init: the zone state reset restores */
void buddy_fini(void);
int buddy_validate(void);
int buddy_validate_touched(void);	/* pages touched since the last check */
/* Is this pfn inside a free buddy block? (for slab/vmalloc validation) */
bool page_is_free(const struct page *page);
/*
 * The same for pages met in ascending runs of pfns (a slab's pages, a
 * vmalloc area's), cheaper: the run remembers the last pfn found in no
 * free block (buddy_validate.c).
 */
struct pfn_run {
	unsigned long none;
};
#define PFN_RUN_INIT	{ .none = ~0UL }
bool page_is_free_next(struct pfn_run *run, const struct page *page);
/* The first of nr consecutive pages that is, or NULL. */
const struct page *first_free_page(const struct page *page, unsigned long nr);

/* ------------------------------------------------------------------ */
/* the page/ files: the buddy allocator                               */
/* ------------------------------------------------------------------ */

/*
 * Pages go back to the buddy allocator with only PG_head/PG_tail set (the
 * buddy allocator clears those) and _mapcount == -1: a layer clears its own
 * flags (PG_slab, PG_vmalloc, PG_large_kmalloc, PG_quarantine) first, as
 * the kernel's owners do, or the free is a "Bad page state" (the kernel's
 * PAGE_FLAGS_CHECK_AT_FREE) and the pages are leaked.
 */
#define PAGE_FLAGS_CHECK_AT_FREE \
	(PAGE_FLAG(PG_slab) | PAGE_FLAG(PG_reserved) | PAGE_FLAG(PG_vmalloc) | \
	 PAGE_FLAG(PG_large_kmalloc) | PAGE_FLAG(PG_quarantine))

#define PAGE_ALLOC_COSTLY_ORDER	3

enum zone_wmark {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

struct free_area {
	struct list_head free_list;	/* heads of free blocks (PG_buddy) */
	unsigned long nr_free;		/* blocks on free_list */
};

/*
 * One zone of the single node. No holes and nothing reserved: spanned,
 * present and managed pages are one number.
 */
struct zone {
	unsigned long zone_start_pfn;
	unsigned long managed_pages;	/* 0: the zone is absent */
	unsigned long free_pages;	/* NR_FREE_PAGES */
	unsigned long alloc_pages;	/* pages handed out and not yet freed */
	unsigned long _watermark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[NR_PAGE_ORDERS];
};

extern struct zone zones[MAX_NR_ZONES];	/* page_zone.c */

/* page_alloc.c: put a free block on its list (zone setup uses it too). */
void add_to_free_list(struct page *page, struct zone *zone,
		      unsigned int order, bool tail);
/* page_alloc.c, for put_page() (page_ref.c): the checks made before a
 * reference is dropped (false: reported, nothing changed), and the return
 * of a block whose references are gone (false: rejected and reported). */
bool free_pages_check(struct page *page, unsigned int order,
		      bool check_order, const char *func);
bool free_frozen_pages(struct page *page, unsigned int order);
/* What the slow path runs when the flags allow direct reclaim and the free
 * lists cannot serve it: pages given back (set by machine/kalloc.c). */
void buddy_set_direct_reclaim(unsigned long (*reclaim)(gfp_t gfp));
/* alloc_pages() without asking the fault hook: the slab and vmalloc
 * layers' own pages. should_fail_alloc_page() asks it (fail_page_alloc),
 * for the page allocations those layers make on a caller's behalf. */
struct page *__alloc_pages(gfp_t gfp, unsigned int order);
bool should_fail_alloc_page(gfp_t gfp, unsigned int order, unsigned long caller);
/* WARN_ON_ONCE warnings may fire again: a new boot. */
void buddy_reset_warnings(void);

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->managed_pages;
}

/* Is page a struct page of the mem_map (not any other address)? */
static inline bool page_in_mem_map(const struct page *page)
{
	uintptr_t p = (uintptr_t)page, base = (uintptr_t)arena.mem_map;

	return arena.mem_map && p >= base &&
	       p < base + arena.nr_pages * sizeof(struct page) &&
	       (p - base) % sizeof(struct page) == 0;
}

/* Free-frame fill: checked and rewritten at hand-out, set at free
 * (page_poison.c; per page, hot: no coverage instrumentation). */
void frame_hand_out(struct page *page, bool zero);
void frame_fill_free(struct page *page, bool zero);
/* The same for every frame of a block of nr pages. */
void frames_hand_out(struct page *page, unsigned long nr, bool zero);
void frames_fill_free(struct page *page, unsigned long nr, bool zero);

/* page_report.c: what page_alloc.c reports, and the dumps it prints. */
/* A free frame no longer holds its fill (have): the kernel's
 * check_poison_mem() report. */
void page_poison_corrupt(struct page *page, const uint8_t *bad, uint8_t have);
void bad_page(struct page *page, enum kalloc_bug bug, const char *title,
	      const char *reason_fmt, ...) __printf(4, 5);
void bad_page_address(const void *addr, unsigned int order, const char *func);
/* "<comm>: <fmt>, mode:...": ratelimited, silenced by __GFP_NOWARN. */
void warn_alloc(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
__noreturn void out_of_memory(gfp_t gfp, unsigned int order);
/* Mem-Info: per-zone free memory, as the kernel's show_free_areas(). */
void show_free_areas(void);


/* The names part of the kernel's %pGp: "slab|head|node=0|zone=2". */
void format_page_flags(char *buf, size_t len, const struct page *page);

#endif /* KALLOC_PAGE_BUDDY_H */
