/*
 * slub_debug.c - SLUB debugging: red zones, poisoning, user tracking and the
 * consistency checks of mm/slub.c (CONFIG_SLUB_DEBUG) for caches that carry
 * debug flags (from slab_debug= or from kmem_cache_create()).
 *
 * Object layout (calculate_sizes() lays it out; see internal.h):
 *
 *   | left red zone | object | right red zone | free pointer (outside the
 *   object when poisoning or a ctor needs all of it) | alloc track | free
 *   track | original kmalloc size | padding (POISON_INUSE) |
 *
 * Debug caches never use the per-CPU fast paths: slub.c sends each of their
 * allocations through alloc_debug_processing() and each free through
 * free_debug_processing(), and kalloc_validate() calls
 * validate_slab_debug() for each of their slabs. A failed check reports
 * (slub_debug_report.c), restores the damaged bytes with a FIX line, and
 * keeps the object out of circulation: a failed allocation check disables
 * the whole slab ("Marking all objects used"; slab->frozen marks it, which
 * a debug cache's slab is never otherwise), a failed free check leaks the
 * object ("Object at ... not freed"). No live object is ever touched.
 *
 * Where this differs from the kernel, on purpose:
 *  - A later free into a disabled slab is checked and retired quietly; the
 *    kernel reports each one again ("Slab disabled since ...").
 *  - When a freelist is cut or cleared, the free objects lost to it are
 *    told apart by their inactive red zones and marked allocated, so that
 *    later checks do not mistake them for damaged live objects.
 *  - A free's own checks (double free, red zones) come before the "Slab has
 *    0 allocated objects" count check, so a second free of a slab's last
 *    object is called a double free.
 *  - Validation checks every object of a slab, not only up to the first
 *    bad one, and skips disabled slabs.
 *  - Objects waiting in the quarantine count as free for the checks.
 *
 * Red zones, poison and metadata are poisoned in ASan's shadow too, so every
 * access to them here goes through kasan.c's *_nocheck helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "debug/obj_info.h"
#include "debug/slub_debug.h"

/* ------------------------------------------------------------------ */
/* Layout helpers                                                      */
/* ------------------------------------------------------------------ */

/* Where the metadata ends and the padding starts, from the object. */
unsigned int debug_info_end(const struct kmem_cache *s)
{
	unsigned int off = get_info_end(s);

	if (s->flags & SLAB_STORE_USER) {
		off += 2 * sizeof(struct track);
		if (s->flags & SLAB_KMALLOC)	/* as calculate_sizes() */
			off += sizeof(unsigned int);
	}
	return off;
}

static inline uint8_t *object_at(const struct kmem_cache *s,
				 const struct slab *slab, unsigned int idx)
{
	return (uint8_t *)fixup_red_left(s, slab_address(slab)) +
	       (size_t)idx * s->size;
}

/* ------------------------------------------------------------------ */
/* Tracks                                                              */
/* ------------------------------------------------------------------ */

static void set_track(struct kmem_cache *s, void *object,
		      enum track_item alloc, unsigned long addr)
{
	struct track t = {
		.addr = addr,
		.cpu = (int)kg.cpu,
		.pid = kg.pid,
		.when = kg.ops,
	};

	kasan_memcpy_nocheck(get_track(s, object, alloc), &t, sizeof(t));
}

static void init_tracking(struct kmem_cache *s, void *object)
{
	if (s->flags & SLAB_STORE_USER)
		kasan_memset_nocheck(get_track(s, object, TRACK_ALLOC), 0,
				     2 * sizeof(struct track));
}

/* ------------------------------------------------------------------ */
/* Object initialisation                                               */
/* ------------------------------------------------------------------ */

/*
 * Red zones get val (SLUB_RED_ACTIVE or _INACTIVE). A poisoning cache's
 * object gets POISON_FREE ending in POISON_END, on allocation as on free,
 * as in the kernel. For an allocated kmalloc object the red zone starts at
 * the requested size.
 */
void init_object(struct kmem_cache *s, void *object, uint8_t val)
{
	uint8_t *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		kasan_memset_nocheck(p - s->red_left_pad, val, s->red_left_pad);
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if ((s->flags & __OBJECT_POISON) && poison_size) {
		kasan_memset_nocheck(p, POISON_FREE, poison_size - 1);
		kasan_memset_nocheck(p + poison_size - 1, POISON_END, 1);
	}
	if (s->flags & SLAB_RED_ZONE)
		kasan_memset_nocheck(p + poison_size, val,
				     s->inuse - poison_size);
}

