/*
 * Out of memory at every slab layer: in a small arena, kmalloc, kmem_cache
 * and large kmalloc run until NULL; every structure stays consistent
 * (kalloc_validate() == 0 along the way), and once everything is freed,
 * the caches destroyed and shrunk, every page is back.
 */
#include <stdint.h>

#include "internal.h"
#include "ktest.h"

#define MAX_LIVE 20000

static void *live[MAX_LIVE];
static struct kmem_cache *live_cache[MAX_LIVE];
static unsigned char live_tag[MAX_LIVE];
static unsigned int nlive;

static void small_machine(void)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = 2u << 20;
	cfg.dma_bytes = 0;
	cfg.ncpus = 2;
	cfg.kasan_off = true;	/* SLUB's own slot sizes in the messages */
	ktest_init(cfg);
	nlive = 0;
}

static void keep(void *p, struct kmem_cache *s)
{
	CHECK(nlive < MAX_LIVE);
	if (nlive < MAX_LIVE) {
		live_cache[nlive] = s;
		live[nlive++] = p;
	}
}

/* Free in an order that mixes slabs and cpus. */
static void free_all(void)
{
	for (unsigned int i = 0; i < nlive; i++) {
		unsigned int j = (i * 7919u) % nlive;

		if (!live[j])
			continue;
		kalloc_set_cpu(j % 2);
		if (live_cache[j])
			kmem_cache_free(live_cache[j], live[j]);
		else
			kfree(live[j]);
		live[j] = NULL;
	}
	for (unsigned int i = 0; i < nlive; i++) {
		if (live[i]) {
			if (live_cache[i])
				kmem_cache_free(live_cache[i], live[i]);
			else
				kfree(live[i]);
		}
	}
	nlive = 0;
	kalloc_set_cpu(0);
}

KTEST(kmalloc_until_null)
{
	static const size_t sizes[] = { 8, 24, 96, 192, 500, 1024, 3000, 8192 };

	small_machine();
	unsigned long free0 = nr_free_pages();
	unsigned int fails = 0, n = 0;

	/* round-robin over the classes until every one fails */
	for (bool any = true; any;) {
		any = false;
		for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
			void *p = kmalloc(sizes[k], GFP_KERNEL | __GFP_NOWARN);

			if (!p) {
				fails++;
				continue;
			}
			any = true;
			memset(p, (int)k, sizes[k]);
			if (nlive < MAX_LIVE)
				live_tag[nlive] = (unsigned char)k;
			keep(p, NULL);
			if (++n % 200 == 0)
				CHECK_EQ(kalloc_validate(), 0);
		}
	}
	CHECK(fails >= ARRAY_SIZE(sizes));
	CHECK(n > 500);
	CHECK_EQ(kalloc_validate(), 0);
	/* nothing overlaps: each object still holds its byte */
	for (unsigned int i = 0; i < nlive; i++)
		CHECK_EQ(((unsigned char *)live[i])[0], live_tag[i]);
	free_all();
	CHECK_EQ(kalloc_validate(), 0);
	slab_shrink_all();
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

static int ctor_runs;
static void ctor(void *p)
{
	ctor_runs++;
	memset(p, 0x11, 40);
}

