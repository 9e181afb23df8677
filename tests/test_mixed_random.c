/*
 * 200k random operations across 4 CPUs: kmalloc of every type and size
 * (large ones included), krealloc, kmem_cache objects of several caches
 * (a constructor, hardware alignment, a debug cache), bulk operations,
 * pages, vmalloc and kvmalloc, cache creation and destruction, shrinking.
 * Every live object carries its own byte pattern, checked when it is freed;
 * kalloc_validate() runs every 1000 operations. At the end everything is
 * freed and every page is back.
 */
#include <stdint.h>

#include "internal.h"
#include "ktest.h"

#define NR_OPS		200000
#define MAX_LIVE	4096
#define NCPUS		4

enum kind { K_KMALLOC, K_CACHE, K_PAGES, K_VMALLOC, K_KVMALLOC };

struct obj {
	enum kind kind;
	void *p;
	size_t size;		/* bytes carrying the pattern */
	unsigned int id;
	int cache;		/* K_CACHE: index in caches[] */
	unsigned int order;	/* K_PAGES */
};

static struct obj live[MAX_LIVE];
static unsigned int nlive, next_id;
static unsigned long made[5];	/* successful allocations per kind */
static uint64_t rng_state;
static struct kmem_cache *caches[4];
static unsigned int cache_sizes[4] = { 40, 200, 700, 96 };

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static unsigned char pat(unsigned int id, size_t i)
{
	return (unsigned char)(id * 131u + i * 7u + (i >> 8));
}

static void fill(struct obj *o)
{
	unsigned char *b = o->p;

	for (size_t i = 0; i < o->size; i++)
		b[i] = pat(o->id, i);
}

static bool intact(const struct obj *o, size_t n)
{
	const unsigned char *b = o->p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != pat(o->id, i))
			return false;
	return true;
}

static int ctor_calls;
static void ctor(void *p)
{
	ctor_calls++;
	memset(p, 0, 40);
}

static void add(struct obj o)
{
	o.id = next_id++;
	fill(&o);
	live[nlive++] = o;
}

static size_t rnd_size(void)
{
	unsigned int r = rnd_below(100);

	if (r < 60)
		return 1 + rnd_below(256);
	if (r < 90)
		return 1 + rnd_below(2048);
	if (r < 98)
		return 1 + rnd_below(KMALLOC_MAX_CACHE_SIZE);
	return KMALLOC_MAX_CACHE_SIZE + 1 + rnd_below(56 * 1024);
}

static gfp_t rnd_gfp(void)
{
	static const gfp_t types[] = {
		GFP_KERNEL, GFP_KERNEL, GFP_KERNEL, GFP_ATOMIC,
		GFP_KERNEL | __GFP_RECLAIMABLE, GFP_KERNEL_ACCOUNT, GFP_DMA,
	};

	return types[rnd_below(ARRAY_SIZE(types))] | __GFP_NOWARN;
}

static void free_obj(unsigned int i)
{
	struct obj *o = &live[i];

	CHECK(intact(o, o->size));
	switch (o->kind) {
	case K_KMALLOC:
		if (rnd_below(10) == 0)
			kfree_sensitive(o->p);
		else
			kfree(o->p);
		break;
	case K_CACHE:
		kmem_cache_free(caches[o->cache], o->p);
		break;
	case K_PAGES:
		__free_pages(virt_to_page(o->p), o->order);
		break;
	case K_VMALLOC:
		vfree(o->p);
		break;
	case K_KVMALLOC:
		kvfree(o->p);
		break;
	}
	live[i] = live[--nlive];
}

static void op_alloc(void)
{
	unsigned int r = rnd_below(100);
	struct obj o = { 0 };

	if (r < 50) {
		gfp_t gfp = rnd_gfp();
		bool zero = rnd_below(8) == 0;

		o.kind = K_KMALLOC;
		o.size = rnd_size();
		o.p = zero ? kzalloc(o.size, gfp) : kmalloc(o.size, gfp);
		if (o.p && zero)
			for (size_t i = 0; i < o.size; i += 61)
				CHECK_EQ(((unsigned char *)o.p)[i], 0);
	} else if (r < 85) {
		o.kind = K_CACHE;
		o.cache = (int)rnd_below(4);
		o.size = cache_sizes[o.cache];
		o.p = kmem_cache_alloc(caches[o.cache], GFP_KERNEL | __GFP_NOWARN);
	} else if (r < 93) {
		o.kind = K_PAGES;
		o.order = rnd_below(4);
		struct page *pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o.order);
		o.p = pg ? page_address(pg) : NULL;
		o.size = PAGE_SIZE << o.order;
	} else if (r < 97) {
		o.kind = K_VMALLOC;
		o.size = 1 + rnd_below(5 * PAGE_SIZE);
		o.p = vmalloc(o.size);
	} else {
		o.kind = K_KVMALLOC;
		o.size = 1 + rnd_below(3 * PAGE_SIZE);
		o.p = kvmalloc(o.size, GFP_KERNEL);
	}
	if (o.p) {
		made[o.kind]++;
		add(o);
	}
}

