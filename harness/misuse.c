/*
 * Deliberate misuse for fuzz_misuse: double frees (also through
 * kmem_cache_free_bulk), interior and wild frees, wrong-cache frees,
 * out-of-bounds writes into red zones (a large kmalloc's too) and
 * use-after-free writes into poisoned objects and onto free pointers,
 * out-of-bounds and use-after-free reads (generic KASAN's), destroying a
 * cache that still has objects, put_page on a freed page and a refcount
 * underflow.
 *
 * Each misuse opens a window in which allocator reports are expected,
 * performs the misuse, checks what it hit (kalloc_validate_range() on each
 * poke()d range: the slabs there in full, then everything the allocator
 * touched) and closes the window: at least one report of an expected bug
 * kind must have come, every report must be of an expected kind, and every
 * live object must still hold its pattern. A victim that the allocator
 * must never hand out again (a live object whose red zone was hit, or
 * which was freed through a bad pointer) becomes a zombie: it stays in the
 * interval index, so that any allocation overlapping it is a finding, and
 * is never touched again.
 *
 * The corrupting writes go around AddressSanitizer on purpose: the
 * allocator keeps ASan's shadow exact, so a plain store would be reported
 * by ASan before the allocator's own detection could be tested.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

#define BUG(k) (1u << KALLOC_BUG_##k)

/* Stores that ASan does not see. */
__attribute__((no_sanitize("address"), noinline))
static void poke(void *addr, const void *src, size_t n)
{
	volatile uint8_t *d = addr;
	const uint8_t *s = src;

#ifdef SF_RECORD
	sfr_note_poke(addr, src, n);
#endif
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	/* window_close() checks the slabs that were hit */
	if (sf.nr_poked < SF_MAX_POKED) {
		sf.poked[sf.nr_poked].addr = addr;
		sf.poked[sf.nr_poked].len = n;
	}
	sf.nr_poked++;
}

/* Memory no allocator owns, for wild frees. */
static uint8_t wild_buf[2 * 4096] __attribute__((aligned(4096)));

/* A misuse involving this object may make its cache leak objects. */
static void mark_cache(const struct sf_obj *o)
{
	if (o->kind == SF_K_CACHE)
		sf.caches[o->cache].misused = true;
}

static void window_open(void)
{
#ifdef SF_RECORD
	sfr_note_window_open();
#endif
	sf.in_misuse = true;
	sf.nr_reports = 0;
	sf.nr_poked = 0;
	sf.misuse_done++;
}

/* Close the misuse window: validate, then judge the reports. */
static void window_close(unsigned int expected, const char *what, const char *label)
{
	unsigned int n, i;
	bool seen = false;

	if (sf.nr_poked > SF_MAX_POKED)
		kalloc_validate();	/* more stores than were recorded */
	else if (!sf.nr_poked)
		kalloc_validate_touched();
	else
		for (i = 0; i < sf.nr_poked; i++)
			kalloc_validate_range(sf.poked[i].addr,
					      sf.poked[i].len);
	sf.nr_poked = 0;
#ifdef SF_RECORD
	sfr_note_window_close(expected, what, label);
#endif
	sf.in_misuse = false;
	n = sf.nr_reports < 32 ? sf.nr_reports : 32;
	for (i = 0; i < n; i++) {
		if (expected & (1u << sf.reports[i].bug)) {
			seen = true;
			continue;
		}
		{
			char title[200];

			snprintf(title, sizeof(title), "kalloc: %s", sf.reports[i].title);
			sf_finding(title, "a %s report (%s) after a %s of %s, which "
				   "explains none of that kind",
				   kalloc_bug_name(sf.reports[i].bug), sf.reports[i].title,
				   what, label);
		}
	}
	if (!seen) {
		char check[64];

		snprintf(check, sizeof(check), "unreported %s in", what);
		sf_model_fail(check, label, "%u report(s), none of the expected kind",
			      sf.nr_reports);
	}
	sf_check_all_patterns();
}

