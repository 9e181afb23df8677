/*
 * kmalloc.c - the kmalloc caches and the kmalloc family.
 *
 * The kmalloc half of the kernel's mm/slab_common.c, apart so that the
 * cache life cycle (slab_common.c) and the general-purpose interface each
 * read in one file: the size classes and types (kmalloc_index,
 * kmalloc_type, kmalloc_slab), the kmalloc caches made at init, large
 * kmalloc straight from the buddy allocator, kmalloc/kzalloc/kcalloc,
 * kfree, ksize, krealloc, kfree_sensitive and the kmemdup/kstrdup helpers.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/debug.h"
#include "slab/slub.h"
#include "lib/fault.h"
#include "page/buddy.h"

__machine_state struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

static __machine_state gfp_t kmalloc_not_normal_bits;

/* ------------------------------------------------------------------ */
/* Size classes and types                                              */
/* ------------------------------------------------------------------ */

/* Cache index for sizes up to 192, in 8-byte steps: 1 is kmalloc-96, 2 is
 * kmalloc-192, n >= 3 is kmalloc-(2^n). */
static const uint8_t size_index[] = {
	3,	/* 8 */
	4,	/* 16 */
	5,	/* 24 */
	5,	/* 32 */
	6,	/* 40 */
	6,	/* 48 */
	6,	/* 56 */
	6,	/* 64 */
	1,	/* 72 */
	1,	/* 80 */
	1,	/* 88 */
	1,	/* 96 */
	7,	/* 104 */
	7,	/* 112 */
	7,	/* 120 */
	7,	/* 128 */
	2,	/* 136 */
	2,	/* 144 */
	2,	/* 152 */
	2,	/* 160 */
	2,	/* 168 */
	2,	/* 176 */
	2,	/* 184 */
	2,	/* 192 */
};
_Static_assert(ARRAY_SIZE(size_index) == (192 - 1) / 8 + 1,
	       "size_index covers every size up to 192 in steps of 8");

static const struct {
	const char *short_size;
	unsigned int size;
} kmalloc_info[KMALLOC_SHIFT_HIGH + 1] = {
	{ "0", 0 }, { "96", 96 }, { "192", 192 }, { "8", 8 }, { "16", 16 },
	{ "32", 32 }, { "64", 64 }, { "128", 128 }, { "256", 256 },
	{ "512", 512 }, { "1k", 1024 }, { "2k", 2048 }, { "4k", 4096 },
	{ "8k", 8192 },
};

static const char *const kmalloc_prefix[NR_KMALLOC_TYPES] = {
	[KMALLOC_NORMAL] = "kmalloc-",
	[KMALLOC_RECLAIM] = "kmalloc-rcl-",
	[KMALLOC_DMA] = "dma-kmalloc-",
	[KMALLOC_CGROUP] = "kmalloc-cg-",
};

/* 1 <= size <= KMALLOC_MAX_CACHE_SIZE */
static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	return 32 - (unsigned int)__builtin_clz((unsigned int)size - 1);
}

/* In the kernel's order: __GFP_DMA (when there is a DMA zone), then
 * __GFP_RECLAIMABLE, then __GFP_ACCOUNT. */
static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & kmalloc_not_normal_bits)))
		return KMALLOC_NORMAL;
	if (flags & kmalloc_not_normal_bits & __GFP_DMA)
		return KMALLOC_DMA;
	if (flags & __GFP_RECLAIMABLE)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_caches[kmalloc_type(gfp)][kmalloc_index(size)];
}

size_t kmalloc_size_roundup(size_t size)
{
	if (size && size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_info[kmalloc_index(size)].size;
	/* above the buckets, a multiple of the page size */
	if (size && size <= KMALLOC_MAX_SIZE)
		return PAGE_SIZE << get_order(size);
	/* 0 gives ZERO_SIZE_PTR, a bigger size fails: the size itself */
	return size;
}

/* ------------------------------------------------------------------ */
/* kmalloc                                                             */
/* ------------------------------------------------------------------ */

/* Zone modifiers a slab caller must not pass are dropped, with the
 * kernel's complaint. */
gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid_mask = flags & GFP_SLAB_BUG_MASK;
	char bad[256], good[256];

	flags &= ~GFP_SLAB_BUG_MASK;
	format_gfp(bad, sizeof(bad), invalid_mask);
	format_gfp(good, sizeof(good), flags);
	printk("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!\n",
	       invalid_mask, bad, flags, good);
	return flags;
}

