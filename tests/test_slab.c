/*
 * Slab caches: creation and its checks, the object layout and slab order,
 * per-cpu slabs and partial lists, cross-cpu frees, merging, constructors,
 * hardening, destroy with live objects, bulk operations, reset, slabinfo
 * and the validator.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "ktest.h"

static struct kalloc_config cfg_with(void)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	return cfg;
}

/* Objects on a freelist chain starting at head (bounded). */
static unsigned int chain_len(struct kmem_cache *s, void *head)
{
	unsigned int n = 0;

	while (head && n < 100000) {
		head = get_freepointer(s, head);
		n++;
	}
	return n;
}

static bool chain_has(struct kmem_cache *s, void *head, void *obj)
{
	for (unsigned int n = 0; head && n < 100000; n++) {
		if (head == obj)
			return true;
		head = get_freepointer(s, head);
	}
	return false;
}

static int report_count(enum kalloc_bug bug)
{
	int n = 0;

	for (int i = 0; i < ktest_nr_reports; i++)
		n += ktest_reports[i].bug == bug;
	return n;
}

/* ------------------------------------------------------------------ */

KTEST(create_alloc_free_destroy)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *s = kmem_cache_create("test_obj", 100, 0, 0, NULL);
	void *p[50];

	CHECK(s != NULL);
	CHECK_EQ(kmem_cache_size(s), 100);
	CHECK_STR(kmem_cache_name(s), "test_obj");
	for (int i = 0; i < 50; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(p[i] != NULL);
		CHECK(IS_ALIGNED((uintptr_t)p[i], 8));
		CHECK(virt_to_cache(p[i]) == s);
		memset(p[i], i, 100);
	}
	for (int i = 0; i < 50; i++)
		for (int j = i + 1; j < 50; j++)
			CHECK(p[i] != p[j]);
	for (int i = 0; i < 50; i++) {
		CHECK_EQ(((unsigned char *)p[i])[0], i);
		CHECK_EQ(((unsigned char *)p[i])[99], i);
	}
	CHECK_EQ(kalloc_validate(), 0);
	for (int i = 0; i < 50; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(create_bad_arguments)
{
	ktest_init_nokasan();
	CHECK(kmem_cache_create(NULL, 64, 0, 0, NULL) == NULL);
	CHECK_CONTAINS(ktest_log, "kmem_cache_create((null)) integrity check failed");
	CHECK(kmem_cache_create("zero", 0, 0, 0, NULL) == NULL);
	CHECK_CONTAINS(ktest_log, "kmem_cache_create(zero) integrity check failed: size 0");
	CHECK(kmem_cache_create("huge", KMALLOC_MAX_SIZE + 1, 0, 0, NULL) == NULL);
	CHECK_CONTAINS(ktest_log, "size above KMALLOC_MAX_SIZE");
	CHECK(kmem_cache_create("align3", 64, 3, 0, NULL) == NULL);
	CHECK_CONTAINS(ktest_log, "align 3 is not a power of two");
	CHECK(kmem_cache_create("badflag", 64, 0, 0x10000000U, NULL) == NULL);
	CHECK_CONTAINS(ktest_log, "unknown flags 0x10000000");
	CHECK_CONTAINS(ktest_log, "kmem_cache_create(badflag) failed with error -22");
	CHECK_EQ(ktest_nr_reports, 0);

	/* the limits themselves are fine */
	struct kmem_cache *big = kmem_cache_create("big", KMALLOC_MAX_SIZE, 0, 0, NULL);
	CHECK(big != NULL);
	CHECK_EQ(oo_order(big->oo), MAX_PAGE_ORDER);
	CHECK_EQ(oo_objects(big->oo), 1);
	void *p = kmem_cache_alloc(big, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(big, p);
	kmem_cache_destroy(big);
	struct kmem_cache *one = kmem_cache_create("one", 1, 1, 0, NULL);
	CHECK(one != NULL);
	CHECK_EQ(one->size, 8);
	kmem_cache_destroy(one);
	CHECK_EQ(kalloc_validate(), 0);
}

static void slab_panic_child(void *arg)
{
	(void)arg;
	ktest_init_default();
	kmem_cache_create("bad", 0, 0, SLAB_PANIC, NULL);
}

KTEST(create_slab_panic_aborts)
{
	char buf[512];
	int status = ktest_run_child(slab_panic_child, NULL, buf, sizeof(buf));

	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGABRT);
	CHECK_CONTAINS(buf, "Kernel panic - not syncing: kmem_cache_create: Failed to create slab 'bad'. Error -22");

	/* SLAB_PANIC on a good cache is just a flag */
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("fine", 32, 0, SLAB_PANIC, NULL);
	CHECK(s != NULL);
	kmem_cache_destroy(s);
}

struct foo {
	long a;
	int b;
	char c[20];
};

KTEST(kmem_cache_macro)
{
	ktest_init_default();
	struct kmem_cache *s = KMEM_CACHE(foo, 0);

	CHECK(s != NULL);
	CHECK_STR(kmem_cache_name(s), "foo");
	CHECK_EQ(kmem_cache_size(s), sizeof(struct foo));
	CHECK_EQ(s->align, 8);
	struct foo *f = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(f && f->a == 0 && f->b == 0 && f->c[19] == 0);
	kmem_cache_free(s, f);
	kmem_cache_destroy(s);
}

/* The layout of calculate_sizes(), field by field. */
KTEST(layout)
{
	struct kalloc_config cfg = cfg_with();

	cfg.slab_nomerge = true;
	cfg.kasan_off = true;	/* SLUB's own layout */
	ktest_init(cfg);
	struct {
		unsigned int size, align;
		slab_flags_t flags;
		unsigned int offset, inuse, s_size, red_left_pad;
	} t[] = {
		/* plain: free pointer in the middle of the object */
		{ 100, 0, 0, 48, 104, 104, 0 },
		{ 64, 0, 0, 32, 64, 64, 0 },
		{ 8, 0, 0, 0, 8, 8, 0 },
		/* poisoning needs the whole object: pointer after it */
		{ 100, 0, SLAB_POISON, 104, 104, 112, 0 },
		{ 100, 0, SLAB_TYPESAFE_BY_RCU, 104, 104, 112, 0 },
		/* red zone: right zone in the word padding (or one more word),
		 * a word before the next object, a left zone */
		{ 100, 0, SLAB_RED_ZONE, 48, 104, 120, 8 },
		{ 96, 0, SLAB_RED_ZONE, 48, 104, 120, 8 },
		{ 4, 0, SLAB_RED_ZONE, 8, 8, 32, 8 },
		/* user tracking: two tracks after the object */
		{ 100, 0, SLAB_STORE_USER, 48, 104,
		  104 + 2 * (unsigned int)sizeof(struct track), 0 },
		/* kmalloc + tracking: the free pointer moves out, orig size */
		{ 100, 0, SLAB_STORE_USER | SLAB_KMALLOC, 104, 104,
		  ALIGN(112 + 2 * (unsigned int)sizeof(struct track) + 4, 8), 0 },
		/* FZPU */
		{ 100, 0, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
		  SLAB_STORE_USER, 104, 104,
		  112 + 2 * (unsigned int)sizeof(struct track) + 8 + 8, 8 },
		/* alignment */
		{ 100, 0, SLAB_HWCACHE_ALIGN, 48, 104, 128, 0 },
		{ 20, 0, SLAB_HWCACHE_ALIGN, 8, 24, 32, 0 },
		{ 32, 0, SLAB_HWCACHE_ALIGN, 16, 32, 32, 0 },	/* half a line */
		{ 33, 0, SLAB_HWCACHE_ALIGN, 16, 40, 64, 0 },
		{ 10, 0, SLAB_HWCACHE_ALIGN, 0, 16, 16, 0 },
		{ 40, 32, 0, 16, 40, 64, 0 },
		{ 40, 64, SLAB_RED_ZONE, 16, 48, 128, 64 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char name[32];

		snprintf(name, sizeof(name), "layout%zu", i);
		struct kmem_cache *s = kmem_cache_create(name, t[i].size,
							 t[i].align, t[i].flags,
							 NULL);
		CHECK(s != NULL);
		if (!s)
			continue;
		if (s->offset != t[i].offset || s->inuse != t[i].inuse ||
		    s->size != t[i].s_size || s->red_left_pad != t[i].red_left_pad)
			ktest_fail(__FILE__, __LINE__,
				   "case %zu: offset %u inuse %u size %u red_left_pad %u",
				   i, s->offset, s->inuse, s->size, s->red_left_pad);
		CHECK((s->flags & t[i].flags) == t[i].flags);
		/* objects honour the alignment and stay off each other */
		void *a = kmem_cache_alloc(s, GFP_KERNEL);
		void *b = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(a && b);
		CHECK(IS_ALIGNED((uintptr_t)a, s->align));
		CHECK(IS_ALIGNED((uintptr_t)b, s->align));
		CHECK((uintptr_t)a >= (uintptr_t)b + t[i].size ||
		      (uintptr_t)b >= (uintptr_t)a + t[i].size);
		kmem_cache_free(s, a);
		kmem_cache_free(s, b);
		kmem_cache_destroy(s);
	}
	/* the object is poisoned itself only without ctor/RCU */
	struct kmem_cache *p = kmem_cache_create("poisoned", 64, 0, SLAB_POISON, NULL);
	CHECK(p->flags & __OBJECT_POISON);
	kmem_cache_destroy(p);
	CHECK_EQ(kalloc_validate(), 0);
}

static int ctor_calls;
static void ctor_fill(void *obj)
{
	ctor_calls++;
	memset(obj, 0x42, 48);
}

KTEST(layout_ctor_moves_free_pointer)
{
	ktest_init_nokasan();
	struct kmem_cache *s = kmem_cache_create("ctor48", 48, 0, 0, ctor_fill);

	CHECK_EQ(s->offset, 48);
	CHECK_EQ(s->size, 56);
	kmem_cache_destroy(s);
}

/* calculate_order() with slub_min_objects = 4 * (fls(ncpus) + 1). */
KTEST(slab_order)
{
	struct kalloc_config cfg = cfg_with();

	cfg.ncpus = 2;	/* min_objects 12 */
	cfg.kasan_off = true;	/* SLUB's own layout */
	ktest_init(cfg);
	static const struct { const char *name; unsigned int order, objects; } k[] = {
		{ "kmalloc-8", 0, 512 }, { "kmalloc-64", 0, 64 },
		{ "kmalloc-96", 0, 42 }, { "kmalloc-192", 0, 21 },
		{ "kmalloc-256", 0, 16 }, { "kmalloc-512", 1, 16 },
		{ "kmalloc-1k", 2, 16 }, { "kmalloc-2k", 3, 16 },
		{ "kmalloc-4k", 3, 8 }, { "kmalloc-8k", 3, 4 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(k); i++) {
		struct kmem_cache *s = NULL;
		struct list_head *pos;

		list_for_each(pos, &slab_caches)
			if (!strcmp(list_entry(pos, struct kmem_cache, list)->name, k[i].name))
				s = list_entry(pos, struct kmem_cache, list);
		CHECK(s != NULL);
		if (!s)
			continue;
		if (oo_order(s->oo) != k[i].order || oo_objects(s->oo) != k[i].objects)
			ktest_fail(__FILE__, __LINE__, "%s: order %u objects %u",
				   k[i].name, oo_order(s->oo), oo_objects(s->oo));
		/* the fallback order just fits one object */
		CHECK_EQ(oo_order(s->min), (unsigned int)get_order(s->size));
	}
	/* a size with a bad remainder at the min_objects order goes higher:
	 * 12 * 1096 -> order 2, but 16384 % 1096 = 1040 > 16384/16; order 3
	 * leaves 32768 % 1096 = 984 <= 2048 */
	struct kmem_cache *s = kmem_cache_create("odd", 1096, 0, 0, NULL);
	CHECK_EQ(s->size, 1096);
	CHECK_EQ(oo_order(s->oo), 3);
	CHECK_EQ(oo_objects(s->oo), 29);
	/* min_partial = clamp(ilog2(size) / 2, 5, 10); cpu partial limit */
	CHECK_EQ(s->min_partial, 5);
	CHECK_EQ(s->cpu_partial, 24);
	CHECK_EQ(s->cpu_partial_slabs, DIV_ROUND_UP(48, 29));
	kmem_cache_destroy(s);
	s = kmem_cache_create("huge_obj", 1 << 21, 0, 0, NULL);
	CHECK_EQ(s->min_partial, 10);
	CHECK_EQ(oo_order(s->oo), 9);
	kmem_cache_destroy(s);
	kalloc_fini();

	cfg.ncpus = 8;	/* fls(8) = 4: min_objects 20 */
	ktest_init(cfg);
	CHECK_EQ(oo_order(kmalloc_slab(1024, GFP_KERNEL)->oo), 3);
	CHECK_EQ(oo_order(kmalloc_slab(256, GFP_KERNEL)->oo), 1);
}

/* ------------------------------------------------------------------ */
/* Per-cpu slabs                                                       */
/* ------------------------------------------------------------------ */

KTEST(cpu_freelist_lifo)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("lifo", 64, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	struct kmem_cache_cpu *c = &s->cpu_slab[0];

	CHECK(c->slab == virt_to_slab(a));
	CHECK(c->slab->frozen);
	CHECK_EQ(c->slab->list, SLAB_LIST_CPU_ACTIVE);
	CHECK_EQ(c->slab->inuse, c->slab->objects);	/* cpu freelist counts as used */
	kmem_cache_free(s, a);
	CHECK(c->freelist == a);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == a);
	kmem_cache_free(s, a);
	kmem_cache_destroy(s);
}

KTEST(cross_cpu_free_goes_to_slab_freelist)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("xcpu", 64, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(a);
	struct kmem_cache_cpu *c0 = &s->cpu_slab[0], *c1 = &s->cpu_slab[1];
	unsigned int inuse = slab->inuse;

	kalloc_set_cpu(1);
	kmem_cache_free(s, a);
	/* not the freeing cpu's freelist, not the owner's: the slab's own */
	CHECK(c1->freelist == NULL);
	CHECK(c1->slab == NULL);
	CHECK(slab->freelist == a);
	CHECK(!chain_has(s, c0->freelist, a));
	CHECK_EQ(slab->inuse, inuse - 1);
	CHECK(slab->frozen);
	CHECK_EQ(kalloc_validate(), 0);

	/* the owner picks remote frees up once its cpu freelist runs dry */
	kalloc_set_cpu(0);
	unsigned int left = chain_len(s, c0->freelist);
	for (unsigned int i = 0; i < left; i++)
		CHECK(kmem_cache_alloc(s, GFP_KERNEL) != a);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == a);
	CHECK(slab->freelist == NULL);
	CHECK(c0->slab == slab);
	CHECK_EQ(kalloc_validate(), 0);
	(void)b;
	kmem_cache_shrink(s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(full_slab_free_goes_to_cpu_partial)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("partial", 512, 0, 0, NULL);
	unsigned int per = oo_objects(s->oo);
	void **p = calloc(per * 3, sizeof(void *));

	for (unsigned int i = 0; i < per * 2; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *first = virt_to_slab(p[0]);
	CHECK(first != s->cpu_slab[0].slab);
	CHECK(!first->frozen);
	CHECK_EQ(first->list, SLAB_LIST_NONE);	/* full: on no list */
	CHECK(first->freelist == NULL);

	kalloc_set_cpu(1);
	kmem_cache_free(s, p[0]);
	CHECK_EQ(first->list, SLAB_LIST_CPU_PARTIAL);
	CHECK_EQ(first->cpu, 1);
	CHECK(s->cpu_slab[1].partial == first);
	CHECK_EQ(s->cpu_slab[1].partial_slabs, 1);
	CHECK(!first->frozen);
	CHECK_EQ(kalloc_validate(), 0);

	/* cpu 1 allocates from its partial slab: it becomes active */
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q == p[0]);
	CHECK(s->cpu_slab[1].slab == first);
	CHECK(first->frozen);
	CHECK(s->cpu_slab[1].partial == NULL);
	p[0] = q;
	kalloc_set_cpu(0);
	for (unsigned int i = 0; i < per * 2; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
	free(p);
}

KTEST(cpu_partial_overflow_drains_to_node)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("drain", 1024, 0, 0, NULL);
	unsigned int per = oo_objects(s->oo);
	unsigned int nslabs = s->cpu_partial_slabs + 3;
	void **p = calloc((size_t)per * nslabs, sizeof(void *));
	struct kmem_cache_cpu *c = &s->cpu_slab[0];

	for (unsigned int i = 0; i < per * nslabs; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/* one free in each full slab (not the active one) */
	for (unsigned int k = 0; k + 1 < nslabs; k++)
		kmem_cache_free(s, p[k * per]);
	CHECK(c->partial_slabs <= s->cpu_partial_slabs);
	CHECK(s->node[0]->nr_partial > 0);
	CHECK_EQ(c->partial_slabs + s->node[0]->nr_partial, nslabs - 1);
	CHECK_EQ(kalloc_validate(), 0);
	for (unsigned int k = 0; k + 1 < nslabs; k++)
		p[k * per] = NULL;
	for (unsigned int i = 0; i < per * nslabs; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_destroy(s);
	free(p);
}

/* Empty slabs go back to the buddy allocator beyond min_partial. */
KTEST(empty_slabs_discarded_beyond_min_partial)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *s = kmem_cache_create("empties", 2048, 0, 0, NULL);
	unsigned int per = oo_objects(s->oo);
	unsigned int nslabs = 20;
	void **p = calloc((size_t)per * nslabs, sizeof(void *));

	for (unsigned int i = 0; i < per * nslabs; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(s->node[0]->nr_slabs, nslabs);
	for (unsigned int i = 0; i < per * nslabs; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(kalloc_validate(), 0);
	/* what is left: cpu slabs and partial slabs, at most min_partial
	 * empty ones on the node list */
	unsigned long empty_node = 0;
	struct list_head *pos;
	list_for_each(pos, &s->node[0]->partial)
		empty_node += list_entry(pos, struct slab, slab_list)->inuse == 0;
	CHECK(empty_node <= s->min_partial);
	CHECK(s->node[0]->nr_slabs < nslabs);
	CHECK_EQ(kmem_cache_shrink(s), 0);
	CHECK_EQ(s->node[0]->nr_slabs, 0);
	CHECK_EQ(nr_free_pages(), free0);
	/* with objects it says so */
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(kmem_cache_shrink(s), 1);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
	CHECK_EQ(nr_free_pages(), free0);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Constructors, merging                                               */
/* ------------------------------------------------------------------ */

KTEST(ctor_runs_once_per_object_at_slab_setup)
{
	ktest_init_default();
	ctor_calls = 0;
	struct kmem_cache *s = kmem_cache_create("ctor", 48, 0, 0, ctor_fill);
	unsigned int per = oo_objects(s->oo);

	unsigned char *a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(ctor_calls, per);	/* the whole slab at set-up */
	CHECK_EQ(a[0], 0x42);
	CHECK_EQ(a[47], 0x42);
	a[0] = 1;
	kmem_cache_free(s, a);
	unsigned char *b = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(b == a);
	CHECK_EQ(ctor_calls, per);	/* not on reuse */
	CHECK_EQ(b[0], 1);		/* and the object is left as it was */
	CHECK_EQ(b[47], 0x42);
	void **p = calloc(per, sizeof(void *));
	for (unsigned int i = 0; i < per; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(ctor_calls, 2 * per);	/* a second slab */
	for (unsigned int i = 0; i < per; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
	free(p);
}

KTEST(merging_aliases)
{
	ktest_init_default();
	struct kmem_cache *a = kmem_cache_create("alias_a", 120, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("alias_b", 118, 0, 0, NULL);

	CHECK(a == b);			/* 120 and 118 share 120-byte objects */
	CHECK_EQ(a->refcount, 2);
	CHECK_STR(kmem_cache_name(b), "alias_a");
	/* not merged: ctor, debug flags, RCU, different accounting, too big a
	 * size gap, NO_MERGE */
	CHECK(kmem_cache_create("m_ctor", 120, 0, 0, ctor_fill) != a);
	CHECK(kmem_cache_create("m_rz", 120, 0, SLAB_RED_ZONE, NULL) != a);
	CHECK(kmem_cache_create("m_rcu", 120, 0, SLAB_TYPESAFE_BY_RCU, NULL) != a);
	CHECK(kmem_cache_create("m_rcl", 120, 0, SLAB_RECLAIM_ACCOUNT, NULL) != a);
	CHECK(kmem_cache_create("m_small", 104, 0, 0, NULL) != a);
	CHECK(kmem_cache_create("m_nomerge", 120, 0, SLAB_NO_MERGE, NULL) != a);
	/* an object that keeps a free pointer in the shared cache grows it */
	struct kmem_cache *c = kmem_cache_create("alias_c", 116, 0, 0, NULL);
	CHECK(c == a);
	CHECK_EQ(a->refcount, 3);
	CHECK_EQ(a->object_size, 120);

	/* kmalloc-N (normal) caches never merge; the reclaimable ones do */
	struct kmem_cache *k = kmem_cache_create("my64", 64, 0, 0, NULL);
	CHECK(k != kmalloc_slab(64, GFP_KERNEL));
	struct kmem_cache *r = kmem_cache_create("my_rcl64", 64, 0,
						 SLAB_RECLAIM_ACCOUNT, NULL);
	CHECK(r == kmalloc_slab(64, __GFP_RECLAIMABLE));
	kmem_cache_destroy(r);
	CHECK_EQ(kmalloc_slab(64, __GFP_RECLAIMABLE)->refcount, 1);

	/* destroy drops one reference at a time */
	kmem_cache_destroy(c);
	kmem_cache_destroy(b);
	CHECK_EQ(a->refcount, 1);
	void *o = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(o != NULL);
	kmem_cache_free(a, o);
	kmem_cache_destroy(a);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(merging_off_with_slab_nomerge)
{
	struct kalloc_config cfg = cfg_with();

	cfg.slab_nomerge = true;
	ktest_init(cfg);
	struct kmem_cache *a = kmem_cache_create("nm_a", 120, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("nm_b", 120, 0, 0, NULL);
	CHECK(a != b);
	CHECK_EQ(a->refcount, 1);
	CHECK(kmem_cache_create("nm_rcl", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL) !=
	      kmalloc_slab(64, __GFP_RECLAIMABLE));
}

/* ------------------------------------------------------------------ */
/* Hardening                                                           */
/* ------------------------------------------------------------------ */

KTEST(hardened_free_pointer_encoding)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("enc", 64, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, b);
	kmem_cache_free(s, a);	/* a -> b on the cpu freelist */
	/* a is free and poisoned in ASan's shadow: read as the allocator does */
	unsigned long stored = kasan_read_word_nocheck((char *)a + s->offset);
	CHECK(stored != (unsigned long)b);
	CHECK_EQ(stored, (unsigned long)b ^ s->random ^
		 __builtin_bswap64((unsigned long)a + s->offset));
	CHECK(get_freepointer(s, a) == b);
	CHECK(s->random != 0);

	/* a use-after-free write of a plausible pointer decodes to garbage */
	kasan_write_word_nocheck((char *)a + s->offset, (unsigned long)a + 64);
	void *decoded = get_freepointer(s, a);
	CHECK(decoded != (char *)a + 64);
	CHECK(virt_to_slab(decoded) != virt_to_slab(a));
	/* and is not followed: reported; the damaged object and the rest of
	 * the freelist are isolated, and the allocation is served elsewhere */
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(c != NULL && c != a && c != b);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_FREEPTR);
	CHECK_STR(ktest_reports[0].title, "slab: Freepointer corrupt in enc");
	CHECK_CONTAINS(ktest_reports[0].text, "BUG enc (Not tainted): Freepointer corrupt");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX enc: Isolate corrupted freechain");
	CHECK_EQ(kalloc_validate(), 0);
	/* never handed out again */
	for (int i = 0; i < 300; i++) {
		void *x = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(x != a && x != b);
	}
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 1);
}

KTEST(unhardened_free_pointer_is_raw)
{
	struct kalloc_config cfg = cfg_with();

	cfg.freelist_hardened = false;
	ktest_init(cfg);
	struct kmem_cache *s = kmem_cache_create("raw", 64, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	CHECK_EQ(kasan_read_word_nocheck((char *)a + s->offset), (unsigned long)b);
}

KTEST(naive_double_free)
{
	ktest_init_nokasan();
	void *p = kmalloc(64, GFP_KERNEL);
	void *q = kmalloc(64, GFP_KERNEL);

	kfree(q);
	kfree(p);
	kfree(p);	/* p is the cpu freelist head */
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_DOUBLE_FREE);
	CHECK_STR(ktest_reports[0].title, "slab: double free in kmalloc-64");
	CHECK_CONTAINS(ktest_reports[0].text, "naive detection of double free");
	/* not freed twice: p comes back once */
	CHECK(kmalloc(64, GFP_KERNEL) == p);
	CHECK(kmalloc(64, GFP_KERNEL) == q);
	CHECK_EQ(kalloc_validate(), 0);

	/* the same on the slow path: a free from another cpu */
	ktest_capture_clear();
	void *r = kmalloc(64, GFP_KERNEL);
	kalloc_set_cpu(1);
	kfree(r);
	kfree(r);
	CHECK_EQ(report_count(KALLOC_BUG_DOUBLE_FREE), 1);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(cache_mismatch)
{
	ktest_init_default();
	struct kmem_cache *a = kmem_cache_create("mis_a", 64, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *b = kmem_cache_create("mis_b", 64, 0, SLAB_NO_MERGE, NULL);
	void *x = kmem_cache_alloc(a, GFP_KERNEL);

	kmem_cache_free(b, x);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_CACHE_MISMATCH);
	CHECK_STR(ktest_reports[0].title, "slab: cache mismatch in mis_b");
	char line[128];
	snprintf(line, sizeof(line),
		 "kmem_cache_free(mis_b, 0x%016lx): object belongs to different cache mis_a",
		 (unsigned long)x);
	CHECK_CONTAINS(ktest_reports[0].text, line);
	CHECK_CONTAINS(ktest_reports[0].text, "Wrong slab cache. mis_b but object is from mis_a");
	/* freed into its own cache */
	CHECK(a->cpu_slab[0].freelist == x);
	CHECK(kmem_cache_alloc(a, GFP_KERNEL) == x);
	CHECK(b->cpu_slab[0].slab == NULL);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(invalid_free_not_in_a_slab)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("inv", 64, 0, 0, NULL);
	long local;

	kmem_cache_free(s, &local);
	void *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kmem_cache_free(s, big);
	CHECK_EQ(ktest_nr_reports, 2);
	CHECK_EQ(report_count(KALLOC_BUG_INVALID_FREE), 2);
	CHECK_STR(ktest_reports[0].title, "slab: invalid free in inv");
	CHECK_CONTAINS(ktest_reports[0].text, "Object is not a Slab page!");
	kfree(big);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(invalid_free_interior_pointer)
{
	ktest_init_nokasan();
	char *p = kmalloc(100, GFP_KERNEL);
	void *head = kmalloc_slab(100, GFP_KERNEL)->cpu_slab[0].freelist;

	kfree(p + 5);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_INVALID_FREE);
	CHECK_STR(ktest_reports[0].title, "slab: invalid free in kmalloc-128");
	char line[128];
	snprintf(line, sizeof(line),
		 "BUG kmalloc-128 (Not tainted): Invalid object pointer 0x%016lx",
		 (unsigned long)(p + 5));
	CHECK_CONTAINS(ktest_reports[0].text, line);
	CHECK_CONTAINS(ktest_reports[0].text, "not freed");
	/* nothing went on a freelist */
	CHECK(kmalloc_slab(100, GFP_KERNEL)->cpu_slab[0].freelist == head);
	CHECK_EQ(kalloc_validate(), 0);
	kfree(p);
	CHECK_EQ(ktest_nr_reports, 1);

	/* a cache with red zones: a pointer into the left red zone */
	struct kmem_cache *s = kmem_cache_create("rz", 64, 0, SLAB_RED_ZONE, NULL);
	char *o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o - 1);
	kmem_cache_free(s, o + 8);
	CHECK_EQ(ktest_nr_reports, 3);
	CHECK_STR(ktest_reports[2].title, "slab: invalid free in rz");
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(s, o);
	CHECK_EQ(ktest_nr_reports, 3);

	/* in a bulk free, the bad pointer is skipped and the rest freed */
	struct kmem_cache *b = kmem_cache_create("bulk_bad", 64, 0, 0, NULL);
	void *v[4];
	CHECK_EQ(kmem_cache_alloc_bulk(b, GFP_KERNEL, 4, v), 4);
	void *good1 = v[1];
	v[1] = (char *)v[1] + 16;
	kmem_cache_free_bulk(b, 4, v);
	CHECK_EQ(ktest_nr_reports, 4);
	CHECK_STR(ktest_reports[3].title, "slab: invalid free in bulk_bad");
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(b, good1);
	CHECK_EQ(kmem_cache_shrink(b), 0);	/* all four came back */
	CHECK_EQ(ktest_nr_reports, 4);
}

KTEST(reciprocal_division)
{
	ktest_init_default();
	uint64_t x = 88172645463325252ULL;

	for (uint32_t d = 8; d <= (1u << 22); d += d < 512 ? 8 : d / 7 + 8) {
		struct kmem_cache *s = kmem_cache_create("recip", d, 0, SLAB_NO_MERGE, NULL);

		CHECK(s != NULL);
		if (!s)
			break;
		for (int i = 0; i < 2000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			uint32_t a = (uint32_t)(x % (PAGE_SIZE << MAX_PAGE_ORDER));

			if (reciprocal_divide(a, s->reciprocal_size) != a / s->size) {
				ktest_fail(__FILE__, __LINE__, "%u / %u", a, s->size);
				break;
			}
		}
		kmem_cache_destroy(s);
	}
}

KTEST(destroy_with_live_objects)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("leaky", 200, 0, 0, NULL);
	unsigned int per = oo_objects(s->oo);
	void **p = calloc(per + 3, sizeof(void *));

	/* a full slab (on no list) and a partial one */
	for (unsigned int i = 0; i < per + 3; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (unsigned int i = 3; i < per + 3; i++)
		if (i != per)
			kmem_cache_free(s, p[i]);
	/* left: p[0], p[1], p[2], p[per] */
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_LEAK);
	CHECK_STR(ktest_reports[0].title,
		  "slab: objects remaining in leaky on kmem_cache_destroy");
	CHECK_CONTAINS(ktest_reports[0].text,
		       "BUG leaky (Not tainted): Objects remaining in leaky on __kmem_cache_shutdown()");
	CHECK_CONTAINS(ktest_reports[0].text, "4 objects remaining");
	char line[64];
	snprintf(line, sizeof(line), "Object 0x%016lx @offset=", (unsigned long)p[per]);
	CHECK_CONTAINS(ktest_reports[0].text, line);
	snprintf(line, sizeof(line), "Object 0x%016lx @offset=", (unsigned long)p[1]);
	CHECK_CONTAINS(ktest_reports[0].text, line);
	/* the cache is kept and works */
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p[0]);
	kmem_cache_free(s, p[1]);
	kmem_cache_free(s, p[2]);
	kmem_cache_free(s, p[per]);
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(kalloc_validate(), 0);
	free(p);
}

KTEST(freelist_randomisation)
{
	struct kalloc_config cfg = cfg_with();
	uintptr_t first[16], again[16];
	bool monotonic = true;

	cfg.seed = 7;
	cfg.kasan_off = true;	/* SLUB's own layout */
	ktest_init(cfg);
	struct kmem_cache *s = kmem_cache_create("rnd", 64, 0, 0, NULL);
	for (int i = 0; i < 16; i++)
		first[i] = (uintptr_t)kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 1; i < 16; i++)
		if (first[i] != first[i - 1] + 64)
			monotonic = false;
	CHECK(!monotonic);
	kalloc_fini();

	/* same seed, same order */
	ktest_init(cfg);
	s = kmem_cache_create("rnd", 64, 0, 0, NULL);
	for (int i = 0; i < 16; i++)
		again[i] = (uintptr_t)kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(!memcmp(first, again, sizeof(first)));
	kalloc_fini();

	/* a different seed, a different order */
	cfg.seed = 8;
	ktest_init(cfg);
	s = kmem_cache_create("rnd", 64, 0, 0, NULL);
	for (int i = 0; i < 16; i++)
		again[i] = (uintptr_t)kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(memcmp(first, again, sizeof(first)) != 0);
	kalloc_fini();

	/* off: address order */
	cfg.freelist_random = false;
	ktest_init(cfg);
	s = kmem_cache_create("rnd", 64, 0, 0, NULL);
	CHECK(s->random_seq == NULL);
	uintptr_t prev = (uintptr_t)kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 1; i < 16; i++) {
		uintptr_t cur = (uintptr_t)kmem_cache_alloc(s, GFP_KERNEL);
		CHECK_EQ(cur, prev + 64);
		prev = cur;
	}
}

/* ------------------------------------------------------------------ */
/* Bulk                                                                */
/* ------------------------------------------------------------------ */

KTEST(bulk_alloc_and_free)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	struct kmem_cache *s = kmem_cache_create("bulk", 96, 0, 0, NULL);
	void *p[300];

	CHECK_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 0, p), 0);
	CHECK_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, p), 300);
	for (int i = 0; i < 300; i++) {
		CHECK(virt_to_cache(p[i]) == s);
		memset(p[i], 0xab, 96);
	}
	for (int i = 0; i < 300; i++)
		for (int j = i + 1; j < 300; j += 37)
			CHECK(p[i] != p[j]);
	CHECK_EQ(kalloc_validate(), 0);
	/* free in an interleaved order, some from another cpu */
	kmem_cache_free_bulk(s, 150, p);
	kalloc_set_cpu(1);
	kmem_cache_free_bulk(s, 150, p + 150);
	kalloc_set_cpu(0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kmem_cache_shrink(s), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(ktest_nr_reports, 0);

	/* the same object twice in one bulk free: reported once */
	s = kmem_cache_create("bulk2", 96, 0, 0, NULL);
	CHECK_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 2, p), 2);
	p[2] = p[1];
	kmem_cache_free_bulk(s, 3, p);
	CHECK_EQ(report_count(KALLOC_BUG_DOUBLE_FREE), 1);
	CHECK_EQ(kalloc_validate(), 0);
}

