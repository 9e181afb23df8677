/*
 * The valid operations, part 3: the buddy allocator's page API, the pool
 * of pages the harness's own shrinker gives back under reclaim, and
 * vmalloc / kvmalloc.
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
	char zones[512] = "";
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
	/* for a mask that cannot reclaim the model decides the outcome exactly */
	decidable = !sf.raw && sf_pages_decidable(gfp);
	must_fail = decidable && sf_pages_must_fail(gfp, order);
	if (must_fail)
		sf_zones_describe(gfp, zones, sizeof(zones));
	page = alloc_pages(gfp, order);
	if (!page) {
		sf_digest(0);
		if (sf.raw)
			return;
		if (decidable && !must_fail) {
			sf_zones_describe(gfp, zones, sizeof(zones));
			sf_spurious(label, "alloc_pages(%#x, %u): a zone it may use passes the min watermark with this mask's reserves (%s)",
				    gfp, order, zones);
		}
		if (sf_must_succeed(gfp, order, 1) ||
		    (sf_reclaim_after_failure(gfp) && sf_must_succeed(gfp, order, 1)))
			sf_spurious(label, "alloc_pages(%#x, %u) (%lu pages came back from a reclaim pass after it)",
				    gfp, order, sf.reclaimed_after_failure);
		return;
	}
	if (must_fail)
		sf_model_fail("watermark not enforced", NULL,
			      "alloc_pages(%#x, %u) returned pfn %#lx in zone %s, although no zone it may use passed the min watermark with this mask's reserves and lowmem_reserve before the call: %s",
			      gfp, order, page_to_pfn(page),
			      zone_name((enum zone_type)sf_zone_of((uintptr_t)page_address(page))),
			      zones);
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

/*
 * The harness's own shrinker: pool pages are a cache it can always give
 * back, so that reclaim, retries and allocation under pressure have real
 * work to do. The model forgets what the shrinker frees.
 */
/*
 * Shrinkers run only in direct reclaim, for a request that may reclaim,
 * and see that request's GFP in shrink_control (a shrinker that must not
 * recurse into the filesystem or block I/O reads __GFP_FS / __GFP_IO
 * there). A call that breaks this is a finding.
 */
static void pool_check_sc(const struct shrink_control *sc, const char *fn)
{
	if (sf.raw)
		return;
	if (!(sc->gfp_mask & __GFP_DIRECT_RECLAIM) ||
	    (sf.caller_known && !(sf.caller_gfp & __GFP_DIRECT_RECLAIM)))
		sf_model_fail("shrinker called for a GFP mask that forbids reclaim", NULL,
			      "%s: shrink_control gfp_mask %#x, request GFP %#x%s", fn,
			      sc->gfp_mask, sf.caller_gfp, sf.caller_known ? "" : " (none known)");
	if (sf.caller_known &&
	    ((sc->gfp_mask ^ sf.caller_gfp) & (__GFP_IO | __GFP_FS | __GFP_DIRECT_RECLAIM)))
		sf_model_fail("shrink_control without the caller's GFP", NULL,
			      "%s: shrink_control gfp_mask %#x, the request's GFP %#x",
			      fn, sc->gfp_mask, sf.caller_gfp);
}

static unsigned long pool_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	pool_check_sc(sc, "count_objects");
	return sf.nlist[SF_K_POOL] ? sf.nlist[SF_K_POOL] : SHRINK_EMPTY;
}

static unsigned long pool_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;

	(void)s;
	pool_check_sc(sc, "scan_objects");
	while (freed < sc->nr_to_scan && sf.nlist[SF_K_POOL]) {
		sf_free_object(sf.list[SF_K_POOL][sf.nlist[SF_K_POOL] - 1]);
		freed++;
	}
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker pool_shrinker = {
	.count_objects = pool_count,
	.scan_objects = pool_scan,
	.batch = 8,
	.seeks = 2,
};

void sf_register_pool_shrinker(void)
{
	unregister_shrinker(&pool_shrinker);
	if (register_shrinker(&pool_shrinker, "sf_pool"))
		sf_finding("kalloc: register_shrinker failed", "sf_pool");
}

/* ------------------------------------------------------------------ */
/* vmalloc and kvmalloc                                                */
/* ------------------------------------------------------------------ */

static void vm_newobj(struct sf_newobj *n, enum sf_kind kind, void *p,
		      size_t size, bool zero, const char *label)
{
	sf_newobj_init(n, kind, p, size, label);
	n->extent = PAGE_ALIGN(size);
	n->align = PAGE_SIZE;
	if (zero || sf.kcfg.init_on_alloc || sf.kcfg.init_on_free)
		n->zero_from = 0;
}

