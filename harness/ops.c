/*
 * The valid operations, part 1: shared helpers, the kmalloc family, and
 * the dispatcher. Each op calls the allocator by its kernel name and checks
 * the result against the model (what must succeed, what must fail,
 * zeroing, sizes, preserved contents), then records the new state.
 * kmem_cache ops live in ops_slab.c, page and vmalloc ops in ops_pages.c,
 * misuse in misuse.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ops.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

gfp_t sf_op_gfp(const struct sf_op *op, unsigned int i)
{
	return sf_gfp_table[op->arg[i] % sf_nr_gfp].gfp;
}

/* __GFP_NOFAIL only where the model proves the request can be served:
 * a NOFAIL request that cannot be served aborts by design. */
gfp_t sf_nofail_filter(gfp_t gfp, bool provable)
{
	if ((gfp & __GFP_NOFAIL) && !provable)
		gfp &= ~__GFP_NOFAIL;
	return gfp;
}

static bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

bool sf_slab_init_zeroes(bool poisoned, bool ctor)
{
	return (sf.kcfg.init_on_alloc || sf.kcfg.init_on_free) && !poisoned && !ctor;
}

bool sf_kmalloc_must_succeed(size_t size, gfp_t gfp)
{
	size_t bucket;

	if (!size || size > KMALLOC_MAX_SIZE)
		return false;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return sf_must_succeed(gfp | __GFP_COMP, (unsigned int)get_order(size), 1);
	bucket = kmalloc_size_roundup(size);
	return sf_must_succeed(gfp, sf_slab_order_bound(bucket,
			       is_pow2(bucket) ? (unsigned int)bucket : 8), 1);
}

void sf_spurious(const char *what, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* the title names the op only: one bucket per kind of request */
	sf_model_fail("spurious failure", NULL,
		      "%s%s%s failed although a zone it may use holds (or reclaim "
		      "could give back) free blocks of the needed order well above "
		      "its watermarks", what ? what : "",
		      what ? ": " : "", buf);
}

/*
 * Describe a kmalloc-family result (non-NULL) as a new object: its cache
 * (or large kmalloc), bucket, alignment and zone. Checks what only the
 * kmalloc layer promises: the size class and the cache the object is in.
 */
void sf_kmalloc_newobj(struct sf_newobj *n, enum sf_kind kind, void *p,
			   size_t size, gfp_t gfp)
{
	static char label[32];

	if (!size) {
		sf_newobj_init(n, kind, p, 0, "kmalloc-0");
		n->extent = 0;
		if (p != ZERO_SIZE_PTR && !sf.raw)
			sf_model_fail("not ZERO_SIZE_PTR", "kmalloc-0",
				      "a 0-byte request returned %p", p);
		return;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		unsigned int order = (unsigned int)get_order(size);

		sf_newobj_init(n, kind, p, size, "kmalloc-large");
		n->extent = PAGE_SIZE << order;
		n->large = true;
		n->order = (uint8_t)order;
		if (!sf.raw) {
			struct page *pg = virt_to_page(p);

			if (virt_to_cache(p))
				sf_model_fail("slab object for large kmalloc", NULL,
					      "%zu bytes came from cache %s", size,
					      kmem_cache_name(virt_to_cache(p)));
			if (!PageHead(pg) || compound_order(pg) != order)
				sf_model_fail("not a compound page", "kmalloc-large",
					      "%zu bytes at %p: head %d, order %u, expected %u",
					      size, p, PageHead(pg), compound_order(pg), order);
		}
	} else {
		struct kmem_cache *s = kmalloc_slab(size, gfp);
		const char *name = s ? kmem_cache_name(s) : "kmalloc-?";
		size_t bucket = kmalloc_size_roundup(size);

		snprintf(label, sizeof(label), "%s", name);
		sf_newobj_init(n, kind, p, size, label);
		n->extent = bucket;
		n->poisoned = sf_debug_has(name, 'P');
		if (!sf.raw) {
			if (bucket < size)
				sf_model_fail("size class too small", label,
					      "kmalloc_size_roundup(%zu) = %zu", size, bucket);
			if (virt_to_cache(p) != s)
				sf_model_fail("wrong cache", label,
					      "a %zu-byte object came from %s", size,
					      virt_to_cache(p) ? kmem_cache_name(virt_to_cache(p))
							       : "no cache");
		}
	}
	if (is_pow2(size))
		n->align = size;
	if (gfp & __GFP_DMA)
		n->max_zone = ZONE_DMA;
	if ((gfp & __GFP_ZERO) || (n->large ? (sf.kcfg.init_on_alloc || sf.kcfg.init_on_free)
					    : sf_slab_init_zeroes(n->poisoned, false)))
		n->zero_from = 0;
}

