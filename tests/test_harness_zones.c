/*
 * The model's zones (harness/zones.c): watermarks, lowmem_reserve and
 * min_free_kbytes equal the kernel's formulas worked by hand on several
 * arena layouts, and what the allocator computes; "must succeed" never
 * claims a request can be served when the arena cannot serve it, counts
 * the shrinker's pool for masks that may reclaim and only for those;
 * "must fail" is exact for masks that cannot reclaim and a true bound for
 * masks that may.
 */
#include "ktest.h"

#include <string.h>

#include "model.h"

/* ------------------------------------------------------------------ */
/* Could the arena have served it?                                     */
/* ------------------------------------------------------------------ */

/* A machine with the model's view of it: zones, ranges, empty pool. */
static void model_machine(struct kalloc_config cfg)
{
	ktest_init(cfg);
	sf_model_reset();
	sf_model_view_machine(kalloc_get_config());
}

KTEST(must_succeed_follows_free_memory)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct page *pages[8192];
	unsigned long n = 0;

	cfg.mem_bytes = 8u << 20;
	model_machine(cfg);
	CHECK(sf_must_succeed(GFP_KERNEL, 0, 1));
	CHECK(sf_must_succeed(GFP_KERNEL, 9, 1));
	CHECK(sf_must_succeed(GFP_KERNEL | GFP_DMA, 0, 1));
	CHECK(!sf_must_succeed(GFP_KERNEL, MAX_PAGE_ORDER + 1, 1));
	CHECK(!sf_must_succeed(GFP_KERNEL, 0, 1ul << 20));
	/* invalid zone modifiers can never be served */
	CHECK(!sf_must_succeed(GFP_KERNEL | GFP_DMA | GFP_DMA32, 0, 1));
	while (n < 8192 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	CHECK(n > 1000);
	CHECK(!sf_must_succeed(GFP_KERNEL, 0, 1));
	CHECK(!sf_must_succeed(GFP_ATOMIC, 0, 1));
	while (n)
		__free_pages(pages[--n], 0);
	CHECK(sf_must_succeed(GFP_ATOMIC, 0, 1));
}

/* ------------------------------------------------------------------ */
/* The model's watermarks: the kernel's formulas                       */
/* ------------------------------------------------------------------ */

struct wm_case {
	size_t mem, dma, dma32;
	unsigned long min_free_kbytes;
	/* per zone: managed, min, low, high */
	unsigned long z[MAX_NR_ZONES][4];
	/* lowmem_reserve[DMA][DMA32], [DMA][NORMAL], [DMA32][NORMAL] */
	unsigned long reserve[3];
};

/*
 * Worked by hand from mm/page_alloc.c: min_free_kbytes =
 * clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144); zone min =
 * pages_min * managed / lowmem_pages; low = min + max(min / 4,
 * managed * 10 / 10000), high = low + the same; lowmem_reserve[i][j] =
 * (managed pages of zones i+1..j) / ratio[i], ratio 256 for DMA and DMA32.
 */
static const struct wm_case wm_cases[] = {
	/* 4 MiB: sqrt(4096 * 16) = 256 kB, 64 pages */
	{ 4u << 20, 1u << 20, 0, 256,
	  { { 256, 16, 20, 24 }, { 0, 0, 0, 0 }, { 768, 48, 60, 72 } }, { 0, 3, 0 } },
	/* 16 MiB: sqrt(16384 * 16) = 512 kB, 128 pages */
	{ 16u << 20, 1u << 20, 0, 512,
	  { { 256, 8, 10, 12 }, { 0, 0, 0, 0 }, { 3840, 120, 150, 180 } }, { 0, 15, 0 } },
	/* 32 MiB, DMA32 up to 16 MiB: sqrt(32768 * 16) = 724 kB, 181 pages */
	{ 32u << 20, 1u << 20, 16u << 20, 724,
	  { { 256, 5, 6, 7 }, { 3840, 84, 105, 126 }, { 4096, 90, 112, 134 } },
	  { 15, 31, 16 } },
	/* 1 MiB, no DMA: sqrt(1024 * 16) = 128 kB exactly */
	{ 1u << 20, 0, 0, 128,
	  { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 256, 32, 40, 48 } }, { 0, 0, 0 } },
	/* 512 KiB (model only: below kalloc's 1 MiB), no DMA:
	 * sqrt(512 * 16) = 90, raised to 128 kB */
	{ 512u << 10, 0, 0, 128,
	  { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 128, 32, 40, 48 } }, { 0, 0, 0 } },
	/* 8 TiB: sqrt(2^33 * 16) = 370727, capped at 262144 kB (65536 pages);
	 * the scale factor (managed * 10 / 10000) outgrows min / 4 */
	{ (size_t)8 << 40, 1u << 20, 0, 262144,
	  { { 256, 0, 0, 0 }, { 0, 0, 0, 0 },
	    { 2147483392ul, 65535, 65535 + 2147483, 65535 + 2 * 2147483ul } },
	  { 0, 8388607, 0 } },
};

