/*
 * Every GFP rule: zone selection and fallback with lowmem_reserve,
 * __GFP_ZERO / init_on_alloc / init_on_free, the watermark each flag
 * combination may reach, direct reclaim through shrinkers with the retry
 * rules (__GFP_NORETRY, costly orders, __GFP_RETRY_MAYFAIL), __GFP_NOFAIL
 * (reserves, reclaim, and the out-of-memory abort), the failure warning
 * and __GFP_NOWARN, and the %pGg flag names.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

#define MiB (1UL << 20)

static struct page *held[1 << 16];
static int nheld;

/* Allocate until failure; returns how many succeeded. */
static int drain(gfp_t gfp, unsigned int order)
{
	int n = 0;
	struct page *p;

	while (nheld < (int)ARRAY_SIZE(held) && (p = alloc_pages(gfp, order))) {
		held[nheld++] = p;
		n++;
	}
	return n;
}

static void release_all(void)
{
	while (nheld) {
		struct page *p = held[--nheld];

		__free_pages(p, p->order);
	}
}

static struct kalloc_config cfg_mib(unsigned long mem, unsigned long dma,
				    unsigned long dma32)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = mem * MiB;
	cfg.dma_bytes = dma * MiB;
	cfg.dma32_bytes = dma32 * MiB;
	return cfg;
}

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* ---------------------------- zones ---------------------------- */

