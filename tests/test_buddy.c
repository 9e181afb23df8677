/*
 * The buddy allocator's API and invariants: initial free lists, split and
 * merge, every order, compound pages, reference counts, the page/address
 * API, counters and watermarks as set up, buddyinfo, validate catching
 * deliberate corruption, and reset restoring the free lists exactly.
 */
#include <errno.h>

#include "ktest.h"
#include "internal.h"

#define MAX_BLOCKS 4096

/* The free lists as (order, pfn) in list order, zone by zone. */
struct freelists {
	unsigned long n;
	struct { int zone; unsigned int order; unsigned long pfn; } b[MAX_BLOCKS];
};

static void snap_freelists(struct freelists *fl)
{
	fl->n = 0;
	for (int t = 0; t < MAX_NR_ZONES; t++)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			struct list_head *pos;

			list_for_each(pos, &zones[t].free_area[o].free_list) {
				struct page *p = list_entry(pos, struct page, buddy_list);

				if (fl->n == MAX_BLOCKS)
					return;
				fl->b[fl->n].zone = t;
				fl->b[fl->n].order = o;
				fl->b[fl->n].pfn = page_to_pfn(p);
				fl->n++;
			}
		}
}

static bool same_freelists(const struct freelists *a, const struct freelists *b)
{
	return a->n == b->n && !memcmp(a->b, b->b, a->n * sizeof(a->b[0]));
}

static struct freelists fl_init, fl_now;

static char *buddyinfo_text(void)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	kalloc_buddyinfo(f);
	fclose(f);
	return buf;
}

