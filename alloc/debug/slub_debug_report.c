/*
 * slub_debug_report.c - SLUB debug reports in the kernel's words.
 *
 * One report per finding event: everything one check of one object (or one
 * slab) finds goes into a single report, whose kind and title come from the
 * first finding. The text follows mm/slub.c: the BUG line between rule
 * lines (slab_bug()), the "[<what> overwritten] 0x...-0x... @offset=N. First
 * byte 0x.. instead of 0x.." lines, the Allocated/Freed tracks, the Slab and
 * Object lines, hexdumps of the red zones, the object and the padding
 * (print_trailer()), and FIX lines for what was restored (slab_fix()).
 *
 * The report is a struct debug_report that the check's entry point owns
 * (alloc_debug_processing(), free_debug_processing(), ...) and passes down
 * to every helper that may add to it; the entry point emits it when the
 * check is done (debug_report_flush()). There is no report open anywhere
 * else: as the kernel's slab_bug()/print_trailer() chain prints one report
 * at a time, each check builds its own.
 *
 * Two choices differ from one particular kernel release, to keep a report
 * self-contained: the BUG line names the finding as kernels up to 6.14 did
 * ("Right Redzone overwritten", not 6.15's generic "Object corrupt"), and it
 * heads the report, where 6.15 prints the bracketed line just before it.
 *
 * Titles are stable and free of addresses: "slab: <what> in <cache>".
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "debug/slub_debug.h"

#if KALLOC_KASAN
#include <sanitizer/common_interface_defs.h>
#endif

/* ------------------------------------------------------------------ */
/* Accumulating one report                                             */
/* ------------------------------------------------------------------ */

void debug_report_add(struct debug_report *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!r->open)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	report_add(&r->rb, "%s", line);
}

void debug_hexdump(struct debug_report *r, const char *prefix,
		   const void *addr, size_t len)
{
	if (r->open)
		report_hexdump(&r->rb, prefix, addr, len);
}

/*
 * Opens the report if it is not open yet (its kind and title come from the
 * first finding) and appends a BUG section, as the kernel's slab_bug()
 * prints it.
 */
