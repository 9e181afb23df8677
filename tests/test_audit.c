/*
 * Regression tests for the allocator bugs an audit found: each test runs
 * the case the audit described and asserts the kernel's behaviour (or the
 * documented deviation), so the bug cannot come back unnoticed.
 */
#include <stdint.h>

#include "kdebug.h"

/* ------------------ kfree_bulk / kmem_cache_free_bulk(NULL) ------------------ */

KTEST(free_bulk_null_cache_is_kfree_bulk)
{
	ktest_init_default();
	void *p[4] = {
		kmalloc(16, GFP_KERNEL), kmalloc(200, GFP_KERNEL),
		kmalloc(3 * PAGE_SIZE, GFP_KERNEL), kmalloc(16, GFP_KERNEL),
	};

	for (int i = 0; i < 4; i++)
		CHECK(p[i] != NULL);
	kmem_cache_free_bulk(NULL, 0, NULL);	/* nothing to free */
	kmem_cache_free_bulk(NULL, 2, p);	/* each object's own cache */
	unsigned long before = nr_free_pages();
	kfree_bulk(2, p + 2);			/* a large kmalloc among them */
	CHECK(nr_free_pages() >= before + 4);	/* its order-2 block is back */
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate(), 0);
	/* p[3] went last onto its freelist: freeing it again is caught */
	kfree_bulk(1, p + 3);
	CHECK_EQ(ktest_nr_reports, 1);
}

/* ---------------- unregistering a shrinker while reclaim runs ---------------- */

struct victim_shrinker {
	struct shrinker s;
	struct shrinker *victim;	/* unregistered and freed by the scan */
	int scans;
};

static unsigned long victim_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return 1;
}

static unsigned long victim_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct victim_shrinker *v = (struct victim_shrinker *)s;

	(void)sc;
	v->scans++;
	if (v->victim) {
		unregister_shrinker(v->victim);
		free(v->victim);
		v->victim = NULL;
	}
	return 0;
}

static unsigned long self_scan(struct shrinker *s, struct shrink_control *sc)
{
	(void)sc;
	unregister_shrinker(s);
	free(s);
	return 0;
}

KTEST(shrinker_unregistered_during_reclaim)
{
	ktest_init_default();
	struct victim_shrinker killer = {
		.s = { .count_objects = victim_count, .scan_objects = victim_scan },
	};
	struct shrinker *next = calloc(1, sizeof(*next));
	struct shrinker *self = calloc(1, sizeof(*self));
	struct victim_shrinker last = {
		.s = { .count_objects = victim_count, .scan_objects = victim_scan },
	};

	CHECK(next && self);
	next->count_objects = victim_count;
	next->scan_objects = victim_scan;
	/* a shrinker that unregisters itself and frees itself mid-scan */
	self->count_objects = victim_count;
	self->scan_objects = self_scan;
	self->batch = 1;
	killer.victim = next;
	CHECK_EQ(register_shrinker(&killer.s, "killer"), 0);
	CHECK_EQ(register_shrinker(next, "next"), 0);	/* freed by killer */
	CHECK_EQ(register_shrinker(self, "self"), 0);
	CHECK_EQ(register_shrinker(&last.s, "last"), 0);
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(killer.scans, 1);
	CHECK_EQ(last.scans, 1);	/* the list walk went on past both */
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(killer.scans, 2);
	CHECK_EQ(last.scans, 2);
	unregister_shrinker(&killer.s);
	unregister_shrinker(&last.s);
}

/* ------------- slab_debug without F: the count check on every free ------------- */