KTEST(initial_free_lists_are_largest_aligned_blocks)
{
	ktest_init_default();	/* 16 MiB, DMA = first 1 MiB */
	CHECK_EQ(totalram_pages(), 4096);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(zone_managed_pages(ZONE_DMA), 256);
	CHECK_EQ(zone_managed_pages(ZONE_DMA32), 0);
	CHECK_EQ(zone_managed_pages(ZONE_NORMAL), 3840);
	CHECK(zone_present(ZONE_DMA));
	CHECK(!zone_present(ZONE_DMA32));
	CHECK(zone_present(ZONE_NORMAL));
	CHECK(!zone_present((enum zone_type)7));
	CHECK_EQ(zone_managed_pages((enum zone_type)7), 0);
	CHECK_EQ(zone_free_pages((enum zone_type)7), 0);

	snap_freelists(&fl_now);
	/* DMA [0,256): one order-8 block; Normal [256,4096): 8, 9, 10, 10, 10 */
	CHECK_EQ(fl_now.n, 6);
	CHECK(fl_now.b[0].zone == ZONE_DMA && fl_now.b[0].order == 8 && fl_now.b[0].pfn == 0);
	CHECK(fl_now.b[1].zone == ZONE_NORMAL && fl_now.b[1].order == 8 && fl_now.b[1].pfn == 256);
	CHECK(fl_now.b[2].order == 9 && fl_now.b[2].pfn == 512);
	CHECK(fl_now.b[3].order == 10 && fl_now.b[3].pfn == 1024);
	CHECK(fl_now.b[4].order == 10 && fl_now.b[4].pfn == 2048);
	CHECK(fl_now.b[5].order == 10 && fl_now.b[5].pfn == 3072);
	CHECK(PageBuddy(pfn_to_page(0)));
	CHECK(!PageBuddy(pfn_to_page(1)));
	CHECK_EQ(zone_nr_free(ZONE_DMA, 8), 1);
	CHECK_EQ(zone_nr_free(ZONE_NORMAL, 10), 3);
	CHECK_EQ(zone_nr_free(ZONE_NORMAL, 9), 1);
	CHECK_EQ(zone_nr_free(ZONE_NORMAL, 0), 0);
	CHECK_EQ(zone_nr_free(ZONE_NORMAL, 11), 0);
	CHECK_EQ(zone_nr_free((enum zone_type)5, 0), 0);
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(zone_nr_free(ZONE_NORMAL, 8), 0);
	for (unsigned int o = 0; o < 8; o++)
		CHECK_EQ(zone_nr_free(ZONE_NORMAL, o), 1);
	__free_page(p);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(buddyinfo_format)
{
	ktest_init_default();
	CHECK_STR(buddyinfo_text(),
		  "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      0      0 \n"
		  "Node 0, zone   Normal      0      0      0      0      0      0      0      0      1      1      3 \n");
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_STR(buddyinfo_text(),
		  "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      0      0 \n"
		  "Node 0, zone   Normal      1      1      1      1      1      1      1      1      0      1      3 \n");
	__free_page(p);
}

KTEST(split_takes_lowest_half_and_merge_restores)
{
	ktest_init_default();
	snap_freelists(&fl_init);

	struct page *a = alloc_page(GFP_KERNEL);
	struct page *b = alloc_page(GFP_KERNEL);
	CHECK(a && b);
	/* smallest block that fits is Normal's order-8 at 256; expand keeps
	 * the lower half, so consecutive pages come out in order */
	CHECK_EQ(page_to_pfn(a), 256);
	CHECK_EQ(page_to_pfn(b), 257);
	CHECK_EQ(page_zonenum(a), ZONE_NORMAL);
	CHECK_EQ(nr_free_pages(), 4094);
	CHECK_EQ(zone_free_pages(ZONE_NORMAL), 3838);
	CHECK_EQ(kalloc_validate(), 0);

	__free_page(a);
	CHECK_EQ(nr_free_pages(), 4095);
	CHECK(PageBuddy(a));	/* alone: its buddy 257 is still out */
	__free_page(b);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK(PageBuddy(a));	/* merged all the way back to order 8 */
	CHECK_EQ(a->order, 8);
	CHECK(!PageBuddy(b));
	snap_freelists(&fl_now);
	CHECK(same_freelists(&fl_init, &fl_now));
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(every_order_is_aligned_and_counted)
{
	ktest_init_default();
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long before = nr_free_pages();
		struct page *p = alloc_pages(GFP_KERNEL, o);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ(page_to_pfn(p) % (1UL << o), 0);
		CHECK_EQ(page_count(p), 1);
		CHECK(!PageCompound(p));
		CHECK_EQ(nr_free_pages(), before - (1UL << o));
		CHECK_EQ(kalloc_validate(), 0);
		__free_pages(p, o);
		CHECK_EQ(nr_free_pages(), before);
	}
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(order_above_max_warns_once_and_fails)
{
	ktest_init_default();
	CHECK(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	CHECK_CONTAINS(ktest_log, "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_pages: order 11 > MAX_PAGE_ORDER 10");
	ktest_capture_clear();
	CHECK(alloc_pages(GFP_KERNEL, 20) == NULL);
	CHECK_STR(ktest_log, "");	/* WARN_ON_ONCE */
	kalloc_reset();			/* a new boot warns again */
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 11) == NULL);
	CHECK_STR(ktest_log, "");
	CHECK(alloc_pages(GFP_KERNEL, 11) == NULL);
	CHECK_CONTAINS(ktest_log, "order 11 > MAX_PAGE_ORDER");
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(compound_pages)
{
	ktest_init_default();
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	CHECK(head != NULL);
	CHECK(PageHead(head));
	CHECK(!PageTail(head));
	CHECK(PageCompound(head));
	CHECK_EQ(compound_order(head), 3);
	CHECK(compound_head(head) == head);
	for (int i = 1; i < 8; i++) {
		CHECK(PageTail(head + i));
		CHECK(!PageHead(head + i));
		CHECK(PageCompound(head + i));
		CHECK(compound_head(head + i) == head);
		CHECK_EQ(compound_order(head + i), 0);
		CHECK_EQ(page_count(head + i), 1);	/* the folio's count */
	}
	CHECK_EQ(kalloc_validate(), 0);
	__free_pages(head, 3);
	for (int i = 0; i < 8; i++)
		CHECK(!PageCompound(head + i));
	CHECK_EQ(nr_free_pages(), 4096);

	/* order 0 with __GFP_COMP is a plain page, as in the kernel */
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_COMP, 0);
	CHECK(!PageHead(p) && !PageCompound(p));
	__free_page(p);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(get_page_put_page)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_count(p), 1);
	get_page(p);
	CHECK_EQ(page_count(p), 2);
	put_page(p);
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), 4095);
	put_page(p);	/* the last reference frees */
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK(page_is_free(p));

	/* compound: references live on the head; tails forward to it */
	struct page *h = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	get_page(h + 3);
	CHECK_EQ(page_count(h), 2);
	CHECK_EQ(h[3]._refcount, 0);
	__free_pages(h, 2);	/* drops one: nothing freed */
	CHECK_EQ(nr_free_pages(), 4092);
	CHECK(PageHead(h));
	put_page(h + 1);	/* last reference, through a tail */
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(free_pages_with_extra_reference_frees_the_tail_part)
{
	ktest_init_default();
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	get_page(p);
	/* the kernel's __free_pages: others keep page 0, the rest goes now */
	__free_pages(p, 2);
	CHECK_EQ(nr_free_pages(), 4096 - 1);
	CHECK_EQ(page_count(p), 1);
	CHECK(!page_is_free(p));
	CHECK(page_is_free(p + 1) && page_is_free(p + 2) && page_is_free(p + 3));
	CHECK_EQ(kalloc_validate(), 0);
	put_page(p);	/* page 0 is now an order-0 page of its own */
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(address_api)
{
	ktest_init_default();
	unsigned long a = __get_free_pages(GFP_KERNEL, 2);
	CHECK(a != 0);
	CHECK(virt_addr_valid((void *)a));
	CHECK_EQ(a % (4 * PAGE_SIZE), (unsigned long)page_address(pfn_to_page(0)) % (4 * PAGE_SIZE));
	CHECK_EQ(page_count(virt_to_page((void *)a)), 1);
	memset((void *)a, 0x5a, 4 * PAGE_SIZE);
	free_pages(a, 2);
	CHECK_EQ(nr_free_pages(), 4096);

	unsigned long b = __get_free_page(GFP_KERNEL);
	CHECK(b != 0);
	free_page(b);
	free_pages(0, 3);	/* as the kernel: 0 is ignored */

	/* __get_free_pages cannot return highmem: the flag is dropped */
	unsigned long c = __get_free_pages(GFP_HIGHUSER, 0);
	CHECK(c != 0);
	free_page(c);

	unsigned long z = get_zeroed_page(GFP_KERNEL);
	CHECK(z != 0);
	CHECK(kasan_memchr_inv_nocheck((void *)z, 0, PAGE_SIZE) == NULL);
	memset((void *)z, 0xff, PAGE_SIZE);
	free_page(z);
	z = get_zeroed_page(GFP_KERNEL);
	CHECK(kasan_memchr_inv_nocheck((void *)z, 0, PAGE_SIZE) == NULL);
	free_page(z);

	struct page *p = alloc_page(GFP_KERNEL);
	CHECK(p);
	__free_page(p);
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(get_order_as_kernel)
{
	CHECK_EQ(get_order(1), 0);
	CHECK_EQ(get_order(PAGE_SIZE - 1), 0);
	CHECK_EQ(get_order(PAGE_SIZE), 0);
	CHECK_EQ(get_order(PAGE_SIZE + 1), 1);
	CHECK_EQ(get_order(2 * PAGE_SIZE), 1);
	CHECK_EQ(get_order(2 * PAGE_SIZE + 1), 2);
	CHECK_EQ(get_order(1UL << 22), 10);
	CHECK_EQ(get_order((1UL << 22) + 1), 11);
	/* size 0: BITS_PER_LONG - PAGE_SHIFT, as the kernel computes it */
	CHECK_EQ(get_order(0), 64 - PAGE_SHIFT);
}

KTEST(page_state_predicates)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK(!PageBuddy(p));
	CHECK(!PageSlab(p));
	CHECK(!page_is_free(p));
	CHECK(page_is_free(p + 1));	/* inside a free block, not its head */
	CHECK(PageBuddy(p + 1));
	CHECK(page_is_free(p + 4));
	CHECK(!PageBuddy(p + 5));
	CHECK(page_is_free(p + 5));
	CHECK(!page_is_free((struct page *)&p));
	page_set(p, PG_slab);
	CHECK(PageSlab(p));
	page_clear(p, PG_slab);
	__free_page(p);
	CHECK(page_is_free(p));
}

KTEST(watermarks_as_the_kernel_sets_them)
{
	struct zone_watermarks w;

	ktest_init_default();
	/* min_free_kbytes = sqrt(16384 * 16) = 512 kB = 128 pages, shared
	 * 256 : 3840; low/high add max(min/4, managed/1000) */
	CHECK_EQ(zone_get_watermarks(ZONE_DMA, &w), 0);
	CHECK_EQ(w.min, 8);
	CHECK_EQ(w.low, 10);
	CHECK_EQ(w.high, 12);
	CHECK_EQ(w.lowmem_reserve[ZONE_DMA], 0);
	CHECK_EQ(w.lowmem_reserve[ZONE_DMA32], 0);
	CHECK_EQ(w.lowmem_reserve[ZONE_NORMAL], 3840 / 256);
	CHECK_EQ(zone_get_watermarks(ZONE_NORMAL, &w), 0);
	CHECK_EQ(w.min, 120);
	CHECK_EQ(w.low, 150);
	CHECK_EQ(w.high, 180);
	CHECK_EQ(w.lowmem_reserve[ZONE_NORMAL], 0);
	CHECK_EQ(zone_get_watermarks(ZONE_DMA32, &w), -ENOENT);
	CHECK_EQ(zone_get_watermarks((enum zone_type)3, &w), -EINVAL);
	CHECK_EQ(zone_get_watermarks(ZONE_DMA, NULL), -EINVAL);
	kalloc_fini();

	/* 1 GiB with DMA32 at 512 MiB: min_free_kbytes = sqrt(1 Mi * 16) = 4096
	 * kB = 1024 pages; watermark_scale_factor wins for low/high */
	struct kalloc_config cfg = kalloc_config_defaults();
	cfg.mem_bytes = 1UL << 30;
	cfg.dma_bytes = 16UL << 20;
	cfg.dma32_bytes = 512UL << 20;
	ktest_init(cfg);
	CHECK_EQ(zone_managed_pages(ZONE_DMA), 4096);
	CHECK_EQ(zone_managed_pages(ZONE_DMA32), 126976);
	CHECK_EQ(zone_managed_pages(ZONE_NORMAL), 131072);
	CHECK_EQ(zone_get_watermarks(ZONE_DMA32, &w), 0);
	/* 1024 * 126976 / 262144 = 496; max(496 / 4, 126976 * 10 / 10000) = 126 */
	CHECK_EQ(w.min, 496);
	CHECK_EQ(w.low, 622);
	CHECK_EQ(w.high, 748);
	CHECK_EQ(w.lowmem_reserve[ZONE_NORMAL], 131072 / 256);
	CHECK_EQ(zone_get_watermarks(ZONE_DMA, &w), 0);
	CHECK_EQ(w.lowmem_reserve[ZONE_DMA32], 126976 / 256);
	CHECK_EQ(w.lowmem_reserve[ZONE_NORMAL], (126976 + 131072) / 256);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(reset_restores_free_lists_exactly)
{
	ktest_init_default();
	snap_freelists(&fl_init);
	struct page *keep[64];
	int n = 0;

	for (unsigned int o = 0; o < 6; o++)
		for (int i = 0; i < 5; i++)
			keep[n++] = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_COMP : 0), o);
	for (int i = 0; i < n; i += 3)
		__free_pages(keep[i], keep[i]->order);
	get_page(keep[1]);
	CHECK(nr_free_pages() < 4096);
	kalloc_reset();
	snap_freelists(&fl_now);
	CHECK(same_freelists(&fl_init, &fl_now));
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(arena.nr_dirty, 0);
	CHECK(!memcmp(arena.mem_map, arena.mem_map_init,
		      arena.nr_pages * sizeof(struct page)));
	/* and the allocator works as after init */
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_to_pfn(p), 256);
	__free_page(p);
}

