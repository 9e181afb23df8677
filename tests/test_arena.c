/*
 * Simulated physical memory: the conversions between pfn, struct page,
 * linear-map address and physical address; the ranges; the memfd behind
 * the linear map; dirty tracking and the reset it makes cheap.
 */
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

#define MiB (1UL << 20)

KTEST(conversions_round_trip)
{
	ktest_init_default();
	void *start, *end;

	kalloc_linear_range(&start, &end);
	CHECK((char *)end - (char *)start == 16 * MiB);
	CHECK_EQ(arena.nr_pages, 4096);
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++) {
		struct page *p = pfn_to_page(pfn);
		char *va = page_address(p);

		if (page_to_pfn(p) != pfn || va != (char *)start + pfn * PAGE_SIZE ||
		    virt_to_page(va) != p || virt_to_page(va + PAGE_SIZE - 1) != p ||
		    virt_to_pfn(va + 123) != pfn ||
		    virt_to_phys(va) != (phys_addr_t)pfn << PAGE_SHIFT ||
		    phys_to_virt((phys_addr_t)pfn << PAGE_SHIFT) != va ||
		    !virt_addr_valid(va) || !pfn_valid(pfn)) {
			ktest_fail(__FILE__, __LINE__, "conversion broken at pfn %lu", pfn);
			break;
		}
	}
	/* a fixed offset: the linear map */
	CHECK_EQ(virt_to_phys(start), 0);
	CHECK(phys_to_virt(0x1234) == (char *)start + 0x1234);
	CHECK_EQ(virt_to_phys((char *)start + 0x12345), 0x12345);
}

KTEST(conversions_reject_what_is_not_the_linear_map)
{
	int on_stack;
	void *start, *end, *vstart, *vend;

	ktest_init_default();
	kalloc_linear_range(&start, &end);
	kalloc_vmalloc_range(&vstart, &vend);
	CHECK(!pfn_valid(4096));
	CHECK(!pfn_valid(~0UL));
	CHECK(pfn_to_page(4096) == NULL);
	CHECK(!virt_addr_valid(end));
	CHECK(!virt_addr_valid((char *)start - 1));
	CHECK(!virt_addr_valid(&on_stack));
	CHECK(!virt_addr_valid(NULL));
	CHECK(!virt_addr_valid(vstart));	/* vmalloc is not the linear map */
	CHECK(virt_to_page(&on_stack) == NULL);
	CHECK(virt_to_page(end) == NULL);
	CHECK(virt_to_page(vstart) == NULL);
}

KTEST(ranges)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	void *start, *end, *vstart, *vend;

	cfg.mem_bytes = 8 * MiB;
	cfg.vmalloc_bytes = 32 * MiB;
	ktest_init(cfg);
	kalloc_linear_range(&start, &end);
	kalloc_vmalloc_range(&vstart, &vend);
	CHECK((char *)end - (char *)start == 8 * MiB);
	CHECK((char *)vend - (char *)vstart == 32 * MiB);
	CHECK(IS_ALIGNED((uintptr_t)start, PAGE_SIZE));
	CHECK(IS_ALIGNED((uintptr_t)vstart, PAGE_SIZE));
	CHECK((char *)vend <= (char *)start || (char *)end <= (char *)vstart);
	kalloc_linear_range(NULL, NULL);	/* both optional */
	kalloc_fini();
	kalloc_linear_range(&start, &end);
	CHECK(start == NULL && end == NULL);
	kalloc_vmalloc_range(&vstart, &vend);
	CHECK(vstart == NULL && vend == NULL);
}

#define PAGE_POISON_WORD	0xaaaaaaaaaaaaaaaaUL

/* A machine booted with page_poison=1 (off by default, as in the kernel). */
static void init_poisoned(void)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.page_poison = true;
	ktest_init(cfg);
}

KTEST(same_addresses_every_run)
{
	ktest_init_default();
	void *a, *b, *va, *vb;

	kalloc_linear_range(&a, NULL);
	kalloc_vmalloc_range(&va, NULL);
	kalloc_fini();
	ktest_init_default();
	kalloc_linear_range(&b, NULL);
	kalloc_vmalloc_range(&vb, NULL);
	CHECK(a == b);
	CHECK(va == vb);
	/* the fixed hints are free in plain and sanitizer builds alike */
	CHECK(a == (void *)0x520000000000UL);
	CHECK(va == (void *)0x700000000000UL);
}