KTEST(debug_free_checks_inuse_without_consistency)
{
	static const char *const flags[] = { "U", "Z", "P", "T" };

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
		dbg_init(flags[f]);
		struct kmem_cache *s = kmem_cache_create("count", 40, 0, 0, NULL);
		void *a = kmem_cache_alloc(s, GFP_KERNEL);
		void *b = kmem_cache_alloc(s, GFP_KERNEL);
		struct slab *slab = virt_to_slab(a);

		CHECK(a && b && slab == virt_to_slab(b));
		kmem_cache_free(s, a);
		kmem_cache_free(s, b);
		CHECK_EQ(slab->inuse, 0);
		ktest_capture_clear();
		kmem_cache_free(s, a);	/* a is not the freelist head */
		CHECK_EQ(slab->inuse, 0);
		CHECK(ktest_nr_reports >= 1);
		if (ktest_nr_reports >= 1)
			CHECK_CONTAINS(ktest_reports[0].text,
				       "Slab has 0 allocated objects but 1 are to be freed");
		kmem_cache_destroy(s);
		kalloc_fini();
	}
}

/* ------------- the quarantine's tables follow what is held ------------- */

KTEST(quarantine_tables_bounded_by_what_is_held)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	const size_t budget = 4u << 20;

	cfg.mem_bytes = 32u << 20;
	cfg.quarantine_bytes = budget;
	cfg.kasan_off = true;	/* 8-byte slots */
	ktest_init(cfg);
	/* not the budget's 512K entries up front: a large arena with a large
	 * budget would ask the host for tens of GiB */
	size_t cap0 = quarantine_capacity();
	CHECK(cap0 > 0 && cap0 < budget / sizeof(void *));

	int held = (int)(budget / sizeof(void *)), n = held + 300;
	void **p = calloc((size_t)n, sizeof(*p));
	void **again = calloc((size_t)n, sizeof(*again));

	CHECK(p && again);
	if (!p || !again)
		goto out;
	/* the whole budget is still held: the tables grew as it filled */
	CHECK_EQ(free_eights_into_quarantine(p, n), n - held);
	CHECK_EQ(quarantine_bytes_held(), budget);
	CHECK(quarantine_capacity() >= (size_t)held);
	CHECK_EQ(kalloc_validate(), 0);

	/* reset gives back what the run grew; the same run does the same */
	kalloc_reset();
	CHECK_EQ(quarantine_capacity(), cap0);
	CHECK_EQ(free_eights_into_quarantine(again, n), n - held);
	CHECK_EQ(memcmp(again, p, (size_t)n * sizeof(*p)), 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
out:
	free(again);
	free(p);
}

/* ------------- kmem_cache_create() checks what the kernel checks ------------- */

KTEST(cache_create_follows_the_kernel)
{
	ktest_init_default();
	/* an empty name is the kernel's to accept: nothing depends on it */
	struct kmem_cache *s = kmem_cache_create("", 72, 0, SLAB_NO_MERGE, NULL);

	CHECK(s != NULL);
	if (s) {
		void *o = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK(o != NULL);
		kmem_cache_free(s, o);
		kmem_cache_destroy(s);
	}
	CHECK_EQ(ktest_nr_reports, 0);
	/* the documented deviations: no cache that would not be the one asked */
	CHECK(kmem_cache_create("zero", 0, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("align24", 64, 24, 0, NULL) == NULL);
	CHECK(kmem_cache_create(NULL, 64, 0, 0, NULL) == NULL);
}

/* ---------- a stray page free is the caller's bug, reported once ---------- */

KTEST(stray_page_free_leaves_the_owner_intact)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();

	/* a page of a vmalloc area */
	void *v = vmalloc(2 * PAGE_SIZE);
	CHECK(v != NULL);
	__free_page(vmalloc_to_page(v));
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_BAD_PAGE);
	CHECK_EQ(kalloc_validate(), 0);
	vfree(v);

	/* a slab page */
	void *o = kmalloc(64, GFP_KERNEL);
	CHECK(o != NULL);
	free_page((unsigned long)page_address(virt_to_page(o)));
	CHECK_EQ(ktest_nr_reports, 2);
	CHECK_EQ(ktest_reports[1].bug, KALLOC_BUG_BAD_PAGE);
	CHECK_EQ(kalloc_validate(), 0);
	kfree(o);

	/* a large kmalloc */
	void *l = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	CHECK(l != NULL);
	__free_pages(virt_to_page(l), 2);
	CHECK_EQ(ktest_nr_reports, 3);
	CHECK_EQ(ktest_reports[2].bug, KALLOC_BUG_BAD_PAGE);
	CHECK_EQ(kalloc_validate(), 0);
	kfree(l);

	/* each owner's own free worked: nothing more reported, nothing lost */
	CHECK_EQ(ktest_nr_reports, 3);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_shrink(kmalloc_slab(64, GFP_KERNEL));
	CHECK_EQ(nr_free_pages(), free0);
}