/* The bug kinds a bad free of this object may be reported as. */
static unsigned int bad_free_kinds(const struct sf_obj *o, bool double_free)
{
	if (o->kind == SF_K_VMALLOC || (o->kind == SF_K_KV && o->vmapped))
		return BUG(VMALLOC);
	if (o->kind == SF_K_PAGES || o->kind == SF_K_POOL)
		return BUG(DOUBLE_FREE) | BUG(BAD_PAGE) | BUG(INVALID_FREE);
	if (o->large)
		return BUG(DOUBLE_FREE) | BUG(INVALID_FREE) | BUG(BAD_PAGE);
	return double_free ? BUG(DOUBLE_FREE) : BUG(INVALID_FREE);
}

/* Free p as an object of o's kind would be freed. */
static void raw_free(const struct sf_obj *o, void *p, struct page *page, bool sensitive)
{
	switch (o->kind) {
	case SF_K_KMALLOC:
		if (sensitive)
			kfree_sensitive(p);
		else
			kfree(p);
		break;
	case SF_K_CACHE:
		kmem_cache_free(sf.caches[o->cache].s, p);
		break;
	case SF_K_PAGES:
	case SF_K_POOL:
		__free_pages(page, o->order);
		break;
	case SF_K_VMALLOC:
		vfree(p);
		break;
	case SF_K_KV:
		kvfree(p);
		break;
	}
}

static void misuse_double_free(const struct sf_op *op)
{
	int id = sf_pick_all(op->arg[0]);
	struct sf_obj o;
	bool sensitive = op->arg[1] & 1;
	unsigned int expected;

	if (id < 0 || !sf.objs[id].size)
		return;
	o = sf.objs[id];
	mark_cache(&o);
	sf_obj_free_prepare((uint32_t)id);
	sf_obj_forget((uint32_t)id);
	raw_free(&o, o.ptr, o.page, sensitive);
	expected = bad_free_kinds(&o, true);
	/* its slab may have gone back to the buddy allocator with it */
	if ((o.kind == SF_K_KMALLOC || o.kind == SF_K_CACHE ||
	     (o.kind == SF_K_KV && !o.vmapped)) && !o.large && !virt_to_cache(o.ptr))
		expected |= BUG(INVALID_FREE) | BUG(BAD_PAGE) | BUG(CACHE_MISMATCH);
	window_open();
	raw_free(&o, o.ptr, o.page, sensitive);
	window_close(expected, "double-free", o.label);
}

static void misuse_invalid_free(const struct sf_op *op)
{
	int id = sf_pick_all(op->arg[0]);
	struct sf_obj *o;
	struct page *page = NULL;
	char *p;
	size_t span;

	if (id < 0)
		return;
	o = &sf.objs[id];
	span = o->extent;
	if (o->kind == SF_K_PAGES || o->kind == SF_K_POOL) {
		unsigned long nr = 1ul << o->order;

		if (nr < 2)
			return;
		page = pfn_to_page(page_to_pfn(o->page) + 1 + op->arg[1] % (nr - 1));
		p = page_address(page);
	} else {
		if (span < 2)
			return;
		p = (char *)o->ptr + 1 + op->arg[1] % (span - 1);
	}
	mark_cache(o);
	sf_obj_make_zombie((uint32_t)id);
	window_open();
	raw_free(o, p, page, false);
	window_close(bad_free_kinds(o, false), "invalid-free", o->label);
}

