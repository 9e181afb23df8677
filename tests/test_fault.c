/*
 * Fault injection (kalloc/fault.h) and the views leak reports are built
 * on (kalloc/objects.h): which calls ask the hook and with what, that a
 * true answer fails exactly that call, __GFP_NOFAIL and the 'A' cache
 * filter; what kalloc_for_each_allocated() lists (and that freed and
 * quarantined objects are not in it), and kalloc_describe_addr() on live,
 * freed and out-of-bounds addresses.
 */
#include "ktest.h"

struct hook_log {
	unsigned int calls;
	unsigned int fail_at;		/* fail the n-th call (1-based); 0 never */
	struct kalloc_fault last;
	char cache[64];
};

static bool hook(const struct kalloc_fault *f, void *arg)
{
	struct hook_log *h = arg;

	h->calls++;
	h->last = *f;
	snprintf(h->cache, sizeof(h->cache), "%s", f->cache ? f->cache : "");
	return h->calls == h->fail_at;
}

KTEST(fault_hook_sees_each_call_once)
{
	struct hook_log h = { 0 };
	struct kmem_cache *c;
	void *p, *q, *v;
	struct page *pg;
	unsigned long pages;

	ktest_init_default();
	kalloc_set_fault_hook(hook, &h);
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(h.calls, 1);
	CHECK_EQ(h.last.kind, KALLOC_FAULT_SLAB);
	CHECK_STR(h.cache, "kmalloc-128");
	CHECK_EQ(h.last.size, 128);
	CHECK_EQ(h.last.gfp, GFP_KERNEL);
	CHECK(h.last.caller != 0);

	c = kmem_cache_create("fault_test", 40, 8, 0, NULL);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK_STR(h.cache, "fault_test");

	pg = alloc_pages(GFP_KERNEL, 2);
	CHECK(pg != NULL);
	CHECK_EQ(h.last.kind, KALLOC_FAULT_PAGE);
	CHECK_EQ(h.last.order, 2);
	CHECK_EQ(h.last.size, 4 * PAGE_SIZE);
	pages = __get_free_pages(GFP_KERNEL, 1);
	CHECK(pages != 0);
	CHECK_EQ(h.last.order, 1);

	h.calls = 0;
	v = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);	/* large kmalloc: pages */
	CHECK(v != NULL);
	CHECK_EQ(h.calls, 1);
	CHECK_EQ(h.last.kind, KALLOC_FAULT_PAGE);
	CHECK_EQ(h.last.order, 2);
	kfree(v);

	h.calls = 0;
	v = vmalloc(5 * PAGE_SIZE);		/* one question for the area */
	CHECK(v != NULL);
	CHECK_EQ(h.calls, 1);
	CHECK_EQ(h.last.kind, KALLOC_FAULT_PAGE);
	vfree(v);

	kalloc_set_fault_hook(NULL, NULL);
	free_pages(pages, 1);
	__free_pages(pg, 2);
	kmem_cache_free(c, q);
	kmem_cache_destroy(c);
	kfree(p);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
	kalloc_fini();
}

KTEST(fault_hook_fails_exactly_the_chosen_call)
{
	struct hook_log h = { .fail_at = 2 };
	void *a, *b, *c, *v;

	ktest_init_default();
	kalloc_set_fault_hook(hook, &h);
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	c = kmalloc(32, GFP_KERNEL);
	CHECK(a != NULL);
	CHECK(b == NULL);
	CHECK(c != NULL);
	/* __GFP_NOFAIL is never failed, nor even asked about */
	h.calls = 0;
	h.fail_at = 1;
	v = kmalloc(32, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(v != NULL);
	CHECK_EQ(h.calls, 0);
	/* a failed vmalloc and alloc_pages leave nothing behind */
	h.calls = 0;
	CHECK(vmalloc(8 * PAGE_SIZE) == NULL);
	h.calls = 0;
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	kalloc_set_fault_hook(NULL, NULL);
	kfree(a);
	kfree(c);
	kfree(v);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
	kalloc_fini();
}

KTEST(fault_cache_filter_follows_slab_debug_A)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct hook_log h = { .fail_at = 1 };
	void *a, *b;

	cfg.slab_debug = "A,kmalloc-64";
	ktest_init(cfg);
	kalloc_set_fault_hook(hook, &h);
	a = kmalloc(100, GFP_KERNEL);	/* kmalloc-128: not marked, not asked */
	CHECK(a != NULL);
	CHECK_EQ(h.calls, 0);
	b = kmalloc(60, GFP_KERNEL);	/* kmalloc-64: marked, failed */
	CHECK(b == NULL);
	CHECK_EQ(h.calls, 1);
	kalloc_set_fault_hook(NULL, NULL);
	kfree(a);
	kalloc_fini();
}