KTEST(zones_of_pages)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.dma_bytes = 1 * MiB;
	cfg.dma32_bytes = 4 * MiB;
	ktest_init(cfg);
	CHECK_EQ(page_zonenum(pfn_to_page(0)), ZONE_DMA);
	CHECK_EQ(page_zonenum(pfn_to_page(255)), ZONE_DMA);
	CHECK_EQ(page_zonenum(pfn_to_page(256)), ZONE_DMA32);
	CHECK_EQ(page_zonenum(pfn_to_page(1023)), ZONE_DMA32);
	CHECK_EQ(page_zonenum(pfn_to_page(1024)), ZONE_NORMAL);
	CHECK_EQ(page_zonenum(pfn_to_page(4095)), ZONE_NORMAL);
	CHECK_EQ(zone_managed_pages(ZONE_DMA32), 768);
	CHECK_STR(zone_name((enum zone_type)9), "?");
}

/* The linear map is the memfd: physical page N is at file offset N pages. */
KTEST(linear_map_is_the_memfd)
{
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	char *va = page_address(p);
	char buf[8] = "";

	memcpy(va + 100, "physmem", 8);
	CHECK_EQ(pread(arena.memfd, buf, 8,
		       (off_t)(page_to_pfn(p) * PAGE_SIZE + 100)), 8);
	CHECK_STR(buf, "physmem");
	CHECK_EQ(pwrite(arena.memfd, "FRAME", 6, (off_t)(page_to_pfn(p) * PAGE_SIZE)), 6);
	CHECK_STR(va, "FRAME");
	__free_page(p);
}

KTEST(dirty_tracking_follows_use)
{
	ktest_init_default();
	CHECK_EQ(arena.nr_dirty, 0);
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	/* the block's 8 pages, plus the pages whose struct page changed in
	 * the split (the halves put back) and their list neighbours */
	CHECK(arena.nr_dirty >= 8);
	CHECK(arena.nr_dirty <= 8 + 2 * NR_PAGE_ORDERS);
	for (int i = 0; i < 8; i++)
		CHECK(arena.dirty[page_to_pfn(p) + i]);
	unsigned long before = arena.nr_dirty;
	__free_pages(p, 3);
	p = alloc_pages(GFP_KERNEL, 3);	/* the same pages again */
	CHECK(arena.nr_dirty <= before + 2 * NR_PAGE_ORDERS);
	__free_pages(p, 3);
	kalloc_reset();
	CHECK_EQ(arena.nr_dirty, 0);
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++)
		if (arena.dirty[pfn]) {
			ktest_fail(__FILE__, __LINE__, "pfn %lu still dirty", pfn);
			break;
		}
}

static unsigned long small_workload(void)
{
	struct page *p[12];

	for (int i = 0; i < 12; i++)
		p[i] = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_COMP : 0), (unsigned)i % 3);
	for (int i = 0; i < 12; i += 2)
		__free_pages(p[i], (unsigned)i % 3);
	return arena.nr_dirty;
}

/* Reset costs what was used, not what exists. */
KTEST(dirty_count_is_independent_of_arena_size)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = 4 * MiB;
	ktest_init(cfg);
	unsigned long small = small_workload();
	kalloc_fini();
	cfg.mem_bytes = 512 * MiB;
	ktest_init(cfg);
	unsigned long large = small_workload();
	/* 6 live blocks of at most 4 pages and their split/merge neighbours */
	CHECK(small > 0 && small < 64);
	CHECK_EQ(small, large);
	kalloc_reset();
	CHECK_EQ(arena.nr_dirty, 0);
	CHECK_EQ(nr_free_pages(), totalram_pages());
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(reset_restores_mem_map_and_fills_frames_at_hand_out)
{
	init_poisoned();
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	char *va = page_address(p);

	memset(va, 0xab, 4 * PAGE_SIZE);
	struct page *q = alloc_page(GFP_KERNEL);
	memset(page_address(q), 0xcd, PAGE_SIZE);
	__free_page(q);
	/* poisoned at the free */
	CHECK(kasan_memchr_inv_nocheck(page_address(q), PAGE_POISON, PAGE_SIZE) == NULL);
	kalloc_reset();
	CHECK(!memcmp(arena.mem_map, arena.mem_map_init,
		      arena.nr_pages * sizeof(struct page)));
	CHECK(!PageHead(p));
	CHECK(page_is_free(p));
	/* reset wrote no frame; the next hand-out fills them */
	CHECK_EQ(kasan_read_byte_nocheck(va), 0xab);	/* free: poisoned */
	CHECK(alloc_pages(GFP_KERNEL | __GFP_COMP, 2) == p);
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, 4 * PAGE_SIZE) == NULL);
	__free_pages(p, 2);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_ZERO, 2) == p);
	CHECK(kasan_memchr_inv_nocheck(va, 0, 4 * PAGE_SIZE) == NULL);
}

