/*
 * kmalloc_debug.c - the debug layer's checks on the kmalloc family beyond
 * the slab paths: whether krealloc() and kfree_sensitive() are handed a
 * live object before they touch its bytes, a second free of a large
 * kmalloc, and the red zone behind a large kmalloc under slab_debug Z.
 *
 * A krealloc() of a freed object fails with a report, as KASAN's
 * kasan_check_byte() makes it fail in the kernel; kfree_sensitive() looks
 * before it wipes, so that a second call is one double-free report rather
 * than a wiped free pointer. With consistency checks (F) and no ASan the
 * report is SLUB's ("Object already free"); otherwise it is KASAN's.
 */
#include <string.h>

#include "page/buddy.h"
#include "debug/slub_debug.h"

bool slab_object_live(struct kmem_cache *s, struct slab *slab, const void *p,
		      unsigned long ip, bool always, const char *func,
		      enum kalloc_bug bug, const char *title_what)
{
	struct debug_report r = DEBUG_REPORT_INIT;
	bool kasan = s->flags & SLAB_KASAN;
	bool debug = !kasan && (s->flags & SLAB_CONSISTENCY_CHECKS);
	bool is_free;
	void *object = (void *)(uintptr_t)p;

	if (!always && !debug && !slab_quarantine && !kasan)
		return true;
	if (!check_valid_pointer(s, slab, p)) {
		if (debug) {
			slab_err(&r, s, slab, KALLOC_BUG_INVALID_FREE,
				 "invalid free", p,
				 "%s: Invalid object pointer " PTR_FMT, func,
				 (unsigned long)p);
			debug_fix(&r, s, "Object at " PTR_FMT " left alone",
				  (unsigned long)p);
			debug_report_flush(&r);
		} else {
			kasan_report_invalid_free(s, nearest_obj(s, slab, p), p,
						  ip, func);
		}
		return false;
	}
	/* the shadow says, except to SLUB's own checks: an object they
	 * refused to free is poisoned but still allocated */
	if (!debug && kasan_enabled())
		is_free = kasan_find_poisoned(p, 1) != NULL;
	else
		is_free = object_is_free(s, slab, p);
	if (!is_free)
		return true;
	if (debug) {
		object_err(&r, s, slab, object, KALLOC_BUG_DOUBLE_FREE,
			   title_what, "Object already free");
		debug_fix(&r, s, "%s of " PTR_FMT " not done", func,
			  (unsigned long)p);
		debug_report_flush(&r);
	} else {
		kasan_report_free_object(s, object, object,
					 quarantine_free_track(p), bug,
					 bug == KALLOC_BUG_DOUBLE_FREE ?
					 "Free of" : "Read of size 1 at",
					 ip, func);
	}
	return false;
}

/*
 * krealloc() of an object that was freed is reported and fails, as KASAN's
 * kasan_check_byte() makes it fail in the kernel.
 */
bool krealloc_object_ok(const void *p, unsigned long caller)
{
	struct slab *slab;

	if (ZERO_OR_NULL_PTR(p))
		return true;
	slab = virt_to_slab(p);
	if (slab)
		return slab_object_live(slab->slab_cache, slab, p, caller, false,
					"krealloc", KALLOC_BUG_USE_AFTER_FREE,
					"krealloc of freed object");
	if (!addr_in_arena(p))
		return true;
	return !large_kmalloc_double_free(p, compound_head(virt_to_page(p)),
					  caller);
}

/*
 * With debugging configured (slab_debug=, a quarantine, or KASAN in an
 * ASan build, whose kasan_kfree_large() finds the freed pages poisoned), a
 * second free of a large kmalloc is called a double free, in KASAN's
 * words; without, it is the kernel's "Not a kmalloc allocation". So is a
 * second free of a
 * small kmalloc object whose slab has been discarded since (by
 * kmem_cache_shrink() or reclaim): its page is free too, and the title
 * says which it was.
 */
