/*
 * bench_debug: what each debug feature costs. kmalloc+kfree pairs per
 * second with slab_debug off, F, Z, P, U and FZPU, and with the free
 * quarantine, for a few sizes and two patterns:
 *
 *   lifo   kmalloc, kfree, repeat: the fast path's best case
 *   batch  64 kmallocs, then their 64 kfrees: walks through slabs
 *
 * Meaningful in a release build (no sanitizers). Each cell runs for about
 * --ms milliseconds (default 200). Usage: bench_debug [--ms N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kalloc/kalloc.h>

struct mode {
	const char *name;
	const char *slab_debug;
	size_t quarantine;
};

static const struct mode modes[] = {
	{ "off", NULL, 0 },
	{ "F", "F", 0 },
	{ "Z", "Z", 0 },
	{ "P", "P", 0 },
	{ "U", "U", 0 },
	{ "FZPU", "FZPU", 0 },
	{ "quarantine 1M", NULL, 1u << 20 },
	{ "FZPU+quarantine 1M", "FZPU", 1u << 20 },
};

static const size_t sizes[] = { 64, 512, 4096 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile unsigned long sink;

/* Pairs per second for one cell, or a negative value on failure. */
static double run(const struct mode *m, size_t size, int batch, double secs)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	unsigned long pairs = 0;
	void *p[64];
	double t0, t;

	cfg.mem_bytes = 64u << 20;
	cfg.slab_debug = m->slab_debug;
	cfg.quarantine_bytes = m->quarantine;
	if (kalloc_init(&cfg))
		return -1;
	/* warm up: slabs exist, the quarantine is full */
	for (int i = 0; i < 20000; i++)
		kfree(kmalloc(size, GFP_KERNEL));

	t0 = now();
	do {
		for (int k = 0; k < 64; k++) {
			if (batch) {
				for (int i = 0; i < 64; i++)
					p[i] = kmalloc(size, GFP_KERNEL);
				for (int i = 0; i < 64; i++)
					kfree(p[i]);
				pairs += 64;
			} else {
				for (int i = 0; i < 64; i++) {
					void *q = kmalloc(size, GFP_KERNEL);

					sink += (unsigned long)q;
					kfree(q);
				}
				pairs += 64;
			}
		}
		t = now() - t0;
	} while (t < secs);

	if (kalloc_report_count())
		pairs = 0;	/* a report here would be a bug */
	kalloc_fini();
	return (double)pairs / t;
}

int main(int argc, char **argv)
{
	double secs = 0.2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ms") && i + 1 < argc) {
			secs = atof(argv[++i]) / 1000.0;
		} else {
			fprintf(stderr, "usage: %s [--ms N]\n", argv[0]);
			return 2;
		}
	}
	if (secs <= 0) {
		fprintf(stderr, "bench_debug: --ms must be positive\n");
		return 2;
	}

	printf("kmalloc+kfree pairs per second (millions), and the ratio to slab_debug off\n");
	for (int batch = 0; batch < 2; batch++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			double base = 0;

			printf("\n%s, size %zu\n", batch ? "batch of 64" : "lifo",
			       sizes[z]);
			for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
				double r = run(&modes[m], sizes[z], batch, secs);

				if (r <= 0) {
					printf("  %-20s failed\n", modes[m].name);
					continue;
				}
				if (m == 0)
					base = r;
				printf("  %-20s %8.2f M/s  %6.2fx\n", modes[m].name,
				       r / 1e6, base > 0 ? r / base : 0.0);
			}
		}
	}
	return 0;
}