/* A write into a free frame is caught when the frame is handed out. */
KTEST(write_to_free_frame_is_reported_at_hand_out)
{
	init_poisoned();
	struct page *p = alloc_page(GFP_KERNEL);
	char *va = page_address(p);

	__free_page(p);
	kasan_write_word_nocheck(va + 64, 0x1234);
	ktest_capture_clear();
	CHECK(alloc_page(GFP_KERNEL) == p);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_POISON);
	CHECK_STR(ktest_reports[0].title, "pagealloc: memory corruption");
	CHECK_CONTAINS(ktest_reports[0].text, "pagealloc: memory corruption\n");
	CHECK_CONTAINS(ktest_reports[0].text, "page dumped because: pagealloc: corrupted page details");
	/* the caller still gets a filled frame */
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, PAGE_SIZE) == NULL);
	__free_page(p);
	/* one flipped bit has its own wording */
	kasan_write_word_nocheck(va, PAGE_POISON_WORD ^ 0x10);
	ktest_capture_clear();
	CHECK(alloc_page(GFP_KERNEL) == p);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_STR(ktest_reports[0].title, "pagealloc: single bit error");
	__free_page(p);
	/* init_on_free frees to zeros, and zeros are what is checked */
	struct kalloc_config cfg = kalloc_config_defaults();
	cfg.page_poison = true;
	cfg.init_on_free = true;
	cfg.continue_on_report = true;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	p = alloc_page(GFP_KERNEL);
	va = page_address(p);
	CHECK(kasan_memchr_inv_nocheck(va, 0, PAGE_SIZE) == NULL);
	__free_page(p);
	ktest_capture_clear();
	CHECK(alloc_page(GFP_KERNEL) == p);
	CHECK_EQ(ktest_nr_reports, 0);
	__free_page(p);
	kasan_memset_nocheck(va + 100, 1, 1);
	CHECK(alloc_page(GFP_KERNEL) == p);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_STR(ktest_reports[0].title, "pagealloc: single bit error");
}

/*
 * Without page_poison a free writes no frame: the next owner gets the last
 * one's bytes and nothing is checked, but a frame handed out for the first
 * time still holds PAGE_POISON, not the zeros of fresh memory.
 */
KTEST(without_page_poison_frames_keep_the_owners_bytes)
{
	/* memory no earlier machine handed out */
	kalloc_release_memory();
	ktest_init_default();
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	char *va = page_address(p);

	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, 2 * PAGE_SIZE) == NULL);
	memset(va, 0x5c, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	CHECK(kasan_memchr_inv_nocheck(va, 0x5c, 2 * PAGE_SIZE) == NULL);
	kasan_write_word_nocheck(va + 64, 0x1234);
	ktest_capture_clear();
	CHECK(alloc_pages(GFP_KERNEL, 1) == p);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ((unsigned char)va[PAGE_SIZE], 0x5c);
	__free_pages(p, 1);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_ZERO, 1) == p);
	CHECK(kasan_memchr_inv_nocheck(va, 0, 2 * PAGE_SIZE) == NULL);
	__free_pages(p, 1);
	/* switched on at a reset: the owner's bytes become PAGE_POISON */
	struct kalloc_config cfg = kalloc_config_defaults();
	cfg.page_poison = true;
	cfg.continue_on_report = true;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	CHECK(alloc_pages(GFP_KERNEL, 1) == p);
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, 2 * PAGE_SIZE) == NULL);
	__free_pages(p, 1);
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, 2 * PAGE_SIZE) == NULL);
}

