/*
 * The shadow model and oracle: every live allocation the program made, an
 * interval index over the memory they occupy, their byte patterns, and the
 * checks each operation must pass. A violation is a finding: the title and
 * details go to stderr as "==ERROR: slabfuzz: <title>" and the process
 * aborts, which is what libFuzzer, AFL++ and the replay tool look for.
 *
 * Internal to harness/: the executor (run.c, exec.c, ops_*.c, misuse.c)
 * drives it.
 */
#ifndef SF_MODEL_H
#define SF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <kalloc/kalloc.h>

#include "program.h"

/* What an object is, and so how it is freed and checked. */
enum sf_kind {
	SF_K_KMALLOC,	/* kmalloc family, krealloc results, ZERO_SIZE_PTR */
	SF_K_CACHE,	/* kmem_cache_alloc */
	SF_K_PAGES,	/* alloc_pages */
	SF_K_POOL,	/* pages held by the harness shrinker's pool */
	SF_K_VMALLOC,	/* vmalloc / vzalloc */
	SF_K_KV,	/* kvmalloc / kvzalloc */
	SF_NR_KINDS
};

#define SF_MAX_OBJS	8192
#define SF_MAX_CACHES	16
#define SF_MAX_POKED	4	/* stray stores per misuse */
#define SF_NO_POS	UINT32_MAX
#define SF_IVALS_PREALLOC (1u << 16)	/* intervals before the index grows */

struct sf_obj {
	void *ptr;		/* as returned (ZERO_SIZE_PTR possible) */
	struct page *page;	/* SF_K_PAGES / SF_K_POOL */
	size_t size;		/* requested: the bytes the caller may use */
	size_t extent;		/* bytes the allocation occupies */
	uint8_t kind;
	uint8_t order;		/* pages: the order */
	uint8_t cache;		/* SF_K_CACHE: model cache slot */
	bool live;
	bool zombie;		/* misuse victim: kept reserved, never touched */
	bool large;		/* page-backed kmalloc */
	bool vmapped;		/* SF_K_KV served by vmalloc */
	bool ksized;		/* ksize() was called on it */
	bool poisoned;		/* its cache poisons free objects (slab_debug P) */
	bool ctor;		/* its cache has a constructor */
	uint16_t seed;		/* pattern seed; 0 = ctor pattern / none */
	uint16_t creator;	/* index of the op that made it (handles.c) */
	uint32_t pos[2];	/* index in kind list and in the all list */
	char label[24];		/* names it in titles: kmalloc-64, pages ... */
};

struct sf_cache {
	struct kmem_cache *s;
	bool live;
	bool zombie;		/* a failed destroy left it; never used again */
	bool misused;		/* a misuse hit one of its objects: it may have
				 * leaked objects, so it is never destroyed */
	bool ctor;
	bool poisoned;		/* free objects poisoned: no init_on_* zeroing */
	unsigned int size;	/* requested object size */
	unsigned int object_size; /* kmem_cache_size() */
	unsigned int align;	/* the alignment every object must have */
	unsigned int flags;	/* SLAB_* passed to kmem_cache_create */
	unsigned int nobjs;	/* live objects allocated through this slot */
	uint16_t creator;	/* index of its kmem_cache_create op */
	uint32_t pos;		/* index in the live cache list */
};

/* One interval of memory an object occupies (an object may have several:
 * a vmalloc area's virtual range and the linear ranges of its pages). */
struct sf_ival {
	uintptr_t start, end;
	uint32_t obj;
};

/* The model's own view of a zone, computed from the configuration. */
enum { SF_WMARK_MIN, SF_WMARK_LOW, SF_WMARK_HIGH, SF_NR_WMARKS };
struct sf_zone {
	unsigned long start_pfn, managed;
	unsigned long wmark[SF_NR_WMARKS];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
};
struct sf_zones {
	unsigned long min_free_kbytes;
	struct sf_zone z[MAX_NR_ZONES];
};

