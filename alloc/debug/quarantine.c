/*
 * quarantine.c - a KASAN-style free quarantine (mm/kasan/quarantine.c).
 *
 * With cfg.quarantine_bytes set, a freed slab object (or a freed large
 * kmalloc) is not reused at once: it waits in a FIFO until the objects freed
 * after it add up to the byte budget, and only then goes back to its slab
 * (or its pages to the buddy allocator). Meanwhile it stays poisoned, so that
 * a use after free keeps hitting poison (SLUB's and ASan's) instead of
 * somebody else's live object, and a second free of it is a certain double
 * free.
 *
 * Unlike the kernel's per-CPU batches, one global FIFO keeps the order of
 * frees exact, which makes eviction deterministic. The FIFO and an
 * address-keyed hash set live in host memory, outside the arena, so a wild
 * write into the arena cannot corrupt them.
 *
 * Both start at the size init gives them: the most entries the budget can
 * hold, but no more than QUARANTINE_INIT_ENTRIES. Only a run that holds more
 * than that grows them (doubling, up to that most), and reset puts them back
 * to the init size: what a free does, and which code it runs, depends only
 * on what happened since the last init or reset, never on how full an
 * earlier run got the tables (a fuzz input must take the same path whatever
 * ran before it). Sizing them for the whole budget at once would ask a large
 * arena with a large budget for tens of GiB of host memory.
 *
 * What goes in is SLUB's to decide (slab_free_quarantine(), slub.c: the
 * checks, init_on_free, the poison) and kmalloc's (free_large_kmalloc());
 * what comes out goes back through the ops they registered
 * (quarantine_register_ops()). The quarantine itself sees only the slab
 * contract (slab/slab.h) and the memory model, never SLUB's private header.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "debug/quarantine.h"

struct qentry {
	struct kmem_cache *s;	/* NULL: a large kmalloc */
	void *object;
	unsigned long bytes;	/* counted against the budget */
	struct kasan_track freed;	/* who freed it, for double-free reports */
};

/* How an object leaves for real: registered by the slab layer. */
static __machine_state struct quarantine_ops qops;

static __machine_state struct {
	size_t budget;		/* cfg.quarantine_bytes */
	size_t bytes;		/* held now */
	struct qentry *ring;	/* FIFO: ring[head .. head+count) mod cap */
	size_t cap, head, count;
	size_t init_cap;	/* cap after init and after every reset */
	size_t max_cap;		/* the most entries ever held at once */
	void **hash;		/* open addressing set of held objects */
	size_t hash_cap;	/* 2^hash_bits >= 4 * cap: at most 1/4 full */
	unsigned int hash_bits;
} q;

/*
 * Every entry counts at least this much against the budget: a slab object
 * its stride (object sizes are rounded up to a word), a large kmalloc its
 * pages. quarantine_put() adds before it evicts, so at most
 * budget / QUARANTINE_MIN_BYTES + 1 entries are ever held at once.
 */
#define QUARANTINE_MIN_BYTES	sizeof(void *)

/*
 * The tables' size after init (or less, when the budget holds fewer):
 * more than a fuzz input usually frees, and small enough to cost little at
 * every init, since host memory handed out again by malloc() is zeroed by
 * calloc(). A run that holds more grows them, doubling, at a cost in
 * proportion to what it holds, and reset gives the growth back. Sized for
 * the most a 1 MiB budget can hold (2^18 entries, 10 MiB of tables), they
 * were zeroed at each machine init: a third of an init in fuzz_mixed.
 */
#define QUARANTINE_INIT_ENTRIES	(1UL << 12)

/* ------------------------------------------------------------------ */
/* Address-keyed hash set (linear probing, backward-shift deletion)    */
/* ------------------------------------------------------------------ */

static size_t qhash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;

	/* Fibonacci hashing: the product's top bits are the well-mixed ones */
	return (size_t)(x >> (64 - q.hash_bits));
}

static size_t hash_slot(const void *p)
{
	size_t i = qhash(p);

	while (q.hash[i] && q.hash[i] != p)
		i = (i + 1) & (q.hash_cap - 1);
	return i;
}

static void hash_insert(void *p)
{
	q.hash[hash_slot(p)] = p;
}