/* A new slab of a poisoning cache is POISON_INUSE throughout. */
void setup_slab_debug(struct kmem_cache *s, struct slab *slab, void *addr)
{
	if (s->flags & SLAB_POISON)
		kasan_memset_nocheck(addr, POISON_INUSE, slab_size(slab));
}

/* Each object of a new slab starts free: inactive red zones, poisoned. */
void setup_object_debug(struct kmem_cache *s, void *object)
{
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
}

/* ------------------------------------------------------------------ */
/* Byte checks                                                         */
/* ------------------------------------------------------------------ */

static void restore_bytes(struct debug_report *r, struct kmem_cache *s,
			  const char *message, uint8_t data, uint8_t *from,
			  uint8_t *to)
{
	debug_fix(r, s, "Restoring %s " PTR_FMT "-" PTR_FMT "=0x%x", message,
		  (unsigned long)from, (unsigned long)to - 1, data);
	kasan_memset_nocheck(from, data, (size_t)(to - from));
}

/* The title of an "overwritten" finding, from the kind its check gives. */
static const char *const overwrite_title[KALLOC_BUG__COUNT] = {
	[KALLOC_BUG_REDZONE] = "Redzone overwritten",
	[KALLOC_BUG_POISON] = "Poison overwritten",
	[KALLOC_BUG_PADDING] = "Object padding overwritten",
};

/*
 * check_bytes_and_report(): are [start, start + bytes) all value? If not,
 * report the damaged range (the first finding about an object also prints
 * the object's trailer) and restore it. bug is the finding's kind
 * (REDZONE, POISON or PADDING), what its name in the report.
 */
static int check_bytes_and_report(struct debug_report *r, struct kmem_cache *s,
				  struct slab *slab, uint8_t *object,
				  enum kalloc_bug bug, const char *what,
				  uint8_t *start, unsigned int value,
				  unsigned int bytes, bool slab_obj_print)
{
	uint8_t *addr = (uint8_t *)slab_address(slab);
	uint8_t *fault, *end;

	fault = (uint8_t *)kasan_memchr_inv_nocheck(start, (int)value, bytes);
	if (!fault)
		return 1;

	end = start + bytes;
	while (end > fault && kasan_read_byte_nocheck(end - 1) == value)
		end--;

	if (slab_obj_print)
		debug_bug(r, s, bug, overwrite_title[bug], object,
			  "%s overwritten", what);
	debug_report_add(r, "[%s overwritten] " PTR_FMT "-" PTR_FMT " @offset=%lu. First byte 0x%x instead of 0x%x\n",
			 what, (unsigned long)fault, (unsigned long)end - 1,
			 (unsigned long)(fault - addr),
			 kasan_read_byte_nocheck(fault), value);
	if (slab_obj_print)
		print_trailer(r, s, slab, object);
	restore_bytes(r, s, what, (uint8_t)value, fault, end);
	return 0;
}

static int check_pad_bytes(struct debug_report *r, struct kmem_cache *s,
			   struct slab *slab, uint8_t *p, bool print)
{
	unsigned int off = debug_info_end(s);

	if (size_from_object(s) == off)
		return 1;
	return check_bytes_and_report(r, s, slab, p, KALLOC_BUG_PADDING,
				      "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off, print);
}

/* slab_pad_check(): the tail of a poisoning slab after its last object. */
static void slab_pad_check(struct debug_report *r, struct kmem_cache *s,
			   struct slab *slab)
{
	uint8_t *start = (uint8_t *)slab_address(slab);
	unsigned long length = slab_size(slab);
	unsigned long remainder = length % s->size;
	uint8_t *end = start + length;
	uint8_t *fault, *pad;

	if (!(s->flags & SLAB_POISON) || !remainder)
		return;
	pad = end - remainder;
	fault = (uint8_t *)kasan_memchr_inv_nocheck(pad, POISON_INUSE,
						    remainder);
	if (!fault)
		return;
	while (end > fault && kasan_read_byte_nocheck(end - 1) == POISON_INUSE)
		end--;

