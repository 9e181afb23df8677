/*
 * SLUB debugging on a kmem_cache: one case per misuse class (FIELD-GUIDE
 * §2), each asserting the exact bug kind, the title and the report count,
 * that kalloc_validate() is clean afterwards, and that the live neighbours
 * kept their byte patterns. Plus the freelist corruptions only validation
 * sees, and what each debug letter does to a cache.
 */
#include "kdebug.h"

#define OBJ_SIZE	40

static struct kmem_cache *my_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("my_cache", OBJ_SIZE, 0, 0,
						 NULL);

	CHECK(s != NULL);
	return s;
}

/* A full slab's worth of patterned neighbours, one of them the victim. */
static void *setup_victim(struct kmem_cache *s, struct neighbours *nb)
{
	int n = (int)oo_objects(s->oo);

	neighbours_cache(nb, s, n, OBJ_SIZE);
	return neighbours_take(nb, n / 2);
}

/* The object is never handed out again: allocate a lot, never see it. */
static void check_never_reused(struct kmem_cache *s, void *victim)
{
	void *got[200];
	int seen = 0;

	for (int i = 0; i < 200; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		seen += got[i] == victim;
	}
	CHECK_EQ(seen, 0);
	for (int i = 0; i < 200; i++)
		kmem_cache_free(s, got[i]);
}

KTEST(debug_flags_from_slab_debug)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();

	CHECK_EQ(s->flags & DEBUG_DEFAULT_FLAGS, DEBUG_DEFAULT_FLAGS);
	CHECK(s->flags & __OBJECT_POISON);
	CHECK(kmem_cache_debug(s));
	CHECK_EQ(s->red_left_pad, sizeof(void *));
	CHECK(freeptr_outside_object(s));
	kmem_cache_destroy(s);
}

KTEST(production_mode_has_no_debug_caches)
{
	ktest_init_default();
	struct kmem_cache *s = my_cache();

	CHECK(!kmem_cache_debug(s));
	CHECK(!kmem_cache_debug(kmalloc_slab(64, GFP_KERNEL)));
	CHECK_EQ(s->red_left_pad, 0);
	kmem_cache_destroy(s);
}

KTEST(object_states_are_marked)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	/* allocated: active red zones, poisoned contents (kernel behaviour) */
	CHECK_EQ(peek(p - 1), SLUB_RED_ACTIVE);
	CHECK_EQ(peek(p + OBJ_SIZE), SLUB_RED_ACTIVE);
	CHECK_EQ(peek(p), POISON_FREE);
	CHECK_EQ(peek(p + OBJ_SIZE - 1), POISON_END);
	kmem_cache_free(s, p);
	/* free: inactive red zones, poison ending in POISON_END */
	CHECK_EQ(peek(p - 1), SLUB_RED_INACTIVE);
	CHECK_EQ(peek(p + OBJ_SIZE), SLUB_RED_INACTIVE);
	CHECK_EQ(peek(p + 7), POISON_FREE);
	CHECK_EQ(peek(p + OBJ_SIZE - 1), POISON_END);
	/* the padding after the metadata */
	CHECK_EQ(peek(p + debug_info_end(s)), POISON_INUSE);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
}

KTEST(tracks_record_caller_cpu_pid_age)
{
	dbg_init("U");
	struct kmem_cache *s = my_cache();
	struct track t;
	void *p;

	kalloc_set_cpu(1);
	kalloc_set_task(4242, "worker");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	get_track_copy(s, p, TRACK_ALLOC, &t);
	CHECK(t.addr != 0);
	CHECK_EQ(t.cpu, 1);
	CHECK_EQ(t.pid, 4242);
	CHECK_EQ(t.when, kalloc_op_count());
	kalloc_set_cpu(0);
	kalloc_set_task(7, "other");
	kmem_cache_free(s, p);
	get_track_copy(s, p, TRACK_FREE, &t);
	CHECK_EQ(t.cpu, 0);
	CHECK_EQ(t.pid, 7);
	kmem_cache_destroy(s);
}

KTEST(oob_write_past_end)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	poke(p + OBJ_SIZE, 0x41);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "[Right Redzone overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x41 instead of 0xcc");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX my_cache: Restoring Right Redzone");
	CHECK_CONTAINS(ktest_reports[0].text, "not freed");
	CHECK_EQ(kalloc_report_count(), 1);
	/* restored */
	CHECK_EQ(peek(p + OBJ_SIZE), SLUB_RED_ACTIVE);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	check_never_reused(s, p);
	neighbours_free(&nb, s);
}

