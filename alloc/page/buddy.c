/*
 * buddy.c - the buddy allocator's life cycle: init, snapshot, reset, fini.
 *
 * The kernel's mm/mm_init.c part of the page layer: buddy_init() lays the
 * zones out (ZONE_DMA is the first dma_bytes, ZONE_DMA32 runs to
 * dma32_bytes when configured, ZONE_NORMAL holds the rest; a zone of size
 * zero is absent), puts the largest aligned free blocks on the free lists
 * and computes the watermarks and lowmem_reserve as
 * init_per_zone_wmark_min() does. buddy_snapshot() keeps the zones just
 * after init, which buddy_reset() copies back. Apart from page_zone.c so
 * that the zones' owner calls nothing above it: set-up needs the free
 * lists (page_alloc.c), the zones do not.
 */
#include <string.h>

#include "page/buddy.h"

/* The zones just after init: small, so reset copies them back whole. */
static __machine_state struct zone zones_init[MAX_NR_ZONES];

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long bit = 1UL << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* The largest aligned blocks that fit, in pfn order. */
static void zone_init(enum zone_type t, unsigned long start, unsigned long end)
{
	struct zone *zone = &zones[t];
	unsigned long pfn = start;

	zone->zone_start_pfn = start;
	zone->managed_pages = end - start;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
	for (unsigned long p = start; p < end; p++)
		arena.mem_map[p].zone = (uint8_t)t;
	while (pfn < end) {
		unsigned int order = MAX_PAGE_ORDER;

		while (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > end)
			order--;
		add_to_free_list(&arena.mem_map[pfn], zone, order, true);
		/* free pages are poisoned from the start, as the kernel's
		 * boot-time frees poison them (kasan_poison_pages()); parked
		 * memory comes poisoned */
		if (!arena.shadow_poisoned)
			kasan_poison_pages(&arena.mem_map[pfn], order);
		pfn += 1UL << order;
	}
}

/*
 * init_per_zone_wmark_min(): min_free_kbytes = sqrt(lowmem_kbytes * 16)
 * clamped to [128, 262144], shared out in proportion to managed pages;
 * low and high each add max(min / 4, managed * watermark_scale_factor /
 * 10000). lowmem_reserve as setup_per_zone_lowmem_reserve().
 */
static void setup_per_zone_wmarks(void)
{
	static const unsigned int lowmem_reserve_ratio[MAX_NR_ZONES] = {
		[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
	};
	const unsigned long watermark_scale_factor = 10;
	unsigned long lowmem_pages = 0, min_free_kbytes, pages_min;

	for (int t = 0; t < MAX_NR_ZONES; t++)
		lowmem_pages += zones[t].managed_pages;
	min_free_kbytes = int_sqrt(lowmem_pages * (PAGE_SIZE >> 10) * 16);
	if (min_free_kbytes < 128)
		min_free_kbytes = 128;
	if (min_free_kbytes > 262144)
		min_free_kbytes = 262144;
	pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);

	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *z = &zones[t];
		unsigned long tmp = pages_min * z->managed_pages / lowmem_pages;

		z->_watermark[WMARK_MIN] = tmp;
		tmp = max_t(unsigned long, tmp >> 2,
			    z->managed_pages * watermark_scale_factor / 10000);
		z->_watermark[WMARK_LOW] = z->_watermark[WMARK_MIN] + tmp;
		z->_watermark[WMARK_HIGH] = z->_watermark[WMARK_LOW] + tmp;
	}

	for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
		struct zone *z = &zones[i];
		unsigned long managed = 0;
		bool clear = !lowmem_reserve_ratio[i] || !z->managed_pages;

		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			managed += zones[j].managed_pages;
			z->lowmem_reserve[j] = clear ? 0 :
				managed / lowmem_reserve_ratio[i];
		}
	}
}

int buddy_init(const struct kalloc_config *cfg)
{
	unsigned long dma_end = cfg->dma_bytes >> PAGE_SHIFT;
	unsigned long dma32_end = cfg->dma32_bytes >> PAGE_SHIFT;
	unsigned long normal_start = dma32_end ? dma32_end : dma_end;

	memset(zones, 0, sizeof(zones));
	zone_init(ZONE_DMA, 0, dma_end);
	zone_init(ZONE_DMA32, dma_end, dma32_end ? dma32_end : dma_end);
	zone_init(ZONE_NORMAL, normal_start, arena.nr_pages);
	setup_per_zone_wmarks();
	buddy_reset_warnings();
	return 0;
}

void buddy_snapshot(void)
{
	memcpy(zones_init, zones, sizeof(zones));
}

/* The struct pages are put back by arena_reset(); the zones here. */
void buddy_reset(void)
{
	memcpy(zones, zones_init, sizeof(zones));
	buddy_reset_warnings();
}

void buddy_fini(void)
{
	memset(zones, 0, sizeof(zones));
	memset(zones_init, 0, sizeof(zones_init));
}