KTEST(kmem_cache_alloc_until_null)
{
	small_machine();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *c[4];

	c[0] = kmem_cache_create("oom_small", 40, 0, 0, ctor);
	c[1] = kmem_cache_create("oom_debug", 100, 0,
				 SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, NULL);
	c[2] = kmem_cache_create("oom_big", 3000, 0, SLAB_HWCACHE_ALIGN, NULL);
	c[3] = kmem_cache_create("oom_rcl", 256, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	for (int k = 0; k < 4; k++)
		CHECK(c[k] != NULL);

	unsigned int n = 0;
	for (bool any = true; any;) {
		any = false;
		for (int k = 0; k < 4; k++) {
			kalloc_set_cpu(n % 2);
			void *p = kmem_cache_alloc(c[k], GFP_KERNEL | __GFP_NOWARN);

			if (!p)
				continue;
			any = true;
			keep(p, c[k]);
			if (++n % 200 == 0)
				CHECK_EQ(kalloc_validate(), 0);
		}
	}
	CHECK(n > 200);
	CHECK_EQ(kalloc_validate(), 0);
	/* a bulk allocation at OOM fails whole and takes nothing */
	void *bulk[64];
	unsigned long before = nr_free_pages();
	CHECK_EQ(kmem_cache_alloc_bulk(c[2], GFP_KERNEL | __GFP_NOWARN, 64, bulk), 0);
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(kalloc_validate(), 0);

	free_all();
	for (int k = 0; k < 4; k++)
		kmem_cache_destroy(c[k]);
	CHECK_EQ(kalloc_validate(), 0);
	slab_shrink_all();
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(large_kmalloc_until_null)
{
	small_machine();
	unsigned long free0 = nr_free_pages();
	unsigned int n = 0;

	for (size_t size = 64 * 1024; size > KMALLOC_MAX_CACHE_SIZE; size /= 2) {
		void *p;

		while ((p = kmalloc(size + 1, GFP_KERNEL | __GFP_NOWARN))) {
			keep(p, NULL);
			n++;
		}
		CHECK_EQ(kalloc_validate(), 0);
	}
	CHECK(n > 10);
	free_all();
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

/* Pages, large kmalloc and slab objects competing for the last pages. */
KTEST(every_layer_together_until_null)
{
	small_machine();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *s = kmem_cache_create("mixed", 72, 0, 0, NULL);
	struct page *pages[600];
	unsigned int npages = 0, round = 0;

	for (bool any = true; any; round++) {
		any = false;
		struct page *pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, round % 3);
		if (pg && npages < ARRAY_SIZE(pages)) {
			pages[npages++] = pg;
			any = true;
		} else if (pg) {
			__free_pages(pg, round % 3);
		}
		void *big = kmalloc(PAGE_SIZE * 3, GFP_KERNEL | __GFP_NOWARN);
		if (big) {
			keep(big, NULL);
			any = true;
		}
		for (int i = 0; i < 8; i++) {
			void *o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
			void *k = kmalloc(16 + (size_t)(i * 40), GFP_KERNEL | __GFP_NOWARN);
			if (o) {
				keep(o, s);
				any = true;
			}
			if (k) {
				keep(k, NULL);
				any = true;
			}
		}
		if (round % 20 == 0)
			CHECK_EQ(kalloc_validate(), 0);
	}
	CHECK_EQ(kalloc_validate(), 0);
	free_all();
	for (unsigned int i = 0; i < npages; i++) {
		struct page *pg = pages[i];

		__free_pages(pg, compound_order(pg) ? compound_order(pg) : pg->order);
	}
	kmem_cache_destroy(s);
	slab_shrink_all();
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

/* No block of the preferred order: the slab falls back to s->min. */
KTEST(order_fallback_when_fragmented)
{
	small_machine();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *s = kmem_cache_create("fallback", 3000, 0, 0, NULL);
	struct page *pages[600];
	unsigned int n = 0;

	CHECK_EQ(oo_order(s->oo), 3);
	CHECK_EQ(oo_order(s->min), 0);
	/* every page (reserves too) taken one at a time, then every other
	 * one given back: no free block above order 0 is left */
	struct page *pg;
	while (n < ARRAY_SIZE(pages) &&
	       (pg = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		pages[n++] = pg;
	for (unsigned int i = 0; i < n; i++)
		if (page_to_pfn(pages[i]) % 2 == 0) {
			__free_pages(pages[i], 0);
			pages[i] = NULL;
		}
	void *o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	CHECK(o != NULL);
	struct slab *slab = virt_to_slab(o);
	CHECK_EQ(slab->order, 0);
	CHECK_EQ(slab->objects, 1);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(s, o);
	for (unsigned int i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
	kmem_cache_destroy(s);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(oom_messages)
{
	small_machine();
	struct kmem_cache *s = kmem_cache_create("loud", 2048, 0, 0, NULL);
	void *p;

	while ((p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN)))
		keep(p, s);
	CHECK(strstr(ktest_log, "SLUB: Unable to allocate memory") == NULL);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == NULL);
	CHECK_CONTAINS(ktest_log, "SLUB: Unable to allocate memory on node -1, gfp=0xcc0(GFP_KERNEL)");
	CHECK_CONTAINS(ktest_log, "  cache: loud, object size: 2048, buffer size: 2048, default order: 3, min order: 0");
	CHECK_CONTAINS(ktest_log, "page allocation failure");
	CHECK_EQ(kalloc_validate(), 0);
	free_all();
	kmem_cache_destroy(s);
	CHECK_EQ(kalloc_validate(), 0);
}