/* ------------------------------------------------------------------ */
/* Flags, debug caches, zeroing                                        */
/* ------------------------------------------------------------------ */

KTEST(dma_and_reclaim_flags)
{
	struct kalloc_config cfg = cfg_with();

	cfg.dma32_bytes = 8u << 20;
	ktest_init(cfg);
	struct kmem_cache *d = kmem_cache_create("dmac", 64, 0, SLAB_CACHE_DMA, NULL);
	struct kmem_cache *d32 = kmem_cache_create("dma32c", 64, 0, SLAB_CACHE_DMA32, NULL);
	struct kmem_cache *r = kmem_cache_create("rclc", 64, 0,
						 SLAB_RECLAIM_ACCOUNT | SLAB_NO_MERGE, NULL);
	struct kmem_cache *a = kmem_cache_create("accc", 64, 0,
						 SLAB_ACCOUNT | SLAB_NO_MERGE, NULL);

	CHECK(d->allocflags & __GFP_DMA);
	CHECK(d32->allocflags & __GFP_DMA32);
	CHECK(r->allocflags & __GFP_RECLAIMABLE);
	void *x = kmem_cache_alloc(d, GFP_KERNEL);
	void *y = kmem_cache_alloc(d32, GFP_KERNEL);
	void *z = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK_EQ(page_zonenum(virt_to_page(x)), ZONE_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(y)), ZONE_DMA32);
	CHECK(z != NULL);
	/* a caller's zone modifier does not move a cache's slabs */
	void *w = kmem_cache_alloc(r, GFP_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(w)), ZONE_NORMAL);
	kmem_cache_free(d, x);
	kmem_cache_free(d32, y);
	kmem_cache_free(a, z);
	kmem_cache_free(r, w);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(bad_gfp_is_fixed_up)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("fixup", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_HIGHMEM);

	CHECK(p != NULL);
	CHECK_CONTAINS(ktest_log,
		       "Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!");
	kmem_cache_free(s, p);
}

