/*
 * The kmalloc ops: kmalloc, kzalloc, kcalloc, kmalloc_array, krealloc in
 * every direction, kfree, kfree_sensitive, ksize and kmemdup. Each calls
 * the allocator by its kernel name and checks the result against the
 * model (what must succeed, what must fail, zeroing, sizes, preserved
 * contents), then records the new state.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

static bool mul_overflows(uint64_t a, uint64_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

/* ------------------------------------------------------------------ */
/* kmalloc family                                                      */
/* ------------------------------------------------------------------ */

static void op_kmalloc(const struct sf_op *op, bool zero)
{
	size_t size = op->arg[0];
	gfp_t gfp = sf_nofail_filter(sf_op_gfp(op, 1), sf_kmalloc_must_succeed(size, sf_op_gfp(op, 1)));
	void *p = zero ? kzalloc(size, gfp) : kmalloc(size, gfp);

	sf_kmalloc_result(SF_K_KMALLOC, p, size, gfp, zero, zero ? "kzalloc" : "kmalloc");
}

static void op_kcalloc(const struct sf_op *op, bool zero)
{
	size_t bytes;
	bool ovf = mul_overflows(op->arg[0], op->arg[1], &bytes);
	gfp_t gfp = sf_op_gfp(op, 2);
	void *p;

	gfp = sf_nofail_filter(gfp, !ovf && sf_kmalloc_must_succeed(bytes, gfp));
	p = zero ? kcalloc(op->arg[0], op->arg[1], gfp)
		 : kmalloc_array(op->arg[0], op->arg[1], gfp);
	if (ovf) {
		if (p && !sf.raw)
			sf_model_fail("overflow not caught", NULL,
				      "%llu * %llu overflows, yet %p was returned",
				      (unsigned long long)op->arg[0],
				      (unsigned long long)op->arg[1], p);
		sf_digest(0);
		return;
	}
	sf_kmalloc_result(SF_K_KMALLOC, p, bytes, gfp, zero,
		       zero ? "kcalloc" : "kmalloc_array");
}

/*
 * krealloc in every direction. The old object must be intact after a
 * failure; on success the new one must hold min(old, new) bytes of it, and
 * memory beyond the old bucket comes zeroed when asked for.
 */
static void do_krealloc(int id, size_t new_size, gfp_t gfp, bool array,
			uint64_t n, uint64_t each)
{
	struct sf_obj old = { 0 };
	void *q;
	size_t bytes = new_size;
	bool ovf = false;
	struct sf_newobj no;

	if (id >= 0) {
		old = sf.objs[id];
		sf_obj_check_pattern((uint32_t)id, "before krealloc");
	}
	if (array)
		ovf = mul_overflows(n, each, &bytes);
	gfp = sf_nofail_filter(gfp, !ovf && sf_kmalloc_must_succeed(bytes, gfp));
	q = array ? krealloc_array(old.ptr, n, each, gfp) : krealloc(old.ptr, bytes, gfp);
	sf_digest_ptr(q);
	if (ovf) {
		if (q && !sf.raw)
			sf_model_fail("overflow not caught", NULL,
				      "krealloc_array(%llu, %llu) returned %p",
				      (unsigned long long)n, (unsigned long long)each, q);
		if (id >= 0)
			sf_obj_check_pattern((uint32_t)id, "after krealloc_array overflow");
		return;
	}
	if (!q) {
		if (id >= 0)
			sf_obj_check_pattern((uint32_t)id, "after failed krealloc");
		if (sf.raw || bytes > KMALLOC_MAX_SIZE)
			return;
		if (!bytes)
			sf_model_fail("not ZERO_SIZE_PTR", old.label,
				      "krealloc(%p, 0) returned NULL", old.ptr);
		if (id >= 0 && old.ptr != ZERO_SIZE_PTR && bytes <= old.extent)
			sf_spurious(old.label, "krealloc(%p, %zu) within its %zu-byte bucket",
				 old.ptr, bytes, old.extent);
		if (sf_kmalloc_must_succeed(bytes, gfp) ||
		    (sf_reclaim_after_failure(gfp) && sf_kmalloc_must_succeed(bytes, gfp)))
			sf_spurious(old.label, "krealloc(%p, %zu, %#x)", old.ptr, bytes, gfp);
		return;
	}
	if (bytes > KMALLOC_MAX_SIZE && !sf.raw)
		sf_model_fail("limit not enforced", NULL,
			      "krealloc to %zu bytes returned %p", bytes, q);
	if (id >= 0 && q == old.ptr && old.ptr != ZERO_SIZE_PTR) {
		/* in place: same bucket (or compound page), new size */
		struct sf_obj *o = &sf.objs[id];
		size_t keep = old.size < bytes ? old.size : bytes, bad;

		if (!sf.raw && bytes > old.extent)
			sf_model_fail("grown past its bucket", old.label,
				      "krealloc(%p, %zu) kept a %zu-byte bucket",
				      q, bytes, old.extent);
		bad = sf.raw ? SIZE_MAX : sf_pattern_check(q, old.size, keep, old.seed);
		if (bad != SIZE_MAX)
			sf_model_fail("lost data in", old.label,
				      "in-place krealloc(%p, %zu): byte %zu is 0x%02x",
				      q, bytes, bad, ((const uint8_t *)q)[bad]);
		o->size = bytes;
		sf_obj_write_pattern((uint32_t)id);
		sf_handle_stamp((uint32_t)id);	/* now the krealloc's result */
		return;
	}
	sf_kmalloc_newobj(&no, SF_K_KMALLOC, q, bytes, gfp);
	if (id >= 0 && old.size) {
		no.keep_size = old.size;
		no.keep_seed = old.seed;
		no.keep_len = old.size < bytes ? old.size : bytes;
		/* the kernel copies the whole old bucket */
		if (no.zero_from != SIZE_MAX)
			no.zero_from = old.extent;
	}
	/* the new object was allocated while the old one was live */
	sf_obj_new(&no);
	if (id >= 0)
		sf_obj_forget((uint32_t)id);
}

