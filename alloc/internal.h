/*
 * Shared internal structures of the allocator layers. Only alloc/*.c include
 * this; callers see alloc/include/kalloc/ alone.
 *
 * Layering (each file owns one layer; lower layers never call upward except
 * through the hooks named here):
 *
 *   kalloc.c      life cycle: init/reset/fini/validate, CPUs, tasks, op clock
 *   report.c      printk, report formatting and the report handler
 *   arena.c       simulated physical memory (memfd), mem_map, conversions,
 *                 per-input dirty tracking for cheap reset
 *   page_alloc.c  zones, buddy free lists, GFP rules, watermarks, compound
 *                 pages, Bad page state checks, buddyinfo
 *   reclaim.c     shrinkers and direct reclaim
 *   slub.c        kmem_cache, per-CPU slabs, partial lists, hardening
 *   slub_debug.c  SLUB debugging: red zones, poison, tracks, free checks
 *   slab_common.c kmalloc size classes and the kmalloc family
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
 * Owned by slub.c.
 */
struct slab {
	struct kmem_cache *slab_cache;
	struct list_head slab_list;	/* node partial/full, or cpu partial */
	void *freelist;			/* first free object (stored pointers are
					 * encoded when hardened) */
	unsigned int inuse;		/* objects handed out (counting the cpu
					 * freelist's objects as in use while frozen) */
	unsigned int objects;		/* objects in this slab */
	unsigned int order;
	bool frozen;			/* owned by a cpu: active or cpu partial */
	int cpu;			/* that cpu, or -1 */
	int list;			/* enum slab_list_id: where it is listed */
	struct slab *next_cpu_partial;	/* cpu partial chain */
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
	/* dirty tracking since init/reset */
	uint8_t *dirty;			/* one byte per pfn */
	unsigned long *dirty_list;
	unsigned long nr_dirty;
	/* the vmalloc address range (reserved PROT_NONE) */
	char *vmalloc_start;
	char *vmalloc_end;
};

extern struct arena arena;

int arena_init(const struct kalloc_config *cfg);
void arena_snapshot(void);	/* after all layers' init: remember mem_map */
void arena_reset(void);		/* restore dirty struct pages, zero their frames */
void arena_fini(void);

static inline void page_mark_dirty(struct page *p)
{
	unsigned long pfn = (unsigned long)(p - arena.mem_map);

	if (!arena.dirty[pfn]) {
		arena.dirty[pfn] = 1;
		arena.dirty_list[arena.nr_dirty++] = pfn;
	}
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
/* Internal invariant broken: "kalloc: invariant: ..." */
void report_internal(const char *fmt, ...) __printf(1, 2);
void report_counts_reset(void);

/* "gfp_mask=0x%x(GFP_KERNEL|__GFP_ZERO)" style flag names, as %pGg prints. */
void format_gfp(char *buf, size_t len, gfp_t gfp);

/* ------------------------------------------------------------------ */
/* Layer hooks called by kalloc.c, in this order                      */
/* ------------------------------------------------------------------ */

int buddy_init(const struct kalloc_config *cfg);
void buddy_reset(void);
int buddy_validate(void);
/* Is this pfn inside a free buddy block? (for slab/vmalloc validation) */
bool page_is_free(const struct page *page);

void reclaim_reset(void);

int slab_init(const struct kalloc_config *cfg);
void slab_reset(void);
void slab_fini(void);
int slab_validate(void);
unsigned long slab_shrink_all(void);	/* reclaim: pages given back */

int vmalloc_init(const struct kalloc_config *cfg);
void vmalloc_reset(void);
void vmalloc_fini(void);
int vmalloc_validate(void);

#endif /* KALLOC_INTERNAL_H */