KTEST(debug_cache_uses_node_lists)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("dbg", 64, 0,
						 SLAB_RED_ZONE | SLAB_STORE_USER, NULL);
	unsigned int per = oo_objects(s->oo);
	void **p = calloc(per + 1, sizeof(void *));

	CHECK(kmem_cache_debug(s));
	CHECK_EQ(s->cpu_partial_slabs, 0);
	for (unsigned int i = 0; i < per; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p[0]);
	CHECK(s->cpu_slab[0].slab == NULL);	/* never a cpu slab */
	CHECK(s->cpu_slab[0].freelist == NULL);
	CHECK_EQ(slab->list, SLAB_LIST_FULL);
	CHECK(!list_empty(&s->node[0]->full));
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_free(s, p[3]);
	CHECK_EQ(slab->list, SLAB_LIST_NODE_PARTIAL);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == p[3]);
	CHECK_EQ(slab->list, SLAB_LIST_FULL);
	for (unsigned int i = 0; i < per; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(kalloc_validate(), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
	free(p);
}

KTEST(zalloc_and_init_on_alloc_free)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("zero", 200, 0, 0, NULL);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

	memset(p, 0xee, 200);
	kmem_cache_free(s, p);
	unsigned char *q = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(q == p);
	for (int i = 0; i < 200; i++)
		CHECK_EQ(q[i], 0);
	kmem_cache_free(s, q);
	kalloc_fini();

	struct kalloc_config cfg = cfg_with();
	cfg.init_on_alloc = true;
	ktest_init(cfg);
	s = kmem_cache_create("zero", 200, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0xee, 200);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q == p);
	for (int i = 0; i < 200; i++)
		CHECK_EQ(q[i], 0);
	kalloc_fini();

	cfg = cfg_with();
	cfg.init_on_free = true;
	ktest_init(cfg);
	s = kmem_cache_create("zero", 200, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0xee, 200);
	kmem_cache_free(s, p);
	/* wiped at free but for the free pointer */
	for (unsigned int i = 0; i < 200; i++)
		if (i < s->offset || i >= s->offset + sizeof(void *))
			CHECK_EQ(kasan_read_byte_nocheck(p + i), 0);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q == p);
	for (int i = 0; i < 200; i++)
		CHECK_EQ(q[i], 0);
}