/* ---------------- validate catches deliberate corruption ---------------- */

static int validate_count(const char *needle)
{
	ktest_capture_clear();
	int n = kalloc_validate();
	CHECK_EQ(ktest_nr_reports, n);
	for (int i = 0; i < ktest_nr_reports; i++)
		CHECK_EQ(ktest_reports[i].bug, KALLOC_BUG_INTERNAL);
	if (needle) {
		bool found = false;

		for (int i = 0; i < ktest_nr_reports; i++)
			if (strstr(ktest_reports[i].text, needle))
				found = true;
		if (!found)
			ktest_fail(__FILE__, __LINE__, "no report contains \"%s\"", needle);
	}
	return n;
}

KTEST(validate_catches_missing_pagebuddy)
{
	ktest_init_default();
	page_clear(pfn_to_page(512), PG_buddy);
	CHECK_EQ(validate_count("pfn 0x200 is not PageBuddy"), 1);
	CHECK_STR(ktest_reports[0].title,
		  "invariant: buddy: zone Normal free_area[N]: pfn N is not PageBuddy");
	page_set(pfn_to_page(512), PG_buddy);
	CHECK_EQ(validate_count(NULL), 0);
}

KTEST(validate_catches_wrong_order_and_misalignment)
{
	ktest_init_default();
	pfn_to_page(1024)->order = 9;
	CHECK_EQ(validate_count("pfn 0x400 has order 9"), 1);
	pfn_to_page(1024)->order = 10;

	/* a block moved to a misaligned head, accounting kept */
	struct page *p = pfn_to_page(256);
	/* planted as an allocator path would change them: dirty first (the
	 * validators look at the struct pages changed since reset) */
	page_mark_dirty(p);
	page_mark_dirty(pfn_to_page(256 + 64));
	list_del(&p->buddy_list);
	page_clear(p, PG_buddy);
	struct page *q = pfn_to_page(256 + 64);
	page_set(q, PG_buddy);
	q->order = 8;
	list_add(&q->buddy_list, &zones[ZONE_NORMAL].free_area[8].free_list);
	CHECK(validate_count("pfn 0x140 is not aligned to its order") >= 2);
	CHECK(validate_count("overlaps another free block") >= 2);
}

