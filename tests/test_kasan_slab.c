/*
 * Generic KASAN in the ASan build, as mm/kasan does it: the red zone after
 * every slab object (kasan_cache_create()'s slot sizes), free pages poisoned
 * from init, ksize() of a freed object, double and invalid frees caught from
 * the shadow with no quarantine and no debug flags, the vmalloc range's
 * shadow after reset, and KASAN's titles. Each bad access or free runs in a
 * forked child; the parent checks the child died of ASan's report (or of
 * the allocator's KASAN report) and that the report names the test's own
 * frame. Without ASan there is nothing to check: "skipped".
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kdebug.h"

#if KALLOC_KASAN
#include <sanitizer/asan_interface.h>

#define noinline __attribute__((noinline))
#define poisoned(p)	__asan_address_is_poisoned((const void *)(p))

static volatile uint8_t sink;

/* ------------------------------------------------------------------ */
/* The slot sizes                                                      */
/* ------------------------------------------------------------------ */

KTEST(kasan_slot_is_object_plus_optimal_redzone)
{
	ktest_init_default();
	/* kmalloc-N: N + optimal_redzone(N), or more for the metadata of a
	 * small object, rounded to the cache's alignment (a power-of-two
	 * kmalloc cache is naturally aligned: 64 + 32 takes 128) */
	static const struct { size_t n; unsigned int size; } k[] = {
		{ 8, 32 }, { 16, 32 }, { 32, 64 }, { 64, 128 }, { 96, 128 },
		{ 128, 256 }, { 192, 256 }, { 256, 512 }, { 512, 1024 },
		{ 1024, 2048 }, { 2048, 4096 }, { 4096, 8192 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(k); i++) {
		struct kmem_cache *s = kmalloc_slab(k[i].n, GFP_KERNEL);
		void *p = kmalloc(k[i].n, GFP_KERNEL);

		CHECK(s->flags & SLAB_KASAN);
		CHECK_EQ(s->object_size, k[i].n);
		CHECK_EQ(s->size, k[i].size);
		CHECK_EQ(oo_objects(s->oo), ((unsigned int)PAGE_SIZE << oo_order(s->oo)) / k[i].size);
		/* ksize is the object, not the slot */
		CHECK_EQ(ksize(p), k[i].n);
		CHECK(kasan_find_poisoned(p, k[i].n) == NULL);
		CHECK(poisoned((char *)p + k[i].n));
		CHECK(poisoned((char *)p + s->size - 1));
		kfree(p);
	}
	/* a cache of 40: 40 + 16; of 100: 100 + 64 */
	struct kmem_cache *c40 = kmem_cache_create("k40", 40, 0, 0, NULL);
	struct kmem_cache *c100 = kmem_cache_create("k100", 100, 0, 0, NULL);

	CHECK_EQ(c40->size, 56);
	CHECK_EQ(c100->size, 168);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_destroy(c40);
	kmem_cache_destroy(c100);
	kalloc_fini();

	/* kasan_off: SLUB's own slots */
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.kasan_off = true;
	ktest_init(cfg);
	CHECK_EQ(kmalloc_slab(16, GFP_KERNEL)->size, 16);
	CHECK(!(kmalloc_slab(16, GFP_KERNEL)->flags & SLAB_KASAN));
	kalloc_fini();
}

/* A merge never takes the red zone after the older cache's objects. */
KTEST(kasan_merge_keeps_the_red_zone)
{
	ktest_init_default();
	struct kmem_cache *a = kmem_cache_create("a64", 64, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("b60", 60, 0, 0, NULL);
	struct kmem_cache *c = kmem_cache_create("c72", 72, 0, 0, NULL);

	CHECK_EQ(a->size, 96);
	CHECK(b == a);		/* as without KASAN */
	CHECK(c != a);		/* the kernel would take 72 of a's 96 */
	CHECK_EQ(a->object_size, 64);
	kmem_cache_destroy(c);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	kalloc_fini();
}

/* ------------------------------------------------------------------ */
/* Forked children                                                     */
/* ------------------------------------------------------------------ */

/* The child: a fresh machine (stopping at the first report unless
 * continue_on_report), then the bad access or free. */
struct child {
	void (*fn)(void);
	bool go_on;
};

static void kasan_child(void *arg)
{
	const struct child *c = arg;
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.continue_on_report = c->go_on;
	if (kalloc_init(&cfg))
		_exit(2);
	kalloc_set_report_handler(NULL, NULL);
	c->fn();
	/* returning means nothing stopped it */
}

static void expect_child(void (*fn)(void), bool go_on, const char *what,
			 const char *what2, const char *frame)
{
	static char err[65536];
	struct child c = { fn, go_on };
	int status = ktest_run_child(kasan_child, &c, err, sizeof(err));

	CHECK(status != -1);
	if (status == -1)
		return;
	CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	CHECK_CONTAINS(err, what);
	if (what2)
		CHECK_CONTAINS(err, what2);
	CHECK_CONTAINS(err, frame);
}

/* 1. the red zone: no slab_debug=Z */

static noinline void write_one_past_full_kmalloc16(void)
{
	uint8_t *p = kmalloc(16, GFP_KERNEL);

	p[16] = 1;
}

static noinline void read_one_before_cache_object(void)
{
	struct kmem_cache *s = kmem_cache_create("before", 64, 0, 0, NULL);
	uint8_t *a = kmem_cache_alloc(s, GFP_KERNEL);
	uint8_t *b = kmem_cache_alloc(s, GFP_KERNEL);

	/* the later of two neighbours: the byte before it is the other's
	 * red zone */
	sink = (a > b ? a : b)[-1];
}

KTEST(kasan_red_zone_after_every_object)
{
	expect_child(write_one_past_full_kmalloc16, true,
		     "ERROR: AddressSanitizer: use-after-poison",
		     "WRITE of size 1", "write_one_past_full_kmalloc16");
	expect_child(read_one_before_cache_object, true,
		     "ERROR: AddressSanitizer: use-after-poison",
		     "READ of size 1", "read_one_before_cache_object");
}

/* 2. free pages poisoned from init */

static noinline void write_never_allocated_free_page(void)
{
	/* the last frame: free since init, never handed out */
	struct page *pg = pfn_to_page(arena.nr_pages - 1);

	if (!page_is_free(pg))
		_exit(3);
	((volatile char *)page_address(pg))[100] = 1;
}

static noinline void write_free_page_after_reset(void)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 0);
	char *p = page_address(pg);

	__free_pages(pg, 0);
	kalloc_reset();
	if (!page_is_free(virt_to_page(p)))
		_exit(3);
	((volatile char *)p)[7] = 1;
}

