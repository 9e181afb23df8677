/*
 * The KASAN-style free quarantine: freed objects wait, first in first out,
 * until later frees exceed the byte budget; meanwhile a second free is a
 * certain double free, a write is caught when the object leaves, and the
 * object is never handed out. Reset, destroy, shrink and reclaim let them
 * go.
 */
#include "kdebug.h"

#define BUDGET	(16 * 1024)

/* Objects of kmalloc-64 take s->size bytes of budget each. */
static unsigned int slot_bytes(void)
{
	return kmalloc_slab(64, GFP_KERNEL)->size;
}

KTEST(freed_objects_wait_in_fifo_order)
{
	dbg_init_cfg(NULL, BUDGET);
	unsigned int held = BUDGET / slot_bytes();
	void *p[600];
	int n = (int)held + 50;

	CHECK(n <= 600);
	for (int i = 0; i < n; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < n; i++)
		kfree(p[i]);
	/* the last `held` frees are still held; the first ones were let go */
	CHECK_EQ(quarantine_bytes_held(), (size_t)held * slot_bytes());
	for (int i = n - (int)held; i < n; i++)
		CHECK(quarantine_contains(p[i]));
	for (int i = 0; i < n - (int)held; i++)
		CHECK(!quarantine_contains(p[i]));
	/* new allocations never get a quarantined object */
	for (int i = 0; i < 200; i++) {
		void *q = kmalloc(64, GFP_KERNEL);

		CHECK(!quarantine_contains(q));
		kfree(q);
	}
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
}

KTEST(no_budget_no_quarantine)
{
	ktest_init_default();
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	CHECK(!quarantine_enabled());
	CHECK(!quarantine_contains(p));
	/* LIFO reuse, as without KASAN */
	CHECK(kmalloc(64, GFP_KERNEL) == p);
}

KTEST(double_free_while_quarantined)
{
	dbg_init_cfg(NULL, BUDGET);
	struct neighbours nb;
	void *p;

	neighbours_kmalloc(&nb, 16, 64);
	p = neighbours_take(&nb, 9);
	kfree(p);
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "KASAN: double-free in kfree");
	CHECK_CONTAINS(ktest_reports[0].text, "BUG: KASAN: double-free in kfree");
	CHECK_CONTAINS(ktest_reports[0].text, "Freed by task");
	CHECK_CONTAINS(ktest_reports[0].text, "which belongs to the cache kmalloc-64 of size 64");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, NULL);
	CHECK_VALIDATE_CLEAN();
}

KTEST(double_free_while_quarantined_debug)
{
	dbg_init_cfg("FZPU", BUDGET);
	struct kmem_cache *s = kmem_cache_create("q_cache", 100, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	CHECK(quarantine_contains(p));
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "KASAN: double-free in kmem_cache_free");
	CHECK_CONTAINS(ktest_reports[0].text, "Allocated by task");
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
	/* destroy let the quarantined object go first: no leak */
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(interior_free_with_quarantine)
{
	dbg_init_cfg(NULL, BUDGET);
	uint8_t *p = kmalloc(64, GFP_KERNEL);

	kfree(p + 8);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE, "slab: invalid free in kmalloc-64");
	CHECK_CONTAINS(ktest_reports[0].text, "Invalid object pointer 0x");
	CHECK(!quarantine_contains(p) && !quarantine_contains(p + 8));
	CHECK_VALIDATE_CLEAN();
	kfree(p);
}

