/*
 * Helpers every op file shares, and the only place they live: GFP and
 * NOFAIL handling, the kmalloc-family result checks (kmalloc, krealloc,
 * kvmalloc and kmemdup all end there), freeing any model object the way
 * its kind is freed, cache slots, validation, and the harness's pool
 * shrinker. The op files call these and the model, never each other.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

/* ------------------------------------------------------------------ */
/* GFP and the kmalloc family's results                                */
/* ------------------------------------------------------------------ */

gfp_t sf_op_gfp(const struct sf_op *op, unsigned int i)
{
	return sf_gfp_table[op->arg[i] % sf_nr_gfp].gfp;
}

/* __GFP_NOFAIL only where the model proves the request can be served:
 * a NOFAIL request that cannot be served aborts by design. */
gfp_t sf_nofail_filter(gfp_t gfp, bool provable)
{
	if ((gfp & __GFP_NOFAIL) && !provable)
		gfp &= ~__GFP_NOFAIL;
	return gfp;
}

static bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

bool sf_slab_init_zeroes(bool poisoned, bool ctor)
{
	return (sf.kcfg.init_on_alloc || sf.kcfg.init_on_free) && !poisoned && !ctor;
}

bool sf_kmalloc_must_succeed(size_t size, gfp_t gfp)
{
	size_t bucket;

	if (!size || size > KMALLOC_MAX_SIZE)
		return false;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return sf_must_succeed(gfp | __GFP_COMP, (unsigned int)get_order(size), 1);
	bucket = kmalloc_size_roundup(size);
	return sf_must_succeed(gfp, sf_slab_order_bound(bucket,
			       is_pow2(bucket) ? (unsigned int)bucket : 8), 1);
}

void sf_spurious(const char *what, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* the title names the op only: one bucket per kind of request */
	sf_model_fail("spurious failure", NULL,
		      "%s%s%s failed although a zone it may use holds (or reclaim "
		      "could give back) free blocks of the needed order well above "
		      "its watermarks", what ? what : "",
		      what ? ": " : "", buf);
}

/*
 * The kmalloc cache the kernel serves size (1..KMALLOC_MAX_CACHE_SIZE) and
 * gfp from, by its own rules rather than the allocator's tables: the
 * smallest class that holds size (KMALLOC_MIN_SIZE 8: no kmalloc-24, so
 * 17..24 go to kmalloc-32), and kmalloc_type()'s order of __GFP_DMA (with
 * a DMA zone), __GFP_RECLAIMABLE, then __GFP_ACCOUNT.
 */
struct kmalloc_name {
	const char *prefix, *cls;	/* "kmalloc-cg-" and "64" */
};

static struct kmalloc_name kmalloc_expected_name(size_t size, gfp_t gfp)
{
	static const struct { unsigned int size; const char *name; } classes[] = {
		{ 8, "8" }, { 16, "16" }, { 32, "32" }, { 64, "64" },
		{ 96, "96" }, { 128, "128" }, { 192, "192" }, { 256, "256" },
		{ 512, "512" }, { 1024, "1k" }, { 2048, "2k" }, { 4096, "4k" },
		{ 8192, "8k" },
	};
	const char *prefix = "kmalloc-", *cls = "?";

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (size <= classes[i].size) {
			cls = classes[i].name;
			break;
		}
	}
	if ((gfp & __GFP_DMA) && sf.kcfg.dma_bytes)
		prefix = "dma-kmalloc-";
	else if (gfp & __GFP_RECLAIMABLE)
		prefix = "kmalloc-rcl-";
	else if (gfp & __GFP_ACCOUNT)
		prefix = "kmalloc-cg-";
	return (struct kmalloc_name){ .prefix = prefix, .cls = cls };
}

/* Is name the expected one? Compared in place, for every kmalloc; the
 * expected name is spelled out only in a finding. */
static bool kmalloc_name_is(const char *name, struct kmalloc_name want)
{
	size_t n = strlen(want.prefix);

	return !strncmp(name, want.prefix, n) && !strcmp(name + n, want.cls);
}

/*
 * Describe a kmalloc-family result (non-NULL) as a new object: its cache
 * (or large kmalloc), bucket, alignment and zone. Checks what only the
 * kmalloc layer promises: the size class and the cache the object is in.
 */