bool large_kmalloc_double_free(const void *object, struct page *head,
			       unsigned long caller)
{
	struct report_buf rb;
	char sym[128];
	bool was_slab;
	bool kasan = kasan_enabled() && !kg.cfg.kasan_off;

	if (!head || !(slub_debug_state.enabled || slab_quarantine || kasan) ||
	    !(page_test(head, PG_quarantine) || page_is_free(head)))
		return false;
	was_slab = !page_test(head, PG_quarantine) && head->freed_slab;
	format_symbol(sym, sizeof(sym), caller);
	report_init(&rb);
	report_add(&rb, "==================================================================\n");
	report_add(&rb, "BUG: KASAN: double-free in %s\n", sym);
	report_add(&rb, "Free of addr " PTR_FMT " by task %s/%d\n\n", PTR(object),
		   kg.comm, kg.pid);
	report_add(&rb, "The buggy address belongs to the physical page:\n");
	report_add(&rb, "page:" PTR_FMT " refcount:%d mapcount:%d pfn:%#lx (%s)\n",
		   PTR(head), head->_refcount, head->_mapcount + 1,
		   page_to_pfn(head), page_test(head, PG_quarantine) ?
		   "a freed large kmalloc in the quarantine" :
		   was_slab ? "free: its slab was discarded" : "free");
	report_add(&rb, "==================================================================\n");
	report_emit(&rb, KALLOC_BUG_DOUBLE_FREE, NULL, object, "%s",
		    was_slab ? "kmalloc: double free of a slab object whose slab was discarded" :
		    "kmalloc: double free of large kmalloc");
	return true;
}

/*
 * With Z among the global slab_debug= flags a large kmalloc gets a kmalloc
 * red zone too, from the request to the end of its pages. The kernel keeps
 * none there (KASAN alone catches such overflows); here it also catches
 * them in builds without ASan.
 */
void large_kmalloc_redzone_set(struct page *head, size_t size)
{
	size_t bytes = PAGE_SIZE << head->order;

	head->kmalloc_size = 0;
	if (!(slub_debug_state.flags & SLAB_RED_ZONE) || size >= bytes)
		return;
	head->kmalloc_size = size;
	kasan_memset_nocheck((uint8_t *)page_address(head) + size,
			     SLUB_RED_ACTIVE, bytes - size);
}

/* When the pages go: was the red zone written? Reported and restored. */
void large_kmalloc_redzone_check(struct page *head)
{
	size_t bytes = PAGE_SIZE << head->order, size = head->kmalloc_size;
	uint8_t *start = page_address(head);
	uint8_t *fault, *end, *dump;
	struct report_buf rb;

	if (!size)
		return;
	head->kmalloc_size = 0;
	fault = (uint8_t *)kasan_memchr_inv_nocheck(start + size,
						    SLUB_RED_ACTIVE,
						    bytes - size);
	if (!fault)
		return;
	end = start + bytes;
	while (end > fault && kasan_read_byte_nocheck(end - 1) == SLUB_RED_ACTIVE)
		end--;

	report_init(&rb);
	report_add(&rb, "=============================================================================\n");
	report_add(&rb, "BUG kmalloc-large (Not tainted): kmalloc Redzone overwritten\n");
	report_add(&rb, "-----------------------------------------------------------------------------\n\n");
	report_add(&rb, "[kmalloc Redzone overwritten] " PTR_FMT "-" PTR_FMT " @offset=%lu. First byte 0x%x instead of 0x%x\n",
		   (unsigned long)fault, (unsigned long)end - 1,
		   (unsigned long)(fault - start), kasan_read_byte_nocheck(fault),
		   SLUB_RED_ACTIVE);
	report_add(&rb, "Large kmalloc " PTR_FMT " size=%zu order=%u pfn=%#lx\n\n",
		   (unsigned long)start, size, head->order, page_to_pfn(head));
	dump = start + ALIGN_DOWN((size_t)(fault - start), 16);
	report_hexdump(&rb, "Redzone  ", dump,
		       min_t(size_t, 64, (size_t)(start + bytes - dump)));
	report_add(&rb, "FIX kmalloc-large: Restoring kmalloc Redzone " PTR_FMT "-" PTR_FMT "=0x%x\n",
		   (unsigned long)fault, (unsigned long)end - 1, SLUB_RED_ACTIVE);
	kasan_memset_nocheck(fault, SLUB_RED_ACTIVE, (size_t)(end - fault));
	report_emit(&rb, KALLOC_BUG_REDZONE, "kmalloc-large", start,
		    "kmalloc: Redzone overwritten in large kmalloc");
}
