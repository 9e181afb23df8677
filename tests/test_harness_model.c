/*
 * The harness's shadow model and oracle: patterns and zero checks catch a
 * single changed byte, slab_debug is applied per cache as the kernel does,
 * and the oracle bites: bugs planted between ops
 * (a corrupted live object, a page freed behind the model's back, a double
 * free, a leak) each end the run with their title, while correct programs,
 * including ones that exhaust memory, run clean and deterministically.
 * Reclaim runs only for masks that allow it and shrinkers see the
 * caller's GFP. The zones and the must-succeed / must-fail tests:
 * test_harness_zones.c.
 */
#include "ktest.h"

#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "ops.h"
#include "run.h"

/* ------------------------------------------------------------------ */
/* Running a program in a child and capturing its stderr               */
/* ------------------------------------------------------------------ */

struct outcome {
	int status;
	char err[8192];
};

struct planted {
	unsigned int after_op;
	void (*fn)(void);
};

static void plant_hook(unsigned int op_index, void *arg)
{
	const struct planted *p = arg;

	if (op_index == p->after_op)
		p->fn();
}

struct program_child {
	const struct sf_profile *prof;
	const struct sf_program *prog;
	const struct planted *plant;
};

static void program_child(void *arg)
{
	const struct program_child *c = arg;

	if (c->plant)
		sf_set_op_hook(plant_hook, (void *)c->plant);
	sf_run_program(c->prof, c->prog);
	sf_shutdown();
}

static void run_child(const struct sf_profile *prof, const char *text,
		      const struct planted *plant, struct outcome *out)
{
	static struct sf_program prog;
	struct program_child c = { prof, &prog, plant };
	char perr[256];

	memset(out, 0, sizeof(*out));
	if (sf_parse(text, &prog, perr, sizeof(perr))) {
		ktest_fail(__FILE__, __LINE__, "program does not parse: %s", perr);
		return;
	}
	out->status = ktest_run_child(program_child, &c, out->err, sizeof(out->err));
	if (out->status == -1)
		abort();
}

static bool aborted(const struct outcome *o)
{
	return WIFSIGNALED(o->status) && WTERMSIG(o->status) == SIGABRT;
}

static bool clean(const struct outcome *o)
{
	return WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0 && !o->err[0];
}

/* ------------------------------------------------------------------ */
/* Patterns                                                            */
/* ------------------------------------------------------------------ */

KTEST(pattern_catches_any_changed_byte)
{
	static uint8_t buf[4000];

	sf_pattern_fill(buf, sizeof(buf), 17);
	CHECK_EQ(sf_pattern_check(buf, sizeof(buf), sizeof(buf), 17), SIZE_MAX);
	CHECK(sf_pattern_check(buf, sizeof(buf), sizeof(buf), 18) != SIZE_MAX);
	for (size_t off = 0; off < sizeof(buf); off += 37) {
		buf[off] ^= 0x20;
		CHECK_EQ(sf_pattern_check(buf, sizeof(buf), sizeof(buf), 17), off);
		/* limited to the bytes before it, the change is not seen */
		CHECK_EQ(sf_pattern_check(buf, sizeof(buf), off, 17), SIZE_MAX);
		buf[off] ^= 0x20;
	}
}

KTEST(pattern_catches_shifted_copies)
{
	static uint8_t a[9000], b[9000];

	sf_pattern_fill(a, sizeof(a), 5);
	memcpy(b, a + 1, sizeof(a) - 1);
	CHECK(sf_pattern_check(b, sizeof(b) - 1, sizeof(b) - 1, 5) != SIZE_MAX);
	memcpy(b, a + PAGE_SIZE, sizeof(a) - PAGE_SIZE);
	CHECK(sf_pattern_check(b, sizeof(a) - PAGE_SIZE, sizeof(a) - PAGE_SIZE, 5) != SIZE_MAX);
}

KTEST(large_objects_are_sampled)
{
	size_t len = 1 << 20;
	uint8_t *buf = calloc(1, len);

	sf_pattern_fill(buf, len, 99);
	CHECK_EQ(sf_pattern_check(buf, len, len, 99), SIZE_MAX);
	for (size_t page = 0; page < len; page += 16 * PAGE_SIZE) {
		buf[page + 3] ^= 1;
		CHECK_EQ(sf_pattern_check(buf, len, len, 99), page + 3);
		buf[page + 3] ^= 1;
	}
	buf[len - 1] ^= 1;
	CHECK_EQ(sf_pattern_check(buf, len, len, 99), len - 1);
	free(buf);
}

