/*
 * mem/memory.h - the memory model: struct page and its flags (with the
 * struct slab overlaid on a slab's first page), the arena of simulated
 * physical memory (mem/arena.c) and the KASAN shadow helpers (mem/kasan.c).
 */
#ifndef KALLOC_MEM_MEMORY_H
#define KALLOC_MEM_MEMORY_H

#include "lib/kernel.h"

/* ------------------------------------------------------------------ */
/* struct page                                                         */
/* ------------------------------------------------------------------ */

/* page->flags bits */
enum pageflags {
	PG_buddy,		/* head of a free block on a buddy free list */
	PG_head,		/* head of a compound page */
	PG_tail,		/* tail of a compound page */
	PG_slab,		/* first page of a slab */
	PG_reserved,		/* not managed by the buddy allocator */
	PG_vmalloc,		/* backs a vmalloc area */
	PG_large_kmalloc,	/* head of a large kmalloc */
	PG_quarantine,		/* debug: held back from reuse */
	__NR_PAGEFLAGS
};

#define PAGE_FLAG(bit)	(1UL << (bit))

_Static_assert(__NR_PAGEFLAGS <= sizeof(unsigned long) * 8,
	       "every PG_ bit fits in page->flags");
_Static_assert(MAX_NR_ZONES <= 256, "page->zone is a uint8_t");

/*
 * Slab state overlaid on a slab's first page (the kernel's struct slab).
 * Owned by slub.c; the states a slab can be in are enum slab_list_id (see
 * the slub.c section below).
 */
struct slab {
	struct kmem_cache *slab_cache;
	struct list_head slab_list;	/* node partial or full list */
	void *freelist;			/* first free object (raw pointer; the
					 * pointers stored in objects are encoded
					 * when hardened) */
	unsigned int inuse;		/* objects not on slab->freelist: while
					 * frozen this counts the cpu freelist's
					 * objects as in use */
	unsigned int objects;		/* objects in this slab */
	unsigned int order;		/* 2^order pages */
	bool frozen;			/* some cpu's active slab (c->slab); cpu
					 * partial slabs are not frozen, as in the
					 * kernel since 6.8 */
	int cpu;			/* the cpu of a frozen or cpu partial slab,
					 * else -1 */
	int list;			/* enum slab_list_id: where it is */
	struct slab *next_cpu_partial;	/* c->partial chain */
};

struct page {
	unsigned long flags;		/* PG_* */
	int _refcount;			/* 1 for an allocated page, 0 when free */
	int _mapcount;			/* -1 unless mapped (vmalloc areas) */
	unsigned int order;		/* PageBuddy: block order; PageHead: compound order */
	uint8_t zone;			/* enum zone_type, set at init */
	bool freed_slab;		/* free since it was a discarded slab's
					 * (names a stale kfree's bug) */
	struct page *head;		/* PageTail: the compound head */
	struct list_head buddy_list;	/* PageBuddy: link in free_area[order] */
	struct slab slab;		/* PageSlab */
	struct vm_struct *vm;		/* PageVmalloc: owning area */
	unsigned long kmalloc_size;	/* PG_large_kmalloc head: the request,
					 * when slab_debug Z keeps a red zone
					 * behind it (else 0) */
};

/* The public size (kalloc/mm.h) that lets kernel code index mem_map. */
_Static_assert(sizeof(struct page) == KALLOC_STRUCT_PAGE_SIZE,
	       "KALLOC_STRUCT_PAGE_SIZE in kalloc/mm.h is sizeof(struct page)");
_Static_assert(_Alignof(struct page) == _Alignof(unsigned long),
	       "the compat struct page (an unsigned long array) aligns the same");

static inline bool page_test(const struct page *p, enum pageflags b)
{
	return (p->flags >> b) & 1;
}

static inline void page_set(struct page *p, enum pageflags b)
{
	p->flags |= PAGE_FLAG(b);
}

static inline void page_clear(struct page *p, enum pageflags b)
{
	p->flags &= ~PAGE_FLAG(b);
}

/* ------------------------------------------------------------------ */
/* arena.c: simulated physical memory                                  */
/* ------------------------------------------------------------------ */

