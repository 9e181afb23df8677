/*
 * The model's zones and the "could it / must it" tests of the page
 * allocator: zone spans, watermarks and lowmem_reserve computed from the
 * configuration with the kernel's formulas (mm/page_alloc.c:
 * calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve), gfp_to_alloc_flags and
 * __zone_watermark_ok as the kernel evaluates them, and what direct
 * reclaim could give back (the pool of the harness's shrinker, counted by
 * the model itself; empty slabs and the quarantine, which only a reclaim
 * pass can measure).
 *
 * Nothing here reads a watermark back from the allocator being checked:
 * a watermark check that ignores lowmem_reserve, or watermarks computed
 * wrongly, then disagree with the model. What is read from the allocator
 * is state (free pages and free blocks per zone), which kalloc_validate()
 * checks against the free lists.
 *
 * Follows the documented semantics of alloc/ (DEVIATIONS.md): one node,
 * every page managed, no highatomic or CMA reserves, no OOM victims.
 */
#include "model.h"

#include <stdio.h>
#include <string.h>

/* sysctl defaults: vm.lowmem_reserve_ratio and vm.watermark_scale_factor */
static const unsigned int lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
};
#define WATERMARK_SCALE_FACTOR	10

/* alloc_flags (mm/internal.h) that the watermark check looks at */
#define MF_WMARK_MIN		SF_WMARK_MIN
#define MF_NO_WATERMARKS	0x04
#define MF_NON_BLOCK		0x10
#define MF_MIN_RESERVE		0x20
#define MF_RESERVES		(MF_NON_BLOCK | MF_MIN_RESERVE)

/* Beyond the high watermark and lowmem_reserve: room for any GFP rule and
 * for what a slab or vmalloc allocation takes on the way. */
#define SF_MARGIN_PAGES	64

/* floor(sqrt(x)), by bisection: independent of the allocator's int_sqrt */
static unsigned long model_sqrt(unsigned long x)
{
	unsigned long lo = 0, hi = 1ul << 32;

	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* mult_frac(): x * n / d without overflowing x * n */
static unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + (x % d) * n / d;
}

void sf_zones_compute(const struct kalloc_config *k, struct sf_zones *out)
{
	size_t mem = k->mem_bytes ? k->mem_bytes : KALLOC_DEFAULT_MEM_BYTES;
	unsigned long nr = mem >> PAGE_SHIFT;
	unsigned long dma_end = k->dma_bytes >> PAGE_SHIFT;
	unsigned long dma32_end = k->dma32_bytes >> PAGE_SHIFT;
	unsigned long normal_start = dma32_end ? dma32_end : dma_end;
	unsigned long lowmem_pages = 0, lowmem_kbytes, pages_min;

	memset(out, 0, sizeof(*out));
	/* every page a zone spans is managed (no memblock reservations) */
	out->z[ZONE_DMA].start_pfn = 0;
	out->z[ZONE_DMA].managed = dma_end;
	out->z[ZONE_DMA32].start_pfn = dma_end;
	out->z[ZONE_DMA32].managed = dma32_end > dma_end ? dma32_end - dma_end : 0;
	out->z[ZONE_NORMAL].start_pfn = normal_start;
	out->z[ZONE_NORMAL].managed = nr > normal_start ? nr - normal_start : 0;

	/*
	 * calculate_min_free_kbytes(): lowmem_kbytes is nr_free_buffer_pages()
	 * (managed minus high watermark of the zones GFP_USER may use, all of
	 * them here) at boot, when the watermarks are still zero.
	 */
	for (int t = 0; t < MAX_NR_ZONES; t++)
		lowmem_pages += out->z[t].managed;
	lowmem_kbytes = lowmem_pages * (PAGE_SIZE >> 10);
	out->min_free_kbytes = model_sqrt(lowmem_kbytes * 16);
	if (out->min_free_kbytes < 128)
		out->min_free_kbytes = 128;
	if (out->min_free_kbytes > 262144)
		out->min_free_kbytes = 262144;

	/* __setup_per_zone_wmarks(): no highmem zone */
	pages_min = out->min_free_kbytes >> (PAGE_SHIFT - 10);
	for (int t = 0; t < MAX_NR_ZONES && lowmem_pages; t++) {
		struct sf_zone *z = &out->z[t];
		unsigned long tmp = pages_min * z->managed / lowmem_pages;

		z->wmark[SF_WMARK_MIN] = tmp;
		tmp = tmp >> 2;
		if (tmp < mult_frac(z->managed, WATERMARK_SCALE_FACTOR, 10000))
			tmp = mult_frac(z->managed, WATERMARK_SCALE_FACTOR, 10000);
		z->wmark[SF_WMARK_LOW] = z->wmark[SF_WMARK_MIN] + tmp;
		z->wmark[SF_WMARK_HIGH] = z->wmark[SF_WMARK_LOW] + tmp;
	}

	/* setup_per_zone_lowmem_reserve() */
	for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
		struct sf_zone *z = &out->z[i];
		unsigned int ratio = lowmem_reserve_ratio[i];
		bool clear = !ratio || !z->managed;
		unsigned long managed = 0;

		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			managed += out->z[j].managed;
			z->lowmem_reserve[j] = clear ? 0 : managed / ratio;
		}
	}
}

