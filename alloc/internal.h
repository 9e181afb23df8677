/*
 * Shared internal structures of the allocator layers. Only the alloc/ sources
 * include this; callers see alloc/include/kalloc/ alone.
 *
 * Layering (each file owns one layer; lower layers never call upward except
 * through the hooks named here):
 *
 *   kalloc.c      life cycle: init/reset/fini/validate, CPUs, tasks, op clock
 *   report.c      printk, report formatting and the report handler
 *   arena.c       simulated physical memory (memfd), mem_map, conversions,
 *                 per-input dirty tracking for cheap reset
 *   page_alloc.c  zones, buddy free lists, GFP rules, watermarks, compound
 *                 pages, page reference counts
 *   page_zone.c   zone layout, watermarks, lowmem_reserve, zone counters
 *   page_check.c  Bad page state reports, allocation failure and OOM
 *                 reports, buddy_validate, buddyinfo
 *   reclaim.c     shrinkers and direct reclaim
 *   slub.c        kmem_cache, per-CPU slabs, partial lists, hardening:
 *                 the object alloc and free paths
 *   slub_cache.c  object layout and slab order, cache open/release,
 *                 shrink, shutdown ("Objects remaining"), slabinfo numbers
 *   slub_report.c SLUB's report blocks and the slab layer's own findings
 *   slub_bulk.c   kmem_cache_alloc_bulk/free_bulk (detached freelists)
 *   slub_validate.c slab_validate(): freelists, counts, list membership
 *   slub_debug.c  SLUB debugging: red zones, poison, tracks, free checks
 *   slub_debug_flags.c  the slab_debug= option and kmem_cache_flags()
 *   slub_debug_report.c debug reports: BUG/trailer/FIX text, KASAN-style
 *   kmalloc_debug.c     live-object checks for krealloc/kfree_sensitive,
 *                       the large kmalloc red zone
 *   quarantine.c  KASAN-style FIFO free quarantine with a byte budget
 *   slab_common.c cache create/merge/destroy, kmalloc size classes and the
 *                 kmalloc family, slab life cycle hooks, /proc/slabinfo
 *   vmalloc.c     vmalloc areas mapped from the memfd, guard pages, kvmalloc
 *   kasan.c       ASan shadow poisoning (compiles away without ASan)
 *
 * Reset contract: every layer restores the state it had just after init at a
 * cost proportional to what was touched since. arena.c keeps a list of dirty
 * page frames; any code that changes a struct page, or hands a frame out, calls
 * page_mark_dirty() first (the buddy allocator does so for every block it
 * allocates, so layers above need not for pages they own).
 */
#ifndef KALLOC_INTERNAL_H
#define KALLOC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kalloc/kalloc.h"

/* ------------------------------------------------------------------ */
/* Small kernel-style helpers                                          */
/* ------------------------------------------------------------------ */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))

struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each(pos, h) \
	for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_for_each_safe(pos, n, h) \
	for (pos = (h)->next, n = pos->next; pos != (h); pos = n, n = pos->next)

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
	struct page *head;		/* PageTail: the compound head */
	struct list_head buddy_list;	/* PageBuddy: link in free_area[order] */
	struct slab slab;		/* PageSlab */
	struct vm_struct *vm;		/* PageVmalloc: owning area */
	unsigned long kmalloc_size;	/* PG_large_kmalloc head: the request,
					 * when slab_debug Z keeps a red zone
					 * behind it (else 0) */
};

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
};

/*
 * Contents of a free frame (arena.fill[pfn]). A fill from a free in this
 * input is checked at hand-out; one from before the last reset is stale:
 * the frame probably still holds it, which saves rewriting it, but damage
 * to it may come from an earlier input, so it is never reported.
 */
enum frame_fill {
	FRAME_UNKNOWN,		/* written at hand-out */
	FRAME_POISON,		/* PAGE_POISON since its free (page_poison=1) */
	FRAME_ZERO,		/* zero since its free (init_on_free=1) */
	FRAME_POISON_STALE,	/* PAGE_POISON from a free before the reset */
	FRAME_ZERO_STALE,	/* zero from a free before the reset */
};

/* What reset (or a new machine on parked memory) makes of a fill. */
static inline uint8_t frame_fill_stale(uint8_t fill)
{
	return fill == FRAME_POISON ? FRAME_POISON_STALE :
	       fill == FRAME_ZERO ? FRAME_ZERO_STALE : fill;
}

/* include/linux/poison.h: what a free page holds under page_poison=1 */
#define PAGE_POISON		0xaa

extern struct arena arena;

int arena_init(const struct kalloc_config *cfg);
void arena_snapshot(void);	/* after all layers' init: remember mem_map */
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

/* ------------------------------------------------------------------ */
/* kalloc.c: life cycle, CPUs, tasks, the op clock                     */
/* ------------------------------------------------------------------ */