/* Large kmalloc: compound pages straight from the buddy allocator. */
static void *kmalloc_large(size_t size, gfp_t flags, unsigned long caller)
{
	unsigned int order = (unsigned int)get_order(size);
	struct page *page;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	/* fail_page_alloc, as the kernel's alloc_pages() under it would ask */
	if (unlikely(fault_hook_armed) &&
	    should_fail_alloc_page(flags | __GFP_COMP, order, caller))
		return NULL;
	/* above KMALLOC_MAX_SIZE the order exceeds MAX_PAGE_ORDER and the
	 * page allocator warns and fails, as in the kernel */
	page = __alloc_pages(flags | __GFP_COMP, order);
	if (!page)
		return NULL;
	page_set(page, PG_large_kmalloc);
	large_kmalloc_redzone_set(page, size);
	/* KASAN: what lies past the request is out of bounds */
	kasan_poison((char *)page_address(page) + size,
		     (PAGE_SIZE << order) - size);
	return page_address(page);
}

static void *kmalloc_uninitialised(void)
{
	printk("kmalloc: called before kalloc_init()\n");
	return NULL;
}

static inline void *__do_kmalloc(size_t size, gfp_t flags, unsigned long caller)
{
	struct kmem_cache *s;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, flags, caller);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	s = kmalloc_caches[kmalloc_type(flags)][kmalloc_index(size)];
	if (unlikely(!s))
		return kmalloc_uninitialised();
	return slab_alloc_node(s, flags, caller, (unsigned int)size);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	kalloc_tick();
	return __do_kmalloc(size, gfp, _RET_IP_);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	kalloc_tick();
	return __do_kmalloc(size, gfp | __GFP_ZERO, _RET_IP_);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	kalloc_tick();
	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __do_kmalloc(bytes, gfp, _RET_IP_);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	kalloc_tick();
	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __do_kmalloc(bytes, gfp | __GFP_ZERO, _RET_IP_);
}

static void report_not_kmalloc(const void *object)
{
	struct report_buf rb;

	report_init(&rb);
	report_add(&rb, "------------[ cut here ]------------\n");
	report_add(&rb, "WARNING: CPU: %u PID: %d at mm/slub.c free_large_kmalloc\n",
		   kg.cpu, kg.pid);
	if (addr_in_arena(object)) {
		struct page *page = virt_to_page(object);

		report_add(&rb, "page:%016lx refcount:%d mapcount:%d mapping:0000000000000000 index:0x0 pfn:%#lx\n",
			   PTR(page), page->_refcount, page->_mapcount + 1,
			   page_to_pfn(page));
		report_add(&rb, "flags: %#lx\n", page->flags);
	} else {
		report_add(&rb, "kfree(" PTR_FMT "): not an address of the linear map\n",
			   PTR(object));
	}
	report_add(&rb, "page dumped because: Not a kmalloc allocation\n");
	report_add(&rb, "kfree(" PTR_FMT "): nothing freed\n", PTR(object));
	report_emit(&rb, KALLOC_BUG_INVALID_FREE, NULL, object,
		    "kmalloc: invalid free (not a kmalloc allocation)");
}

/*
 * The pages go back with whatever shadow the object had: the buddy
 * allocator's free path reads and writes frames through the nocheck
 * helpers only, and poisons the whole block once it is free
 * (kasan_poison_pages()), as the kernel's free path does.
 */
static void __free_large_kmalloc(struct page *head)
{
	__free_pages(head, head->order);
}

/* Its time in the quarantine is over: the pages go back. */
void large_kmalloc_free_after_quarantine(void *object)
{
	struct page *head = virt_to_page(object);

	page_clear(head, PG_quarantine);
	__free_large_kmalloc(head);
}

/*
 * Unlike the kernel, which frees the whole folio whatever page of it the
 * pointer is in, a pointer that is not the start of the large kmalloc is
 * reported and nothing is freed.
 */