KTEST(zone_selection)
{
	ktest_init(cfg_mib(16, 1, 8));
	struct { gfp_t gfp; enum zone_type zone; } cases[] = {
		{ GFP_KERNEL, ZONE_NORMAL },
		{ GFP_KERNEL | GFP_DMA, ZONE_DMA },
		{ GFP_KERNEL | GFP_DMA32, ZONE_DMA32 },
		{ GFP_ATOMIC | GFP_DMA, ZONE_DMA },
		{ GFP_HIGHUSER, ZONE_NORMAL },		/* no highmem zone */
		{ GFP_HIGHUSER_MOVABLE, ZONE_NORMAL },	/* no movable zone */
		{ GFP_KERNEL | __GFP_MOVABLE | GFP_DMA32, ZONE_DMA32 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct page *p = alloc_pages(cases[i].gfp, 1);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ(page_zonenum(p), cases[i].zone);
		unsigned long pfn = page_to_pfn(p);
		if (cases[i].zone == ZONE_DMA)
			CHECK(pfn < 256);
		if (cases[i].zone == ZONE_DMA32)
			CHECK(pfn >= 256 && pfn < 2048);
		if (cases[i].zone == ZONE_NORMAL)
			CHECK(pfn >= 2048);
		__free_pages(p, 1);
	}
	CHECK_STR(zone_name(ZONE_DMA), "DMA");
	CHECK_STR(zone_name(ZONE_DMA32), "DMA32");
	CHECK_STR(zone_name(ZONE_NORMAL), "Normal");
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(absent_zones_behave_as_config_off)
{
	/* no DMA and no DMA32: both modifiers land in ZONE_NORMAL */
	ktest_init(cfg_mib(8, 0, 0));
	CHECK(!zone_present(ZONE_DMA) && !zone_present(ZONE_DMA32));
	struct page *p = alloc_page(GFP_DMA);
	CHECK(p && page_zonenum(p) == ZONE_NORMAL);
	struct page *q = alloc_page(GFP_KERNEL | GFP_DMA32);
	CHECK(q && page_zonenum(q) == ZONE_NORMAL);
	__free_page(p);
	__free_page(q);
	kalloc_fini();

	/* all memory below "4 GiB": ZONE_NORMAL is empty, GFP_KERNEL falls back */
	ktest_init(cfg_mib(8, 1, 8));
	CHECK(!zone_present(ZONE_NORMAL));
	p = alloc_page(GFP_KERNEL);
	CHECK(p && page_zonenum(p) == ZONE_DMA32);
	__free_page(p);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(invalid_zone_modifiers)
{
	ktest_init_default();
	CHECK(alloc_page(GFP_KERNEL | GFP_DMA | GFP_DMA32) == NULL);
	CHECK_CONTAINS(ktest_log, "invalid zone modifiers in mode:0xcc5(GFP_KERNEL|GFP_DMA|GFP_DMA32)");
	ktest_capture_clear();
	CHECK(alloc_page(GFP_DMA | __GFP_HIGHMEM) == NULL);
	CHECK_STR(ktest_log, "");	/* once */
	CHECK_EQ(nr_free_pages(), 4096);
}

KTEST(fallback_order_and_lowmem_reserve)
{
	struct zone_watermarks wd, wd32, wn;

	ktest_init(cfg_mib(16, 1, 8));
	zone_get_watermarks(ZONE_DMA, &wd);
	zone_get_watermarks(ZONE_DMA32, &wd32);
	zone_get_watermarks(ZONE_NORMAL, &wn);

	/* GFP_DMA32 never gets Normal memory */
	int n = drain(GFP_KERNEL | GFP_DMA32 | __GFP_NORETRY | __GFP_NOWARN, 0);
	CHECK(n > 0);
	for (int i = 0; i < nheld; i++)
		CHECK(page_zonenum(held[i]) != ZONE_NORMAL);
	CHECK_EQ(zone_free_pages(ZONE_NORMAL), 2048);
	CHECK_EQ(zone_free_pages(ZONE_DMA32), wd32.min);
	CHECK_EQ(zone_free_pages(ZONE_DMA), wd.min + wd.lowmem_reserve[ZONE_DMA32]);
	release_all();

	/* GFP_KERNEL: Normal first, then DMA32, then DMA, each lower zone
	 * keeping its lowmem_reserve against Normal requests */
	drain(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);
	CHECK_EQ(page_zonenum(held[0]), ZONE_NORMAL);
	CHECK_EQ(zone_free_pages(ZONE_NORMAL), wn.min);
	CHECK_EQ(zone_free_pages(ZONE_DMA32), wd32.min + wd32.lowmem_reserve[ZONE_NORMAL]);
	CHECK_EQ(zone_free_pages(ZONE_DMA), wd.min + wd.lowmem_reserve[ZONE_NORMAL]);
	CHECK(wd.lowmem_reserve[ZONE_NORMAL] > 0);

	/* a GFP_DMA request may use what was reserved against Normal */
	CHECK(drain(GFP_DMA | __GFP_NOWARN, 0) > 0);
	CHECK_EQ(zone_free_pages(ZONE_DMA), wd.min);
	release_all();
	CHECK_EQ(nr_free_pages(), 4096);
	CHECK_EQ(kalloc_validate(), 0);
}

/* ---------------------------- zeroing ---------------------------- */

KTEST(gfp_zero)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.page_poison = true;
	ktest_init(cfg);
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	memset(page_address(p), 0xa5, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	/* freed blocks come back LIFO: the same block, poisoned at the free
	 * (page_poison=1), never zero unless asked */
	struct page *q = alloc_pages(GFP_KERNEL, 1);
	CHECK(q == p);
	CHECK(kasan_memchr_inv_nocheck(page_address(q), PAGE_POISON,
				       2 * PAGE_SIZE) == NULL);
	__free_pages(q, 1);
	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	CHECK(q == p);
	CHECK(kasan_memchr_inv_nocheck(page_address(q), 0, 2 * PAGE_SIZE) == NULL);
	__free_pages(q, 1);
}

KTEST(init_on_alloc)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.init_on_alloc = true;
	ktest_init(cfg);
	struct page *p = alloc_page(GFP_KERNEL);
	memset(page_address(p), 0x77, PAGE_SIZE);
	__free_page(p);
	p = alloc_page(GFP_KERNEL);
	CHECK(kasan_memchr_inv_nocheck(page_address(p), 0, PAGE_SIZE) == NULL);
	__free_page(p);
}

KTEST(init_on_free)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.init_on_free = true;
	ktest_init(cfg);
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	memset(page_address(p), 0x77, 4 * PAGE_SIZE);
	__free_pages(p, 2);
	/* zero while free (read past the shadow: free pages are poisoned) */
	CHECK(kasan_memchr_inv_nocheck(page_address(p), 0, 4 * PAGE_SIZE) == NULL);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	CHECK(kasan_memchr_inv_nocheck(page_address(p), 0, 4 * PAGE_SIZE) == NULL);
	__free_pages(p, 2);
}

KTEST(free_pages_are_poisoned_under_kasan)
{
	if (!kasan_enabled()) {
		printf("skipped: not an ASan build\n");
		return;
	}
	ktest_init_default();
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK(kasan_find_poisoned(page_address(p), PAGE_SIZE) == NULL);
	__free_page(p);
	CHECK(kasan_find_poisoned(page_address(p), PAGE_SIZE) == page_address(p));
	p = alloc_page(GFP_KERNEL);
	CHECK(kasan_find_poisoned(page_address(p), PAGE_SIZE) == NULL);
	__free_page(p);
	kalloc_reset();	/* as after init: a free page is poisoned */
	CHECK(kasan_find_poisoned(page_address(p), PAGE_SIZE) == page_address(p));
	/* from init on, not only after a first use */
	p = pfn_to_page(arena.nr_pages - 1);
	CHECK(page_is_free(p));
	CHECK(kasan_find_poisoned(page_address(p), PAGE_SIZE) == page_address(p));
}

/* ---------------------------- watermarks ---------------------------- */

KTEST(watermark_depth_per_flags)
{
	struct zone_watermarks w;

	ktest_init(cfg_mib(16, 0, 0));	/* one zone: Normal, 4096 pages */
	zone_get_watermarks(ZONE_NORMAL, &w);
	CHECK_EQ(w.min, 128);
	long high_min = (long)w.min - (long)w.min / 2;		/* __GFP_HIGH */
	long atomic_min = high_min - high_min / 4;		/* + non-blocking */

	CHECK(drain(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0) > 0);
	CHECK_EQ(nr_free_pages(), w.min);
	/* GFP_NOWAIT may not block but gets no reserve either */
	CHECK_EQ(drain(GFP_NOWAIT, 0), 0);
	CHECK_EQ(drain(GFP_KERNEL | __GFP_NOWARN, 0), 0);
	/* __GFP_HIGH: half the min reserve */
	CHECK(drain(GFP_KERNEL | __GFP_HIGH | __GFP_NORETRY | __GFP_NOWARN, 0) > 0);
	CHECK_EQ(nr_free_pages(), high_min);
	/* __GFP_NOMEMALLOC takes away the non-blocking extra */
	CHECK_EQ(drain(GFP_ATOMIC | __GFP_NOMEMALLOC | __GFP_NOWARN, 0), 0);
	/* GFP_ATOMIC: a further quarter */
	CHECK(drain(GFP_ATOMIC | __GFP_NOWARN, 0) > 0);
	CHECK_EQ(nr_free_pages(), atomic_min);
	/* __GFP_MEMALLOC ignores watermarks, unless __GFP_NOMEMALLOC */
	CHECK_EQ(drain(GFP_ATOMIC | __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_NOWARN, 0), 0);
	CHECK_EQ(drain(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0), atomic_min);
	CHECK_EQ(nr_free_pages(), 0);
	release_all();
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(high_order_watermark)
{
	struct zone_watermarks w;

	ktest_init(cfg_mib(16, 0, 0));
	zone_get_watermarks(ZONE_NORMAL, &w);
	/* an order-3 block must leave more than min free besides itself:
	 * free - 7 > min */
	drain(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 3);
	CHECK(nr_free_pages() <= w.min + 7);
	CHECK(nr_free_pages() >= w.min);
	release_all();
}

/* ---------------------------- reclaim ---------------------------- */

struct pool_shrinker {
	struct shrinker s;
	struct page *pages[4096];
	int n;
	int per_pass;		/* objects counted per pass; 0 = all */
	bool no_progress;	/* count objects but free none */
	int passes, scans;
	unsigned long last_nr_to_scan[8];
	gfp_t last_gfp;
};

static unsigned long pool_count(struct shrinker *s, struct shrink_control *sc)
{
	struct pool_shrinker *ps = container_of(s, struct pool_shrinker, s);

	ps->passes++;
	ps->last_gfp = sc->gfp_mask;
	if (ps->no_progress)
		return 5;
	if (!ps->n)
		return SHRINK_EMPTY;
	return ps->per_pass && ps->per_pass < ps->n ? (unsigned long)ps->per_pass
						    : (unsigned long)ps->n;
}

static unsigned long pool_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct pool_shrinker *ps = container_of(s, struct pool_shrinker, s);
	unsigned long freed = 0;

	if (ps->scans < 8)
		ps->last_nr_to_scan[ps->scans] = sc->nr_to_scan;
	ps->scans++;
	if (ps->no_progress)
		return 0;
	while (freed < sc->nr_to_scan && ps->n) {
		__free_page(ps->pages[--ps->n]);
		freed++;
	}
	return freed;
}

static struct pool_shrinker pool;

/*
 * Everything allocated; the pool holds up to max_pool of the even pages,
 * which cannot merge with anything while their odd buddies are held.
 */
static void setup_scattered_pool(int per_pass, int max_pool)
{
	memset(&pool, 0, sizeof(pool));
	pool.s.count_objects = pool_count;
	pool.s.scan_objects = pool_scan;
	pool.per_pass = per_pass;
	drain(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0);
	CHECK_EQ(nr_free_pages(), 0);
	for (int i = 0; i < nheld && pool.n < max_pool; i++)
		if (page_to_pfn(held[i]) % 2 == 0) {
			pool.pages[pool.n++] = held[i];
			held[i] = held[--nheld];
			i--;
		}
	CHECK_EQ(register_shrinker(&pool.s, "test-pool"), 0);
}

static void teardown_pool(void)
{
	unregister_shrinker(&pool.s);
	while (pool.n)
		__free_page(pool.pages[--pool.n]);
	release_all();
	CHECK_EQ(nr_free_pages(), totalram_pages());
	CHECK_EQ(kalloc_validate(), 0);
}

/*
 * Reclaim passes one failing allocation runs, against a pool of pool_pages
 * scattered pages freed one per pass: progress that never helps.
 */
static int passes_for(gfp_t gfp, unsigned int order, int pool_pages,
		      bool no_progress)
{
	setup_scattered_pool(1, pool_pages);
	pool.no_progress = no_progress;
	struct page *p = alloc_pages(gfp | __GFP_NOWARN, order);
	CHECK(p == NULL);
	int passes = pool.passes;
	pool.no_progress = false;
	teardown_pool();
	return passes;
}

KTEST(reclaim_retry_rules)
{
	ktest_init(cfg_mib(4, 0, 0));
	CHECK_EQ(passes_for(GFP_NOWAIT, 0, 20, false), 0);	/* cannot reclaim */
	CHECK_EQ(passes_for(GFP_ATOMIC, 0, 20, false), 0);
	/* retried while each pass frees something, then three passes that
	 * free nothing */
	CHECK_EQ(passes_for(GFP_KERNEL, 3, 20, false), 20 + 3);
	CHECK_EQ(passes_for(GFP_KERNEL, 0, 20, true), 3);
	CHECK_EQ(passes_for(GFP_KERNEL | __GFP_NORETRY, 0, 20, false), 1);
	CHECK_EQ(passes_for(GFP_KERNEL | __GFP_NORETRY, 3, 20, false), 1);
	CHECK_EQ(passes_for(GFP_KERNEL, 4, 20, false), 1);	/* costly order */
	/* costly with RETRY_MAYFAIL: progress does not count */
	CHECK_EQ(passes_for(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 4, 20, false), 3);
	CHECK_EQ(passes_for(GFP_NOIO | __GFP_NORETRY, 0, 20, false), 1);
	CHECK_EQ(pool.last_gfp, GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(reclaim_makes_an_allocation_succeed)
{
	ktest_init(cfg_mib(4, 0, 0));
	setup_scattered_pool(0, 4096);	/* the whole pool at once: 512 pages */
	int pool_pages = pool.n;
	CHECK(alloc_page(GFP_NOWAIT) == NULL);
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(pool.passes, 1);
	CHECK_EQ(pool.n, 0);
	/* 512 objects in batches of 128 */
	CHECK_EQ(pool.scans, (pool_pages + 127) / 128);
	CHECK_EQ(pool.last_nr_to_scan[0], 128);
	CHECK_EQ(nr_free_pages(), (unsigned long)pool_pages - 1);
	__free_page(p);
	teardown_pool();
}

KTEST(kalloc_reclaim_batches_and_stop)
{
	ktest_init(cfg_mib(4, 0, 0));
	setup_scattered_pool(25, 4096);
	pool.s.batch = 10;
	unsigned long freed = kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(freed, 25);	/* pages back in the buddy allocator */
	CHECK_EQ(pool.scans, 3);
	CHECK_EQ(pool.last_nr_to_scan[0], 10);
	CHECK_EQ(pool.last_nr_to_scan[1], 10);
	CHECK_EQ(pool.last_nr_to_scan[2], 5);
	teardown_pool();
}

static unsigned long stop_count(struct shrinker *s, struct shrink_control *sc)
{
	return 1000;
}

static int stop_scans;
static unsigned long stop_scan(struct shrinker *s, struct shrink_control *sc)
{
	stop_scans++;
	return SHRINK_STOP;
}

static unsigned long empty_count(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_EMPTY;
}

KTEST(shrinker_registration)
{
	ktest_init_default();
	struct shrinker stop = { .count_objects = stop_count, .scan_objects = stop_scan };
	struct shrinker empty = { .count_objects = empty_count, .scan_objects = stop_scan };
	struct shrinker broken = { .count_objects = stop_count };

	CHECK_EQ(register_shrinker(NULL, "x"), -EINVAL);
	CHECK_EQ(register_shrinker(&broken, "broken"), -EINVAL);
	CHECK_EQ(register_shrinker(&stop, "stop"), 0);
	CHECK_STR(stop.name, "stop");
	CHECK_EQ(register_shrinker(&stop, "stop"), -EBUSY);
	CHECK_EQ(register_shrinker(&empty, "empty"), 0);

	stop_scans = 0;
	CHECK_EQ(kalloc_reclaim(GFP_KERNEL), 0);
	CHECK_EQ(stop_scans, 1);	/* SHRINK_STOP ends the shrinker; EMPTY is not scanned */

	unregister_shrinker(&stop);
	stop_scans = 0;
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(stop_scans, 0);
	unregister_shrinker(&stop);	/* not registered: nothing happens */

	/* reset forgets shrinkers registered since init */
	CHECK_EQ(register_shrinker(&stop, "stop"), 0);
	kalloc_reset();
	stop_scans = 0;
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(stop_scans, 0);
	CHECK_EQ(register_shrinker(&stop, "stop"), 0);
	unregister_shrinker(&stop);
}

/* ---------------------------- __GFP_NOFAIL ---------------------------- */

KTEST(nofail_uses_reserves_and_reclaim)
{
	struct zone_watermarks w;

	ktest_init(cfg_mib(4, 0, 0));
	zone_get_watermarks(ZONE_NORMAL, &w);
	drain(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);
	CHECK_EQ(nr_free_pages(), w.min);
	CHECK(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	struct page *p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);	/* part of the min reserve */
	__free_page(p);
	release_all();

	/* one page back per pass: NOFAIL reclaims until the part of the min
	 * reserve it may use is enough (free > min - min / 2) */
	setup_scattered_pool(1, 40);
	p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	CHECK_EQ(pool.passes, (int)(w.min - w.min / 2 + 1));
	CHECK_EQ(pool.n, 40 - (int)(w.min - w.min / 2 + 1));
	__free_page(p);
	teardown_pool();

	/* a costly order too, as long as reclaim gives pages back */
	setup_scattered_pool(0, 4096);
	for (int i = 0; i < 64 && nheld; i++)	/* an order-4 block among them */
		__free_page(held[--nheld]);
	p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 4);
	CHECK(p != NULL);
	__free_pages(p, 4);
	teardown_pool();
	CHECK_EQ(kalloc_report_count(), 0);
}

static void note_report(const struct kalloc_report *r, void *arg)
{
	fprintf(stderr, "handler: kind=%s title=%s\n", kalloc_bug_name(r->bug), r->title);
}

static void nofail_oom_child(void *arg)
{
	struct kalloc_config cfg = cfg_mib(4, 0, 0);

	(void)arg;
	cfg.continue_on_report = true;	/* NOFAIL aborts regardless */
	kalloc_init(&cfg);
	while (alloc_page(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN))
		;
	alloc_page(GFP_KERNEL | __GFP_NOFAIL);
}

static void nofail_oom_handler_child(void *arg)
{
	kalloc_set_report_handler(note_report, NULL);
	nofail_oom_child(arg);
}

KTEST(nofail_out_of_memory_aborts)
{
	static char out[16384];

	int status = ktest_run_child(nofail_oom_child, NULL, out, sizeof(out));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_CONTAINS(out, "swapper/0 invoked oom-killer: gfp_mask=0x8cc0(GFP_KERNEL|__GFP_NOFAIL), order=0, oom_score_adj=0\n");
	CHECK_CONTAINS(out, "Node 0 Normal free:0kB");
	CHECK_CONTAINS(out, "Out of memory and no killable processes...\n");
	CHECK(!strstr(out, "page allocation failure"));

	status = ktest_run_child(nofail_oom_handler_child, NULL, out, sizeof(out));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_CONTAINS(out, "handler: kind=oom title=page: Out of memory (__GFP_NOFAIL order:0)\n");
}

/* ---------------------------- warnings ---------------------------- */

KTEST(failure_warning_and_nowarn)
{
	ktest_init(cfg_mib(4, 0, 0));	/* 1024 pages: an order-10 block
					 * cannot leave min free */
	CHECK(alloc_pages(GFP_KERNEL, 10) == NULL);
	CHECK(!strncmp(ktest_log,
		       "swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)\n",
		       86));
	CHECK_CONTAINS(ktest_log, "CPU: 0 PID: 1 Comm: swapper/0\n");
	CHECK_CONTAINS(ktest_log, "Mem-Info:\n");
	CHECK_CONTAINS(ktest_log, "Node 0 Normal free:4096kB boost:0kB min:256kB low:320kB high:384kB reserved_highatomic:0KB present:4096kB managed:4096kB\n");
	CHECK_CONTAINS(ktest_log, "lowmem_reserve[]: 0 0 0\n");
	CHECK_CONTAINS(ktest_log, "Node 0 Normal: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 1*4096kB = 4096kB\n");

	ktest_capture_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10) == NULL);
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 10) == NULL);
	CHECK_STR(ktest_log, "");

	/* once per failure, with the current task's name */
	kalloc_set_task(77, "syz-executor.1");
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_ZERO, 10) == NULL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_COMP | __GFP_RETRY_MAYFAIL, 10) == NULL);
	CHECK_EQ(count_substr(ktest_log, "page allocation failure"), 2);
	CHECK_CONTAINS(ktest_log, "syz-executor.1: page allocation failure: order:10, mode:0x920(GFP_ATOMIC|__GFP_ZERO), nodemask=(null)\n");
	CHECK_CONTAINS(ktest_log, "syz-executor.1: page allocation failure: order:10, mode:0x44cc0(GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_COMP), nodemask=(null)\n");
	CHECK_EQ(kalloc_report_count(), 0);	/* a warning, not a finding */
}

