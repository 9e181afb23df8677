/*
 * kmalloc: every size-class boundary, the kmalloc types and their names,
 * large kmalloc, krealloc in every direction, and the rest of the family
 * (kzalloc, kcalloc, kmalloc_array, krealloc_array, kfree, kfree_sensitive,
 * ksize, kmalloc_size_roundup, kmemdup, kstrdup, kstrndup, virt_to_cache).
 */
#include <stdint.h>

#include "internal.h"
#include "ktest.h"

static const unsigned int class_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
};

static const char *class_name(unsigned int size)
{
	static char buf[32];

	if (size >= 1024)
		snprintf(buf, sizeof(buf), "kmalloc-%uk", size / 1024);
	else
		snprintf(buf, sizeof(buf), "kmalloc-%u", size);
	return buf;
}

/* The class a size must land in, from the list above (not the table). */
static unsigned int expected_class(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_sizes); i++)
		if (size <= class_sizes[i])
			return class_sizes[i];
	return 0;
}

static void check_size(size_t size)
{
	unsigned int cls = expected_class(size);
	struct kmem_cache *s = kmalloc_slab(size, GFP_KERNEL);
	void *p = kmalloc(size, GFP_KERNEL);

	if (!s || strcmp(kmem_cache_name(s), class_name(cls)))
		ktest_fail(__FILE__, __LINE__, "size %zu: cache %s, want %s",
			   size, s ? kmem_cache_name(s) : "(none)", class_name(cls));
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(virt_to_cache(p) == s);
	CHECK_EQ(ksize(p), cls);
	CHECK_EQ(kmalloc_size_roundup(size), cls);
	/* aligned to the largest power of two dividing the class size */
	CHECK(IS_ALIGNED((uintptr_t)p, 1U << __builtin_ctz(cls)));
	CHECK(s->flags & SLAB_KMALLOC);
	memset(p, 0x5c, cls);	/* the whole bucket is the caller's */
	kfree(p);
}

KTEST(size_class_boundaries)
{
	ktest_init_default();
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kmalloc_slab(0, GFP_KERNEL) == NULL);
	CHECK_EQ(kmalloc_size_roundup(0), 0);
	check_size(1);
	for (size_t i = 0; i < ARRAY_SIZE(class_sizes); i++) {
		size_t c = class_sizes[i];

		check_size(c - 1);
		check_size(c);
		if (c < KMALLOC_MAX_CACHE_SIZE)
			check_size(c + 1);
	}
	/* every size up to 256, through the 8-byte table and fls above */
	for (size_t n = 1; n <= 256; n++)
		check_size(n);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate(), 0);
}

