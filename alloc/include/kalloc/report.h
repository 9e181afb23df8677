/*
 * Findings: every bug the allocator detects is handed to one report handler
 * as a struct kalloc_report, with a kernel-format text and a stable title.
 */
#ifndef KALLOC_REPORT_H
#define KALLOC_REPORT_H

#include <stddef.h>

enum kalloc_bug {
	KALLOC_BUG_NONE = 0,
	KALLOC_BUG_DOUBLE_FREE,		/* "Object already free", page double free */
	KALLOC_BUG_INVALID_FREE,	/* "Invalid object pointer", wild or interior free */
	KALLOC_BUG_CACHE_MISMATCH,	/* kmem_cache_free() with the wrong cache */
	KALLOC_BUG_REDZONE,		/* left/right/kmalloc red zone overwritten */
	KALLOC_BUG_POISON,		/* write to a free (poisoned) object */
	KALLOC_BUG_FREEPTR,		/* "Freepointer corrupt" */
	KALLOC_BUG_FREELIST,		/* "Freechain corrupt", cycle, wrong count */
	KALLOC_BUG_PADDING,		/* "Object padding" overwritten */
	KALLOC_BUG_BAD_PAGE,		/* "BUG: Bad page state" */
	KALLOC_BUG_LEAK,		/* objects remaining on cache destroy */
	KALLOC_BUG_VMALLOC,		/* vfree() of something that is no area */
	KALLOC_BUG_OOM,			/* __GFP_NOFAIL could not be satisfied */
	KALLOC_BUG_INTERNAL,		/* an allocator invariant is broken */
	KALLOC_BUG_USE_AFTER_FREE,	/* a freed object handed to ksize(), krealloc() */
	KALLOC_BUG__COUNT
};

struct kalloc_report {
	enum kalloc_bug bug;
	const char *title;	/* stable, address-free: names a crash bucket */
	const char *cache;	/* cache name, or NULL */
	const void *addr;	/* the object, page or pointer concerned */
	const char *text;	/* full report in the kernel's format */
};

typedef void (*kalloc_report_fn)(const struct kalloc_report *report, void *arg);

/*
 * Install the report handler; NULL restores the default, which prints the
 * text to stderr and aborts (or, with continue_on_report, prints and goes
 * on). The handler survives kalloc_reset() and kalloc_fini().
 */
void kalloc_set_report_handler(kalloc_report_fn fn, void *arg);

/* Reports raised since kalloc_init() or the last kalloc_reset(). */
unsigned long kalloc_report_count(void);

/* "double-free", "invalid-free", ...: a short lowercase name of a bug kind. */
const char *kalloc_bug_name(enum kalloc_bug bug);

/*
 * The kernel log. Warnings that are not findings ("page allocation failure",
 * FIX lines, the slab_debug parser's complaints) and report texts all pass
 * through printk. NULL restores the default sink, stderr.
 */
typedef void (*kalloc_printk_fn)(const char *line, void *arg);
void kalloc_set_printk(kalloc_printk_fn fn, void *arg);

#endif /* KALLOC_REPORT_H */