/* -------- a debug cache's freelist that lost its tail: found, not followed -------- */

KTEST(debug_partial_slab_with_lost_freelist_tail)
{
	static const char *const flags[] = { "U", "F" };

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
		struct kalloc_config cfg = kalloc_config_defaults();

		cfg.slab_debug = flags[f];
		cfg.freelist_hardened = false;
		ktest_init(cfg);
		struct kmem_cache *s = kmem_cache_create("tail", 40, 0, 0, NULL);
		void *a = kmem_cache_alloc(s, GFP_KERNEL);
		void *b = kmem_cache_alloc(s, GFP_KERNEL);
		struct slab *slab = virt_to_slab(a);

		CHECK(s && a && b && slab == virt_to_slab(b));
		kmem_cache_free(s, b);
		/* a write after free zeroes b's free pointer: the chain ends at b */
		poke_word((char *)b + s->offset, 0);
		ktest_capture_clear();
		void *c = kmem_cache_alloc(s, GFP_KERNEL);	/* b again */
		void *d = kmem_cache_alloc(s, GFP_KERNEL);	/* nothing left on the chain */

		CHECK(c == b);
		CHECK(d != NULL && virt_to_slab(d) != slab);
		CHECK_EQ(slab->inuse, slab->objects);
		CHECK(ktest_nr_reports >= 1);
		if (ktest_nr_reports >= 1)
			CHECK_CONTAINS(ktest_reports[0].text,
				       "Counter is 2 but counted were");
		ktest_capture_clear();
		CHECK_EQ(kalloc_validate(), 0);
		kmem_cache_free(s, a);
		kmem_cache_free(s, c);
		kmem_cache_free(s, d);
		kalloc_fini();
	}
}

/* ------- a double kfree after the slab was discarded names what happened ------- */

KTEST(double_kfree_after_slab_discard_title)
{
	dbg_init("U");
	struct kmem_cache *s = kmalloc_slab(1024, GFP_KERNEL);
	void *p[8];

	for (int i = 0; i < 8; i++)
		p[i] = kmalloc(1000, GFP_KERNEL);
	struct page *page = virt_to_page(p[3]);
	for (int i = 0; i < 8; i++)
		kfree(p[i]);
	kmem_cache_shrink(s);
	CHECK(!virt_to_slab(p[3]));
	CHECK(page_is_free(page));
	ktest_capture_clear();
	kfree(p[3]);
	CHECK_EQ(ktest_nr_reports, 1);
	if (ktest_nr_reports == 1) {
		CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_DOUBLE_FREE);
		CHECK_STR(ktest_reports[0].title,
			  "kmalloc: double free of a slab object whose slab was discarded");
	}

	/* a large kmalloc's second free keeps its own title */
	void *l = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kfree(l);
	ktest_capture_clear();
	kfree(l);
	CHECK_EQ(ktest_nr_reports, 1);
	if (ktest_nr_reports == 1)
		CHECK_STR(ktest_reports[0].title, "kmalloc: double free of large kmalloc");
	CHECK_EQ(kalloc_validate(), 0);
}

/* --------- init_on_free under slab_debug with U and Z: orig_size kept --------- */