/* ------------------------------------------------------------------ */
/* GFP rules                                                           */
/* ------------------------------------------------------------------ */

static bool zone_in_model(int z)
{
	return sf.zones.z[z].managed != 0;
}

/* gfp_zone(); an absent DMA / DMA32 zone falls back to ZONE_NORMAL, as
 * OPT_ZONE_DMA does in a kernel built without it; -1 = GFP_ZONE_BAD. */
int sf_gfp_zone(gfp_t gfp)
{
	gfp_t bits = gfp & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32);

	if (bits & (bits - 1))
		return -1;
	if ((gfp & __GFP_DMA) && zone_in_model(ZONE_DMA))
		return ZONE_DMA;
	if ((gfp & __GFP_DMA32) && zone_in_model(ZONE_DMA32))
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

int sf_zone_of(uintptr_t linear)
{
	unsigned long pfn = (linear - sf.lin_start) >> PAGE_SHIFT;

	for (int t = MAX_NR_ZONES - 1; t > 0; t--)
		if (sf.zones.z[t].managed && pfn >= sf.zones.z[t].start_pfn)
			return t;
	return ZONE_DMA;
}

/* gfp_to_alloc_flags(): the slow path's flags for this mask */
static unsigned int model_alloc_flags(gfp_t gfp)
{
	unsigned int f = MF_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		f |= MF_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC))
		f |= MF_NON_BLOCK;
	return f;
}

/* __gfp_pfmemalloc_flags(): __GFP_MEMALLOC ignores the watermarks. The
 * harness never allocates from inside reclaim (PF_MEMALLOC). */
static bool model_pfmemalloc(gfp_t gfp)
{
	return (gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC);
}

/* The largest order with a free block in the zone, or -1. */
static int largest_free_order(int z)
{
	for (int o = MAX_PAGE_ORDER; o >= 0; o--)
		if (zone_nr_free((enum zone_type)z, (unsigned int)o))
			return o;
	return -1;
}

/*
 * __zone_watermark_ok() with the model's marks and reserves. With
 * any_block false the free-block test is left out (true where the kernel
 * may say false): for a zone as reclaim might leave it, whose blocks are
 * not known.
 */
static bool model_watermark_ok(int z, unsigned int order, unsigned long mark,
			       int highest_zoneidx, unsigned int alloc_flags,
			       long free_pages, bool any_block)
{
	const struct sf_zone *zm = &sf.zones.z[z];
	long min = (long)mark;

	/* no highatomic or CMA reserves: only the block's own tail */
	free_pages -= (1L << order) - 1;
	if (alloc_flags & MF_RESERVES) {
		if (alloc_flags & MF_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & MF_NON_BLOCK)
				min -= min / 4;
		}
	}
	if (free_pages <= min + (long)zm->lowmem_reserve[highest_zoneidx])
		return false;
	return !order || !any_block || largest_free_order(z) >= (int)order;
}