KTEST(zero_check)
{
	static uint8_t buf[200000];
	size_t small = 60000;

	/* up to 64 KiB every byte is checked */
	CHECK_EQ(sf_zero_check(buf, small), SIZE_MAX);
	buf[5000] = 1;
	CHECK_EQ(sf_zero_check(buf, small), 5000);
	buf[5000] = 0;
	buf[small - 1] = 0x80;
	CHECK_EQ(sf_zero_check(buf, small), small - 1);
	buf[small - 1] = 0;
	/* beyond: the head, the tail and the start of every 16th page */
	CHECK_EQ(sf_zero_check(buf, sizeof(buf)), SIZE_MAX);
	buf[16 * PAGE_SIZE + 1] = 2;
	CHECK_EQ(sf_zero_check(buf, sizeof(buf)), 16 * PAGE_SIZE + 1);
	buf[16 * PAGE_SIZE + 1] = 0;
	buf[sizeof(buf) - 1] = 3;
	CHECK_EQ(sf_zero_check(buf, sizeof(buf)), sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
}

/* ------------------------------------------------------------------ */
/* The oracle bites                                                    */
/* ------------------------------------------------------------------ */

static void corrupt_kmalloc_object(void)
{
	char *p = sf_object(SF_K_KMALLOC, 0, NULL);

	p[10] ^= 0xff;
}

KTEST(corrupted_live_object_is_a_finding)
{
	/* the validation after the first op sees it */
	struct planted plant = { 0, corrupt_kmalloc_object };
	struct outcome o;

	run_child(&sf_profile_kmalloc,
		  "kmalloc 64 GFP_KERNEL\nkmalloc 64 GFP_KERNEL\nkfree @1\n", &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: pattern damaged in kmalloc-64 at op kmalloc\n");
	CHECK_CONTAINS(o.err, "byte 10 is");
	CHECK_CONTAINS(o.err, "at op 0: kmalloc 64 GFP_KERNEL");
}

static void free_page_behind_the_model(void)
{
	size_t size;
	void *p = sf_object(SF_K_PAGES, 0, &size);

	free_pages((unsigned long)p, 0);
}

KTEST(memory_handed_out_twice_is_an_overlap)
{
	/* planted after op 9, where no validation follows (it would read
	 * the freed page, and ASan would report that first) */
	struct planted plant = { 9, free_page_behind_the_model };
	struct outcome o;

	run_child(&sf_profile_buddy,
		  "set_cpu 0\nset_cpu 0\nset_cpu 0\nset_cpu 0\nset_cpu 0\n"
		  "set_cpu 0\nset_cpu 0\nset_cpu 0\nset_cpu 0\n"
		  "alloc_pages 0 GFP_KERNEL\nalloc_pages 0 GFP_KERNEL\n", &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: overlap pages with pages at op alloc_pages\n");
}

static void double_free_behind_the_model(void)
{
	void *p = sf_object(SF_K_PAGES, 0, NULL);

	free_pages((unsigned long)p, 0);
	free_pages((unsigned long)p, 0);
}

KTEST(allocator_report_is_a_finding)
{
	struct planted plant = { 0, double_free_behind_the_model };
	struct outcome o;

	run_child(&sf_profile_buddy, "alloc_pages 0 GFP_KERNEL\n", &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: kalloc: page: double free\n");
	CHECK_CONTAINS(o.err, "BUG: Bad page state");
}

static void leak_a_page(void)
{
	CHECK(alloc_pages(GFP_KERNEL, 2) != NULL);
}

KTEST(leaked_pages_are_a_finding)
{
	struct planted plant = { 0, leak_a_page };
	struct outcome o;

	run_child(&sf_profile_buddy, "validate\n", &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: pages leaked at op end\n");
}

/* ------------------------------------------------------------------ */
/* Reclaim: only for masks that allow it, with the caller's GFP        */
/* ------------------------------------------------------------------ */

/* Memory full of pool pages: every request that may reclaim gets them
 * back, every one that may not fails without a report. */
KTEST(pool_pressure_runs_clean)
{
	char prog[4096];
	size_t n = 0;
	struct outcome o;

	n += (size_t)snprintf(prog + n, sizeof(prog) - n, "config mem=4M\n");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(prog + n, sizeof(prog) - n, "pool_alloc 8 GFP_KERNEL\n");
	n += (size_t)snprintf(prog + n, sizeof(prog) - n,
		"alloc_pages 3 GFP_ATOMIC\nalloc_pages 0 GFP_NOWAIT\nreclaim GFP_ATOMIC\n"
		"reclaim GFP_NOWAIT\nalloc_pages 9 GFP_KERNEL\npool_alloc 8 GFP_NOIO\n"
		"pool_alloc 8 GFP_NOFS\nalloc_pages 9 GFP_NOFS\nreclaim GFP_NOFS\n");
	run_child(&sf_profile_buddy, prog, NULL, &o);
	CHECK(clean(&o));
	if (!clean(&o))
		fprintf(stderr, "%s", o.err);
}

static void reclaim_atomic(void)
{
	/* no shrinker may run, nothing may come back */
	if (kalloc_reclaim(GFP_ATOMIC) || kalloc_reclaim(GFP_NOWAIT))
		abort();
}

KTEST(reclaim_without_direct_reclaim_does_nothing)
{
	struct planted plant = { 1, reclaim_atomic };
	struct outcome o;

	run_child(&sf_profile_buddy, "pool_alloc 2 GFP_KERNEL\npool_alloc 0 GFP_ATOMIC\n",
		  &plant, &o);
	CHECK(clean(&o));
}

static void reclaim_with_other_gfp(void)
{
	kalloc_reclaim(GFP_NOFS);
}

KTEST(shrinker_sees_the_callers_gfp)
{
	/* after a GFP_KERNEL op, a reclaim pass for GFP_NOFS is not the
	 * request's: the pool shrinker reports it */
	struct planted plant = { 0, reclaim_with_other_gfp };
	struct outcome o;

	run_child(&sf_profile_buddy, "pool_alloc 2 GFP_KERNEL\n", &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: shrink_control without the caller's GFP at op pool_alloc\n");
}

static void reclaim_for_kernel(void)
{
	kalloc_reclaim(GFP_KERNEL);
}

KTEST(shrinker_call_for_a_mask_without_reclaim_is_a_finding)
{
	/* a reclaim pass while a GFP_ATOMIC request is being served: no
	 * shrinker may run for it */
	struct planted plant = { 1, reclaim_for_kernel };
	struct outcome o;

	run_child(&sf_profile_buddy, "pool_alloc 2 GFP_KERNEL\npool_alloc 0 GFP_ATOMIC\n",
		  &plant, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: shrinker called for a GFP mask "
		       "that forbids reclaim at op pool_alloc\n");
}

/* The checks on a fresh allocation, fed a page holding garbage. */
static void fn_child(void *arg)
{
	void (*const *fn)(void) = arg;

	(*fn)();
}

static void run_fn_child(void (*fn)(void), struct outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->status = ktest_run_child(fn_child, &fn, out->err, sizeof(out->err));
	if (out->status == -1)
		abort();
}

static struct sf_newobj garbage_page(void)
{
	struct page *pg;
	struct sf_newobj n;
	void *s, *e;

	/* a machine of the child's own: the arena is shared with the parent */
	ktest_init_default();
	sf_model_reset();
	kalloc_linear_range(&s, &e);
	sf.lin_start = (uintptr_t)s;
	sf.lin_end = (uintptr_t)e;
	sf.op_name = "alloc_pages";
	pg = alloc_pages(GFP_KERNEL, 0);
	memset(page_address(pg), 0x33, PAGE_SIZE);
	sf_newobj_init(&n, SF_K_PAGES, page_address(pg), PAGE_SIZE, "pages");
	n.page = pg;
	n.align = PAGE_SIZE;
	return n;
}

static void not_zeroed(void)
{
	struct sf_newobj n = garbage_page();

	n.zero_from = 0;
	sf_obj_new(&n);
}

static void ctor_not_run(void)
{
	struct sf_newobj n = garbage_page();

	n.ctor = true;
	n.cache = 3;
	sf_obj_new(&n);
}

static void misaligned(void)
{
	struct sf_newobj n = garbage_page();

	n.ptr = (char *)n.ptr + 8;
	n.size = n.extent = 64;
	n.align = 64;
	sf_obj_new(&n);
}

static void out_of_range(void)
{
	static char outside[64];
	struct sf_newobj n = garbage_page();

	n.ptr = outside;
	n.size = n.extent = sizeof(outside);
	sf_obj_new(&n);
}

static void lost_data(void)
{
	struct sf_newobj n = garbage_page();

	n.keep_size = 100;
	n.keep_len = 50;
	n.keep_seed = 7;
	sf_obj_new(&n);
}

KTEST(fresh_allocation_checks_bite)
{
	struct outcome o;

	run_fn_child(not_zeroed, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: not zeroed pages at op alloc_pages\n");
	CHECK_CONTAINS(o.err, "byte 0 is 0x33");
	run_fn_child(ctor_not_run, &o);
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: ctor not run in pages at op alloc_pages\n");
	run_fn_child(misaligned, &o);
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: misaligned pages at op alloc_pages\n");
	run_fn_child(out_of_range, &o);
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: out of range pages at op alloc_pages\n");
	run_fn_child(lost_data, &o);
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: lost data in pages at op alloc_pages\n");
}

KTEST(correct_programs_run_clean)
{
	struct outcome o;

	run_child(&sf_profile_mixed,
		  "config mem=8M cpus=2 debug=FZPU quarantine=64K\n"
		  "kmalloc 64 GFP_KERNEL\nkzalloc 9000 GFP_KERNEL\n"
		  "kmem_cache_create 40 8 ctor\nkmem_cache_alloc @2 GFP_KERNEL\n"
		  "alloc_pages 3 GFP_KERNEL|__GFP_COMP\nvmalloc 20000\n"
		  "krealloc @0 200 GFP_KERNEL\nset_cpu 1\nkfree @1\n", NULL, &o);
	CHECK(clean(&o));
	if (!clean(&o))
		fprintf(stderr, "%s", o.err);
}

KTEST(exhausting_memory_is_not_a_finding)
{
	struct outcome o;
	char text[4096];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "config mem=4M cpus=1\n");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "kmalloc 1048576 GFP_KERNEL\nvmalloc 524288\n"
				      "alloc_pages 7 GFP_ATOMIC\nkmalloc 4096 GFP_NOWAIT\n"
				      "kvmalloc 65536 GFP_KERNEL\n");
	run_child(&sf_profile_mixed, text, NULL, &o);
	CHECK(clean(&o));
	if (!clean(&o))
		fprintf(stderr, "%s", o.err);
}

KTEST(same_program_same_digest)
{
	static struct sf_program p1, p2;
	char err[256];
	uint64_t d1, d2, d3;

	ktest_capture_stop();
	CHECK_EQ(sf_parse("config mem=8M cpus=2 random=on\nkmalloc 64 GFP_KERNEL\n"
			  "kmem_cache_create 40 0 0\nkmem_cache_alloc_bulk @1 9 GFP_KERNEL\n"
			  "vmalloc 9000\nalloc_pages 2 GFP_KERNEL\nkfree @0\n",
			  &p1, err, sizeof(err)), 0);
	CHECK_EQ(sf_parse("config mem=8M cpus=2 random=on\nkmalloc 96 GFP_KERNEL\n",
			  &p2, err, sizeof(err)), 0);
	sf_run_program(&sf_profile_mixed, &p1);
	d1 = sf_last_digest();
	sf_run_program(&sf_profile_mixed, &p2);
	d3 = sf_last_digest();
	sf_run_program(&sf_profile_mixed, &p1);
	d2 = sf_last_digest();
	CHECK(d1 == d2);
	CHECK(d1 != d3);
	CHECK_EQ(sf_last_ops(), 6);
	sf_shutdown();
}

/* Sizes of the live kmalloc objects after each op, by op index. */
static uint64_t live_sizes[8][8];
static void record_live(unsigned int op_index, void *arg)
{
	(void)arg;
	if (op_index >= 8)
		return;
	for (unsigned int i = 0; i < 8; i++) {
		size_t size = 0;

		live_sizes[op_index][i] = sf_object(SF_K_KMALLOC, i, &size) ? size : 0;
	}
}

static bool live_has(unsigned int op_index, uint64_t size)
{
	for (unsigned int i = 0; i < 8; i++)
		if (live_sizes[op_index][i] == size)
			return true;
	return false;
}

/* At run time a handle frees the object its op made, wherever other ops
 * are inserted or removed. */
KTEST(handles_follow_their_op_at_run_time)
{
	static struct sf_program p;
	char err[256];

	ktest_capture_stop();
	sf_set_op_hook(record_live, NULL);
	CHECK_EQ(sf_parse("kmalloc 100 GFP_KERNEL\nkmalloc 200 GFP_KERNEL\nkfree @0\n",
			  &p, err, sizeof(err)), 0);
	sf_run_program(&sf_profile_kmalloc, &p);
	CHECK(!live_has(2, 100) && live_has(2, 200));
	/* another kmalloc before the kfree, and one before everything */
	CHECK_EQ(sf_parse("kmalloc 50 GFP_KERNEL\nkmalloc 100 GFP_KERNEL\n"
			  "kmalloc 200 GFP_KERNEL\nkmalloc 300 GFP_KERNEL\nkfree @1\n",
			  &p, err, sizeof(err)), 0);
	sf_run_program(&sf_profile_kmalloc, &p);
	CHECK(!live_has(4, 100));
	CHECK(live_has(4, 50) && live_has(4, 200) && live_has(4, 300));
	/* the maker gone: @last, the newest live one */
	CHECK_EQ(sf_parse("kmalloc 100 GFP_KERNEL\nkmalloc 200 GFP_KERNEL\nkfree @last\n",
			  &p, err, sizeof(err)), 0);
	sf_run_program(&sf_profile_kmalloc, &p);
	CHECK(live_has(2, 100) && !live_has(2, 200));
	sf_set_op_hook(NULL, NULL);
	sf_shutdown();
}

KTEST(profiles_by_name)
{
	CHECK(sf_profile_by_name("fuzz_misuse") == &sf_profile_misuse);
	CHECK(sf_profile_by_name("fuzz_buddy") == &sf_profile_buddy);
	CHECK(sf_profile_by_name("fuzz_nothing") == NULL);
	CHECK(sf_profile_runs_misuse(&sf_profile_misuse));
	CHECK(!sf_profile_runs_misuse(&sf_profile_mixed));
	/* a narrow target skips other layers' ops */
	CHECK(!(sf_profile_buddy.groups & (1u << sf_ops[SF_OP_KMALLOC].group)));
	CHECK(sf_profile_buddy.groups & (1u << sf_ops[SF_OP_ALLOC_PAGES].group));
}

/* harness/targets.txt (as CMake read it) names exactly the profiles. */
KTEST(targets_list_matches_profiles)
{
	char list[] = SF_TARGET_LIST, *save = NULL;
	unsigned int n = 0;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct sf_profile *p = sf_profile_by_name(t);

		CHECK(p != NULL);
		if (!p)
			fprintf(stderr, "targets.txt: %s has no profile\n", t);
		n++;
	}
	CHECK_EQ(n, sf_nr_profiles);
	for (unsigned int i = 0; i < sf_nr_profiles; i++) {
		CHECK(sf_profiles[i]->scope && *sf_profiles[i]->scope);
		CHECK(sf_profiles[i]->groups & SF_GROUP(COMMON));
	}
}

/* Every op table row has an exec function; misuse rows are the MISUSE group. */
KTEST(exec_table_complete)
{
	for (unsigned int i = 0; i < SF_NR_OPS; i++) {
		CHECK(sf_exec_table[i].exec != NULL);
		CHECK(sf_ops[i].group < SF_NR_GROUPS);
		CHECK_EQ(sf_op_is_misuse(i), sf_ops[i].group == SF_G_MISUSE);
	}
	CHECK(sf_exec_table[SF_OP_KMALLOC].allocates);
	CHECK(!sf_exec_table[SF_OP_KFREE].allocates);
	CHECK_EQ(sf_ops[SF_OP_VALIDATE].nargs, 0);
	CHECK_EQ(sf_ops[SF_OP_KREALLOC_ARRAY].nargs, 4);
	CHECK_EQ(sf_ops[SF_OP_KREALLOC_ARRAY].arg[3], SF_ARG_GFP);
}

/* The page-reference and bulk double-free misuse: each is reported, in
 * the kernel's words, inside its window. */
struct seen_reports {
	unsigned int n;
	enum kalloc_bug bug[8];
	char text[8][1024];
};

static void collect_report(const struct kalloc_report *r, void *arg)
{
	struct seen_reports *s = arg;

	if (s->n < 8) {
		s->bug[s->n] = r->bug;
		snprintf(s->text[s->n], sizeof(s->text[0]), "%s\n%s",
			 r->title ? r->title : "", r->text ? r->text : "");
	}
	s->n++;
}

KTEST(page_ref_and_bulk_misuse_in_kernel_words)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct seen_reports seen = { 0 };
	struct kmem_cache *c;
	struct page *pg, *tail;
	void *p[3];

	cfg.slab_debug = "FZPU";
	ktest_init(cfg);
	kalloc_set_report_handler(collect_report, &seen);
	/* put_page on a freed page */
	pg = alloc_pages(GFP_KERNEL, 0);
	__free_pages(pg, 0);
	put_page(pg);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen.bug[0], KALLOC_BUG_DOUBLE_FREE);
	CHECK_CONTAINS(seen.text[0], "BUG: Bad page state");
	CHECK_CONTAINS(seen.text[0], "page_ref_count(page) == 0");
	/* one reference dropped too many through a tail page, then the
	 * owner's free */
	pg = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	tail = pfn_to_page(page_to_pfn(pg) + 1);
	get_page(tail);
	put_page(tail);
	put_page(tail);
	CHECK_EQ(seen.n, 1);	/* the underflow itself looks like a last put */
	__free_pages(pg, 2);
	CHECK_EQ(seen.n, 2);
	CHECK_EQ(seen.bug[1], KALLOC_BUG_DOUBLE_FREE);
	CHECK_CONTAINS(seen.text[1], "BUG: Bad page state");
	/* the same object twice in kmem_cache_free_bulk */
	c = kmem_cache_create("bulk_twice", 72, 0, 0, NULL);
	p[0] = kmem_cache_alloc(c, GFP_KERNEL);
	p[1] = kmem_cache_alloc(c, GFP_KERNEL);
	p[2] = p[1];
	kmem_cache_free_bulk(c, 3, p);
	CHECK_EQ(seen.n, 3);
	CHECK_EQ(seen.bug[2], KALLOC_BUG_DOUBLE_FREE);
	/* KASAN's check comes first in an ASan build, as in the kernel */
	CHECK(strstr(seen.text[2], "BUG: KASAN: double-free in kmem_cache_free_bulk") ||
	      strstr(seen.text[2], "Object already free"));
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_set_report_handler(NULL, NULL);
	kmem_cache_destroy(c);
	kalloc_fini();
}

KTEST(page_ref_and_bulk_misuse_run_clean)
{
	static const char *const progs[] = {
		"alloc_pages 0 GFP_KERNEL\nalloc_pages 3 GFP_KERNEL|__GFP_COMP\n"
		"put_page_freed @0\nput_page_freed @1\nalloc_pages 0 GFP_KERNEL\n",
		"alloc_pages 2 GFP_KERNEL|__GFP_COMP\nalloc_pages 0 GFP_KERNEL\n"
		"alloc_pages 1 GFP_KERNEL\npage_ref_underflow @0 5\n"
		"page_ref_underflow @2 0\npage_ref_underflow @1 0\nalloc_pages 2 GFP_KERNEL\n",
		"kmem_cache_create 72 0 0\nkmem_cache_alloc_bulk @0 6 GFP_KERNEL\n"
		"free_bulk_double @0 3\nkmem_cache_alloc @0 GFP_KERNEL\n"
		"free_bulk_double @0 1\nkmem_cache_alloc_bulk @0 4 GFP_KERNEL\n",
		"config mem=8M quarantine=256K\nkmalloc 64 GFP_KERNEL\n"
		"kmem_cache_create 40 0 0\nkmem_cache_alloc_bulk @1 9 GFP_KERNEL\n"
		"free_bulk_double @1 16\n",
	};
	struct outcome o;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		run_child(&sf_profile_misuse, progs[i], NULL, &o);
		CHECK(clean(&o));
		if (!clean(&o))
			fprintf(stderr, "%s", o.err);
	}
}

KTEST(undetected_misuse_is_a_finding)
{
	/* fuzz_misuse's oracle, on a machine without slab debugging: nothing
	 * can see a use-after-free write, and the oracle must say so */
	static const struct sf_profile blind = {
		.name = "blind_misuse",
		.scope = "misuse without slab_debug",
		.groups = SF_GROUP(KMALLOC) | SF_GROUP(COMMON) | SF_GROUP(MISUSE),
	};
	struct outcome o;

	run_child(&blind, "kmalloc 64 GFP_KERNEL\nkmalloc 64 GFP_KERNEL\nuaf_write @0 3\n",
		  NULL, &o);
	CHECK(aborted(&o));
	CHECK_CONTAINS(o.err, "==ERROR: slabfuzz: model: unreported use-after-free write "
		       "in kmalloc-64 at op uaf_write\n");
	/* with FZPU the same misuse is reported, and that is no finding */
	run_child(&sf_profile_misuse,
		  "kmalloc 64 GFP_KERNEL\nkmalloc 64 GFP_KERNEL\nuaf_write @0 3\n", NULL, &o);
	CHECK(clean(&o));
	if (!clean(&o))
		fprintf(stderr, "%s", o.err);
}
