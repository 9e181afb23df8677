/*
 * page_poison.c - the free-frame fill: set at free, checked at hand-out.
 *
 * The kernel's mm/page_poison.c (poison_page(), unpoison_page() with
 * check_poison_mem()): under page_poison=1 (kalloc_config.page_poison)
 * every free frame holds a known fill (PAGE_POISON, or zeros under
 * init_on_free), recorded per frame in arena.fill, so that a stray write
 * into a free page is caught when the page is next handed out. Without
 * it a free frame keeps its owner's bytes (FRAME_OWNER) and only what a
 * caller is owed is written.
 * Apart from page_alloc.c because it is one job with its own state (the
 * fill table and its stale entries after a reset) that the free lists do
 * not need to know about; page_alloc.c calls it for every page it frees or
 * hands out.
 */

#include "page/buddy.h"

/*
 * A frame leaves the free lists (mm/page_poison.c unpoison_page() under
 * page_poison=1). What it gets: zeros when the caller asked for them (or
 * under init_on_free, whose callers are promised zeroed frees), else
 * PAGE_POISON, with two exceptions that cost nothing: without page_poison
 * a frame an earlier owner freed keeps that owner's bytes, as in the
 * kernel, and a frame init_on_free zeroed in this input is trusted, as the
 * kernel skips init_on_alloc then. A frame is written only when it does
 * not hold what it must already.
 *
 * Under page_poison, a frame filled when it was freed must still hold its
 * fill, or something wrote into a free page. A frame freed in an earlier
 * input (a stale fill, see arena_reset()) is never reported, since damage
 * to it may predate this input: it is compared and rewritten when zeros
 * are owed, and taken as it is otherwise. Called for every page handed
 * out: no coverage instrumentation (harness/coverage-ignore.txt).
 *
 * The frame's shadow is clear here (post_alloc_hook), and its bytes are
 * read and written through the nocheck helpers all the same: ASan's checks
 * of each 4 KiB memset() and memcmp() against the shadow were about a
 * tenth of fuzz_vmalloc under ASan, for a range the allocator itself has
 * just unpoisoned. (At free the shadow may still hold what the owner
 * poisoned, which the nocheck helpers do not look at.)
 */
void frame_hand_out(struct page *page, bool zero)
{
	unsigned long pfn = page_to_pfn(page);
	uint8_t *frame = (uint8_t *)arena.base + (pfn << PAGE_SHIFT);
	uint8_t fill = arena.fill[pfn];
	int want = zero ? 0 : PAGE_POISON;
	const uint8_t *bad;
	uint8_t have;

	arena.fill[pfn] = FRAME_IN_USE;		/* the caller's now */
	if (fill == FRAME_UNKNOWN || fill == FRAME_IN_USE) {
		kasan_memset_nocheck(frame, want, PAGE_SIZE);
		return;
	}
	if (fill == FRAME_OWNER) {
		/* freed without a fill: under page_poison (switched on at a
		 * reset since) the caller still gets PAGE_POISON */
		if (zero || kg.cfg.page_poison)
			kasan_memset_nocheck(frame, want, PAGE_SIZE);
		return;
	}
	if (!kg.cfg.page_poison) {
		/* nothing checks a fill; a stale zero fill is not trusted */
		if (zero && fill != FRAME_ZERO)
			kasan_memset_nocheck(frame, 0, PAGE_SIZE);
		return;
	}
	/*
	 * Freed before the reset and not handed out since: only a stray write
	 * can have changed it, and nothing but an exact zero fill is owed to
	 * the caller, so PAGE_POISON is taken on trust. A handed-out frame
	 * that was never written costs nothing here.
	 */
	if (fill == FRAME_POISON_STALE && want == PAGE_POISON)
		return;
	have = fill == FRAME_ZERO || fill == FRAME_ZERO_STALE ? 0 : PAGE_POISON;
	bad = kasan_memchr_inv_nocheck(frame, have, PAGE_SIZE);
	if (unlikely(bad) && (fill == FRAME_POISON || fill == FRAME_ZERO))
		page_poison_corrupt(page, bad, have);
	if (bad || have != want)
		kasan_memset_nocheck(frame, want, PAGE_SIZE);
}

/* Every frame of a block handed out, out of line (coverage-ignore.txt). */
__noinline void frames_hand_out(struct page *page, unsigned long nr, bool zero)
{
	for (unsigned long i = 0; i < nr; i++)
		frame_hand_out(page + i, zero);
}

/*
 * At free: the fill that frame_hand_out() will check (poison_page()), or
 * zeros under init_on_free (kernel_init_pages()); without either the frame
 * keeps what its owner wrote. Written through the nocheck helper, so the
 * frame's shadow may still hold what its owner poisoned.
 */
void frame_fill_free(struct page *page, bool zero)
{
	unsigned long pfn = page_to_pfn(page);

	if (!zero && !kg.cfg.page_poison) {
		arena.fill[pfn] = FRAME_OWNER;
		return;
	}
	kasan_memset_nocheck(arena.base + (pfn << PAGE_SHIFT),
			     zero ? 0 : PAGE_POISON, PAGE_SIZE);
	arena.fill[pfn] = zero ? FRAME_ZERO : FRAME_POISON;
}

/* Every frame of a block freed, out of line (coverage-ignore.txt). */
__noinline void frames_fill_free(struct page *page, unsigned long nr, bool zero)
{
	for (unsigned long i = 0; i < nr; i++) {
		page[i].freed_slab = false;	/* discard_slab() sets it after */
		frame_fill_free(&page[i], zero);
	}
}