struct seen {
	const void *addr[16];
	struct kalloc_object obj[16];
	unsigned int n;
};

static void collect(const struct kalloc_object *o, void *arg)
{
	struct seen *s = arg;

	if (s->n < 16)
		s->obj[s->n++] = *o;
}

static const struct kalloc_object *find(const struct seen *s, const void *p)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->obj[i].addr == p)
			return &s->obj[i];
	return NULL;
}

KTEST(objects_lists_what_is_live)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct seen before = { .n = 0 }, after = { .n = 0 };
	const struct kalloc_object *o;
	unsigned long n0;
	void *k, *freed, *v;
	struct page *pg;

	cfg.slab_debug = "FZPU";
	cfg.quarantine_bytes = 1 << 20;
	ktest_init(cfg);
	n0 = kalloc_for_each_allocated(collect, &before);
	k = kmalloc(100, GFP_KERNEL);
	freed = kmalloc(24, GFP_KERNEL);
	kfree(freed);			/* in the quarantine: not live */
	v = vmalloc(3 * PAGE_SIZE);
	pg = alloc_pages(GFP_KERNEL, 1);
	CHECK_EQ(kalloc_for_each_allocated(collect, &after), n0 + 3);
	o = find(&after, k);
	CHECK(o != NULL);
	if (o) {
		CHECK_EQ(o->kind, KALLOC_OBJ_SLAB);
		CHECK_EQ(o->size, 100);		/* the request, under U */
		CHECK_STR(o->cache, "kmalloc-128");
		CHECK(o->caller != 0);
	}
	CHECK(find(&after, freed) == NULL);
	o = find(&after, v);
	CHECK(o != NULL);
	if (o) {
		CHECK_EQ(o->kind, KALLOC_OBJ_VMALLOC);
		CHECK_EQ(o->size, 3 * PAGE_SIZE);
		CHECK(o->caller != 0);
	}
	o = find(&after, page_address(pg));
	CHECK(o != NULL);
	if (o) {
		CHECK_EQ(o->kind, KALLOC_OBJ_PAGES);
		CHECK_EQ(o->size, 2 * PAGE_SIZE);
	}
	__free_pages(pg, 1);
	vfree(v);
	kfree(k);
	kalloc_fini();
}

KTEST(describe_addr_live_freed_and_beyond)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct kalloc_addr_info info;
	char *k, *f;
	int local;

	cfg.slab_debug = "FZPU";
	cfg.quarantine_bytes = 1 << 20;
	ktest_init(cfg);
	k = kmalloc(20, GFP_KERNEL);
	f = kmalloc(20, GFP_KERNEL);
	kfree(f);
	CHECK_EQ(kalloc_describe_addr(k + 4, &info), KALLOC_ADDR_SLAB_LIVE);
	CHECK(info.object == k);
	CHECK_EQ(info.size, 20);
	CHECK_STR(info.cache, "kmalloc-32");
	CHECK_EQ(kalloc_describe_addr(k + 20, &info), KALLOC_ADDR_SLAB_LIVE);
	CHECK(info.object == k);	/* past the request: out of bounds of k */
	CHECK_EQ(kalloc_describe_addr(f, &info), KALLOC_ADDR_SLAB_FREED);
	CHECK(info.object == f);
	CHECK_EQ(kalloc_describe_addr(&local, &info), KALLOC_ADDR_UNKNOWN);
	kfree(k);
	kalloc_fini();
}