void sf_kmalloc_newobj(struct sf_newobj *n, enum sf_kind kind, void *p,
			   size_t size, gfp_t gfp)
{
	if (!size) {
		sf_newobj_init(n, kind, p, 0, "kmalloc-0");
		n->extent = 0;
		if (p != ZERO_SIZE_PTR && !sf.raw)
			sf_model_fail("not ZERO_SIZE_PTR", "kmalloc-0",
				      "a 0-byte request returned %p", p);
		return;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		unsigned int order = (unsigned int)get_order(size);

		sf_newobj_init(n, kind, p, size, "kmalloc-large");
		n->extent = PAGE_SIZE << order;
		n->large = true;
		n->order = (uint8_t)order;
		if (!sf.raw) {
			struct page *pg = virt_to_page(p);

			if (virt_to_cache(p))
				sf_model_fail("slab object for large kmalloc", NULL,
					      "%zu bytes came from cache %s", size,
					      kmem_cache_name(virt_to_cache(p)));
			if (!PageHead(pg) || compound_order(pg) != order)
				sf_model_fail("not a compound page", "kmalloc-large",
					      "%zu bytes at %p: head %d, order %u, expected %u",
					      size, p, PageHead(pg), compound_order(pg), order);
		}
	} else {
		struct kmem_cache *s = kmalloc_slab(size, gfp);
		/* a kmalloc cache and its name live as long as the machine */
		const char *name = s ? kmem_cache_name(s) : "kmalloc-?", *label = name;
		size_t bucket = kmalloc_size_roundup(size);

		sf_newobj_init(n, kind, p, size, label);
		n->extent = bucket;
		n->poisoned = kalloc_cache_debug_flags(s) & SLAB_POISON;
		if (!sf.raw) {
			if (bucket < size)
				sf_model_fail("size class too small", label,
					      "kmalloc_size_roundup(%zu) = %zu", size, bucket);
			struct kmalloc_name want = kmalloc_expected_name(size, gfp);

			if (virt_to_cache(p) != s)
				sf_model_fail("wrong cache", label,
					      "a %zu-byte object came from %s", size,
					      virt_to_cache(p) ? kmem_cache_name(virt_to_cache(p))
							       : "no cache");
			/* the allocator's own tables agree with themselves above */
			if (!kmalloc_name_is(name, want))
				sf_model_fail("wrong size class", label,
					      "a %zu-byte request with gfp %#x came from %s, not %s%s",
					      size, gfp, name, want.prefix, want.cls);
		}
	}
	if (is_pow2(size))
		n->align = size;
	if (gfp & __GFP_DMA)
		n->max_zone = ZONE_DMA;
	if ((gfp & __GFP_ZERO) || (n->large ? (sf.kcfg.init_on_alloc || sf.kcfg.init_on_free)
					    : sf_slab_init_zeroes(n->poisoned, false)))
		n->zero_from = 0;
}

/* A fresh kmalloc-family result: check and record it. */
void sf_kmalloc_result(enum sf_kind kind, void *p, size_t size, gfp_t gfp,
			   bool zero, const char *call)
{
	struct sf_newobj n;

	if (size > KMALLOC_MAX_SIZE) {
		if (p && !sf.raw)
			sf_model_fail("limit not enforced", NULL,
				      "%s of %zu bytes (> KMALLOC_MAX_SIZE) returned %p",
				      call, size, p);
		sf_digest(0);
		return;
	}
	if (!p) {
		sf_digest(0);
		if (!sf.raw && (!size || sf_kmalloc_must_succeed(size, gfp) ||
				(sf_reclaim_after_failure(gfp) &&
				 sf_kmalloc_must_succeed(size, gfp))))
			sf_spurious(NULL, "%s(%zu, %#x)", call, size, gfp);
		return;
	}
	sf_kmalloc_newobj(&n, kind, p, size, gfp);
	if (zero && size)
		n.zero_from = 0;
	sf_obj_new(&n);
}

/* ------------------------------------------------------------------ */
/* Objects, caches, validation                                         */
/* ------------------------------------------------------------------ */

void sf_free_object(uint32_t id)
{
	struct sf_obj o = sf.objs[id];

	sf_obj_free_prepare(id);
	sf_obj_forget(id);
	switch (o.kind) {
	case SF_K_KMALLOC:
		kfree(o.ptr);
		break;
	case SF_K_CACHE:
		kmem_cache_free(sf.caches[o.cache].s, o.ptr);
		break;
	case SF_K_PAGES:
	case SF_K_POOL:
		__free_pages(o.page, o.order);
		break;
	case SF_K_VMALLOC:
		vfree(o.ptr);
		break;
	case SF_K_KV:
		kvfree(o.ptr);
		break;
	}
}

const char *const sf_cache_names[SF_MAX_CACHES] = {
	"sfcache0", "sfcache1", "sfcache2", "sfcache3", "sfcache4", "sfcache5",
	"sfcache6", "sfcache7", "sfcache8", "sfcache9", "sfcache10", "sfcache11",
	"sfcache12", "sfcache13", "sfcache14", "sfcache15",
};

