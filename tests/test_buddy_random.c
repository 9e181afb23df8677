/*
 * Randomized: 100k alloc/free operations over every order and all three
 * zones with a mix of GFP flags, each block stamped with its own pattern and
 * an owner map catching any overlap at once; kalloc_validate every 1000
 * operations; at the end, with everything freed, every zone's free lists
 * hold exactly the blocks they held after init. A second test interleaves
 * the same work with kalloc_reset and checks the lists come back in the
 * very same order.
 */
#include "ktest.h"
#include "internal.h"

#define MiB		(1UL << 20)
#define NR_OPS		100000
#define MAX_LIVE	8192

struct blk {
	struct page *page;
	unsigned int order;
	gfp_t gfp;
	uint64_t tag;
};

static struct blk live[MAX_LIVE];
static int nlive;
static uint32_t *owner;		/* pfn -> live index + 1, or 0 */
static uint64_t rng;
/* coverage of the run: successes per order and zone, failures */
static unsigned long got_order[NR_PAGE_ORDERS], got_zone[MAX_NR_ZONES], failed;
static unsigned long comp_blocks, zero_blocks;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_ZERO, GFP_KERNEL | __GFP_COMP,
	GFP_KERNEL | __GFP_NORETRY, GFP_KERNEL | __GFP_COMP | __GFP_ZERO,
	GFP_DMA, GFP_DMA | __GFP_COMP, GFP_KERNEL | GFP_DMA | __GFP_ZERO,
	GFP_DMA32, GFP_KERNEL | GFP_DMA32 | __GFP_ZERO,
	GFP_KERNEL | GFP_DMA32 | __GFP_COMP,
	GFP_ATOMIC, GFP_ATOMIC | __GFP_COMP | __GFP_ZERO, GFP_ATOMIC | GFP_DMA,
	GFP_NOWAIT, GFP_NOIO, GFP_KERNEL | __GFP_HIGH, GFP_HIGHUSER_MOVABLE,
};

static unsigned int pick_order(void)
{
	unsigned int r = (unsigned)(rnd() % 100);

	if (r < 60)
		return 0;
	if (r < 75)
		return 1;
	if (r < 85)
		return 2;
	if (r < 91)
		return 3;
	return 4 + (unsigned)(rnd() % (MAX_PAGE_ORDER - 3));
}

static inline uint64_t stamp(const struct blk *b, unsigned long i)
{
	return b->tag ^ (i * 0x100000001b3ULL);
}

/* Every page gets a stamp at both ends; small blocks are filled whole. */
static void fill(const struct blk *b)
{
	unsigned long nr = 1UL << b->order;
	char *va = page_address(b->page);

	if (b->order <= 2)
		memset(va, (int)(b->tag & 0xff), nr * PAGE_SIZE);
	for (unsigned long i = 0; i < nr; i++) {
		uint64_t s = stamp(b, i);

		memcpy(va + i * PAGE_SIZE, &s, 8);
		memcpy(va + (i + 1) * PAGE_SIZE - 8, &s, 8);
	}
}

static bool intact(const struct blk *b)
{
	unsigned long nr = 1UL << b->order;
	const char *va = page_address(b->page);

	for (unsigned long i = 0; i < nr; i++) {
		uint64_t s = stamp(b, i), x, y;

		memcpy(&x, va + i * PAGE_SIZE, 8);
		memcpy(&y, va + (i + 1) * PAGE_SIZE - 8, 8);
		if (x != s || y != s)
			return false;
		if (b->order <= 2) {
			const unsigned char *p = (const unsigned char *)va + i * PAGE_SIZE + 8;

			for (unsigned long k = 0; k < PAGE_SIZE - 16; k++)
				if (p[k] != (unsigned char)(b->tag & 0xff))
					return false;
		}
	}
	return true;
}

static bool zeroed(const struct blk *b)
{
	unsigned long nr = 1UL << b->order;
	const char *va = page_address(b->page);

	if (b->order <= 3)
		return !kasan_memchr_inv_nocheck(va, 0, nr * PAGE_SIZE);
	for (unsigned long i = 0; i < nr; i++)
		if (kasan_memchr_inv_nocheck(va + i * PAGE_SIZE, 0, 64) ||
		    kasan_memchr_inv_nocheck(va + (i + 1) * PAGE_SIZE - 64, 0, 64))
			return false;
	return true;
}