struct sf_model {
	/* configuration of the running machine */
	struct kalloc_config kcfg;
	const struct sf_profile *prof;
	uintptr_t lin_start, lin_end, vm_start, vm_end;
	struct sf_zones zones;		/* sf_zones_compute(kcfg) */
	/* what the harness's shrinker could give back, per zone */
	unsigned long pool_pages[MAX_NR_ZONES];
	unsigned long pool_blocks[MAX_NR_ZONES][NR_PAGE_ORDERS];
	/* pages of the page blocks and large kmallocs held: never reclaimed */
	unsigned long pinned_pages[MAX_NR_ZONES];
	/* the GFP of the request being served, which a shrinker must see in
	 * its shrink_control; caller_known is false outside an op */
	gfp_t caller_gfp;
	bool caller_known;
	unsigned long reclaimed_after_failure;	/* for the finding's details */
	/* objects */
	struct sf_obj objs[SF_MAX_OBJS];
	uint32_t free_ids[SF_MAX_OBJS];
	uint32_t nr_free_ids;
	uint32_t nr_used_ids;		/* ids ever handed out since reset */
	uint32_t *list[SF_NR_KINDS];
	uint32_t nlist[SF_NR_KINDS];
	uint32_t *all;
	uint32_t nall;
	uint32_t nr_zombies;
	uint16_t next_seed;
	/* handles: the newest object / cache slot each op made (or ~0) */
	uint32_t made_obj[SF_MAX_OPS];
	uint8_t made_cache[SF_MAX_OPS];
	bool made_many[SF_MAX_OPS];	/* the op made several objects */
	/* caches */
	struct sf_cache caches[SF_MAX_CACHES];
	uint32_t cache_list[SF_MAX_CACHES];
	uint32_t ncache_list;
	/* the interval index: sorted by start, non-overlapping */
	struct sf_ival *ivals;
	size_t nivals, ivals_cap;
	/* execution context for titles and details */
	unsigned int op_index;
	const struct sf_op *op;
	const char *op_name;
	/* fuzz_misuse: reports inside a misuse window are expected */
	bool in_misuse;
	unsigned int misuse_done;
	unsigned int nr_reports;
	struct { enum kalloc_bug bug; char title[128]; } reports[32];
	/* the misuse's stray stores, checked when its window closes */
	unsigned int nr_poked;
	struct { const void *addr; size_t len; } poked[SF_MAX_POKED];
	/* outcome digest (determinism checks) */
	uint64_t digest;
	bool raw;			/* no oracle: bench baseline */
};

extern struct sf_model sf;

/* Findings */
__attribute__((noreturn, format(printf, 2, 3)))
void sf_finding(const char *title, const char *fmt, ...);
/* "model: <check> <what> at op <op>" */
__attribute__((noreturn))
void sf_model_fail(const char *check, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sf_install_handlers(void);

/* Objects and lists */
void sf_model_reset(void);
/* Take the running machine's view: its configuration, the model's own
 * zones computed from it, and the linear and vmalloc ranges. */
void sf_model_view_machine(const struct kalloc_config *k);
/* Forget every object, cache and zombie (the machine was reset). */
void sf_model_forget_machine(void);
int sf_obj_alloc(enum sf_kind kind);	/* id, or -1 when the table is full */
void sf_obj_link(uint32_t id);		/* into its kind list and all list */
void sf_obj_unlink(uint32_t id);	/* out of the lists (free or zombie) */
void sf_obj_release(uint32_t id);	/* back to the free ids */

/* Handles (handles.c): the object or cache an op's handle argument names,
 * -1 if there is none. */
int sf_pick(enum sf_kind kind, uint64_t ref);
int sf_pick_all(uint64_t ref);
int sf_pick_slab_object(uint64_t ref);	/* SF_K_CACHE or SF_K_KMALLOC */
int sf_pick_cache(uint64_t ref);	/* model cache slot or -1 */
void sf_handles_reset(void);
void sf_handle_stamp(uint32_t id);	/* made (or re-made) by the current op */
void sf_handle_stamp_cache(unsigned int slot);
static inline uint32_t sf_obj_capacity(void)
{
	return SF_MAX_OBJS - sf.nr_used_ids + sf.nr_free_ids;
}

/* The interval index */
void sf_index_add(uint32_t id, uintptr_t start, size_t len);
void sf_index_del(uint32_t id, uintptr_t start);
void sf_index_add_obj(uint32_t id);	/* every interval of the object */
void sf_index_del_obj(uint32_t id);

/* Patterns (pattern.c) */
void sf_pattern_init(void);	/* once, outside any input */
void sf_pattern_fill(void *p, size_t len, uint16_t seed);
/* First offset (< limit) where p differs from the pattern, or SIZE_MAX. */
size_t sf_pattern_check(const void *p, size_t len, size_t limit, uint16_t seed);
size_t sf_zero_check(const void *p, size_t len);
uint16_t sf_new_seed(void);
uint16_t sf_ctor_seed(unsigned int slot);
void sf_obj_write_pattern(uint32_t id);
void sf_obj_check_pattern(uint32_t id, const char *why);
void sf_check_all_patterns(void);

/* Checks on a fresh allocation: range, alignment, zone, overlap, zeroing,
 * ctor; then the object gets its pattern and joins the model. */
struct sf_newobj {
	enum sf_kind kind;
	void *ptr;
	struct page *page;
	size_t size, extent;
	size_t align;		/* required alignment of the physical / virtual address */
	int max_zone;		/* highest zone the memory may come from, -1 = any */
	size_t zero_from;	/* bytes [zero_from, size) must be zero; SIZE_MAX = none */
	size_t keep_len;	/* bytes [0, keep_len) must hold ... */
	size_t keep_size;	/* ... the pattern of a keep_size object ... */
	uint16_t keep_seed;	/* ... with this seed (krealloc, kmemdup) */
	bool ctor;
	bool poisoned;
	bool large;
	uint8_t order, cache;
	const char *label;
};
static inline void sf_newobj_init(struct sf_newobj *n, enum sf_kind kind,
				  void *ptr, size_t size, const char *label)
{
	*n = (struct sf_newobj){ .kind = kind, .ptr = ptr, .size = size,
				 .extent = size, .align = 8, .max_zone = -1,
				 .zero_from = SIZE_MAX, .label = label };
}
int sf_obj_new(const struct sf_newobj *n);	/* id or -1 if the table was full */
/* src into len bytes, cut as snprintf("%s") would, without the format
 * engine: for what is copied on every op (labels, kernel log lines). */
static inline void sf_str_copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}
/* Take the object out of the model before it is freed: checks its pattern
 * (restoring a ctor cache's pattern, as a kernel caller must). */