/*
 * kmalloc(17) from kmalloc-32 under FZU: the bytes 17..31 are the kmalloc
 * red zone (0xcc) and the request size is kept in the metadata. The
 * init_on_free wipe must clear the request only and keep orig_size, as
 * slab_free_hook() does, or the free check that follows it reports a
 * "kmalloc Redzone" that nobody overwrote.
 */
KTEST(init_on_free_keeps_kmalloc_redzone_and_orig_size)
{
	static const char *const flags[] = { "FZU", "ZU", "FZPU,kmalloc-64;FZU" };

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
		struct kalloc_config cfg = kalloc_config_defaults();

		cfg.slab_debug = flags[f];
		cfg.init_on_free = true;
		ktest_init(cfg);
		for (int round = 0; round < 3; round++) {
			uint8_t *k = kmalloc(17, GFP_KERNEL);

			CHECK(k != NULL);
			memset(k, 0x5a, 17);
			kfree(k);
			/* the wipe cleared the request, not the red zone */
			CHECK_EQ(peek(k), 0);
			CHECK_EQ(peek(k + 16), 0);
			CHECK_EQ(peek(k + 17), SLUB_RED_ACTIVE);
			CHECK_EQ(peek(k + 31), SLUB_RED_ACTIVE);
		}
		if (ktest_nr_reports)
			fprintf(stderr, "slab_debug=%s: %s\n", flags[f],
				ktest_reports[0].title);
		CHECK_EQ(ktest_nr_reports, 0);
		CHECK_EQ(kalloc_validate(), 0);
		/* a real overflow into the kmalloc red zone is still caught */
		uint8_t *k = kmalloc(17, GFP_KERNEL);

		poke(k + 17, 'x');
		kfree(k);
		if (strstr(flags[f], "FZU")) {	/* F checks kmalloc-32's frees */
			CHECK(ktest_nr_reports >= 1);
			if (ktest_nr_reports >= 1)
				CHECK_CONTAINS(ktest_reports[0].text,
					       "kmalloc Redzone overwritten");
		}
		ktest_capture_clear();
		kalloc_fini();
	}
}

/* ------- a free pointer aimed into a live object is never followed ------- */

/*
 * A write after free aims a's free pointer at the middle of the live b.
 * Without hardening the raw address is what the freelist holds, and it lies
 * inside the cpu slab: the next allocation after a's would hand out b + 8,
 * overlapping b (b's zeros end the chain there). Every path checks that a free pointer is an object start,
 * as check_valid_pointer() does: unhardened, hardened (the raw address
 * decodes to garbage) and under slab_debug=F (the slow path).
 */
KTEST(interior_free_pointer_never_handed_out)
{
	static const struct {
		const char *debug;
		bool hardened;
	} modes[] = { { NULL, false }, { NULL, true }, { "F", false } };

	for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
		struct kalloc_config cfg = kalloc_config_defaults();

		cfg.slab_debug = modes[m].debug;
		cfg.freelist_hardened = modes[m].hardened;
		cfg.ncpus = 1;
		ktest_init(cfg);
		struct kmem_cache *s = kmem_cache_create("interior", 64, 0, 0, NULL);
		uint8_t *a = kmem_cache_alloc(s, GFP_KERNEL);
		uint8_t *b = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK(a && b && virt_to_slab(a) == virt_to_slab(b));
		/* zeros in b read as a NULL free pointer: a chain's end */
		memset(b, 0, 64);
		kmem_cache_free(s, a);
		ktest_capture_clear();
		poke_word(a + s->offset, (unsigned long)(b + 8));
		uint8_t *x = kmem_cache_alloc(s, GFP_KERNEL);
		uint8_t *y = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK(y != b + 8);
		CHECK(x != b + 8);
		CHECK(ktest_nr_reports >= 1);
		if (ktest_nr_reports >= 1)
			CHECK_CONTAINS(ktest_reports[0].text, "Freepointer corrupt");
		ktest_capture_clear();
		CHECK_EQ(kalloc_validate(), 0);
		CHECK_EQ(ktest_nr_reports, 0);
		kalloc_fini();
	}
}