/* ------------------------------------------------------------------ */
/* Reset, shrink, slabinfo, validate                                   */
/* ------------------------------------------------------------------ */

static void workload(uintptr_t *addrs, int n)
{
	struct kmem_cache *s = kmem_cache_create("work", 72, 0, 0, NULL);
	for (int i = 0; i < n; i++) {
		void *p = (i & 1) ? kmalloc(16 + (size_t)i * 7 % 3000, GFP_KERNEL)
				  : kmem_cache_alloc(s, GFP_KERNEL);
		addrs[i] = (uintptr_t)p;
		if (i % 3 == 0) {
			kalloc_set_cpu((unsigned int)i % 2);
			if (i & 1)
				kfree(p);
			else
				kmem_cache_free(s, p);
		}
	}
}

KTEST(reset_restores_everything)
{
	uintptr_t a[400], b[400];

	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	size_t ncaches = 0;
	struct list_head *pos;
	list_for_each(pos, &slab_caches)
		ncaches++;

	workload(a, 400);
	CHECK(nr_free_pages() < free0);
	kalloc_reset();
	CHECK_EQ(nr_free_pages(), free0);
	size_t after = 0;
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		after++;
		CHECK(s->boot);
		CHECK_EQ(s->node[0]->nr_slabs, 0);
		CHECK_EQ(s->node[0]->nr_partial, 0);
		for (unsigned int c = 0; c < kg.cfg.ncpus; c++)
			CHECK(s->cpu_slab[c].slab == NULL && s->cpu_slab[c].partial == NULL);
	}
	CHECK_EQ(after, ncaches);
	CHECK_EQ(kalloc_validate(), 0);
	/* the same work gives the same addresses: nothing leaks across */
	workload(b, 400);
	CHECK(!memcmp(a, b, sizeof(a)));
	kalloc_reset();
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

