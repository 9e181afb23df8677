/*
 * Helpers shared by the debug layer's tests (tests/test_debug_*.c): a
 * machine with slab_debug set, writes and reads that bypass ASan (the
 * allocator keeps the shadow exact, so a deliberate corruption must not be
 * caught by ASan before the allocator sees it), neighbour objects that
 * carry byte patterns, and checks on the captured reports.
 */
#ifndef KDEBUG_H
#define KDEBUG_H

#include "ktest.h"
#include "internal.h"

/*
 * kasan_off: these test the debug layer's own findings and layout, which
 * generic KASAN's checks would pre-empt in an ASan build (a double or
 * invalid free is KASAN's first, as in the kernel); test_kasan_slab.c
 * tests the two together.
 */
static inline void dbg_init_cfg(const char *slab_debug, size_t quarantine)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = slab_debug;
	cfg.quarantine_bytes = quarantine;
	cfg.kasan_off = true;
	ktest_init(cfg);
}

static inline void dbg_init(const char *slab_debug)
{
	dbg_init_cfg(slab_debug, 0);
}

/*
 * n kmalloc(8)s, then their frees into the quarantine, oldest first out;
 * returns how many of p[] it had already let go after the last free.
 */
static inline int free_eights_into_quarantine(void **p, int n)
{
	int gone = 0;

	for (int i = 0; i < n; i++)
		p[i] = kmalloc(8, GFP_KERNEL);
	for (int i = 0; i < n; i++)
		kfree(p[i]);
	for (int i = 0; i < n; i++)
		gone += !quarantine_contains(p[i]);
	return gone;
}

/* A corrupting write or a peek that ASan must not see. */
static inline void poke(void *addr, uint8_t v)
{
	kasan_memset_nocheck(addr, v, 1);
}

static inline uint8_t peek(const void *addr)
{
	return kasan_read_byte_nocheck(addr);
}

static inline void poke_word(void *addr, unsigned long v)
{
	kasan_write_word_nocheck(addr, v);
}

/* Live objects with a byte pattern each, to show nothing else changed. */
#define MAX_NEIGHBOURS 256
struct neighbours {
	void *obj[MAX_NEIGHBOURS];
	size_t size[MAX_NEIGHBOURS];
	int n;
};

static inline uint8_t pattern_byte(int i, size_t off)
{
	return (uint8_t)(0x11 + 13 * i + (off & 7));
}

static inline void neighbours_fill(struct neighbours *nb, int i)
{
	for (size_t off = 0; off < nb->size[i]; off++)
		((uint8_t *)nb->obj[i])[off] = pattern_byte(i, off);
}

/* n objects from alloc(ctx, size), each filled with its own pattern. */
static inline void neighbours_alloc(struct neighbours *nb, int n, size_t size,
				    void *(*alloc)(void *ctx, size_t size),
				    void *ctx)
{
	nb->n = 0;
	for (int i = 0; i < n && i < MAX_NEIGHBOURS; i++) {
		void *p = alloc(ctx, size);

		CHECK(p != NULL);
		if (!p)
			return;
		nb->obj[nb->n] = p;
		nb->size[nb->n] = size;
		neighbours_fill(nb, nb->n++);
	}
}

static inline void *neighbour_from_cache(void *cache, size_t size)
{
	(void)size;
	return kmem_cache_alloc(cache, GFP_KERNEL);
}

static inline void *neighbour_from_kmalloc(void *ctx, size_t size)
{
	(void)ctx;
	return kmalloc(size, GFP_KERNEL);
}

/* n objects from a cache (size: what the caller may use of each). */
static inline void neighbours_cache(struct neighbours *nb,
				    struct kmem_cache *s, int n, size_t size)
{
	neighbours_alloc(nb, n, size, neighbour_from_cache, s);
}

static inline void neighbours_kmalloc(struct neighbours *nb, int n,
				      size_t size)
{
	neighbours_alloc(nb, n, size, neighbour_from_kmalloc, NULL);
}

/* Takes one of them out (to be the victim); it is no longer checked. */
static inline void *neighbours_take(struct neighbours *nb, int i)
{
	void *p = nb->obj[i];

	nb->obj[i] = NULL;
	return p;
}

static inline int neighbours_damaged(const struct neighbours *nb)
{
	int bad = 0;

	for (int i = 0; i < nb->n; i++) {
		if (!nb->obj[i])
			continue;
		for (size_t off = 0; off < nb->size[i]; off++)
			if (((uint8_t *)nb->obj[i])[off] != pattern_byte(i, off)) {
				bad++;
				break;
			}
	}
	return bad;
}

static inline void neighbours_free(struct neighbours *nb,
				   struct kmem_cache *s)
{
	for (int i = 0; i < nb->n; i++) {
		if (!nb->obj[i])
			continue;
		if (s)
			kmem_cache_free(s, nb->obj[i]);
		else
			kfree(nb->obj[i]);
		nb->obj[i] = NULL;
	}
}

/* Exactly one report since the last clear: its kind and title. */
#define CHECK_ONE_REPORT(kind_, title_) do {				\
	CHECK_EQ(ktest_nr_reports, 1);					\
	if (ktest_nr_reports >= 1) {					\
		CHECK_EQ(ktest_reports[0].bug, (kind_));		\
		CHECK_STR(ktest_reports[0].title, (title_));		\
	}								\
} while (0)

/* kalloc_validate() finds nothing, and says so without reports. */
#define CHECK_VALIDATE_CLEAN() do {					\
	ktest_capture_clear();						\
	CHECK_EQ(kalloc_validate(), 0);					\
	CHECK_EQ(ktest_nr_reports, 0);					\
} while (0)

#endif /* KDEBUG_H */