struct kalloc_globals {
	bool initialised;
	struct kalloc_config cfg;
	unsigned int cpu;		/* smp_processor_id() */
	int pid;
	char comm[16];
	unsigned long ops;		/* allocator operations: "age=" clock */
	uint64_t rng;			/* state of the seeded generator */
};

extern struct kalloc_globals kg;

/* Counts one allocator operation (for track ages). */
static inline void kalloc_tick(void)
{
	kg.ops++;
}

/* Deterministic random numbers from cfg.seed (splitmix64). */
uint64_t kalloc_random(void);

/* ------------------------------------------------------------------ */
/* report.c                                                            */
/* ------------------------------------------------------------------ */

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/*
 * A report under construction: layers append kernel-format text, then
 * report_emit() hands it to the handler (and counts it).
 */
struct report_buf {
	char *text;
	size_t len, cap;
};

void report_init(struct report_buf *rb);
void report_add(struct report_buf *rb, const char *fmt, ...) __printf(2, 3);
void report_hexdump(struct report_buf *rb, const char *prefix,
		    const void *addr, size_t len);
/* title: printf-style, stable and free of addresses. Frees rb. */
void report_emit(struct report_buf *rb, enum kalloc_bug bug, const char *cache,
		 const void *addr, const char *title_fmt, ...) __printf(5, 6);
/* One-shot report with a one-line body. */
void report_simple(enum kalloc_bug bug, const char *cache, const void *addr,
		   const char *title, const char *body_fmt, ...) __printf(5, 6);
/* Internal invariant broken: text "kalloc: invariant: ...", title "invariant: ..." */
void report_internal(const char *fmt, ...) __printf(1, 2);
void report_counts_reset(void);
/* Reports of one kind since init or reset. */
unsigned long report_count_kind(enum kalloc_bug bug);

/* The flag names of "gfp_mask=0x%x(GFP_KERNEL|__GFP_ZERO)", as %pGg prints
 * them: buf gets only "GFP_KERNEL|__GFP_ZERO" (empty for 0). */
void format_gfp(char *buf, size_t len, gfp_t gfp);
/* The names part of the kernel's %pGp: "slab|head|node=0|zone=2". */
void format_page_flags(char *buf, size_t len, const struct page *page);

/* ------------------------------------------------------------------ */
/* Layer hooks called by kalloc.c, in this order                      */
/* ------------------------------------------------------------------ */

int buddy_init(const struct kalloc_config *cfg);
void buddy_reset(void);
void buddy_snapshot(void);	/* after init: the zone state reset restores */
void buddy_fini(void);
int buddy_validate(void);
int buddy_validate_touched(void);	/* pages touched since the last check */
/* Is this pfn inside a free buddy block? (for slab/vmalloc validation) */
bool page_is_free(const struct page *page);

void reclaim_reset(void);
void reclaim_snapshot(void);	/* after init: the shrinkers reset keeps */
void reclaim_fini(void);
/* Inside a reclaim pass (the kernel's PF_MEMALLOC): no nested reclaim. */
bool reclaim_in_progress(void);

int slab_init(const struct kalloc_config *cfg);
/* The knobs kalloc_reset_config() may change, after a reset. */
void slab_set_knobs(const struct kalloc_config *cfg);
/* After reset, a new cfg.seed: the boot caches' draws made again. */
void slab_reseed(void);
void kmem_cache_reseed(struct kmem_cache *s);	/* slub_cache.c */
void slab_reset(void);
void slab_fini(void);
int slab_validate(void);
int slab_validate_touched(void);
unsigned long slab_shrink_all(void);	/* reclaim: pages given back */

int vmalloc_init(const struct kalloc_config *cfg);
void vmalloc_reset(void);
void vmalloc_fini(void);
int vmalloc_validate(void);
int vmalloc_validate_touched(void);

/* ------------------------------------------------------------------ */
/* page_alloc.c, page_zone.c, page_check.c: the buddy allocator        */
/* ------------------------------------------------------------------ */

/*
 * Pages go back to the buddy allocator with only PG_head/PG_tail set (the
 * buddy allocator clears those) and _mapcount == -1: a layer clears its own
 * flags (PG_slab, PG_vmalloc, PG_large_kmalloc, PG_quarantine) first, as
 * the kernel's owners do, or the free is a "Bad page state" (the kernel's
 * PAGE_FLAGS_CHECK_AT_FREE) and the pages are leaked.
 */
#define PAGE_FLAGS_CHECK_AT_FREE \
	(PAGE_FLAG(PG_slab) | PAGE_FLAG(PG_reserved) | PAGE_FLAG(PG_vmalloc) | \
	 PAGE_FLAG(PG_large_kmalloc) | PAGE_FLAG(PG_quarantine))

#define PAGE_ALLOC_COSTLY_ORDER	3