/*
 * warn_alloc() is ratelimited as in the kernel, with the default burst of
 * 10 per interval; an interval is one run of the machine, so a reset gives
 * a fresh burst. vmalloc's failures share the page allocator's state.
 */
KTEST(failure_warning_ratelimited_per_machine_run)
{
	ktest_init(cfg_mib(4, 0, 0));
	for (int i = 0; i < 25; i++)
		CHECK(alloc_pages(GFP_KERNEL, 10) == NULL);
	CHECK_EQ(count_substr(ktest_log, "page allocation failure"), 10);
	CHECK_EQ(count_substr(ktest_log, "Mem-Info:"), 10);
	/* the burst is spent: vmalloc's failure warning is silent too */
	CHECK(vmalloc(8UL << 20) == NULL);
	CHECK(strstr(ktest_log, "vmalloc error") == NULL);

	kalloc_reset();
	ktest_capture_clear();
	CHECK(vmalloc(8UL << 20) == NULL);
	CHECK_EQ(count_substr(ktest_log, "vmalloc error: size 8388608, exceeds total pages"), 1);
	for (int i = 0; i < 12; i++)
		CHECK(alloc_pages(GFP_KERNEL, 10) == NULL);
	CHECK_EQ(count_substr(ktest_log, "page allocation failure"), 9);
}