KTEST(write_while_quarantined_caught_on_the_way_out)
{
	dbg_init_cfg("FZPU", BUDGET);
	struct kmem_cache *s = kmem_cache_create("q_cache", 100, 0, 0, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned int held = BUDGET / s->size;

	kmem_cache_free(s, p);
	poke(p + 50, 0x01);
	/* push it out of the quarantine */
	for (unsigned int i = 0; i < held + 1; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	CHECK(!quarantine_contains(p));
	CHECK_ONE_REPORT(KALLOC_BUG_POISON, "slab: Poison overwritten in q_cache");
	CHECK_VALIDATE_CLEAN();
	/* kept out of circulation */
	for (int i = 0; i < 100; i++)
		CHECK(kmem_cache_alloc(s, GFP_KERNEL) != (void *)p);
}

KTEST(write_while_quarantined_caught_by_validate)
{
	dbg_init_cfg("FZPU", BUDGET);
	struct kmem_cache *s = kmem_cache_create("q_cache", 100, 0, 0, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	poke(p, 0x01);
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_POISON, "slab: Poison overwritten in q_cache");
	CHECK_VALIDATE_CLEAN();
}

KTEST(reset_forgets_the_quarantine)
{
	dbg_init_cfg(NULL, BUDGET);
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	CHECK(quarantine_contains(p));
	kalloc_reset();
	CHECK(!quarantine_contains(p));
	CHECK_EQ(quarantine_bytes_held(), 0);
	CHECK_VALIDATE_CLEAN();
	/* and works afterwards */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	CHECK(quarantine_contains(p));
}

/*
 * A small budget's tables are sized at init for the most it can hold
 * (every entry counts at least a word) and never grow, so a reset leaves
 * them as init did: what one run does cannot depend on an earlier, fuller
 * run. (tests/test_audit.c covers a budget too large for that.)
 */
KTEST(tables_sized_at_init_and_kept_by_reset)
{
	dbg_init_cfg(NULL, BUDGET);
	size_t cap0 = quarantine_capacity();
	unsigned int size = kmalloc_slab(8, GFP_KERNEL)->size;
	int held = BUDGET / (int)size, n = held + 300, gone;
	void **p = calloc((size_t)n, sizeof(*p));

	CHECK_EQ(size, sizeof(void *));
	CHECK_EQ(cap0, BUDGET / sizeof(void *) + 1);
	if (!p)
		return;
	/* far more than the 256 entries the old ring started with */
	gone = free_eights_into_quarantine(p, n);
	CHECK_EQ(quarantine_bytes_held(), BUDGET);
	CHECK_EQ(gone, n - held);
	for (int i = n - held; i < n; i++)
		CHECK(quarantine_contains(p[i]));
	CHECK_EQ(quarantine_capacity(), cap0);
	CHECK_VALIDATE_CLEAN();

	kalloc_reset();
	CHECK_EQ(quarantine_capacity(), cap0);
	CHECK_EQ(quarantine_bytes_held(), 0);
	for (int i = 0; i < n; i++)
		CHECK(!quarantine_contains(p[i]));
	CHECK_VALIDATE_CLEAN();

	/* the same run again: the same objects, the same ones let go */
	void **again = calloc((size_t)n, sizeof(*again));

	if (again) {
		CHECK_EQ(free_eights_into_quarantine(again, n), gone);
		CHECK_EQ(memcmp(again, p, (size_t)n * sizeof(*p)), 0);
		CHECK_EQ(quarantine_capacity(), cap0);
		CHECK_VALIDATE_CLEAN();
	}
	free(again);
	free(p);
	CHECK_EQ(ktest_nr_reports, 0);
}

/*
 * A reset that changes the budget keeps the tables when init would make
 * them the same size (and through a budget of 0), never larger ones, and
 * the quarantine then does exactly what a machine started with that budget
 * does: the same objects held, the same ones let go.
 */
KTEST(budget_change_at_reset_keeps_the_tables)
{
	struct kalloc_config cfg;
	unsigned int size;
	int held, n, gone;
	size_t cap0, big_cap;
	void **fresh, **again, *p;

	dbg_init_cfg(NULL, BUDGET);
	cap0 = quarantine_capacity();
	size = kmalloc_slab(8, GFP_KERNEL)->size;
	held = BUDGET / (int)size;
	n = held + 300;
	fresh = calloc((size_t)n, sizeof(*fresh));
	again = calloc((size_t)n, sizeof(*again));
	if (!fresh || !again)
		goto out;
	gone = free_eights_into_quarantine(fresh, n);
	CHECK_EQ(gone, n - held);

	cfg = *kalloc_get_config();
	cfg.quarantine_bytes = 0;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	CHECK(!quarantine_enabled());
	p = kmalloc(8, GFP_KERNEL);
	kfree(p);
	CHECK(!quarantine_contains(p));
	CHECK_EQ(quarantine_bytes_held(), 0);

	cfg.quarantine_bytes = BUDGET;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	CHECK(quarantine_enabled());
	CHECK_EQ(quarantine_capacity(), cap0);
	CHECK_EQ(free_eights_into_quarantine(again, n), gone);
	CHECK_EQ(memcmp(again, fresh, (size_t)n * sizeof(*again)), 0);

	/* a budget whose init tables are larger gets new ones, as init makes
	 * them; another of that size keeps them */
	cfg.quarantine_bytes = 16 * BUDGET;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	big_cap = quarantine_capacity();
	CHECK(big_cap > cap0);
	cfg.quarantine_bytes = 32 * BUDGET;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	CHECK_EQ(quarantine_capacity(), big_cap);
	/* back to the first budget: its own init size again, not the larger
	 * tables (their probe sequences would differ), and the same objects */
	cfg.quarantine_bytes = BUDGET;
	CHECK_EQ(kalloc_reset_config(&cfg), 0);
	CHECK_EQ(quarantine_capacity(), cap0);
	CHECK_EQ(free_eights_into_quarantine(again, n), gone);
	CHECK_EQ(quarantine_bytes_held(), BUDGET);
	CHECK_EQ(memcmp(again, fresh, (size_t)n * sizeof(*again)), 0);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(ktest_nr_reports, 0);
out:
	free(fresh);
	free(again);
}

KTEST(no_budget_no_tables)
{
	ktest_init_default();
	CHECK_EQ(quarantine_capacity(), 0);
	kalloc_reset();
	CHECK_EQ(quarantine_capacity(), 0);
}

/* Shrinking one cache keeps the others' objects, in their order. */
KTEST(shrink_keeps_the_fifo_order_of_other_caches)
{
	dbg_init_cfg(NULL, BUDGET);
	struct kmem_cache *s = kmem_cache_create("q_order", 100, 0, 0, NULL);
	unsigned int held = BUDGET / slot_bytes(), n = held - 8 + 3;
	void *mine[8], *other[8], *fill[600];

	for (int i = 0; i < 8; i++) {
		mine[i] = kmem_cache_alloc(s, GFP_KERNEL);
		other[i] = kmalloc(64, GFP_KERNEL);
	}
	for (int i = 0; i < 8; i++) {
		kmem_cache_free(s, mine[i]);
		kfree(other[i]);
	}
	kmem_cache_shrink(s);
	for (int i = 0; i < 8; i++) {
		CHECK(!quarantine_contains(mine[i]));
		CHECK(quarantine_contains(other[i]));
	}
	CHECK_EQ(quarantine_bytes_held(), 8 * (size_t)slot_bytes());
	CHECK_VALIDATE_CLEAN();
	/* three frees past the budget: the oldest three leave */
	CHECK(n <= 600);
	for (unsigned int i = 0; i < n && i < 600; i++)
		fill[i] = kmalloc(64, GFP_KERNEL);
	for (unsigned int i = 0; i < n && i < 600; i++)
		kfree(fill[i]);
	for (int i = 0; i < 3; i++)
		CHECK(!quarantine_contains(other[i]));
	for (int i = 3; i < 8; i++)
		CHECK(quarantine_contains(other[i]));
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(reclaim_and_shrink_drain_it)
{
	dbg_init_cfg(NULL, BUDGET);
	struct kmem_cache *s = kmem_cache_create("q_cache", 100, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	void *q = kmalloc(64, GFP_KERNEL);

	kmem_cache_free(s, p);
	kfree(q);
	kmem_cache_shrink(s);
	CHECK(!quarantine_contains(p));
	CHECK(quarantine_contains(q));
	kalloc_reclaim(GFP_KERNEL);
	CHECK(!quarantine_contains(q));
	CHECK_EQ(quarantine_bytes_held(), 0);
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(large_kmalloc_quarantined_double_free)
{
	dbg_init_cfg(NULL, 64 * PAGE_SIZE);
	uint8_t *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(p);
	CHECK(quarantine_contains(p));
	kfree(p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "kmalloc: double free of large kmalloc");
	CHECK_VALIDATE_CLEAN();
	kalloc_reclaim(GFP_KERNEL);
	CHECK(!quarantine_contains(p));
	CHECK_VALIDATE_CLEAN();
}
