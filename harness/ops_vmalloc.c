/*
 * The vmalloc ops: vmalloc / vzalloc / vfree and the kvmalloc family,
 * which picks kmalloc or vmalloc by size and GFP as the kernel does.
 */
#include <stdint.h>

#include "model.h"
#include "ops.h"

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
		/*
		 * What a reclaim pass gives back could only have helped the
		 * attempt that may reclaim: above PAGE_SIZE the vmalloc
		 * fallback (the kmalloc attempt cannot), up to it kmalloc.
		 */
		if (!must && size > PAGE_SIZE && size <= 0x7fffffff)
			must = sf_reclaim_after_failure(gfp) &&
			       sf_vmalloc_must_succeed(size, gfp);
		else if (!must && size && size <= PAGE_SIZE)
			must = sf_reclaim_after_failure(kgfp) &&
			       sf_kmalloc_must_succeed(size, kgfp);
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


void sf_exec_vmalloc(const struct sf_op *op) { op_vmalloc(op, false); }
void sf_exec_vzalloc(const struct sf_op *op) { op_vmalloc(op, true); }
void sf_exec_vfree(const struct sf_op *op) { op_vfree(op, SF_K_VMALLOC); }
void sf_exec_kvmalloc(const struct sf_op *op) { op_kvmalloc(op, false); }
void sf_exec_kvzalloc(const struct sf_op *op) { op_kvmalloc(op, true); }
void sf_exec_kvfree(const struct sf_op *op) { op_vfree(op, SF_K_KV); }