static void hash_delete(const void *p)
{
	size_t i = hash_slot(p), j = i;

	if (!q.hash[i])
		return;
	q.hash[i] = NULL;
	/* pull later members of the probe run back into the hole */
	for (;;) {
		size_t home;

		j = (j + 1) & (q.hash_cap - 1);
		if (!q.hash[j])
			return;
		home = qhash(q.hash[j]);
		/* leave it if its home lies cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		q.hash[i] = q.hash[j];
		q.hash[j] = NULL;
		i = j;
	}
}

/*
 * Ring and hash set for cap entries, the held ones kept in FIFO order. Out
 * of host memory the run cannot go on the same way, so it stops here.
 */
static void tables_resize(size_t cap)
{
	size_t hash_cap = 1;
	struct qentry *ring;
	void **hash;

	while (hash_cap < 4 * cap)
		hash_cap *= 2;
	ring = calloc(cap, sizeof(*ring));
	hash = calloc(hash_cap, sizeof(*hash));
	if (!ring || !hash) {
		printk("kalloc: quarantine: no host memory for %zu entries\n",
		       cap);
		abort();
	}
	for (size_t i = 0; i < q.count; i++)
		ring[i] = q.ring[(q.head + i) % q.cap];
	free(q.ring);
	free(q.hash);
	q.ring = ring;
	q.hash = hash;
	q.head = 0;
	q.cap = cap;
	q.hash_cap = hash_cap;
	q.hash_bits = (unsigned int)__builtin_ctzl(hash_cap);
	for (size_t i = 0; i < q.count; i++)
		hash_insert(q.ring[i].object);
}

/* ------------------------------------------------------------------ */
/* FIFO                                                                */
/* ------------------------------------------------------------------ */

static struct qentry *entry(size_t i)
{
	return &q.ring[(q.head + i) % q.cap];
}

/* Hands the oldest entry back to its allocator. */
static void evict_oldest(void)
{
	struct qentry e = *entry(0);

	q.head = (q.head + 1) % q.cap;
	q.count--;
	q.bytes -= e.bytes;
	hash_delete(e.object);
	if (e.s)
		qops.free_object(e.s, e.object);
	else
		qops.free_large(e.object);
}

bool quarantine_enabled(void)
{
	return q.budget != 0;
}

bool quarantine_contains(const void *object)
{
	return q.count && q.hash[hash_slot(object)] == object;
}

/* The free track kept for an object in the quarantine, or NULL. */
const struct kasan_track *quarantine_free_track(const void *object)
{
	if (!quarantine_contains(object))
		return NULL;
	for (size_t i = 0; i < q.count; i++)
		if (entry(i)->object == object)
			return &entry(i)->freed;
	return NULL;
}

/*
 * Holds a freed object back; false when it should be freed right away
 * (quarantine off, or object larger than the whole budget). The object must
 * already be poisoned. A full ring grows up to max_cap, which cannot be
 * reached (see QUARANTINE_MIN_BYTES); if an entry smaller than that ever
 * made it so, the object would be freed at once, which depends on this run
 * alone.
 */
bool quarantine_put(struct kmem_cache *s, void *object, unsigned long bytes,
		    unsigned long caller)
{
	struct qentry *e;

	if (!q.budget || bytes > q.budget)
		return false;
	if (q.count == q.cap && q.cap < q.max_cap)
		tables_resize(min_t(size_t, 2 * q.cap, q.max_cap));
	if (q.count == q.cap)
		return false;
	e = &q.ring[(q.head + q.count) % q.cap];
	e->s = s;
	e->object = object;
	e->bytes = bytes;
	e->freed.addr = caller;
	e->freed.cpu = (int)kg.cpu;
	e->freed.pid = kg.pid;
	e->freed.when = kg.ops;
	q.count++;
	q.bytes += bytes;
	hash_insert(object);

	while (q.bytes > q.budget)
		evict_oldest();
	return true;
}

/*
 * Lets every object of one cache go (kmem_cache_shrink and _destroy), oldest
 * first; the others keep their order. Compacted in place: entry i moves to
 * slot kept <= i, which has been read already. The quarantine counts as
 * empty while the objects go back.
 */
void quarantine_remove_cache(struct kmem_cache *s)
{
	size_t kept = 0, n = q.count;

	q.count = 0;
	for (size_t i = 0; i < n; i++) {
		struct qentry e = *entry(i);

		if (e.s != s) {
			*entry(kept++) = e;
			continue;
		}
		hash_delete(e.object);
		q.bytes -= e.bytes;
		qops.free_object(s, e.object);
	}
	q.count = kept;
}

/* Everything goes back (memory pressure). Returns the objects let go. */
unsigned long quarantine_drain(void)
{
	unsigned long n = q.count;

	while (q.count)
		evict_oldest();
	return n;
}

size_t quarantine_bytes_held(void)
{
	return q.bytes;
}

size_t quarantine_capacity(void)
{
	return q.cap;
}

void quarantine_register_ops(const struct quarantine_ops *ops)
{
	qops = *ops;
}

/* The most entries a budget can hold at once (see QUARANTINE_MIN_BYTES). */
static size_t budget_max_cap(const struct kalloc_config *cfg)
{
	return min_t(size_t, cfg->quarantine_bytes, cfg->mem_bytes) /
	       QUARANTINE_MIN_BYTES + 1;
}

/*
 * At most the entries the budget allows are ever held; they are distinct
 * objects in the arena too, which bounds a budget larger than the arena.
 * The tables start at QUARANTINE_INIT_ENTRIES of that and grow as a run
 * fills them. The hash set is the power of two at least four times the
 * ring. Both are calloc()ed: the host commits only the part a run touches.
 */
int quarantine_init(const struct kalloc_config *cfg)
{
	size_t cap, hash_cap = 1;

	memset(&q, 0, sizeof(q));
	slab_quarantine = false;
	if (!cfg->quarantine_bytes)
		return 0;
	if (!qops.free_object || !qops.free_large) {
		printk("kalloc: quarantine: no ops registered to free objects with\n");
		return -EINVAL;
	}
	q.max_cap = budget_max_cap(cfg);
	cap = min_t(size_t, q.max_cap, QUARANTINE_INIT_ENTRIES);
	while (hash_cap < 4 * cap)
		hash_cap *= 2;
	q.ring = calloc(cap, sizeof(*q.ring));
	q.hash = calloc(hash_cap, sizeof(*q.hash));
	if (!q.ring || !q.hash) {
		printk("kalloc: quarantine: no host memory for %zu entries\n",
		       cap);
		quarantine_fini();
		return -ENOMEM;
	}
	q.budget = cfg->quarantine_bytes;
	q.cap = q.init_cap = cap;
	q.hash_cap = hash_cap;
	q.hash_bits = (unsigned int)__builtin_ctzl(hash_cap);
	slab_quarantine = true;
	return 0;
}

/*
 * Forgets every entry without freeing: the arena reset restores the pages.
 * Costs what is held, not the table size. Tables a run grew go back to
 * their init size; otherwise the hash set is empty again (backward-shift
 * deletion leaves no tombstones). Either way the state is the one init left.
 */
void quarantine_reset(void)
{
	if (q.cap > q.init_cap) {
		q.count = 0;
		tables_resize(q.init_cap);
	}
	for (size_t i = 0; i < q.count; i++)
		hash_delete(entry(i)->object);
	q.head = 0;
	q.count = 0;
	q.bytes = 0;
}

/*
 * A new budget, after a reset (kalloc_reset_config()): the tables hold
 * nothing then (quarantine_reset()), so they are kept when the new budget
 * is 0 (held for a later budget) or when init would give the new one
 * tables of the same size, which every budget of QUARANTINE_INIT_ENTRIES
 * words or more does. Freeing and allocating them again was most of a
 * reset that changed the budget. Only the same size will do: the hash
 * set's size decides its probe sequences, and so which code a free runs,
 * which must not depend on the budget of an earlier input (see the top).
 */
int quarantine_set_budget(const struct kalloc_config *cfg)
{
	if (q.ring && !q.count && q.cap == q.init_cap) {
		size_t max_cap = budget_max_cap(cfg);

		if (!cfg->quarantine_bytes) {
			q.budget = 0;
			slab_quarantine = false;
			return 0;
		}
		if (min_t(size_t, max_cap, QUARANTINE_INIT_ENTRIES) == q.init_cap) {
			q.budget = cfg->quarantine_bytes;
			q.max_cap = max_cap;
			slab_quarantine = true;
			return 0;
		}
	}
	quarantine_fini();
	return quarantine_init(cfg);
}

void quarantine_fini(void)
{
	free(q.ring);
	free(q.hash);
	memset(&q, 0, sizeof(q));
	slab_quarantine = false;
}

/* The bookkeeping agrees with itself; each object is where it should be. */
int quarantine_validate(void)
{
	size_t bytes = 0;
	int bad = 0;

	for (size_t i = 0; i < q.count; i++) {
		struct qentry *e = entry(i);
		struct page *page;

		bytes += e->bytes;
		if (!quarantine_contains(e->object)) {
			report_internal("quarantine: object " PTR_FMT " missing from its hash set",
					(unsigned long)e->object);
			bad++;
		}
		if (!addr_in_arena(e->object)) {
			report_internal("quarantine: object " PTR_FMT " outside the arena",
					(unsigned long)e->object);
			bad++;
			continue;
		}
		page = compound_head(virt_to_page(e->object));
		if (e->s ? !(page_test(page, PG_slab) &&
			     page->slab.slab_cache == e->s)
			 : !page_test(page, PG_quarantine)) {
			report_internal("quarantine: object " PTR_FMT " is not held in its %s",
					(unsigned long)e->object,
					e->s ? "cache" : "pages");
			bad++;
		}
	}
	if (bytes != q.bytes || q.bytes > q.budget) {
		report_internal("quarantine: %zu bytes held, entries add up to %zu, budget %zu",
				q.bytes, bytes, q.budget);
		bad++;
	}
	return bad;
}