enum zone_wmark {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

struct free_area {
	struct list_head free_list;	/* heads of free blocks (PG_buddy) */
	unsigned long nr_free;		/* blocks on free_list */
};

/*
 * One zone of the single node. No holes and nothing reserved: spanned,
 * present and managed pages are one number.
 */
struct zone {
	unsigned long zone_start_pfn;
	unsigned long managed_pages;	/* 0: the zone is absent */
	unsigned long free_pages;	/* NR_FREE_PAGES */
	unsigned long alloc_pages;	/* pages handed out and not yet freed */
	unsigned long _watermark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[NR_PAGE_ORDERS];
};

extern struct zone zones[MAX_NR_ZONES];	/* page_zone.c */

/* page_alloc.c: put a free block on its list (zone setup uses it too). */
void add_to_free_list(struct page *page, struct zone *zone,
		      unsigned int order, bool tail);
/* WARN_ON_ONCE warnings may fire again: a new boot. */
void buddy_reset_warnings(void);

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->managed_pages;
}

/* Free-frame fill: checked and rewritten at hand-out, set at free
 * (page_alloc.c; per page, hot: no coverage instrumentation). */
void frame_hand_out(struct page *page, bool zero);
void frame_fill_free(struct page *page, bool zero);

/* page_check.c: what page_alloc.c reports, and the dumps it prints. */
/* A free frame no longer holds its fill (have): the kernel's
 * check_poison_mem() report. */
void page_poison_corrupt(struct page *page, const uint8_t *bad, uint8_t have);
void bad_page(struct page *page, enum kalloc_bug bug, const char *title,
	      const char *reason_fmt, ...) __printf(4, 5);
void bad_page_address(const void *addr, unsigned int order, const char *func);
void warn_alloc(gfp_t gfp, unsigned int order);
__noreturn void out_of_memory(gfp_t gfp, unsigned int order);
/* Mem-Info: per-zone free memory, as the kernel's show_free_areas(). */
void show_free_areas(void);

/* ------------------------------------------------------------------ */
/* vmalloc.c: vmalloc areas                                            */
/* ------------------------------------------------------------------ */

#define VM_ALLOC	0x00000002UL	/* the kernel's flag for vmalloc() areas */

/*
 * One vmalloc area, as the kernel's struct vm_struct. As there, size counts
 * the trailing guard page: get_vm_area_size() is the usable part.
 */
struct vm_struct {
	struct list_head list;		/* all areas, in address order */
	void *addr;
	unsigned long size;		/* bytes, guard page included */
	unsigned long flags;		/* VM_ALLOC */
	struct page **pages;		/* nr_pages entries (a slice of the
					 * per-page table of the range) */
	unsigned int nr_pages;
	unsigned long requested_size;	/* the caller's size before rounding */
};

static inline unsigned long get_vm_area_size(const struct vm_struct *vm)
{
	return vm->size - PAGE_SIZE;
}

/* The area whose range (guard page included) holds addr, or NULL. O(1). */
struct vm_struct *find_vm_area(const void *addr);
/* Pages currently backing vmalloc areas (the kernel's vmalloc_nr_pages()). */
unsigned long vmalloc_nr_pages(void);
/* End of the highest area made since init or reset (VMALLOC_START if none). */
void *vmalloc_hwm(void);

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

/* ------------------------------------------------------------------ */
/* slub.c, slub_validate.c, slab_common.c: slab caches and kmalloc     */
/* ------------------------------------------------------------------ */

/*
 * Object layout (calculate_sizes(), the kernel's order), at every s->size
 * stride of a slab:
 *
 *   [red_left_pad]  left red zone (SLAB_RED_ZONE)
 *   object          object_size bytes; the object pointer points here
 *   [.. inuse)      word padding, and with SLAB_RED_ZONE the right red zone
 *                   (at least one word)
 *   [free pointer]  at s->offset >= s->inuse when it may not overlay the
 *                   object (SLAB_POISON, SLAB_TYPESAFE_BY_RCU, a ctor, ...);
 *                   otherwise at ALIGN_DOWN(object_size / 2, 8) inside it
 *   [2 x track]     alloc and free track (SLAB_STORE_USER)
 *   [orig size]     the kmalloc request size (SLAB_STORE_USER + SLAB_KMALLOC)
 *   [word]          padding before the next left red zone (SLAB_RED_ZONE)
 *   [padding]       up to the alignment
 *
 * The free pointer is stored as ptr ^ s->random ^ swab(its own address)
 * when cfg.freelist_hardened is set, as CONFIG_SLAB_FREELIST_HARDENED does.
 */

/* Flags that make a cache a debug cache: no cpu slabs, every alloc and
 * free through the slow paths, a full list. */
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
#define SLAB_NEVER_MERGE	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | \
				 SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME		(SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | \
				 SLAB_CACHE_DMA32 | SLAB_ACCOUNT)