KTEST(kasan_free_pages_poisoned_from_init)
{
	ktest_init_default();
	CHECK(poisoned(page_address(pfn_to_page(arena.nr_pages - 1))));
	struct page *pg = alloc_pages(GFP_KERNEL, 2);
	char *p = page_address(pg);

	CHECK(kasan_find_poisoned(p, 4 * PAGE_SIZE) == NULL);
	__free_pages(pg, 2);
	CHECK(poisoned(p));
	pg = alloc_pages(GFP_KERNEL, 0);
	p = page_address(pg);
	kalloc_reset();
	/* free again after reset: as at init */
	CHECK(poisoned(p));
	/* parked, the memory stays poisoned for the next machine on it, which
	 * finds its free pages poisoned without writing the whole shadow */
	kalloc_fini();
	CHECK(poisoned(p));
	ktest_init_default();
	CHECK(poisoned(p));
	CHECK(poisoned(page_address(pfn_to_page(arena.nr_pages - 1))));
	pg = alloc_pages(GFP_KERNEL, 0);
	CHECK(kasan_find_poisoned(page_address(pg), PAGE_SIZE) == NULL);
	__free_pages(pg, 0);
	kalloc_fini();
	/* and nothing stays poisoned once the memory is given back */
	kalloc_release_memory();
	CHECK(!poisoned(p));

	expect_child(write_never_allocated_free_page, true,
		     "ERROR: AddressSanitizer: use-after-poison",
		     "WRITE of size 1", "write_never_allocated_free_page");
	expect_child(write_free_page_after_reset, true,
		     "ERROR: AddressSanitizer: use-after-poison",
		     "WRITE of size 1", "write_free_page_after_reset");
}