	debug_bug(r, s, KALLOC_BUG_PADDING, "Padding overwritten", fault,
		  "Padding overwritten. " PTR_FMT "-" PTR_FMT " @offset=%lu",
		  (unsigned long)fault, (unsigned long)end - 1,
		  (unsigned long)(fault - start));
	debug_hexdump(r, "Padding ", pad, remainder);
	debug_slab_info(r, slab);
	restore_bytes(r, s, "slab padding", POISON_INUSE, fault, end);
}

/*
 * check_object(): is the object intact for its state? val is
 * SLUB_RED_ACTIVE for an allocated object and _INACTIVE for a free one.
 */
int check_object(struct debug_report *r, struct kmem_cache *s,
		 struct slab *slab, void *object, uint8_t val)
{
	uint8_t *p = object;
	uint8_t *endobject = p + s->object_size;
	int ret = 1;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(r, s, slab, p, KALLOC_BUG_REDZONE,
					    "Left Redzone",
					    p - s->red_left_pad, val,
					    s->red_left_pad, ret))
			ret = 0;
		if (!check_bytes_and_report(r, s, slab, p, KALLOC_BUG_REDZONE,
					    "Right Redzone",
					    endobject, val,
					    s->inuse - s->object_size, ret))
			ret = 0;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(r, s, slab, p,
						    KALLOC_BUG_REDZONE,
						    "kmalloc Redzone",
						    p + orig_size, val,
						    s->object_size - orig_size,
						    ret))
				ret = 0;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(r, s, slab, p, KALLOC_BUG_PADDING,
					    "Alignment padding",
					    endobject, POISON_INUSE,
					    s->inuse - s->object_size, ret))
			ret = 0;
	}

	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(r, s, slab, p,
						    KALLOC_BUG_POISON, "Poison", p,
						    POISON_FREE,
						    s->object_size - 1, ret))
				ret = 0;
			if (!check_bytes_and_report(r, s, slab, p,
						    KALLOC_BUG_POISON, "End Poison",
						    p + s->object_size - 1,
						    POISON_END, 1, ret))
				ret = 0;
		}
		if (!check_pad_bytes(r, s, slab, p, ret))
			ret = 0;
	}

	/*
	 * An allocated object's free pointer can only be checked where it
	 * does not overlay the object.
	 */
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(r, s, slab, p, KALLOC_BUG_FREEPTR,
			   "Freepointer corrupt", "Freepointer corrupt");
		/* nothing to restore it from: the chain ends here */
		set_freepointer(s, p, NULL);
		debug_fix(r, s, "Freepointer of " PTR_FMT " cleared", (unsigned long)p);
		ret = 0;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Free objects and freelists                                          */
/* ------------------------------------------------------------------ */

static bool chain_contains(const struct kmem_cache *s, const struct slab *slab,
			   void *fp, const void *object)
{
	uintptr_t lo = (uintptr_t)slab_address(slab);
	uintptr_t span = (uintptr_t)slab->objects * s->size;

	/*
	 * A broken or cyclic chain ends the walk (on_freelist() reports it).
	 * Staying inside the slab is all that reading the next link needs,
	 * and it spares a division per link on this hot debug path.
	 */
	for (unsigned int n = 0; fp && n <= slab->objects; n++) {
		if (fp == object)
			return true;
		if ((uintptr_t)fp - lo >= span)
			return false;
		fp = get_freepointer(s, fp);
	}
	return false;
}

/*
 * Is object free: on its slab's freelist, on the lockless freelist of the
 * cpu whose active slab it is in, or waiting in the quarantine?
 */
bool object_is_free(const struct kmem_cache *s, const struct slab *slab,
		    const void *object)
{
	if (chain_contains(s, slab, slab->freelist, object))
		return true;
	if (slab->frozen && slab->cpu >= 0 &&
	    s->cpu_slab[slab->cpu].slab == slab &&
	    chain_contains(s, slab, s->cpu_slab[slab->cpu].freelist, object))
		return true;
	return quarantine_contains(object);
}

void kmem_obj_info(struct kmem_obj_info *kpp, struct kmem_cache *s,
		   struct slab *slab, void *object)
{
	*kpp = (struct kmem_obj_info){
		.free = object_is_free(s, slab, object),
		.orig_size = get_orig_size(s, object),
	};
	if (s->flags & SLAB_STORE_USER) {
		struct track t;

		get_track_copy(s, object, TRACK_ALLOC, &t);
		kpp->alloc_addr = t.addr;
		kpp->alloc_when = t.when;
		kpp->alloc_pid = t.pid;
	}
}

