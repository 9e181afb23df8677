/*
 * SLUB debugging on kmalloc: the kmalloc red zone from the requested size
 * to the bucket (one byte past kmalloc(17); every offset for many random
 * sizes), krealloc moving the red zone, krealloc of a freed pointer, ksize()
 * handing over the whole bucket, double and interior kfree, and
 * kfree_sensitive twice. Each case asserts the kind, title and count, a
 * clean kalloc_validate() afterwards and intact neighbours.
 */
#include "kdebug.h"

KTEST(one_byte_past_kmalloc17)
{
	dbg_init("FZPU");
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 32, 17);
	p = neighbours_take(&nb, 16);
	poke(p + 17, 0x00);
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in kmalloc-32");
	CHECK_CONTAINS(ktest_reports[0].text, "[kmalloc Redzone overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x0 instead of 0xcc");
	CHECK_EQ(kalloc_report_count(), 1);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	/* restored and still allocated: a second kfree is a proper one */
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
	neighbours_free(&nb, NULL);
	CHECK_VALIDATE_CLEAN();
}

KTEST(requested_bytes_are_usable)
{
	dbg_init("FZPU");

	for (size_t n = 1; n <= 300; n++) {
		uint8_t *p = kmalloc(n, GFP_KERNEL);

		memset(p, 0x5c, n);
		kfree(p);
	}
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
}

/* The tests' own generator: fixed seed, independent of the allocator's. */
static uint64_t rng_state = 0x5eed5eedULL;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Many random sizes (log-uniform, so that every bucket is visited), and for
 * each, one write at every offset from the request to the end of its bucket:
 * each write is caught as a kmalloc red zone overwrite, and nothing else.
 */
KTEST(kmalloc_redzone_catches_every_offset)
{
	dbg_init("FZPU");
	unsigned long writes = 0, caught = 0;
	int bad = 0;

	for (int round = 0; round < 48; round++) {
		unsigned int shift = (unsigned int)(rng() % 13);
		size_t n = ((size_t)1 << shift) + rng() % ((size_t)1 << shift);
		size_t bucket;

		if (n > KMALLOC_MAX_CACHE_SIZE)
			n = KMALLOC_MAX_CACHE_SIZE - rng() % 64;
		bucket = kmalloc_size_roundup(n);
		for (size_t off = n; off < bucket; off++) {
			uint8_t *p = kmalloc(n, GFP_KERNEL);
			char title[64];

			ktest_capture_clear();
			poke(p + off, (uint8_t)~SLUB_RED_ACTIVE);
			kfree(p);
			writes++;
			snprintf(title, sizeof(title),
				 "slab: Redzone overwritten in %s",
				 kmem_cache_name(virt_to_cache(p)));
			if (ktest_nr_reports == 1 &&
			    ktest_reports[0].bug == KALLOC_BUG_REDZONE &&
			    !strcmp(ktest_reports[0].title, title) &&
			    strstr(ktest_reports[0].text, "[kmalloc Redzone overwritten]"))
				caught++;
			else if (bad++ < 5)
				ktest_fail(__FILE__, __LINE__,
					   "size %zu offset %zu: %d reports", n,
					   off, ktest_nr_reports);
			/* the red zone is restored: now the free goes through */
			ktest_capture_clear();
			kfree(p);
			if (ktest_nr_reports && bad++ < 5)
				ktest_fail(__FILE__, __LINE__,
					   "size %zu offset %zu: second kfree reported",
					   n, off);
		}
	}
	CHECK_EQ(caught, writes);
	CHECK(writes > 1000);
	CHECK_VALIDATE_CLEAN();
}

KTEST(use_after_kfree_write)
{
	dbg_init("FZPU");
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 16, 200);
	p = neighbours_take(&nb, 8);
	kfree(p);
	poke(p + 100, 0x00);
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_POISON, "slab: Poison overwritten in kmalloc-256");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x0 instead of 0x6b");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, NULL);
}

KTEST(use_after_kfree_read_sees_poison)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(30, GFP_KERNEL);

	memset(p, 0x44, 30);
	kfree(p);
	CHECK_EQ(peek(p + 3), POISON_FREE);
	CHECK_EQ(peek(p + 31), POISON_END);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(krealloc_shrink_moves_the_redzone_down)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(100, GFP_KERNEL);
	uint8_t *q = krealloc(p, 40, GFP_KERNEL);

	CHECK(q == p);
	memset(q, 1, 40);
	poke(q + 40, 0x00);
	kfree(q);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in kmalloc-128");
	CHECK_CONTAINS(ktest_reports[0].text, "[kmalloc Redzone overwritten]");
	CHECK_VALIDATE_CLEAN();
}