/* 3. ksize() of a freed object */

static noinline void ksize_then_read_freed(void)
{
	uint8_t *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	if (ksize(p) != 0)
		_exit(3);
	/* not unpoisoned: this read is still caught */
	sink = p[8];
}

KTEST(kasan_ksize_of_freed_object)
{
	ktest_init_default();
	uint8_t *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	CHECK_EQ(ksize(p), 0);
	CHECK_ONE_REPORT(KALLOC_BUG_USE_AFTER_FREE,
			 "KASAN: slab-use-after-free in ksize");
	CHECK_CONTAINS(ktest_reports[0].text,
		       "BUG: KASAN: slab-use-after-free in ksize");
	CHECK_CONTAINS(ktest_reports[0].text, "Read of size 1 at addr");
	CHECK(poisoned(p));
	ktest_capture_clear();
	/* a pointer past a kmalloc's request is out of bounds */
	uint8_t *q = kmalloc(17, GFP_KERNEL);

	CHECK_EQ(ksize(q + 20), 0);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "KASAN: slab-out-of-bounds in ksize");
	ktest_capture_clear();
	CHECK_EQ(ksize(q), 32);
	kfree(q);
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();

	expect_child(ksize_then_read_freed, true,
		     "BUG: KASAN: slab-use-after-free in ksize",
		     "ERROR: AddressSanitizer: use-after-poison",
		     "ksize_then_read_freed");
}

/* 4. double and invalid frees from the shadow */

static noinline void kfree_a_b_a(void)
{
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	kfree(a);
	kfree(b);
	kfree(a);
}

static noinline void kmem_cache_free_twice(void)
{
	struct kmem_cache *s = kmem_cache_create("twice", 40, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, a);
	kmem_cache_free(s, a);
}

static noinline void free_bulk_with_a_freed_object(void)
{
	struct kmem_cache *s = kmem_cache_create("bulk", 40, 0, 0, NULL);
	void *p[3];

	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	p[1] = kmem_cache_alloc(s, GFP_KERNEL);
	p[2] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p[1]);
	kmem_cache_free_bulk(s, 3, p);
}

static noinline void kfree_interior_pointer(void)
{
	char *a = kmalloc(64, GFP_KERNEL);

	kfree(a + 8);
}