/* One bit per object of a slab: set when the object is free. */
static unsigned long free_map[DIV_ROUND_UP(MAX_OBJS_PER_PAGE + 1, 64)];

static void fill_free_map(const struct kmem_cache *s, const struct slab *slab)
{
	memset(free_map, 0, DIV_ROUND_UP(slab->objects, 64) * sizeof(long));
	for (unsigned int i = 0; i < slab->objects; i++) {
		uint8_t *p = object_at(s, slab, i);

		if (quarantine_contains(p))
			free_map[i / 64] |= 1UL << (i % 64);
	}
	for (void *fp = slab->freelist; fp; fp = get_freepointer(s, fp)) {
		unsigned int idx;

		if (!check_valid_pointer(s, slab, fp))
			break;
		idx = obj_to_index(s, slab, fp);
		if (free_map[idx / 64] & (1UL << (idx % 64)))
			break;	/* a cycle; on_freelist has dealt with it */
		free_map[idx / 64] |= 1UL << (idx % 64);
	}
}

static bool free_map_test(unsigned int idx)
{
	return free_map[idx / 64] & (1UL << (idx % 64));
}

/*
 * After a freelist was cut short, the free objects beyond the cut are lost
 * to it (the kernel leaks them and later mistakes them for allocated ones).
 * Where red zones tell a free object apart, mark each such orphan
 * allocated, so that it stays out of circulation and later checks agree.
 */
static void isolate_orphans(struct debug_report *r, struct kmem_cache *s,
			    struct slab *slab)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	fill_free_map(s, slab);
	for (unsigned int i = 0; i < slab->objects; i++) {
		uint8_t *p = object_at(s, slab, i);

		if (free_map_test(i) ||
		    kasan_memchr_inv_nocheck(p - s->red_left_pad,
					     SLUB_RED_INACTIVE, s->red_left_pad))
			continue;
		set_orig_size(s, p, s->object_size);
		init_object(s, p, SLUB_RED_ACTIVE);
		debug_fix(r, s, "Free object " PTR_FMT " off the freelist: marked used",
			  (unsigned long)p);
	}
}

static void freelist_clear(struct debug_report *r, struct kmem_cache *s,
			   struct slab *slab)
{
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	debug_fix(r, s, "Freelist cleared");
	isolate_orphans(r, s, slab);
}

/*
 * on_freelist(): is search on the slab's freelist? The walk checks the
 * freelist too: every link must land on an object start of this slab, the
 * chain must end within slab->objects steps, and the count must agree with
 * slab->inuse. What is wrong is reported and repaired as the kernel does.
 */
static bool on_freelist(struct debug_report *r, struct kmem_cache *s,
			struct slab *slab, void *search)
{
	unsigned int nr = 0, max_objects;
	void *fp = slab->freelist;
	void *object = NULL;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(r, s, slab, object,
					   KALLOC_BUG_FREELIST,
					   "Freechain corrupt",
					   "Freechain corrupt");
				set_freepointer(s, object, NULL);
				debug_fix(r, s, "Freechain cut after " PTR_FMT,
					  (unsigned long)object);
				break;
			}
			slab_err(r, s, slab, KALLOC_BUG_FREEPTR,
				 "Freepointer corrupt", slab->freelist,
				 "Freepointer corrupt");
			freelist_clear(r, s, slab);
			return false;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}

	if (nr > slab->objects) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Freelist cycle detected",
			 slab->freelist, "Freelist cycle detected");
		freelist_clear(r, s, slab);
		return false;
	}

	max_objects = min_t(unsigned int, order_objects(slab->order, s->size),
			    MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Wrong number of objects",
			 slab_address(slab),
			 "Wrong number of objects. Found %u but should be %u",
			 slab->objects, max_objects);
		/* the node's counters were kept from the slab's creation */
		slab->objects = max_objects;
		debug_fix(r, s, "Number of objects adjusted");
	}
	/* quarantined objects count as in use until they are let go */
	if (slab->inuse != slab->objects - nr) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Wrong object count",
			 slab_address(slab),
			 "Wrong object count. Counter is %u but counted were %u",
			 slab->inuse, slab->objects - nr);
		slab->inuse = slab->objects - nr;
		debug_fix(r, s, "Object count adjusted");
		isolate_orphans(r, s, slab);
	}
	return search == NULL;
}