KTEST(gfp_flag_names)
{
	static const struct { gfp_t gfp; const char *names; } cases[] = {
		{ GFP_KERNEL, "GFP_KERNEL" },
		{ GFP_ATOMIC, "GFP_ATOMIC" },
		{ GFP_NOWAIT, "GFP_NOWAIT" },
		{ GFP_NOIO, "GFP_NOIO" },
		{ GFP_NOFS, "GFP_NOFS" },
		{ GFP_USER, "GFP_USER" },
		{ GFP_HIGHUSER, "GFP_HIGHUSER" },
		{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
		{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
		{ GFP_DMA, "GFP_DMA" },
		{ GFP_DMA32, "GFP_DMA32" },
		{ GFP_KERNEL | __GFP_ZERO | __GFP_COMP, "GFP_KERNEL|__GFP_ZERO|__GFP_COMP" },
		{ GFP_KERNEL | GFP_DMA, "GFP_KERNEL|GFP_DMA" },
		{ GFP_ATOMIC | __GFP_NOWARN, "GFP_ATOMIC|__GFP_NOWARN" },
		{ GFP_KERNEL | __GFP_NOFAIL, "GFP_KERNEL|__GFP_NOFAIL" },
		{ GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY" },
		{ __GFP_RECLAIM, "GFP_NOIO" },	/* the same bits */
		{ __GFP_RECLAIM | __GFP_HIGH, "GFP_ATOMIC|__GFP_DIRECT_RECLAIM" },	/* table order */
		{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
		{ __GFP_HIGH | __GFP_MEMALLOC | __GFP_NOMEMALLOC,
		  "__GFP_HIGH|__GFP_MEMALLOC|__GFP_NOMEMALLOC" },
		{ __GFP_HARDWALL | __GFP_THISNODE | __GFP_ACCOUNT | __GFP_WRITE,
		  "__GFP_WRITE|__GFP_HARDWALL|__GFP_THISNODE|__GFP_ACCOUNT" },
		{ __GFP_RECLAIMABLE | __GFP_MOVABLE, "__GFP_MOVABLE|__GFP_RECLAIMABLE" },
		/* include/linux/gfp_types.h: THP allocations */
		{ (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) &
		  ~__GFP_KSWAPD_RECLAIM, "GFP_TRANSHUGE" },
		{ (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) &
		  ~__GFP_RECLAIM, "GFP_TRANSHUGE_LIGHT" },
		{ 0x200, "0x200" },
		{ GFP_KERNEL | 0x200, "GFP_KERNEL|0x200" },
		{ 0, "" },
	};
	char buf[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		format_gfp(buf, sizeof(buf), cases[i].gfp);
		CHECK_STR(buf, cases[i].names);
	}
	/* truncation is safe */
	char tiny[8];
	format_gfp(tiny, sizeof(tiny), GFP_KERNEL | __GFP_ZERO);
	CHECK_STR(tiny, "GFP_KER");
}
