/*
 * Handles: which live object or cache an op's SLOT or CACHE argument
 * names. A format-2 handle names the op that created the object (or the
 * kmem_cache_create op of the cache), so it keeps naming the same object
 * when ops are inserted or removed elsewhere; SF_REF_LAST, a handle whose
 * op created nothing that is still live, or one of the wrong kind, names
 * the newest live object of the kinds the op takes (the last of its list),
 * so that mutated programs keep doing something.
 *
 * An op that creates several objects (kmem_cache_alloc_bulk) is named by
 * its newest object while that lives, then by another live one, so that
 * repeated frees of one handle free them all in turn; an in-place
 * krealloc re-stamps the object as the krealloc's.
 *
 * For `sfprog upgrade` only, sf_set_v1_handles() resolves handles the
 * format-1 way (live object number b mod count) and records, per op, the
 * creating op of what was picked: that is the format-2 handle.
 */
#include <string.h>

#include "model.h"
#include "run.h"

static struct sf_v1_trace *v1_trace;

void sf_set_v1_handles(struct sf_v1_trace *trace)
{
	v1_trace = trace;
}

void sf_handles_reset(void)
{
	memset(sf.made_obj, 0xff, sizeof(sf.made_obj));
	memset(sf.made_cache, 0xff, sizeof(sf.made_cache));
	memset(sf.made_many, 0, sizeof(sf.made_many));
}

/* The object just created (or re-stamped) is the current op's. */
void sf_handle_stamp(uint32_t id)
{
	unsigned int i = sf.op ? sf.op_index : SF_MAX_OPS;

	sf.objs[id].creator = (uint16_t)i;
	if (i < SF_MAX_OPS) {
		if (sf.made_obj[i] != UINT32_MAX && sf.made_obj[i] != id)
			sf.made_many[i] = true;
		sf.made_obj[i] = id;
	}
}

void sf_handle_stamp_cache(unsigned int slot)
{
	unsigned int i = sf.op ? sf.op_index : SF_MAX_OPS;

	sf.caches[slot].creator = (uint16_t)i;
	if (i < SF_MAX_OPS)
		sf.made_cache[i] = (uint8_t)slot;
}

static void trace_obj(int id, bool resolvable)
{
	if (!v1_trace || !sf.op || sf.op_index >= SF_MAX_OPS)
		return;
	v1_trace->obj[sf.op_index] = id < 0 ? SF_V1_NONE : sf.objs[id].creator;
	if (!resolvable)
		v1_trace->inexact++;
}

/* Would the format-2 handle "created by op c" resolve to this object? */
static bool v2_resolves_to(uint32_t id)
{
	uint16_t c = sf.objs[id].creator;

	return c < SF_MAX_OPS && sf.made_obj[c] == id;
}

/* The format-1 pick over the concatenation of the kind lists in order. */
static int v1_pick(const unsigned int *kinds, unsigned int nk, uint64_t b)
{
	uint32_t total = 0;
	int id = -1;

	for (unsigned int k = 0; k < nk; k++)
		total += sf.nlist[kinds[k]];
	if (total) {
		uint32_t idx = (uint32_t)(b % total);

		for (unsigned int k = 0; k < nk; k++) {
			if (idx < sf.nlist[kinds[k]]) {
				id = (int)sf.list[kinds[k]][idx];
				break;
			}
			idx -= sf.nlist[kinds[k]];
		}
	}
	trace_obj(id, id < 0 || v2_resolves_to((uint32_t)id));
	return id;
}

static bool is_named(uint32_t i, uint64_t ref, unsigned int kinds_mask)
{
	const struct sf_obj *o = &sf.objs[i];

	return o->live && !o->zombie && o->creator == ref && o->pos[0] != SF_NO_POS &&
	       (kinds_mask & (1u << o->kind));
}

static bool named(uint64_t ref, unsigned int kinds_mask, uint32_t *id)
{
	if (ref >= SF_MAX_OPS || sf.made_obj[ref] == UINT32_MAX)
		return false;
	if (is_named(sf.made_obj[ref], ref, kinds_mask)) {
		*id = sf.made_obj[ref];
		return true;
	}
	if (!sf.made_many[ref])
		return false;
	/* another live object of a bulk allocation (the last in the list) */
	for (uint32_t n = sf.nall; n--;) {
		uint32_t i = sf.all[n];

		if (is_named(i, ref, kinds_mask)) {
			*id = i;
			sf.made_obj[ref] = i;
			return true;
		}
	}
	return false;
}