static void misuse_cache_mismatch(const struct sf_op *op)
{
	struct kmem_cache *real, *wrong = NULL;
	struct sf_obj o;
	int id = sf_pick_slab_object(op->arg[0]);
	int c;

	if (id < 0)
		return;
	o = sf.objs[id];
	if (!o.size || o.large)
		return;
	real = virt_to_cache(o.ptr);
	if (!real)
		sf_model_fail("no cache for", o.label, "virt_to_cache(%p) is NULL", o.ptr);
	c = sf_pick_cache(op->arg[1]);
	if (c >= 0 && sf.caches[c].s != real) {
		wrong = sf.caches[c].s;
		sf.caches[c].misused = true;
	}
	for (size_t sz = 64; !wrong && sz <= 4096; sz *= 2)
		if (kmalloc_slab(sz, GFP_KERNEL) != real)
			wrong = kmalloc_slab(sz, GFP_KERNEL);
	if (!wrong)
		return;
	mark_cache(&o);
	/* the kernel frees it into the cache it really belongs to */
	sf_obj_free_prepare((uint32_t)id);
	sf_obj_forget((uint32_t)id);
	window_open();
	kmem_cache_free(wrong, o.ptr);
	window_close(BUG(CACHE_MISMATCH), "cache-mismatch", o.label);
}

/*
 * A slab object (kmalloc or cache, not a large kmalloc) for red zone and
 * poison misuse: id from sf_pick_slab_object(), or -1.
 */
static bool slab_victim(int id, bool no_ctor)
{
	return id >= 0 && sf.objs[id].size && !sf.objs[id].large &&
	       !(no_ctor && sf.objs[id].ctor);
}

static int pick_slab_object(uint64_t slot, bool no_ctor)
{
	int id = sf_pick_slab_object(slot);

	return slab_victim(id, no_ctor) ? id : -1;
}

/* Right red zone bytes after an object of this size: the word SLUB adds
 * when the object is word-aligned, else the padding to the next word. */
static size_t right_redzone(size_t object_size)
{
	return object_size % 8 ? 8 - object_size % 8 : 8;
}

/*
 * Past a large kmalloc's request, into the red zone that slab_debug Z
 * gives it here (DEVIATIONS.md: the kernel leaves that to KASAN). It is
 * checked when the pages are freed, so the victim is freed inside the
 * window. After ksize() every byte of its pages is the caller's.
 */
static void misuse_oob_large(const struct sf_op *op, uint32_t id)
{
	struct sf_obj o = sf.objs[id];
	uint8_t v = (uint8_t)(0xcc ^ (1 + op->arg[1] % 254));
	size_t off;

	if (o.ksized || o.size >= o.extent)
		return;
	off = o.size + op->arg[1] % (o.extent - o.size);
	window_open();
	poke((char *)o.ptr + off, &v, 1);
	sf_free_object(id);
	window_close(BUG(REDZONE), "out-of-bounds write", o.label);
}

static void misuse_oob(const struct sf_op *op, bool left)
{
	int id = sf_pick_slab_object(op->arg[0]);
	struct sf_obj *o;
	uint8_t v = (uint8_t)(0xcc ^ (1 + op->arg[1] % 254));
	ptrdiff_t off;

	if (id >= 0 && !left && sf.objs[id].large) {
		misuse_oob_large(op, (uint32_t)id);
		return;
	}
	if (!slab_victim(id, false))
		return;
	o = &sf.objs[id];
	if (left) {
		off = -(ptrdiff_t)(1 + op->arg[1] % 8);
	} else {
		/* the kmalloc red zone (request to bucket), then the right one */
		size_t start = o->kind == SF_K_KMALLOC && !o->ksized ? o->size : o->extent;
		size_t end = o->extent + right_redzone(o->extent);

		off = (ptrdiff_t)(start + op->arg[1] % (end - start));
	}
	mark_cache(o);
	sf_obj_make_zombie((uint32_t)id);
	window_open();
	poke((char *)o->ptr + off, &v, 1);
	window_close(BUG(REDZONE), left ? "left out-of-bounds write" : "out-of-bounds write",
		     o->label);
}