struct arena {
	int memfd;			/* backs physical memory; vmalloc maps it too */
	char *base;			/* PAGE_OFFSET: virtual address of pfn 0 */
	size_t bytes;
	unsigned long nr_pages;
	struct page *mem_map;		/* nr_pages entries */
	struct page *mem_map_init;	/* mem_map just after init, for reset */
	bool snapshotted;		/* mem_map_init holds this machine's */
	/* ASan: every frame's shadow is poisoned (parked by arena_fini()),
	 * so the next init need not poison its free pages again */
	bool shadow_poisoned;
	/* dirty tracking since init/reset */
	uint8_t *dirty;			/* one byte per pfn */
	unsigned long *dirty_list;
	unsigned long nr_dirty;
	/*
	 * Touched since the last incremental check (kalloc_validate_touched):
	 * touched[pfn] == touch_gen marks a struct page changed (or a slab
	 * used) since then. A new check is a new generation, so clearing
	 * costs nothing; after 2^32 checks a page may be missed, never
	 * reported wrongly.
	 */
	uint32_t *touched;
	uint32_t touch_gen;
	unsigned long *touched_list;
	unsigned long nr_touched;
	/*
	 * What each free frame holds (enum frame_fill): the kernel's
	 * page_ext PAGE_EXT_POISON bit, plus the init_on_free zero fill.
	 * Only a filled frame is checked when it is handed out.
	 */
	uint8_t *fill;
	/* the vmalloc address range (reserved PROT_NONE) */
	char *vmalloc_start;
	char *vmalloc_end;
	/*
	 * vmap_host.c's record of the host mappings it left in that range
	 * (the pfn mapped at each page, and the high-water mark), handed over
	 * at fini: the mappings live in the range, so the record is parked
	 * and freed with it, and the next machine on this arena takes it.
	 */
	unsigned long *vmap_host_pfn;
	char *vmap_host_hwm;
	/*
	 * vmalloc.c's page table of that range (vmap.pages), all NULL when
	 * handed over at fini: parked with the range, so that the next machine
	 * on this arena need not allocate and zero it again.
	 */
	struct page **vmap_pages;
};

/*
 * Contents of a free frame (arena.fill[pfn]). A fill from a free in this
 * input is checked at hand-out under page_poison; one from before the last
 * reset is stale:
 * the frame probably still holds it, which saves rewriting it, but damage
 * to it may come from an earlier input, so it is never reported.
 */
enum frame_fill {
	FRAME_UNKNOWN,		/* written at hand-out */
	FRAME_POISON,		/* PAGE_POISON since its free (page_poison=1) */
	FRAME_ZERO,		/* zero since its free (init_on_free=1) */
	FRAME_POISON_STALE,	/* PAGE_POISON from a free before the reset */
	FRAME_ZERO_STALE,	/* zero from a free before the reset */
	FRAME_OWNER,		/* what its last owner wrote (no page_poison) */
	FRAME_IN_USE,		/* handed out: what its owner writes */
};

/*
 * What reset (or a new machine on parked memory) makes of a fill. A frame
 * still handed out when the machine is reset is free again with its owner's
 * bytes, as if its owner had freed it, so the next hand-out need not write
 * it (page_poison.c decides what a FRAME_OWNER frame gets).
 */
static inline uint8_t frame_fill_stale(uint8_t fill)
{
	return fill == FRAME_POISON ? FRAME_POISON_STALE :
	       fill == FRAME_ZERO ? FRAME_ZERO_STALE :
	       fill == FRAME_IN_USE ? FRAME_OWNER : fill;
}

/* include/linux/poison.h: what a free page holds under page_poison=1 */
#define PAGE_POISON		0xaa

extern struct arena arena;

int arena_init(const struct kalloc_config *cfg);
/* After all layers' init: remember mem_map, and the contents of each dirty
 * frame that frame_in_use() says is in use (the caller knows which). */
void arena_snapshot(bool (*frame_in_use)(const struct page *page));
void arena_reset(void);		/* restore dirty struct pages, forget frame fills */
void arena_fini(void);		/* parks the memory for the next init of its size */
void arena_release_parked(void);	/* really unmap what arena_fini parked */
/* A new generation of "touched" (after an incremental check or a reset). */
void arena_touch_clear(void);

void __page_touch(unsigned long pfn);

/*
 * Called before any change to a struct page (and for a slab whose objects
 * change): dirty for reset, touched for the next incremental check. One
 * compare when the page was touched already in this generation.
 */
static inline void page_mark_dirty(struct page *p)
{
	unsigned long pfn = (unsigned long)(p - arena.mem_map);

	if (__builtin_expect(arena.touched[pfn] != arena.touch_gen, 0))
		__page_touch(pfn);
}

static inline void pages_mark_dirty(struct page *p, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		page_mark_dirty(p + i);
}