static int dirty_boot_caches(void)
{
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		n += s->boot && s->dirty;
	}
	return n;
}

/* Reset restores only what was touched: one cache used, one restored. */
KTEST(reset_cost_tracks_use)
{
	ktest_init_default();
	CHECK_EQ(dirty_boot_caches(), 0);
	slab_shrink_all();		/* nothing to do: nothing dirtied */
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(dirty_boot_caches(), 0);
	void *p = kmalloc(64, GFP_KERNEL);
	CHECK_EQ(dirty_boot_caches(), 1);
	CHECK(kmalloc_slab(64, GFP_KERNEL)->dirty);
	for (int i = 0; i < 10; i++)
		kfree(kmalloc(64, GFP_KERNEL));	/* fast paths only */
	CHECK_EQ(dirty_boot_caches(), 1);
	kfree(p);
	kalloc_reset();
	CHECK_EQ(dirty_boot_caches(), 0);
	CHECK(kmalloc_slab(64, GFP_KERNEL)->cpu_slab[0].slab == NULL);
}

KTEST(reset_restores_alias_refcount)
{
	ktest_init_default();
	struct kmem_cache *r = kmalloc_slab(128, __GFP_RECLAIMABLE);

	CHECK(kmem_cache_create("rcl_alias", 128, 0, SLAB_RECLAIM_ACCOUNT, NULL) == r);
	CHECK_EQ(r->refcount, 2);
	kalloc_reset();
	CHECK_EQ(r->refcount, 1);
	/* kmalloc caches are never destroyed */
	kmem_cache_destroy(kmalloc_slab(128, GFP_KERNEL));
	CHECK(kmalloc(128, GFP_KERNEL) != NULL);
	CHECK_CONTAINS(ktest_log, "kmalloc caches are never destroyed");
}