/* Every flag kmem_cache_create() accepts; anything else is -EINVAL. */
#define SLAB_FLAGS_PERMITTED	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_KMALLOC | \
				 SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
				 SLAB_CACHE_DMA32 | SLAB_STORE_USER | \
				 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | \
				 SLAB_TYPESAFE_BY_RCU | SLAB_TRACE | \
				 SLAB_NOLEAKTRACE | SLAB_NO_MERGE | \
				 SLAB_FAILSLAB | SLAB_ACCOUNT)
/* Internal: the object itself is poisoned (SLAB_POISON without RCU/ctor). */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)

/* GFP bits a slab caller must not pass (kmalloc_fix_flags() strips them). */
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
/* What new_slab() passes on from the caller's flags. */
#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | \
				 __GFP_FS | __GFP_NOWARN | __GFP_RETRY_MAYFAIL | \
				 __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
				 __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK	(__GFP_HARDWALL | __GFP_THISNODE)

#define MIN_PARTIAL		5	/* empty slabs kept on a node's partial list */
#define MAX_PARTIAL		10
#define MAX_OBJS_PER_PAGE	32767	/* slab.objects is a u15 in the kernel */
#define OO_SHIFT		16
#define OO_MASK			((1U << OO_SHIFT) - 1)

/* Where a slab is (struct slab.list). */
enum slab_list_id {
	SLAB_LIST_NONE,		/* full slab of a non-debug cache: on no list */
	SLAB_LIST_CPU_ACTIVE,	/* frozen: c->slab of slab->cpu */
	SLAB_LIST_CPU_PARTIAL,	/* on c->partial of slab->cpu */
	SLAB_LIST_NODE_PARTIAL,	/* on n->partial */
	SLAB_LIST_FULL,		/* on n->full (debug caches only) */
};

/* SLAB_STORE_USER: who allocated / freed an object. */
struct track {
	unsigned long addr;	/* caller's return address */
	int cpu;
	int pid;
	unsigned long when;	/* kalloc_op_count() at the time ("age=") */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

struct kmem_cache_order_objects {
	unsigned int x;		/* order << OO_SHIFT | objects */
};

/* Division by a constant as a multiply and shifts (lib/reciprocal_div.c). */
struct reciprocal_value {
	uint32_t m;
	uint8_t sh1, sh2;
};

static inline uint32_t reciprocal_divide(uint32_t a, struct reciprocal_value r)
{
	uint32_t t = (uint32_t)(((uint64_t)a * r.m) >> 32);

	return (t + ((a - t) >> r.sh1)) >> r.sh2;
}

struct kmem_cache_cpu {
	void *freelist;		/* lockless freelist of c->slab (raw head) */
	struct slab *slab;	/* the active (frozen) slab, or NULL */
	struct slab *partial;	/* cpu partial slabs (next_cpu_partial chain) */
	unsigned int partial_slabs;	/* length of that chain */
	/* [slab_lo, slab_lo + slab_span): c->slab's memory, so that the fast
	 * path can refuse a decoded free pointer that leaves the slab */
	uintptr_t slab_lo;
	uintptr_t slab_span;
};

/* The one node's lists (the kernel has one per NUMA node). */
struct kmem_cache_node {
	unsigned long nr_partial;
	struct list_head partial;
	unsigned long nr_slabs;		/* every slab of the cache */
	unsigned long total_objects;
	struct list_head full;		/* debug caches: slabs without free objects */
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* cfg.ncpus entries */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;		/* object plus metadata: the stride */
	struct reciprocal_value reciprocal_size;
	unsigned int object_size;	/* what the caller asked for */
	unsigned int offset;		/* free pointer offset */
	unsigned int cpu_partial;	/* objects (set_cpu_partial) */
	unsigned int cpu_partial_slabs;	/* the per-cpu partial list limit */
	struct kmem_cache_order_objects oo;	/* preferred order, objects */
	struct kmem_cache_order_objects min;	/* fallback order */
	gfp_t allocflags;		/* __GFP_COMP, zone, reclaimable */
	int refcount;			/* 1 + aliases */
	void (*ctor)(void *);
	unsigned int inuse;		/* offset of the metadata */
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;		/* slab_caches */
	unsigned long random;		/* freelist pointer obfuscation */
	unsigned int *random_seq;	/* CONFIG_SLAB_FREELIST_RANDOM */
	struct kmem_cache_node node[1];