/* check_slab(): the slab's counters are sane and it is still in service. */
static int check_slab(struct debug_report *r, struct kmem_cache *s,
		      struct slab *slab)
{
	unsigned int maxobj = order_objects(slab->order, s->size);

	if (slab->objects > maxobj) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Wrong number of objects",
			 slab_address(slab), "objects %u > max %u",
			 slab->objects, maxobj);
		return 0;
	}
	if (slab->inuse > slab->objects) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Wrong object count",
			 slab_address(slab), "inuse %u > max %u", slab->inuse,
			 slab->objects);
		return 0;
	}
	if (slab->frozen) {
		slab_err(r, s, slab, KALLOC_BUG_FREELIST, "Slab disabled",
			 slab_address(slab),
			 "Slab disabled since SLUB metadata consistency check failed");
		return 0;
	}
	/* it repairs what it finds itself */
	slab_pad_check(r, s, slab);
	return 1;
}

/* The 'T' flag: every allocation and free goes to the log. */
static void trace(struct kmem_cache *s, struct slab *slab, void *object,
		  int alloc, unsigned long addr)
{
	char sym[128];

	if (!(s->flags & SLAB_TRACE))
		return;
	printk("TRACE %s %s " PTR_FMT " inuse=%u fp=" PTR_FMT "\n", s->name,
	       alloc ? "alloc" : "free", (unsigned long)object, slab->inuse,
	       (unsigned long)slab->freelist);
	if (!alloc) {
		struct report_buf rb;

		report_init(&rb);
		report_hexdump(&rb, "Object ", object, s->object_size);
		if (rb.text)
			printk_text(rb.text);
		free(rb.text);
	}
	/* the kernel dumps the stack here; the caller is what is known */
	format_symbol(sym, sizeof(sym), addr);
	printk(" %s\n", sym);
}

/* ------------------------------------------------------------------ */
/* Allocation and free                                                 */
/* ------------------------------------------------------------------ */

static int alloc_consistency_checks(struct debug_report *r,
				    struct kmem_cache *s, struct slab *slab,
				    void *object)
{
	if (!check_slab(r, s, slab))
		return 0;
	if (!check_valid_pointer(s, slab, object)) {
		object_err(r, s, slab, object, KALLOC_BUG_FREELIST,
			   "Freechain corrupt", "Freelist Pointer check fails");
		return 0;
	}
	return check_object(r, s, slab, object, SLUB_RED_INACTIVE);
}

/*
 * For each object a debug cache hands out, once it is off the slab's
 * freelist and counted in slab->inuse. False means neither it nor the rest
 * of the slab may be used: the slab is disabled (and off the partial list,
 * which the caller sees to) and the caller takes another slab.
 */
bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab,
			    void *object, unsigned int orig_size,
			    unsigned long addr)
{
	struct debug_report r = DEBUG_REPORT_INIT;

	if ((s->flags & SLAB_CONSISTENCY_CHECKS) &&
	    !alloc_consistency_checks(&r, s, slab, object))
		goto bad;

	trace(s, slab, object, 1, addr);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, addr);
	/* a damaged slab tail was reported and restored on the way */
	debug_report_flush(&r);
	return true;

bad:
	/* stay away from the rest of this slab: mark everything used */
	debug_fix(&r, s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	slab->frozen = true;
	debug_report_flush(&r);
	return false;
}

static int free_consistency_checks(struct debug_report *r,
				   struct kmem_cache *s, struct slab *slab,
				   void *object)
{
	if (!check_valid_pointer(s, slab, object)) {
		/* the slab layer's title for the same finding */
		slab_err(r, s, slab, KALLOC_BUG_INVALID_FREE, "invalid free",
			 object, "Invalid object pointer " PTR_FMT,
			 (unsigned long)object);
		return 0;
	}
	if (on_freelist(r, s, slab, object) || quarantine_contains(object)) {
		object_err(r, s, slab, object, KALLOC_BUG_DOUBLE_FREE,
			   "double free", "Object already free");
		return 0;
	}
	if (!check_object(r, s, slab, object, SLUB_RED_ACTIVE))
		return 0;
	if (s != slab->slab_cache) {
		object_err(r, s, slab, object, KALLOC_BUG_CACHE_MISMATCH,
			   "cache mismatch", "page slab pointer corrupt.");
		return 0;
	}
	return 1;
}

