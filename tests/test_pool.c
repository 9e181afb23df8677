/*
 * kalloc_switch() and the pool of machines set aside by layout: a machine
 * that comes back is the one kalloc_init() builds (same free pages, same
 * caches and free lists, same addresses), whatever it ran before it left;
 * machines of one size keep their own memory; evicting one leaves the
 * others whole; kalloc_release_memory() tears the pool down.
 */
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "internal.h"

#define MiB (1UL << 20)

static struct kalloc_config layout(size_t mem, unsigned int ncpus,
				   const char *slab_debug)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = mem;
	cfg.ncpus = ncpus;
	cfg.slab_debug = slab_debug;
	cfg.vmalloc_bytes = 2 * mem;
	cfg.continue_on_report = true;
	return cfg;
}

/* /proc/buddyinfo and /proc/slabinfo of the running machine, malloc()ed. */
static char *machine_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	kalloc_buddyinfo(f);
	kalloc_slabinfo(f);
	fclose(f);
	return text;
}

/* Objects, pages and an area left live, as a fuzz input leaves them. */
static void leave_work_behind(void)
{
	for (size_t size = 8; size <= 8192; size *= 2)
		CHECK(kmalloc(size + 1, GFP_KERNEL) != NULL);
	CHECK(alloc_pages(GFP_KERNEL, 3) != NULL);
	CHECK(vmalloc(5 * PAGE_SIZE) != NULL);
	CHECK(kmem_cache_create("pool_test", 48, 0, 0, NULL) != NULL);
}

/* Slabs freed and reclaimed give every page back: reclaim still works. */
static void check_reclaim_gives_back_everything(void)
{
	void *p[64];

	for (int i = 0; i < 64; i++) {
		p[i] = kmalloc(200, GFP_KERNEL);
		CHECK(p[i] != NULL);
	}
	for (int i = 0; i < 64; i++)
		kfree(p[i]);
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(nr_free_pages(), kalloc_init_free_pages());
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(pooled_machine_comes_back_as_init_built_it)
{
	struct kalloc_config a = layout(8 * MiB, 1, NULL);
	struct kalloc_config b = layout(8 * MiB, 2, "FZPU");
	void *start, *first_start;
	char *fresh, *back;

	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_NEW);
	fresh = machine_text();
	kalloc_linear_range(&first_start, NULL);
	leave_work_behind();
	CHECK(nr_free_pages() < kalloc_init_free_pages());

	CHECK_EQ(kalloc_switch(&b), KALLOC_SWITCH_NEW);
	leave_work_behind();
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_POOLED);
	CHECK(kalloc_get_config()->slab_debug == NULL);
	CHECK_EQ(kalloc_get_config()->ncpus, 1);
	CHECK_EQ(nr_free_pages(), kalloc_init_free_pages());
	back = machine_text();
	CHECK_STR(back, fresh);
	kalloc_linear_range(&start, NULL);
	CHECK(start == first_start);
	CHECK_EQ(kalloc_validate(), 0);
	check_reclaim_gives_back_everything();

	/* the same layout again is a reset, knobs and all */
	a.init_on_free = true;
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_RESET);
	CHECK(kalloc_get_config()->init_on_free);
	free(fresh);
	free(back);
	kalloc_fini();
	kalloc_release_memory();
}

KTEST(machines_of_one_size_keep_their_own_memory)
{
	struct kalloc_config a = layout(4 * MiB, 1, NULL);
	struct kalloc_config b = layout(4 * MiB, 1, "P");
	void *a_lin, *a_vm, *b_lin, *b_vm, *lin, *vm;

	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_NEW);
	kalloc_linear_range(&a_lin, NULL);
	kalloc_vmalloc_range(&a_vm, NULL);
	CHECK_EQ(kalloc_switch(&b), KALLOC_SWITCH_NEW);
	kalloc_linear_range(&b_lin, NULL);
	kalloc_vmalloc_range(&b_vm, NULL);
	CHECK(a_lin != b_lin);
	CHECK(a_vm != b_vm);
	CHECK(!((char *)b_lin < (char *)a_lin + 4 * MiB &&
		(char *)a_lin < (char *)b_lin + 4 * MiB));
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_POOLED);
	kalloc_linear_range(&lin, NULL);
	kalloc_vmalloc_range(&vm, NULL);
	CHECK(lin == a_lin);
	CHECK(vm == a_vm);
	CHECK_EQ(kalloc_switch(&b), KALLOC_SWITCH_POOLED);
	kalloc_linear_range(&lin, NULL);
	CHECK(lin == b_lin);
	kalloc_fini();
	kalloc_release_memory();
}

/*
 * More layouts than the pool holds: the oldest are torn down on the way,
 * and every machine that comes back, pooled or new, still reclaims and
 * validates (a machine's registrations, such as the slab layer's cache
 * shrinker, are its own and survive the teardown of another).
 */
KTEST(evicting_a_machine_leaves_the_others_whole)
{
	static const char *const debug[] = { NULL, "FZPU", "P", "Z" };
	struct kalloc_config cfg[12];
	int pooled = 0, rebuilt = 0;

	for (unsigned int i = 0; i < 12; i++)
		cfg[i] = layout(i < 6 ? 4 * MiB : 8 * MiB, 1 + i % 3,
				debug[(i / 3) % 4]);
	for (unsigned int i = 0; i < 12; i++) {
		CHECK_EQ(kalloc_switch(&cfg[i]), KALLOC_SWITCH_NEW);
		leave_work_behind();
	}
	/* back from the other end: the last one is still running */
	for (unsigned int i = 11; i-- > 0;) {
		int how = kalloc_switch(&cfg[i]);

		CHECK(how == KALLOC_SWITCH_POOLED || how == KALLOC_SWITCH_NEW);
		pooled += how == KALLOC_SWITCH_POOLED;
		rebuilt += how == KALLOC_SWITCH_NEW;
		CHECK_EQ(nr_free_pages(), kalloc_init_free_pages());
		check_reclaim_gives_back_everything();
		leave_work_behind();
	}
	/* the most recent ones were kept, the oldest were not */
	CHECK(pooled > 0);
	CHECK(rebuilt > 0);
	kalloc_fini();
	kalloc_release_memory();
}

KTEST(release_memory_empties_the_pool)
{
	struct kalloc_config a = layout(4 * MiB, 1, NULL);
	struct kalloc_config b = layout(4 * MiB, 2, NULL);

	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_NEW);
	CHECK_EQ(kalloc_switch(&b), KALLOC_SWITCH_NEW);
	/* the running machine stays; the pooled one goes */
	kalloc_release_memory();
	CHECK(kalloc_get_config() != NULL);
	CHECK_EQ(kalloc_get_config()->ncpus, 2);
	check_reclaim_gives_back_everything();
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_NEW);
	kalloc_fini();
	kalloc_release_memory();
}

KTEST(switch_rejects_a_bad_configuration)
{
	struct kalloc_config a = layout(4 * MiB, 1, NULL);
	struct kalloc_config bad = layout(4 * MiB, 1, NULL);

	bad.ncpus = KALLOC_MAX_CPUS + 1;
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_NEW);
	CHECK(kalloc_switch(&bad) < 0);
	CHECK(kalloc_get_config() == NULL);
	/* the machine that was running was set aside, not lost */
	CHECK_EQ(kalloc_switch(&a), KALLOC_SWITCH_POOLED);
	check_reclaim_gives_back_everything();
	kalloc_fini();
	kalloc_release_memory();
}
