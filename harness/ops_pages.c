/*
 * The page ops: the buddy allocator's page API (alloc_pages, both ways of
 * freeing, refcounts) and the pool pages that the harness's shrinker
 * (ops_common.c) gives back under reclaim.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

static void check_new_page(struct page *page, unsigned int order, gfp_t gfp,
			   const char *label)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn_to_page(pfn) != page || virt_to_page(page_address(page)) != page)
		sf_model_fail("page conversion mismatch", label,
			      "pfn %#lx: pfn_to_page/virt_to_page disagree", pfn);
	if (page_count(page) != 1 || PageBuddy(page) || PageSlab(page))
		sf_model_fail("bad page state", label,
			      "pfn %#lx order %u: refcount %d buddy %d slab %d",
			      pfn, order, page_count(page), PageBuddy(page), PageSlab(page));
	if (order && (gfp & __GFP_COMP)) {
		struct page *t1 = pfn_to_page(pfn + 1), *tn = pfn_to_page(pfn + (1ul << order) - 1);

		if (!PageHead(page) || compound_order(page) != order ||
		    !PageTail(t1) || compound_head(t1) != page ||
		    !PageTail(tn) || compound_head(tn) != page)
			sf_model_fail("not a compound page", label,
				      "pfn %#lx order %u with __GFP_COMP", pfn, order);
	} else if (PageCompound(page)) {
		sf_model_fail("unexpected compound page", label,
			      "pfn %#lx order %u without __GFP_COMP", pfn, order);
	}
}

static void op_alloc_pages(const struct sf_op *op, enum sf_kind kind)
{
	unsigned int order = (unsigned int)op->arg[0];
	gfp_t gfp = sf_op_gfp(op, 1);
	const char *label = kind == SF_K_POOL ? "pool-pages" : "pages";
	bool decidable, must_fail;
	struct sf_zones_state before, now;
	char zones[512];
	struct sf_newobj n;
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		page = alloc_pages(gfp & ~__GFP_NOFAIL, order);
		if (page && !sf.raw)
			sf_model_fail("limit not enforced", NULL,
				      "alloc_pages(order %u) returned pfn %#lx",
				      order, page_to_pfn(page));
		if (page)
			__free_pages(page, order);
		sf_digest(0);
		return;
	}
	gfp = sf_nofail_filter(gfp, sf_must_succeed(gfp, order, 1));
	/* for a mask that cannot reclaim the model decides the outcome exactly;
	 * for one that may, it knows when even reclaim could not help */
	decidable = !sf.raw && sf_pages_decidable(gfp);
	must_fail = !sf.raw && sf_pages_must_fail(gfp, order);
	if (must_fail)
		sf_zones_capture(&before);
	page = alloc_pages(gfp, order);
	if (!page) {
		sf_digest(0);
		if (sf.raw)
			return;
		if (decidable && !must_fail) {
			sf_zones_capture(&now);
			sf_zones_describe(gfp, &now, zones, sizeof(zones));
			sf_spurious(label, "alloc_pages(%#x, %u): a zone it may use passes the min watermark with this mask's reserves (%s)",
				    gfp, order, zones);
		}
		sf.reclaimed_after_failure = 0;
		if (sf_must_succeed(gfp, order, 1) ||
		    (sf_reclaim_after_failure(gfp) && sf_must_succeed(gfp, order, 1)))
			sf_spurious(label, "alloc_pages(%#x, %u) (%lu pages came back from a reclaim pass after it)",
				    gfp, order, sf.reclaimed_after_failure);
		return;
	}
	if (must_fail) {
		sf_zones_describe(gfp, &before, zones, sizeof(zones));
		sf_model_fail("watermark not enforced", NULL,
			      "alloc_pages(%#x, %u) returned pfn %#lx in zone %s, although no zone it may use passed the min watermark with this mask's reserves and lowmem_reserve before the call%s: %s",
			      gfp, order, page_to_pfn(page),
			      zone_name((enum zone_type)sf_zone_of((uintptr_t)page_address(page))),
			      decidable ? "" : ", even with every page reclaimed that the program does not hold as page blocks or large kmallocs",
			      zones);
	}
	if (!sf.raw)
		check_new_page(page, order, gfp, label);
	sf_newobj_init(&n, kind, page_address(page), PAGE_SIZE << order, label);
	n.page = page;
	n.order = (uint8_t)order;
	n.align = PAGE_SIZE << order;
	n.max_zone = sf_gfp_zone(gfp);
	if ((gfp & __GFP_ZERO) || sf.kcfg.init_on_alloc || sf.kcfg.init_on_free)
		n.zero_from = 0;
	if (sf_obj_new(&n) < 0)
		__free_pages(page, order);
}

static void op_free_pages(const struct sf_op *op, bool by_addr)
{
	int id = sf_pick(SF_K_PAGES, op->arg[0]);
	struct sf_obj o;

	if (id < 0)
		return;
	o = sf.objs[id];
	sf_obj_free_prepare((uint32_t)id);
	sf_obj_forget((uint32_t)id);
	if (by_addr)
		free_pages((unsigned long)(uintptr_t)o.ptr, o.order);
	else
		__free_pages(o.page, o.order);
}

static void op_page_ref(const struct sf_op *op)
{
	int id = sf_pick(SF_K_PAGES, op->arg[0]);
	struct page *pg;
	int c1, c2;

	if (id < 0)
		return;
	pg = sf.objs[id].page;
	get_page(pg);
	c1 = page_count(pg);
	put_page(pg);
	c2 = page_count(pg);
	if ((c1 != 2 || c2 != 1) && !sf.raw)
		sf_model_fail("page refcount wrong", sf.objs[id].label,
			      "pfn %#lx: %d after get_page, %d after put_page",
			      page_to_pfn(pg), c1, c2);
}

void sf_exec_alloc_pages(const struct sf_op *op) { op_alloc_pages(op, SF_K_PAGES); }
void sf_exec___free_pages(const struct sf_op *op) { op_free_pages(op, false); }
void sf_exec_free_pages(const struct sf_op *op) { op_free_pages(op, true); }
void sf_exec_page_ref(const struct sf_op *op) { op_page_ref(op); }
void sf_exec_pool_alloc(const struct sf_op *op) { op_alloc_pages(op, SF_K_POOL); }