void sf_obj_free_prepare(uint32_t id);
void sf_obj_forget(uint32_t id);	/* index, lists, id */
void sf_obj_make_zombie(uint32_t id);

/* The model's zones (zones.c): spans, watermarks and lowmem_reserve by
 * the kernel's formulas, from the configuration alone. */
void sf_zones_compute(const struct kalloc_config *k, struct sf_zones *out);
int sf_gfp_zone(gfp_t gfp);		/* -1: invalid zone modifiers */
int sf_zone_of(uintptr_t linear);	/* zone of a linear address */
void sf_zone_account(uint32_t id, int sign);	/* object in (+1) / out (-1) */
/* Can the arena certainly serve count blocks of this order with these flags,
 * counting what reclaim could give back from the pool? Used after a
 * failure: true means the failure is spurious. */
bool sf_must_succeed(gfp_t gfp, unsigned int order, unsigned long count);
/* After a failure that may reclaim: run a reclaim pass; true if it gave
 * pages back (empty slabs, the quarantine), so the caller asks again. */
bool sf_reclaim_after_failure(gfp_t gfp);
/* Must alloc_pages(gfp, order) fail now? Exact for sf_pages_decidable masks
 * (no direct reclaim, no __GFP_NOFAIL); for masks that may reclaim, true
 * only when even reclaiming everything the program does not hold as pages
 * could not pass the watermark. */
bool sf_pages_must_fail(gfp_t gfp, unsigned int order);
bool sf_pages_decidable(gfp_t gfp);
/* What a finding's zone description reads, taken before the call it is
 * about; formatted (sf_zones_describe) only if there is a finding. */
struct sf_zones_state {
	unsigned long free[MAX_NR_ZONES], pool[MAX_NR_ZONES];
	int largest[MAX_NR_ZONES];
};
void sf_zones_capture(struct sf_zones_state *st);
void sf_zones_describe(gfp_t gfp, const struct sf_zones_state *st, char *buf,
		       size_t len);
bool sf_vmalloc_must_succeed(size_t size, gfp_t gfp);
unsigned int sf_slab_order_bound(size_t object_size, unsigned int align);

/* Digest of outcomes */
void sf_digest(uint64_t v);
void sf_digest_ptr(const void *p);


#endif /* SF_MODEL_H */