KTEST(oob_write_before_start)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	poke(p - 3, 0x00);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "[Left Redzone overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x0 instead of 0xcc");
	CHECK_EQ(peek(p - 3), SLUB_RED_ACTIVE);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	check_never_reused(s, p);
	neighbours_free(&nb, s);
}

KTEST(use_after_free_write_caught_at_next_alloc)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb), *q;

	kmem_cache_free(s, p);
	poke(p + 5, 0x77);
	/* p is the head of its slab's freelist: the next allocation checks it */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK(q != p);
	CHECK_ONE_REPORT(KALLOC_BUG_POISON, "slab: Poison overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "[Poison overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "First byte 0x77 instead of 0x6b");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX my_cache: Marking all objects used");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	check_never_reused(s, p);
	kmem_cache_free(s, q);
	neighbours_free(&nb, s);
}

KTEST(use_after_free_write_caught_by_validate)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	kmem_cache_free(s, p);
	poke(p + OBJ_SIZE - 1, 0x00);	/* the end-poison byte */
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_POISON, "slab: Poison overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "[End Poison overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "instead of 0xa5");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, s);
}

KTEST(use_after_free_read_sees_poison)
{
	dbg_init("P");
	struct kmem_cache *s = my_cache();
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	memset(p, 0x33, OBJ_SIZE);
	kmem_cache_free(s, p);
	/* the stale data is gone: a reader sees POISON_FREE, not 0x33 */
	CHECK_EQ(peek(p), POISON_FREE);
	CHECK_EQ(peek(p + 20), POISON_FREE);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
}

KTEST(double_free)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);
	void *other = neighbours_take(&nb, 0);

	kmem_cache_free(s, p);
	kmem_cache_free(s, other);	/* p is no longer the freelist head */
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "slab: double free in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "BUG my_cache (Not tainted): Object already free");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	/* p is on the freelist once: two allocations cannot both get it */
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a != b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	CHECK_VALIDATE_CLEAN();
	neighbours_free(&nb, s);
}

KTEST(double_free_immediately)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_DOUBLE_FREE, "slab: double free in my_cache");
	CHECK_VALIDATE_CLEAN();
	kmem_cache_destroy(s);
}

KTEST(invalid_free_of_interior_pointer)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	kmem_cache_free(s, p + 8);
	CHECK_ONE_REPORT(KALLOC_BUG_INVALID_FREE,
			 "slab: invalid free in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "Invalid object pointer 0x");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	/* p itself is still live and can be freed properly */
	ktest_capture_clear();
	kmem_cache_free(s, p);
	CHECK_EQ(ktest_nr_reports, 0);
	neighbours_free(&nb, s);
}

KTEST(invalid_free_to_wrong_cache)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct kmem_cache *t = kmem_cache_create("other_cache", 40, 0, 0, NULL);
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	kmem_cache_free(t, p);
	CHECK_ONE_REPORT(KALLOC_BUG_CACHE_MISMATCH,
			 "slab: cache mismatch in other_cache");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, s);
	kmem_cache_destroy(t);
}

KTEST(corrupted_free_pointer_caught_at_alloc)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb), *q;

	kmem_cache_free(s, p);
	/* a write just past the right red zone hits the free pointer */
	poke_word(p + s->offset, 0xdeadbeefUL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK(q != p);
	CHECK_ONE_REPORT(KALLOC_BUG_FREEPTR, "slab: Freepointer corrupt in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "Marking all objects used");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	check_never_reused(s, p);
	kmem_cache_free(s, q);
	neighbours_free(&nb, s);
}

KTEST(corrupted_freechain_caught_by_validate)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	void *a, *b, *c;

	neighbours_cache(&nb, s, (int)oo_objects(s->oo), OBJ_SIZE);
	a = neighbours_take(&nb, 1);
	b = neighbours_take(&nb, 2);
	c = neighbours_take(&nb, 3);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);	/* freelist: c -> b -> a */
	poke_word((uint8_t *)b + s->offset, 0x1234);
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_FREELIST, "slab: Freechain corrupt in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "Freechain corrupt");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	/* the cut-off object is out of circulation, the rest still works */
	check_never_reused(s, a);
	neighbours_free(&nb, s);
}

KTEST(freelist_cycle_caught_by_validate)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	struct slab *slab;
	void *a, *b;

	neighbours_cache(&nb, s, (int)oo_objects(s->oo), OBJ_SIZE);
	a = neighbours_take(&nb, 1);
	b = neighbours_take(&nb, 2);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);	/* b -> a */
	slab = virt_to_slab(a);
	set_freepointer(s, a, b);	/* b -> a -> b ... */
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_FREELIST,
			 "slab: Freelist cycle detected in my_cache");
	CHECK(slab->freelist == NULL);
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, s);
}