KTEST(shrink_all_gives_pages_back)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	void *p[200];

	for (int i = 0; i < 200; i++)
		p[i] = kmalloc(512, GFP_KERNEL);
	for (int i = 0; i < 200; i++)
		kfree(p[i]);
	CHECK(nr_free_pages() < free0);
	unsigned long before = nr_free_pages();
	unsigned long freed = slab_shrink_all();
	CHECK(freed > 0);
	CHECK_EQ(nr_free_pages(), before + freed);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(slabinfo_format)
{
	ktest_init_nokasan();
	struct kmem_cache *s = kmem_cache_create("info_cache", 100, 0, 0, NULL);
	void *p[5];
	char *buf = NULL;
	size_t len = 0;

	for (int i = 0; i < 5; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	FILE *f = open_memstream(&buf, &len);
	kalloc_slabinfo(f);
	fclose(f);
	static const char header[] = "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
	CHECK(!strncmp(buf, header, strlen(header)));
	/* one slab of 39 objects, all active while it is the cpu slab */
	char line[200];
	snprintf(line, sizeof(line),
		 "info_cache            39     39    104   39    1 : tunables    0    0    0 : slabdata      1      1      0\n");
	CHECK_CONTAINS(buf, line);
	CHECK_CONTAINS(buf, "\nkmalloc-8k ");
	CHECK_CONTAINS(buf, "\ndma-kmalloc-96 ");
	CHECK_CONTAINS(buf, "\nkmalloc-rcl-1k ");
	CHECK_CONTAINS(buf, "\nkmalloc-cg-192 ");
	/* newest first, as /proc/slabinfo */
	CHECK(strstr(buf, "info_cache") < strstr(buf, "kmalloc-8 "));
	free(buf);
	for (int i = 0; i < 5; i++)
		kmem_cache_free(s, p[i]);
}

KTEST(validate_catches_corruption)
{
	ktest_init_default();
	struct kmem_cache *s = kmem_cache_create("victim", 64, 0, 0, NULL);
	void *p[10];

	for (int i = 0; i < 10; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p[0]);
	CHECK_EQ(kalloc_validate(), 0);

	/* a wrong in-use count: reported once and adjusted, as on_freelist() */
	unsigned int inuse = slab->inuse;
	slab->inuse--;
	CHECK_EQ(kalloc_validate(), 1);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_FREELIST);
	CHECK_STR(ktest_reports[0].title, "slab: Wrong object count in victim");
	CHECK_CONTAINS(ktest_reports[0].text, "Wrong object count. Counter is");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX victim: Object count adjusted");
	CHECK_EQ(slab->inuse, inuse);
	CHECK_EQ(kalloc_validate(), 0);
	ktest_capture_clear();

	/* a free pointer overwritten after free: the chain is cut before the
	 * damaged object, which is never handed out again */
	kmem_cache_free(s, p[5]);
	kmem_cache_free(s, p[6]);	/* cpu freelist: p6 -> p5 -> ... */
	kasan_write_word_nocheck((char *)p[5] + s->offset, 0x1234);
	CHECK(kalloc_validate() > 0);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_STR(ktest_reports[0].title, "slab: Freechain corrupt in victim");
	CHECK_CONTAINS(ktest_reports[0].text, "FIX victim: Isolate corrupted freechain");
	CHECK(s->cpu_slab[0].freelist == p[6]);
	CHECK(get_freepointer(s, p[6]) == NULL);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == p[6]);
	for (int i = 0; i < 200; i++)
		CHECK(kmem_cache_alloc(s, GFP_KERNEL) != p[5]);
	CHECK_EQ(kalloc_validate(), 0);
	ktest_capture_clear();

	/* a cycle on the cpu freelist: cut where it closes, one report */
	void *x = kmem_cache_alloc(s, GFP_KERNEL);
	void *y = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(virt_to_slab(y) == s->cpu_slab[0].slab);
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);	/* y -> x -> ... */
	kasan_write_word_nocheck((char *)x + s->offset,
				 freelist_ptr_encode(s, y, (unsigned long)x + s->offset).v);
	CHECK(kalloc_validate() > 0);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_STR(ktest_reports[0].title, "slab: Freelist cycle detected in victim");
	CHECK_EQ(kalloc_validate(), 0);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == y);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == x);
	void *z = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(z != x && z != y);
	CHECK_EQ(kalloc_validate(), 0);
	ktest_capture_clear();

	/* damage on a slab's own freelist (a remote free) */
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *qs = virt_to_slab(q);
	kalloc_set_cpu(1);
	kmem_cache_free(s, q);
	kalloc_set_cpu(0);
	CHECK(qs->freelist == q);
	kasan_write_word_nocheck((char *)q + s->offset, 0x4141414141414141UL);
	CHECK(kalloc_validate() > 0);
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK(qs->freelist == NULL);
	CHECK_EQ(kalloc_validate(), 0);
	ktest_capture_clear();

	/* list membership */
	kalloc_reset();
	s = NULL;
	void *k = kmalloc(64, GFP_KERNEL);
	slab = virt_to_slab(k);
	slab->list = SLAB_LIST_NODE_PARTIAL;
	CHECK(kalloc_validate() > 0);
	CHECK(report_count(KALLOC_BUG_INTERNAL) > 0);
	slab->list = SLAB_LIST_CPU_ACTIVE;
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 0);
	/* a slab count that does not match the slabs */
	slab->slab_cache->node[0]->nr_slabs++;
	CHECK(kalloc_validate() > 0);
	slab->slab_cache->node[0]->nr_slabs--;
	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 0);
}