static void free_large_kmalloc(const void *object, unsigned long caller)
{
	struct page *head = virt_to_head_page(object);
	unsigned long bytes;

	if (!head || !page_test(head, PG_large_kmalloc)) {
		if (!large_kmalloc_double_free(object, head, caller))
			report_not_kmalloc(object);
		return;
	}
	if (unlikely(object != page_address(head))) {
		struct report_buf rb;

		report_init(&rb);
		report_add(&rb, "------------[ cut here ]------------\n");
		report_add(&rb, "WARNING: CPU: %u PID: %d at mm/slub.c free_large_kmalloc\n",
			   kg.cpu, kg.pid);
		report_add(&rb, "kfree(" PTR_FMT "): not the start of the large kmalloc at " PTR_FMT " (order %u): nothing freed\n",
			   PTR(object), PTR(page_address(head)), head->order);
		report_emit(&rb, KALLOC_BUG_INVALID_FREE, NULL, object,
			    "kmalloc: invalid free (interior pointer of a large kmalloc)");
		return;
	}
	large_kmalloc_redzone_check(head);
	page_clear(head, PG_large_kmalloc);
	bytes = PAGE_SIZE << head->order;
	if (slab_quarantine) {
		/* KASAN keeps no large kmalloc back; here they wait too */
		page_set(head, PG_quarantine);
		kasan_poison(object, bytes);
		if (quarantine_put(NULL, (void *)(uintptr_t)object, bytes, caller))
			return;
		page_clear(head, PG_quarantine);
	}
	__free_large_kmalloc(head);
}

static inline void __kfree(const void *object, unsigned long caller)
{
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return;
	slab = virt_to_slab(object);
	if (unlikely(!slab)) {
		free_large_kmalloc(object, caller);
		return;
	}
	slab_free(slab->slab_cache, slab, (void *)(uintptr_t)object, caller,
		  "kfree");
}

void kfree(const void *p)
{
	kalloc_tick();
	__kfree(p, _RET_IP_);
}

/*
 * The usable size: the bucket (slab_ksize) or the compound page. Unlike
 * the kernel, which only checks the size and start of a non-slab folio,
 * a page that is not a large kmalloc gets the warning and 0 here.
 */
static size_t __ksize(const void *object)
{
	struct slab *slab = virt_to_slab(object);
	struct page *head;

	if (unlikely(!slab)) {
		head = virt_to_head_page(object);
		if (!head || !page_test(head, PG_large_kmalloc) ||
		    object != page_address(head)) {
			printk("WARNING: CPU: %u PID: %d at mm/slab_common.c __ksize: " PTR_FMT " is not a kmalloc allocation\n",
			       kg.cpu, kg.pid, PTR(object));
			return 0;
		}
		return PAGE_SIZE << head->order;
	}
	skip_orig_size_check(slab->slab_cache, object);
	return slab_ksize(slab->slab_cache);
}

size_t ksize(const void *p)
{
	size_t size;

	/* kasan_check_byte() first: a freed object is reported, and neither
	 * measured nor unpoisoned */
	if (unlikely(ZERO_OR_NULL_PTR(p)) || !kasan_check_byte(p, _RET_IP_, "ksize"))
		return 0;
	size = __ksize(p);
	/* KASAN: the whole bucket is the caller's now (and no red zone) */
	kasan_unpoison(p, size);
	if (size && !virt_to_slab(p))
		virt_to_head_page(p)->kmalloc_size = 0;
	return size;
}

/*
 * As the kernel's __do_krealloc(): in place while the object (its bucket)
 * holds new_size, zeroing spare memory for __GFP_ZERO/init_on_alloc so that
 * a later in-place growth finds zeroes, and moving the kmalloc red zone
 * (and the KASAN shadow) to the new size; otherwise a new kmalloc, a copy
 * of what the caller had, and a free.
 */
static void *__do_krealloc(const void *p, size_t new_size, gfp_t flags,
			   unsigned long caller)
{
	struct kmem_cache *s = NULL;
	unsigned int orig_size = 0;
	char *obj = (char *)(uintptr_t)p;
	size_t ks = 0;
	void *ret;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		goto alloc_new;
	s = virt_to_cache(p);
	if (s) {
		orig_size = get_orig_size(s, obj);
		ks = s->object_size;
	} else {
		ks = __ksize(p);
		/* the request, where a debug red zone remembers it */
		if (ks)
			orig_size = (unsigned int)virt_to_head_page(p)->kmalloc_size;
	}
	if (new_size > ks)
		goto alloc_new;

	if ((flags & __GFP_ZERO) || slab_init_on_alloc) {
		if (orig_size && orig_size < new_size)
			kasan_memset_nocheck(obj + orig_size, 0,
					     new_size - orig_size);
		else
			kasan_memset_nocheck(obj + new_size, 0, ks - new_size);
	}
	if (s && slub_debug_orig_size(s)) {
		set_orig_size(s, obj, (unsigned int)new_size);
		if ((s->flags & SLAB_RED_ZONE) && new_size < ks)
			kasan_memset_nocheck(obj + new_size, SLUB_RED_ACTIVE,
					     ks - new_size);
	} else if (!s) {
		large_kmalloc_redzone_set(virt_to_head_page(p), new_size);
	}
	/* kasan_krealloc(): exactly new_size bytes are the caller's */
	kasan_poison(obj, ks);
	kasan_unpoison(obj, new_size);
	return obj;

alloc_new:
	ret = __do_kmalloc(new_size, flags, caller);
	if (ret && ks)
		kasan_memcpy_nocheck(ret, p, orig_size ? orig_size : ks);
	return ret;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	void *ret;

	kalloc_tick();
	if (unlikely(!new_size)) {
		__kfree(p, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	if (unlikely(!krealloc_object_ok(p, _RET_IP_)))
		return NULL;
	ret = __do_krealloc(p, new_size, gfp, _RET_IP_);
	if (ret && p != ret)
		__kfree(p, _RET_IP_);
	return ret;
}

void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes))) {
		kalloc_tick();
		return NULL;
	}
	return krealloc(p, bytes, gfp);
}