static void misuse_uaf(const struct sf_op *op, bool freeptr)
{
	int id = pick_slab_object(op->arg[0], !freeptr);
	struct kmem_cache *cache_before;
	struct sf_obj o;
	size_t off;

	if (id < 0)
		return;
	o = sf.objs[id];
	cache_before = virt_to_cache(o.ptr);
	mark_cache(&o);
	sf_free_object((uint32_t)id);
	/* an emptied slab may have gone back to the buddy allocator: a write
	 * there is no slab's business, and nothing could detect it */
	if (virt_to_cache(o.ptr) != cache_before)
		return;
	window_open();
	if (freeptr) {
		/* with poisoning (or a ctor) the free pointer sits right after
		 * the right red zone */
		uint64_t garbage = 0x4141414141414141ull ^ op->arg[1];

		off = o.extent % 8 ? (o.extent + 7) & ~(size_t)7 : o.extent + 8;
		poke((char *)o.ptr + off, &garbage, sizeof(garbage));
		window_close(BUG(FREEPTR) | BUG(FREELIST), "free pointer overwrite", o.label);
	} else {
		uint8_t v = (uint8_t)(0x6b ^ (1 + op->arg[1] % 200));

		off = op->arg[1] % o.extent;
		poke((char *)o.ptr + off, &v, 1);
		window_close(BUG(POISON), "use-after-free write", o.label);
	}
}

/*
 * Whether the allocator runs generic KASAN: built with ASan, as
 * alloc/mem/memory.h decides KALLOC_KASAN (every file of a build gets the
 * same sanitizer flags, the harness's too), and no program turns it off.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SF_KASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SF_KASAN 1
#endif
#endif
#ifndef SF_KASAN
#define SF_KASAN 0
#endif

/*
 * A read of a freed object: a slab object, or a large kmalloc whose pages
 * went back to the buddy allocator. Only generic KASAN sees a load, and it
 * sees it through the check made before the access, kasan_check_byte(),
 * which ksize() makes first (the kernel's kasan_test ksize_uaf): "Read of
 * size 1", slab-use-after-free for an object (or use-after-free for a
 * freed page, when the emptied slab or the large kmalloc's pages are
 * gone). slab_debug checks only what was written, so without KASAN the
 * kernel reports nothing, and neither may the harness: there the object
 * is freed and no report is expected.
 */
static void misuse_uaf_read(const struct sf_op *op)
{
	int id = sf_pick_slab_object(op->arg[0]);
	struct sf_obj o;
	size_t got;

	if (id < 0 || !sf.objs[id].size || sf.objs[id].ctor)
		return;
	o = sf.objs[id];
	mark_cache(&o);
	sf_free_object((uint32_t)id);
	if (!SF_KASAN)
		return;
	window_open();
	got = ksize((char *)o.ptr + op->arg[1] % o.size);
	if (got)
		sf_model_fail("ksize() of freed", o.label, "gave %zu, not 0", got);
	window_close(BUG(USE_AFTER_FREE), "use-after-free read", o.label);
}

/*
 * A read past an object's request: a slab object's byte in its kmalloc
 * red zone (request to bucket) or right red zone, or a large kmalloc's
 * byte past its request. Generic KASAN sees the load through
 * kasan_check_byte(), which ksize() makes first: "Read of size 1",
 * slab-out-of-bounds (KASAN_SLAB_REDZONE, or KASAN_PAGE_REDZONE for the
 * large kmalloc's pages). As with uaf_read, nothing else in the kernel
 * checks a read, so without KASAN the op does nothing. After ksize() the
 * whole bucket is the caller's, and there is nothing past the request.
 */
static void misuse_oob_read(const struct sf_op *op)
{
	int id = sf_pick_slab_object(op->arg[0]);
	struct sf_obj o;
	size_t end, got;

	if (!SF_KASAN || id < 0 || !sf.objs[id].size || sf.objs[id].ksized)
		return;
	o = sf.objs[id];
	end = o.large ? o.extent : o.extent + right_redzone(o.extent);
	if (o.size >= end)
		return;
	window_open();
	got = ksize((char *)o.ptr + o.size + op->arg[1] % (end - o.size));
	if (got)
		sf_model_fail("ksize() out of bounds of", o.label,
			      "gave %zu, not 0", got);
	window_close(BUG(REDZONE), "out-of-bounds read", o.label);
}