KTEST(validate_catches_nr_free_and_counter_mismatch)
{
	ktest_init_default();
	zones[ZONE_NORMAL].free_area[10].nr_free++;
	CHECK_EQ(validate_count("free_area[10]: nr_free is 4 but the list holds 3"), 1);
	zones[ZONE_NORMAL].free_area[10].nr_free--;
	zones[ZONE_DMA].free_pages--;
	CHECK_EQ(validate_count("NR_FREE_PAGES is 255 but the free lists hold 256"), 2);
	zones[ZONE_DMA].free_pages++;
	zones[ZONE_DMA].alloc_pages++;
	CHECK_EQ(validate_count("free 256 + allocated 1 != managed 256"), 2);
	zones[ZONE_DMA].alloc_pages--;
	CHECK_EQ(validate_count(NULL), 0);
}

KTEST(validate_catches_unmerged_buddies)
{
	ktest_init_default();
	/* split DMA's order-8 block into two free order-7 halves by hand */
	struct zone *z = &zones[ZONE_DMA];
	struct page *lo = pfn_to_page(0), *hi = pfn_to_page(128);
	list_del(&lo->buddy_list);
	z->free_area[8].nr_free--;
	lo->order = 7;
	list_add(&lo->buddy_list, &z->free_area[7].free_list);
	page_set(hi, PG_buddy);
	hi->order = 7;
	list_add(&hi->buddy_list, &z->free_area[7].free_list);
	z->free_area[7].nr_free += 2;
	CHECK_EQ(validate_count("free buddies at pfn 0x0 and 0x80 of order 7 are not merged"), 1);
}