int sf_pick(enum sf_kind kind, uint64_t ref)
{
	uint32_t id;

	if (v1_trace) {
		unsigned int k = kind;

		return v1_pick(&k, 1, ref);
	}
	if (named(ref, 1u << kind, &id))
		return (int)id;
	return sf.nlist[kind] ? (int)sf.list[kind][sf.nlist[kind] - 1] : -1;
}

int sf_pick_all(uint64_t ref)
{
	uint32_t id;

	if (v1_trace) {
		int i = sf.nall ? (int)sf.all[ref % sf.nall] : -1;

		trace_obj(i, i < 0 || v2_resolves_to((uint32_t)i));
		return i;
	}
	if (named(ref, ~0u, &id))
		return (int)id;
	return sf.nall ? (int)sf.all[sf.nall - 1] : -1;
}

/* A slab object: kmem_cache_alloc'ed or kmalloc'ed (format 1 counted the
 * cache objects first). */
int sf_pick_slab_object(uint64_t ref)
{
	static const unsigned int kinds[] = { SF_K_CACHE, SF_K_KMALLOC };
	uint32_t id;

	if (v1_trace)
		return v1_pick(kinds, 2, ref);
	if (named(ref, (1u << SF_K_CACHE) | (1u << SF_K_KMALLOC), &id))
		return (int)id;
	for (unsigned int k = 0; k < 2; k++)
		if (sf.nlist[kinds[k]])
			return (int)sf.list[kinds[k]][sf.nlist[kinds[k]] - 1];
	return -1;
}

int sf_pick_cache(uint64_t ref)
{
	int slot = -1;

	if (v1_trace) {
		if (sf.ncache_list)
			slot = (int)sf.cache_list[ref % sf.ncache_list];
		if (sf.op && sf.op_index < SF_MAX_OPS) {
			uint16_t c = slot < 0 ? SF_V1_NONE : sf.caches[slot].creator;

			v1_trace->cache[sf.op_index] = c;
			if (slot >= 0 && (c >= SF_MAX_OPS || sf.made_cache[c] != slot))
				v1_trace->inexact++;
		}
		return slot;
	}
	if (ref < SF_MAX_OPS && sf.made_cache[ref] != UINT8_MAX) {
		slot = sf.made_cache[ref];
		if (sf.caches[slot].live && sf.caches[slot].creator == ref)
			return slot;
	}
	return sf.ncache_list ? (int)sf.cache_list[sf.ncache_list - 1] : -1;
}

/* ------------------------------------------------------------------ */
/* The model's view of an op, for traces                               */
/* ------------------------------------------------------------------ */

void sf_op_view(unsigned int i, struct sf_op_view *v)
{
	*v = (struct sf_op_view){ .live = sf.nall };
	if (i >= SF_MAX_OPS)
		return;
	if (sf.made_obj[i] != UINT32_MAX && sf.objs[sf.made_obj[i]].live &&
	    !sf.objs[sf.made_obj[i]].zombie) {
		const struct sf_obj *o = &sf.objs[sf.made_obj[i]];
		uintptr_t a = (uintptr_t)o->ptr;

		v->obj = true;
		v->id = sf.made_obj[i];
		v->ptr = o->ptr;
		v->size = o->size;
		v->label = o->label;
		v->order = o->order;
		if (a >= sf.vm_start && a < sf.vm_end)
			v->zone = "vmalloc";
		else if (a >= sf.lin_start && a < sf.lin_end)
			v->zone = zone_name((enum zone_type)sf_zone_of(a));
		else
			v->zone = "-";
	}
	if (sf.made_cache[i] != 0xff && sf.made_cache[i] < SF_MAX_CACHES &&
	    sf.caches[sf.made_cache[i]].live) {
		v->cache = true;
		v->slot = sf.made_cache[i];
		v->object_size = sf.caches[v->slot].object_size;
	}
}