	/* reset bookkeeping (slab_common.c) */
	bool boot;			/* exists after init: restored, never freed */
	bool dirty;			/* changed since init/reset */
	struct kmem_cache *next_dirty;
	void *saved;			/* boot caches: the state after init */
};

extern struct list_head slab_caches;	/* newest first, as the kernel's */
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
extern bool slab_hardened;		/* cfg.freelist_hardened */
extern bool slab_init_on_alloc;		/* cfg.init_on_alloc */
extern bool slab_init_on_free;		/* cfg.init_on_free */
extern bool slab_quarantine;		/* cfg.quarantine_bytes != 0 (quarantine.c) */
extern unsigned long slab_pages_freed;	/* slab pages given back since init/reset */
void slab_reset_warnings(void);		/* re-arm slub.c's WARN_ON_ONCEs */

static inline bool kmem_cache_debug_flags(const struct kmem_cache *s,
					  slab_flags_t flags)
{
	return s->flags & flags;
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_DEBUG_FLAGS);
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

/* The original kmalloc size is kept in the metadata. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_STORE_USER) &&
	       (s->flags & SLAB_KMALLOC);
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return ((unsigned int)PAGE_SIZE << order) / size;
}

static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}

static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

static inline struct page *slab_page(const struct slab *slab)
{
	return container_of(slab, struct page, slab);
}

/* A slab whose objects or freelists change is touched (incremental check). */
static inline void slab_touch(struct slab *slab)
{
	page_mark_dirty(slab_page(slab));
}

static inline char *slab_address(const struct slab *slab)
{
	return arena.base +
	       ((unsigned long)(slab_page(slab) - arena.mem_map) << PAGE_SHIFT);
}

static inline unsigned long slab_size(const struct slab *slab)
{
	return PAGE_SIZE << slab->order;
}

/* The slab holding addr (any page of it), or NULL. */
static inline struct slab *virt_to_slab(const void *addr)
{
	struct page *page;

	if (unlikely(!addr_in_arena(addr)))
		return NULL;
	page = arena.mem_map +
	       (((const char *)addr - arena.base) >> PAGE_SHIFT);
	if (page_test(page, PG_tail))
		page = page->head;
	if (unlikely(!page_test(page, PG_slab)))
		return NULL;
	return &page->slab;
}

static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	if (kmem_cache_debug_flags(s, SLAB_RED_ZONE))
		p = (char *)p + s->red_left_pad;
	return p;
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	if (s->flags & SLAB_RED_ZONE)
		p = (char *)p - s->red_left_pad;
	return p;
}

/* Bytes from the object pointer to the end of its stride. */
static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	if (s->flags & SLAB_RED_ZONE)
		return s->size - s->red_left_pad;
	return s->size;
}

#define for_each_object(__p, __s, __addr, __objects)			\
	for (__p = fixup_red_left(__s, __addr);				\
	     (char *)__p < (char *)(__addr) + (__objects) * (__s)->size;	\
	     __p = (char *)__p + (__s)->size)

static inline unsigned int obj_to_index(const struct kmem_cache *s,
					const struct slab *slab, const void *obj)
{
	return reciprocal_divide((uint32_t)((const char *)obj - slab_address(slab)),
				 s->reciprocal_size);
}

/*
 * Is x, a pointer into slab, the start of one of its objects? Every free
 * asks: the kernel leaves an interior pointer to slab_debug's "Invalid
 * object pointer" and otherwise corrupts the freelist with it.
 */
static inline bool slab_object_start(const struct kmem_cache *s,
				     const struct slab *slab, const void *x)
{
	uint32_t off = (uint32_t)((const char *)x - slab_address(slab)) -
		       s->red_left_pad;
	uint32_t idx = reciprocal_divide(off, s->reciprocal_size);

	return idx < slab->objects && idx * s->size == off;
}

/* NULL, or the start of one of the slab's objects. */
static inline bool check_valid_pointer(const struct kmem_cache *s,
				       const struct slab *slab, const void *object)
{
	const char *base, *p;

	if (!object)
		return true;
	base = slab_address(slab);
	p = (const char *)restore_red_left(s, (void *)(uintptr_t)object);
	return p >= base && p < base + (size_t)slab->objects * s->size &&
	       (size_t)(p - base) % s->size == 0;
}

static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* End of the object and free pointer: where the tracks start. */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	if (freeptr_outside_object(s))
		return s->inuse + sizeof(void *);
	return s->inuse;
}

static inline struct track *get_track(const struct kmem_cache *s, void *object,
				      enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

static inline unsigned int *orig_size_slot(const struct kmem_cache *s,
					   void *object)
{
	return (unsigned int *)((char *)object + get_info_end(s) +
				2 * sizeof(struct track));
}

static inline void set_orig_size(const struct kmem_cache *s, void *object,
				 unsigned int orig_size)
{
	if (slub_debug_orig_size(s))
		kasan_memcpy_nocheck(orig_size_slot(s, object), &orig_size,
				     sizeof(orig_size));
}

static inline unsigned int get_orig_size(const struct kmem_cache *s,
					 void *object)
{
	unsigned int v;

	if (!slub_debug_orig_size(s))
		return s->object_size;
	kasan_memcpy_nocheck(&v, orig_size_slot(s, object), sizeof(v));
	return v;
}

/* ksize() hands the whole object to the caller: no kmalloc red zone. */
static inline void skip_orig_size_check(const struct kmem_cache *s,
					const void *object)
{
	set_orig_size(s, (void *)(uintptr_t)object, s->object_size);
}

/* Free pointers, encoded as CONFIG_SLAB_FREELIST_HARDENED does. */
static inline unsigned long freelist_ptr_encode(const struct kmem_cache *s,
						const void *ptr,
						unsigned long ptr_addr)
{
	if (slab_hardened)
		return (unsigned long)ptr ^ s->random ^
		       __builtin_bswap64(ptr_addr);
	return (unsigned long)ptr;
}

static inline void *freelist_ptr_decode(const struct kmem_cache *s,
					unsigned long v, unsigned long ptr_addr)
{
	if (slab_hardened)
		v ^= s->random ^ __builtin_bswap64(ptr_addr);
	return (void *)v;
}

static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;

	return freelist_ptr_decode(s,
			kasan_read_word_nocheck((const void *)ptr_addr),
			ptr_addr);
}