KTEST(validate_catches_stray_buddy_and_bad_links)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	page_set(p, PG_buddy);
	CHECK_EQ(validate_count("1 PageBuddy pages are on no free list (first pfn 0x100)"), 1);
	page_clear(p, PG_buddy);

	/* a list link into the middle of a struct page */
	struct page *h = pfn_to_page(2048);
	struct list_head *saved = h->buddy_list.next;
	h->buddy_list.next = (struct list_head *)((char *)pfn_to_page(5) + 1);
	CHECK(validate_count("is not a page") >= 1);
	h->buddy_list.next = saved;

	/* a broken back link */
	struct list_head *saved_prev = h->buddy_list.prev;
	h->buddy_list.prev = &pfn_to_page(3)->buddy_list;
	CHECK_EQ(validate_count("broken back link at pfn 0x800"), 1);
	h->buddy_list.prev = saved_prev;

	/* a free page with a refcount */
	page_mark_dirty(pfn_to_page(3000));
	pfn_to_page(3000)->_refcount = 1;
	CHECK_EQ(validate_count("1 free pages have a refcount, mapcount or flags (first pfn 0xbb8)"), 1);
	pfn_to_page(3000)->_refcount = 0;
	CHECK_EQ(validate_count(NULL), 0);
	__free_page(p);
}

KTEST(validate_catches_lost_page)
{
	ktest_init_default();
	/* a free block unlinked with its accounting: a page lost from the lists */
	struct page *p = pfn_to_page(2048);
	struct zone *z = &zones[ZONE_NORMAL];
	list_del(&p->buddy_list);
	page_clear(p, PG_buddy);
	z->free_area[10].nr_free--;
	z->free_pages -= 1024;
	/* free + allocated != managed, and 1024 pages outside free blocks
	 * that nobody allocated */
	CHECK_EQ(validate_count("1024 pages are outside free blocks but 0 are accounted allocated"), 2);
}