static void op_vmalloc(const struct sf_op *op, bool zero)
{
	size_t size = op->arg[0];
	void *p = zero ? vzalloc(size) : vmalloc(size);
	struct sf_newobj n;

	sf_digest_ptr(p);
	if (!p) {
		if (!sf.raw && (sf_vmalloc_must_succeed(size, GFP_KERNEL) ||
				(sf_reclaim_after_failure(GFP_KERNEL) &&
				 sf_vmalloc_must_succeed(size, GFP_KERNEL))))
			sf_spurious("vmalloc", "%s(%zu)", zero ? "vzalloc" : "vmalloc", size);
		return;
	}
	if (!sf.raw) {
		if (!size)
			sf_model_fail("limit not enforced", "vmalloc",
				      "vmalloc(0) returned %p", p);
		if (!is_vmalloc_addr(p))
			sf_model_fail("out of range", "vmalloc",
				      "%p is not a vmalloc address", p);
	}
	vm_newobj(&n, SF_K_VMALLOC, p, size, zero, "vmalloc");
	sf_obj_new(&n);
}

static void op_kvmalloc(const struct sf_op *op, bool zero)
{
	size_t size = op->arg[0];
	gfp_t gfp = sf_op_gfp(op, 1) & ~__GFP_NOFAIL;
	void *p = zero ? kvzalloc(size, gfp) : kvmalloc(size, gfp);
	struct sf_newobj n;

	sf_digest_ptr(p);
	if (!p) {
		gfp_t kgfp = gfp;
		bool must;

		if (sf.raw)
			return;
		if (size > PAGE_SIZE) {
			kgfp |= __GFP_NOWARN;
			if (!(kgfp & __GFP_RETRY_MAYFAIL))
				kgfp &= ~__GFP_DIRECT_RECLAIM;
		}
		must = !size || sf_kmalloc_must_succeed(size, kgfp) ||
		       (size > PAGE_SIZE && size <= 0x7fffffff &&
			sf_vmalloc_must_succeed(size, gfp));
		/* the vmalloc fallback may reclaim; up to PAGE_SIZE, kmalloc may */
		if (!must && sf_reclaim_after_failure(size > PAGE_SIZE ? gfp : kgfp))
			must = sf_kmalloc_must_succeed(size, kgfp) ||
			       (size > PAGE_SIZE && size <= 0x7fffffff &&
				sf_vmalloc_must_succeed(size, gfp));
		if (must)
			sf_spurious("kvmalloc", "kvmalloc(%zu, %#x)", size, gfp);
		return;
	}
	if (is_vmalloc_addr(p)) {
		if (size <= PAGE_SIZE && !sf.raw)
			sf_model_fail("vmalloc fallback for a small size", "kvmalloc",
				      "kvmalloc(%zu) returned vmalloc address %p", size, p);
		vm_newobj(&n, SF_K_KV, p, size, zero || (gfp & __GFP_ZERO), "kvmalloc-vmalloc");
		sf_obj_new(&n);
		return;
	}
	sf_kmalloc_result(SF_K_KV, p, size, gfp, zero, "kvmalloc");
}

static void op_vfree(const struct sf_op *op, enum sf_kind kind)
{
	int id = sf_pick(kind, op->arg[0]);

	if (id >= 0) {
		sf_free_object((uint32_t)id);
	} else if (kind == SF_K_VMALLOC) {
		vfree(NULL);
	} else {
		kvfree(NULL);
	}
}


void sf_exec_page_op(unsigned int code, const struct sf_op *op)
{
	switch (code) {
	case SF_OP_ALLOC_PAGES:		op_alloc_pages(op, SF_K_PAGES); break;
	case SF_OP___FREE_PAGES:	op_free_pages(op, false); break;
	case SF_OP_FREE_PAGES:		op_free_pages(op, true); break;
	case SF_OP_PAGE_REF:		op_page_ref(op); break;
	case SF_OP_POOL_ALLOC:		op_alloc_pages(op, SF_K_POOL); break;
	case SF_OP_VMALLOC:		op_vmalloc(op, false); break;
	case SF_OP_VZALLOC:		op_vmalloc(op, true); break;
	case SF_OP_VFREE:		op_vfree(op, SF_K_VMALLOC); break;
	case SF_OP_KVMALLOC:		op_kvmalloc(op, false); break;
	case SF_OP_KVZALLOC:		op_kvmalloc(op, true); break;
	case SF_OP_KVFREE:		op_vfree(op, SF_K_KV); break;
	default:			break;
	}
}