/* ------------------------------------------------------------------ */
/* What reclaim could give back                                        */
/* ------------------------------------------------------------------ */

/*
 * Per zone, kept as objects come and go: the pool's pages and blocks
 * (what the harness's shrinker gives back), and the pages of page blocks
 * and large kmallocs, which no reclaim can free.
 */
void sf_zone_account(uint32_t id, int sign)
{
	const struct sf_obj *o = &sf.objs[id];
	int z;

	if (!o->ptr || o->ptr == ZERO_SIZE_PTR)
		return;
	if (o->kind == SF_K_POOL) {
		z = sf_zone_of((uintptr_t)o->ptr);
		sf.pool_blocks[z][o->order] += (unsigned long)sign;
		sf.pool_pages[z] += (unsigned long)sign << o->order;
	} else if (o->kind == SF_K_PAGES ||
		   (o->large && (o->kind == SF_K_KMALLOC || (o->kind == SF_K_KV && !o->vmapped)))) {
		z = sf_zone_of((uintptr_t)o->ptr);
		sf.pinned_pages[z] += (unsigned long)sign << o->order;
	}
}

/*
 * Direct reclaim runs for masks with __GFP_DIRECT_RECLAIM (the harness
 * never allocates from inside reclaim). Each pass calls every shrinker
 * for everything it counted (DEVIATIONS: no priority levels), so a mask
 * that may reclaim and still fails leaves the pool empty: what the pool
 * holds then is memory the failure could have had.
 */
static bool may_reclaim(gfp_t gfp)
{
	return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

/*
 * True when one zone the flags allow holds count free blocks of this order
 * and keeps more than the high watermark, lowmem_reserve and a margin free
 * after them, counting for masks that may reclaim the pool's pages as free
 * (each pool block as a block of its own order: merging can only add).
 * Every attempt the buddy allocator makes (fast path at the low watermark,
 * slow path at min or below, after reclaim) must then succeed. Evaluated
 * after a failure, this is the state of the last attempt: an undone
 * partial allocation has given back what it took.
 */
bool sf_must_succeed(gfp_t gfp, unsigned int order, unsigned long count)
{
	int hi = sf_gfp_zone(gfp);
	bool pool = may_reclaim(gfp);

	if (hi < 0 || order > MAX_PAGE_ORDER)
		return false;
	for (int z = hi; z >= 0; z--) {
		const struct sf_zone *zm = &sf.zones.z[z];
		unsigned long need = count << order, blocks = 0;
		unsigned long free = zone_free_pages((enum zone_type)z);

		if (!zm->managed)
			continue;
		if (pool)
			free += sf.pool_pages[z];
		if (free <= zm->wmark[SF_WMARK_HIGH] + zm->lowmem_reserve[hi] +
			    SF_MARGIN_PAGES + need)
			continue;
		for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++) {
			unsigned long n = zone_nr_free((enum zone_type)z, o);

			if (pool)
				n += sf.pool_blocks[z][o];
			blocks += n << (o - order);
			if (blocks >= count)
				return true;
		}
	}
	return false;
}

/*
 * After a failure with a mask that may reclaim: one direct-reclaim pass
 * for the caller, as the failed allocation must already have run. The
 * pages it gives back (empty slabs, the quarantine's objects, anything
 * the pool still held) are what reclaim could have given the failed
 * request; the caller then asks again whether it had to fail. Not for
 * requests that undo a partial allocation (bulk allocation): what they
 * gave back after their last reclaim was not reclaimable when it ran.
 */
bool sf_reclaim_after_failure(gfp_t gfp)
{
	gfp_t saved = sf.caller_gfp;
	int hi = sf_gfp_zone(gfp);
	unsigned long freed;
	bool worth = false;

	if (sf.raw || !may_reclaim(gfp) || hi < 0)
		return false;
	/* the pass costs: skip it where even reclaiming every page the
	 * program does not hold as pages could not make sf_must_succeed true */
	for (int z = hi; z >= 0 && !worth; z--) {
		const struct sf_zone *zm = &sf.zones.z[z];

		worth = zm->managed && zm->managed - sf.pinned_pages[z] >
			zm->wmark[SF_WMARK_HIGH] + zm->lowmem_reserve[hi] + SF_MARGIN_PAGES + 1;
	}
	if (!worth)
		return false;
	sf.caller_gfp = gfp;
	freed = kalloc_reclaim(gfp);
	sf.caller_gfp = saved;
	sf.reclaimed_after_failure = freed;
	return freed != 0;
}