/* Callers do the naive double-free check (object == fp) themselves: it is
 * a report here, not the kernel's BUG_ON. */
static inline void set_freepointer(const struct kmem_cache *s, void *object,
				   const void *fp)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;

	kasan_write_word_nocheck((void *)ptr_addr,
				 freelist_ptr_encode(s, fp, ptr_addr));
}

/* A cache that changes for the first time since init/reset is noted, so
 * that slab_reset() restores only what was touched. */
void __slab_mark_dirty(struct kmem_cache *s);
static inline void slab_mark_dirty(struct kmem_cache *s)
{
	if (unlikely(!s->dirty))
		__slab_mark_dirty(s);
}

/*
 * Slow paths (slub.c). Every allocation that the cpu freelist cannot serve,
 * and every allocation from a debug cache, goes through ___slab_alloc();
 * every free that is not to the current cpu's active slab, and every free
 * to a debug cache, goes through __slab_free(). Debug hooks belong there.
 */
void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long addr,
		    unsigned int orig_size);
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head,
		 void *tail, int cnt, unsigned long addr);
/* __GFP_ZERO / init_on_alloc / init_on_free work after an allocation. */
void slab_post_alloc_init(struct kmem_cache *s, gfp_t gfp, void *object,
			  unsigned int orig_size);
/* init_on_free before a free. */
void slab_free_init(struct kmem_cache *s, void *object);
/* The object taken from c->freelist has a free pointer that leaves
 * c->slab: report, isolate it and the rest, allocate through the slow path. */
void *slab_freeptr_corrupt(struct kmem_cache *s, struct kmem_cache_cpu *c,
			   void *object, gfp_t gfp, unsigned long addr,
			   unsigned int orig_size);
/* Naive double free (object == freelist head): report; nothing is freed. */
void slab_naive_double_free(struct kmem_cache *s, void *object);
/* A free of a pointer inside a slab that is no object start: not freed. */
void slab_report_invalid_pointer(struct kmem_cache *s, struct slab *slab,
				 void *x);

/*
 * KASAN: an allocation makes exactly the requested bytes the caller's
 * (kmalloc's request, not its bucket); a free takes the object back. Red
 * zones, metadata and free objects stay poisoned. No-ops without ASan.
 */
static inline void kasan_slab_alloc(const struct kmem_cache *s, void *object,
				    unsigned int orig_size)
{
	(void)s;
	kasan_unpoison(object, orig_size);
}

static inline void kasan_slab_free(const struct kmem_cache *s, void *object)
{
	kasan_poison(object, s->object_size);
}

/* With a quarantine every free goes here (quarantine.c). */
void slab_free_quarantine(struct kmem_cache *s, struct slab *slab,
			  void *object, unsigned long addr);

/*
 * Fast paths: a pop from / push to the current cpu's lockless freelist.
 * Debug caches never have a cpu slab, so they always fall through to the
 * slow paths.
 */
static inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp,
				    unsigned long addr, unsigned int orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[kg.cpu];
	void *object = c->freelist;

	if (unlikely(!object)) {
		object = ___slab_alloc(s, gfp, addr, orig_size);
		if (unlikely(!object))
			return NULL;
		if (likely(virt_to_slab(object)))
			slab_touch(virt_to_slab(object));
	} else {
		slab_touch(c->slab);
		void *next = get_freepointer(s, object);

		if (unlikely(next && (uintptr_t)next - c->slab_lo >= c->slab_span)) {
			object = slab_freeptr_corrupt(s, c, object, gfp, addr,
						      orig_size);
			if (unlikely(!object))
				return NULL;
		} else {
			c->freelist = next;
		}
	}
	if (unlikely((gfp & __GFP_ZERO) || slab_init_on_alloc ||
		     slab_init_on_free))
		slab_post_alloc_init(s, gfp, object, orig_size);
	kasan_slab_alloc(s, object, orig_size);
	return object;
}