static void op_krealloc(void)
{
	unsigned int i = rnd_below(nlive);
	struct obj *o = &live[i];
	size_t new_size = rnd_size();
	void *np;

	if (o->kind != K_KMALLOC)
		return;
	CHECK(intact(o, o->size));
	np = krealloc(o->p, new_size, GFP_KERNEL | __GFP_NOWARN);
	if (!np) {
		CHECK(intact(o, o->size));	/* a failed krealloc keeps it */
		return;
	}
	o->p = np;
	CHECK(intact(o, new_size < o->size ? new_size : o->size));
	o->size = new_size;
	fill(o);
}

static void op_bulk(void)
{
	void *p[32];
	int c = (int)rnd_below(4);
	int n = kmem_cache_alloc_bulk(caches[c], GFP_KERNEL | __GFP_NOWARN,
				      1 + rnd_below(32), p);

	/* only called with room for 32 more */
	for (int k = 0; k < n; k++) {
		struct obj o = { .kind = K_CACHE, .p = p[k], .cache = c,
				 .size = cache_sizes[c] };
		add(o);
	}
}

/* Free a run of one cache's objects with one bulk call. */
static void op_free_bulk(void)
{
	void *p[16];
	int c = (int)rnd_below(4), n = 0;

	for (unsigned int i = 0; i < nlive && n < 16;) {
		if (live[i].kind == K_CACHE && live[i].cache == c) {
			CHECK(intact(&live[i], live[i].size));
			p[n++] = live[i].p;
			live[i] = live[--nlive];
			continue;
		}
		i++;
	}
	kmem_cache_free_bulk(caches[c], (size_t)n, p);
}

static void op_temp_cache(void)
{
	struct kmem_cache *t = kmem_cache_create("temp", 16 + rnd_below(500), 0,
						 rnd_below(2) ? SLAB_HWCACHE_ALIGN : 0,
						 NULL);
	void *p[40];
	unsigned int n = rnd_below(40);

	CHECK(t != NULL);
	for (unsigned int k = 0; k < n; k++)
		p[k] = kmem_cache_alloc(t, GFP_KERNEL | __GFP_NOWARN);
	for (unsigned int k = 0; k < n; k++) {
		kalloc_set_cpu(rnd_below(NCPUS));
		kmem_cache_free(t, p[k]);
	}
	kmem_cache_destroy(t);
}

KTEST(mixed_random_operations)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.ncpus = NCPUS;
	cfg.seed = 12345;
	ktest_init(cfg);
	rng_state = 0x9e3779b97f4a7c15ULL;
	nlive = 0;
	next_id = 1;
	unsigned long free0 = nr_free_pages();

	caches[0] = kmem_cache_create("rnd_ctor", cache_sizes[0], 0, 0, ctor);
	caches[1] = kmem_cache_create("rnd_hw", cache_sizes[1], 0,
				      SLAB_HWCACHE_ALIGN, NULL);
	caches[2] = kmem_cache_create("rnd_dbg", cache_sizes[2], 0,
				      SLAB_RED_ZONE | SLAB_STORE_USER, NULL);
	caches[3] = kmem_cache_create("rnd_rcl", cache_sizes[3], 0,
				      SLAB_RECLAIM_ACCOUNT, NULL);
	for (int c = 0; c < 4; c++)
		CHECK(caches[c] != NULL);

	unsigned long validations = 0;
	for (unsigned int op = 1; op <= NR_OPS; op++) {
		unsigned int r = rnd_below(1000);

		kalloc_set_cpu(rnd_below(NCPUS));
		if (nlive == 0 || (nlive < MAX_LIVE - 64 && r < 480))
			op_alloc();
		else if (r < 900)
			free_obj(rnd_below(nlive));
		else if (r < 960)
			op_krealloc();
		else if (r < 975 && nlive < MAX_LIVE - 64)
			op_bulk();
		else if (r < 990)
			op_free_bulk();
		else if (r < 996)
			op_temp_cache();
		else if (r < 998)
			kmem_cache_shrink(caches[rnd_below(4)]);
		else
			slab_shrink_all();

		if (op % 1000 == 0) {
			int bad = kalloc_validate();

			validations++;
			if (bad) {
				ktest_fail(__FILE__, __LINE__,
					   "validate found %d problems at op %u", bad, op);
				break;
			}
		}
	}
	CHECK_EQ(validations, NR_OPS / 1000);
	CHECK(ctor_calls > 0);
	/* every kind of operation really ran */
	for (int k = 0; k < 5; k++)
		if (made[k] < 500)
			ktest_fail(__FILE__, __LINE__, "only %lu allocations of kind %d",
				   made[k], k);

	while (nlive)
		free_obj(nlive - 1);
	for (int c = 0; c < 4; c++)
		kmem_cache_destroy(caches[c]);
	slab_shrink_all();
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(ktest_nr_reports, 0);
	if (ktest_nr_reports)
		fprintf(stderr, "first report: %s\n%s", ktest_reports[0].title,
			ktest_reports[0].text);
}