KTEST(watermarks_follow_the_kernels_formulas)
{
	for (size_t i = 0; i < sizeof(wm_cases) / sizeof(wm_cases[0]); i++) {
		const struct wm_case *c = &wm_cases[i];
		struct kalloc_config cfg = kalloc_config_defaults();
		struct sf_zones zs;

		cfg.mem_bytes = c->mem;
		cfg.dma_bytes = c->dma;
		cfg.dma32_bytes = c->dma32;
		sf_zones_compute(&cfg, &zs);
		CHECK_EQ(zs.min_free_kbytes, c->min_free_kbytes);
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			CHECK_EQ(zs.z[t].managed, c->z[t][0]);
			CHECK_EQ(zs.z[t].wmark[SF_WMARK_MIN], c->z[t][1]);
			CHECK_EQ(zs.z[t].wmark[SF_WMARK_LOW], c->z[t][2]);
			CHECK_EQ(zs.z[t].wmark[SF_WMARK_HIGH], c->z[t][3]);
		}
		CHECK_EQ(zs.z[ZONE_DMA].lowmem_reserve[ZONE_DMA32], c->reserve[0]);
		CHECK_EQ(zs.z[ZONE_DMA].lowmem_reserve[ZONE_NORMAL], c->reserve[1]);
		CHECK_EQ(zs.z[ZONE_DMA32].lowmem_reserve[ZONE_NORMAL], c->reserve[2]);
		for (int t = 0; t < MAX_NR_ZONES; t++)
			CHECK_EQ(zs.z[t].lowmem_reserve[t], 0);
	}
}

/* The allocator claims the same formulas: on every layout it can build,
 * its zones agree with the model's. */
KTEST(allocator_watermarks_agree_with_the_model)
{
	for (size_t i = 0; i < 4; i++) {
		const struct wm_case *c = &wm_cases[i];
		struct kalloc_config cfg = kalloc_config_defaults();

		cfg.mem_bytes = c->mem;
		cfg.dma_bytes = c->dma;
		cfg.dma32_bytes = c->dma32;
		model_machine(cfg);
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone_watermarks wm;

			CHECK_EQ(zone_managed_pages((enum zone_type)t), sf.zones.z[t].managed);
			if (zone_get_watermarks((enum zone_type)t, &wm))
				continue;
			CHECK_EQ(wm.min, sf.zones.z[t].wmark[SF_WMARK_MIN]);
			CHECK_EQ(wm.low, sf.zones.z[t].wmark[SF_WMARK_LOW]);
			CHECK_EQ(wm.high, sf.zones.z[t].wmark[SF_WMARK_HIGH]);
			for (int j = 0; j < MAX_NR_ZONES; j++)
				CHECK_EQ(wm.lowmem_reserve[j], sf.zones.z[t].lowmem_reserve[j]);
		}
		kalloc_fini();
	}
}

/*
 * For masks that cannot reclaim the model decides alloc_pages exactly:
 * it must fail where the model says so and succeed everywhere else.
 * GFP_NOWAIT runs dry first; GFP_ATOMIC (__GFP_HIGH, non-blocking) gets
 * further into the min reserve; __GFP_MEMALLOC ignores the watermarks.
 */
KTEST(must_fail_is_exact_without_reclaim)
{
	static const gfp_t masks[] = {
		GFP_NOWAIT, GFP_ATOMIC, GFP_NOWAIT | __GFP_HIGH | __GFP_NOMEMALLOC,
		GFP_ATOMIC | GFP_DMA, GFP_NOWAIT | __GFP_COMP,
	};
	static const unsigned int orders[] = { 0, 3, 0, 1, 5, 0, 0, 2 };
	const size_t layouts[][2] = { { 8u << 20, 0 }, { 32u << 20, 16u << 20 } };

	for (size_t l = 0; l < 2; l++) {
		struct kalloc_config cfg = kalloc_config_defaults();
		unsigned long served[5] = { 0 }, failed = 0;
		bool nowait_dry = false, atomic_after = false;

		cfg.mem_bytes = layouts[l][0];
		cfg.dma32_bytes = layouts[l][1];
		model_machine(cfg);
		for (unsigned int i = 0; i < 20000 && failed < 400; i++) {
			size_t m = (i / 7) % 5;
			gfp_t gfp = masks[m] | __GFP_NOWARN;
			unsigned int order = orders[i % 8];
			bool must_fail = sf_pages_must_fail(gfp, order);
			struct page *p;

			CHECK(sf_pages_decidable(gfp));
			p = alloc_pages(gfp, order);
			CHECK_EQ(must_fail, p == NULL);
			if (p)
				served[m]++;
			else
				failed++;
			if (m == 0 && !order && !p)
				nowait_dry = true;
			if (m == 1 && nowait_dry && p)
				atomic_after = true;
		}
		CHECK(failed >= 400);
		CHECK(served[0] && served[1] && served[3]);
		/* GFP_ATOMIC dips below where GFP_NOWAIT stops: its mark is
		 * min - min/2 - (min - min/2)/4 */
		CHECK(atomic_after);
		CHECK(sf_pages_must_fail(GFP_NOWAIT, 0));
		CHECK(sf_pages_must_fail(GFP_ATOMIC, 0));
		/* __GFP_MEMALLOC: any free page will do */
		CHECK_EQ(sf_pages_must_fail(GFP_NOWAIT | __GFP_MEMALLOC, 0), nr_free_pages() == 0);
		CHECK(!sf_pages_decidable(GFP_KERNEL));
		CHECK(!sf_pages_must_fail(GFP_KERNEL, 0));
		CHECK(sf_pages_must_fail(GFP_KERNEL | GFP_DMA | GFP_DMA32, 0));
		kalloc_fini();
	}
}