/* slab_debug= reaches the caches' flags and layout; 'O' keeps orders. */
KTEST(slab_debug_option_applies)
{
	struct kalloc_config cfg = cfg_with();

	cfg.slab_debug = "Z,kmalloc-64,dbg_*";
	cfg.kasan_off = true;	/* SLUB's own layout */
	ktest_init(cfg);
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL);
	CHECK(k64->flags & SLAB_RED_ZONE);
	CHECK(kmem_cache_debug(k64));
	CHECK_EQ(k64->red_left_pad, 64);	/* aligned to the cache's 64 */
	CHECK(!kmem_cache_debug(kmalloc_slab(128, GFP_KERNEL)));
	struct kmem_cache *d = kmem_cache_create("dbg_one", 40, 0, 0, NULL);
	CHECK(d->flags & SLAB_RED_ZONE);
	/* a debug cache is never an alias */
	CHECK(kmem_cache_create("dbg_two", 40, 0, 0, NULL) != d);
	void *p = kmalloc(50, GFP_KERNEL);
	CHECK(virt_to_cache(p) == k64);
	CHECK(k64->cpu_slab[0].slab == NULL);	/* slow paths only */
	kfree(p);
	CHECK_EQ(kalloc_validate(), 0);
	kalloc_fini();

	cfg.slab_debug = "FZPUO";
	ktest_init(cfg);
	/* 8k objects: metadata would raise the order, so 'O' drops Z, P
	 * and U (F needs no room and stays) */
	struct kmem_cache *k8k = kmalloc_slab(8192, GFP_KERNEL);
	CHECK(!(k8k->flags & DEBUG_METADATA_FLAGS));
	CHECK(k8k->flags & SLAB_CONSISTENCY_CHECKS);
	CHECK_EQ(k8k->size, 8192);
	CHECK(kmem_cache_debug(kmalloc_slab(64, GFP_KERNEL)));
	CHECK(kmalloc_slab(64, GFP_KERNEL)->flags & SLAB_POISON);
	void *q = kmalloc(8000, GFP_KERNEL);
	CHECK(q != NULL);
	kfree(q);
	CHECK_EQ(kalloc_validate(), 0);
}
