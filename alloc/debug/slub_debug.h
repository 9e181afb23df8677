/*
 * debug/slub_debug.h - the private header of SLUB's debugging: what the
 * debug layer's files that look inside SLUB's objects (slub_debug.c,
 * slub_debug_report.c, kmalloc_debug.c, kasan_slab.c) share beyond the
 * hooks of debug/debug.h, as the kernel's mm/kasan/kasan.h is for
 * mm/kasan/. The quarantine (quarantine.c) is not among them: it sees SLUB
 * only through the slab contract (ci/check-layers keeps it so). One report
 * per finding, in the struct debug_report its check owns (debug.h):
 * debug_bug() opens it, the other calls add to it, debug_report_flush()
 * emits it.
 */
#ifndef KALLOC_DEBUG_SLUB_DEBUG_H
#define KALLOC_DEBUG_SLUB_DEBUG_H

#include "debug/debug.h"
#include "debug/quarantine.h"
#include "slab/slub.h"

/* slub_debug.c: poisoning and checking one object. */
void init_object(struct kmem_cache *s, void *object, uint8_t val);
int check_object(struct debug_report *r, struct kmem_cache *s,
		 struct slab *slab, void *object, uint8_t val);
/* On the slab's freelist, its cpu's lockless freelist, or in quarantine. */
bool object_is_free(const struct kmem_cache *s, const struct slab *slab,
		    const void *object);
/* Where the metadata ends and the padding starts, from the object. */
unsigned int debug_info_end(const struct kmem_cache *s);

/* slub_debug_report.c: one report per finding, in the kernel's words. Each
 * adds to r, and does nothing when no finding has opened it but
 * debug_bug(), object_err() and slab_err(), which open it. */
void debug_bug(struct debug_report *r, struct kmem_cache *s,
	       enum kalloc_bug bug, const char *what, const void *addr,
	       const char *fmt, ...) __printf(6, 7);
void debug_report_add(struct debug_report *r, const char *fmt, ...)
	__printf(2, 3);
void debug_hexdump(struct debug_report *r, const char *prefix,
		   const void *addr, size_t len);
void debug_slab_info(struct debug_report *r, struct slab *slab);
void object_err(struct debug_report *r, struct kmem_cache *s,
		struct slab *slab, void *object, enum kalloc_bug bug,
		const char *what, const char *reason);
void print_trailer(struct debug_report *r, struct kmem_cache *s,
		   struct slab *slab, uint8_t *p);
void print_tracking(struct debug_report *r, struct kmem_cache *s,
		    void *object);
void get_track_copy(struct kmem_cache *s, void *object, enum track_item alloc,
		    struct track *t);
/* The kernel's %pS: "func+0x1c", or the bare address. */
void format_symbol(char *buf, size_t len, unsigned long addr);

/* kasan_slab.c: KASAN's reports ("BUG: KASAN: <type> in <func>", titled
 * "KASAN: <type> in <func>"); bug is DOUBLE_FREE or USE_AFTER_FREE. */
void kasan_report_free_object(struct kmem_cache *s, void *object,
			      const void *addr, const struct kasan_track *freed,
			      enum kalloc_bug bug, const char *access,
			      unsigned long ip, const char *func);
void kasan_report_double_free(struct kmem_cache *s, void *object,
			      const struct kasan_track *freed, unsigned long ip,
			      const char *func);

#endif /* KALLOC_DEBUG_SLUB_DEBUG_H */