/*
 * For a mask that may reclaim, must-fail bounds what reclaim could do:
 * once the program's own page blocks pin every zone down to its min
 * watermark + lowmem_reserve, GFP_KERNEL must fail, while __GFP_HIGH
 * (half the min reserve) may still succeed.
 */
KTEST(must_fail_bounds_reclaim)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	static uint32_t ids[4096];
	unsigned int n = 0;
	struct page *pg;

	cfg.mem_bytes = 8u << 20;
	model_machine(cfg);
	CHECK(!sf_pages_must_fail(GFP_KERNEL, 0));
	while (n < 4096) {
		struct sf_newobj o;
		int id;

		bool must_fail = sf_pages_must_fail(GFP_KERNEL, 0);

		pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		CHECK(!(must_fail && pg));
		if (!pg)
			break;
		sf_newobj_init(&o, SF_K_PAGES, page_address(pg), PAGE_SIZE, "pages");
		o.page = pg;
		o.align = PAGE_SIZE;
		id = sf_obj_new(&o);
		CHECK(id >= 0);
		ids[n++] = (uint32_t)id;
	}
	CHECK(n > 1500 && n < 4096);
	CHECK(sf_pages_must_fail(GFP_KERNEL, 0));
	CHECK(sf_pages_must_fail(GFP_NOIO, 0));
	CHECK(!sf_pages_must_fail(GFP_KERNEL | __GFP_HIGH, 0));
	CHECK(!sf_pages_must_fail(GFP_KERNEL | __GFP_NOFAIL, 0));
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	while (n) {
		uint32_t id = ids[--n];
		struct page *p = sf.objs[id].page;

		sf_obj_forget(id);
		__free_pages(p, 0);
	}
	CHECK_EQ(sf.pinned_pages[ZONE_NORMAL] + sf.pinned_pages[ZONE_DMA], 0);
	CHECK(!sf_pages_must_fail(GFP_KERNEL, 0));
	kalloc_fini();
}

/*
 * What reclaim could give back counts: pool pages make a request that may
 * reclaim one that must succeed, and only such a request.
 */
KTEST(must_succeed_counts_the_pool)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	uint32_t ids[64];
	unsigned int n = 0;
	struct page *pg;

	cfg.mem_bytes = 8u << 20;
	model_machine(cfg);
	while (n < 64 && (pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 6))) {
		struct sf_newobj o;
		int id;

		sf_newobj_init(&o, SF_K_POOL, page_address(pg), PAGE_SIZE << 6, "pool-pages");
		o.page = pg;
		o.order = 6;
		o.align = PAGE_SIZE << 6;
		id = sf_obj_new(&o);
		CHECK(id >= 0);
		ids[n++] = (uint32_t)id;
	}
	CHECK(n > 20);
	CHECK_EQ(sf.pool_pages[ZONE_NORMAL] + sf.pool_pages[ZONE_DMA], 64ul * n);
	/* what is left free is below every margin... */
	CHECK(!sf_must_succeed(GFP_NOWAIT, 0, 1));
	CHECK(!sf_must_succeed(GFP_ATOMIC, 6, 1));
	/* ...but reclaim would give the pool back */
	CHECK(sf_must_succeed(GFP_KERNEL, 0, 1));
	CHECK(sf_must_succeed(GFP_NOIO, 6, 1));
	CHECK(sf_must_succeed(GFP_KERNEL, 6, 8));
	/* but no more than the pool and the free lists hold */
	CHECK(!sf_must_succeed(GFP_KERNEL, 6, n + 8));
	while (n) {
		uint32_t id = ids[--n];
		struct page *p = sf.objs[id].page;

		sf_obj_forget(id);
		__free_pages(p, 6);
	}
	CHECK_EQ(sf.pool_pages[ZONE_NORMAL] + sf.pool_pages[ZONE_DMA], 0);
	CHECK(sf_must_succeed(GFP_NOWAIT, 0, 1));
	kalloc_fini();
}

KTEST(slab_order_bound)
{
	CHECK_EQ(sf_slab_order_bound(8, 8), 3);
	CHECK(sf_slab_order_bound(8192, 8192) >= 3 && sf_slab_order_bound(8192, 8192) <= 4);
	CHECK(sf_slab_order_bound(65536, 8) >= 6);
	CHECK(sf_slab_order_bound(1 << 20, 8) >= 10);
}
