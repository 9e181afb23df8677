/*
 * slub_bulk.c - kmem_cache_alloc_bulk() and kmem_cache_free_bulk().
 *
 * A bulk free chains the objects of one slab into a detached freelist
 * (build_detached_freelist(), with the kernel's small look-ahead) and
 * hands the chain to the free paths in one go; a bulk allocation is all or
 * nothing. Every object gets the single-object checks: cache, object start,
 * the naive double free. A NULL cache is kfree_bulk(): each object goes
 * to its own cache, as kfree() sends it.
 */
#include "slab/slub.h"

/* A free of a detached freelist (head..tail, cnt objects of one slab). */
static void do_slab_free(struct kmem_cache *s, struct slab *slab, void *head,
			 void *tail, int cnt, unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[kg.cpu];

	slab_touch(slab);
	if (slab != c->slab) {
		__slab_free(s, slab, head, tail, cnt, addr);
		return;
	}
	if (unlikely(slab_hardened && tail == c->freelist)) {
		slab_naive_double_free(s, tail);
		return;
	}
	set_freepointer(s, tail, c->freelist);
	c->freelist = head;
}

struct detached_freelist {
	struct slab *slab;
	void *tail;
	void *freelist;
	int cnt;
	struct kmem_cache *s;
};

/*
 * Take the last object of p[0..size) and, looking back with a small
 * look-ahead, the others of its slab; chain them into a detached freelist.
 * Returns the number of objects still to be freed (moved to the front).
 */
static size_t build_detached_freelist(struct kmem_cache *s, size_t size,
				      void **p, struct detached_freelist *df,
				      unsigned long addr)
{
	int lookahead = 3;
	size_t same;
	void *object = p[--size];

	df->slab = object ? virt_to_slab(object) : NULL;
	if (!object)
		return size;
	if (!df->slab || df->slab->slab_cache != s) {
		df->s = cache_from_obj(s, object, df->slab);
		if (!df->s) {
			df->slab = NULL;
			return size;
		}
	} else {
		df->s = s;
	}
	if (unlikely(!slab_object_start(df->s, df->slab, object))) {
		slab_report_invalid_pointer(df->s, df->slab, object, addr,
					    "kmem_cache_free_bulk");
		df->slab = NULL;
		return size;
	}
	if (unlikely(kasan_slab_pre_free(df->s, object, addr,
					 "kmem_cache_free_bulk"))) {
		df->slab = NULL;
		return size;
	}
	slab_mark_dirty(df->s);
	if (unlikely(slab_init_on_free))
		slab_free_init(df->s, object);
	kasan_slab_free(df->s, object);
	df->tail = object;
	df->freelist = object;
	df->cnt = 1;
	set_freepointer(df->s, object, NULL);

	same = size;
	while (size) {
		object = p[--size];
		if (object && virt_to_slab(object) == df->slab) {
			if (unlikely(!slab_object_start(df->s, df->slab, object))) {
				slab_report_invalid_pointer(df->s, df->slab, object,
							    addr, "kmem_cache_free_bulk");
			} else if (unlikely(kasan_slab_pre_free(df->s, object, addr,
								"kmem_cache_free_bulk"))) {
				/* already free: reported, left alone */
			} else if (unlikely(slab_hardened && object == df->freelist)) {
				slab_naive_double_free(df->s, object);
			} else {
				if (unlikely(slab_init_on_free))
					slab_free_init(df->s, object);
				kasan_slab_free(df->s, object);
				set_freepointer(df->s, object, df->freelist);
				df->freelist = object;
				df->cnt++;
			}
			same--;
			if (size != same) {
				void *t = p[size];

				p[size] = p[same];
				p[same] = t;
			}
			continue;
		}
		if (!--lookahead)
			break;
	}
	return same;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	kalloc_tick();
	if (!nr)
		return;
	/* no cache: kfree_bulk(), each object's own cache (or a large kmalloc) */
	if (!s) {
		while (nr)
			kfree(p[--nr]);
		return;
	}
	/*
	 * One by one where each object is checked or quarantined: chaining
	 * them first would write into an object that may already be free.
	 */
	if (unlikely(slab_quarantine || kmem_cache_debug(s))) {
		while (nr) {
			void *x = p[--nr];
			struct slab *slab = x ? virt_to_slab(x) : NULL;
			struct kmem_cache *cachep = s;

			if (!x)
				continue;
			if (!slab || slab->slab_cache != s) {
				cachep = cache_from_obj(s, x, slab);
				if (!cachep)
					continue;
			}
			slab_free(cachep, slab, x, _RET_IP_, "kmem_cache_free_bulk");
		}
		return;
	}
	while (nr) {
		struct detached_freelist df;

		nr = build_detached_freelist(s, nr, p, &df, _RET_IP_);
		if (df.slab)
			do_slab_free(df.s, df.slab, df.freelist, df.tail,
				     df.cnt, _RET_IP_);
	}
}

/* All or nothing: on failure what was taken goes back and 0 is returned. */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p)
{
	kalloc_tick();
	if (!nr || nr > (size_t)INT32_MAX)
		return 0;
	for (size_t i = 0; i < nr; i++) {
		p[i] = slab_alloc_node(s, gfp, _RET_IP_, s->object_size);
		if (unlikely(!p[i])) {
			for (size_t j = 0; j < i; j++)
				kmem_cache_free(s, p[j]);
			return 0;
		}
	}
	return (int)nr;
}