static enum zone_type highest_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

static void do_alloc(void)
{
	struct blk b;

	if (nlive == MAX_LIVE)
		return;
	b.order = pick_order();
	b.gfp = gfps[rnd() % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
	b.tag = rnd();
	b.page = alloc_pages(b.gfp, b.order);
	if (!b.page) {
		failed++;
		return;
	}
	got_order[b.order]++;
	got_zone[page_zonenum(b.page)]++;
	comp_blocks += b.order && (b.gfp & __GFP_COMP);
	zero_blocks += !!(b.gfp & __GFP_ZERO);

	unsigned long pfn = page_to_pfn(b.page), nr = 1UL << b.order;
	if (pfn % nr)
		ktest_fail(__FILE__, __LINE__, "pfn %lu not aligned to order %u", pfn, b.order);
	if (page_zonenum(b.page) > highest_zone(b.gfp))
		ktest_fail(__FILE__, __LINE__, "gfp %#x got zone %d", b.gfp, page_zonenum(b.page));
	if (b.order && (b.gfp & __GFP_COMP) &&
	    (!PageHead(b.page) || compound_order(b.page) != b.order ||
	     compound_head(b.page + nr - 1) != b.page))
		ktest_fail(__FILE__, __LINE__, "compound page wrong at pfn %lu", pfn);
	if (page_count(b.page) != 1)
		ktest_fail(__FILE__, __LINE__, "refcount %d", page_count(b.page));
	for (unsigned long i = 0; i < nr; i++)
		if (owner[pfn + i]) {
			ktest_fail(__FILE__, __LINE__, "pfn %lu handed out twice", pfn + i);
			return;
		}
	if ((b.gfp & __GFP_ZERO) && !zeroed(&b))
		ktest_fail(__FILE__, __LINE__, "__GFP_ZERO block at pfn %lu not zero", pfn);
	fill(&b);
	live[nlive] = b;
	nlive++;
	for (unsigned long i = 0; i < nr; i++)
		owner[pfn + i] = (uint32_t)nlive;
}

static void do_free(int i)
{
	struct blk b = live[i];
	unsigned long pfn = page_to_pfn(b.page), nr = 1UL << b.order;

	if (!intact(&b))
		ktest_fail(__FILE__, __LINE__, "block at pfn %lu damaged while live", pfn);
	for (unsigned long k = 0; k < nr; k++)
		owner[pfn + k] = 0;
	if (rnd() % 4 == 0)
		free_pages((unsigned long)page_address(b.page), b.order);
	else if (b.order && (b.gfp & __GFP_COMP) && rnd() % 2)
		put_page(b.page + nr - 1);
	else
		__free_pages(b.page, b.order);

	live[i] = live[--nlive];
	if (i < nlive) {
		unsigned long p2 = page_to_pfn(live[i].page);

		for (unsigned long k = 0; k < (1UL << live[i].order); k++)
			owner[p2 + k] = (uint32_t)i + 1;
	}
}

static unsigned long live_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < nlive; i++)
		n += 1UL << live[i].order;
	return n;
}

/* The reset contract: a struct page that differs from its post-init copy
 * is on the dirty list. */
static bool dirty_tracking_complete(void)
{
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++)
		if (!arena.dirty[pfn] &&
		    memcmp(&arena.mem_map[pfn], &arena.mem_map_init[pfn],
			   sizeof(struct page))) {
			ktest_fail(__FILE__, __LINE__,
				   "struct page of pfn %lu changed but not dirty", pfn);
			return false;
		}
	return true;
}

static void run_ops(int nr_ops, int dirty_check_every)
{
	for (int op = 1; op <= nr_ops; op++) {
		unsigned int r = (unsigned)(rnd() % 100);

		if (nlive && r < 45)
			do_free((int)(rnd() % (unsigned)nlive));
		else if (nlive && r == 99)
			while (nlive > 8)	/* occasional mass free */
				do_free((int)(rnd() % (unsigned)nlive));
		else
			do_alloc();
		if (op % dirty_check_every == 0 && !dirty_tracking_complete())
			return;
		if (op % 1000 == 0) {
			int problems = kalloc_validate();

			if (problems) {
				ktest_fail(__FILE__, __LINE__, "validate: %d at op %d", problems, op);
				return;
			}
			if (nr_free_pages() + live_pages() != totalram_pages()) {
				ktest_fail(__FILE__, __LINE__, "pages lost at op %d", op);
				return;
			}
		}
	}
}

