/*
 * Zeroing, with and without debugging: init_on_alloc, init_on_free,
 * __GFP_ZERO and kzalloc (lib/test_meminit.c's cases). Poisoning takes
 * precedence over init_on_alloc/init_on_free, as in the kernel; __GFP_ZERO
 * always zeroes, and never the kmalloc red zone behind the request.
 */
#include "kdebug.h"

static void init_cfg(const char *slab_debug, bool on_alloc, bool on_free)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = slab_debug;
	cfg.init_on_alloc = on_alloc;
	cfg.init_on_free = on_free;
	ktest_init(cfg);
}

static bool all_bytes(const void *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (peek((const uint8_t *)p + i) != v)
			return false;
	return true;
}

/* Dirty objects of a size, freed, so that the next ones are reused. */
static void dirty_and_free(size_t size, int n)
{
	void *p[64];

	for (int i = 0; i < n; i++) {
		p[i] = kmalloc(size, GFP_KERNEL);
		memset(p[i], 0xd1, size);
	}
	for (int i = 0; i < n; i++)
		kfree(p[i]);
}

KTEST(init_on_alloc_zeroes_kmalloc_and_cache_objects)
{
	init_cfg(NULL, true, false);
	struct kmem_cache *s = kmem_cache_create("zcache", 72, 0, 0, NULL);
	void *a, *p;

	dirty_and_free(100, 32);
	p = kmalloc(100, GFP_KERNEL);
	CHECK(all_bytes(p, 100, 0));
	a = kmem_cache_alloc(s, GFP_KERNEL);
	memset(a, 0xd2, 72);
	kmem_cache_free(s, a);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(all_bytes(a, 72, 0));
	CHECK_EQ(ktest_nr_reports, 0);
	kfree(p);
	kmem_cache_free(s, a);
	kmem_cache_destroy(s);
}

static void ctor_fill(void *p)
{
	memset(p, 0x77, 48);
}

KTEST(init_on_alloc_spares_ctor_caches)
{
	init_cfg(NULL, true, true);
	struct kmem_cache *s = kmem_cache_create("ctor_z", 48, 0, 0, ctor_fill);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	CHECK(all_bytes(p, 48, 0x77));
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

KTEST(init_on_free_wipes_freed_objects)
{
	init_cfg(NULL, false, true);
	uint8_t *p = kmalloc(256, GFP_KERNEL);
	unsigned int offset = virt_to_cache(p)->offset;

	memset(p, 0xd3, 256);
	kfree(p);
	/* everything but the free pointer the free wrote afterwards */
	CHECK(all_bytes(p, offset, 0));
	CHECK(all_bytes(p + offset + sizeof(void *), 256 - offset - sizeof(void *), 0));
	/* and the reuse hands it out all zero */
	CHECK(kmalloc(256, GFP_KERNEL) == p);
	CHECK(all_bytes(p, 256, 0));
	kfree(p);
}

KTEST(poisoning_takes_precedence)
{
	init_cfg("P", true, true);
	uint8_t *p;

	CHECK_CONTAINS(ktest_log, "mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free");
	dirty_and_free(64, 8);
	p = kmalloc(64, GFP_KERNEL);
	/* not zeroed: the kernel's poison shows through */
	CHECK(all_bytes(p, 63, POISON_FREE));
	kfree(p);
	CHECK(all_bytes(p, 63, POISON_FREE));
	CHECK_EQ(peek(p + 63), POISON_END);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(gfp_zero_and_kzalloc_zero_even_with_poisoning)
{
	init_cfg("FZPU", false, false);
	struct kmem_cache *s = kmem_cache_create("zc", 40, 0, 0, NULL);
	uint8_t *p, *q, *r;

	dirty_and_free(50, 16);
	p = kzalloc(50, GFP_KERNEL);
	q = kmalloc(50, GFP_KERNEL | __GFP_ZERO);
	r = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(all_bytes(p, 50, 0));
	CHECK(all_bytes(q, 50, 0));
	CHECK(all_bytes(r, 40, 0));
	/* the request is zeroed, the kmalloc red zone behind it is not */
	CHECK(all_bytes(p + 50, 64 - 50, SLUB_RED_ACTIVE));
	kfree(p);
	kfree(q);
	kmem_cache_free(s, r);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
}

KTEST(kcalloc_zeroes)
{
	init_cfg("FZPU", false, false);
	uint32_t *p;

	dirty_and_free(40, 16);
	p = kcalloc(10, sizeof(uint32_t), GFP_KERNEL);
	CHECK(all_bytes(p, 40, 0));
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(krealloc_gfp_zero_zeroes_the_growth)
{
	init_cfg("FZPU", false, false);
	uint8_t *p = kmalloc(20, GFP_KERNEL);

	memset(p, 0x99, 20);
	p = krealloc(p, 60, GFP_KERNEL | __GFP_ZERO);
	CHECK(all_bytes(p, 20, 0x99));
	CHECK(all_bytes(p + 20, 40, 0));
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
}