/*
 * Must a page allocation with this mask fail, given the zones now? The
 * most any attempt may take is the slow path's attempt at the min
 * watermark with the mask's reserves (the fast path's low watermark asks
 * more), and it succeeds only where one allowed zone passes it.
 *
 * A mask that cannot reclaim sees the zones as they are, so the answer is
 * exact (with __GFP_MEMALLOC: a block of the order is enough) and a
 * failure where it says false is spurious too. For a mask that may
 * reclaim, each zone is taken as reclaim could at best leave it: every
 * page free but those of the page blocks and large kmallocs the program
 * holds, blocks unknown; that bounds what it may get, so a success beyond
 * it is a finding, but a failure within it is not. __GFP_NOFAIL may dig
 * deeper (DEVIATIONS.md) and __GFP_MEMALLOC with reclaim is not decided.
 */
bool sf_pages_must_fail(gfp_t gfp, unsigned int order)
{
	int hi = sf_gfp_zone(gfp);
	unsigned int flags = model_alloc_flags(gfp);
	bool blocking = may_reclaim(gfp);

	if (hi < 0 || order > MAX_PAGE_ORDER)
		return true;
	if ((gfp & __GFP_NOFAIL) || (blocking && model_pfmemalloc(gfp)))
		return false;
	for (int z = hi; z >= 0; z--) {
		const struct sf_zone *zm = &sf.zones.z[z];
		long free;

		if (!zone_in_model(z))
			continue;
		if (!blocking && model_pfmemalloc(gfp)) {
			if (largest_free_order(z) >= (int)order)
				return false;
			continue;
		}
		free = blocking ? (long)(zm->managed - sf.pinned_pages[z])
				: (long)zone_free_pages((enum zone_type)z);
		if (model_watermark_ok(z, order, zm->wmark[SF_WMARK_MIN], hi, flags,
				       free, !blocking))
			return false;
	}
	return true;
}

/* Whether the must-fail test above decides this mask exactly. */
bool sf_pages_decidable(gfp_t gfp)
{
	return !(gfp & (__GFP_DIRECT_RECLAIM | __GFP_NOFAIL)) && sf_gfp_zone(gfp) >= 0;
}

void sf_zones_capture(struct sf_zones_state *st)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		st->free[z] = zone_free_pages((enum zone_type)z);
		st->pool[z] = sf.pool_pages[z];
		st->largest[z] = largest_free_order(z);
	}
}

/* One line per zone for a finding: free pages against the model's marks. */
void sf_zones_describe(gfp_t gfp, const struct sf_zones_state *st, char *buf,
		       size_t len)
{
	int hi = sf_gfp_zone(gfp);
	size_t n = 0;

	buf[0] = 0;
	for (int z = hi < 0 ? ZONE_NORMAL : hi; z >= 0 && n < len; z--) {
		const struct sf_zone *zm = &sf.zones.z[z];

		if (!zm->managed)
			continue;
		n += (size_t)snprintf(buf + n, len - n,
			"%szone %s: free %lu, min %lu low %lu high %lu, lowmem_reserve[%s] %lu, largest free order %d, pool %lu",
			n ? "; " : "", zone_name((enum zone_type)z),
			st->free[z], zm->wmark[SF_WMARK_MIN],
			zm->wmark[SF_WMARK_LOW], zm->wmark[SF_WMARK_HIGH],
			zone_name((enum zone_type)(hi < 0 ? ZONE_NORMAL : hi)),
			zm->lowmem_reserve[hi < 0 ? ZONE_NORMAL : hi],
			st->largest[z], st->pool[z]);
	}
}