/* (zone, order, pfn) of every free block, sorted: the lists as a set. */
struct blockset {
	unsigned long n;
	unsigned long key[4096];
};

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void blockset(struct blockset *s, bool sorted)
{
	s->n = 0;
	for (int t = 0; t < MAX_NR_ZONES; t++)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			struct list_head *pos;

			list_for_each(pos, &zones[t].free_area[o].free_list)
				if (s->n < ARRAY_SIZE(s->key))
					s->key[s->n++] = ((unsigned long)t << 60) |
						((unsigned long)o << 48) |
						page_to_pfn(list_entry(pos, struct page, buddy_list));
		}
	if (sorted)
		qsort(s->key, s->n, sizeof(s->key[0]), cmp_ul);
}

static struct blockset at_init, now;

static void setup(uint64_t seed, unsigned long mem_mib)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = mem_mib * MiB;
	cfg.dma_bytes = 1 * MiB;
	cfg.dma32_bytes = mem_mib / 2 * MiB;
	ktest_init(cfg);
	owner = calloc(arena.nr_pages, sizeof(*owner));
	nlive = 0;
	rng = seed;
}

KTEST(random_100k_ops_all_orders_and_zones)
{
	setup(0x5eed, 16);
	blockset(&at_init, true);
	CHECK(zone_present(ZONE_DMA) && zone_present(ZONE_DMA32) && zone_present(ZONE_NORMAL));
	run_ops(NR_OPS, 100);
	CHECK(kalloc_op_count() > NR_OPS / 2);
	/* the run covered what it claims to */
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		if (!got_order[o])
			ktest_fail(__FILE__, __LINE__, "no order-%u allocation", o);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (!got_zone[t])
			ktest_fail(__FILE__, __LINE__, "no allocation from zone %d", t);
	CHECK(failed > 0);	/* memory ran out now and then */
	CHECK(comp_blocks > 0 && zero_blocks > 0);
	printf("allocations by order:");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		printf(" %lu", got_order[o]);
	printf("; by zone: %lu %lu %lu; failed %lu\n", got_zone[0], got_zone[1],
	       got_zone[2], failed);
	while (nlive)
		do_free(nlive - 1);
	CHECK_EQ(nr_free_pages(), totalram_pages());
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
	blockset(&now, true);
	CHECK_EQ(now.n, at_init.n);
	CHECK(!memcmp(now.key, at_init.key, now.n * sizeof(now.key[0])));
	free(owner);
}

KTEST(random_work_then_reset_restores_lists_in_order)
{
	setup(0xfeed, 16);
	blockset(&at_init, false);
	for (int round = 0; round < 8; round++) {
		run_ops(3000, 100);
		CHECK(nlive > 0 || round == 0);
		kalloc_reset();
		nlive = 0;
		memset(owner, 0, arena.nr_pages * sizeof(*owner));
		blockset(&now, false);
		CHECK_EQ(now.n, at_init.n);
		CHECK(!memcmp(now.key, at_init.key, now.n * sizeof(now.key[0])));
		CHECK_EQ(arena.nr_dirty, 0);
		CHECK_EQ(kalloc_validate(), 0);
		CHECK_EQ(nr_free_pages(), totalram_pages());
	}
	free(owner);
}

/*
 * The reset contract checked after every single operation, in a small
 * arena so that the whole mem_map can be compared each time.
 */
KTEST(dirty_tracking_is_complete_after_every_op)
{
	setup(0xd17e, 4);
	run_ops(5000, 1);
	kalloc_reset();
	CHECK(!memcmp(arena.mem_map, arena.mem_map_init,
		      arena.nr_pages * sizeof(struct page)));
	CHECK_EQ(kalloc_validate(), 0);
	free(owner);
}