KTEST(wrong_object_count_caught_by_validate)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);

	slab->inuse++;
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_FREELIST, "slab: Wrong object count in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "Object count adjusted");
	CHECK_VALIDATE_CLEAN();
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

KTEST(wrong_number_of_objects_caught_by_validate)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	struct slab *slab;

	/* a full slab: nothing on its freelist to trip over */
	neighbours_cache(&nb, s, (int)oo_objects(s->oo), OBJ_SIZE);
	slab = virt_to_slab(nb.obj[0]);
	CHECK(slab->freelist == NULL);
	slab->objects--;
	slab->inuse--;
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_FREELIST,
			 "slab: Wrong number of objects in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "Number of objects adjusted");
	CHECK_EQ(slab->objects, oo_objects(s->oo));
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(object_padding_overwritten)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	struct neighbours nb;
	uint8_t *p = setup_victim(s, &nb);

	poke(p + debug_info_end(s), 0x99);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_PADDING,
			 "slab: Object padding overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "[Object padding overwritten]");
	CHECK_CONTAINS(ktest_reports[0].text, "instead of 0x5a");
	CHECK_VALIDATE_CLEAN();
	CHECK_EQ(neighbours_damaged(&nb), 0);
	neighbours_free(&nb, s);
}

KTEST(slab_tail_padding_overwritten)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);
	uint8_t *end = (uint8_t *)slab_address(slab) + slab_size(slab);

	CHECK(slab_size(slab) % s->size != 0);
	poke(end - 1, 0x00);
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_ONE_REPORT(KALLOC_BUG_PADDING, "slab: Padding overwritten in my_cache");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX my_cache: Restoring slab padding");
	CHECK_VALIDATE_CLEAN();
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

KTEST(destroy_with_live_objects)
{
	dbg_init("FZPU");
	struct kmem_cache *s = my_cache();
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	void *q = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_destroy(s);
	CHECK_ONE_REPORT(KALLOC_BUG_LEAK,
			 "slab: objects remaining in my_cache on kmem_cache_destroy");
	CHECK_CONTAINS(ktest_reports[0].text, "Objects remaining");
	/* the cache is kept, and its objects are intact */
	CHECK_VALIDATE_CLEAN();
	kmem_cache_free(s, p);
	kmem_cache_free(s, q);
	CHECK_EQ(ktest_nr_reports, 0);
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(flags_given_to_kmem_cache_create_work_alike)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("flagged", OBJ_SIZE, 0,
				SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	CHECK(kmem_cache_debug(s));
	poke(p + OBJ_SIZE, 0x01);
	kmem_cache_free(s, p);
	CHECK_ONE_REPORT(KALLOC_BUG_REDZONE, "slab: Redzone overwritten in flagged");
	CHECK_VALIDATE_CLEAN();
}

KTEST(per_cache_list_debugs_only_that_cache)
{
	dbg_init("FZ,my_cache");
	struct kmem_cache *s = my_cache();
	struct kmem_cache *t = kmem_cache_create("plain", OBJ_SIZE, 0, 0, NULL);

	CHECK(kmem_cache_debug(s));
	CHECK(!kmem_cache_debug(t));
	CHECK(!kmem_cache_debug(kmalloc_slab(64, GFP_KERNEL)));
	kmem_cache_destroy(t);
	kmem_cache_destroy(s);
}

KTEST(trace_logs_allocs_and_frees)
{
	dbg_init("T,my_cache");
	struct kmem_cache *s = my_cache();
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	CHECK_CONTAINS(ktest_log, "TRACE my_cache alloc 0x");
	kmem_cache_free(s, p);
	CHECK_CONTAINS(ktest_log, "TRACE my_cache free 0x");
	CHECK_CONTAINS(ktest_log, "Object ");
	kmem_cache_destroy(s);
}

static int ctor_calls;

static void ctor42(void *p)
{
	memset(p, 0x42, OBJ_SIZE);
	ctor_calls++;
}

KTEST(ctor_caches_are_not_poisoned)
{
	dbg_init("FZPU");
	struct kmem_cache *s = kmem_cache_create("ctor_cache", OBJ_SIZE, 0, 0, ctor42);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	CHECK(!(s->flags & __OBJECT_POISON));
	CHECK_EQ(p[0], 0x42);
	CHECK_EQ(p[OBJ_SIZE - 1], 0x42);
	kmem_cache_free(s, p);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(p[0], 0x42);
	CHECK(ctor_calls > 0);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_VALIDATE_CLEAN();
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}