static inline bool addr_in_arena(const void *addr)
{
	return (const char *)addr >= arena.base &&
	       (const char *)addr < arena.base + arena.bytes;
}

/* The compound head of a linear-map address, or NULL outside the arena. */
static inline struct page *virt_to_head_page(const void *addr)
{
	struct page *page;

	if (!addr_in_arena(addr))
		return NULL;
	page = &arena.mem_map[((const char *)addr - arena.base) >> PAGE_SHIFT];
	return page_test(page, PG_tail) ? page->head : page;
}


/* ------------------------------------------------------------------ */
/* kasan.c: ASan shadow poisoning (KASAN in userspace)                 */
/* ------------------------------------------------------------------ */

/*
 * Built with AddressSanitizer, the layers keep ASan's shadow in step with
 * what callers may touch, through these helpers; without it they compile to
 * nothing (the nocheck helpers become plain memory accesses).
 *
 * Shadow granules are KASAN_GRANULE_SIZE bytes and ASan can only express
 * "the first k bytes of a granule are addressable": poisoning a range that
 * ends inside a granule whose tail is still addressable is a no-op for that
 * granule, so lay red zones out on granule boundaries or poison tails.
 *
 * ASan cannot suspend checking for a stretch of code (there is no
 * kasan_disable_current()), so allocator code that must read or write
 * poisoned bytes (red zones, free objects, free pointers) uses the *_nocheck
 * helpers, which are built without instrumentation.
 */
#if defined(__SANITIZE_ADDRESS__)
#define KALLOC_KASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KALLOC_KASAN 1
#endif
#endif
#ifndef KALLOC_KASAN
#define KALLOC_KASAN 0
#endif

#define KASAN_GRANULE_SIZE	8

static inline bool kasan_enabled(void)
{
	return KALLOC_KASAN;
}

#if KALLOC_KASAN
void kasan_poison(const void *addr, size_t size);
void kasan_unpoison(const void *addr, size_t size);
/* First poisoned byte in [addr, addr + size), or NULL. */
const void *kasan_find_poisoned(const void *addr, size_t size);
/* The 2^order pages at page's linear-map address. */
void kasan_poison_pages(const struct page *page, unsigned int order);
void kasan_unpoison_pages(const struct page *page, unsigned int order);

unsigned long kasan_read_word_nocheck(const void *addr);
void kasan_write_word_nocheck(void *addr, unsigned long val);
uint8_t kasan_read_byte_nocheck(const void *addr);
void kasan_memcpy_nocheck(void *dst, const void *src, size_t n);
void kasan_memset_nocheck(void *dst, int c, size_t n);
/* First byte in [start, start + n) that is not c, or NULL (memchr_inv). */
const void *kasan_memchr_inv_nocheck(const void *start, int c, size_t n);
#else
static inline void kasan_poison(const void *addr, size_t size)
{ (void)addr; (void)size; }
static inline void kasan_unpoison(const void *addr, size_t size)
{ (void)addr; (void)size; }
static inline const void *kasan_find_poisoned(const void *addr, size_t size)
{ (void)addr; (void)size; return NULL; }
static inline void kasan_poison_pages(const struct page *page, unsigned int order)
{ (void)page; (void)order; }
static inline void kasan_unpoison_pages(const struct page *page, unsigned int order)
{ (void)page; (void)order; }

static inline unsigned long kasan_read_word_nocheck(const void *addr)
{
	unsigned long v;

	__builtin_memcpy(&v, addr, sizeof(v));
	return v;
}

static inline void kasan_write_word_nocheck(void *addr, unsigned long val)
{
	__builtin_memcpy(addr, &val, sizeof(val));
}

static inline uint8_t kasan_read_byte_nocheck(const void *addr)
{
	return *(const uint8_t *)addr;
}

static inline void kasan_memcpy_nocheck(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
}

static inline void kasan_memset_nocheck(void *dst, int c, size_t n)
{
	__builtin_memset(dst, c, n);
}

static inline const void *kasan_memchr_inv_nocheck(const void *start, int c,
						   size_t n)
{
	const uint8_t *p = (const uint8_t *)start;

	/* all n bytes are c iff the first is and each equals the next: one
	 * vectorised memcmp() checks a whole red zone or poisoned object */
	if (!n || (p[0] == (uint8_t)c && !__builtin_memcmp(p, p + 1, n - 1)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)c)
			return p + i;
	return NULL;
}
#endif /* KALLOC_KASAN */

#endif /* KALLOC_MEM_MEMORY_H */