/*
 * A frame still handed out when the machine is reset is free again as its
 * owner left it, as if freed: without page_poison the next owner gets
 * those bytes and nothing writes the frame; under page_poison it gets
 * PAGE_POISON; __GFP_ZERO always gets zeros.
 */
KTEST(frames_held_at_reset_keep_the_owners_bytes)
{
	ktest_init_default();
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	char *va = page_address(p);

	memset(va, 0x3c, 2 * PAGE_SIZE);
	kalloc_reset();
	CHECK(page_is_free(p));
	CHECK(alloc_pages(GFP_KERNEL, 1) == p);
	CHECK(kasan_memchr_inv_nocheck(va, 0x3c, 2 * PAGE_SIZE) == NULL);
	kalloc_reset();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_ZERO, 1) == p);
	CHECK(kasan_memchr_inv_nocheck(va, 0, 2 * PAGE_SIZE) == NULL);
	memset(va, 0x3c, 2 * PAGE_SIZE);

	struct kalloc_config cfg = kalloc_config_defaults();
	cfg.page_poison = true;
	cfg.continue_on_report = true;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	ktest_capture_clear();
	CHECK(alloc_pages(GFP_KERNEL, 1) == p);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, 2 * PAGE_SIZE) == NULL);
}

/* What kalloc_init() tells arena_snapshot(): a frame outside the buddy
 * allocator's free blocks is in use. */
static bool frame_in_use(const struct page *page)
{
	return !page_is_free(page);
}

/*
 * A frame some layer held when init finished is part of the post-init
 * state: reset gives it back with its contents, not zeroed.
 */
KTEST(frames_held_at_init_are_restored_with_contents)
{
	ktest_init_default();
	struct page *boot = alloc_page(GFP_KERNEL);
	strcpy(page_address(boot), "boot-time contents");
	/* as if init had ended here */
	arena_snapshot(frame_in_use);
	buddy_snapshot();
	reclaim_snapshot();
	unsigned long free_at_boot = nr_free_pages();

	strcpy(page_address(boot), "changed later");
	__free_page(boot);
	struct page *other = alloc_pages(GFP_KERNEL, 4);
	CHECK(other);
	kalloc_reset();
	CHECK_EQ(nr_free_pages(), free_at_boot);
	CHECK_EQ(page_count(boot), 1);
	CHECK(!page_is_free(boot));
	CHECK_STR(page_address(boot), "boot-time contents");
	CHECK_EQ(kalloc_validate(), 0);
	__free_page(boot);
	CHECK_EQ(nr_free_pages(), totalram_pages());
}

KTEST(fini_parks_the_shadow_poisoned_and_release_clears_it)
{
	init_poisoned();
	struct page *p = alloc_page(GFP_KERNEL);
	char *va = page_address(p);
	__free_page(p);	/* poisoned under ASan */
	char *held = page_address(alloc_page(GFP_KERNEL));
	kalloc_fini();
	/* parked: all poisoned, the frame held at fini too */
	CHECK(kasan_find_poisoned(held, 1) == (kasan_enabled() ? held : NULL));
	init_poisoned();
	/* the next arena at the same address (the parked memory) starts as
	 * init makes it: its free frames poisoned */
	CHECK(kasan_find_poisoned(va, PAGE_SIZE) == (kasan_enabled() ? va : NULL));
	/* and its frames' fills are forgotten: filled at hand-out, no report */
	ktest_capture_clear();
	CHECK(alloc_page(GFP_KERNEL) == p);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK(kasan_memchr_inv_nocheck(va, PAGE_POISON, PAGE_SIZE) == NULL);
	CHECK(kasan_find_poisoned(va, PAGE_SIZE) == NULL);
	__free_page(p);
	kalloc_fini();
	/* nothing stays poisoned once the memory is given back */
	kalloc_release_memory();
	CHECK(kasan_find_poisoned(va, PAGE_SIZE) == NULL);
	CHECK(kasan_find_poisoned(held, PAGE_SIZE) == NULL);
}