static void op_krealloc(const struct sf_op *op)
{
	do_krealloc(sf_pick(SF_K_KMALLOC, op->arg[0]), op->arg[1], sf_op_gfp(op, 2),
		    false, 0, 0);
}

static void op_krealloc_array(const struct sf_op *op)
{
	do_krealloc(sf_pick(SF_K_KMALLOC, op->arg[0]), 0, sf_op_gfp(op, 3), true,
		    op->arg[1], op->arg[2]);
}

static void op_kfree(const struct sf_op *op, bool sensitive)
{
	int id = sf_pick(SF_K_KMALLOC, op->arg[0]);
	void *p;

	if (id < 0) {
		if (sensitive)
			kfree_sensitive(NULL);
		else
			kfree(NULL);
		return;
	}
	p = sf.objs[id].ptr;
	sf_obj_free_prepare((uint32_t)id);
	sf_obj_forget((uint32_t)id);
	if (sensitive)
		kfree_sensitive(p);
	else
		kfree(p);
}

static void op_ksize(const struct sf_op *op)
{
	int id = sf_pick(SF_K_KMALLOC, op->arg[0]);
	struct sf_obj *o;
	size_t k, want;

	if (id < 0) {
		if (ksize(NULL) && !sf.raw)
			sf_model_fail("ksize mismatch", "NULL", "ksize(NULL) = %zu", ksize(NULL));
		return;
	}
	o = &sf.objs[id];
	k = ksize(o->ptr);
	sf_digest(k);
	/* the bucket it lives in: after an in-place krealloc that is the old
	 * request's class, not the new one's */
	want = o->size ? o->extent : 0;
	if (!sf.raw && (k != want || k < o->size))
		sf_model_fail("ksize mismatch", o->label,
			      "ksize(%p) = %zu for a %zu-byte request; the bucket is %zu",
			      o->ptr, k, o->size, want);
	o->ksized = true;
}

static void op_kmemdup(const struct sf_op *op)
{
	int id = sf_pick(SF_K_KMALLOC, op->arg[0]);
	gfp_t gfp;
	struct sf_obj src;
	struct sf_newobj n;
	void *q;

	if (id < 0)
		return;
	src = sf.objs[id];
	gfp = sf_nofail_filter(sf_op_gfp(op, 1), sf_kmalloc_must_succeed(src.size, sf_op_gfp(op, 1)));
	q = kmemdup(src.ptr, src.size, gfp);
	if (!q) {
		sf_kmalloc_result(SF_K_KMALLOC, NULL, src.size, gfp, false, "kmemdup");
		return;
	}
	sf_kmalloc_newobj(&n, SF_K_KMALLOC, q, src.size, gfp);
	n.zero_from = SIZE_MAX;
	n.keep_size = n.keep_len = src.size;
	n.keep_seed = src.seed;
	sf_obj_new(&n);
}

void sf_exec_kmalloc(const struct sf_op *op) { op_kmalloc(op, false); }
void sf_exec_kzalloc(const struct sf_op *op) { op_kmalloc(op, true); }
void sf_exec_kcalloc(const struct sf_op *op) { op_kcalloc(op, true); }
void sf_exec_kmalloc_array(const struct sf_op *op) { op_kcalloc(op, false); }
void sf_exec_krealloc(const struct sf_op *op) { op_krealloc(op); }
void sf_exec_krealloc_array(const struct sf_op *op) { op_krealloc_array(op); }
void sf_exec_kfree(const struct sf_op *op) { op_kfree(op, false); }
void sf_exec_kfree_sensitive(const struct sf_op *op) { op_kfree(op, true); }
void sf_exec_ksize(const struct sf_op *op) { op_ksize(op); }
void sf_exec_kmemdup(const struct sf_op *op) { op_kmemdup(op); }
