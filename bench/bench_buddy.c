/*
 * Buddy allocator throughput and reset cost.
 *
 *   alloc/free pairs per second for orders 0, 3 and 10 (LIFO: allocate,
 *   free, repeat; the block splits and merges all the way each time);
 *   kalloc_reset() time after one fixed small workload, in a 4 MiB and in
 *   a 1 GiB arena. Reset costs what was used since init, so the two reset
 *   figures should be close although the arenas differ 256 times in size.
 *
 * One figure per line with its unit. Meaningful in a release build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <kalloc/kalloc.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void init_or_die(size_t mem_bytes)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = mem_bytes;
	if (kalloc_init(&cfg)) {
		fprintf(stderr, "bench_buddy: kalloc_init(%zu bytes) failed\n", mem_bytes);
		exit(2);
	}
}

/* Pairs per second, timed over at least 0.3 s. */
static double pairs_per_sec(unsigned int order)
{
	unsigned long n = 0, batch = order >= 10 ? 256 : 100000;
	double t0 = now(), t;

	do {
		for (unsigned long i = 0; i < batch; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, order);

			if (!p) {
				fprintf(stderr, "bench_buddy: order-%u allocation failed\n", order);
				exit(2);
			}
			__free_pages(p, order);
		}
		n += batch;
		t = now() - t0;
	} while (t < 0.3);
	return (double)n / t;
}

/* The fixed small workload: 64 blocks of orders 0-3, half of them freed. */
static void small_workload(void)
{
	struct page *p[64];

	for (int i = 0; i < 64; i++)
		p[i] = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_COMP : 0), (unsigned)i % 4);
	for (int i = 0; i < 64; i += 2)
		if (p[i])
			__free_pages(p[i], (unsigned)i % 4);
}

/* Median of the reset time over many rounds of the same workload. */
static double reset_usec(size_t mem_bytes)
{
	enum { ROUNDS = 201 };
	static double t[ROUNDS];

	init_or_die(mem_bytes);
	for (int r = 0; r < ROUNDS; r++) {
		small_workload();
		double t0 = now();

		kalloc_reset();
		t[r] = (now() - t0) * 1e6;
	}
	kalloc_fini();
	/* insertion sort: ROUNDS is small */
	for (int i = 1; i < ROUNDS; i++)
		for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
			double x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	return t[ROUNDS / 2];
}

int main(void)
{
	static const unsigned int orders[] = { 0, 3, 10 };

	init_or_die(64u << 20);
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
		printf("alloc_pages+__free_pages order %-2u: %12.0f pairs/s\n",
		       orders[i], pairs_per_sec(orders[i]));
	kalloc_fini();

	printf("kalloc_reset after small workload, 4 MiB arena: %8.2f us\n",
	       reset_usec(4u << 20));
	printf("kalloc_reset after small workload, 1 GiB arena: %8.2f us\n",
	       reset_usec(1u << 30));
	return 0;
}