/* The head of some free buddy block, searching from a pfn the input picks. */
static struct page *find_free_page(uint64_t sel)
{
	unsigned long nr = (sf.lin_end - sf.lin_start) >> PAGE_SHIFT;
	unsigned long start = (unsigned long)(sel * nr / 256);

	for (unsigned long i = 0; i < nr; i++) {
		unsigned long pfn = (start + i) % nr;
		struct page *pg = pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;

		if (pg && PageBuddy(pg))
			return pg;
	}
	return NULL;
}

static void misuse_wild_free(const struct sf_op *op)
{
	uint64_t sel = op->arg[1];
	struct page *pg = NULL;
	void *p;

#ifdef SF_RECORD
	sfr_note_wild(wild_buf, sizeof(wild_buf));
#endif
	switch (op->arg[0] % 5) {
	case 0:
		window_open();
		kfree(wild_buf + (sel % 64) * 8);
		window_close(BUG(INVALID_FREE) | BUG(BAD_PAGE), "wild kfree", "wild pointer");
		break;
	case 1:
		pg = find_free_page(sel);
		if (!pg)
			return;
		p = (char *)page_address(pg) + (sel % 64) * 8;
		window_open();
		kfree(p);
		window_close(BUG(INVALID_FREE) | BUG(BAD_PAGE) | BUG(DOUBLE_FREE),
			     "wild kfree", "free page");
		break;
	case 2:
		window_open();
		free_pages((unsigned long)(uintptr_t)wild_buf, 0);
		window_close(BUG(INVALID_FREE) | BUG(BAD_PAGE), "wild free_pages",
			     "wild pointer");
		break;
	case 3:
		/* never page-aligned, so never an area's start */
		p = (char *)sf.vm_start + ((sel * ((sf.vm_end - sf.vm_start) >> PAGE_SHIFT) / 256)
					   << PAGE_SHIFT) + 8 + sel;
		window_open();
		vfree(p);
		window_close(BUG(VMALLOC), "wild vfree", "vmalloc range");
		break;
	default:
		pg = find_free_page(sel);
		if (!pg)
			return;
		window_open();
		__free_pages(pg, 0);
		window_close(BUG(DOUBLE_FREE) | BUG(BAD_PAGE), "free of a free page", "pages");
		break;
	}
}

static void misuse_destroy_live(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);
	struct sf_cache *c;

	if (slot < 0 || !sf.caches[slot].nobjs)
		return;
	c = &sf.caches[slot];
	for (uint32_t i = 0; i < sf.ncache_list; i++)
		if (sf.cache_list[i] != (uint32_t)slot && sf.caches[sf.cache_list[i]].s == c->s)
			return;	/* an alias: destroy would only drop a reference */
	window_open();
	kmem_cache_destroy(c->s);
	window_close(BUG(LEAK), "destroy with live objects", "sfcache");
	/* the kernel keeps the cache; it and its objects are never used again */
	for (uint32_t i = 0; i < sf.nlist[SF_K_CACHE];) {
		uint32_t id = sf.list[SF_K_CACHE][i];

		if (sf.objs[id].cache == (uint32_t)slot)
			sf_obj_make_zombie(id);
		else
			i++;
	}
	sf_cache_unlist((unsigned int)slot);
	c->zombie = true;
}

/*
 * Page references. A page the caller has freed (its block back on a free
 * list) takes one more put_page(); or a caller drops one reference more
 * than it took (get_page once, put_page twice, through a tail page of a
 * compound block when there is one), which frees the block under its
 * owner, whose own free then hits a free page. The kernel's put_page()
 * catches both at VM_BUG_ON_PAGE(page_ref_count(page) == 0) and dumps the
 * page as a Bad page state; a non-compound high-order block whose last
 * reference goes through put_page() is reported too (DEVIATIONS.md).
 */
static int pick_page_block(uint64_t slot)
{
	int id = sf_pick(SF_K_PAGES, slot);

	return id >= 0 && sf.objs[id].page ? id : -1;
}