KTEST(kasan_double_free_without_quarantine_or_debug)
{
	ktest_init_default();
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	kfree(a);
	kfree(b);
	kfree(a);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "KASAN: double-free in kfree");
	CHECK_CONTAINS(ktest_reports[0].text, "BUG: KASAN: double-free in kfree");
	CHECK_CONTAINS(ktest_reports[0].text, "which belongs to the cache kmalloc-64 of size 64");
	ktest_capture_clear();
	/* a was freed once: the next two kmallocs are two objects */
	void *x = kmalloc(64, GFP_KERNEL), *y = kmalloc(64, GFP_KERNEL);

	CHECK(x != y);
	CHECK_EQ(kalloc_validate(), 0);
	kfree(x);
	kfree(y);

	struct kmem_cache *s = kmem_cache_create("twice", 40, 0, 0, NULL);
	void *o = kmem_cache_alloc(s, GFP_KERNEL), *p[4];

	kmem_cache_free(s, o);
	kmem_cache_free(s, o);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "KASAN: double-free in kmem_cache_free");
	ktest_capture_clear();
	/* the bulk path: a freed object among live ones, and one twice */
	for (int i = 0; i < 3; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	p[3] = p[2];
	kmem_cache_free(s, p[0]);
	kmem_cache_free_bulk(s, 4, p);
	CHECK_EQ(ktest_nr_reports, 2);
	for (int i = 0; i < ktest_nr_reports && i < 2; i++)
		CHECK_STR(ktest_reports[i].title,
			  "KASAN: double-free in kmem_cache_free_bulk");
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 0);
	/* with debug flags too, KASAN's check is first, as in the kernel */
	kmem_cache_destroy(s);

	/* an interior pointer: invalid-free, nothing freed */
	char *c = kmalloc(64, GFP_KERNEL);

	kfree(c + 8);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE, "KASAN: invalid-free in kfree");
	CHECK_CONTAINS(ktest_reports[0].text, "located 8 bytes inside of");
	ktest_capture_clear();
	kfree(c);
	CHECK_EQ(ktest_nr_reports, 0);
	/* a large kmalloc freed twice: its pages are free (and poisoned) */
	void *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(big);
	CHECK(poisoned(big));
	kfree(big);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "kmalloc: double free of large kmalloc");
	CHECK_CONTAINS(ktest_reports[0].text, "BUG: KASAN: double-free in ");
	ktest_capture_clear();
	/* kfree_sensitive() looks first: one report, not ksize()'s too */
	big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kfree_sensitive(big);
	kfree_sensitive(big);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "kmalloc: double free of large kmalloc");
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();

	/* the child stops at the report, which names the caller's frame */
	expect_child(kfree_a_b_a, false, "BUG: KASAN: double-free in kfree",
		     NULL, "kfree_a_b_a");
	expect_child(kmem_cache_free_twice, false,
		     "BUG: KASAN: double-free in kmem_cache_free", NULL,
		     "kmem_cache_free_twice");
	expect_child(free_bulk_with_a_freed_object, false,
		     "BUG: KASAN: double-free in kmem_cache_free_bulk", NULL,
		     "free_bulk_with_a_freed_object");
	expect_child(kfree_interior_pointer, false,
		     "BUG: KASAN: invalid-free in kfree", NULL,
		     "kfree_interior_pointer");
}

KTEST(kasan_double_free_in_debug_cache)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = "FZPU";
	cfg.continue_on_report = true;
	ktest_init(cfg);
	void *a = kmalloc(100, GFP_KERNEL);

	kfree(a);
	kfree(a);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "KASAN: double-free in kfree");
	/* U's tracks are in the report */
	CHECK_CONTAINS(ktest_reports[0].text, "Allocated by task");
	CHECK_CONTAINS(ktest_reports[0].text, "Freed by task");
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();
}

/* 5. the vmalloc range's shadow after reset */

static noinline void read_vmalloc_start(void)
{
	void *s, *e;

	kalloc_vmalloc_range(&s, &e);
	sink = *(volatile char *)s;
}

static noinline void vmalloc_reset_then_read_start(void)
{
	void *p = vmalloc(3 * PAGE_SIZE);

	vfree(p);
	p = vmalloc(PAGE_SIZE);
	(void)p;
	kalloc_reset();
	read_vmalloc_start();
}

KTEST(kasan_vmalloc_start_after_reset_as_after_init)
{
	void *s, *e;

	ktest_init_default();
	kalloc_vmalloc_range(&s, &e);
	CHECK(!poisoned(s));
	void *p = vmalloc(PAGE_SIZE);

	CHECK(p == s);
	vfree(p);
	CHECK(poisoned(s));
	kalloc_reset();
	CHECK(!poisoned(s));
	CHECK(!poisoned((char *)s + PAGE_SIZE));
	kalloc_fini();

	/* the same signature both ways: a fault on the PROT_NONE range */
	expect_child(read_vmalloc_start, true, "ERROR: AddressSanitizer: SEGV",
		     NULL, "read_vmalloc_start");
	expect_child(vmalloc_reset_then_read_start, true,
		     "ERROR: AddressSanitizer: SEGV", NULL, "read_vmalloc_start");
}

#else /* !KALLOC_KASAN */

KTEST(kasan_slab_cases_need_an_asan_build)
{
	printf("skipped: not built with AddressSanitizer\n");
}

#endif
