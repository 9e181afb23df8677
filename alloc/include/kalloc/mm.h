/*
 * Pages and the buddy page allocator: struct page, pfn/page/address
 * conversions, zones, and the kernel's page allocation API.
 */
#ifndef KALLOC_MM_H
#define KALLOC_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "gfp.h"

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)

typedef uint64_t phys_addr_t;

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	MAX_NR_ZONES
};

/*
 * struct page is private to the allocator (alloc/mem/memory.h); callers use
 * the functions below. Its size is public so that code written for the
 * kernel can do pointer arithmetic on struct page * (page + i, &page[i],
 * nth_page): mem_map is one array. alloc/compat/linux/mm_types.h completes
 * the type with an opaque body of this size; memory.h asserts it matches.
 */
struct page;
#define KALLOC_STRUCT_PAGE_SIZE	128

/* Conversions (the linear map: virt = phys + PAGE_OFFSET). */
unsigned long page_to_pfn(const struct page *page);
struct page *pfn_to_page(unsigned long pfn);
bool pfn_valid(unsigned long pfn);
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
unsigned long virt_to_pfn(const void *addr);
phys_addr_t virt_to_phys(const void *addr);
void *phys_to_virt(phys_addr_t phys);
bool virt_addr_valid(const void *addr);
enum zone_type page_zonenum(const struct page *page);
const char *zone_name(enum zone_type zone);

/* Allocation */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_page(gfp_t gfp);
void __free_pages(struct page *page, unsigned int order);
void __free_page(struct page *page);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long __get_free_page(gfp_t gfp);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
void free_page(unsigned long addr);

/* Smallest order whose block holds size bytes. As in the kernel the result
 * for size 0 is meaningless (it computes to BITS_PER_LONG - PAGE_SHIFT). */
int get_order(unsigned long size);

/* Reference counts */
int page_count(const struct page *page);
void get_page(struct page *page);
void put_page(struct page *page);

/* Compound pages (__GFP_COMP) */
bool PageCompound(const struct page *page);
bool PageHead(const struct page *page);
bool PageTail(const struct page *page);
struct page *compound_head(const struct page *page);
unsigned int compound_order(const struct page *page);

/* Page state, for tests and oracles */
bool PageBuddy(const struct page *page);
bool PageSlab(const struct page *page);

/* Counters */
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);
unsigned long zone_free_pages(enum zone_type zone);
unsigned long zone_managed_pages(enum zone_type zone);
bool zone_present(enum zone_type zone);
/* Free blocks of exactly this order in a zone (a /proc/buddyinfo cell). */
unsigned long zone_nr_free(enum zone_type zone, unsigned int order);

/* Zone watermarks in pages, as set up at init. */
struct zone_watermarks {
	unsigned long min, low, high;
	unsigned long lowmem_reserve[MAX_NR_ZONES];
};
int zone_get_watermarks(enum zone_type zone, struct zone_watermarks *out);

#endif /* KALLOC_MM_H */