void kfree_sensitive(const void *p)
{
	struct slab *slab;
	size_t ks;

	kalloc_tick();
	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	/* wiping a free object would wipe its free pointer and poison */
	slab = virt_to_slab(p);
	if (slab && !slab_object_live(slab->slab_cache, slab, p, _RET_IP_, true,
				      "kfree_sensitive", KALLOC_BUG_DOUBLE_FREE,
				      "double free"))
		return;
	/* a freed large kmalloc: one double-free report, not ksize()'s too */
	if (!slab && large_kmalloc_double_free(p, virt_to_head_page(p), _RET_IP_))
		return;
	ks = ksize(p);
	if (ks) {
		kasan_memset_nocheck((void *)(uintptr_t)p, 0, ks);
		__asm__ __volatile__("" : : "r"(p) : "memory");	/* memzero_explicit */
	}
	__kfree(p, _RET_IP_);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p;

	kalloc_tick();
	p = __do_kmalloc(len, gfp, _RET_IP_);
	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	kalloc_tick();
	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = __do_kmalloc(len, gfp, _RET_IP_);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	kalloc_tick();
	if (!s)
		return NULL;
	len = strnlen(s, max);
	if (len == SIZE_MAX)
		return NULL;
	buf = __do_kmalloc(len + 1, gfp, _RET_IP_);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

struct kmem_cache *virt_to_cache(const void *p)
{
	struct slab *slab = virt_to_slab(p);

	return slab ? slab->slab_cache : NULL;
}

/* ------------------------------------------------------------------ */
/* The kmalloc caches                                                  */
/* ------------------------------------------------------------------ */

static int new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type)
{
	slab_flags_t flags = SLAB_KMALLOC;
	unsigned int size = kmalloc_info[idx].size;
	unsigned int align;
	char name[32];
	int err;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_CGROUP)
		flags |= SLAB_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	/* memcg on: the normal caches are not merged with anything */
	if (type == KMALLOC_NORMAL)
		flags |= SLAB_NO_MERGE;

	/* at least the largest power of two dividing the size */
	align = max_t(unsigned int, ARCH_KMALLOC_MINALIGN,
		      1U << __builtin_ctz(size));
	snprintf(name, sizeof(name), "%s%s", kmalloc_prefix[type],
		 kmalloc_info[idx].short_size);
	kmalloc_caches[type][idx] =
		create_cache(name, size, calculate_alignment(flags, align, size),
			     flags, NULL, true, &err);
	return kmalloc_caches[type][idx] ? 0 : err;
}

/* Each type's caches in the kernel's order: 8, 16, 32, 64, 96, 128, 192 ... */
int create_kmalloc_caches(void)
{
	kmalloc_not_normal_bits = __GFP_RECLAIMABLE | __GFP_ACCOUNT |
				  (zone_present(ZONE_DMA) ? __GFP_DMA : 0);
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		if (type == KMALLOC_DMA && !zone_present(ZONE_DMA))
			continue;	/* CONFIG_ZONE_DMA=n */
		for (unsigned int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++) {
			int err = new_kmalloc_cache(i, type);

			if (!err && i == 6)
				err = new_kmalloc_cache(1, type);
			if (!err && i == 7)
				err = new_kmalloc_cache(2, type);
			if (err)
				return err;
		}
	}
	return 0;
}