/* Up to max objects allocated through a cache slot. */
size_t sf_cache_objects(unsigned int slot, uint32_t *ids, size_t max)
{
	size_t n = 0;

	for (uint32_t i = 0; i < sf.nlist[SF_K_CACHE] && n < max; i++) {
		uint32_t id = sf.list[SF_K_CACHE][i];

		if (sf.objs[id].cache == slot)
			ids[n++] = id;
	}
	return n;
}

void sf_cache_unlist(unsigned int slot)
{
	uint32_t pos = sf.caches[slot].pos, last = sf.cache_list[--sf.ncache_list];

	sf.cache_list[pos] = last;
	sf.caches[last].pos = pos;
	sf.caches[slot].live = false;
}

void sf_cache_destroy(unsigned int slot)
{
	uint32_t ids[64];
	size_t n;

	/* a kernel caller frees its objects first */
	while ((n = sf_cache_objects(slot, ids, 64)) > 0)
		for (size_t i = 0; i < n; i++)
			sf_free_object(ids[i]);
	/* misuse victims stay allocated, and a misuse may have made the
	 * allocator leak objects: destroying would rightly report them */
	if (sf.caches[slot].nobjs || sf.caches[slot].misused)
		return;
	kmem_cache_destroy(sf.caches[slot].s);
	sf_cache_unlist(slot);
}

void sf_do_validate(void)
{
	unsigned long before = kalloc_report_count();
	int problems;

	if (sf.raw)
		return;
	problems = kalloc_validate();
	sf_digest((uint64_t)problems);
	if (problems && kalloc_report_count() == before)
		sf_finding("kalloc: validate failed without a report",
			   "kalloc_validate() returned %d", problems);
	sf_check_all_patterns();
}

/* ------------------------------------------------------------------ */
/* The pool shrinker                                                   */
/* ------------------------------------------------------------------ */

/*
 * The harness's own shrinker: pool pages are a cache it can always give
 * back, so that reclaim, retries and allocation under pressure have real
 * work to do. The model forgets what the shrinker frees.
 */
/*
 * Shrinkers run only in direct reclaim, for a request that may reclaim,
 * and see that request's GFP in shrink_control (a shrinker that must not
 * recurse into the filesystem or block I/O reads __GFP_FS / __GFP_IO
 * there). A call that breaks this is a finding.
 */
static void pool_check_sc(const struct shrink_control *sc, const char *fn)
{
	if (sf.raw)
		return;
	if (!(sc->gfp_mask & __GFP_DIRECT_RECLAIM) ||
	    (sf.caller_known && !(sf.caller_gfp & __GFP_DIRECT_RECLAIM)))
		sf_model_fail("shrinker called for a GFP mask that forbids reclaim", NULL,
			      "%s: shrink_control gfp_mask %#x, request GFP %#x%s", fn,
			      sc->gfp_mask, sf.caller_gfp, sf.caller_known ? "" : " (none known)");
	if (sf.caller_known &&
	    ((sc->gfp_mask ^ sf.caller_gfp) & (__GFP_IO | __GFP_FS | __GFP_DIRECT_RECLAIM)))
		sf_model_fail("shrink_control without the caller's GFP", NULL,
			      "%s: shrink_control gfp_mask %#x, the request's GFP %#x",
			      fn, sc->gfp_mask, sf.caller_gfp);
}

static unsigned long pool_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	pool_check_sc(sc, "count_objects");
	return sf.nlist[SF_K_POOL] ? sf.nlist[SF_K_POOL] : SHRINK_EMPTY;
}

static unsigned long pool_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;

	(void)s;
	pool_check_sc(sc, "scan_objects");
	while (freed < sc->nr_to_scan && sf.nlist[SF_K_POOL]) {
		sf_free_object(sf.list[SF_K_POOL][sf.nlist[SF_K_POOL] - 1]);
		freed++;
	}
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker pool_shrinker = {
	.count_objects = pool_count,
	.scan_objects = pool_scan,
	.batch = 8,
	.seeks = 2,
};

void sf_register_pool_shrinker(void)
{
	unregister_shrinker(&pool_shrinker);
	if (register_shrinker(&pool_shrinker, "sf_pool"))
		sf_finding("kalloc: register_shrinker failed", "sf_pool");
}

void sf_check_reset_kept_pages(void)
{
	if (!sf.raw && nr_free_pages() != kalloc_init_free_pages())
		sf_model_fail("reset lost pages", NULL,
			      "%lu free pages after kalloc_reset(), %lu after kalloc_init()",
			      nr_free_pages(), kalloc_init_free_pages());
}