static inline void slab_free(struct kmem_cache *s, struct slab *slab,
			     void *object, unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[kg.cpu];

	slab_touch(slab);
	if (unlikely(!slab_object_start(s, slab, object))) {
		slab_report_invalid_pointer(s, slab, object);
		return;
	}
	if (unlikely(slab_quarantine)) {
		slab_free_quarantine(s, slab, object, addr);
		return;
	}
	if (unlikely(slab_init_on_free))
		slab_free_init(s, object);
	kasan_slab_free(s, object);
	if (likely(slab == c->slab)) {
		if (unlikely(object == c->freelist && slab_hardened)) {
			slab_naive_double_free(s, object);
			return;
		}
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
		return;
	}
	__slab_free(s, slab, object, object, 1, addr);
}

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/* Pointers in reports print as the kernel's "0x%p" does with hashing off:
 * "0x" and 16 hex digits (glibc's %p would add its own 0x, or "(nil)"). */
#define PTR_FMT		"0x%016lx"
#define PTR(p)		((unsigned long)(uintptr_t)(p))

/* slub.c, slub_cache.c */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
/* 1, after the "Objects remaining" report, when objects are left; caller
 * is kmem_cache_destroy()'s return address, for the report. */
int __kmem_cache_shutdown(struct kmem_cache *s, unsigned long caller);
int __kmem_cache_shrink(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
/* Every cpu's active slab and partial chain back to the node lists. */
void flush_all(struct kmem_cache *s);
/* The cache x really belongs to: a report when it is not s (with
 * hardening or consistency checks) and NULL when x is in no slab. */
struct kmem_cache *cache_from_obj(struct kmem_cache *s, void *x,
				  struct slab *slab);
/* After a repair emptied slab->freelist: off the node partial list. */
void slab_fix_lists(struct kmem_cache *s, struct slab *slab);
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size);
unsigned int slab_ksize(const struct kmem_cache *s);
gfp_t kmalloc_fix_flags(gfp_t flags);
/* Free pages of a slab (after the checks): PG_slab off, to the buddy. */
void discard_slab(struct kmem_cache *s, struct slab *slab);
/* The kernel's get_slabinfo(): for kalloc_slabinfo(). */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);

/* Report helpers in the kernel's words, for this layer and slub_debug:
 * the "BUG <cache> (Not tainted): <reason>" block, the "Slab 0x..." line
 * and the "Object 0x... @offset=... fp=0x..." line. */
void slab_bug(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...) __printf(3, 4);
void print_slab_info(struct report_buf *rb, const struct slab *slab);
void print_object_line(struct report_buf *rb, const struct kmem_cache *s,
		       const struct slab *slab, void *object);
void slab_fix(struct report_buf *rb, const struct kmem_cache *s,
	      const char *fmt, ...) __printf(3, 4);
/* slub_report.c: the slab layer's own findings and warnings */
void slab_report_freelist(struct kmem_cache *s, struct slab *slab,
			  void *object, const char *reason, const char *fix);
void slab_report_not_slab(struct kmem_cache *s, void *x);
void slab_report_cache_mismatch(struct kmem_cache *s, struct kmem_cache *cachep,
				void *x);
void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp);

/* ------------------------------------------------------------------ */
/* slub_debug*.c, quarantine.c: SLUB debugging, reports, quarantine    */
/* ------------------------------------------------------------------ */

/* Poison and red zone bytes (include/linux/poison.h) */
#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an allocated object */
#define POISON_INUSE		0x5a	/* padding; objects of a new slab */
#define POISON_FREE		0x6b	/* a free object */
#define POISON_END		0xa5	/* last byte of a poisoned free object */

/* slab_debug= with no letters */
#define DEBUG_DEFAULT_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_STORE_USER)
/* What 'O' drops from caches whose order the metadata would raise. */
#define DEBUG_METADATA_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* The parsed slab_debug= option (slub_debug_flags.c). */
struct slub_debug_state {
	slab_flags_t flags;		/* global flags: the kernel's slub_debug */
	char *string;			/* the option, when it has cache lists */
	bool disable_higher_order;	/* 'O' */
	bool enabled;			/* any cache may get debug flags */
};
extern struct slub_debug_state slub_debug_state;

/* Parse cfg->slab_debug (slab_init); a one-line message and -EINVAL when
 * it is not an option the kernel could have been given. */
int setup_slub_debug(const struct kalloc_config *cfg);
void slub_debug_teardown(void);
/* A new cache's flags with the debug options that apply to its name. */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);

/*
 * slub_debug.c: the checks. slub.c calls setup_slab_debug() and
 * setup_object_debug() when a debug cache's slab is set up,
 * alloc_debug_processing() for each object it hands out (false: the slab
 * is now disabled, take another), free_debug_processing() before each free
 * (false: leave the object alone), free_slab_debug() before a slab's pages
 * go, and validate_slab_debug() from kalloc_validate(). A disabled slab of
 * a debug cache has slab->frozen set, as in the kernel.
 */
void setup_slab_debug(struct kmem_cache *s, struct slab *slab, void *addr);
void setup_object_debug(struct kmem_cache *s, void *object);
bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab,
			    void *object, unsigned int orig_size,
			    unsigned long addr);
