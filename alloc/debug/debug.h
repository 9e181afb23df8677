/*
 * debug/debug.h - the hooks SLUB and kmalloc call into the debug layer (the
 * slab_debug= option, the object checks, the KASAN-style quarantine), as
 * the kernel's include/linux/kasan.h and the debug parts of mm/slab.h. The
 * debug layer's own building blocks are private to it: its reports and the
 * object checks' helpers in debug/slub_debug.h, the quarantine's lookups in
 * debug/quarantine.h; what the machine asks about an object is
 * debug/obj_info.h.
 */
#ifndef KALLOC_DEBUG_DEBUG_H
#define KALLOC_DEBUG_DEBUG_H

#include "slab/slab.h"

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
/*
 * Before krealloc() or kfree_sensitive() touch an object's bytes: is p a
 * live object? A freed object or a pointer into one is reported and the
 * caller leaves it alone. Checked with consistency checks, a quarantine or
 * ASan, or always when always is set. Under ASan the shadow says, and the
 * report is KASAN's (bug: DOUBLE_FREE for a free, USE_AFTER_FREE for a
 * use), as kasan_check_byte() comes first in the kernel; otherwise with
 * consistency checks it is SLUB's ("Object already free", titled with
 * title_what), else KASAN's.
 */
bool slab_object_live(struct kmem_cache *s, struct slab *slab, const void *p,
		      unsigned long ip, bool always, const char *func,
		      enum kalloc_bug bug, const char *title_what);
/* An object leaving the quarantine was not written to (false: keep it). */
bool quarantine_debug_check(struct kmem_cache *s, struct slab *slab,
			    void *object);
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


/*
 * slub_debug_report.c: one SLUB debug report, owned by the check that
 * builds it (a local of the hook's entry point, passed down to every
 * helper that adds to it; nothing else holds a report open). The first
 * finding opens it and gives its kind and title ("slab: <what> in
 * <cache>"); later findings and FIX lines add to it; debug_report_flush()
 * emits it, and leaves it ready for the next finding. Start it with
 * DEBUG_REPORT_INIT.
 */
struct debug_report {
	struct report_buf rb;		/* the text, in the kernel's format */
	bool open;			/* a finding has opened it */
	enum kalloc_bug bug;		/* the first finding's kind */
	const void *addr;		/* ... and address */
	char title[160];
	char cache[64];
};
#define DEBUG_REPORT_INIT	{ .open = false }

/*
 * A finding on a slab path (slub.c's damaged partial slab): slab_err()
 * opens the report with a BUG section about the slab, debug_fix() adds a
 * FIX line (nothing when no finding opened r), debug_report_flush() emits
 * it.
 */
void slab_err(struct debug_report *r, struct kmem_cache *s, struct slab *slab,
	      enum kalloc_bug bug, const char *what, const void *addr,
	      const char *fmt, ...) __printf(7, 8);
void debug_fix(struct debug_report *r, struct kmem_cache *s,
	       const char *fmt, ...) __printf(3, 4);
void debug_report_flush(struct debug_report *r);

/*
 * Generic KASAN (kasan_slab.c): KASAN's invalid-free report, which SLUB's
 * free paths make for a KASAN cache; and in the ASan build (no-ops
 * without) the red zone and metadata space a cache's slot gets, from
 * calculate_sizes(), and the check ksize() makes first (false: reported,
 * the caller returns 0).
 */
void kasan_report_invalid_free(struct kmem_cache *s, const void *object,
			       const void *addr, unsigned long ip,
			       const char *func);
#if KALLOC_KASAN
void kasan_cache_create(struct kmem_cache *s, unsigned int *size);
bool kasan_check_byte(const void *p, unsigned long ip, const char *func);
#else
static inline void kasan_cache_create(struct kmem_cache *s, unsigned int *size)
{ (void)s; (void)size; }
static inline bool kasan_check_byte(const void *p, unsigned long ip,
				    const char *func)
{ (void)p; (void)ip; (void)func; return true; }
#endif

/*
 * KASAN's check before a free writes anything (kasan_slab_pre_free(), as
 * include/linux/kasan.h wraps __kasan_slab_pre_free()): true when the
 * object is free already, reported as a double-free in func; the caller
 * frees nothing. Always false without ASan.
 */
#if KALLOC_KASAN
bool __kasan_slab_pre_free(struct kmem_cache *s, void *object,
			   unsigned long ip, const char *func);

static inline bool kasan_slab_pre_free(struct kmem_cache *s, void *object,
				       unsigned long ip, const char *func)
{
	return (s->flags & SLAB_KASAN) &&
	       __kasan_slab_pre_free(s, object, ip, func);
}
#else
static inline bool kasan_slab_pre_free(struct kmem_cache *s, void *object,
				       unsigned long ip, const char *func)
{
	(void)s; (void)object; (void)ip; (void)func;
	return false;
}
#endif

/*
 * quarantine.c: freed objects wait in a FIFO until cfg.quarantine_bytes of
 * later frees push them out; then they go back through the ops that the
 * slab layer registered at slab_init(): SLUB frees a slab object for real
 * (slab_free_after_quarantine(), slub.c), kmalloc a large kmalloc's pages
 * (large_kmalloc_free_after_quarantine(), kmalloc.c). A registration, so
 * that SLUB's free path (which puts objects in) and the quarantine (which
 * hands them back) do not call each other in a circle: the quarantine
 * includes no header of SLUB's.
 */
struct quarantine_ops {
	void (*free_object)(struct kmem_cache *s, void *object);
	void (*free_large)(void *object);
};
/* Before quarantine_init(); the ops stay registered across fini and init. */
void quarantine_register_ops(const struct quarantine_ops *ops);
int quarantine_init(const struct kalloc_config *cfg);
/* Empty (after reset) with a new budget: the tables sized for it. */
int quarantine_set_budget(const struct kalloc_config *cfg);
void quarantine_reset(void);
void quarantine_fini(void);
int quarantine_validate(void);
/* Holds a freed, poisoned object back (s NULL: a large kmalloc); false
 * when the caller must free it at once. */
bool quarantine_put(struct kmem_cache *s, void *object, unsigned long bytes,
		    unsigned long caller);
void quarantine_remove_cache(struct kmem_cache *s);
unsigned long quarantine_drain(void);
/*
 * kasan_slab.c: with a quarantine, before SLUB puts an object start into it
 * (slab_free_quarantine(), slub.c): is the object free already - in the
 * quarantine, or, for a cache without debug flags (whose free checks would
 * not look), on a freelist (under ASan: poisoned)? Then it is KASAN's
 * double-free in func, reported, and true: the caller frees nothing.
 */
bool kasan_quarantine_double_free(struct kmem_cache *s, struct slab *slab,
				  void *object, unsigned long ip,
				  const char *func);

#endif /* KALLOC_DEBUG_DEBUG_H */
