/*
 * page_poison.c - the free-frame fill: set at free, checked at hand-out.
 *
 * The kernel's mm/page_poison.c (poison_page(), unpoison_page() with
 * check_poison_mem()): every free frame holds a known fill (PAGE_POISON, or
 * zeros under init_on_free), recorded per frame in arena.fill, so that a
 * stray write into a free page is caught when the page is next handed out.
 * Apart from page_alloc.c because it is one job with its own state (the
 * fill table and its stale entries after a reset) that the free lists do
 * not need to know about; page_alloc.c calls it for every page it frees or
 * hands out.
 */
#include <string.h>

#include "page/buddy.h"

/*
 * Page poisoning at hand-out (mm/page_poison.c unpoison_page()): a frame
 * filled when it was freed must still hold its fill, or something wrote
 * into a free page. Then the frame gets what the caller may see: zeros
 * when it asked for them (or under init_on_free, whose callers are
 * promised zeroed frees), else PAGE_POISON. A frame is written only when
 * it does not hold that already. A frame freed in an earlier input (a
 * stale fill, see arena_reset()) is never reported, since damage to it may
 * predate this input: it is compared and rewritten when zeros are owed,
 * and taken as it is otherwise. Called for every page handed out: no
 * coverage instrumentation (harness/coverage-ignore.txt).
 */
void frame_hand_out(struct page *page, bool zero)
{
	unsigned long pfn = page_to_pfn(page);
	uint8_t *frame = (uint8_t *)arena.base + (pfn << PAGE_SHIFT);
	uint8_t fill = arena.fill[pfn];
	int want = zero ? 0 : PAGE_POISON;
	uint8_t have;
	bool intact;

	if (fill == FRAME_UNKNOWN) {
		memset(frame, want, PAGE_SIZE);
		return;
	}
	arena.fill[pfn] = FRAME_UNKNOWN;	/* the caller's now */
	/*
	 * Freed before the reset and not handed out since: only a stray write
	 * can have changed it, and nothing but an exact zero fill is owed to
	 * the caller, so PAGE_POISON is taken on trust. A handed-out frame
	 * that was never written costs nothing here.
	 */
	if (fill == FRAME_POISON_STALE && want == PAGE_POISON)
		return;
	have = fill == FRAME_ZERO || fill == FRAME_ZERO_STALE ? 0 : PAGE_POISON;
	/* the frame's shadow is clear (post_alloc_hook): plain accesses; all
	 * bytes are have iff the first is and each equals the next */
	intact = frame[0] == have && !memcmp(frame, frame + 1, PAGE_SIZE - 1);
	if (unlikely(!intact) && (fill == FRAME_POISON || fill == FRAME_ZERO))
		page_poison_corrupt(page,
				    kasan_memchr_inv_nocheck(frame, have, PAGE_SIZE),
				    have);
	if (!intact || have != want)
		memset(frame, want, PAGE_SIZE);
}

/* At free: the fill that frame_hand_out() will check (poison_page()).
 * The frame's shadow must be clear. */
void frame_fill_free(struct page *page, bool zero)
{
	unsigned long pfn = page_to_pfn(page);

	memset(arena.base + (pfn << PAGE_SHIFT), zero ? 0 : PAGE_POISON,
	       PAGE_SIZE);
	arena.fill[pfn] = zero ? FRAME_ZERO : FRAME_POISON;
}