/* A fresh kmalloc-family result: check and record it. */
void sf_kmalloc_result(enum sf_kind kind, void *p, size_t size, gfp_t gfp,
			   bool zero, const char *call)
{
	struct sf_newobj n;

	if (size > KMALLOC_MAX_SIZE) {
		if (p && !sf.raw)
			sf_model_fail("limit not enforced", NULL,
				      "%s of %zu bytes (> KMALLOC_MAX_SIZE) returned %p",
				      call, size, p);
		sf_digest(0);
		return;
	}
	if (!p) {
		sf_digest(0);
		if (!sf.raw && (!size || sf_kmalloc_must_succeed(size, gfp) ||
				(sf_reclaim_after_failure(gfp) &&
				 sf_kmalloc_must_succeed(size, gfp))))
			sf_spurious(NULL, "%s(%zu, %#x)", call, size, gfp);
		return;
	}
	sf_kmalloc_newobj(&n, kind, p, size, gfp);
	if (zero && size)
		n.zero_from = 0;
	sf_obj_new(&n);
}

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

/* ------------------------------------------------------------------ */
/* The rest                                                            */
/* ------------------------------------------------------------------ */

void sf_free_object(uint32_t id)
{
	struct sf_obj o = sf.objs[id];

	sf_obj_free_prepare(id);
	sf_obj_forget(id);
	switch (o.kind) {
	case SF_K_KMALLOC:
		kfree(o.ptr);
		break;
	case SF_K_CACHE:
		kmem_cache_free(sf.caches[o.cache].s, o.ptr);
		break;
	case SF_K_PAGES:
	case SF_K_POOL:
		__free_pages(o.page, o.order);
		break;
	case SF_K_VMALLOC:
		vfree(o.ptr);
		break;
	case SF_K_KV:
		kvfree(o.ptr);
		break;
	}
}

static void op_write(const struct sf_op *op)
{
	int id = sf_pick_all(op->arg[0]);

	if (id < 0)
		return;
	sf_obj_check_pattern((uint32_t)id, "before write");
	sf_obj_write_pattern((uint32_t)id);
}

void sf_do_validate(void)
{
	unsigned long before = kalloc_report_count();
	int problems;

	if (sf.raw)
		return;
	problems = kalloc_validate();
	sf_digest((uint64_t)problems);
	if (problems && kalloc_report_count() == before)
		sf_finding("kalloc: validate failed without a report",
			   "kalloc_validate() returned %d", problems);
	sf_check_all_patterns();
}

void sf_exec_op(unsigned int code, const struct sf_op *op)
{
	switch (code) {
	case SF_OP_KMALLOC:		op_kmalloc(op, false); break;
	case SF_OP_KZALLOC:		op_kmalloc(op, true); break;
	case SF_OP_KCALLOC:		op_kcalloc(op, true); break;
	case SF_OP_KMALLOC_ARRAY:	op_kcalloc(op, false); break;
	case SF_OP_KREALLOC:		op_krealloc(op); break;
	case SF_OP_KREALLOC_ARRAY:	op_krealloc_array(op); break;
	case SF_OP_KFREE:		op_kfree(op, false); break;
	case SF_OP_KFREE_SENSITIVE:	op_kfree(op, true); break;
	case SF_OP_KSIZE:		op_ksize(op); break;
	case SF_OP_KMEMDUP:		op_kmemdup(op); break;
	case SF_OP_CACHE_CREATE ... SF_OP_CACHE_DESTROY:
		sf_exec_slab_op(code, op);
		break;
	case SF_OP_ALLOC_PAGES ... SF_OP_KVFREE:
		sf_exec_page_op(code, op);
		break;
	case SF_OP_WRITE:		op_write(op); break;
	case SF_OP_SET_CPU:
		kalloc_set_cpu((unsigned int)(op->arg[0] % sf.kcfg.ncpus));
		break;
	case SF_OP_RECLAIM:
		sf_digest(kalloc_reclaim(sf_op_gfp(op, 0)));
		break;
	case SF_OP_VALIDATE:		sf_do_validate(); break;
	default:			sf_exec_misuse(code, op); break;
	}
}