static void check_large(size_t size)
{
	size_t pages_bytes = PAGE_SIZE << get_order(size);
	unsigned long before = nr_free_pages();
	unsigned char *p = kmalloc(size, GFP_KERNEL);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(kmalloc_slab(size, GFP_KERNEL) == NULL);
	CHECK(virt_to_cache(p) == NULL);
	CHECK(IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	CHECK_EQ(ksize(p), pages_bytes);
	CHECK_EQ(kmalloc_size_roundup(size), pages_bytes);
	struct page *page = virt_to_page(p);
	CHECK(page_test(page, PG_large_kmalloc));
	CHECK(PageHead(page));
	CHECK_EQ(compound_order(page), (unsigned int)get_order(size));
	CHECK_EQ(nr_free_pages(), before - pages_bytes / PAGE_SIZE);
	p[0] = 1;
	p[size - 1] = 2;
	kfree(p);
	CHECK_EQ(nr_free_pages(), before);
	CHECK(!page_test(page, PG_large_kmalloc));
}

KTEST(large_kmalloc_boundaries)
{
	ktest_init_default();
	check_size(KMALLOC_MAX_CACHE_SIZE - 1);
	check_size(KMALLOC_MAX_CACHE_SIZE);
	check_large(KMALLOC_MAX_CACHE_SIZE + 1);
	check_large(3 * PAGE_SIZE + 5);
	check_large(KMALLOC_MAX_SIZE - 1);
	check_large(KMALLOC_MAX_SIZE);
	CHECK_EQ(kalloc_validate(), 0);

	/* above the limit: NULL, quietly with __GFP_NOWARN */
	unsigned long before = nr_free_pages();
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(strstr(ktest_log, "WARNING") == NULL);
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == NULL);
	CHECK_CONTAINS(ktest_log, "order 11 > MAX_PAGE_ORDER");
	CHECK(kmalloc(SIZE_MAX, GFP_KERNEL) == NULL);
	CHECK_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE + 1), KMALLOC_MAX_SIZE + 1);
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(large_kmalloc_zeroed_and_dma)
{
	ktest_init_default();
	unsigned char *p = kmalloc(20000, GFP_KERNEL);
	memset(p, 0xff, 20000);
	kfree(p);
	unsigned char *q = kzalloc(20000, GFP_KERNEL);
	CHECK(q != NULL);
	for (size_t i = 0; i < 20000; i += 97)
		CHECK_EQ(q[i], 0);
	kfree(q);
	void *d = kmalloc(20000, GFP_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	kfree(d);
	/* a zone modifier kmalloc must not get is dropped with the warning */
	void *h = kmalloc(20000, GFP_KERNEL | __GFP_DMA32);
	CHECK(h != NULL);
	CHECK_CONTAINS(ktest_log, "Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!");
	kfree(h);
}

KTEST(kmalloc_types)
{
	ktest_init_default();
	static const struct { gfp_t gfp; const char *name; } t[] = {
		{ GFP_KERNEL, "kmalloc-64" },
		{ GFP_ATOMIC, "kmalloc-64" },
		{ __GFP_RECLAIMABLE, "kmalloc-rcl-64" },
		{ GFP_KERNEL_ACCOUNT, "kmalloc-cg-64" },
		{ GFP_DMA, "dma-kmalloc-64" },
		/* the kernel's priority: DMA, then RECLAIMABLE, then ACCOUNT */
		{ GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT, "dma-kmalloc-64" },
		{ __GFP_RECLAIMABLE | __GFP_ACCOUNT, "kmalloc-rcl-64" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		void *p = kmalloc(50, t[i].gfp);
		CHECK_STR(kmem_cache_name(kmalloc_slab(50, t[i].gfp)), t[i].name);
		CHECK_STR(kmem_cache_name(virt_to_cache(p)), t[i].name);
		kfree(p);
	}
	CHECK_STR(kmem_cache_name(kmalloc_slab(96, __GFP_RECLAIMABLE)), "kmalloc-rcl-96");
	CHECK_STR(kmem_cache_name(kmalloc_slab(8192, GFP_DMA)), "dma-kmalloc-8k");
	CHECK_STR(kmem_cache_name(kmalloc_slab(150, __GFP_ACCOUNT)), "kmalloc-cg-192");
	CHECK_STR(kmem_cache_name(kmalloc_slab(1000, GFP_KERNEL)), "kmalloc-1k");

	/* every cache exists from init (1: 96, 2: 192, 3..13: 8..8k), with
	 * its type's flags */
	for (int type = 0; type < NR_KMALLOC_TYPES; type++)
		for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s = kmalloc_caches[type][i];

			CHECK(s != NULL);
			if (!s)
				continue;
			CHECK(s->flags & SLAB_KMALLOC);
			CHECK(s->boot);
			CHECK_EQ(!!(s->flags & SLAB_RECLAIM_ACCOUNT), type == KMALLOC_RECLAIM);
			CHECK_EQ(!!(s->flags & SLAB_CACHE_DMA), type == KMALLOC_DMA);
			CHECK_EQ(!!(s->flags & SLAB_ACCOUNT), type == KMALLOC_CGROUP);
			CHECK_EQ(!!(s->flags & SLAB_NO_MERGE), type == KMALLOC_NORMAL);
		}
	/* dma- slabs come from ZONE_DMA */
	void *d = kmalloc(100, GFP_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	kfree(d);
}

KTEST(kmalloc_types_without_dma_zone)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.dma_bytes = 0;
	ktest_init(cfg);
	/* CONFIG_ZONE_DMA=n: no dma- caches, __GFP_DMA picks the normal ones */
	for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
		CHECK(kmalloc_caches[KMALLOC_DMA][i] == NULL);
	CHECK_STR(kmem_cache_name(kmalloc_slab(64, GFP_DMA)), "kmalloc-64");
	CHECK_STR(kmem_cache_name(kmalloc_slab(64, GFP_DMA | __GFP_RECLAIMABLE)),
		  "kmalloc-rcl-64");
	void *p = kmalloc(64, GFP_DMA);
	CHECK(p != NULL);
	kfree(p);
}

KTEST(kzalloc_kcalloc_kmalloc_array)
{
	ktest_init_default();
	unsigned char *p = kmalloc(100, GFP_KERNEL);
	memset(p, 0xaa, 100);
	kfree(p);
	unsigned char *z = kzalloc(100, GFP_KERNEL);
	CHECK(z == p);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(z[i], 0);
	kfree(z);

	int *a = kcalloc(10, sizeof(int), GFP_KERNEL);
	CHECK(a != NULL);
	for (int i = 0; i < 10; i++)
		CHECK_EQ(a[i], 0);
	CHECK_EQ(ksize(a), 64);
	kfree(a);
	a = kmalloc_array(10, sizeof(int), GFP_KERNEL);
	CHECK_EQ(ksize(a), 64);
	kfree(a);
	/* multiplication overflow: NULL, nothing allocated */
	unsigned long before = nr_free_pages();
	CHECK(kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL) == NULL);
	CHECK(kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL) == NULL);
	CHECK(kmalloc_array(0, 5, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(ktest_nr_reports, 0);
}

static void fill(void *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const void *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

KTEST(krealloc_every_direction)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();

	/* NULL and ZERO_SIZE_PTR: a fresh kmalloc */
	void *p = krealloc(NULL, 40, GFP_KERNEL);
	CHECK(p != NULL && p != ZERO_SIZE_PTR);
	CHECK_EQ(ksize(p), 64);
	void *z = krealloc(ZERO_SIZE_PTR, 10, GFP_KERNEL);
	CHECK(z != NULL && z != ZERO_SIZE_PTR);
	CHECK_EQ(ksize(z), 16);

	/* to 0: freed, ZERO_SIZE_PTR back */
	CHECK(krealloc(z, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kmalloc(16, GFP_KERNEL) == z);	/* it was freed: comes back */
	kfree(z);
	CHECK(krealloc(NULL, 0, GFP_KERNEL) == ZERO_SIZE_PTR);

	fill(p, 40, 1);
	/* shrink: same pointer */
	CHECK(krealloc(p, 20, GFP_KERNEL) == p);
	CHECK(filled(p, 20, 1));
	/* growth within the bucket: same pointer, contents kept */
	CHECK(krealloc(p, 64, GFP_KERNEL) == p);
	CHECK(filled(p, 20, 1));
	/* growth past the bucket: moves, contents kept, old freed */
	fill(p, 64, 2);
	void *q = krealloc(p, 100, GFP_KERNEL);
	CHECK(q != p);
	CHECK_EQ(ksize(q), 128);
	CHECK(filled(q, 64, 2));
	CHECK(kmalloc(64, GFP_KERNEL) == p);	/* the old object was freed */
	kfree(p);

	/* small -> large kmalloc */
	fill(q, 100, 3);
	void *big = krealloc(q, 10000, GFP_KERNEL);
	CHECK(big != q);
	CHECK(page_test(virt_to_page(big), PG_large_kmalloc));
	CHECK(filled(big, 100, 3));
	/* large, within its pages: in place */
	CHECK(krealloc(big, 16000, GFP_KERNEL) == big);
	/* large -> bigger large: moves */
	/* only the requested 16000 bytes are addressable (exact ASan shadow) */
	fill(big, 16000, 4);
	void *bigger = krealloc(big, 20000, GFP_KERNEL);
	CHECK(bigger != big);
	CHECK(filled(bigger, 16000, 4));
	CHECK(!page_test(virt_to_page(big), PG_large_kmalloc));	/* freed */
	/* large -> small: the pages still hold it, so it stays (as the kernel) */
	CHECK(krealloc(bigger, 100, GFP_KERNEL) == bigger);
	kfree(bigger);

	/* __GFP_ZERO: in place the rest of the bucket is zeroed; on a move
	 * the new object is zeroed beyond what was copied */
	unsigned char *r = kmalloc(40, GFP_KERNEL);
	/* the whole bucket, past the 40 requested (poisoned) bytes */
	kasan_memset_nocheck(r, 0xee, 64);
	CHECK(krealloc(r, 48, GFP_KERNEL | __GFP_ZERO) == r);
	for (int i = 0; i < 48; i++)
		CHECK_EQ(r[i], 0xee);
	for (int i = 48; i < 64; i++)
		CHECK_EQ(kasan_read_byte_nocheck(r + i), 0);
	unsigned char *m = krealloc(r, 200, GFP_KERNEL | __GFP_ZERO);
	CHECK(m != r);
	for (int i = 0; i < 48; i++)
		CHECK_EQ(m[i], 0xee);
	for (int i = 64; i < 200; i++)
		CHECK_EQ(m[i], 0);
	kfree(m);

	/* krealloc_array: overflow fails and leaves p alone */
	int *arr = krealloc_array(NULL, 4, sizeof(int), GFP_KERNEL);
	CHECK_EQ(ksize(arr), 16);
	arr[0] = 99;
	CHECK(krealloc_array(arr, SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	CHECK_EQ(arr[0], 99);
	int *arr2 = krealloc_array(arr, 100, sizeof(int), GFP_KERNEL);
	CHECK(arr2 != NULL && arr2[0] == 99);
	kfree(arr2);

	kmem_cache_shrink(kmalloc_slab(64, GFP_KERNEL));
	slab_shrink_all();
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(kfree_cases)
{
	ktest_init_default();
	unsigned long free0;

	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	CHECK_EQ(ktest_nr_reports, 0);

	/* a page that is not a large kmalloc: reported, not freed */
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	free0 = nr_free_pages();
	kfree(page_address(page));
	CHECK_EQ(ktest_nr_reports, 1);
	CHECK_EQ(ktest_reports[0].bug, KALLOC_BUG_INVALID_FREE);
	CHECK_STR(ktest_reports[0].title, "kmalloc: invalid free (not a kmalloc allocation)");
	CHECK_CONTAINS(ktest_reports[0].text, "page dumped because: Not a kmalloc allocation");
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(page_count(page), 1);
	__free_pages(page, 2);

	/* a pointer outside the linear map */
	long local;
	kfree(&local);
	CHECK_EQ(ktest_nr_reports, 2);
	CHECK_EQ(ktest_reports[1].bug, KALLOC_BUG_INVALID_FREE);

	/* a large kmalloc freed twice: the second is not a kmalloc any more
	 * (KASAN, in an ASan build, finds its pages freed: a double free) */
	void *big = kmalloc(50000, GFP_KERNEL);
	free0 = nr_free_pages();
	kfree(big);
	unsigned long after = nr_free_pages();
	CHECK_EQ(after, free0 + 16);
	kfree(big);
	CHECK_EQ(ktest_nr_reports, 3);
	CHECK_STR(ktest_reports[2].title, KALLOC_KASAN ?
		  "kmalloc: double free of large kmalloc" :
		  "kmalloc: invalid free (not a kmalloc allocation)");
	CHECK_EQ(nr_free_pages(), after);
	/* an interior pointer of a large kmalloc: reported, nothing freed
	 * (the kernel would free the whole compound page) */
	big = kmalloc(50000, GFP_KERNEL);
	unsigned long live = nr_free_pages();
	kfree((char *)big + 3 * PAGE_SIZE + 8);
	CHECK_EQ(ktest_nr_reports, 4);
	CHECK_EQ(ktest_reports[3].bug, KALLOC_BUG_INVALID_FREE);
	CHECK_STR(ktest_reports[3].title,
		  "kmalloc: invalid free (interior pointer of a large kmalloc)");
	CHECK_EQ(nr_free_pages(), live);
	CHECK(page_test(virt_to_page(big), PG_large_kmalloc));
	kfree(big);
	CHECK_EQ(nr_free_pages(), after);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(kfree_sensitive_zeroes_the_bucket)
{
	ktest_init_default();
	unsigned char *p = kmalloc(100, GFP_KERNEL);
	struct kmem_cache *s = virt_to_cache(p);

	memset(p, 0x77, ksize(p));
	kfree_sensitive(p);
	for (unsigned int i = 0; i < 128; i++)
		if (i < s->offset || i >= s->offset + sizeof(void *))
			CHECK_EQ(kasan_read_byte_nocheck(p + i), 0);
	CHECK(kmalloc(100, GFP_KERNEL) == p);	/* and it was freed */
	kfree(p);

	unsigned char *big = kmalloc(20000, GFP_KERNEL);
	memset(big, 0x77, 20000);
	kfree_sensitive(big);
	CHECK(!page_test(virt_to_page(big), PG_large_kmalloc));
	kfree_sensitive(NULL);
	kfree_sensitive(ZERO_SIZE_PTR);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(ksize_cases)
{
	ktest_init_default();
	CHECK_EQ(ksize(NULL), 0);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	void *big = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	CHECK_EQ(ksize(big), 8 * PAGE_SIZE);
	/* not the start of a large kmalloc: a warning and 0 */
	CHECK_EQ(ksize((char *)big + PAGE_SIZE), 0);
	CHECK_CONTAINS(ktest_log, "is not a kmalloc allocation");
	struct page *pg = alloc_pages(GFP_KERNEL, 3);
	CHECK_EQ(ksize(page_address(pg)), 0);
	__free_pages(pg, 3);
	long local;
	CHECK_EQ(ksize(&local), 0);
	kfree(big);
	/* a kmem_cache object: its usable size */
	struct kmem_cache *s = kmem_cache_create("ks", 100, 0, 0, NULL);
	void *o = kmem_cache_alloc(s, GFP_KERNEL);
	/* KASAN keeps its red zone after the object */
	CHECK_EQ(ksize(o), KALLOC_KASAN ? s->object_size : s->size);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
	s = kmem_cache_create("ks_rz", 100, 0, SLAB_RED_ZONE, NULL);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(ksize(o), 100);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(kmalloc_size_roundup_values)
{
	ktest_init_default();
	static const size_t t[][2] = {
		{ 0, 0 }, { 1, 8 }, { 8, 8 }, { 9, 16 }, { 24, 32 }, { 65, 96 },
		{ 96, 96 }, { 97, 128 }, { 129, 192 }, { 193, 256 }, { 257, 512 },
		{ 4097, 8192 }, { 8192, 8192 }, { 8193, 16384 },
		{ 40000, 65536 }, { KMALLOC_MAX_SIZE, KMALLOC_MAX_SIZE },
		{ KMALLOC_MAX_SIZE + 1, KMALLOC_MAX_SIZE + 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		CHECK_EQ(kmalloc_size_roundup(t[i][0]), t[i][1]);
}

KTEST(kmemdup_kstrdup_kstrndup)
{
	ktest_init_default();
	const char src[] = "slab allocator";

	char *d = kmemdup(src, sizeof(src), GFP_KERNEL);
	CHECK(d != NULL && d != src && !memcmp(d, src, sizeof(src)));
	CHECK_EQ(ksize(d), 16);
	kfree(d);
	CHECK(kmemdup(src, 0, GFP_KERNEL) == ZERO_SIZE_PTR);

	char *s = kstrdup(src, GFP_KERNEL);
	CHECK_STR(s, "slab allocator");
	kfree(s);
	CHECK(kstrdup(NULL, GFP_KERNEL) == NULL);
	char *e = kstrdup("", GFP_KERNEL);
	CHECK_STR(e, "");
	kfree(e);

	char *n = kstrndup(src, 4, GFP_KERNEL);
	CHECK_STR(n, "slab");
	CHECK_EQ(ksize(n), 8);
	kfree(n);
	n = kstrndup(src, 100, GFP_KERNEL);
	CHECK_STR(n, "slab allocator");
	kfree(n);
	CHECK(kstrndup(NULL, 4, GFP_KERNEL) == NULL);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(kmalloc_cross_cpu)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	void *p[64];

	cfg.ncpus = 4;
	ktest_init(cfg);
	for (int i = 0; i < 64; i++) {
		kalloc_set_cpu((unsigned int)i % 4);
		p[i] = kmalloc(32 + (size_t)i * 8, GFP_KERNEL);
		fill(p[i], 32 + (size_t)i * 8, (unsigned char)i);
	}
	for (int i = 0; i < 64; i++) {
		kalloc_set_cpu((unsigned int)(i + 1) % 4);
		CHECK(filled(p[i], 32 + (size_t)i * 8, (unsigned char)i));
		kfree(p[i]);
	}
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}