void debug_bug(struct debug_report *r, struct kmem_cache *s,
	       enum kalloc_bug bug, const char *what, const void *addr,
	       const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	if (!r->open) {
		r->open = true;
		report_init(&r->rb);
		r->bug = bug;
		snprintf(r->title, sizeof(r->title), "slab: %s in %s", what,
			 s->name);
		snprintf(r->cache, sizeof(r->cache), "%s", s->name);
		r->addr = addr;
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	slab_bug(&r->rb, s, "%s", reason);
}

/* "FIX <cache>: ..." - what was done to recover (slab_fix()). */
void debug_fix(struct debug_report *r, struct kmem_cache *s,
	       const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (!r->open)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	slab_fix(&r->rb, s, "%s", what);
}

/* Emits the report if a finding opened it; r can then take the next one. */
void debug_report_flush(struct debug_report *r)
{
	if (!r->open)
		return;
	/* closed first: r is ready for another finding when the handler
	 * returns (report_emit() leaves r->rb empty) */
	r->open = false;
	report_emit(&r->rb, r->bug, r->cache, r->addr, "%s", r->title);
}

/* ------------------------------------------------------------------ */
/* Symbols and tracks                                                  */
/* ------------------------------------------------------------------ */

/*
 * The kernel's %pS. Under ASan the sanitizer's symbolizer knows static
 * functions too (but not where they start: "func" alone unless dladdr()
 * knows it as well); otherwise dladdr() finds what the dynamic symbol
 * table holds, and the bare address is printed when it knows nothing. The
 * "/size" of the kernel's "func+0x1c/0x40" is not known here.
 */
static void lookup_symbol(char *buf, size_t len, unsigned long addr)
{
	Dl_info info;
	bool have_dl = dladdr((void *)addr, &info) && info.dli_sname &&
		       info.dli_saddr;

#if KALLOC_KASAN
	__sanitizer_symbolize_pc((void *)addr, "%f", buf, len);
	if (buf[0] && strcmp(buf, "<null>") && strcmp(buf, "??")) {
		if (have_dl && !strcmp(info.dli_sname, buf))
			snprintf(buf + strlen(buf), len - strlen(buf), "+0x%lx",
				 addr - (unsigned long)info.dli_saddr);
		return;
	}
#endif
	if (have_dl)
		snprintf(buf, len, "%s+0x%lx", info.dli_sname,
			 addr - (unsigned long)info.dli_saddr);
	else
		snprintf(buf, len, PTR_FMT, addr);
}

/*
 * Reports name the same few callers again and again, and dladdr() (a
 * walk of the symbol tables) and the sanitizer's symbolizer cost far more
 * than the report itself: the names are kept by address. This is state of
 * the host process, not of a machine: code addresses never change, so a
 * kept name is the one a lookup would give, whatever ran before. Names are
 * kept to SYMBOL_LEN - 1 characters, what every caller's buffer holds.
 */
#define SYMBOL_CACHE_SLOTS	64
#define SYMBOL_LEN		128

static struct symbol_slot {
	unsigned long addr;
	char name[SYMBOL_LEN];
} symbol_cache[SYMBOL_CACHE_SLOTS];

void format_symbol(char *buf, size_t len, unsigned long addr)
{
	struct symbol_slot *slot =
		&symbol_cache[(addr ^ (addr >> 6) ^ (addr >> 12)) % SYMBOL_CACHE_SLOTS];

	if (!addr || slot->addr != addr) {
		lookup_symbol(slot->name, sizeof(slot->name), addr);
		slot->addr = addr;
	}
	snprintf(buf, len, "%s", slot->name);
}

/* A track, read without tripping ASan on the poisoned metadata. */
void get_track_copy(struct kmem_cache *s, void *object, enum track_item alloc,
		    struct track *t)
{
	kasan_memcpy_nocheck(t, get_track(s, object, alloc), sizeof(*t));
}

static void print_track(struct debug_report *r, const char *what,
			const struct track *t)
{
	char sym[128];

	if (!t->addr)
		return;
	format_symbol(sym, sizeof(sym), t->addr);
	debug_report_add(r, "%s in %s age=%lu cpu=%d pid=%d\n", what, sym,
			 kg.ops - t->when, t->cpu, t->pid);
}

void print_tracking(struct debug_report *r, struct kmem_cache *s,
		    void *object)
{
	struct track t;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	get_track_copy(s, object, TRACK_ALLOC, &t);
	print_track(r, "Allocated", &t);
	get_track_copy(s, object, TRACK_FREE, &t);
	print_track(r, "Freed", &t);
}

/* ------------------------------------------------------------------ */
/* Objects and slabs                                                   */
/* ------------------------------------------------------------------ */

void debug_slab_info(struct debug_report *r, struct slab *slab)
{
	if (r->open)
		print_slab_info(&r->rb, slab);
}

/* print_trailer(): everything known about one object. */
void print_trailer(struct debug_report *r, struct kmem_cache *s,
		   struct slab *slab, uint8_t *p)
{
	uint8_t *addr = (uint8_t *)slab_address(slab);
	unsigned int off;

	if (!r->open)
		return;
	print_tracking(r, s, p);
	print_slab_info(&r->rb, slab);
	print_object_line(&r->rb, s, slab, p);

	if (s->flags & SLAB_RED_ZONE)
		debug_hexdump(r, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		debug_hexdump(r, "Bytes b4 ", p - 16, 16);

	debug_hexdump(r, "Object   ", p, min_t(unsigned int, s->object_size,
					    PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		debug_hexdump(r, "Redzone  ", p + s->object_size,
			      s->inuse - s->object_size);

	off = debug_info_end(s);
	if (off != size_from_object(s))
		/* the filler starts where the metadata ends */
		debug_hexdump(r, "Padding  ", p + off, size_from_object(s) - off);
}

/* object_err(): a BUG section about one object, with its trailer. */
void object_err(struct debug_report *r, struct kmem_cache *s,
		struct slab *slab, void *object, enum kalloc_bug bug,
		const char *what, const char *reason)
{
	debug_bug(r, s, bug, what, object, "%s", reason);
	if (!object || !check_valid_pointer(s, slab, object)) {
		print_slab_info(&r->rb, slab);
		debug_report_add(r, "Invalid pointer " PTR_FMT "\n", (unsigned long)object);
	} else {
		print_trailer(r, s, slab, object);
	}
}

/* slab_err(): a BUG section about a slab. */
void slab_err(struct debug_report *r, struct kmem_cache *s, struct slab *slab,
	      enum kalloc_bug bug, const char *what, const void *addr,
	      const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	debug_bug(r, s, bug, what, addr, "%s", msg);
	print_slab_info(&r->rb, slab);
}