bool free_debug_processing(struct kmem_cache *s, struct slab *slab,
			   void *object, unsigned long addr);
void free_slab_debug(struct kmem_cache *s, struct slab *slab);
int validate_slab_debug(struct kmem_cache *s, struct slab *slab);
void init_object(struct kmem_cache *s, void *object, uint8_t val);
int check_object(struct kmem_cache *s, struct slab *slab, void *object,
		 uint8_t val);
bool on_freelist(struct kmem_cache *s, struct slab *slab, void *search);
/* On the slab's freelist, its cpu's lockless freelist, or in quarantine. */
bool object_is_free(const struct kmem_cache *s, const struct slab *slab,
		    const void *object);
/*
 * Before krealloc() or kfree_sensitive() touch an object's bytes: is p a
 * live object? A freed object or a pointer into one is reported and the
 * caller leaves it alone. Checked with consistency checks, a quarantine or
 * ASan, or always when always is set.
 */
bool slab_object_live(struct kmem_cache *s, struct slab *slab, const void *p,
		      unsigned long ip, bool always, const char *func,
		      const char *title_what);
/* An object leaving the quarantine was not written to (false: keep it). */
bool quarantine_debug_check(struct kmem_cache *s, struct slab *slab,
			    void *object);
/* Where the metadata ends and the padding starts, from the object. */
unsigned int debug_info_end(const struct kmem_cache *s);
/*
 * Large kmalloc under slab_debug Z: a kmalloc red zone from the request to
 * the end of the pages, set at allocation (and by krealloc in place),
 * checked when the pages are freed.
 */
void large_kmalloc_redzone_set(struct page *head, size_t size);
void large_kmalloc_redzone_check(struct page *head);
/* A free (or krealloc) of a large kmalloc whose pages are free or in the
 * quarantine: with debugging configured, a double-free report (true). */
bool large_kmalloc_double_free(const void *object, struct page *head,
			       unsigned long caller);
/* krealloc() of a freed object is reported and fails (false). */
bool krealloc_object_ok(const void *p, unsigned long caller);
/* The object whose slot p points into (the kernel's nearest_obj()). */
void *nearest_obj(const struct kmem_cache *s, const struct slab *slab,
		  const void *p);

/* slub_debug_report.c: one report per finding, in the kernel's words. */
void debug_bug(struct kmem_cache *s, enum kalloc_bug bug, const char *what,
	       const void *addr, const char *fmt, ...) __printf(5, 6);
void debug_fix(struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
void debug_report_add(const char *fmt, ...) __printf(1, 2);
void debug_hexdump(const char *prefix, const void *addr, size_t len);
void debug_slab_info(struct slab *slab);
void debug_report_flush(void);
void object_err(struct kmem_cache *s, struct slab *slab, void *object,
		enum kalloc_bug bug, const char *what, const char *reason);
void slab_err(struct kmem_cache *s, struct slab *slab, enum kalloc_bug bug,
	      const char *what, const void *addr, const char *fmt, ...)
	__printf(6, 7);
void print_trailer(struct kmem_cache *s, struct slab *slab, uint8_t *p);
void print_tracking(struct kmem_cache *s, void *object);
void get_track_copy(struct kmem_cache *s, void *object, enum track_item alloc,
		    struct track *t);
/* The kernel's %pS: "func+0x1c", or the bare address. */
void format_symbol(char *buf, size_t len, unsigned long addr);
void kasan_report_free_object(struct kmem_cache *s, void *object,
			      const struct track *freed, unsigned long ip,
			      const char *kind, const char *access,
			      enum kalloc_bug bug, const char *title_what);
void kasan_report_double_free(struct kmem_cache *s, void *object,
			      const struct track *freed, unsigned long ip);
void kasan_report_invalid_free(struct kmem_cache *s, const void *object,
			       const void *addr, unsigned long ip);

/*
 * quarantine.c: freed objects wait in a FIFO until cfg.quarantine_bytes of
 * later frees push them out; then slab_free_after_quarantine() (slub.c)
 * frees them for real.
 */
int quarantine_init(const struct kalloc_config *cfg);
/* Empty (after reset) with a new budget: the tables sized for it. */
int quarantine_set_budget(const struct kalloc_config *cfg);
void quarantine_reset(void);
void quarantine_fini(void);
int quarantine_validate(void);
bool quarantine_enabled(void);
bool quarantine_contains(const void *object);
const struct track *quarantine_free_track(const void *object);
bool quarantine_put(struct kmem_cache *s, void *object, unsigned long bytes,
		    unsigned long caller);
void quarantine_remove_cache(struct kmem_cache *s);
unsigned long quarantine_drain(void);
size_t quarantine_bytes_held(void);
size_t quarantine_capacity(void);	/* entries; fixed from init to fini */
void slab_free_after_quarantine(struct kmem_cache *s, void *object);
void large_kmalloc_free_after_quarantine(void *object);

#endif /* KALLOC_INTERNAL_H */