KTEST(krealloc_growth_in_place_moves_the_redzone_up)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(40, GFP_KERNEL);
	uint8_t *q;

	memset(p, 7, 40);
	q = krealloc(p, 60, GFP_KERNEL);
	CHECK(q == p);
	CHECK_EQ(q[39], 7);
	memset(q + 40, 8, 20);	/* now the caller's */
	poke(q + 60, 0x00);
	kfree(q);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in kmalloc-64");
	CHECK_CONTAINS(ktest_reports[0].text, "@offset=");
	CHECK_VALIDATE_CLEAN();
}

KTEST(krealloc_growth_that_moves_keeps_data_and_redzone)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(40, GFP_KERNEL);
	uint8_t *q;

	memset(p, 9, 40);
	q = krealloc(p, 100, GFP_KERNEL);
	CHECK(q != p);
	for (int i = 0; i < 40; i++)
		CHECK_EQ(q[i], 9);
	CHECK_EQ(ktest_nr_reports, 0);
	poke(q + 100, 0x00);
	kfree(q);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in kmalloc-128");
	/* the old object was freed properly: poisoned, on its freelist */
	CHECK_EQ(peek(p), POISON_FREE);
	CHECK_VALIDATE_CLEAN();
}

KTEST(krealloc_of_freed_pointer)
{
	dbg_init("FZPU");
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 16, 64);
	p = neighbours_take(&nb, 8);
	kfree(p);
	CHECK(krealloc(p, 50, GFP_KERNEL) == NULL);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE,
			 "slab: krealloc of freed object in kmalloc-64");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, NULL);
}

KTEST(ksize_hands_over_the_whole_bucket)
{
	dbg_init("FZPU");
	uint8_t *p = kmalloc(17, GFP_KERNEL);
	size_t n = ksize(p);

	CHECK_EQ(n, 32);
	memset(p, 0x21, n);
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
}

KTEST(double_kfree)
{
	dbg_init("FZPU");
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 16, 64);
	p = neighbours_take(&nb, 3);
	kfree(p);
	kfree(neighbours_take(&nb, 4));
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "slab: double free in kmalloc-64");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, NULL);
}

KTEST(kfree_of_interior_pointer)
{
	dbg_init("FZPU");
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 16, 100);
	p = neighbours_take(&nb, 5);
	kfree(p + 16);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE,
			 "slab: invalid free in kmalloc-128");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	kfree(p);
	neighbours_free(&nb, NULL);
	CHECK_EQ(ktest_nr_reports, 0);
}

/* title: SLUB's under consistency checks, else KASAN's */
static void kfree_sensitive_twice(const char *title)
{
	struct neighbours nb;
	uint8_t *p;

	neighbours_kmalloc(&nb, 16, 64);
	p = neighbours_take(&nb, 7);
	kfree_sensitive(p);
	CHECK_EQ(ktest_nr_reports, 0);
	kfree_sensitive(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, title);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	/* the object is free once: the next two allocations differ */
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	CHECK(a != b);
	kfree(a);
	kfree(b);
	neighbours_free(&nb, NULL);
	CHECK_VALIDATE_CLEAN();
}

KTEST(kfree_sensitive_twice_debug)
{
	dbg_init("FZPU");
	kfree_sensitive_twice("slab: double free in kmalloc-64");
}

/* Without debugging too: kfree_sensitive() looks before it wipes. */
KTEST(kfree_sensitive_twice_production)
{
	ktest_init_default();
	kfree_sensitive_twice("KASAN: double-free in kfree_sensitive");
}

KTEST(kfree_sensitive_wipes_the_bucket)
{
	dbg_init("Z");
	uint8_t *p = kmalloc(20, GFP_KERNEL);

	memset(p, 0xee, 20);
	kfree_sensitive(p);
	/* poisoning is off: the wiped bytes stay visible, up to the free
	 * pointer that the free wrote into the middle of the object */
	for (unsigned int i = 0; i < virt_to_cache(p)->offset; i++)
		CHECK_EQ(peek(p + i), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}