static void misuse_put_page_freed(const struct sf_op *op)
{
	int id = pick_page_block(op->arg[0]);
	struct sf_obj o;

	if (id < 0)
		return;
	o = sf.objs[id];
	sf_free_object((uint32_t)id);
	window_open();
	put_page(o.page);
	window_close(BUG(DOUBLE_FREE) | BUG(BAD_PAGE), "put_page of a freed page", o.label);
}

static void misuse_page_ref_underflow(const struct sf_op *op)
{
	int id = pick_page_block(op->arg[0]);
	struct page *via;
	struct sf_obj o;

	if (id < 0)
		return;
	o = sf.objs[id];
	via = o.page;
	if (o.order && PageHead(o.page))
		via = pfn_to_page(page_to_pfn(o.page) + 1 +
				  op->arg[1] % ((1ul << o.order) - 1));
	sf_obj_free_prepare((uint32_t)id);
	sf_obj_forget((uint32_t)id);
	window_open();
	get_page(via);
	put_page(via);
	put_page(via);		/* one more than it took: the block is gone */
	__free_pages(o.page, o.order);	/* the owner's free */
	window_close(BUG(DOUBLE_FREE) | BUG(BAD_PAGE), "refcount underflow", o.label);
}

/*
 * kmem_cache_free_bulk() with an object twice in the array, next to each
 * other (the array is freed from its end): the second free must be
 * reported as "Object already free" (slab_debug) or as KASAN's double
 * free (quarantine).
 */
static void misuse_free_bulk_double(const struct sf_op *op)
{
	int slot = sf_pick_cache(op->arg[0]);
	uint32_t ids[15];
	void *p[16];
	unsigned int expected = BUG(DOUBLE_FREE);
	struct sf_obj o;
	size_t n;

	if (slot < 0)
		return;
	n = sf_cache_objects((unsigned int)slot, ids, op->arg[1] < 15 ? op->arg[1] : 15);
	if (!n)
		return;
	o = sf.objs[ids[n - 1]];
	for (size_t i = 0; i < n; i++) {
		p[i] = sf.objs[ids[i]].ptr;
		sf_obj_free_prepare(ids[i]);
	}
	for (size_t i = 0; i < n; i++)
		sf_obj_forget(ids[i]);
	p[n] = p[n - 1];
	mark_cache(&o);
	window_open();
	kmem_cache_free_bulk(sf.caches[slot].s, n + 1, p);
	/* its slab may have gone back to the buddy allocator with the first free */
	if (!virt_to_cache(o.ptr))
		expected |= BUG(INVALID_FREE) | BUG(BAD_PAGE) | BUG(CACHE_MISMATCH);
	window_close(expected, "double free in kmem_cache_free_bulk", o.label);
}

/* Misuse runs under the oracle only: raw mode measures valid ops. */
#define MISUSE_EXEC(name, call)						\
	void sf_exec_##name(const struct sf_op *op)			\
	{								\
		if (!sf.raw)						\
			call;						\
	}
MISUSE_EXEC(double_free, misuse_double_free(op))
MISUSE_EXEC(invalid_free, misuse_invalid_free(op))
MISUSE_EXEC(cache_mismatch, misuse_cache_mismatch(op))
MISUSE_EXEC(oob_write, misuse_oob(op, false))
MISUSE_EXEC(oob_write_left, misuse_oob(op, true))
MISUSE_EXEC(uaf_write, misuse_uaf(op, false))
MISUSE_EXEC(uaf_write_freeptr, misuse_uaf(op, true))
MISUSE_EXEC(wild_free, misuse_wild_free(op))
MISUSE_EXEC(destroy_live, misuse_destroy_live(op))
MISUSE_EXEC(put_page_freed, misuse_put_page_freed(op))
MISUSE_EXEC(page_ref_underflow, misuse_page_ref_underflow(op))
MISUSE_EXEC(free_bulk_double, misuse_free_bulk_double(op))
MISUSE_EXEC(uaf_read, misuse_uaf_read(op))
MISUSE_EXEC(oob_read, misuse_oob_read(op))