/*
 * Before a debug cache's object goes back to its slab (or into the
 * quarantine). False means it must not: the object stays allocated
 * (leaked), as "Object at ... not freed" says.
 */
bool free_debug_processing(struct kmem_cache *s, struct slab *slab,
			   void *object, unsigned long addr)
{
	struct debug_report r = DEBUG_REPORT_INIT;

	/*
	 * A disabled slab takes nothing back. The kernel reports each such
	 * free ("Slab disabled since ..."), which only repeats the report
	 * that disabled it; here the object is still checked for damage of
	 * its own and then retired quietly.
	 */
	if (unlikely(slab->frozen)) {
		if (check_valid_pointer(s, slab, object))
			check_object(&r, s, slab, object, SLUB_RED_ACTIVE);
		debug_report_flush(&r);
		return false;
	}
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(&r, s, slab))
			goto out;
		/*
		 * The object's own checks come before the count: a second
		 * free of a slab's last object is a double free, which the
		 * kernel's order would call "Slab has 0 allocated objects".
		 */
		if (!free_consistency_checks(&r, s, slab, object))
			goto out;
	}
	/* the kernel counts for every debug cache, not only under F */
	if (slab->inuse < 1) {
		slab_err(&r, s, slab, KALLOC_BUG_FREELIST, "Wrong object count",
			 slab_address(slab),
			 "Slab has %u allocated objects but %d are to be freed",
			 slab->inuse, 1);
		goto out;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	trace(s, slab, object, 0, addr);
	/* poisoning keeps the free pointer outside the object */
	init_object(s, object, SLUB_RED_INACTIVE);
	debug_report_flush(&r);
	return true;

out:
	debug_fix(&r, s, "Object at " PTR_FMT " not freed", (unsigned long)object);
	debug_report_flush(&r);
	return false;
}

/*
 * An object leaving the quarantine has been free and poisoned all along:
 * was it written to meanwhile? If so it stays out of circulation (marked
 * allocated), like an object that fails its free checks.
 */
bool quarantine_debug_check(struct kmem_cache *s, struct slab *slab,
			    void *object)
{
	struct debug_report r = DEBUG_REPORT_INIT;
	bool ok = check_object(&r, s, slab, object, SLUB_RED_INACTIVE);

	if (!ok) {
		set_orig_size(s, object, s->object_size);
		init_object(s, object, SLUB_RED_ACTIVE);
		debug_fix(&r, s, "Object at " PTR_FMT " not freed",
			  (unsigned long)object);
	}
	debug_report_flush(&r);
	return ok;
}

/* free_slab()'s last look at every object before the pages go. */
void free_slab_debug(struct kmem_cache *s, struct slab *slab)
{
	struct debug_report r = DEBUG_REPORT_INIT;

	if (!(s->flags & SLAB_CONSISTENCY_CHECKS))
		return;
	slab_pad_check(&r, s, slab);
	debug_report_flush(&r);
	for (unsigned int i = 0; i < slab->objects; i++) {
		check_object(&r, s, slab, object_at(s, slab, i),
			     SLUB_RED_INACTIVE);
		debug_report_flush(&r);
	}
}

/*
 * kalloc_validate() for one slab of a debug cache (validate_slab()): the
 * slab, its freelist, then every object in the state the freelist says it
 * is in. Returns the number of reports raised.
 */
int validate_slab_debug(struct kmem_cache *s, struct slab *slab)
{
	struct debug_report r = DEBUG_REPORT_INIT;
	unsigned long before = kalloc_report_count();
	int ok;

	/* a disabled slab was reported when it was disabled */
	if (slab->frozen)
		return 0;
	ok = check_slab(&r, s, slab) && on_freelist(&r, s, slab, NULL);

	debug_report_flush(&r);
	if (ok) {
		fill_free_map(s, slab);
		for (unsigned int i = 0; i < slab->objects; i++) {
			check_object(&r, s, slab, object_at(s, slab, i),
				     free_map_test(i) ? SLUB_RED_INACTIVE
						      : SLUB_RED_ACTIVE);
			debug_report_flush(&r);
		}
	}
	return (int)(kalloc_report_count() - before);
}
